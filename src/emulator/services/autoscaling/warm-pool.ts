/**
 * Warm pools (E-37): pre-initialised instances beside a group, kept
 * Warmed:Stopped, Warmed:Running or Warmed:Hibernated, that a scale-out
 * draws from before it launches anything new; with ReuseOnScaleIn, instances
 * the group scales in go back to the pool instead of being terminated.
 *
 * - Size: MaxGroupPreparedCapacity (else the group's MaxSize) minus
 *   DesiredCapacity, never below MinSize ("Warm pool size", warm pools guide).
 * - A new pool instance launches (Warmed:Pending), runs once (its user data),
 *   then is stopped for Stopped and Hibernated pools, or left running.
 * - Pool instances are not part of the group: they do not count toward its
 *   capacity, get no health checks and are not in DescribeAutoScalingGroups;
 *   DescribeWarmPool lists them.
 *
 * This file does not reach the controller (which calls `takeFromWarmPool` and
 * `returnToWarmPool`); the handlers wake the group.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html
 */
import type { HistoryEntry } from '../../history.js';
import type { ScheduledEvent } from '../../scheduler.js';
import type { RegionState, Simulation } from '../../world.js';
import { findInstance, startInstance, stopInstance, terminateInstance } from '../ec2/index.js';
import { activityDetails, causeTime, recordFailedLaunch, startActivity, updateActivity } from './activities.js';
import { launchGroupInstance } from './launch.js';
import { countsTowardCapacity } from './membership.js';
import type { AutoScalingGroupRecord, GroupInstance, WarmedLifecycleState, WarmPoolInstanceRecord, WarmPoolRecord } from './state.js';

export type { WarmedLifecycleState, WarmPoolInstanceRecord, WarmPoolRecord, WarmPoolState } from './state.js';

/** How often a pool that is not settled is looked at again. */
export const WARM_POOL_PERIOD_MS = 10_000;

const poolEvents = new WeakMap<WarmPoolRecord, ScheduledEvent>();

export function warmPoolOf(region: RegionState, groupName: string): WarmPoolRecord | undefined {
  return region.autoscaling.warmPools.get(groupName);
}

/** The number of instances the pool should hold now. */
export function warmPoolTargetSize(pool: WarmPoolRecord, group: AutoScalingGroupRecord): number {
  const prepared = pool.MaxGroupPreparedCapacity ?? group.maxSize;
  return Math.max(pool.MinSize, prepared - group.desiredCapacity);
}

function setWarmedState(sim: Simulation, region: RegionState, pool: WarmPoolRecord, entry: WarmPoolInstanceRecord, to: WarmedLifecycleState | null): void {
  const from = entry.lifecycleState;
  if (to !== null) entry.lifecycleState = to;
  sim.history.record({ t: sim.now, type: 'lifecycle', region: region.region, group: pool.groupName, instanceId: entry.instance.instanceId, from, to });
}

/** Queues a pass over the group's pool `delayMs` from now, unless one is due sooner. */
export function scheduleWarmPool(sim: Simulation, region: RegionState, pool: WarmPoolRecord, delayMs = 0): void {
  const at = sim.now + delayMs;
  const queued = poolEvents.get(pool);
  if (queued && !queued.cancelled && queued.at <= at) return;
  sim.scheduler.cancel(queued);
  poolEvents.set(
    pool,
    sim.scheduler.at(at, `autoscaling:warm-pool:${pool.groupName}`, () => {
      poolEvents.delete(pool);
      if (region.autoscaling.warmPools.get(pool.groupName) !== pool) return;
      if (!reconcileWarmPool(sim, region, pool)) scheduleWarmPool(sim, region, pool, WARM_POOL_PERIOD_MS);
    }),
  );
}

/** Subscribes the pools to the changes that move them (EC2 states of pool instances, group sizes). Once per simulation. */
export function startWarmPools(sim: Simulation): void {
  sim.history.subscribe((entry: HistoryEntry) => {
    if (entry.type !== 'instance' && !(entry.type === 'group' && (entry.field === 'DesiredCapacity' || entry.field === 'MaxSize'))) return;
    const region = sim.allRegions().find((r) => r.region === entry.region);
    if (!region || region.autoscaling.warmPools.size === 0) return;
    for (const pool of region.autoscaling.warmPools.values()) {
      if (entry.type === 'group' ? pool.groupName === entry.group : pool.instances.has(entry.instanceId)) scheduleWarmPool(sim, region, pool);
    }
  });
}

/** Re-arms every pool's pass after a state file is loaded. */
export function resumeWarmPools(sim: Simulation, region: RegionState): void {
  for (const pool of region.autoscaling.warmPools.values()) scheduleWarmPool(sim, region, pool);
}

/** One pass: moves pool instances on, fills or trims the pool; true when it is settled. */
export function reconcileWarmPool(sim: Simulation, region: RegionState, pool: WarmPoolRecord): boolean {
  const group = region.autoscaling.groups.get(pool.groupName);
  if (!group || group.deleting) pool.Status = 'PendingDelete';
  let settled = true;
  for (const entry of [...pool.instances.values()]) if (!advanceWarmed(sim, region, pool, entry, group)) settled = false;

  if (pool.Status === 'PendingDelete') {
    for (const entry of pool.instances.values()) terminateWarmed(sim, region, pool, entry, group, 'the warm pool was deleted');
    if (pool.instances.size === 0) {
      region.autoscaling.warmPools.delete(pool.groupName);
      return true;
    }
    return false;
  }
  if (!group) return true;

  const live = [...pool.instances.values()].filter((e) => e.lifecycleState !== 'Warmed:Terminating');
  const target = warmPoolTargetSize(pool, group);
  // Members on their way back (ReuseOnScaleIn) will fill it; a scale-out not yet drawn will empty it.
  let returning = 0;
  let counted = 0;
  for (const member of group.instances.values()) {
    if (member.removal?.exit === 'warm-pool') returning++;
    if (countsTowardCapacity(member.lifecycleState)) counted++;
  }
  const toBeDrawn = Math.max(0, group.desiredCapacity - counted);
  // A scale-in not yet carried out will send its instances back too.
  if (pool.ReuseOnScaleIn && pool.Status !== 'PendingDelete') returning += Math.max(0, counted - group.desiredCapacity);
  if (live.length + returning < target && !group.suspendedProcesses.has('Launch')) {
    for (let n = live.length + returning; n < target; n++) {
      if (!launchWarmed(sim, region, pool, group)) break;
    }
    settled = false;
  } else if (live.length + returning > target + toBeDrawn) {
    // Newest first: the ones that prepared least.
    const extra = live.sort((a, b) => b.instance.launchTime - a.instance.launchTime).slice(0, Math.min(live.length, live.length + returning - target - toBeDrawn));
    for (const entry of extra) terminateWarmed(sim, region, pool, entry, group, 'a difference between the warm pool size and the number of instances in it');
    settled = false;
  }
  return settled && [...pool.instances.values()].every((e) => e.lifecycleState !== 'Warmed:Pending' && e.lifecycleState !== 'Warmed:Terminating');
}

function warmedRestingState(pool: WarmPoolRecord): WarmedLifecycleState {
  return pool.PoolState === 'Running' ? 'Warmed:Running' : pool.PoolState === 'Hibernated' ? 'Warmed:Hibernated' : 'Warmed:Stopped';
}

/** Moves a pool instance on as far as its EC2 state allows; true when it rests. */
function advanceWarmed(sim: Simulation, region: RegionState, pool: WarmPoolRecord, entry: WarmPoolInstanceRecord, group: AutoScalingGroupRecord | undefined): boolean {
  const ec2 = findInstance(region, entry.instance.instanceId);
  if (entry.lifecycleState === 'Warmed:Terminating') {
    if (!ec2 || ec2.state === 'terminated') {
      updateActivity(sim, region, entry.instance.activityId, { statusCode: 'Successful' });
      setWarmedState(sim, region, pool, entry, null);
      pool.instances.delete(entry.instance.instanceId);
      return true;
    }
    return false;
  }
  if (!ec2 || ec2.state === 'terminated' || ec2.state === 'shutting-down') {
    // Terminated from outside: it leaves the pool (the pass refills it).
    setWarmedState(sim, region, pool, entry, null);
    pool.instances.delete(entry.instance.instanceId);
    return false;
  }
  const resting = warmedRestingState(pool);
  if (resting === 'Warmed:Running') {
    if (ec2.state === 'stopped') startInstance(sim, region, entry.instance.instanceId);
    if (ec2.state !== 'running') return false;
  } else {
    if (ec2.state === 'running') stopInstance(sim, region, entry.instance.instanceId);
    if (ec2.state !== 'stopped') return false;
  }
  if (entry.lifecycleState !== resting) {
    if (entry.lifecycleState === 'Warmed:Pending') updateActivity(sim, region, entry.instance.activityId, { statusCode: 'Successful' });
    entry.instance.activityId = undefined;
    setWarmedState(sim, region, pool, entry, resting);
  }
  void group;
  return true;
}

function launchWarmed(sim: Simulation, region: RegionState, pool: WarmPoolRecord, group: AutoScalingGroupRecord): boolean {
  // The AZ with the fewest pool instances, so a scale-out drawing from the pool stays balanced.
  const perZone = new Map<string, number>(group.availabilityZones.map((z) => [z, 0]));
  for (const e of pool.instances.values()) perZone.set(e.instance.availabilityZone, (perZone.get(e.instance.availabilityZone) ?? 0) + 1);
  let zone = group.availabilityZones[0]!;
  for (const z of group.availabilityZones) if (perZone.get(z)! < perZone.get(zone)!) zone = z;
  const cause = `At ${causeTime(sim.now)} an instance was launched into the warm pool in response to a difference between the warm pool size and the number of instances in it.`;
  let instance: GroupInstance;
  try {
    instance = launchGroupInstance(sim, region, group, zone);
  } catch (error) {
    recordFailedLaunch(sim, region, group, { zone, cause, error, into: ' into warm pool', scaling: false });
    return false;
  }
  const activity = startActivity(sim, region, group, {
    description: `Launching a new EC2 instance into warm pool: ${instance.instanceId}`,
    cause,
    details: activityDetails(instance),
    scaling: false,
  });
  instance.activityId = activity.ActivityId;
  const entry: WarmPoolInstanceRecord = { instance, lifecycleState: 'Warmed:Pending' };
  pool.instances.set(instance.instanceId, entry);
  sim.history.record({ t: sim.now, type: 'lifecycle', region: region.region, group: pool.groupName, instanceId: instance.instanceId, from: null, to: 'Warmed:Pending' });
  return true;
}

function terminateWarmed(
  sim: Simulation,
  region: RegionState,
  pool: WarmPoolRecord,
  entry: WarmPoolInstanceRecord,
  group: AutoScalingGroupRecord | undefined,
  why: string,
): void {
  if (entry.lifecycleState === 'Warmed:Terminating') return;
  updateActivity(sim, region, entry.instance.activityId, { statusCode: 'Cancelled' });
  if (group) {
    const activity = startActivity(sim, region, group, {
      description: `Terminating EC2 instance from warm pool: ${entry.instance.instanceId}`,
      cause: `At ${causeTime(sim.now)} an instance was taken out of the warm pool in response to ${why}.`,
      details: activityDetails(entry.instance),
      scaling: false,
    });
    entry.instance.activityId = activity.ActivityId;
  }
  setWarmedState(sim, region, pool, entry, 'Warmed:Terminating');
  terminateInstance(sim, region, entry.instance.instanceId, '');
}

/**
 * A scale-out takes a warmed instance before launching a new one ("Amazon EC2
 * Auto Scaling launches instances from the warm pool … when it needs to scale
 * out"): one resting in `zone` if any, else in any AZ. It is started if it was
 * stopped and comes back as a `Pending` member for the controller to add.
 */
export function takeFromWarmPool(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, zone: string): GroupInstance | undefined {
  const pool = region.autoscaling.warmPools.get(group.name);
  if (!pool || pool.Status === 'PendingDelete' || pool.instances.size === 0) return undefined;
  const resting = [...pool.instances.values()].filter((e) => e.lifecycleState === 'Warmed:Stopped' || e.lifecycleState === 'Warmed:Running' || e.lifecycleState === 'Warmed:Hibernated');
  const entry = resting.find((e) => e.instance.availabilityZone === zone) ?? resting[0];
  if (!entry) return undefined;
  startInstance(sim, region, entry.instance.instanceId);
  pool.instances.delete(entry.instance.instanceId);
  setWarmedState(sim, region, pool, entry, null);
  scheduleWarmPool(sim, region, pool); // refill
  return { ...entry.instance, lifecycleState: 'Pending', healthStatus: 'Healthy', activityId: undefined, inServiceAt: undefined, removal: undefined };
}

/** ReuseOnScaleIn: whether an instance the group scales in goes back to the pool. */
export function reusesOnScaleIn(region: RegionState, groupName: string): boolean {
  const pool = region.autoscaling.warmPools.get(groupName);
  return pool !== undefined && pool.ReuseOnScaleIn && pool.Status !== 'PendingDelete';
}

/** An instance scaled in with ReuseOnScaleIn, drained and out of the group: back to the pool (stopped for a Stopped pool). */
export function returnToWarmPool(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  const pool = region.autoscaling.warmPools.get(group.name);
  if (!pool) {
    terminateInstance(sim, region, instance.instanceId, '');
    return;
  }
  const entry: WarmPoolInstanceRecord = {
    instance: { ...instance, lifecycleState: 'Pending', activityId: undefined, removal: undefined, inServiceAt: undefined },
    lifecycleState: 'Warmed:Pending',
  };
  pool.instances.set(instance.instanceId, entry);
  sim.history.record({ t: sim.now, type: 'lifecycle', region: region.region, group: group.name, instanceId: instance.instanceId, from: null, to: 'Warmed:Pending' });
  scheduleWarmPool(sim, region, pool);
}
