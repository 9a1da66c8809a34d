/**
 * `resume` and `abort` for the strategies other than `roll`, chosen by the
 * strategy the unfinished record on the group names (the record dispatch
 * rolling.ts does before its own takeover).
 *
 * @example
 *   // at the top of rolling.ts resume():
 *   const other = await resumeStrategy(ctx, options);
 *   if (other) return other;
 */
import type { DeployContext } from './context.js';
import { abortBlueGreen, resumeBlueGreen } from './bluegreen.js';
import type { DeployStrategy } from './record.js';
import type { DeployResult, TakeOverOptions } from './rolling.js';
import { abortShrink, resumeShrink } from './shrink.js';
import { readRecord } from './store.js';
import { abortSwap, resumeSwap } from './swap.js';

/** The strategy of the record on the group (undefined when there is none). */
export async function recordStrategy(ctx: DeployContext, group: string): Promise<DeployStrategy | undefined> {
  const { group: g } = await ctx.aws.autoscaling.describeGroup(group);
  return readRecord(g)?.strategy;
}

/** Resumes a bluegreen, swap or shrink deploy; undefined when the group's record is a `roll` one (or absent): rolling.ts handles it. */
export async function resumeStrategy(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult | undefined> {
  switch (await recordStrategy(ctx, options.group)) {
    case 'bluegreen':
      return resumeBlueGreen(ctx, options);
    case 'swap':
      return resumeSwap(ctx, options);
    case 'shrink':
      return resumeShrink(ctx, options);
    default:
      return undefined;
  }
}

/** Aborts a bluegreen, swap or shrink deploy; undefined when the group's record is a `roll` one (or absent). */
export async function abortStrategy(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult | undefined> {
  switch (await recordStrategy(ctx, options.group)) {
    case 'bluegreen':
      return abortBlueGreen(ctx, options);
    case 'swap':
      return abortSwap(ctx, options);
    case 'shrink':
      return abortShrink(ctx, options);
    default:
      return undefined;
  }
}
