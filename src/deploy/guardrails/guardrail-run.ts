/**
 * Everything the engine does with a deploy's guardrails, as one object per
 * run, so wiring them into a strategy is one call at each point of
 * docs/guardrails.md "What the engine does with them": built from the
 * engine's DeployContext, the group, the deploy id and the target version.
 *
 * @example
 *   const guards = guardrailRun(ctx, { group, deployId: record.id, targetVersion: record.toVersion }, options);
 *   await guards.preflight();                                   // before record and lock
 *   const v = await guards.watch('forward');                    // every poll
 *   const admitted = await guards.admit(candidateInstance(i, record.toVersion));
 *   const cap = guards.stepLimit({ onTarget, total });          // cap the next wave
 *   const held = await guards.afterStep({ onTarget, total }, watchAll);   // checkpoint pause, if any
 *   const baked = await guards.bake(watchAll);                  // --bake-time, if any
 *   await guards.finish();                                      // every outcome
 */
import type { DeployContext } from '../engine/context.js';
import type { CandidateInstance, DeployProgress, GuardContext, GuardVerdict, GuardrailOptions } from '../guardrail.js';
import { GuardrailSet } from './guardrail-set.js';
import { holdAtCheckpoint, holdForBake, type BakeOutcome, type HoldOutcome } from './hold.js';
import { clearGuardrailTags } from './pause-tags.js';
import { readRecord } from '../engine/store.js';

export interface GuardrailRunTarget {
  group: string;
  deployId: string;
  targetVersion: string;
}

export interface GuardrailRun {
  readonly set: GuardrailSet;
  readonly bakeTimeMs: number;
  /** True when there is nothing to do (no guardrail, no bake time): the engine may skip every call. */
  readonly empty: boolean;
  context(direction?: 'forward' | 'back'): GuardContext;
  preflight(): Promise<void>;
  watch(direction?: 'forward' | 'back'): Promise<GuardVerdict>;
  admit(instance: CandidateInstance): Promise<GuardVerdict>;
  stepLimit(progress: DeployProgress): number | undefined;
  /** After a forward step: the checkpoint pause if one is reached (undefined: go on at once). */
  afterStep(progress: DeployProgress, watchAll: () => Promise<GuardVerdict>): Promise<HoldOutcome | undefined>;
  /** The bake time, if any (undefined: none). */
  bake(watchAll: () => Promise<GuardVerdict>): Promise<BakeOutcome | undefined>;
  /** Removes the pause, signal and bake tags (call at every end). */
  finish(): Promise<void>;
}

export function guardrailRun(ctx: DeployContext, target: GuardrailRunTarget, options: GuardrailOptions = {}): GuardrailRun {
  const set = new GuardrailSet(options.guardrails ?? []);
  const bakeTimeMs = options.bakeTimeMs ?? 0;
  const context = (direction: 'forward' | 'back' = 'forward'): GuardContext => ({
    aws: ctx.aws,
    clock: ctx.clock,
    emit: ctx.emit,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    group: target.group,
    deployId: target.deployId,
    targetVersion: target.targetVersion,
    direction,
  });
  const pollMs = ctx.pollIntervalMs;
  return {
    set,
    bakeTimeMs,
    empty: set.empty && bakeTimeMs <= 0,
    context,
    preflight: () => set.preflight(context()),
    watch: (direction = 'forward') => set.watch(context(direction)),
    admit: (instance) => set.admit(context(), instance),
    stepLimit: (progress) => set.stepLimit(progress),
    async afterStep(progress, watchAll) {
      const gctx = context();
      const request = set.pauseAfter(gctx, progress);
      if (request === undefined) return undefined;
      return holdAtCheckpoint(gctx, { request, watch: watchAll, ...(pollMs === undefined ? {} : { pollMs }) });
    },
    async bake(watchAll) {
      if (bakeTimeMs <= 0) return undefined;
      return holdForBake(context(), { ms: bakeTimeMs, watch: watchAll, ...(pollMs === undefined ? {} : { pollMs }) });
    },
    async finish() {
      const { group } = await ctx.aws.autoscaling.describeGroup(target.group);
      // The stored settings stay only with a failure left for `resume` (--no-rollback, or a failed rollback). A
      // blue/green deploy awaiting finish or rollback keeps its record, but nothing watches any more: they go.
      let record: ReturnType<typeof readRecord>;
      try {
        record = readRecord(group);
      } catch {
        record = undefined;
      }
      const keepSettings = record !== undefined && record.id === target.deployId && record.phase === 'failed';
      await clearGuardrailTags(ctx.aws.autoscaling, group, { keepSettings });
    },
  };
}
