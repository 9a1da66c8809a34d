/**
 * The strategy registry: every strategy the engine runs, by the name its
 * deployment record carries. `resume` and `abort` read the record on the group
 * and hand it to the strategy that wrote it, on any machine.
 *
 * @example
 *   await resume(ctx, { group: 'web' }); // a swap record is resumed by swap, a roll record by roll
 */
import { requestAbortOfPausedDeploy } from './guardrails/pause-tags.js';
import { withStoredGuardrails, type ResumeGuardrailOptions } from './guardrails/resume-guardrails.js';
import type { DeployContext } from './engine/context.js';
import type { DeployStrategy } from './engine/record.js';
import { readRecord } from './engine/store.js';
import { abortWith, resumeWith, type Strategy } from './engine/strategy.js';
import type { DeployResult, TakeOverOptions } from './engine/types.js';
import { blueGreenStrategy } from './strategies/bluegreen.js';
import { rollStrategy } from './strategies/roll.js';
import { shrinkStrategy } from './strategies/shrink.js';
import { swapStrategy } from './strategies/swap.js';

/** How the engine takes over an unfinished deploy of one strategy. */
export interface StrategyTakeOver {
  resume(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult>;
  abort(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult>;
}

/**
 * Every strategy, by the name its record carries: each one object
 * implementing the engine's {@link Strategy} interface (the compiler checks
 * none is missing and each is complete).
 */
// `any`: each strategy has its own state, options, run and result types.
const plugins = { roll: rollStrategy, bluegreen: blueGreenStrategy, swap: swapStrategy, shrink: shrinkStrategy } satisfies Record<DeployStrategy, Strategy<any, any, any, any>>;
export const STRATEGY_PLUGINS: Readonly<Record<DeployStrategy, Strategy<any, any, any, any>>> = plugins;

/** Resume and abort of every strategy, built by the engine from its plug-in. */
export const STRATEGIES = Object.fromEntries(
  Object.entries(STRATEGY_PLUGINS).map(([name, strategy]) => [
    name,
    {
      resume: (ctx: DeployContext, options: TakeOverOptions) => resumeWith(strategy as Strategy<unknown, never>, ctx, options),
      abort: (ctx: DeployContext, options: TakeOverOptions) => abortWith(strategy as Strategy<unknown, never>, ctx, options),
    },
  ]),
) as Record<DeployStrategy, StrategyTakeOver>;

/** The strategy of the record on the group (undefined when there is none). */
export async function recordStrategy(ctx: DeployContext, group: string): Promise<DeployStrategy | undefined> {
  const { group: g } = await ctx.aws.autoscaling.describeGroup(group);
  return readRecord(g)?.strategy;
}

/**
 * Finishes an interrupted or failed deploy from the record on the group, by
 * the strategy that wrote it. Without a record, `roll`'s take-over explains
 * there is nothing to resume.
 */
export async function resume(ctx: DeployContext, options: TakeOverOptions & ResumeGuardrailOptions): Promise<DeployResult> {
  // The deploy's guardrails, stored on the group with its record, plus the resume's own flags (issue 9).
  const withGuardrails = await withStoredGuardrails(ctx, options);
  return STRATEGIES[(await recordStrategy(ctx, options.group)) ?? 'roll'].resume(ctx, withGuardrails);
}

/** Undoes a deploy in progress or interrupted, by the strategy that wrote its record. */
export async function abort(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult> {
  // A deploy paused at a checkpoint whose runner is alive (lock held) rolls
  // back itself when asked (docs/guardrails.md, wiring 6): do not take over.
  const asked = await requestAbortOfPausedDeploy(ctx.aws.autoscaling, options.group, { by: ctx.owner, now: ctx.clock.now() });
  if (asked !== undefined) {
    ctx.emit({ t: ctx.clock.now(), deployId: asked.deployId, group: options.group, code: 'warning', message: `the deploy paused at the ${asked.percent ?? 0}% checkpoint was asked to abort: its runner rolls back at its next poll` });
    return { outcome: 'aborted', group: options.group, deployId: asked.deployId, seconds: 0, reason: `asked the paused deploy ${asked.deployId} to abort; its runner rolls it back` };
  }
  return STRATEGIES[(await recordStrategy(ctx, options.group)) ?? 'roll'].abort(ctx, options);
}

/** Kept for callers of the old dispatch: resumes any strategy's record (undefined when the group has none). */
export async function resumeStrategy(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult | undefined> {
  const s = await recordStrategy(ctx, options.group);
  return s ? STRATEGIES[s].resume(ctx, options) : undefined;
}

/** Kept for callers of the old dispatch: aborts any strategy's record (undefined when the group has none). */
export async function abortStrategy(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult | undefined> {
  const s = await recordStrategy(ctx, options.group);
  return s ? STRATEGIES[s].abort(ctx, options) : undefined;
}
