/**
 * Checkpoints (deploys.md "Guardrails"): the shares of the fleet at which a
 * deploy stops launching and waits, for a while or until `asg-deploy continue`.
 * As in Instance Refresh, a checkpoint is reached when at least that share of
 * the fleet runs the new version, and one step that crosses several reaches
 * only the highest ("Amazon EC2 Auto Scaling … will skip the first checkpoint
 * and send a notification for the second", Add checkpoints to an instance
 * refresh: https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-adding-checkpoints-instance-refresh.html).
 * Unlike it, the pace is ours: {@link replacementsBeforeCheckpoint} tells the
 * engine how many instances it may still replace before the next checkpoint,
 * so a bad release never runs on more than the checkpoint's share.
 *
 * @example
 *   parseCheckpoints('10%,50%')                                   // [10, 50]
 *   parseCheckpointPause('wait')                                  // { kind: 'wait' }
 *   checkpointReached([10, 50], { onTarget: 1, total: 10 }, 0)    // 10
 *   replacementsBeforeCheckpoint([10, 50], { onTarget: 1, total: 10 }, 10) // 4
 */
import { percentOfCeil } from './amount.js';
import { parseDuration } from './duration.js';
import { AsgDeployError } from './errors.js';

/** How far a deploy has got (the same shape as the engine's DeployProgress). */
export interface CheckpointProgress {
  readonly onTarget: number;
  readonly total: number;
}

/** Hold for a duration, or until someone runs `asg-deploy continue GROUP`. */
export type CheckpointPause = { readonly kind: 'for'; readonly ms: number } | { readonly kind: 'wait' };

/** Instance Refresh's CheckpointDelay default: "defaults to 3600 (1 hour)" (API_RefreshPreferences). */
export const DEFAULT_CHECKPOINT_PAUSE: CheckpointPause = { kind: 'for', ms: 3_600_000 };

function checkpointsError(input: string, why: string, option: string): AsgDeployError {
  return new AsgDeployError('BAD_INPUT', `invalid ${option} ${JSON.stringify(input)}: ${why}`, {
    hint: `list percentages of the fleet in ascending order, each above 0% and below 100%, e.g. ${option} 10%,50% (use --bake-time to keep watching after the last instance)`,
    details: { option, value: input },
  });
}

/**
 * Parses `10%,50%` (or a list of such items, as the config file holds it) into
 * ascending percentages. Each must be above 0 and below 100 (the whole fleet
 * on the new version is the end of the deploy: that is what `--bake-time`
 * watches), unique and ascending, as Instance Refresh's CheckpointPercentages.
 */
export function parseCheckpoints(input: string | readonly (string | number)[], option = '--checkpoints'): number[] {
  const text = typeof input === 'string' ? input : input.map(String).join(',');
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw checkpointsError(text, 'no checkpoint given', option);
  const out: number[] = [];
  for (const item of items) {
    const m = /^(\d+(?:\.\d+)?)\s*%$/.exec(item);
    if (m === null) throw checkpointsError(text, `${JSON.stringify(item)} is not a percentage (write it with %, e.g. 25%)`, option);
    const p = Number(m[1]);
    if (p <= 0 || p >= 100) throw checkpointsError(text, `${item} is not between 0% and 100% (both excluded)`, option);
    const last = out[out.length - 1];
    if (last !== undefined && p <= last) throw checkpointsError(text, `${item} does not come after ${last}%: list them ascending, each once`, option);
    out.push(p);
  }
  return out;
}

/** `DURATION` or `wait` (until `asg-deploy continue`). */
export function parseCheckpointPause(input: string, option = '--checkpoint-pause'): CheckpointPause {
  if (input.trim().toLowerCase() === 'wait') return { kind: 'wait' };
  const ms = parseDuration(input, option);
  // Instance Refresh's CheckpointDelay goes up to 172800 s (2 days); we take any duration.
  return { kind: 'for', ms };
}

/** `10%,50%`, as the user writes it. */
export function formatCheckpoints(checkpoints: readonly number[]): string {
  return checkpoints.map((p) => `${p}%`).join(',');
}

/** True when `percent` of the fleet is on the target version (integer math: no 0.1+0.2 surprise). */
function reached(percent: number, progress: CheckpointProgress): boolean {
  return progress.total > 0 && progress.onTarget >= percentOfCeil(percent, progress.total);
}

/**
 * The checkpoint this progress has reached, above `passed` (the highest one
 * already paused at, 0 for none): the highest such, or undefined.
 */
export function checkpointReached(checkpoints: readonly number[], progress: CheckpointProgress, passed: number): number | undefined {
  let found: number | undefined;
  for (const p of checkpoints) if (p > passed && reached(p, progress)) found = p;
  return found;
}

/**
 * How many more instances the deploy may put on the target version before it
 * reaches the next checkpoint above `passed` (at least 1, so a tiny fleet still
 * moves); undefined when no checkpoint is left. A wave larger than this would
 * run the release on more than the checkpoint's share before anyone looked.
 */
export function replacementsBeforeCheckpoint(checkpoints: readonly number[], progress: CheckpointProgress, passed: number): number | undefined {
  const next = checkpoints.find((p) => p > passed && !reached(p, progress));
  if (next === undefined) return undefined;
  return Math.max(1, percentOfCeil(next, progress.total) - progress.onTarget);
}
