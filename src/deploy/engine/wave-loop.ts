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
  isAsgDeployError,
  isGone,
  isLaunchingOrServing,
  isLeaving,
  isOnTargetVersion,
  servingCount,
  updateServingSince,
  type Fleet,
  type TargetVersion,
} from '../../core/index.js';
import { DEFAULT_POLL_INTERVAL_MS, type DeployContext } from './context.js';
import type { DeploymentRecord } from './record.js';
import type { DeployStore } from './store.js';

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
}

export type ConvergeOutcome =
  | { kind: 'converged'; lowestServing: number }
  | { kind: 'failed'; reason: string; lowestServing: number }
  | { kind: 'interrupted'; lowestServing: number };

export class Interrupted extends Error {}

const TERMINATE_CONCURRENCY = 10;
/** Extra one-instance waves allowed to even out AZs at the end (an AZ that cannot launch must not loop us). */
const MAX_REBALANCE_ROUNDS = 4;

/** Sleeps on the injected clock; an abort (Ctrl-C) ends the wait early with Interrupted. */
export async function pause(ctx: DeployContext, ms: number): Promise<void> {
  try {
    await ctx.clock.sleep(ms, ctx.signal);
  } catch (e) {
    if (ctx.signal?.aborted) throw new Interrupted('interrupted');
    throw e;
  }
}

export async function converge(ctx: DeployContext, store: DeployStore, record: DeploymentRecord, settings: ConvergeSettings): Promise<ConvergeOutcome> {
  const { target, startDesired, surge, floor } = settings;
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
  let lastCounts = '';
  let firstLook = true;
  let rebalanceRounds = 0;
  const started = ctx.clock.now();
  const groupName = store.groupName;

  for (;;) {
    if (ctx.signal?.aborted) return { kind: 'interrupted', lowestServing };
    const fleet: Fleet = await ctx.aws.snapshotFleet(groupName);
    const now = ctx.clock.now();
    servingSince = updateServingSince(servingSince, fleet, now);
    lowestServing = Math.min(lowestServing, servingCount(fleet));
    const readiness = { now, warmupMs: settings.warmupMs, servingSince };
    const step = decideRollingStep(fleet, { target, startDesired, surge, floor, readiness, rebalance: rebalanceRounds < MAX_REBALANCE_ROUNDS });
    if (step.counts.old === 0 && step.counts.onTarget >= startDesired && step.desired > fleet.group.desiredCapacity) {
      rebalanceRounds++;
      ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'warning', message: `availability zones uneven after the waves: launching one more instance to even them out (round ${rebalanceRounds} of at most ${MAX_REBALANCE_ROUNDS})` });
    }

    // Follow the new instances: launched, ready, or lost before they were ready.
    // Those already serving on the target at the first look (a rollback's old
    // fleet, a resumed deploy's finished waves) are known, not news.
    const byId = new Map(fleet.instances.map((i) => [i.id, i]));
    for (const i of fleet.instances) {
      if (!isOnTargetVersion(i, target) || !isLaunchingOrServing(i.lifecycleState) || seen.has(i.id)) continue;
      seen.set(i.id, now);
      if (firstLook && servingSince.has(i.id)) {
        ready.add(i.id);
        continue;
      }
      ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'instance-launched', instanceId: i.id, version, az: i.availabilityZone });
    }
    firstLook = false;
    for (const [id, firstSeen] of seen) {
      const i = byId.get(id);
      if (ready.has(id) || failed.has(id)) continue;
      if (i && servingSince.has(id) && now - servingSince.get(id)! >= settings.warmupMs) {
        ready.add(id);
        lastProgressAt = now;
        ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'instance-ready', instanceId: id, version, afterSeconds: Math.round((now - firstSeen) / 1000) });
      } else if (!retired.has(id) && (!i || isLeaving(i.lifecycleState) || isGone(i.lifecycleState) || i.healthStatus === 'Unhealthy')) {
        // The group killed it (failed health checks, failed launch): a failed launch (deploys.md "Rolling").
        failed.add(id);
        ctx.emit({
          t: now,
          deployId: record.id,
          group: groupName,
          code: 'instance-failed',
          instanceId: id,
          reason: i ? `${i.lifecycleState}, ${i.healthStatus}` : 'left the group',
          failedLaunches: failed.size,
          maxFailedLaunches: settings.maxFailedLaunches,
        });
      }
    }
    if (failed.size > settings.maxFailedLaunches) {
      return { kind: 'failed', reason: `${failed.size} new instances on version ${version} failed before becoming ready (--max-failed-launches ${settings.maxFailedLaunches})`, lowestServing };
    }

    const countsKey = JSON.stringify(step.counts);
    if (countsKey !== lastCounts) {
      lastCounts = countsKey;
      const replaced = Math.max(0, startDesired - step.counts.old);
      const etaSeconds = replaced > 0 && step.counts.old > 0 ? Math.round((((now - started) / replaced) * step.counts.old) / 1000) : undefined;
      ctx.emit({
        t: now,
        deployId: record.id,
        group: groupName,
        code: 'progress',
        phase: settings.phase,
        targetVersion: version,
        onTarget: step.counts.onTarget,
        old: step.counts.old,
        serving: step.counts.serving,
        floor,
        startDesired,
        desired: fleet.group.desiredCapacity,
        launching: step.counts.onTarget - step.counts.ready,
        etaSeconds,
      });
    }
    if (step.done) return { kind: 'converged', lowestServing };
    if (now - lastProgressAt > settings.timeoutMs) {
      return { kind: 'failed', reason: `no new instance became ready in ${Math.round(settings.timeoutMs / 1000)}s (--timeout)`, lowestServing };
    }

    await store.heartbeat(record);
    // Retire with the decrement only as far as desired must come down to the
    // step's value; the rest without it, so the group launches their
    // replacements itself. Desired then never dips below the start (and so
    // never below MinSize). We lower desired ourselves only once every
    // instance is new: before that, the group would pick victims by its
    // termination policy, old or new alike.
    let desired = fleet.group.desiredCapacity;
    const decrements = Math.max(0, Math.min(step.retire.length, desired - step.desired));
    // Up to ten terminations at once: on a 50-instance wave, one by one would
    // spread the group's replacement launches over several seconds.
    const retiring = step.retire.map((old, index) => ({ old, decrement: index < decrements }));
    for (let i = 0; i < retiring.length; i += TERMINATE_CONCURRENCY) {
      await Promise.all(
        retiring.slice(i, i + TERMINATE_CONCURRENCY).map(async ({ old, decrement }) => {
          ctx.emit({ t: now, deployId: record.id, group: groupName, code: 'instance-retiring', instanceId: old.id, version: old.launchTemplate?.version ?? '?', az: old.availabilityZone });
          retired.add(old.id);
          try {
            await ctx.aws.autoscaling.terminateInstance(old.id, decrement);
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
    // A wave starts whenever this step makes the group launch: by raising
    // desired, or by retiring without the decrement (the group replaces).
    const launching = step.retire.length - (fleet.group.desiredCapacity - desired) + Math.max(0, step.desired - desired);
    if (launching > 0) {
      wave++;
      ctx.emit({ t: ctx.clock.now(), deployId: record.id, group: groupName, code: 'wave-started', wave, waves: Math.max(wave, settings.plannedWaves ?? 0), launching, desired: step.desired });
    }
    if (step.desired !== desired) await ctx.aws.autoscaling.setDesiredCapacity(groupName, step.desired);
    try {
      await pause(ctx, poll);
    } catch (e) {
      if (e instanceof Interrupted) return { kind: 'interrupted', lowestServing };
      throw e;
    }
  }
}

/** Waits until no instance the deploy retired is still in the group (drained and terminated). */
export async function waitForRetired(ctx: DeployContext, groupName: string, target: TargetVersion, timeoutMs: number): Promise<void> {
  const poll = ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const until = ctx.clock.now() + timeoutMs;
  let announced = false;
  for (;;) {
    const { instances } = await ctx.aws.autoscaling.describeGroup(groupName);
    const leaving = instances.filter((i) => !isOnTargetVersion(i, target) && isLeaving(i.lifecycleState));
    if (leaving.length === 0 || ctx.clock.now() >= until) return;
    if (!announced) {
      ctx.emit({ t: ctx.clock.now(), group: groupName, code: 'waiting', what: `${leaving.length} old instance(s) draining and terminating`, seconds: Math.round(timeoutMs / 1000) });
      announced = true;
    }
    await pause(ctx, poll);
  }
}
