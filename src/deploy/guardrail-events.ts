/**
 * What each guardrail event carries beyond the envelope (code, t, deployId,
 * group): alarms, checkpoints, bake time and the user's checks
 * (deploy/guardrails/). One entry per code, in the same shape as the events
 * registry's payload tables, so it plugs into either form of events.ts.
 */
export interface GuardrailEventPayloads {
  /** The alarms a deploy watches and their states when it starts (or resumes). */
  'alarm-watched': { alarms: { name: string; state: string }[] };
  /** A watched alarm changed state; `reason` is CloudWatch's StateReason. */
  'alarm-state-changed': { alarm: string; from: string; to: string; reason?: string };
  'checkpoint-reached': { percent: number; onTarget: number; total: number };
  /** `until` (epoch ms) for a timed pause; absent for `wait` (until `continue`). */
  'checkpoint-paused': { percent: number; until?: number; continueCommand: string; abortCommand: string };
  'checkpoint-continued': { percent: number; by: 'timer' | 'continue'; pausedSeconds: number };
  'bake-started': { seconds: number; until: number };
  'bake-ended': { seconds: number; ok: boolean; reason?: string };
  'check-passed': { instanceId: string; seconds: number };
  /** `output`: the command's last lines (stdout and stderr interleaved). */
  'check-failed': { instanceId: string; reason: string; exitCode?: number; timedOut: boolean; output: string[] };
}

export type GuardrailEventCode = keyof GuardrailEventPayloads;

/** The level of each guardrail event (renderers show `debug` only with --verbose). */
export const GUARDRAIL_EVENT_LEVELS = {
  'alarm-watched': 'info',
  'alarm-state-changed': (e: { to: string }) => (e.to === 'ALARM' ? 'warn' : 'info'),
  'checkpoint-reached': 'info',
  'checkpoint-paused': 'info',
  'checkpoint-continued': 'info',
  'bake-started': 'info',
  'bake-ended': (e: { ok: boolean }) => (e.ok ? 'info' : 'warn'),
  'check-passed': 'info',
  'check-failed': 'warn',
} as const;
