/**
 * The wave loop shared by `roll`, its automatic rollback, `resume` and
 * `abort`: snapshot the fleet, decide one step (core/rolling-step.ts), act,
 * sleep on the clock, repeat until every instance is on the target version and
 * ready. Because each step is decided from the fleet alone, the loop can start
 * from any state the group is in — mid-wave after a crash, or with the versions
 * swapped for a rollback.
 */
import {
  decideRollingStep,
  instanceDueAt,
  nextPollDelayMs,
  isAsgDeployError,
  safeDesiredLowering,
  isGone,
  isLaunchingOrServing,
  isLeaving,
  isOnTargetVersion,
  isReady,
  isServing,
  servingCount,
  updateServingSince,
  type EstimateTiming,
  type Fleet,
  type Instance,
  type TargetVersion,
} from '../../core/index.js';
import type { DeployProgress, GuardVerdict } from '../guardrail.js';
import type { HoldOutcome } from '../guardrails/hold.js';
import { DEFAULT_POLL_INTERVAL_MS, type DeployContext } from './context.js';
import { ASSUMED_BOOT_MS } from './preflight.js';
import type { DeploymentRecord } from './record.js';
import type { DeployStore } from './store.js';
import { progressEta, type ProgressEta, type ScheduleSource } from './progress-eta.js';

export interface ConvergeSettings {
  target: TargetVersion;
  startDesired: number;
  surge: number;
  floor: number;
  warmupMs: number;
  /** Fail when no instance became ready and none was retired for this long. */
  timeoutMs: number;
  /** Fail after this many new instances died before becoming ready (Infinity: never). */
  maxFailedLaunches: number;
  /** Used in progress events. */
  phase: string;
  /** Waves the plan expects (for wave-started events). */
  plannedWaves?: number;
  /**
   * For progress events only: other groups whose serving instances count too,
   * and the floor that spans them (a blue/green pair shares its target groups:
   * while the new group fills, the live one serves; issue 10).
   */
  servingAlso?: { groups: readonly string[]; floor: number };
  /** One wave's and the end's times for the ETA before a wave was seen (core/eta.ts); default: read from the target groups (progress-eta.ts). */
  timing?: EstimateTiming;
  /** The checkpoint pauses and bake time the ETA counts (progress-eta.ts guardrailSchedule). */
  schedule?: ScheduleSource;
  /** The deploy's guardrails (docs/guardrails.md "What the engine does with them"); absent: none. */
  guards?: WaveGuards;
}

/**
 * The guardrail calls the wave loop makes, bound by the strategy to its run
 * (guardrail-run.ts): watch every poll, admit each new instance before it
 * counts, cap each forward step at the next checkpoint, pause at it.
 */
export interface WaveGuards {
  readonly direction: 'forward' | 'back';
  /** Every guardrail's watch (a failing verdict forward stops the loop; backward it is only reported by the guardrails). */
  watch(): Promise<GuardVerdict>;
  /** Every guardrail's admit for one new instance that is ready (undefined: no guardrail admits). */
  admit?(instance: Instance): Promise<GuardVerdict>;
  /** How many more instances may go onto the target version (undefined: no cap). */
  stepLimit(progress: DeployProgress): number | undefined;
  /** A checkpoint is reached that the deploy has not paused at yet: launch nothing more until afterStep. */
  checkpointPending(progress: DeployProgress): boolean;
  /** After a forward step: the checkpoint pause if one is reached (undefined: go on). */
  afterStep(progress: DeployProgress, watchAll: () => Promise<GuardVerdict>): Promise<HoldOutcome | undefined>;
  /** The lock heartbeat and health the loop checks during a pause, besides watch. */
  heartbeat(): Promise<void>;
}

export type ConvergeOutcome =
  | { kind: 'converged'; lowestServing: number }
  | { kind: 'failed'; reason: string; lowestServing: number; /** `abort` asked from a checkpoint pause: roll back as aborted. */ abortRequested?: boolean }
  | { kind: 'interrupted'; lowestServing: number };

export class Interrupted extends Error {}

const TERMINATE_CONCURRENCY = 10;
/** Extra one-instance waves allowed to even out AZs at the end (an AZ that cannot launch must not loop us). */
const MAX_REBALANCE_ROUNDS = 4;
/**
 * After asking the group to act (a terminate, a new desired capacity), look
 * again this soon: the group places its launches within about a second
 * (the emulator's reconcile runs 1 s after a change), and the next move of a
 * balanced wave depends on where they went.
 */
export const SETTLE_MS = 1_500;
/** The shortest wait between two looks. */
export const MIN_POLL_MS = 500;
/** Around a new instance's expected boot end, look this often (for at most BOOT_SLACK_MS) until it is InService. */
const BOOT_STEP_MS = 1_000;
const BOOT_SLACK_MS = 5_000;

/** The shortest HealthCheckIntervalSeconds of the group's target groups, in ms (undefined: none, or not readable). */
export async function healthCheckIntervalMs(ctx: DeployContext, targetGroupArns: readonly string[]): Promise<number | undefined> {
  if (targetGroupArns.length === 0) return undefined;
  try {
    const tgs = await ctx.aws.elbv2.describeTargetGroups({ arns: targetGroupArns });
    const intervals = tgs.map((tg) => (tg.HealthCheckIntervalSeconds ?? 30) * 1000);
    return intervals.length > 0 ? Math.min(...intervals) : undefined;
  } catch (e) {
    if (ctx.signal?.aborted) throw new Interrupted('interrupted');
    // Only the poll timing needs it: without it, the loop looks every poll interval.
    return undefined;
  }
}

/** Sleeps on the injected clock; an abort (Ctrl-C) ends the wait early with Interrupted. */
export async function pause(ctx: DeployContext, ms: number): Promise<void> {
  try {
    await ctx.clock.sleep(ms, ctx.signal);
  } catch (e) {
    if (ctx.signal?.aborted) throw new Interrupted('interrupted');
    throw e;
  }
}

/**
 * Runs a guardrail hold (checkpoint pause, bake) so that Ctrl-C during it is
 * the engine's Interrupted (a safe point), not an AWS failure: the hold's
 * sleep rejects with the signal's reason.
 */
export async function asInterruption<T>(ctx: DeployContext, hold: () => Promise<T>): Promise<T> {
  try {
    return await hold();
  } catch (e) {
    if (ctx.signal?.aborted) throw new Interrupted('interrupted');
    throw e;
  }
}

export async function converge(ctx: DeployContext, store: DeployStore, record: DeploymentRecord, settings: ConvergeSettings): Promise<ConvergeOutcome> {
  const { target, surge, floor } = settings;
  let startDesired = settings.startDesired;
  /** The desired capacity as this loop last left it (undefined before the first look). */
  let expectedDesired: number | undefined;
  const poll = ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const version = String(target.version);
  let servingSince = new Map<string, number>();
  const seen = new Map<string, number>(); // new instance → first seen
  const ready = new Set<string>();
  const failed = new Set<string>();
  const retired = new Set<string>();
  let lowestServing = Infinity;
  let lastProgressAt = ctx.clock.now();
  let wave = 0;
  /** Launches within the current wave (1 for its first). */
  let batch = 0;
  let lastCounts = '';
  let firstLook = true;
  let rebalanceRounds = 0;
  // The ETA (issue 10): the plan's estimator (core/eta.ts through progress-eta.ts), from the first progress event on.
  let eta: ProgressEta | undefined;
  let lastProgress: Extract<Parameters<DeployContext['emit']>[0], { code: 'progress' }> | undefined;
  const started = ctx.clock.now();
  const groupName = store.groupName;
  const failedActivities = new Set<string>();
  const failedActivityMessages = new Map<string, string>();
  /** When a Failed launch activity and a new instance were last seen: launches failing since the last one placed (core/desired-lowering.ts). */
  let lastFailedLaunchAt = -Infinity;
  let lastLaunchSeenAt = -Infinity;
  let lastHeld = '';
  // Polls when something is due (core/poll-due.ts): when each new instance was first seen InService.
  const inServiceSeen = new Map<string, number>();
  let intervalMs: number | undefined;
  let intervalLoaded = false;
  let evening = true;
  let failedBeforeEvening: number | undefined;
  /** AZs where a launch failed during this loop: the group skips them for a while, so the planner's placement model does not hold. */
  const failingZones = new Set<string>();
  const guards = settings.guards;
  // With an admitting guardrail, a new instance counts as ready only once admitted (wiring 3).
  const gating = guards?.admit !== undefined;

  for (;;) {
    if (ctx.signal?.aborted) return { kind: 'interrupted', lowestServing };
    // The private IPs of new instances come from EC2 (the check's ASG_DEPLOY_PRIVATE_IP).
    const fleet: Fleet = await ctx.aws.snapshotFleet(groupName, guards?.admit ? { ec2: true } : undefined);
    const now = ctx.clock.now();
    if (guards) {
      // Every poll (docs/guardrails.md, wiring 2): a failing verdict forward stops and rolls back;
      // backward the alarm guardrail stays quiet (the alarm the bad release raised keeps firing).
      const verdict = await guards.watch();
      if (!verdict.ok && guards.direction === 'forward') return { kind: 'failed', reason: verdict.reason, lowestServing };
    }
    if (expectedDesired !== undefined && fleet.group.desiredCapacity !== expectedDesired) {
      // Honour other people's scale-outs (issue 8): a change of desired the
      // deploy did not make (an operator, a scaling policy) moves the size the
      // deploy ends at, and the record, so restore keeps it.
      const delta = fleet.group.desiredCapacity - expectedDesired;
      const before = startDesired;
      startDesired = Math.max(0, startDesired + delta);
      record.original.desired = Math.max(record.original.min, startDesired);
      // Restore must not put MaxSize under the size the operator asked for.
      if (record.original.max < record.original.desired) record.original.max = record.original.desired;
      await store.write(record);
      ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'warning', message: `desired capacity of ${groupName} changed outside the deploy (${expectedDesired} → ${fleet.group.desiredCapacity}): the deploy now ends at ${startDesired} instances instead of ${before}` });
    }
    expectedDesired = fleet.group.desiredCapacity;
    if (!intervalLoaded) {
      intervalLoaded = true;
      intervalMs = await healthCheckIntervalMs(ctx, fleet.group.targetGroupArns);
    }
    eta ??= await progressEta(ctx, fleet.group, { perWave: surge + Math.max(0, startDesired - floor), stabilityMs: settings.warmupMs, ...(settings.timing === undefined ? {} : { timing: settings.timing }), ...(settings.schedule === undefined ? {} : { schedule: settings.schedule }) });
    servingSince = updateServingSince(servingSince, fleet, now);
    lowestServing = Math.min(lowestServing, servingCount(fleet));
    const readiness = gating ? { now, warmupMs: Math.max(1, settings.warmupMs), servingSince: admittedOnly(servingSince, fleet, target, ready) } : { now, warmupMs: settings.warmupMs, servingSince };
    // With an AZ that failed a launch, one evening try at most (issue 11): the next failure stops it.
    const rebalance = evening && rebalanceRounds < (failingZones.size > 0 ? 1 : MAX_REBALANCE_ROUNDS);
    const balance = failingZones.size === 0;
    let step = decideRollingStep(fleet, { target, startDesired, surge, floor, readiness, rebalance, balance });
    if (step.counts.old === 0 && step.counts.onTarget >= startDesired && step.desired > fleet.group.desiredCapacity) {
      rebalanceRounds++;
      failedBeforeEvening ??= failed.size + failedActivities.size;
      ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'warning', message: `availability zones uneven after the waves: launching one more instance to even them out (round ${rebalanceRounds} of at most ${failingZones.size > 0 ? 1 : MAX_REBALANCE_ROUNDS})` });
    }

    // Follow the new instances: launched, ready, or lost before they were ready.
    // Those already serving on the target at the first look (a rollback's old
    // fleet, a resumed deploy's finished waves) are known, not news.
    const byId = new Map(fleet.instances.map((i) => [i.id, i]));
    for (const i of fleet.instances) {
      if (!isOnTargetVersion(i, target) || !isLaunchingOrServing(i.lifecycleState) || seen.has(i.id)) continue;
      seen.set(i.id, now);
      lastLaunchSeenAt = now;
      if (firstLook && servingSince.has(i.id)) {
        ready.add(i.id);
        continue;
      }
      ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'instance-launched', instanceId: i.id, version, az: i.availabilityZone });
    }
    firstLook = false;
    // A failed launch, counted as the limit counts it: failed instances plus failed launch activities.
    const markFailed = (id: string, reason: string) => {
      failed.add(id);
      ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'instance-failed', instanceId: id, reason, failedLaunches: failed.size + failedActivities.size, maxFailedLaunches: settings.maxFailedLaunches });
    };
    for (const [id, firstSeen] of seen) {
      const i = byId.get(id);
      if (failed.has(id)) continue;
      if (ready.has(id)) {
        // Ready means stays ready (issue 8): an instance counted ready that
        // stops serving — or that the group takes out — without us retiring it
        // is a failed launch, like one that never got there.
        if (retired.has(id) || (i && servingSince.has(id) && !isLeaving(i.lifecycleState) && i.healthStatus !== 'Unhealthy')) continue;
        markFailed(id, `failed after it was counted ready (${i ? `${i.lifecycleState}, ${i.healthStatus}, ${servingSince.has(id) ? 'serving' : 'not serving'}` : 'left the group'})`);
        continue;
      }
      if (i && servingSince.has(id) && now - servingSince.get(id)! >= settings.warmupMs) {
        if (guards?.admit) {
          let verdict: GuardVerdict;
          try {
            verdict = await guards.admit(i);
          } catch (e) {
            // Ctrl-C during a check is an interruption, not a failed launch.
            if (ctx.signal?.aborted) throw new Interrupted('interrupted');
            throw e;
          }
          if (!verdict.ok) {
            markFailed(id, verdict.reason);
            // Not admitted: it must not serve the release; the group launches a replacement (a new try).
            try {
              await ctx.aws.autoscaling.terminateInstance(id, false);
            } catch (e) {
              if (!isAsgDeployError(e, 'NOT_FOUND')) throw e;
            }
            continue;
          }
        }
        ready.add(id);
        lastProgressAt = now;
        ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'instance-ready', instanceId: id, version, afterSeconds: Math.round((now - firstSeen) / 1000) });
      } else if (!retired.has(id) && (!i || isLeaving(i.lifecycleState) || isGone(i.lifecycleState) || i.healthStatus === 'Unhealthy')) {
        // The group killed it (failed health checks, failed launch): a failed launch (deploys.md "Rolling").
        markFailed(id, i ? `${i.lifecycleState}, ${i.healthStatus}` : 'left the group');
      }
    }
    // Failed launches are seen at once (issue 8): a launch activity of the
    // group that ends Failed or Cancelled (DescribeScalingActivities,
    // StatusCode; "Troubleshoot Amazon EC2 Auto Scaling: EC2 instance launch
    // failures") is a failed launch, shown with AWS's StatusMessage — an
    // instance that never started leaves no instance to watch.
    for (const a of await failedLaunchActivities(ctx, groupName, started, failedActivities)) {
      failedActivities.add(a.id);
      lastFailedLaunchAt = now;
      failedActivityMessages.set(a.id, a.statusMessage);
      if (a.zone !== undefined) failingZones.add(a.zone);
      ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'launch-failed', activityId: a.id, statusCode: a.statusCode, statusMessage: a.statusMessage, failedLaunches: failed.size + failedActivities.size, maxFailedLaunches: settings.maxFailedLaunches });
    }
    // Instances a lifecycle hook holds are shown while the deploy waits for them.
    const held = fleet.instances.filter((i) => i.lifecycleState === 'Pending:Wait').map((i) => i.id).sort();
    if (held.join(',') !== lastHeld) {
      lastHeld = held.join(',');
      if (held.length > 0) ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'instances-held', lifecycleState: 'Pending:Wait', instanceIds: held });
    }
    const failedLaunches = failed.size + failedActivities.size;
    if (evening && failedBeforeEvening !== undefined && failedLaunches > failedBeforeEvening) {
      // An AZ that cannot launch (insufficient capacity, an outage) fails every
      // evening try the same way: stop after the first and say why, with AWS's
      // StatusMessage, rather than spend more rounds that cannot succeed.
      evening = false;
      const last = [...failedActivityMessages.values()].at(-1);
      ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'warning', message: `stopped evening out the availability zones after a failed launch: ${last ?? 'a new instance failed'}; the group stays uneven (AZRebalance evens it out once the AZ can launch again)` });
      step = decideRollingStep(fleet, { target, startDesired, surge, floor, readiness, rebalance: false, balance: false });
    }
    if (failedLaunches > settings.maxFailedLaunches) {
      const last = [...failedActivityMessages.values()].at(-1);
      return { kind: 'failed', reason: `${failedLaunches} new instances on version ${version} failed before becoming ready (--max-failed-launches ${settings.maxFailedLaunches})${last ? `; AWS: ${last}` : ''}`, lowestServing };
    }

    const countsKey = JSON.stringify(step.counts);
    if (countsKey !== lastCounts) {
      lastCounts = countsKey;
      const reading = eta.reading(now, { old: step.counts.old, onTarget: step.counts.onTarget, ready: step.counts.ready, total: startDesired }, failed.size + failedActivities.size);
      ctx.emit(lastProgress = {
        t: now,
        deployId: record.id,
        group: groupName,
        code: 'progress',
        phase: settings.phase,
        targetVersion: version,
        onTarget: step.counts.onTarget,
        old: step.counts.old,
        serving: step.counts.serving + (settings.servingAlso ? (await Promise.all(settings.servingAlso.groups.map((g) => ctx.aws.snapshotFleet(g)))).reduce((n, f) => n + servingCount(f), 0) : 0),
        floor: settings.servingAlso?.floor ?? floor,
        startDesired,
        desired: fleet.group.desiredCapacity,
        launching: step.counts.onTarget - step.counts.ready,
        ...reading,
      });
    }
    if (step.done) {
      // No false success (issue 8): done only when every instance in the group
      // is on the target version and serving, and serving is at the floor.
      const active = fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState));
      const short = active.filter((i) => !isOnTargetVersion(i, target) || !servingSince.has(i.id) || (gating && !ready.has(i.id)));
      if (short.length === 0 && servingCount(fleet) >= floor) return { kind: 'converged', lowestServing };
    }
    if (now - lastProgressAt > settings.timeoutMs) {
      return { kind: 'failed', reason: `no new instance became ready in ${Math.round(settings.timeoutMs / 1000)}s (--timeout)`, lowestServing };
    }

    await store.heartbeat(record);
    if (guards && guards.direction === 'forward' && step.counts.old > 0) {
      // Pace (wiring 4): never launch past the next checkpoint, and nothing at
      // all while a reached checkpoint waits for its pause.
      const onTargetNow = { onTarget: step.counts.onTarget, total: startDesired };
      const limit = guards.checkpointPending(onTargetNow) ? 0 : guards.stepLimit(onTargetNow);
      if (limit !== undefined) step = capLaunches(step, limit, startDesired);
      // Pause (wiring 5): once every new instance is admitted and the old ones it replaces are retired.
      const admitted = fleet.instances.filter((i) => isOnTargetVersion(i, target) && isLaunchingOrServing(i.lifecycleState) && ready.has(i.id)).length;
      const progressed = { onTarget: admitted, total: startDesired };
      if (admitted === step.counts.onTarget && step.retire.length === 0 && guards.checkpointPending(progressed)) {
        if (lastProgress) {
          // The ETA as the pause starts: a timed pause counted, a `wait` one unknown (issue 10).
          const { etaSeconds: _eta, etaReason: _why, ...rest } = lastProgress;
          ctx.emit({ ...rest, t: now, ...eta.pausing(now, { old: step.counts.old, onTarget: admitted, ready: admitted, total: startDesired }) });
        }
        const held = await asInterruption(ctx, () => guards.afterStep(progressed, async () => {
          const v = await guards.watch();
          if (!v.ok) return v;
          await guards.heartbeat();
          // Health keeps running: an admitted new instance that stops serving ends the pause.
          const during = await ctx.aws.snapshotFleet(groupName);
          const lost = during.instances.filter((i) => ready.has(i.id) && !retired.has(i.id) && !isServing(i, during));
          if (lost.length > 0) return { ok: false, code: 'instance-failed', reason: `new instance(s) ${lost.map((i) => i.id).join(', ')} on version ${version} stopped serving during the checkpoint pause` };
          return { ok: true };
        }));
        if (held?.kind === 'stopped') return { kind: 'failed', reason: held.verdict.reason, lowestServing };
        if (held?.kind === 'abort-requested') return { kind: 'failed', reason: `aborted by request (${held.by}) during the checkpoint pause`, lowestServing, abortRequested: true };
        if (held !== undefined) {
          lastProgressAt = ctx.clock.now();
          continue;
        }
      }
    }
    // Retire with the decrement only as far as desired must come down to the
    // step's value; the rest without it, so the group launches their
    // replacements itself. Desired then never dips below the start (and so
    // never below MinSize). We lower desired ourselves only once every
    // instance is new: before that, the group would pick victims by its
    // termination policy, old or new alike.
    let desired = fleet.group.desiredCapacity;
    if (step.retire.some((i) => isServing(i, fleet))) {
      // Never retire below the floor (issue 8): judge the serving instances we
      // are about to retire again on a fresh snapshot taken just before the
      // terminate calls: only as many go as keep what serves at the floor
      // (serving old + ready new − retired ≥ floor). A plain count, no new
      // decision: nothing slow may sit between that snapshot and the calls.
      const fresh = await ctx.aws.snapshotFleet(groupName);
      const freshNow = ctx.clock.now();
      const freshSince = updateServingSince(servingSince, fresh, freshNow);
      const readiness = { now: freshNow, warmupMs: settings.warmupMs, servingSince: gating ? admittedOnly(freshSince, fresh, target, ready) : freshSince };
      const oldServingNow = fresh.instances.filter((i) => !isOnTargetVersion(i, target) && isLaunchingOrServing(i.lifecycleState) && isServing(i, fresh)).length;
      const readyNow = fresh.instances.filter((i) => isOnTargetVersion(i, target) && isLaunchingOrServing(i.lifecycleState) && isReady(i, fresh, readiness)).length;
      let spare = Math.max(0, oldServingNow + readyNow - floor);
      const byIdFresh = new Map(fresh.instances.map((i) => [i.id, i]));
      const kept = step.retire.filter((i) => {
        const now = byIdFresh.get(i.id);
        if (!now || !isLaunchingOrServing(now.lifecycleState)) return false; // already gone or leaving
        if (!isServing(now, fresh)) return true; // serves no one: costs nothing
        if (spare <= 0) return false;
        spare--;
        return true;
      });
      // A retirement dropped leaves desired one higher than planned (the group
      // must not pick a victim of its own to bring it down), within the cap.
      const dropped = step.retire.length - kept.length;
      step = { ...step, retire: kept, desired: Math.min(step.desired + dropped, Math.max(step.desired, startDesired + surge)) };
    }
    const decrements = Math.max(0, Math.min(step.retire.length, desired - step.desired));
    // Up to ten terminations at once: on a 50-instance wave, one by one would
    // spread the group's replacement launches over several seconds.
    const retiring = step.retire.map((old, index) => ({ old, decrement: index < decrements }));
    let decremented = 0;
    for (let i = 0; i < retiring.length; i += TERMINATE_CONCURRENCY) {
      await Promise.all(
        retiring.slice(i, i + TERMINATE_CONCURRENCY).map(async ({ old, decrement }) => {
          ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'instance-retiring', instanceId: old.id, version: old.launchTemplate?.version ?? '?', az: old.availabilityZone });
          retired.add(old.id);
          try {
            const activity = await ctx.aws.autoscaling.terminateInstance(old.id, decrement);
            // Whether desired really went down: only an instance that still
            // counts toward capacity takes it down with it, and the activity's
            // Cause says so ("…in response to a user request, shrinking the
            // capacity from 6 to 5.").
            if (decrement && /shrinking the capacity from \d+ to \d+/.test(activity?.Cause ?? '')) decremented++;
          } catch (e) {
            // Gone between our snapshot and this call (the group replaced it, or a
            // retried call already took it): nothing left to retire; the next
            // snapshot decides what follows.
            if (!isAsgDeployError(e, 'NOT_FOUND')) throw e;
            ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: groupName, code: 'instance-gone', instanceId: old.id });
          }
        }),
      );
    }
    if (retiring.length > 0) lastProgressAt = ctx.clock.now();
    desired -= decrements;
    if (step.desired < desired) {
      // Never let the group pick a serving victim below the floor (invariant 1):
      // a lower desired is a scale-in by the group's termination policy, and
      // the launches it owes may land just before our call does
      // (core/desired-lowering.ts). Lower only as far as the worst case keeps
      // the floor; the surplus the group then places is retired by us, with
      // the decrement, once it is ready (decideRollingStep).
      const retiredServing = step.retire.filter((i) => isServing(i, fleet)).length;
      const retiredActive = step.retire.filter((i) => isLaunchingOrServing(i.lifecycleState)).length;
      const safe = safeDesiredLowering({
        current: desired,
        proposed: step.desired,
        active: fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState)).length - retiredActive,
        serving: servingCount(fleet) - retiredServing,
        floor,
        launchesFailing: lastFailedLaunchAt > lastLaunchSeenAt,
      });
      if (safe !== step.desired) step = { ...step, desired: safe, done: false };
    }
    // A wave starts whenever this step makes the group launch: by raising
    // desired, or by retiring without the decrement (the group replaces).
    const launching = step.retire.length - (fleet.group.desiredCapacity - desired) + Math.max(0, step.desired - desired);
    if (launching > 0) {
      eta.waveStarted(ctx.clock.now(), step.counts.old);
      // A launch while this wave's new instances are still coming up is a
      // further batch of the same wave (the balanced-waves planner sends one
      // once it has seen where the first landed): the plan counted one wave.
      const batchOfWave = wave > 0 && step.counts.onTarget > step.counts.ready;
      batch = batchOfWave ? batch + 1 : 1;
      if (!batchOfWave) wave++;
      ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: groupName, code: 'wave-started', wave, waves: Math.max(wave, settings.plannedWaves ?? 0), launching, desired: step.desired, ...(batch > 1 ? { batch } : {}) });
    }
    const acted = retiring.length > 0 || step.desired !== desired;
    if (step.desired !== desired) {
      await ctx.aws.autoscaling.setDesiredCapacity(groupName, step.desired);
      expectedDesired = step.desired;
    } else expectedDesired = fleet.group.desiredCapacity - decremented;
    // Polls when something is due (issue 11): right after asking the group to
    // act or while it still owes launches, at each new instance's boot end,
    // health-check tick and end of its stability window; at the latest after
    // the poll interval.
    const after = ctx.clock.now();
    for (const i of fleet.instances) {
      if (isOnTargetVersion(i, target) && i.lifecycleState === 'InService' && !inServiceSeen.has(i.id)) inServiceSeen.set(i.id, now);
    }
    const due: number[] = [];
    if (acted || step.balance?.kind === 'owed') due.push(after + SETTLE_MS);
    for (const [id, firstSeen] of seen) {
      if (ready.has(id) || failed.has(id) || !byId.has(id)) continue;
      const since = servingSince.get(id);
      const inService = inServiceSeen.get(id);
      due.push(
        instanceDueAt(
          { firstSeen, ...(inService === undefined ? {} : { inServiceSeen: inService }), ...(since === undefined ? {} : { servingSince: since }) },
          after,
          { bootMs: ASSUMED_BOOT_MS, readyWindowMs: settings.warmupMs, bootStepMs: BOOT_STEP_MS, bootSlackMs: BOOT_SLACK_MS, ...(intervalMs === undefined ? {} : { healthCheckIntervalMs: intervalMs }) },
        ),
      );
    }
    try {
      await pause(ctx, nextPollDelayMs({ now: after, ceilingMs: poll, minMs: MIN_POLL_MS, due }));
    } catch (e) {
      if (e instanceof Interrupted) return { kind: 'interrupted', lowestServing };
      throw e;
    }
  }
}

/** servingSince without the new instances not admitted yet: the rolling step must not count them ready. */
function admittedOnly(servingSince: Map<string, number>, fleet: Fleet, target: TargetVersion, admitted: ReadonlySet<string>): Map<string, number> {
  const out = new Map(servingSince);
  for (const i of fleet.instances) if (isOnTargetVersion(i, target) && !admitted.has(i.id)) out.delete(i.id);
  return out;
}

/**
 * Caps the instances one forward step puts on the target version at `limit`
 * (a checkpoint's share is never overshot): fewer launches, and only as many
 * retirements as keep desired at the size the deploy ends at.
 */
export function capLaunches<S extends { retire: Instance[]; desired: number; counts: { old: number; onTarget: number } }>(step: S, limit: number, startDesired: number): S {
  const { old, onTarget } = step.counts;
  const launches = step.desired - (old - step.retire.length) - onTarget;
  if (launches <= limit) return step;
  const keepRetiring = Math.max(0, Math.min(step.retire.length, old + onTarget + limit - startDesired));
  const retire = step.retire.slice(0, keepRetiring);
  return { ...step, retire, desired: old - retire.length + onTarget + Math.max(0, limit) };
}

/**
 * Waits until no instance the deploy retired is still draining (out of every
 * target group: its deregistration delay over). Polls when due: the instances still leaving at the first
 * look were retired just before (the wave loop's last step), so they go about
 * one deregistration delay later; look then, and each second after it, at the
 * latest every poll interval.
 */
export async function waitForRetired(ctx: DeployContext, groupName: string, target: TargetVersion, timeoutMs: number): Promise<void> {
  const poll = ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const until = ctx.clock.now() + timeoutMs;
  let announced = false;
  let drainEnd: number | undefined;
  for (;;) {
    const { group, instances } = await ctx.aws.autoscaling.describeGroup(groupName);
    const leaving = instances.filter((i) => !isOnTargetVersion(i, target) && isDrainingOut(i.lifecycleState));
    if (leaving.length === 0 || ctx.clock.now() >= until) return;
    if (!announced) {
      ctx.emit({ t: ctx.clock.now(), group: groupName, code: 'waiting', what: `${leaving.length} old instance(s) draining and terminating`, seconds: Math.round(timeoutMs / 1000) });
      announced = true;
      drainEnd = ctx.clock.now() + (await deregistrationDelayMs(ctx, group.targetGroupArns));
    }
    const now = ctx.clock.now();
    await pause(ctx, nextPollDelayMs({ now, ceilingMs: poll, minMs: MIN_POLL_MS, due: [drainEnd === undefined || drainEnd <= now ? now + 1_000 : drainEnd] }));
  }
}

/**
 * Waits (at most `timeoutMs`) until the group serves at least `floor` and no
 * instance is still launching, before the deploy resumes the processes it
 * suspended: AZRebalance and the others act on the fleet as they find it,
 * and rebalancing terminates an instance as soon as its replacement is
 * InService, before that one passes its target-group health checks
 * ("Rebalancing activities", EC2 Auto Scaling User Guide). Usually settled
 * at the first look (the wave loop ended at the floor).
 */
export async function waitForFloor(ctx: DeployContext, groupName: string, floor: number, timeoutMs: number): Promise<void> {
  const poll = ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const until = ctx.clock.now() + timeoutMs;
  let announced = false;
  for (;;) {
    const fleet = await ctx.aws.snapshotFleet(groupName);
    const launching = fleet.instances.filter((i) => i.lifecycleState.startsWith('Pending')).length;
    const serving = servingCount(fleet);
    if ((serving >= floor && launching === 0) || ctx.clock.now() >= until) return;
    if (!announced) {
      ctx.emit({ t: ctx.clock.now(), group: groupName, code: 'waiting', what: `${groupName} back at the floor (${serving} of ${floor} serving, ${launching} launching) before resuming its processes`, seconds: Math.round(timeoutMs / 1000) });
      announced = true;
    }
    await pause(ctx, Math.min(poll, Math.max(MIN_POLL_MS, until - ctx.clock.now())));
  }
}

/**
 * Still draining out of the target groups (or held by a termination lifecycle
 * hook): Terminating, Terminating:Wait, Detaching. Once an instance reaches
 * Terminating:Proceed it is deregistered and only EC2's shutdown remains,
 * which serves no one and counts toward no capacity ("Amazon EC2 Auto Scaling
 * instance lifecycle": the instance is deregistered from the load balancer and
 * the deregistration delay passes before Terminating:Proceed).
 */
function isDrainingOut(state: string): boolean {
  return state === 'Terminating' || state === 'Terminating:Wait' || state === 'Detaching';
}

/** The longest deregistration delay of the target groups, in ms (0 without target groups or when unreadable). */
async function deregistrationDelayMs(ctx: DeployContext, targetGroupArns: readonly string[]): Promise<number> {
  let longest = 0;
  for (const arn of targetGroupArns) {
    try {
      const attributes = await ctx.aws.elbv2.describeTargetGroupAttributes(arn);
      longest = Math.max(longest, Number(attributes['deregistration_delay.timeout_seconds'] ?? 300) * 1000);
    } catch (e) {
      if (ctx.signal?.aborted) throw new Interrupted('interrupted');
      // Only the poll timing needs it: the loop still looks every poll interval.
    }
  }
  return longest;
}

export interface FailedLaunch {
  id: string;
  statusCode: string;
  statusMessage: string;
  /** The AZ the launch was tried in, from the activity's Details ("Availability Zone"), when given. */
  zone?: string;
}

/** The "Availability Zone" of an activity's Details (a JSON object as text on AWS: {"Subnet ID": …, "Availability Zone": …}). */
function activityZone(details: string | undefined): string | undefined {
  if (!details) return undefined;
  try {
    const parsed = JSON.parse(details) as Record<string, unknown>;
    const zone = parsed['Availability Zone'];
    return typeof zone === 'string' ? zone : undefined;
  } catch {
    return undefined;
  }
}

/** How many of the group's newest activities to read each poll (one page). */
const ACTIVITIES_PER_POLL = 20;

/**
 * The group's launch activities that started at or after `since` and ended
 * `Failed` or `Cancelled`, not in `known`. (DescribeScalingActivities returns
 * the newest first; an activity's StatusCode is one of PendingSpotBidPlacement,
 * WaitingForSpotInstanceRequestId, …, InProgress, Successful, Failed, Cancelled.)
 */
export async function failedLaunchActivities(ctx: DeployContext, groupName: string, since: number, known: ReadonlySet<string>): Promise<FailedLaunch[]> {
  const activities = await ctx.aws.autoscaling.describeScalingActivities(groupName, { limit: ACTIVITIES_PER_POLL });
  return activities
    .filter((a) => (a.StatusCode === 'Failed' || a.StatusCode === 'Cancelled') && a.ActivityId !== undefined && !known.has(a.ActivityId))
    .filter((a) => (a.StartTime?.getTime() ?? 0) >= since && /^Launching/i.test(a.Description ?? ''))
    .reverse()
    .map((a) => {
      const zone = activityZone(a.Details);
      return { id: a.ActivityId!, statusCode: a.StatusCode!, statusMessage: a.StatusMessage ?? a.Description ?? a.StatusCode!, ...(zone === undefined ? {} : { zone }) };
    });
}
