/**
 * Typed events of `bake` and `prune` (architecture.md "Events, not prints"),
 * a union of their own beside the deploy engine's DeployEvent. The library
 * emits them; the CLI renders them (a line each, a live line on a TTY for
 * `image-pending`, NDJSON with --output json); tests assert on them. Codes are
 * stable: scripts read them.
 */
import type { KeepReason } from './prune-plan.js';

export type BakeEventLevel = 'debug' | 'info' | 'warn' | 'error';

interface Base {
  /** Epoch ms from the injected Clock. */
  t: number;
  /** The app the images belong to (the `app` tag). */
  app?: string;
}

export type BakeEvent = Base &
  (
    // --- bake
    | {
        code: 'bake-plan';
        instanceId: string;
        templateId: string;
        templateName: string;
        sourceVersion: number;
        imageName: string;
        reboot: boolean;
        tags: Record<string, string>;
        setDefault: boolean;
        wait: boolean;
        dryRun: boolean;
      }
    | { code: 'image-requested'; imageId: string; imageName: string; instanceId: string; reboot: boolean }
    /** While the image is pending, once per poll: the CLI redraws one live line with it. */
    | { code: 'image-pending'; imageId: string; seconds: number; snapshotProgress?: string }
    | { code: 'image-available'; imageId: string; seconds: number; snapshotIds: string[] }
    | { code: 'image-failed'; imageId: string; state: string; reason: string }
    | { code: 'template-version-created'; templateId: string; templateName: string; version: number; sourceVersion: number; imageId: string; imageState: string }
    | { code: 'default-version-set'; templateId: string; templateName: string; version: number; previous: number }
    | {
        code: 'bake-done';
        imageId: string;
        imageName: string;
        imageState: string;
        templateId: string;
        version: number;
        isDefault: boolean;
        seconds: number;
      }
    // --- prune
    | {
        code: 'prune-plan';
        images: number;
        keep: number;
        deleteImages: number;
        deleteSnapshots: number;
        deleteVersions: number;
        dryRun: boolean;
      }
    | { code: 'image-kept'; imageId: string; imageName: string; createdAt: string; reasons: KeepReason[]; because: string[] }
    /** With `dryRun`, what would be deregistered. */
    | { code: 'image-deregistered'; imageId: string; imageName: string; createdAt: string; dryRun: boolean }
    | { code: 'snapshot-deleted'; snapshotId: string; imageId: string; dryRun: boolean }
    | { code: 'snapshot-kept'; snapshotId: string; imageId: string; reason: string }
    | { code: 'version-deleted'; templateId: string; templateName: string; version: number; imageId?: string; dryRun: boolean }
    | { code: 'version-kept'; templateId: string; templateName: string; version: number; imageId?: string; reason: string }
    | {
        code: 'prune-done';
        dryRun: boolean;
        keptImages: number;
        deletedImages: number;
        deletedSnapshots: number;
        deletedVersions: number;
        failures: number;
        seconds: number;
      }
    // --- both
    | { code: 'warning'; message: string }
  );

export type BakeEventCode = BakeEvent['code'];
export type BakeEventSink = (event: BakeEvent) => void;

/** Level of each event, for renderers that filter (`debug` shows only with --verbose). */
export function bakeEventLevel(event: BakeEvent): BakeEventLevel {
  switch (event.code) {
    case 'image-failed':
      return 'error';
    case 'warning':
      return 'warn';
    case 'version-kept':
    case 'snapshot-kept':
      return 'debug';
    default:
      return 'info';
  }
}

/** Collects events (tests, summaries). */
export class BakeEventLog {
  readonly events: BakeEvent[] = [];
  readonly sink: BakeEventSink = (e) => {
    this.events.push(e);
  };
  of<C extends BakeEventCode>(code: C): Extract<BakeEvent, { code: C }>[] {
    return this.events.filter((e): e is Extract<BakeEvent, { code: C }> => e.code === code);
  }
}
