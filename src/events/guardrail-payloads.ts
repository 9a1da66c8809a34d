/**
 * What each guardrail event carries beyond the envelope (code, t, deployId,
 * group): alarms, checkpoints, bake time and the user's checks
 * (deploy/guardrails/, docs/guardrails.md "Events"). One entry per code; the
 * registry adds their levels, fields.ts their fields, the CLI their lines.
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
  /**
   * `resume` runs with the guardrails the deploy stored on its group, the resume's flags over them
   * (`fromFlags`); `check` runs on the resuming machine; `unstored`: library guardrails it runs without.
   */
  'guardrails-resumed': {
    alarms: string[];
    checkpoints?: string;
    checkpointPause?: string;
    bakeSeconds?: number;
    check?: string;
    checkTimeoutSeconds?: number;
    noRollback: boolean;
    fromFlags: string[];
    unstored: string[];
  };
  /** `asg-deploy continue GROUP` wrote its signal: the paused deploy goes on at its next poll. */
  'continue-signalled': { percent: number; by: string };
}
