/**
 * What each deploy event carries beyond the envelope (code, t, deployId,
 * group): one entry per code. To add an event, add its code here, then the
 * compiler asks for its level (registry.ts), its line (src/cli/render.ts) and
 * its fields (fields.ts, which the JSON Schema is generated from).
 * Codes and fields are a public interface: scripts read them (README "Events").
 */
export interface DeployEventPayloads {
  plan: { strategy: string; fromVersion: string; toVersion: string; templateId: string; desired: number; floor: number; surge: number; waves: number; expectedSeconds: number; replace: number; maxSizeNeeded: number; /** What expectedSeconds leaves out: a `wait` checkpoint pause (nobody can say when someone continues). */ expectedNote?: string };
  'nothing-to-do': { reason: string };
  locked: { lockOwner: string };
  'record-written': { phase: string };
  'processes-suspended': { processes: string[] };
  'processes-resumed': { processes: string[] };
  'group-pinned': { templateId: string; version: string };
  'max-size-raised': { from: number; to: number };
  /** `batch` (2, 3, …) marks a further launch within the same wave, made once the first batch's AZs were seen. */
  'wave-started': { wave: number; waves: number; launching: number; desired: number; batch?: number };
  /** `via` says how an instance joined when it was not launched: `attach` (swap), `standby` (it left Standby: a blue/green rollback). */
  'instance-launched': { instanceId: string; version: string; az?: string; via?: 'attach' | 'standby' };
  'instance-ready': { instanceId: string; version: string; afterSeconds: number };
  'instance-failed': { instanceId: string; reason: string; failedLaunches: number; maxFailedLaunches: number };
  'instance-retiring': { instanceId: string; version: string; az?: string };
  'instance-gone': { instanceId: string };
  progress: { phase: string; targetVersion: string; onTarget: number; old: number; serving: number; floor: number; startDesired: number; desired: number; launching: number; etaSeconds?: number; /** Why etaSeconds went up since the last progress event (a failed launch, a pause), when it did; or why there is no etaSeconds (a `wait` checkpoint pause ahead). */ etaReason?: string };
  waiting: { what: string; seconds: number };
  'rollback-started': { reason: string; toVersion: string };
  interrupted: { phase: string; resumeCommand: string; abortCommand: string };
  restored: { min: number; max: number; desired: number };
  unlocked: Record<never, never>;
  /** `summary` says what the command did when "deployed version X" would not (finish, swap). */
  done: { outcome: 'succeeded' | 'rolled-back' | 'failed' | 'aborted'; seconds: number; version: string; lowestServing: number; floor: number; apiCalls?: number; reason?: string; summary?: string };
  retry: { operation: string; attempt: number; delayMs: number; error: string };
  // Blue/green, swap and shrink (deploy/bluegreen.ts, swap.ts, shrink.ts).
  pair: { app: string; live: string; idle: string; liveDesired: number; targetGroups: string[] };
  'group-sized': { min: number; max: number; desired: number; why: string };
  'version-tagged': { key: string; value: string };
  'policies-moved': { from: string; to: string; policies: string[]; scheduledActions: string[]; alarms: string[]; skipped: string[]; copyOnly: boolean };
  'standby-entered': { instanceIds: string[]; desired: number };
  'standby-exited': { instanceIds: string[]; desired: number };
  'traffic-switched': { live: string; standby: string; serving: number; floor: number };
  'awaiting-decision': { live: string; standby: string; standbyInstances: number; finishCommand: string; rollbackCommand: string };
  'instances-attached': { instanceIds: string[]; desired: number };
  'instances-detached': { instanceIds: string[]; desired: number };
  'termination-policies-set': { policies: string[] };
  'scale-in-protection': { instanceIds: string[]; protectedFromScaleIn: boolean };
  // The engine's guards (issue 8).
  /** The deploy gave up on an AWS failure: what it put back, and how to go on. */
  'handed-over': { reason: string; restored: string[]; resumeCommand: string; abortCommand: string };
  /** A launch activity of the group ended Failed or Cancelled: a failed launch, with AWS's StatusMessage. */
  'launch-failed': { activityId: string; statusCode: string; statusMessage: string; failedLaunches: number; maxFailedLaunches: number };
  /** Instances a lifecycle hook holds (Pending:Wait) while the deploy waits for them. */
  'instances-held': { lifecycleState: string; instanceIds: string[] };
}
