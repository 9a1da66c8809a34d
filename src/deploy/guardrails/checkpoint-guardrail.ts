/**
 * `--checkpoints 10%,50%` with `--checkpoint-pause DURATION|wait`
 * (deploys.md "Guardrails"): after the forward step that puts a checkpoint's
 * share of the fleet on the new version, ask the engine to hold the launches,
 * for the duration or until `asg-deploy continue GROUP`. The math is pure
 * (core/checkpoints.ts); the wait itself is holdAtCheckpoint (hold.ts), which
 * the engine runs with every guardrail's watch.
 *
 * A deploy resumed on another machine learns from the group which checkpoints
 * it already passed (the `asg-deploy:checkpoint` tag, read in preflight or at
 * the first watch), so it neither pauses twice at one nor skips one it was
 * interrupted in.
 *
 * @example
 *   const cp = checkpointGuardrail({ checkpoints: [10, 50], pause: { kind: 'wait' } });
 *   cp.pauseAfter(ctx, { onTarget: 1, total: 10 }) // { kind: 'until-continued', reason: 'checkpoint 10%: …', checkpoint: { percent: 10, passed: 0 } }
 */
import {
  checkpointReached,
  DEFAULT_CHECKPOINT_PAUSE,
  formatDuration,
  replacementsBeforeCheckpoint,
  type CheckpointPause,
} from '../../core/index.js';
import type { DeployProgress, GuardContext, Guardrail, PauseRequest } from '../guardrail.js';
import { readCheckpointMark } from './pause-tags.js';

/** A pause request that says which checkpoint it is for (holdAtCheckpoint writes it on the group). */
export type CheckpointPauseRequest = PauseRequest & { readonly checkpoint?: { readonly percent: number; readonly passed: number } };

export interface CheckpointGuardrailOptions {
  /** Ascending percentages, each in (0, 100): core parseCheckpoints. */
  checkpoints: readonly number[];
  /** Default: one hour, Instance Refresh's CheckpointDelay default. */
  pause?: CheckpointPause;
}

export interface CheckpointGuardrail extends Guardrail {
  readonly checkpoints: readonly number[];
  readonly pause: CheckpointPause;
  /** The highest checkpoint this deploy has passed (0 for none). */
  passed(): number;
  /**
   * How many more instances the engine may put on the new version before the
   * next checkpoint (cap each wave by it), or undefined when none is left.
   */
  stepLimit(progress: DeployProgress): number | undefined;
}

export function checkpointGuardrail(options: CheckpointGuardrailOptions): CheckpointGuardrail {
  const checkpoints = [...options.checkpoints];
  const pause = options.pause ?? DEFAULT_CHECKPOINT_PAUSE;
  let passed = 0;
  let loaded = false;

  /** Reads once what the group says this deploy already passed (a resume on another machine). */
  const load = async (ctx: GuardContext) => {
    if (loaded) return;
    const { group } = await ctx.aws.autoscaling.describeGroup(ctx.group);
    const mark = readCheckpointMark(group);
    if (mark && mark.deployId === ctx.deployId) {
      // Interrupted during a pause: that checkpoint is not passed yet, so the engine pauses there again.
      const fromGroup = mark.state === 'continued' ? mark.percent : mark.passed;
      passed = Math.max(passed, fromGroup);
    }
    loaded = true;
  };

  return {
    name: 'checkpoints',
    stored: { checkpoints, checkpointPause: pause },
    checkpoints,
    pause,
    passed: () => passed,
    stepLimit: (progress) => replacementsBeforeCheckpoint(checkpoints, progress, passed),

    async preflight(ctx) {
      await load(ctx);
    },

    async watch(ctx) {
      await load(ctx);
      return { ok: true };
    },

    pauseAfter(ctx, progress): CheckpointPauseRequest | undefined {
      if (ctx.direction === 'back') return undefined;
      const percent = checkpointReached(checkpoints, progress, passed);
      if (percent === undefined) return undefined;
      const before = passed;
      passed = percent;
      ctx.emit({ t: ctx.clock.now(), deployId: ctx.deployId, group: ctx.group, code: 'checkpoint-reached', percent, onTarget: progress.onTarget, total: progress.total });
      const where = `checkpoint ${percent}%: ${progress.onTarget} of ${progress.total} instances on version ${ctx.targetVersion}`;
      const checkpoint = { percent, passed: before };
      if (pause.kind === 'wait') return { kind: 'until-continued', reason: `${where}; waiting for \`asg-deploy continue ${ctx.group}\``, checkpoint };
      if (pause.ms <= 0) return undefined;
      return { kind: 'for', ms: pause.ms, reason: `${where}; pausing ${formatDuration(pause.ms)}`, checkpoint };
    },
  };
}
