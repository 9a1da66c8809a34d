/**
 * `swap`: put instances the user prepared into a group in place of its old
 * ones (deploys.md "Swap prepared instances", seed 000 without its outage).
 *
 * Order: preflight (each instance running, in one of the group's AZs, in no
 * group; no more than the group's desired capacity) → record and lock →
 * suspend Launch, Terminate, AZRebalance, AlarmNotification, ScheduledActions
 * and ReplaceUnhealthy, so the group cannot fight back → raise MaxSize for the
 * extra instances → attach (20 per call) → wait until every one is ready →
 * retire as many old instances, AZ-balanced, only while serving stays above
 * the floor: terminate (or detach, `--keep-old`) with the decrement → wait
 * until they are gone → restore the sizes → resume exactly what was
 * suspended. The seed's "terminate all, set min 0, attach" is never used:
 * capacity only ever grows before it shrinks back.
 *
 * Undo (abort, or an attached instance that never gets healthy) detaches the
 * prepared instances again (they keep running) as long as no old instance has
 * been retired; after that only `resume` can finish the swap.
 */
import {
  AsgDeployError,
  chooseInstancesToRetire,
  DEFAULT_MIN_HEALTHY,
  isLaunchingOrServing,
  isLeaving,
  isPending,
  isServing,
  instancesPerZone,
  zoneSpread,
  resolveFloor,
  servingCount,
  type Amount,
  type Fleet,
  type Group,
  type Instance,
} from '../../core/index.js';
import type { DeployContext } from '../engine/context.js';
import { Interrupted, pause } from '../engine/wave-loop.js';
import { pollUntil, waitUntilReady } from '../engine/readiness-wait.js';
import { newDeployId, type DeploymentRecord, type DeployPhase } from '../engine/record.js';
import { DEFAULT_TIMEOUT_MS, type DeployResult } from '../engine/types.js';
import {
  acquireAll,
  emit,
  emitDone,
  failedResult,
  finishAll,
  interruptedResult,
  linkMembers,
  newMember,
  recordForTakeOver,
  releaseAll,
  resultOf,
  setPhase,
  type Member,
  type StrategyRun,
} from '../engine/run.js';
import { thisHost } from '../engine/store.js';
import type { GuardrailOptions } from '../guardrail.js';
import { guardrailRun, type GuardrailRun } from '../guardrails/guardrail-run.js';
import { guardrailsForRecord } from '../guardrails/guardrails-for-record.js';
import { readyGuards, refuseCheckpoints } from '../engine/wave-guards.js';
import { assertDeployable, warmupAndTiming, launchToReadyMs } from '../engine/preflight.js';
import { MAX_RECORDED_IDS, readIds, writeStateAndIds } from '../engine/state.js';
import { flag01, stateCodec } from '../engine/state-codec.js';
import { abortWith, resumeWith, runLeg, type Resumption, type Strategy } from '../engine/strategy.js';
import type { TakeOverOptions } from '../engine/types.js';
import { z } from 'zod';

/** What a swap suspends (deploys.md "Swap"): everything that would launch, terminate or rebalance behind its back. */
export const SWAP_PROCESSES = ['Launch', 'Terminate', 'AZRebalance', 'AlarmNotification', 'ScheduledActions', 'ReplaceUnhealthy'] as const;

/** The EC2 tag Auto Scaling puts on its instances. */
const GROUP_NAME_TAG = 'aws:autoscaling:groupName';

export interface SwapOptions extends GuardrailOptions {
  group: string;
  /** The prepared instances (running, in the group's AZs, in no group). */
  instances: readonly string[];
  /** Detach the old instances (they keep running) instead of terminating them. */
  keepOld?: boolean;
  minHealthy?: Amount;
  warmupMs?: number;
  /** Longest wait for the prepared instances to become ready. Default 20 minutes. */
  timeoutMs?: number;
  /** Default true: when a prepared instance never becomes ready, detach them all again. */
  rollback?: boolean;
  dryRun?: boolean;
}

export interface SwapTakeOverOptions extends GuardrailOptions {
  group: string;
  force?: boolean;
}

export type SwapResult = DeployResult & {
  attached?: string[];
  /** Old instances terminated (or detached with keepOld). */
  retired?: string[];
};

const STEPS = ['prepare', 'suspend', 'attach', 'retire', 'restore', 'back'] as const;
type SwapStep = (typeof STEPS)[number];
/** The swap's state tag: its step, and whether old instances are detached (`keep=1`, --keep-old) rather than terminated. */
const SwapState = z.object({ step: z.enum(STEPS), keep: flag01 });
type SwapState = z.output<typeof SwapState>;
const swapState = stateCodec('swap', SwapState);
const PHASE_OF: Record<SwapStep, DeployPhase> = { prepare: 'preparing', suspend: 'suspended', attach: 'rolling', retire: 'rolling', restore: 'restoring', back: 'rolling-back' };

interface SwapRun extends StrategyRun<SwapState> {
  m: Member<SwapState>;
  ids: string[];
  keepOld: boolean;
  rollbackAllowed: boolean;
  retired: string[];
  /** The deploy's guardrails (alarms, checks) while the attached instances come up. */
  guards?: GuardrailRun;
}

const commandsFor = (group: string) => ({ resume: `asg-deploy resume ${group}`, abort: `asg-deploy abort ${group}` });

function stepOf(run: SwapRun): SwapStep {
  return run.m.state.step;
}

async function setStep(run: SwapRun, s: SwapStep, reason?: string): Promise<void> {
  await setPhase(run, PHASE_OF[s], s, reason);
}

function swapResult(run: SwapRun, result: DeployResult): SwapResult {
  return { ...result, attached: run.ids, retired: run.retired };
}

/** Refuses instances that cannot be attached, naming each and why (E-9's rules, checked before anything changes); returns their AZs. */
async function checkInstances(ctx: DeployContext, group: Group, ids: readonly string[]): Promise<Map<string, string>> {
  const described = new Map((await ctx.aws.ec2.describeInstances(ids)).map((i) => [i.InstanceId!, i]));
  const problems: string[] = [];
  for (const id of ids) {
    const i = described.get(id);
    if (!i) {
      problems.push(`${id} does not exist`);
      continue;
    }
    const state = i.State?.Name ?? 'unknown';
    if (state !== 'running') problems.push(`${id} is ${state}, not running`);
    const az = i.Placement?.AvailabilityZone;
    if (az && !group.availabilityZones.includes(az)) problems.push(`${id} is in ${az}, which ${group.name} does not use (${group.availabilityZones.join(', ')})`);
    const owner = i.Tags?.find((t) => t.Key === GROUP_NAME_TAG)?.Value;
    if (owner) problems.push(`${id} already belongs to group ${owner}`);
  }
  if (problems.length > 0) {
    throw new AsgDeployError('BAD_INPUT', `cannot swap these instances into ${group.name}: ${problems.join('; ')}`, {
      hint: `prepared instances must be running, in ${group.availabilityZones.join(' or ')}, and in no Auto Scaling group; nothing was changed`,
      details: { problems },
    });
  }
  return new Map(ids.map((id) => [id, described.get(id)!.Placement?.AvailabilityZone ?? '?']));
}

/**
 * How uneven the group's AZs will be after the swap (max − min instances per
 * AZ), retiring old instances the way the swap will. Above 1, AZRebalance
 * moves instances once it runs again, launching and terminating on its own.
 */
function spreadAfterSwap(fleet: Fleet, zones: ReadonlyMap<string, string>): number {
  const attached: Instance[] = [...zones].map(([id, az]) => ({ id, availabilityZone: az, lifecycleState: 'InService', healthStatus: 'Healthy', protectedFromScaleIn: false }));
  const old = fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState));
  const during: Fleet = { ...fleet, instances: [...old, ...attached] };
  const retired = new Set(chooseInstancesToRetire(during, old, attached.length).map((i) => i.id));
  return zoneSpread(instancesPerZone({ ...fleet, instances: during.instances.filter((i) => !retired.has(i.id)) }));
}

// ---------------------------------------------------------------------------
// Forward

async function suspendAndMakeRoom(run: SwapRun): Promise<void> {
  const { ctx, m } = run;
  if (m.record.suspendedByUs.length > 0) {
    await ctx.aws.autoscaling.suspendProcesses(m.name, m.record.suspendedByUs);
    emit(run, m, { code: 'processes-suspended', processes: m.record.suspendedByUs });
  }
  const { group } = await ctx.aws.autoscaling.describeGroup(m.name);
  const peak = m.record.original.desired + m.record.settings.surge;
  if (group.maxSize < peak) {
    await ctx.aws.autoscaling.updateGroup(m.name, { maxSize: peak });
    emit(run, m, { code: 'max-size-raised', from: group.maxSize, to: peak });
  }
}

async function attach(run: SwapRun): Promise<void> {
  const { ctx, m } = run;
  const { group, instances } = await ctx.aws.autoscaling.describeGroup(m.name);
  const members = new Set(instances.map((i) => i.id));
  const missing = run.ids.filter((id) => !members.has(id));
  if (missing.length === 0) return;
  await ctx.aws.autoscaling.attachInstances(m.name, missing);
  emit(run, m, { code: 'instances-attached', instanceIds: missing, desired: group.desiredCapacity + missing.length });
}

/** How the retirement ended: done, timed out, or an attached instance stopped serving after it was counted ready. */
type RetireOutcome = { kind: 'done' } | { kind: 'timeout' } | { kind: 'lost'; reason: string; retiredSoFar: number };

/**
 * Retires old instances, AZ-balanced, until k of them are gone (issue 8,
 * "never retire below the floor"): old instances that serve nobody go first;
 * a serving one only when what serves stays at or above the floor after it
 * goes, judged on a fresh snapshot taken just before each terminate (or
 * detach) call — one serving instance per snapshot. An attached instance that
 * stops serving after it was counted ready is a failed launch and stops the
 * retirement ("ready means stays ready").
 */
async function retireOld(run: SwapRun): Promise<RetireOutcome> {
  const { ctx, m } = run;
  const newIds = new Set(run.ids);
  const keep = m.record.original.desired - run.ids.length;
  const floor = m.record.settings.floor;
  let lastProgress = ctx.clock.now();
  for (;;) {
    if (ctx.signal?.aborted) throw new Interrupted('interrupted');
    const fleet = await ctx.aws.snapshotFleet(m.name);
    const serving = servingCount(fleet);
    run.lowestServing = Math.min(run.lowestServing, serving);
    const old = fleet.instances.filter((i) => !newIds.has(i.id) && isLaunchingOrServing(i.lifecycleState));
    const toRetire = old.length - keep;
    const failedAttached = fleet.instances.filter((i) => newIds.has(i.id) && !isServing(i, fleet));
    if (failedAttached.length > 0) {
      const i = failedAttached[0]!;
      const reason = `attached instance ${i.id} stopped serving after it was counted ready (${i.lifecycleState}, ${i.healthStatus})`;
      emit(run, m, { code: 'instance-failed', instanceId: i.id, reason, failedLaunches: failedAttached.length, maxFailedLaunches: m.record.settings.maxFailedLaunches });
      return { kind: 'lost', reason, retiredSoFar: m.record.original.desired - old.length };
    }
    if (toRetire <= 0) return { kind: 'done' };
    // Old instances that serve nobody go first; a serving one only while serving stays at or above the floor after it goes.
    const idle = old.filter((i) => !isServing(i, fleet));
    const busy = old.filter((i) => isServing(i, fleet));
    const retireIdle = chooseInstancesToRetire(fleet, idle, Math.min(toRetire, idle.length));
    const spare = Math.min(1, Math.max(0, serving - floor));
    const batch = retireIdle.length > 0 ? retireIdle : chooseInstancesToRetire(fleet, busy, Math.min(toRetire, spare));
    if (batch.length > 0) {
      for (const i of batch) emit(run, m, { code: 'instance-retiring', instanceId: i.id, version: i.launchTemplate?.version ?? '?', az: i.availabilityZone });
      if (run.keepOld) {
        const ids = batch.map((i) => i.id);
        await ctx.aws.autoscaling.detachInstances(m.name, ids, true);
        emit(run, m, { code: 'instances-detached', instanceIds: ids, desired: fleet.group.desiredCapacity - ids.length });
      } else {
        for (const i of batch) await ctx.aws.autoscaling.terminateInstance(i.id, true);
      }
      run.retired.push(...batch.map((i) => i.id));
      lastProgress = ctx.clock.now();
      continue;
    }
    if (ctx.clock.now() - lastProgress > m.record.settings.timeoutSeconds * 1000) return { kind: 'timeout' };
    await m.store.heartbeat(m.record);
    await pause(ctx, ctx.pollIntervalMs ?? 5000);
  }
}

async function restore(run: SwapRun): Promise<void> {
  const { ctx, m } = run;
  await pollUntil(ctx, m.store, m.record, async () => !(await ctx.aws.autoscaling.describeGroup(m.name)).instances.some((i) => isLeaving(i.lifecycleState)), m.record.settings.timeoutSeconds * 1000);
  const { group } = await ctx.aws.autoscaling.describeGroup(m.name);
  const o = m.record.original;
  if (group.minSize !== o.min || group.maxSize !== o.max || group.desiredCapacity !== o.desired) {
    await ctx.aws.autoscaling.updateGroup(m.name, { minSize: o.min, maxSize: Math.max(o.max, o.desired), desiredCapacity: o.desired });
  }
  const toResume = m.record.suspendedByUs.filter((p) => group.suspendedProcesses.includes(p));
  if (toResume.length > 0) {
    await ctx.aws.autoscaling.resumeProcesses(m.name, toResume);
    emit(run, m, { code: 'processes-resumed', processes: toResume });
  }
  emit(run, m, { code: 'restored', min: o.min, max: o.max, desired: o.desired });
}

async function driveForward(run: SwapRun): Promise<SwapResult> {
  const { ctx, m } = run;
  try {
    const at = stepOf(run);
    if (STEPS.indexOf(at) < STEPS.indexOf('retire')) {
      await setStep(run, 'suspend');
      await suspendAndMakeRoom(run);
      await setStep(run, 'attach');
      await attach(run);
      const ids = new Set(run.ids);
      const ready = await waitUntilReady(ctx, m.store, m.record, {
        groups: [m.name],
        isNew: (i) => ids.has(i.id),
        want: () => ids.size,
        warmupMs: m.record.settings.warmupSeconds * 1000,
        timeoutMs: m.record.settings.timeoutSeconds * 1000,
        // A prepared instance that fails its checks is not replaced (ReplaceUnhealthy is suspended): the swap cannot finish.
        maxFailedLaunches: m.record.settings.maxFailedLaunches,
        phase: 'swap',
        version: 'prepared',
        floor: m.record.settings.floor,
        startDesired: m.record.original.desired,
        // Watch, and admit each attached instance before any old one is retired (docs/guardrails.md "Per strategy").
        ...(run.guards === undefined || readyGuards(run.guards, m.record, false) === undefined ? {} : { guards: readyGuards(run.guards, m.record, false)! }),
        via: 'attach',
      });
      run.lowestServing = Math.min(run.lowestServing, ready.lowestServing);
      if (ready.kind === 'interrupted') return swapResult(run, await interruptedResult(run, commandsFor(m.name)));
      if (ready.kind === 'failed') {
        if (run.rollbackAllowed) return await goBack(run, ready.reason, 'rolled-back');
        return swapResult(run, await failedResult(run, m.record.toVersion, ready.reason));
      }
    }
    if (stepOf(run) !== 'restore') {
      // A resume at this step suspends again what the swap needs held (a hand-over resumed the fighting processes).
      if (stepOf(run) === 'retire') await suspendAndMakeRoom(run);
      await setStep(run, 'retire');
      const retired = await retireOld(run);
      if (retired.kind === 'timeout') {
        return swapResult(run, await failedResult(run, m.record.toVersion, `serving never rose above the floor ${m.record.settings.floor} to let the old instances go (--timeout)`));
      }
      if (retired.kind === 'lost') {
        // Nothing retired yet: the prepared instances can still leave again; after that only resume/abort by hand.
        if (retired.retiredSoFar === 0 && run.rollbackAllowed) return await goBack(run, retired.reason, 'rolled-back');
        return swapResult(run, await failedResult(run, m.record.toVersion, retired.reason));
      }
    }
    await setStep(run, 'restore');
    await restore(run);
    // No false success (issue 8): the swap succeeded only if every prepared instance still serves and serving holds the floor.
    const end = await ctx.aws.snapshotFleet(m.name);
    const serving = servingCount(end);
    run.lowestServing = Math.min(run.lowestServing, serving);
    const down = run.ids.filter((id) => {
      const i = end.instances.find((x) => x.id === id);
      return !i || !isServing(i, end);
    });
    if (down.length > 0 || serving < m.record.settings.floor) {
      const why = `${down.length > 0 ? `${down.length} of the ${run.ids.length} prepared instance(s) stopped serving after they were counted ready (${down.join(', ')})` : 'serving fell'}; ${serving} serve, floor ${m.record.settings.floor}`;
      return swapResult(run, await failedResult(run, m.record.toVersion, why));
    }
    await finishAll(run, 'done');
    emitDone(run, 'succeeded', m.record.toVersion, undefined, `swapped ${run.ids.length} prepared instance(s) into ${m.name} in place of as many old ones`);
    return swapResult(run, resultOf(run, 'succeeded'));
  } catch (e) {
    if (e instanceof Interrupted) return swapResult(run, await interruptedResult(run, commandsFor(m.name)));
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Back: detach the prepared instances again

async function goBack(run: SwapRun, reason: string, outcome: 'rolled-back' | 'aborted'): Promise<SwapResult> {
  const { ctx, m } = run;
  try {
    await setStep(run, 'back', reason);
    emit(run, m, { code: 'rollback-started', reason, toVersion: m.record.fromVersion });
    const timeoutMs = m.record.settings.timeoutSeconds * 1000;
    const ids = new Set(run.ids);
    // Detach takes InService or Standby instances only: let attached ones finish entering service first.
    await pollUntil(ctx, m.store, m.record, async () => !(await ctx.aws.autoscaling.describeGroup(m.name)).instances.some((i) => ids.has(i.id) && isPending(i.lifecycleState)), timeoutMs);
    const { group, instances } = await ctx.aws.autoscaling.describeGroup(m.name);
    const attached = instances.filter((i) => ids.has(i.id) && (i.lifecycleState === 'InService' || i.lifecycleState === 'Standby')).map((i) => i.id);
    if (attached.length > 0) {
      await ctx.aws.autoscaling.detachInstances(m.name, attached, true);
      emit(run, m, { code: 'instances-detached', instanceIds: attached, desired: group.desiredCapacity - attached.length });
    }
    await restore(run);
    await finishAll(run, outcome, reason);
    emitDone(run, outcome, m.record.fromVersion, reason);
    return swapResult(run, resultOf(run, outcome, reason));
  } catch (e) {
    if (e instanceof Interrupted) return swapResult(run, await interruptedResult(run, commandsFor(m.name)));
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Entry points

/**
 * Swaps prepared instances into a group in place of as many old ones.
 *
 * ```ts
 * const result = await swap(ctx, { group: 'web', instances: ['i-0abc…', 'i-0def…'] });
 * ```
 */
export async function swap(ctx: DeployContext, options: SwapOptions): Promise<SwapResult> {
  const started = ctx.clock.now();
  const ids = [...new Set(options.instances.map((id) => id.trim()).filter(Boolean))];
  if (ids.length === 0) throw new AsgDeployError('BAD_INPUT', 'swap needs --instances ID,ID…', { hint: 'e.g. `asg-deploy swap web --instances i-0123456789abcdef0,i-0fedcba9876543210`' });
  const bad = ids.filter((id) => !/^i-[0-9a-f]{8,17}$/.test(id));
  if (bad.length > 0) throw new AsgDeployError('BAD_INPUT', `invalid instance id(s) ${bad.map((b) => JSON.stringify(b)).join(', ')}: expected ids like i-0123456789abcdef0`);
  if (ids.length > MAX_RECORDED_IDS) throw new AsgDeployError('BAD_INPUT', `swap takes at most ${MAX_RECORDED_IDS} instances at once, got ${ids.length}`, { hint: 'swap them in several runs' });
  const name = options.group;
  const { group, instances } = await ctx.aws.autoscaling.describeGroup(name);
  await assertDeployable(ctx, group);
  const inGroup = ids.filter((id) => instances.some((i) => i.id === id));
  if (inGroup.length > 0) throw new AsgDeployError('BAD_INPUT', `${inGroup.join(', ')} already belong to ${name}`, { hint: 'pass only the prepared instances that should replace its old ones' });
  const n = group.desiredCapacity;
  const old = instances.filter((i) => isLaunchingOrServing(i.lifecycleState));
  if (n === 0 || old.length === 0) {
    throw new AsgDeployError('BAD_INPUT', `group ${name} has no instances to replace (desired ${n})`, { hint: `attach them with \`aws autoscaling attach-instances --auto-scaling-group-name ${name}\`` });
  }
  if (ids.length > n) {
    throw new AsgDeployError('BAD_INPUT', `${ids.length} prepared instances for a group of desired capacity ${n}: a swap replaces old instances one for one`, {
      hint: `raise ${name}'s desired capacity to ${ids.length} first, or pass at most ${n} instances`,
    });
  }
  const zones = await checkInstances(ctx, group, ids);
  const planFloor = resolveFloor(options.minHealthy ?? DEFAULT_MIN_HEALTHY, n);
  const surge = ids.length;
  const { warmupMs, timing } = await warmupAndTiming(ctx, group, options.warmupMs);
  // Ready means stays ready (issue 8): an attached instance counts only after it has passed its
  // health checks and kept serving for HealthyThresholdCount × HealthCheckIntervalSeconds, at
  // least the warmup (ELBv2 "Health checks for your target groups"), as roll's waves count theirs.
  const readyWindowMs = Math.max(warmupMs, timing.healthCheckMs);
  const version = group.launchTemplate?.version ?? group.launchConfigurationName ?? 'none';
  const fleetNow = await ctx.aws.snapshotFleet(name);
  // Never retire below min(floor, what served at the start): a degraded group still swaps without losing what serves.
  const servingAtStart = servingCount(fleetNow);
  const floor = Math.min(planFloor, servingAtStart);
  if (floor < planFloor) {
    ctx.emit({ t: ctx.clock.now(), group: name, code: 'warning', message: `only ${servingAtStart} instance(s) of ${name} serve now, below the floor of ${planFloor}: the swap holds ${floor} serving (what serves now) and never retires below it` });
  }
  const spread = spreadAfterSwap(fleetNow, zones);
  if (spread > 1) {
    ctx.emit({
      t: ctx.clock.now(),
      group: name,
      code: 'warning',
      message: `after the swap ${name}'s availability zones will differ by ${spread} instances; ${group.suspendedProcesses.includes('AZRebalance') ? 'AZRebalance is suspended, so they stay so' : 'AZRebalance will then launch and terminate instances to even them out'} — prepare the instances spread over ${group.availabilityZones.join(', ')} to avoid it`,
    });
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  ctx.emit({
    t: ctx.clock.now(),
    group: name,
    code: 'plan',
    strategy: 'swap',
    fromVersion: version,
    toVersion: `${ids.length} prepared instance(s)`,
    templateId: group.launchTemplate?.id ?? group.launchTemplate?.name ?? group.launchConfigurationName ?? 'none',
    desired: n,
    floor: planFloor,
    surge,
    waves: 1,
    expectedSeconds: Math.round((launchToReadyMs({ ...timing, bootMs: 0, readyMs: 0 }) + timing.drainMs) / 1000),
    replace: ids.length,
    maxSizeNeeded: Math.max(group.maxSize, n + surge),
  });
  const base: SwapResult = { outcome: 'planned', group: name, fromVersion: version, toVersion: version, seconds: 0, floor: planFloor, attached: ids, retired: [] };
  refuseCheckpoints(options, 'swap');
  if ((options.bakeTimeMs ?? 0) > 0) {
    // Once old instances are retired a swap cannot undo itself (abortSwap refuses then), so a bake has nothing to roll back.
    throw new AsgDeployError('BAD_INPUT', '--bake-time does not apply to swap: once the old instances are retired it cannot roll back, so a failure in the bake time could not be undone', {
      hint: 'drop --bake-time (--alarm and --check still guard the swap until the old instances are retired), or deploy with `asg-deploy roll --bake-time`',
      details: { option: '--bake-time', strategy: 'swap' },
    });
  }
  // Preflight (also for --dry-run): before any record or lock; a throw is exit 2.
  const deployId = newDeployId(ctx.clock.now());
  const guards = guardrailRun(ctx, { group: name, deployId, targetVersion: version }, options);
  await guards.preflight();
  if (options.dryRun) return base;

  const now = ctx.clock.now();
  const record: DeploymentRecord = {
    id: deployId,
    strategy: 'swap',
    phase: 'preparing',
    startedAt: now,
    updatedAt: now,
    templateId: group.launchTemplate?.id ?? group.launchTemplate?.name ?? group.launchConfigurationName ?? 'none',
    fromVersion: version,
    toVersion: version,
    original: { min: group.minSize, max: group.maxSize, desired: n },
    suspendedByUs: SWAP_PROCESSES.filter((p) => !group.suspendedProcesses.includes(p)),
    settings: { surge, floor, warmupSeconds: Math.round(readyWindowMs / 1000), maxFailedLaunches: 0, timeoutSeconds: Math.round(timeoutMs / 1000) },
    ...guardrailsForRecord(options), // the guardrails go on the group with the record (issue 9)
  };
  const m = newMember(ctx, name, record, swapState, { step: 'prepare', keep: options.keepOld === true });
  const run: SwapRun = { ctx, members: [m], m, started, lowestServing: Infinity, ids, keepOld: options.keepOld === true, rollbackAllowed: options.rollback !== false, retired: [], guards };
  linkMembers(run.members);
  await acquireAll(run, true);
  // The instances before anything touches the group (a resumed swap must know which ones are new).
  await writeStateAndIds(ctx.aws.autoscaling, (await ctx.aws.autoscaling.describeGroup(name)).group, m.codec.encode(m.state), ids);
  return runLeg(swapStrategy, run, () => driveForward(run));
}

/** Ends the guardrails on every outcome but an interruption. */
async function endGuards(run: SwapRun, out: SwapResult): Promise<SwapResult> {
  if (out.outcome !== 'interrupted' && run.guards !== undefined) await run.guards.finish();
  return out;
}

async function takeOver(ctx: DeployContext, options: TakeOverOptions, verb: string): Promise<SwapRun> {
  const { group } = await ctx.aws.autoscaling.describeGroup(options.group);
  const record = recordForTakeOver(group, 'swap', verb, ctx.clock.now(), options.force, thisHost(ctx.holder));
  const state = swapState.decode(group);
  const ids = readIds(group);
  if (ids.length === 0) {
    throw new AsgDeployError('BAD_INPUT', `the swap record on ${group.name} lists no prepared instances (the deploy died before recording them; nothing was attached)`, {
      hint: `remove the asg-deploy:* tags of ${group.name} if no deploy runs, then swap again`,
    });
  }
  const m = newMember(ctx, group.name, record, swapState, state);
  const run: SwapRun = { ctx, members: [m], m, started: ctx.clock.now(), lowestServing: Infinity, ids, keepOld: state.keep, rollbackAllowed: options.rollback !== false, retired: [], guards: guardrailRun(ctx, { group: group.name, deployId: record.id, targetVersion: record.toVersion }, options) };
  linkMembers(run.members);
  await acquireAll(run, false);
  return run;
}

/**
 * The swap as a plug-in of the engine: forward = suspend, attach, wait until
 * ready (stability window), retire floor-safe, restore; back = detach the
 * prepared instances again, restore. Once an old instance is retired there is
 * no way back: abort is refused, resume finishes the swap.
 */
export const swapStrategy = {
  name: 'swap',
  state: swapState,
  steps: STEPS.filter((s) => s !== 'back'),
  backSteps: ['back', 'restore'],
  plan: (ctx, options) => swap(ctx, { ...options, dryRun: true }),
  start: swap,
  takeOver: (ctx, options, verb) => takeOver(ctx, options, verb),
  resumeAt: async (run): Promise<Resumption> => {
    if (stepOf(run) === 'back') return { way: 'back', reason: run.m.record.reason ?? 'resumed undo', outcome: 'aborted' };
    await run.guards?.preflight();
    return { way: 'forward' };
  },
  assertCanGoBack: (run) => {
    const at = stepOf(run);
    if (at === 'retire' || at === 'restore') {
      throw new AsgDeployError('CONFLICT', `the swap on ${run.m.name} is already retiring old instances; they cannot come back`, {
        hint: `finish it with \`asg-deploy resume ${run.m.name}\``,
      });
    }
  },
  forward: driveForward,
  back: goBack,
  interrupted: async (run) => swapResult(run, await interruptedResult(run, commandsFor(run.m.name))),
  commands: (run) => commandsFor(run.m.name),
  end: endGuards,
} satisfies Strategy<SwapState, SwapOptions, SwapRun, SwapResult>;

/** Resume for the record dispatch (strategy `swap`): finishes the swap, or the undo in progress. */
export function resumeSwap(ctx: DeployContext, options: SwapTakeOverOptions): Promise<SwapResult> {
  return resumeWith(swapStrategy, ctx, options);
}

/**
 * Abort for the record dispatch (strategy `swap`): detaches the prepared
 * instances and restores the group. Refused once old instances are leaving
 * (they cannot come back): `resume` finishes the swap then.
 */
export function abortSwap(ctx: DeployContext, options: SwapTakeOverOptions): Promise<SwapResult> {
  return abortWith(swapStrategy, ctx, options);
}
