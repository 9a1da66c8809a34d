/**
 * What each `bake` / `prune` event carries beyond the envelope (code, t, app):
 * one entry per code (see deploy-payloads.ts for how to add one).
 */
import type { KeepReason } from '../bake/prune-plan.js';

export interface BakeEventPayloads {
  'bake-plan': {
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
  };
  'image-requested': { imageId: string; imageName: string; instanceId: string; reboot: boolean };
  /** While the image is pending, once per poll: the CLI redraws one live line with it. */
  'image-pending': { imageId: string; seconds: number; snapshotProgress?: string };
  'image-available': { imageId: string; seconds: number; snapshotIds: string[] };
  'image-failed': { imageId: string; state: string; reason: string };
  'default-version-set': { templateId: string; templateName: string; version: number; previous: number };
  'bake-done': { imageId: string; imageName: string; imageState: string; templateId: string; version: number; isDefault: boolean; seconds: number };
  'prune-plan': { images: number; keep: number; deleteImages: number; deleteSnapshots: number; deleteVersions: number; dryRun: boolean };
  'image-kept': { imageId: string; imageName: string; createdAt: string; reasons: KeepReason[]; because: string[] };
  /** With `dryRun`, what would be deregistered. */
  'image-deregistered': { imageId: string; imageName: string; createdAt: string; dryRun: boolean };
  'snapshot-deleted': { snapshotId: string; imageId: string; dryRun: boolean };
  'snapshot-kept': { snapshotId: string; imageId: string; reason: string };
  'version-deleted': { templateId: string; templateName: string; version: number; imageId?: string; dryRun: boolean };
  'version-kept': { templateId: string; templateName: string; version: number; imageId?: string; reason: string };
  'prune-done': { dryRun: boolean; keptImages: number; deletedImages: number; deletedSnapshots: number; deletedVersions: number; failures: number; seconds: number };
}

/**
 * Codes both halves emit. `template-version-created` was two payloads under
 * one code (deploy's templateId/version/imageId, bake's with templateName,
 * sourceVersion and imageState too); it is now one: bake's fields optional,
 * so every field either side emitted before is still there.
 */
export interface SharedEventPayloads {
  'template-version-created': { templateId: string; version: number; imageId: string; templateName?: string; sourceVersion?: number; imageState?: string };
  warning: { message: string };
}
