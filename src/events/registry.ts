/**
 * The one registry of asg-deploy's typed events (architecture.md "Events, not
 * prints"): deploy, bake/prune and the CLI's own lines (`error`, `status`,
 * `history`, … cli-payloads.ts), each code with its
 * payload (the *-payloads.ts files) and its level (EVENT_LEVELS below). The
 * compiler checks every table keyed by code (levels here, fields.ts, the CLI's
 * renderer) for every code: a new code cannot be silently dropped.
 *
 * On the wire (`--output json`) an event is one NDJSON line: the envelope
 * (`code`, `level`, `t`, `time`, and `deployId` / `group` / `app` where they
 * apply) plus the payload's fields; see {@link toJsonLine} and
 * schema/events.schema.json.
 */
import type { BakeEventPayloads, SharedEventPayloads } from './bake-payloads.js';
import type { CliEventPayloads } from './cli-payloads.js';
import type { DeployEventPayloads } from './deploy-payloads.js';
import type { GuardrailEventPayloads } from './guardrail-payloads.js';

export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

export interface EventPayloads extends DeployEventPayloads, GuardrailEventPayloads, BakeEventPayloads, SharedEventPayloads, CliEventPayloads {}

export type EventCode = keyof EventPayloads;

/** Fields every event may carry besides its payload. */
export interface EventEnvelope {
  /** Epoch ms from the injected Clock (simulated time against a sped-up emulator). */
  t: number;
  deployId?: string;
  group?: string;
  /** The app an image or a blue/green pair belongs to. */
  app?: string;
}

export type EventOf<C extends EventCode> = { code: C } & EventEnvelope & EventPayloads[C];
type UnionOf<C extends EventCode> = { [K in C]: EventOf<K> }[C];

export type AnyEvent = UnionOf<EventCode>;
export type DeployEventCode = keyof DeployEventPayloads | keyof GuardrailEventPayloads | keyof SharedEventPayloads;
export type DeployEvent = UnionOf<DeployEventCode>;
export type BakeEventCode = keyof BakeEventPayloads | keyof SharedEventPayloads;
export type BakeEvent = UnionOf<BakeEventCode>;

type LevelRule<C extends EventCode> = EventLevel | ((event: EventOf<C>) => EventLevel);

/** The level of every code: renderers show `debug` only with --verbose. */
export const EVENT_LEVELS = {
  // deploy
  plan: 'info',
  'nothing-to-do': 'info',
  locked: 'info',
  'record-written': 'debug',
  'processes-suspended': 'info',
  'processes-resumed': 'info',
  'group-pinned': 'info',
  'max-size-raised': 'info',
  'wave-started': 'info',
  'instance-launched': 'info',
  'instance-ready': 'info',
  'instance-failed': 'warn',
  'instance-retiring': 'info',
  'instance-gone': 'info',
  progress: 'info',
  waiting: 'info',
  'rollback-started': 'warn',
  interrupted: 'warn',
  restored: 'info',
  unlocked: 'info',
  done: (e) => (e.outcome === 'succeeded' ? 'info' : 'error'),
  retry: 'debug',
  pair: 'info',
  'group-sized': 'info',
  'version-tagged': 'info',
  'policies-moved': 'info',
  'standby-entered': 'info',
  'standby-exited': 'info',
  'traffic-switched': 'info',
  'awaiting-decision': 'info',
  'instances-attached': 'info',
  'instances-detached': 'info',
  'termination-policies-set': 'info',
  'scale-in-protection': 'info',
  'handed-over': 'warn',
  'launch-failed': 'warn',
  'instances-held': 'info',
  // guardrails (alarms, checkpoints, bake time, checks)
  'alarm-watched': 'info',
  'alarm-state-changed': (e) => (e.to === 'ALARM' ? 'warn' : 'info'),
  'checkpoint-reached': 'info',
  'checkpoint-paused': 'info',
  'checkpoint-continued': 'info',
  'bake-started': 'info',
  'bake-ended': (e) => (e.ok ? 'info' : 'warn'),
  'check-passed': 'info',
  'check-failed': 'warn',
  'guardrails-resumed': 'info',
  'continue-signalled': 'info',
  // bake and prune
  'bake-plan': 'info',
  'image-requested': 'info',
  'image-pending': 'info',
  'image-available': 'info',
  'image-failed': 'error',
  'default-version-set': 'info',
  'bake-done': 'info',
  'prune-plan': 'info',
  'image-kept': 'info',
  'image-deregistered': 'info',
  'snapshot-deleted': 'info',
  'snapshot-kept': 'debug',
  'version-deleted': 'info',
  'version-kept': 'debug',
  'prune-done': 'info',
  // both
  'template-version-created': 'info',
  warning: 'warn',
  // the CLI
  error: 'error',
  'emulator-listening': 'info',
  'demo-summary': 'info',
  'report-written': 'info',
  status: 'info',
  history: 'info',
  'iam-policy': 'info',
  rehearsal: (e) => (e.succeeded ? 'info' : 'error'),
} satisfies { [C in EventCode]: LevelRule<C> };

/** Every code, in registry order (tests, the JSON Schema). */
export const EVENT_CODES = Object.keys(EVENT_LEVELS) as EventCode[];

export function levelOf(event: AnyEvent): EventLevel {
  const rule = EVENT_LEVELS[event.code] as LevelRule<EventCode>;
  return typeof rule === 'function' ? (rule as (e: AnyEvent) => EventLevel)(event) : rule;
}

export type EventSink = (event: DeployEvent) => void;
export type BakeEventSink = (event: BakeEvent) => void;
/** Takes every event: what the CLI's renderer gives both halves. */
export type AnyEventSink = (event: AnyEvent) => void;

/** Collects events (for tests and for summaries). */
export class EventLog<E extends AnyEvent = DeployEvent> {
  readonly events: E[] = [];
  readonly sink = (e: E): void => {
    this.events.push(e);
  };
  of<C extends E['code']>(code: C): Extract<E, { code: C }>[] {
    return this.events.filter((e): e is Extract<E, { code: C }> => e.code === code);
  }
}

/** The NDJSON form of an event: envelope first (code, level, time), then its fields. */
export function toJsonLine(event: AnyEvent): string {
  const { code, ...fields } = event;
  return JSON.stringify({ code, level: levelOf(event), time: new Date(event.t).toISOString(), ...fields });
}

/** The `error` event for a command that failed, in the events' envelope. */
export function errorEvent(
  error: { code?: string; fault?: string; message?: string; hint?: string; details?: Readonly<Record<string, unknown>> },
  exitCode: number,
  t: number,
): EventOf<'error'> {
  return {
    code: 'error',
    t,
    errorCode: error.code ?? 'INTERNAL',
    fault: error.fault ?? 'system',
    message: error.message ?? String(error),
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.details === undefined ? {} : { details: error.details }),
    exitCode,
  };
}
