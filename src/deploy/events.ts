/**
 * Typed deploy events (architecture.md "Events, not prints"). The engine emits
 * them; the CLI renders them (live view on a TTY, one line each otherwise,
 * NDJSON with --output json); tests assert on them. Codes are stable.
 */
import { GUARDRAIL_EVENT_LEVELS, type GuardrailEventPayloads } from './guardrail-events.js';

export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

type GuardrailEvent = { [C in keyof GuardrailEventPayloads]: { code: C } & GuardrailEventPayloads[C] }[keyof GuardrailEventPayloads];

interface Base {
  /** Simulated/real epoch ms from the injected Clock. */
  t: number;
  deployId?: string;
  group?: string;
}

export type DeployEvent = Base &
  (
    | { code: 'plan'; strategy: string; fromVersion: string; toVersion: string; templateId: string; desired: number; floor: number; surge: number; waves: number; expectedSeconds: number; replace: number; maxSizeNeeded: number }
    | { code: 'nothing-to-do'; reason: string }
    | { code: 'template-version-created'; templateId: string; version: number; imageId: string }
    | { code: 'locked'; lockOwner: string }
    | { code: 'record-written'; phase: string }
    | { code: 'processes-suspended'; processes: string[] }
    | { code: 'processes-resumed'; processes: string[] }
    | { code: 'group-pinned'; templateId: string; version: string }
    | { code: 'max-size-raised'; from: number; to: number }
    | { code: 'wave-started'; wave: number; waves: number; launching: number; desired: number }
    | { code: 'instance-launched'; instanceId: string; version: string; az?: string }
    | { code: 'instance-ready'; instanceId: string; version: string; afterSeconds: number }
    | { code: 'instance-failed'; instanceId: string; reason: string; failedLaunches: number; maxFailedLaunches: number }
    | { code: 'instance-retiring'; instanceId: string; version: string; az?: string }
    | { code: 'instance-gone'; instanceId: string }
    | { code: 'progress'; phase: string; targetVersion: string; onTarget: number; old: number; serving: number; floor: number; startDesired: number; desired: number; launching: number; etaSeconds?: number }
    | { code: 'waiting'; what: string; seconds: number }
    | { code: 'rollback-started'; reason: string; toVersion: string }
    | { code: 'interrupted'; phase: string; resumeCommand: string; abortCommand: string }
    | { code: 'restored'; min: number; max: number; desired: number }
    | { code: 'unlocked' }
    | { code: 'done'; outcome: 'succeeded' | 'rolled-back' | 'failed' | 'aborted'; seconds: number; version: string; lowestServing: number; floor: number; apiCalls?: number; reason?: string }
    | { code: 'retry'; operation: string; attempt: number; delayMs: number; error: string }
    | { code: 'warning'; message: string }
    // Blue/green, swap and shrink (bluegreen.ts, swap.ts, shrink.ts).
    | { code: 'pair'; app: string; live: string; idle: string; liveDesired: number; targetGroups: string[] }
    | { code: 'group-sized'; min: number; max: number; desired: number; why: string }
    | { code: 'version-tagged'; key: string; value: string }
    | { code: 'policies-moved'; from: string; to: string; policies: string[]; scheduledActions: string[]; alarms: string[]; skipped: string[]; copyOnly: boolean }
    | { code: 'standby-entered'; instanceIds: string[]; desired: number }
    | { code: 'standby-exited'; instanceIds: string[]; desired: number }
    | { code: 'traffic-switched'; live: string; standby: string; serving: number; floor: number }
    | { code: 'awaiting-decision'; live: string; standby: string; standbyInstances: number; finishCommand: string; rollbackCommand: string }
    | { code: 'instances-attached'; instanceIds: string[]; desired: number }
    | { code: 'instances-detached'; instanceIds: string[]; desired: number }
    | { code: 'termination-policies-set'; policies: string[] }
    | { code: 'scale-in-protection'; instanceIds: string[]; protectedFromScaleIn: boolean }
    // Guardrails (deploy/guardrails/: alarms, checkpoints, bake time, the user's checks; payloads in guardrail-events.ts).
    | GuardrailEvent
  );

export type DeployEventCode = DeployEvent['code'];

/** Level of each event, for renderers that filter. */
export function levelOf(event: DeployEvent): EventLevel {
  switch (event.code) {
    case 'instance-failed':
    case 'rollback-started':
    case 'warning':
    case 'interrupted':
    case 'check-failed':
      return 'warn';
    case 'alarm-state-changed':
      return GUARDRAIL_EVENT_LEVELS['alarm-state-changed'](event);
    case 'bake-ended':
      return GUARDRAIL_EVENT_LEVELS['bake-ended'](event);
    case 'done':
      return event.outcome === 'succeeded' ? 'info' : 'error';
    case 'retry':
    case 'record-written':
    case 'waiting':
      return 'debug';
    default:
      return 'info';
  }
}

export type EventSink = (event: DeployEvent) => void;

/** Collects events (for tests and for summaries). */
export class EventLog {
  readonly events: DeployEvent[] = [];
  readonly sink: EventSink = (e) => {
    this.events.push(e);
  };
  of<C extends DeployEventCode>(code: C): Extract<DeployEvent, { code: C }>[] {
    return this.events.filter((e): e is Extract<DeployEvent, { code: C }> => e.code === code);
  }
}
