/**
 * The instance refresh engine (E-32 … E-36): replaces a group's instances
 * the way AWS's rolling strategy does, on the simulation's clock.
 *
 * Each step (run when an instance of the group changes lifecycle or health,
 * when a warmup, checkpoint delay or bake time ends, and every STEP_MS while
 * the refresh is active):
 *   - terminates as many instances still to replace as the floor allows:
 *     ready instances − ceil(Desired × MinHealthyPercentage / 100);
 *   - launches replacements up to floor(Desired × MaxHealthyPercentage / 100)
 *     instances in the group (above Desired only when MaxHealthyPercentage >
 *     100: launch before terminate);
 *   - when neither is possible and nothing is in flight, replaces one
 *     instance anyway ("Setting the minimum healthy percentage to 100 percent
 *     limits the rate of replacement to one instance at a time",
 *     API_RefreshPreferences), so a single-instance group dips to zero as on AWS.
 * A new instance counts as updated once it is InService, Healthy and its
 * warmup has passed (InstanceWarmup, else the group's DefaultInstanceWarmup,
 * else HealthCheckGracePeriod): "When the instance's health status changes to
 * healthy and the specified warm-up time passes, the instance is considered
 * updated" (API_InstanceRefresh, PercentageComplete). Target health is not
 * waited for beyond what the group's own health check makes of it.
 *
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
 */
import type { HistoryEntry } from '../../history.js';
import type { ScheduledEvent } from '../../scheduler.js';
import type { RegionState, Simulation } from '../../world.js';
import { resolveLaunchTemplate } from '../ec2/index.js';
import { activityDetails, causeTime, recordFailedLaunch, startActivity } from './activities.js';
import { advanceInstance, beginRemoval, isSuspended, requestReconcile } from './controller.js';
import type { InstanceRefreshRecord, InstanceRefreshStatus, RefreshTarget } from './instance-refresh-state.js';
import { launchGroupInstance } from './launch.js';
import { countsTowardCapacity, joinGroup, recordGroupChange } from './membership.js';
import type { AutoScalingGroupRecord, GroupInstance } from './state.js';

/** How often an active refresh looks again when nothing wakes it sooner (alarms, launch retries). */
export const STEP_MS = 10_000;
/**
 * Replacements that fail in a row (launch failed, or the new instance was
 * found Unhealthy) before the refresh fails. AWS does not publish its number;
 * three keeps a broken image from cycling for long.
 */
export const MAX_CONSECUTIVE_FAILURES = 3;
/** "Wait … waits one hour for you to remove scale-in protection. Otherwise, the instance refresh will fail." (API_RefreshPreferences) */
export const WAIT_FOR_INSTANCES_MS = 3_600_000;

const ACTIVE: ReadonlySet<InstanceRefreshStatus> = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

export function isActiveRefresh(record: InstanceRefreshRecord): boolean {
  return ACTIVE.has(record.Status);
}

/** The group's refresh that is not over yet, if any (one at a time: InstanceRefreshInProgress). */
export function activeRefresh(region: RegionState, groupName: string): InstanceRefreshRecord | undefined {
  const list = region.autoscaling.instanceRefreshes.get(groupName);
  return list?.find(isActiveRefresh);
}

// ---------------------------------------------------------------------------
// Scheduling (handles live beside the plain-data records)

const stepEvents = new WeakMap<InstanceRefreshRecord, ScheduledEvent>();

/** Queues a step of the refresh at `at` (now by default), unless one is already due sooner. */
export function scheduleStep(sim: Simulation, region: RegionState, record: InstanceRefreshRecord, at = sim.now): void {
  const queued = stepEvents.get(record);
  if (queued && !queued.cancelled && queued.at <= at) return;
  sim.scheduler.cancel(queued);
  stepEvents.set(
    record,
    sim.scheduler.at(at, `autoscaling:instance-refresh:${record.AutoScalingGroupName}`, () => {
      stepEvents.delete(record);
      runStep(sim, region, record);
    }),
  );
}

/** Subscribes the engine to the group changes that move a refresh on (once per simulation). */
export function startInstanceRefreshEngine(sim: Simulation): void {
  sim.history.subscribe((entry) => onHistoryEntry(sim, entry));
}

/**
 * Re-arms the timers of every active refresh (after a state file is loaded:
 * the records are plain data, their scheduled steps are not).
 */
export function resumeInstanceRefreshes(sim: Simulation, region: RegionState): void {
  for (const list of region.autoscaling.instanceRefreshes.values()) {
    for (const record of list) if (isActiveRefresh(record)) scheduleStep(sim, region, record);
  }
}

function onHistoryEntry(sim: Simulation, entry: HistoryEntry): void {
  if (entry.type !== 'lifecycle' && entry.type !== 'health' && entry.type !== 'activity') return;
  const region = sim.allRegions().find((r) => r.region === entry.region);
  if (!region) return;
  const record = activeRefresh(region, entry.group);
  if (!record) return;
  // A replacement failed: its launch activity failed, or the new instance turned Unhealthy.
  if (entry.type === 'activity' && entry.status === 'Failed' && entry.description.startsWith('Launching')) record.consecutiveFailures++;
  if (entry.type === 'health' && entry.to === 'Unhealthy' && isNewInstance(record, entry.instanceId)) record.consecutiveFailures++;
  scheduleStep(sim, region, record);
}

// ---------------------------------------------------------------------------
// Classification

function isNewInstance(record: InstanceRefreshRecord, instanceId: string): boolean {
  return !record.toReplace.includes(instanceId) && !record.ignored.includes(instanceId);
}

/** The warmup an instance launched by the refresh waits out once InService (seconds). */
export function refreshWarmupSeconds(record: InstanceRefreshRecord, group: AutoScalingGroupRecord): number {
  return record.preferences.instanceWarmup ?? group.defaultInstanceWarmup ?? group.healthCheckGracePeriod;
}

function isReady(instance: GroupInstance, readyAfterMs: number, now: number): boolean {
  return instance.lifecycleState === 'InService' && instance.healthStatus === 'Healthy' && instance.inServiceAt !== undefined && now >= instance.inServiceAt + readyAfterMs;
}

/** Whether an instance runs the configuration `target` names (a template version), or else the group's launch configuration. */
export function matchesConfiguration(instance: GroupInstance, target: RefreshTarget | undefined, launchConfigurationName: string | undefined): boolean {
  if (target) return instance.launchTemplate?.LaunchTemplateId === target.LaunchTemplateId && instance.launchTemplate.Version === target.Version;
  return launchConfigurationName !== undefined && instance.launchConfigurationName === launchConfigurationName;
}

/** The group's own launch template, resolved to a version number now (undefined for a launch configuration or a template that is gone). */
export function resolveGroupTarget(region: RegionState, group: AutoScalingGroupRecord): RefreshTarget | undefined {
  const spec = group.launchTemplate ?? group.mixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  if (!spec) return undefined;
  try {
    // EC2 takes the id or else the name, never both (the group may store both).
    const ref = spec.LaunchTemplateId ? { LaunchTemplateId: spec.LaunchTemplateId, Version: spec.Version } : { LaunchTemplateName: spec.LaunchTemplateName, Version: spec.Version };
    const resolved = resolveLaunchTemplate(region, ref);
    return { LaunchTemplateId: resolved.templateId, LaunchTemplateName: resolved.templateName, Version: String(resolved.versionNumber) };
  } catch {
    return undefined;
  }
}

interface Census {
  /** Instances still to replace, present in the group (any state). */
  old: GroupInstance[];
  /** Of those, the ones counted toward capacity (Pending*, InService). */
  oldCounted: GroupInstance[];
  /** Counted instances that are neither to replace nor ignored: the refresh's new instances. */
  fresh: GroupInstance[];
  freshReady: number;
  /** Counted instances (all kinds). */
  counted: number;
  /** Ready instances: old ones InService and Healthy, new ones also warmed up. */
  ready: number;
  /** The first warmup end still ahead (epoch ms), and whose it is. */
  nextWarmupEnd?: number;
  warming?: string;
}

function census(record: InstanceRefreshRecord, group: AutoScalingGroupRecord, now: number): Census {
  const warmupMs = refreshWarmupSeconds(record, group) * 1000;
  const toReplace = new Set(record.toReplace);
  const ignored = new Set(record.ignored);
  const c: Census = { old: [], oldCounted: [], fresh: [], freshReady: 0, counted: 0, ready: 0 };
  for (const instance of group.instances.values()) {
    const counted = countsTowardCapacity(instance.lifecycleState);
    if (toReplace.has(instance.instanceId)) {
      if (instance.removal && instance.lifecycleState !== 'Standby') continue; // already leaving
      c.old.push(instance);
      if (counted) c.oldCounted.push(instance);
    }
    if (!counted) continue;
    c.counted++;
    if (toReplace.has(instance.instanceId) || ignored.has(instance.instanceId)) {
      if (instance.lifecycleState === 'InService' && instance.healthStatus === 'Healthy') c.ready++;
      continue;
    }
    c.fresh.push(instance);
    if (isReady(instance, warmupMs, now)) {
      c.freshReady++;
      c.ready++;
    } else if (instance.lifecycleState === 'InService' && instance.healthStatus === 'Healthy' && instance.inServiceAt !== undefined) {
      const end = instance.inServiceAt + warmupMs;
      if (c.nextWarmupEnd === undefined || end < c.nextWarmupEnd) {
        c.nextWarmupEnd = end;
        c.warming = instance.instanceId;
      }
    }
  }
  return c;
}

// ---------------------------------------------------------------------------
// Status changes

function setStatus(sim: Simulation, region: RegionState, record: InstanceRefreshRecord, status: InstanceRefreshStatus, reason?: string): void {
  const from = record.Status;
  record.Status = status;
  record.StatusReason = reason;
  if (!isActiveRefresh(record)) record.EndTime = sim.now;
  // The history shows every status change (E-20) as a change of the group.
  recordGroupChange(sim, region, record.AutoScalingGroupName, 'InstanceRefreshStatus', from, status);
}

function endRefresh(sim: Simulation, region: RegionState, record: InstanceRefreshRecord, status: InstanceRefreshStatus, reason?: string): void {
  const group = region.autoscaling.groups.get(record.AutoScalingGroupName);
  if (group) {
    group.instanceRefreshLaunch = undefined;
    requestReconcile(sim, region, group);
  }
  sim.scheduler.cancel(stepEvents.get(record));
  stepEvents.delete(record);
  setStatus(sim, region, record, status, reason);
}

/** Succeeded: the group takes the desired configuration ("updates the Auto Scaling group to the desired configuration"). */
function succeed(sim: Simulation, region: RegionState, record: InstanceRefreshRecord, group: AutoScalingGroupRecord): void {
  const desired = record.DesiredConfiguration;
  if (desired?.LaunchTemplate) {
    const from = group.launchTemplate;
    group.launchTemplate = { ...desired.LaunchTemplate };
    group.mixedInstancesPolicy = undefined;
    group.launchConfigurationName = undefined;
    recordGroupChange(sim, region, group.name, 'LaunchTemplate', from ?? null, group.launchTemplate);
  } else if (desired?.MixedInstancesPolicy) {
    group.mixedInstancesPolicy = desired.MixedInstancesPolicy;
    group.launchTemplate = undefined;
    group.launchConfigurationName = undefined;
    recordGroupChange(sim, region, group.name, 'MixedInstancesPolicy', null, desired.MixedInstancesPolicy);
  }
  record.PercentageComplete = 100;
  record.InstancesToUpdate = 0;
  endRefresh(sim, region, record, 'Successful');
}

/** The refresh failed: a rollback when AutoRollback is on, else Failed (what was replaced stays). */
export function failRefresh(sim: Simulation, region: RegionState, record: InstanceRefreshRecord, reason: string): void {
  if (record.rollback) {
    endRefresh(sim, region, record, 'RollbackFailed', reason);
    return;
  }
  if (record.preferences.autoRollback && record.DesiredConfiguration) {
    startRollback(sim, region, record, `Instance refresh failed and auto rollback was initiated: ${reason}`);
    return;
  }
  endRefresh(sim, region, record, 'Failed', reason);
}

/**
 * Starts rolling back: the instances launched so far are replaced with the
 * group's configuration as it was before the refresh ("replaces the
 * instances that have been deployed so far", instance-refresh-rollback).
 */
export function startRollback(sim: Simulation, region: RegionState, record: InstanceRefreshRecord, reason: string): void {
  const group = region.autoscaling.groups.get(record.AutoScalingGroupName);
  record.rollback = {
    RollbackReason: reason,
    RollbackStartTime: sim.now,
    PercentageCompleteOnRollback: record.PercentageComplete,
    InstancesToUpdateOnRollback: record.InstancesToUpdate,
  };
  record.cancelRequested = false;
  record.checkpointUntil = undefined;
  record.bakeUntil = undefined;
  record.waitingSince = undefined;
  record.consecutiveFailures = 0;
  const previous = group ? resolveGroupTarget(region, group) : undefined;
  record.target = previous;
  const toReplace: string[] = [];
  for (const instance of group?.instances.values() ?? []) {
    if (instance.removal && instance.lifecycleState !== 'Standby') continue;
    if (!countsTowardCapacity(instance.lifecycleState)) continue;
    if (!matchesConfiguration(instance, previous, group?.launchConfigurationName)) toReplace.push(instance.instanceId);
  }
  record.toReplace = toReplace;
  record.ignored = [];
  record.total = toReplace.length;
  record.PercentageComplete = toReplace.length ? 0 : 100;
  record.InstancesToUpdate = toReplace.length;
  // Launches now use the group's own (previous) configuration.
  if (group) group.instanceRefreshLaunch = { target: previous, surge: group.instanceRefreshLaunch?.surge ?? 0 };
  setStatus(sim, region, record, 'RollbackInProgress', reason);
  scheduleStep(sim, region, record);
}

// ---------------------------------------------------------------------------
// The step

function alarmState(region: RegionState, alarmName: string): string | undefined {
  return region.cloudwatch.alarms.get(alarmName)?.StateValue;
}

function runStep(sim: Simulation, region: RegionState, record: InstanceRefreshRecord): void {
  if (!isActiveRefresh(record)) return;
  const group = region.autoscaling.groups.get(record.AutoScalingGroupName);
  if (!group || group.deleting) {
    endRefresh(sim, region, record, 'Cancelled', 'The Auto Scaling group was deleted.');
    return;
  }
  try {
    const next = step(sim, region, record, group);
    if (isActiveRefresh(record)) scheduleStep(sim, region, record, Math.min(next ?? Infinity, sim.now + STEP_MS));
  } catch (e) {
    endRefresh(sim, region, record, 'Failed', `internal error in the emulator: ${(e as Error)?.message ?? String(e)}`);
  }
}

/** One step; returns the instant it wants to look again, if sooner than STEP_MS. */
function step(sim: Simulation, region: RegionState, record: InstanceRefreshRecord, group: AutoScalingGroupRecord): number | undefined {
  const now = sim.now;
  const prefs = record.preferences;
  const rollingBack = record.rollback !== undefined;
  if (record.Status === 'Pending') setStatus(sim, region, record, 'InProgress');

  // Alarms (AlarmSpecification): any in ALARM fails the refresh, during baking too; not watched during a rollback.
  if (!rollingBack && prefs.alarms.length) {
    const firing = prefs.alarms.filter((name) => alarmState(region, name) === 'ALARM');
    if (firing.length) {
      failRefresh(sim, region, record, `The instance refresh failed because the following CloudWatch alarms went into ALARM state: ${firing.join(', ')}.`);
      return undefined;
    }
  }

  const c = census(record, group, now);
  record.PercentageComplete = record.total ? Math.floor((100 * Math.min(c.freshReady, record.total)) / record.total) : 100;
  record.InstancesToUpdate = Math.max(0, record.total - Math.min(c.freshReady, record.total));
  const inFlight = c.fresh.length - c.freshReady;
  if (inFlight === 0 && c.freshReady > 0) record.consecutiveFailures = 0;

  if (record.Status === 'Baking') {
    if (record.bakeUntil !== undefined && now >= record.bakeUntil) succeed(sim, region, record, group);
    return record.bakeUntil;
  }

  if (record.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
    failRefresh(
      sim,
      region,
      record,
      `The instance refresh failed because ${record.consecutiveFailures} replacement instances in a row failed to launch or were found unhealthy. See the scaling activities.`,
    );
    return undefined;
  }

  if (record.Status === 'Cancelling') {
    // Cancelling lets the replacements under way finish, starts no new ones (API_CancelInstanceRefresh).
    if (inFlight === 0) {
      if (group.instanceRefreshLaunch) group.instanceRefreshLaunch.surge = 0;
      endRefresh(sim, region, record, 'Cancelled', 'The instance refresh was cancelled by a user request.');
    }
    return c.nextWarmupEnd;
  }

  // Done: every instance replaced, warmed up, and the group back at its desired capacity.
  if (c.old.length === 0 && inFlight === 0 && c.counted === group.desiredCapacity) {
    if (rollingBack) {
      record.PercentageComplete = 100;
      record.InstancesToUpdate = 0;
      endRefresh(sim, region, record, 'RollbackSuccessful', record.rollback!.RollbackReason);
      return undefined;
    }
    if (prefs.bakeTime > 0) {
      record.bakeUntil = now + prefs.bakeTime * 1000;
      setStatus(sim, region, record, 'Baking', `Waiting for the bake time of ${prefs.bakeTime} seconds to end.`);
      return record.bakeUntil;
    }
    succeed(sim, region, record, group);
    return undefined;
  }

  // A checkpoint's delay.
  if (record.checkpointUntil !== undefined) {
    if (now < record.checkpointUntil) return record.checkpointUntil;
    record.checkpointUntil = undefined;
    record.nextCheckpoint++;
  }

  if (isSuspended(group, 'InstanceRefresh')) {
    record.StatusReason = 'Waiting for the InstanceRefresh process to be resumed.';
    return undefined;
  }

  // Standby instances with Terminate: terminated, not replaced (they do not count toward capacity).
  if (!rollingBack && prefs.standbyInstances === 'Terminate') {
    for (const instance of c.old) {
      if (instance.lifecycleState !== 'Standby') continue;
      beginRemoval(sim, region, group, instance, { exit: 'terminate', cause: refreshTerminationCause(now, instance.instanceId) });
    }
  }

  const desired = group.desiredCapacity;
  const minCount = Math.ceil((desired * prefs.minHealthyPercentage) / 100);
  const maxCount = Math.max(desired, Math.floor((desired * prefs.maxHealthyPercentage) / 100));
  // Checkpoints cap how many replacements start before the pause (a rollback ignores them).
  const checkpoint = rollingBack ? undefined : prefs.checkpointPercentages[record.nextCheckpoint];
  const cap = checkpoint === undefined ? Infinity : Math.ceil((record.total * checkpoint) / 100);
  const removedSoFar = record.total - c.old.length;

  // Which old instances may go now (Wait: protected ones wait for their protection to be removed).
  const replaceable = c.oldCounted.filter((i) => rollingBack || prefs.scaleInProtectedInstances !== 'Wait' || !i.protectedFromScaleIn);
  // Pending or unhealthy old instances first: they serve nothing.
  replaceable.sort((a, b) => rank(a) - rank(b));

  let terminate = Math.min(replaceable.length, c.ready - minCount, cap - removedSoFar);
  const roomToLaunch = maxCount - c.counted;
  if (terminate <= 0 && inFlight === 0 && roomToLaunch <= 0 && replaceable.length > 0 && cap - removedSoFar > 0) terminate = 1;
  terminate = Math.max(0, terminate);
  for (const instance of replaceable.slice(0, terminate)) {
    beginRemoval(sim, region, group, instance, { exit: 'terminate', cause: refreshTerminationCause(now, instance.instanceId) });
  }
  let counted = c.counted - terminate;
  const others = counted - (c.oldCounted.length - terminate); // new, skipped and ignored instances still counted
  const freshCount = c.fresh.length;
  const launches = Math.max(0, Math.min(maxCount - counted, desired - others, cap - freshCount));
  let launched = 0;
  if (!isSuspended(group, 'Launch')) {
    for (let n = 0; n < launches; n++) {
      if (!launchReplacement(sim, region, record, group)) break;
      launched++;
    }
  }
  counted += launched;
  group.instanceRefreshLaunch = { target: record.target, surge: Math.max(0, counted - desired) };

  // Checkpoint reached: every replacement up to it done and warmed up.
  if (checkpoint !== undefined && checkpoint < 100 && launched === 0 && terminate === 0 && inFlight === 0 && removedSoFar >= cap && c.freshReady >= Math.min(cap, desired)) {
    record.checkpointUntil = now + prefs.checkpointDelay * 1000;
    record.StatusReason = `Waiting for the checkpoint delay of ${prefs.checkpointDelay} seconds to end: ${record.PercentageComplete}% of the instances are replaced (checkpoint ${checkpoint}%).`;
    return record.checkpointUntil;
  }

  // Only instances the refresh must wait for are left.
  const waitingOn = c.old.filter((i) => !replaceable.includes(i) || i.lifecycleState === 'Standby');
  if (c.old.length > 0 && waitingOn.length === c.old.length && inFlight === 0 && launched === 0) {
    record.waitingSince ??= now;
    if (now >= record.waitingSince + WAIT_FOR_INSTANCES_MS) {
      failRefresh(
        sim,
        region,
        record,
        `The instance refresh failed because instances that are protected from scale in or in Standby were not made available for replacement within one hour: ${waitingOn.map((i) => i.instanceId).join(', ')}.`,
      );
      return undefined;
    }
    record.StatusReason = `Waiting for instances that are protected from scale in or in Standby: ${waitingOn.map((i) => i.instanceId).join(', ')}.`;
    return record.waitingSince + WAIT_FOR_INSTANCES_MS;
  }
  record.waitingSince = undefined;

  record.StatusReason = c.warming
    ? `Waiting for instances to warm up before continuing. For example: ${c.warming} is warming up.`
    : inFlight > 0
      ? `Waiting for remaining instances to be available. For example: ${c.fresh.find((i) => i.lifecycleState !== 'InService')?.instanceId ?? c.fresh[0]!.instanceId} is not yet InService.`
      : undefined;
  return c.nextWarmupEnd;
}

function rank(instance: GroupInstance): number {
  if (instance.healthStatus === 'Unhealthy') return 0;
  return instance.lifecycleState === 'InService' ? 2 : 1;
}

/** AWS's cause for a refresh's termination (DescribeScalingActivities). */
export function refreshTerminationCause(now: number, instanceId: string): string {
  return `At ${causeTime(now)} an instance was taken out of service in response to an instance refresh.  At ${causeTime(now)} instance ${instanceId} was selected for termination.`;
}

/** Launches one instance of the refresh's configuration in the AZ with the fewest instances; false when EC2 refused. */
function launchReplacement(sim: Simulation, region: RegionState, record: InstanceRefreshRecord, group: AutoScalingGroupRecord): boolean {
  const perZone = new Map<string, number>(group.availabilityZones.map((z) => [z, 0]));
  for (const instance of group.instances.values()) {
    if (countsTowardCapacity(instance.lifecycleState)) perZone.set(instance.availabilityZone, (perZone.get(instance.availabilityZone) ?? 0) + 1);
  }
  let zone = group.availabilityZones[0]!;
  for (const z of group.availabilityZones) if (perZone.get(z)! < perZone.get(zone)!) zone = z;
  const cause = `At ${causeTime(sim.now)} an instance was launched in response to an instance refresh.`;
  // Launch with the refresh's configuration even before the group carries it.
  group.instanceRefreshLaunch = { target: record.target, surge: group.instanceRefreshLaunch?.surge ?? 0 };
  let instance: GroupInstance;
  try {
    instance = launchGroupInstance(sim, region, group, zone);
  } catch (error) {
    // The Failed launch activity counts as a failed replacement (onHistoryEntry).
    recordFailedLaunch(sim, region, group, { zone, cause, error });
    return false;
  }
  joinGroup(sim, region, group, instance);
  const activity = startActivity(sim, region, group, {
    description: `Launching a new EC2 instance: ${instance.instanceId}`,
    cause,
    details: activityDetails(instance),
    scaling: true,
  });
  instance.activityId = activity.ActivityId;
  advanceInstance(sim, region, group, instance);
  requestReconcile(sim, region, group);
  return true;
}
