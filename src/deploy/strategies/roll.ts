/**
 * `roll`, `resume` and `abort`: the rolling deploy (deploys.md "Rolling",
 * invariants 1–6). The order of every run is: preflight → record and lock →
 * suspend only the processes that fight a deploy → raise MaxSize if the surge
 * needs it → pin the group to the target version → waves (converge.ts) →
 * restore → release. A failure rolls back through the same wave loop with the
 * versions swapped; `resume` and `abort` start that loop again from the record
 * on the group, on any machine.
 */
import {
  AsgDeployError,
  assertSurgeCanProgress,
  resolveFloor,
  isAsgDeployError,
  DEFAULT_MAX_SURGE,
  DEFAULT_MIN_HEALTHY,
  oldInstances,
  planRollingDeploy,
  zoneLoad,
  servingCount,
  type Amount,
  type RollingPlan,
  type TargetVersion,
} from '../../core/index.js';
import type { DeployContext } from '../engine/context.js';
import { asInterruption, converge, Interrupted, waitForFloor, waitForRetired, type ConvergeOutcome } from '../engine/wave-loop.js';
import { isTerminalPhase, newDeployId, type DeploymentRecord, type DeployPhase } from '../engine/record.js';
import { assertLockTakeable, DeployStore, readLock, readRecord, thisHost } from '../engine/store.js';
import { assertDeployable, checkVersionOptions, warmupAndTiming, resolveTarget } from '../engine/preflight.js';
import type { GuardrailOptions, GuardVerdict } from '../guardrail.js';
import { guardrailRun, type GuardrailRun } from '../guardrails/guardrail-run.js';
import { guardrailsForRecord } from '../guardrails/guardrails-for-record.js';
import { waveGuards } from '../engine/wave-guards.js';
import { runResult } from '../engine/run.js';
import { forGroup, guardrailSchedule } from '../engine/progress-eta.js';
import { z } from 'zod';
import { stateCodec } from '../engine/state-codec.js';
import type { RunMember } from '../engine/hand-over.js';
import { abortWith, resumeWith, runLeg, type Resumption, type Strategy } from '../engine/strategy.js';
import { DEFAULT_MAX_FAILED_LAUNCHES, DEFAULT_TIMEOUT_MS, FIGHTING_PROCESSES, type DeployOutcome, type DeployResult, type TakeOverOptions } from '../engine/types.js';

export interface RollOptions extends GuardrailOptions {
  group: string;
  /** Exactly one of templateVersion and image. */
  templateVersion?: number;
  image?: string;
  maxSurge?: Amount;
  minHealthy?: Amount;
  /** Default: 0 with target groups, else DefaultInstanceWarmup, else the grace period. */
  warmupMs?: number;
  /** Longest time without a new instance becoming ready. Default 20 minutes. */
  timeoutMs?: number;
  maxFailedLaunches?: number;
  /** Default true: roll back automatically when the new version fails. */
  rollback?: boolean;
  dryRun?: boolean;
}

interface Run {
  ctx: DeployContext;
  /** The one group, for the engine (hand-over, release). */
  members: readonly RunMember[];
  store: DeployStore;
  record: DeploymentRecord;
  started: number;
  lowestServing: number;
  rollbackAllowed: boolean;
  mixedInstancesPolicy: boolean;
  /** The deploy's guardrails (alarms, checkpoints, bake time, checks). */
  guards: GuardrailRun;
}

function targetOf(record: DeploymentRecord, version: string): TargetVersion {
  return { version: Number(version), launchTemplateId: record.templateId };
}

function emitDone(run: Run, outcome: 'succeeded' | 'rolled-back' | 'failed' | 'aborted', version: string, reason?: string): void {
  const now = run.ctx.clock.now();
  run.ctx.emit({
    t: now,
    deployId: run.record.id,
    group: run.store.groupName,
    code: 'done',
    outcome,
    seconds: Math.round((now - run.started) / 1000),
    version,
    lowestServing: Number.isFinite(run.lowestServing) ? run.lowestServing : 0,
    floor: run.record.settings.floor,
    reason,
  });
}

function result(run: Run, outcome: DeployOutcome, reason?: string): DeployResult {
  return runResult({ ...run, group: run.store.groupName }, outcome, reason);
}

async function setPhase(run: Run, phase: DeployPhase, reason?: string): Promise<void> {
  run.record.phase = phase;
  if (reason !== undefined) run.record.reason = reason;
  await run.store.write(run.record);
  run.ctx.emit({ t: run.ctx.clock.now(), deployId: run.record.id, group: run.store.groupName, code: 'record-written', phase });
}

/** Suspends the fighting processes and raises MaxSize for the surge. Idempotent (resume repeats it). */
async function prepareGroup(run: Run): Promise<void> {
  const { ctx, record } = run;
  const name = run.store.groupName;
  if (record.suspendedByUs.length > 0) {
    await ctx.aws.autoscaling.suspendProcesses(name, record.suspendedByUs);
    ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: name, code: 'processes-suspended', processes: record.suspendedByUs });
  }
  const { group } = await ctx.aws.autoscaling.describeGroup(name);
  const peak = record.original.desired + record.settings.surge;
  if (group.maxSize < peak) {
    await ctx.aws.autoscaling.updateGroup(name, { maxSize: peak });
    ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: name, code: 'max-size-raised', from: group.maxSize, to: peak });
  }
}

/** Points the group at a numeric version (invariant 6: the record holds the previous one already). */
async function pin(run: Run, version: string): Promise<void> {
  const ref = { id: run.record.templateId, version };
  await run.ctx.aws.autoscaling.updateGroup(run.store.groupName, run.mixedInstancesPolicy ? { mixedInstancesLaunchTemplate: ref } : { launchTemplate: ref });
  run.ctx.emit({ t: run.ctx.clock.now(), deployId: run.record.id, group: run.store.groupName, code: 'group-pinned', templateId: run.record.templateId, version });
}

async function convergeTo(run: Run, version: string, phase: string, maxFailedLaunches: number): Promise<ConvergeOutcome> {
  const s = run.record.settings;
  const guards = waveGuards(run.guards, version === run.record.toVersion ? 'forward' : 'back', run.store, run.record);
  const outcome = await converge(run.ctx, run.store, run.record, {
    target: targetOf(run.record, version),
    startDesired: run.record.original.desired,
    surge: s.surge,
    floor: s.floor,
    warmupMs: s.warmupSeconds * 1000,
    timeoutMs: s.timeoutSeconds * 1000,
    maxFailedLaunches,
    phase,
    plannedWaves: Math.ceil(run.record.original.desired / Math.max(1, s.surge + run.record.original.desired - s.floor)),
    ...(guards === undefined ? {} : { guards }),
    ...(version === run.record.toVersion ? { schedule: guardrailSchedule({ guardrails: run.guards.set.guardrails, bakeTimeMs: run.guards.bakeTimeMs }) } : {}),
  });
  run.lowestServing = Math.min(run.lowestServing, outcome.lowestServing);
  return outcome;
}

/** Drained old instances gone, MaxSize and processes restored, record closed, lock released. */
async function restoreAndFinish(run: Run, version: string, phase: 'done' | 'rolled-back' | 'aborted'): Promise<void> {
  const { ctx, record } = run;
  const name = run.store.groupName;
  await setPhase(run, phase === 'done' ? 'restoring' : 'rolling-back');
  await waitForRetired(ctx, name, targetOf(record, version), record.settings.timeoutSeconds * 1000);
  const { group } = await ctx.aws.autoscaling.describeGroup(name);
  if (group.maxSize !== record.original.max || group.minSize !== record.original.min || group.desiredCapacity !== record.original.desired) {
    await ctx.aws.autoscaling.updateGroup(name, { minSize: record.original.min, maxSize: record.original.max, desiredCapacity: record.original.desired });
  }
  if (record.suspendedByUs.length > 0) {
    // Processes resumed only once the fleet is back at the floor and settled (invariant 1 after the hand-back).
    await waitForFloor(ctx, name, record.settings.floor, record.settings.timeoutSeconds * 1000);
    await ctx.aws.autoscaling.resumeProcesses(name, record.suspendedByUs);
    ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: name, code: 'processes-resumed', processes: record.suspendedByUs });
  }
  ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: name, code: 'restored', min: record.original.min, max: record.original.max, desired: record.original.desired });
  record.phase = phase;
  await run.store.finish(record, { lowestServing: run.lowestServing });
  ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: name, code: 'unlocked' });
}

async function interrupted(run: Run): Promise<DeployResult> {
  const name = run.store.groupName;
  await run.store.release(run.record);
  run.ctx.emit({
    t: run.ctx.clock.now(),
    deployId: run.record.id,
    group: name,
    code: 'interrupted',
    phase: run.record.phase,
    resumeCommand: `asg-deploy resume ${name}`,
    abortCommand: `asg-deploy abort ${name}`,
  });
  return result(run, 'interrupted', 'interrupted at a safe point');
}

/** Rolls back to the record's previous version under the same floor. */
async function rollBack(run: Run, reason: string, outcome: 'rolled-back' | 'aborted'): Promise<DeployResult> {
  const { ctx, record } = run;
  await setPhase(run, 'rolling-back', reason);
  ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: run.store.groupName, code: 'rollback-started', reason, toVersion: record.fromVersion });
  await prepareGroup(run);
  await pin(run, record.fromVersion);
  const back = await convergeTo(run, record.fromVersion, 'rolling-back', Infinity);
  if (back.kind === 'interrupted') return interrupted(run);
  if (back.kind === 'failed') {
    const why = `${reason}; then the rollback failed: ${back.reason}`;
    await setPhase(run, 'failed', why);
    await run.store.release(record);
    emitDone(run, 'failed', record.fromVersion, why);
    return result(run, 'failed', why);
  }
  await restoreAndFinish(run, record.fromVersion, outcome);
  emitDone(run, outcome, record.fromVersion, reason);
  return result(run, outcome, reason);
}

/** A forward leg that failed: roll back, or with --no-rollback leave the group as it is. */
async function stopForward(run: Run, reason: string): Promise<DeployResult> {
  if (run.rollbackAllowed) return rollBack(run, reason, 'rolled-back');
  // --no-rollback: leave the group as it is (lowering desired now would let
  // the group terminate serving old instances), keep the record for resume/abort.
  await setPhase(run, 'failed', reason);
  await run.store.release(run.record);
  emitDone(run, 'failed', run.record.toVersion, reason);
  return result(run, 'failed', reason);
}

/** The checks of a hold (bake): every guardrail's watch, the new fleet's health (floor), the lock heartbeat. */
async function watchAll(run: Run): Promise<GuardVerdict> {
  const v = await run.guards.watch('forward');
  if (!v.ok) return v;
  await run.store.heartbeat(run.record);
  const fleet = await run.ctx.aws.snapshotFleet(run.store.groupName);
  const serving = servingCount(fleet);
  run.lowestServing = Math.min(run.lowestServing, serving);
  if (serving < run.record.settings.floor) {
    return { ok: false, code: 'floor', reason: `only ${serving} instance(s) of ${run.store.groupName} serve on version ${run.record.toVersion}, below the floor of ${run.record.settings.floor}` };
  }
  return { ok: true };
}

/** Ends the guardrails on every outcome but an interruption (a resume reads where it paused). */
async function endGuards(run: Run, out: DeployResult): Promise<DeployResult> {
  if (out.outcome !== 'interrupted') await run.guards.finish();
  return out;
}

/** Forward from wherever the group is: prepare, pin, waves, restore — or roll back on failure. */
async function driveForward(run: Run): Promise<DeployResult> {
  const { record } = run;
  try {
    await setPhase(run, 'suspended');
    await prepareGroup(run);
    await setPhase(run, 'pinned');
    await pin(run, record.toVersion);
    await setPhase(run, 'rolling');
    const forward = await convergeTo(run, record.toVersion, 'rolling', record.settings.maxFailedLaunches);
    if (forward.kind === 'interrupted') return await interrupted(run);
    if (forward.kind === 'failed' && forward.abortRequested) return await rollBack(run, forward.reason, 'aborted');
    if (forward.kind === 'failed') return await stopForward(run, forward.reason);
    if (run.guards.bakeTimeMs > 0) {
      // Bake (wiring 7): keep watching after the last replacement; the phase lets a resume bake again.
      await setPhase(run, 'baking');
      const baked = await asInterruption(run.ctx, () => run.guards.bake(() => watchAll(run)));
      if (baked?.kind === 'stopped') return await stopForward(run, `${baked.verdict.reason} (during the bake time, ${Math.round(baked.afterMs / 1000)}s after the last replacement)`);
    }
    await restoreAndFinish(run, record.toVersion, 'done');
    emitDone(run, 'succeeded', record.toVersion);
    return result(run, 'succeeded');
  } catch (e) {
    if (e instanceof Interrupted) return interrupted(run);
    throw e;
  }
}

function resolveOptions(options: RollOptions) {
  checkVersionOptions('roll', options);
  return {
    maxSurge: options.maxSurge ?? DEFAULT_MAX_SURGE,
    minHealthy: options.minHealthy ?? DEFAULT_MIN_HEALTHY,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxFailedLaunches: options.maxFailedLaunches ?? DEFAULT_MAX_FAILED_LAUNCHES,
  };
}

/**
 * A rolling deploy of `options.group` to a launch template version.
 *
 * ```ts
 * const result = await roll(ctx, { group: 'web', image: 'ami-0123456789abcdef0' });
 * if (result.outcome === 'rolled-back') …
 * ```
 */
export async function roll(ctx: DeployContext, options: RollOptions): Promise<DeployResult> {
  const started = ctx.clock.now();
  const settings = resolveOptions(options);
  const name = options.group;
  const { group } = await ctx.aws.autoscaling.describeGroup(name);
  await assertDeployable(ctx, group);
  // Before anything is created: a plan that can never progress is refused.
  assertSurgeCanProgress(settings.maxSurge, resolveFloor(settings.minHealthy, group.desiredCapacity), group.desiredCapacity);
  const { current, target, wouldCreate, toVersion } = await resolveTarget(ctx, group, group, options);

  const fleet = await ctx.aws.snapshotFleet(name);
  const targetVersion: TargetVersion = { version: target.version, launchTemplateId: target.templateId };
  const old = wouldCreate ? fleet.instances.filter((i) => !['Terminating', 'Terminated'].includes(i.lifecycleState)) : oldInstances(fleet, targetVersion);
  const pinned = group.launchTemplate?.version === String(target.version) && (group.launchTemplate?.id ?? target.templateId) === target.templateId;

  const { warmupMs, timing } = await warmupAndTiming(ctx, group, options.warmupMs);
  if (resolveFloor(settings.minHealthy, group.desiredCapacity) === 0 && group.desiredCapacity > 0) {
    ctx.emit({ t: ctx.clock.now(), group: name, code: 'warning', message: `--min-healthy 0: serving on ${name} may reach zero during the deploy` });
  }
  const plan = planRollingDeploy({ desired: group.desiredCapacity, maxSize: group.maxSize, oldCount: old.length, maxSurge: settings.maxSurge, minHealthy: settings.minHealthy, timing, schedule: guardrailSchedule(options)(), zones: zoneLoad(fleet, old) });
  ctx.emit({
    t: ctx.clock.now(),
    group: name,
    code: 'plan',
    strategy: 'roll',
    fromVersion: String(current.version),
    toVersion,
    templateId: target.templateId,
    desired: plan.desired,
    floor: plan.floor,
    surge: plan.surge,
    waves: plan.expectedWaves ?? plan.waveCount,
    expectedSeconds: Math.round((plan.expectedDurationMs ?? 0) / 1000),
    ...(plan.expectedUnknownBecause === undefined ? {} : { expectedNote: `not counting the pause: ${forGroup(plan.expectedUnknownBecause, name)}` }),
    replace: old.length,
    maxSizeNeeded: plan.maxSize.required,
  });
  const base: DeployResult = { outcome: 'planned', group: name, fromVersion: String(current.version), toVersion, seconds: 0, floor: plan.floor, plan };
  // Preflight (wiring 1, also for --dry-run): before the record and the lock; a throw is exit 2.
  const deployId = newDeployId(ctx.clock.now());
  const guards = guardrailRun(ctx, { group: name, deployId, targetVersion: String(target.version) }, options);
  await guards.preflight();
  if (old.length === 0 && pinned) {
    ctx.emit({ t: ctx.clock.now(), group: name, code: 'nothing-to-do', reason: `every instance of ${name} already runs version ${target.version}` });
    return { ...base, outcome: 'nothing-to-do' };
  }
  if (options.dryRun) return base;
  if (old.length === 0 || group.desiredCapacity === 0) {
    // Nothing to replace: pointing the group at the version is the whole deploy.
    await ctx.aws.autoscaling.updateGroup(name, group.mixedInstancesPolicy ? { mixedInstancesLaunchTemplate: { id: target.templateId, version: String(target.version) } } : { launchTemplate: { id: target.templateId, version: String(target.version) } });
    ctx.emit({ t: ctx.clock.now(), group: name, code: 'group-pinned', templateId: target.templateId, version: String(target.version) });
    return { ...base, outcome: 'succeeded', seconds: Math.round((ctx.clock.now() - started) / 1000) };
  }

  // Ready means stays ready (issue 8): a new instance counts only after it has
  // passed its health checks and kept serving for a stability window — the
  // target group's HealthyThresholdCount × HealthCheckIntervalSeconds, at
  // least the warmup (ELBv2 "Health checks for your target groups": a target
  // turns healthy after HealthyThresholdCount consecutive passing checks).
  const readyWindowMs = Math.max(warmupMs, timing.healthCheckMs);
  // Never retire below min(floor, what served at the start): a degraded fleet
  // still deploys (a hotfix must not be refused) without losing what serves.
  const servingAtStart = servingCount(fleet);
  const floor = Math.min(plan.floor, servingAtStart);
  if (floor < plan.floor) {
    ctx.emit({ t: ctx.clock.now(), group: name, code: 'warning', message: `only ${servingAtStart} instance(s) of ${name} serve now, below the floor of ${plan.floor}: the deploy holds ${floor} serving (what serves now) and never retires below it` });
  }
  const now = ctx.clock.now();
  const record: DeploymentRecord = {
    id: deployId,
    strategy: 'roll',
    phase: 'preparing',
    startedAt: now,
    updatedAt: now,
    templateId: target.templateId,
    fromVersion: String(current.version),
    toVersion: String(target.version),
    original: { min: group.minSize, max: group.maxSize, desired: group.desiredCapacity },
    suspendedByUs: FIGHTING_PROCESSES.filter((p) => !group.suspendedProcesses.includes(p)),
    settings: {
      surge: plan.surge,
      floor,
      warmupSeconds: Math.round(readyWindowMs / 1000),
      maxFailedLaunches: settings.maxFailedLaunches,
      timeoutSeconds: Math.round(settings.timeoutMs / 1000),
    },
    ...guardrailsForRecord(options), // the guardrails go on the group with the record (issue 9)
  };
  const store = new DeployStore(ctx.aws.autoscaling, ctx.clock, name, ctx.owner, ctx.holder);
  await store.acquire(record, async () => (await ctx.aws.autoscaling.describeGroup(name)).group);
  ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: name, code: 'locked', lockOwner: ctx.owner });
  const run: Run = { ctx, members: [{ name, store, record }], store, record, started, lowestServing: Infinity, rollbackAllowed: options.rollback !== false, mixedInstancesPolicy: group.mixedInstancesPolicy, guards };
  const out = await runLeg(rollStrategy, run, () => driveForward(run));
  return { ...out, plan };
}

/** Loads the unfinished record of a group and takes its lock for resume/abort. */
async function takeOver(ctx: DeployContext, options: TakeOverOptions, verb: 'resume' | 'abort'): Promise<Run> {
  const name = options.group;
  const { group } = await ctx.aws.autoscaling.describeGroup(name);
  const record = readRecord(group);
  if (!record || (isTerminalPhase(record.phase) && record.phase !== 'failed')) {
    throw new AsgDeployError('BAD_INPUT', `group ${name} has no unfinished deploy to ${verb}`, {
      hint: `\`asg-deploy status ${name}\` shows the group and its last deploy`,
    });
  }
  const lock = readLock(group);
  if (assertLockTakeable(name, record, lock, ctx.clock.now(), options.force, thisHost(ctx.holder)) === 'holder-gone') {
    ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: name, code: 'warning', message: `taking over the lock of ${lock!.owner}: that process no longer runs on this machine` });
  }
  const guards = guardrailRun(ctx, { group: name, deployId: record.id, targetVersion: record.toVersion }, options);
  // Preflight on resume too, before the lock: the checkpoint guardrail reads which checkpoints this deploy passed.
  if (verb === 'resume' && record.phase !== 'rolling-back') await guards.preflight();
  const store = new DeployStore(ctx.aws.autoscaling, ctx.clock, name, ctx.owner, ctx.holder);
  await store.acquire(record, async () => (await ctx.aws.autoscaling.describeGroup(name)).group);
  ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: name, code: 'locked', lockOwner: ctx.owner });
  return { ctx, members: [{ name, store, record }], store, record, started: ctx.clock.now(), lowestServing: Infinity, rollbackAllowed: options.rollback !== false, mixedInstancesPolicy: group.mixedInstancesPolicy, guards };
}

/** Roll keeps no state beyond its record: the record's phase is its step. */
const rollState = stateCodec('roll', z.object({}));

/**
 * The rolling deploy as a plug-in of the engine: forward = suspend, pin, the
 * waves, bake, restore (from the record's phase); back = pin the previous
 * version and the same wave loop under the same floor.
 */
export const rollStrategy = {
  name: 'roll',
  state: rollState,
  steps: ['preparing', 'suspended', 'pinned', 'rolling', 'baking', 'restoring'],
  backSteps: ['rolling-back'],
  plan: (ctx, options) => roll(ctx, { ...options, dryRun: true }),
  start: roll,
  takeOver: (ctx, options, verb) => takeOver(ctx, options, verb),
  // A rollback in progress is finished as a rollback.
  resumeAt: async (run): Promise<Resumption> => (run.record.phase === 'rolling-back' ? { way: 'back', reason: run.record.reason ?? 'resumed rollback', outcome: 'rolled-back' } : { way: 'forward' }),
  assertCanGoBack: () => undefined,
  forward: driveForward,
  back: (run, reason, outcome) => rollBack(run, reason, outcome),
  interrupted,
  commands: (run) => ({ resume: `asg-deploy resume ${run.store.groupName}`, abort: `asg-deploy abort ${run.store.groupName}` }),
  end: endGuards,
} satisfies Strategy<z.output<typeof rollState>, RollOptions, Run>;

/** Finishes an interrupted or failed deploy from its record (a rollback in progress is finished as a rollback). */
export function resumeRoll(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult> {
  return resumeWith(rollStrategy, ctx, options);
}

/** Undoes a deploy in progress or interrupted: back to the previous version under the floor, sizes and processes restored. */
export function abortRoll(ctx: DeployContext, options: TakeOverOptions): Promise<DeployResult> {
  return abortWith(rollStrategy, ctx, options);
}
