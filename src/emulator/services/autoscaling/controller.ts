/**
 * The Auto Scaling controller: a reconcile loop per group (E-3…E-16) and the
 * instance lifecycle state machine, all on the simulation's scheduler.
 *
 * - A reconcile runs shortly after any change (REACT_DELAY_MS, one queued
 *   per group) and every PERIODIC_MS while something is under way; each pass
 *   is linear in the group's size.
 * - Instances move on as the EC2 and ELBv2 state they wait for changes: the
 *   controller follows the history feed ('instance' and 'target' entries) and
 *   re-checks on each pass, so a missed entry only delays a transition.
 *
 * Launch:  Pending → [Pending:Wait → Pending:Proceed] → InService (registered with the target groups)
 * Removal: Terminating → (drain) → [Terminating:Wait] → Terminating:Proceed → Terminated → gone
 *          Detaching → (drain) → Detached → gone;  EnteringStandby → (drain) → Standby
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html
 */
import type { HistoryEntry } from '../../history.js';
import type { RegionState, Simulation } from '../../world.js';
import { findInstance, setInstanceTag, terminateInstance } from '../ec2/index.js';
import { deregisterInstance, registerInstance, targetState } from '../elbv2/index.js';
import { activityDetails, causeTime, recordFailedLaunch, newUuid, startActivity, updateActivity, type NewActivity } from './activities.js';
import { failedHealthCheck, gracePeriodEnd, healthFailureCause, usesElbHealthCheck } from './health.js';
import { currentLaunchReference, GROUP_NAME_TAG, isZonalLaunchFailure, launchGroupInstance } from './launch.js';
import { countsTowardCapacity, isPendingState, joinGroup, leaveGroup, recordGroupChange, setHealthStatus, setLifecycleState } from './membership.js';
import {
  LAUNCHING_TRANSITION,
  TERMINATING_TRANSITION,
  type ActivityRecord,
  type AutoScalingGroupRecord,
  type GroupInstance,
  type LifecycleTransition,
  type LifecycleWait,
  type RemovalExit,
  type ScalingProcess,
} from './state.js';
import { chooseInstancesToTerminate, type TerminationCandidate } from './termination-policy.js';
import { forgetPolicyAlarms } from './target-tracking.js';
import { returnToWarmPool, reusesOnScaleIn, takeFromWarmPool } from './warm-pool.js';

/** How soon after a change the group reconciles (simulated ms). */
export const REACT_DELAY_MS = 1_000;
/** How often a group with something under way is re-checked. */
export const PERIODIC_MS = 10_000;
/** Failed launches are retried after 10 s, 20 s, 40 s, … up to 5 min (E-12). */
export const LAUNCH_BACKOFF_BASE_MS = 10_000;
export const LAUNCH_BACKOFF_MAX_MS = 300_000;

export function isSuspended(group: AutoScalingGroupRecord, process: ScalingProcess): boolean {
  return group.suspendedProcesses.has(process);
}

function launchBackoffMs(failures: number): number {
  return Math.min(LAUNCH_BACKOFF_MAX_MS, LAUNCH_BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
}

// ---------------------------------------------------------------------------
// Scheduling

/** Groups whose reconcile pass is running: changes they make need no extra pass. */
const reconciling = new WeakSet<AutoScalingGroupRecord>();

/** Queues a reconcile of the group `delayMs` from now, unless one is already due sooner. */
export function requestReconcile(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, delayMs = REACT_DELAY_MS): void {
  if (reconciling.has(group)) return;
  const at = sim.now + Math.max(0, delayMs);
  const queued = group.reconcileEvent;
  if (queued && !queued.cancelled && queued.at <= at) return;
  sim.scheduler.cancel(queued);
  group.reconcileEvent = sim.scheduler.at(at, `autoscaling:reconcile:${group.name}`, () => {
    if (region.autoscaling.groups.get(group.name) !== group) return;
    // A pass that failed is tried again later rather than leaving the group unattended.
    if (!guarded(sim, region, group, () => reconcileGroup(sim, region, group))) requestReconcile(sim, region, group, PERIODIC_MS);
  });
}

/**
 * Runs controller work from a scheduled event. A bug here must not take the
 * emulator down with it (the event queue runs inside request handling and the
 * pump): it is recorded as a Failed activity on the group instead.
 */
function guarded(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord | undefined, work: () => void): boolean {
  try {
    work();
    return true;
  } catch (e) {
    if (!group) throw e;
    startActivity(sim, region, group, {
      description: 'Auto Scaling controller error',
      cause: `At ${causeTime(sim.now)} the emulator's controller failed.`,
      statusCode: 'Failed',
      statusMessage: `internal error in the emulator: ${(e as Error)?.stack ?? String(e)}`,
      scaling: false,
      ended: true,
    });
    return false;
  }
}

// ---------------------------------------------------------------------------
// The history feed

/** Subscribes the controller to instance and target changes (called once per simulation). */
export function startAutoScalingController(sim: Simulation): void {
  sim.history.subscribe((entry) => onHistoryEntry(sim, entry));
}

function onHistoryEntry(sim: Simulation, entry: HistoryEntry): void {
  if (entry.type !== 'instance' && entry.type !== 'target') return;
  if (entry.type === 'target' && entry.to !== null && entry.to !== 'unhealthy') return;
  const region = sim.allRegions().find((r) => r.region === entry.region);
  if (!region) return;
  const groupName = region.autoscaling.instanceGroups.get(entry.instanceId);
  if (!groupName) return;
  // React in an event of its own at the same instant, after the service that
  // recorded the entry has finished its own change.
  const instanceId = entry.instanceId;
  sim.scheduler.after(0, `autoscaling:${entry.type}-change`, () => {
    const group = region.autoscaling.groups.get(groupName);
    const instance = group?.instances.get(instanceId);
    if (!group || !instance) return;
    guarded(sim, region, group, () => touchInstance(sim, region, group, instance));
  });
}

/** Moves one instance on as far as its EC2/ELB state allows, and checks its health. */
export function touchInstance(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  advanceInstance(sim, region, group, instance);
  if (group.instances.get(instance.instanceId) === instance) evaluateHealth(sim, region, group, instance);
}

// ---------------------------------------------------------------------------
// Health (E-6)

/** Marks the instance Unhealthy when it fails a check (unless HealthCheck is suspended). */
export function evaluateHealth(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  if (isSuspended(group, 'HealthCheck') || instance.healthStatus === 'Unhealthy') return;
  const failure = failedHealthCheck(region, group, instance, sim.now);
  if (!failure) {
    // Still inside the grace period (or it changed, or the check type did): look again when it ends.
    if (instance.lifecycleState === 'InService' && !instance.graceCheck) scheduleGraceCheck(sim, region, group, instance);
    return;
  }
  instance.unhealthyCause = failure;
  setHealthStatus(sim, region, group, instance, 'Unhealthy');
  requestReconcile(sim, region, group);
}

function scheduleGraceCheck(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  sim.scheduler.cancel(instance.graceCheck);
  instance.graceCheck = undefined;
  const end = gracePeriodEnd(group, instance);
  if (!usesElbHealthCheck(group) || end === undefined || end <= sim.now) return;
  instance.graceCheck = sim.scheduler.at(end, 'autoscaling:grace-period-end', () => {
    instance.graceCheck = undefined;
    if (group.instances.get(instance.instanceId) !== instance) return;
    guarded(sim, region, group, () => evaluateHealth(sim, region, group, instance));
  });
}

// ---------------------------------------------------------------------------
// The instance state machine

/** Takes the instance as far along its lifecycle as EC2 and ELBv2 allow now. */
export function advanceInstance(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  switch (instance.lifecycleState) {
    case 'Pending': {
      const ec2 = findInstance(region, instance.instanceId);
      if (ec2?.state !== 'running' || instance.healthStatus === 'Unhealthy') return;
      if (!instance.skipLaunchHooks && startLifecycleAction(sim, region, group, instance, LAUNCHING_TRANSITION)) {
        setLifecycleState(sim, region, group, instance, 'Pending:Wait');
        updateActivity(sim, region, instance.activityId, { statusCode: 'MidLifecycleAction', progress: 50 });
        return;
      }
      enterService(sim, region, group, instance);
      return;
    }
    case 'Pending:Proceed':
      if (instance.healthStatus === 'Healthy') enterService(sim, region, group, instance);
      return;
    case 'Terminating':
    case 'Detaching':
    case 'EnteringStandby':
      if (removalDrained(region, instance)) afterDraining(sim, region, group, instance);
      return;
    case 'Terminating:Proceed': {
      const ec2 = findInstance(region, instance.instanceId);
      if (ec2 && ec2.state !== 'terminated' && !instance.terminateRequested) {
        instance.terminateRequested = true;
        terminateInstance(sim, region, instance.instanceId, '');
      }
      const after = findInstance(region, instance.instanceId);
      if (!after || after.state === 'terminated') finishTermination(sim, region, group, instance);
      return;
    }
    case 'Standby': {
      // A Standby instance terminated through EC2 leaves the group (it gets no health checks to replace it).
      const ec2 = findInstance(region, instance.instanceId);
      if (!ec2 || ec2.state === 'terminated') {
        setLifecycleState(sim, region, group, instance, 'Terminated');
        leaveGroup(sim, region, group, instance);
      }
      return;
    }
    default:
      return;
  }
}

/** Registers with the target groups (AddToLoadBalancer) and goes InService; the launch activity succeeds. */
function enterService(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  if (!isSuspended(group, 'AddToLoadBalancer')) {
    for (const arn of group.targetGroupArns) {
      try {
        registerInstance(sim, region, arn, instance.instanceId);
      } catch {
        // A target group deleted under the group: nothing to register with.
      }
    }
  }
  setLifecycleState(sim, region, group, instance, 'InService');
  updateActivity(sim, region, instance.activityId, { statusCode: 'Successful' });
  instance.activityId = undefined;
  scheduleGraceCheck(sim, region, group, instance);
}

function removalDrained(region: RegionState, instance: GroupInstance): boolean {
  const removal = instance.removal;
  if (!removal) return true;
  if (removal.force) return true;
  removal.draining = removal.draining.filter((arn) => targetState(region, arn, instance.instanceId) !== undefined);
  return removal.draining.length === 0;
}

function afterDraining(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  const exit = instance.removal?.exit ?? 'terminate';
  switch (exit) {
    case 'standby':
      instance.removal = undefined;
      setLifecycleState(sim, region, group, instance, 'Standby');
      updateActivity(sim, region, instance.activityId, { statusCode: 'Successful' });
      instance.activityId = undefined;
      return;
    case 'detach':
      setLifecycleState(sim, region, group, instance, 'Detached');
      try {
        setInstanceTag(region, instance.instanceId, GROUP_NAME_TAG, undefined);
      } catch {
        // The EC2 instance is already gone.
      }
      updateActivity(sim, region, instance.activityId, { statusCode: 'Successful' });
      leaveGroup(sim, region, group, instance);
      return;
    case 'warm-pool':
      // ReuseOnScaleIn (E-37): drained, it leaves the group for the warm pool instead of terminating.
      setLifecycleState(sim, region, group, instance, 'Terminated');
      updateActivity(sim, region, instance.activityId, { statusCode: 'Successful' });
      leaveGroup(sim, region, group, instance);
      returnToWarmPool(sim, region, group, instance);
      return;
    case 'terminate':
      if (!instance.removal?.force && startLifecycleAction(sim, region, group, instance, TERMINATING_TRANSITION)) {
        setLifecycleState(sim, region, group, instance, 'Terminating:Wait');
        updateActivity(sim, region, instance.activityId, { statusCode: 'MidLifecycleAction', progress: 50 });
        return;
      }
      proceedWithTermination(sim, region, group, instance);
      return;
  }
}

function proceedWithTermination(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  setLifecycleState(sim, region, group, instance, 'Terminating:Proceed');
  updateActivity(sim, region, instance.activityId, { statusCode: 'InProgress', progress: 75 });
  advanceInstance(sim, region, group, instance);
}

function finishTermination(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  setLifecycleState(sim, region, group, instance, 'Terminated');
  updateActivity(sim, region, instance.activityId, { statusCode: 'Successful' });
  leaveGroup(sim, region, group, instance);
  if (group.deleting) requestReconcile(sim, region, group, 0);
}

export interface RemovalRequest {
  exit: RemovalExit;
  /** The activity's Cause. */
  cause: string;
  /** ForceDelete: deregister but do not wait for draining, run no hooks. */
  force?: boolean;
  /** Start no activity of its own (an abandoned launch: its launch activity says why). */
  noActivity?: boolean;
}

const REMOVAL_STATE = { terminate: 'Terminating', detach: 'Detaching', standby: 'EnteringStandby', 'warm-pool': 'Terminating' } as const;
const REMOVAL_DESCRIPTION = {
  terminate: 'Terminating EC2 instance',
  'warm-pool': 'Moving EC2 instance to warm pool',
  detach: 'Detaching EC2 instance',
  standby: 'Moving EC2 instance to Standby',
} as const;

/**
 * Starts taking an instance out of service: deregisters it from the group's
 * target groups and moves it to Terminating / Detaching / EnteringStandby; it
 * moves on once draining is over. Returns the activity (the one already
 * running when the instance is already being terminated).
 */
export function beginRemoval(
  sim: Simulation,
  region: RegionState,
  group: AutoScalingGroupRecord,
  instance: GroupInstance,
  request: RemovalRequest,
): ActivityRecord | undefined {
  if (instance.removal && instance.lifecycleState !== 'Standby') {
    // Already leaving. A forced delete may cut a termination's drain or hook short.
    if (request.force && instance.removal.exit === 'terminate' && !instance.removal.force) {
      instance.removal.force = true;
      if (instance.lifecycleState === 'Terminating:Wait') {
        cancelLifecycleAction(sim, instance);
        proceedWithTermination(sim, region, group, instance);
      } else advanceInstance(sim, region, group, instance);
    }
    return instance.activityId ? region.autoscaling.activityById.get(instance.activityId) : undefined;
  }
  const wasPending = isPendingState(instance.lifecycleState);
  cancelLifecycleAction(sim, instance);
  if (instance.activityId) {
    // A launch or exit from Standby that never reached InService.
    updateActivity(sim, region, instance.activityId, {
      statusCode: 'Cancelled',
      statusMessage: wasPending ? 'The instance was taken out of service before it entered InService.' : undefined,
    });
    instance.activityId = undefined;
  }
  sim.scheduler.cancel(instance.graceCheck);
  instance.graceCheck = undefined;

  const draining: string[] = [];
  const arns = new Set([...group.targetGroupArns, ...group.removingTargetGroupArns]);
  for (const arn of arns) {
    const state = targetState(region, arn, instance.instanceId);
    if (state === undefined) continue;
    if (state !== 'draining') deregisterInstance(sim, region, arn, instance.instanceId);
    draining.push(arn);
  }
  instance.removal = { exit: request.exit, draining, force: request.force ?? false };
  setLifecycleState(sim, region, group, instance, REMOVAL_STATE[request.exit]);

  let activity: ActivityRecord | undefined;
  if (!request.noActivity) {
    const spec: NewActivity = {
      description: `${REMOVAL_DESCRIPTION[request.exit]}: ${instance.instanceId}`,
      cause: request.cause,
      details: activityDetails(instance),
      scaling: request.exit === 'terminate',
      statusCode: draining.length && !request.force ? 'WaitingForELBConnectionDraining' : 'InProgress',
      progress: draining.length ? 30 : 50,
    };
    activity = startActivity(sim, region, group, spec);
    instance.activityId = activity.ActivityId;
  }
  advanceInstance(sim, region, group, instance);
  requestReconcile(sim, region, group);
  return activity;
}

// ---------------------------------------------------------------------------
// Lifecycle hooks (E-14)

function cancelLifecycleAction(sim: Simulation, instance: GroupInstance): void {
  for (const wait of instance.lifecycleAction?.waits.values() ?? []) sim.scheduler.cancel(wait.timeout);
  instance.lifecycleAction = undefined;
}

/** Holds the instance on every hook of `transition`; false when the group has none. */
function startLifecycleAction(
  sim: Simulation,
  region: RegionState,
  group: AutoScalingGroupRecord,
  instance: GroupInstance,
  transition: LifecycleTransition,
): boolean {
  const hooks = [...group.lifecycleHooks.values()].filter((h) => h.LifecycleTransition === transition);
  if (!hooks.length) return false;
  const waits = new Map<string, LifecycleWait>();
  for (const hook of hooks) {
    const wait: LifecycleWait = {
      hookName: hook.LifecycleHookName,
      token: newUuid(sim),
      deadline: sim.now + hook.HeartbeatTimeout * 1000,
      globalDeadline: sim.now + hook.GlobalTimeout * 1000,
    };
    waits.set(hook.LifecycleHookName, wait);
  }
  instance.lifecycleAction = { transition, waits };
  for (const wait of waits.values()) armLifecycleTimeout(sim, region, group, instance, wait);
  return true;
}

function armLifecycleTimeout(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance, wait: LifecycleWait): void {
  sim.scheduler.cancel(wait.timeout);
  wait.timeout = sim.scheduler.at(Math.min(wait.deadline, wait.globalDeadline), 'autoscaling:lifecycle-timeout', () => {
    if (instance.lifecycleAction?.waits.get(wait.hookName) !== wait) return;
    if (group.instances.get(instance.instanceId) !== instance) return;
    const hook = group.lifecycleHooks.get(wait.hookName);
    guarded(sim, region, group, () => completeLifecycleWait(sim, region, group, instance, wait.hookName, hook?.DefaultResult ?? 'ABANDON', 'timeout'));
  });
}

/** RecordLifecycleActionHeartbeat: the wait restarts its heartbeat timeout (never past the global timeout). */
export function extendLifecycleWait(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance, hookName: string): boolean {
  const wait = instance.lifecycleAction?.waits.get(hookName);
  const hook = group.lifecycleHooks.get(hookName);
  if (!wait) return false;
  wait.deadline = sim.now + (hook?.HeartbeatTimeout ?? 3600) * 1000;
  armLifecycleTimeout(sim, region, group, instance, wait);
  return true;
}

/**
 * Ends one hook's wait with CONTINUE or ABANDON (a call, the heartbeat
 * timeout's DefaultResult, or the hook being deleted). ABANDON ends the whole
 * action at once; CONTINUE waits for the instance's other hooks.
 */
export function completeLifecycleWait(
  sim: Simulation,
  region: RegionState,
  group: AutoScalingGroupRecord,
  instance: GroupInstance,
  hookName: string,
  result: 'CONTINUE' | 'ABANDON',
  how: 'call' | 'timeout' | 'hook-deleted',
): void {
  const action = instance.lifecycleAction;
  const wait = action?.waits.get(hookName);
  if (!action || !wait) return;
  sim.scheduler.cancel(wait.timeout);
  action.waits.delete(hookName);
  if (result === 'ABANDON') {
    for (const other of action.waits.values()) sim.scheduler.cancel(other.timeout);
    action.waits.clear();
    if (action.transition === LAUNCHING_TRANSITION) {
      const why = how === 'timeout' ? 'Heartbeat Timeout' : 'Lifecycle Action Completed with ABANDON Result';
      action.abandonedReason = `Instance failed to complete user's Lifecycle Action: Lifecycle Action with token ${wait.token} was abandoned: ${why}`;
    }
  }
  if (action.waits.size > 0) return;
  instance.lifecycleAction = undefined;
  if (action.transition === LAUNCHING_TRANSITION) {
    if (action.abandonedReason) {
      updateActivity(sim, region, instance.activityId, {
        statusCode: 'Cancelled',
        statusMessage: action.abandonedReason,
        description: `Launching a new EC2 instance: ${instance.instanceId}.  Status Reason: ${action.abandonedReason}`,
      });
      instance.activityId = undefined;
      // The instance never served: terminate it without draining or terminating hooks; the group replaces it.
      beginRemoval(sim, region, group, instance, { exit: 'terminate', cause: '', force: true, noActivity: true });
      return;
    }
    setLifecycleState(sim, region, group, instance, 'Pending:Proceed');
    advanceInstance(sim, region, group, instance);
  } else {
    proceedWithTermination(sim, region, group, instance);
  }
  requestReconcile(sim, region, group);
}

/** The instance of the group waiting on `hookName`, by instance id or token. */
export function findLifecycleWait(
  group: AutoScalingGroupRecord,
  hookName: string,
  instanceId: string | undefined,
  token: string | undefined,
): { instance: GroupInstance; wait: LifecycleWait } | undefined {
  if (instanceId) {
    const instance = group.instances.get(instanceId);
    const wait = instance?.lifecycleAction?.waits.get(hookName);
    if (!instance || !wait || (token && wait.token !== token)) return undefined;
    return { instance, wait };
  }
  for (const instance of group.instances.values()) {
    const wait = instance.lifecycleAction?.waits.get(hookName);
    if (wait && wait.token === token) return { instance, wait };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// The reconcile pass (E-3)

function countedInstances(group: AutoScalingGroupRecord): GroupInstance[] {
  const counted: GroupInstance[] = [];
  for (const instance of group.instances.values()) if (countsTowardCapacity(instance.lifecycleState)) counted.push(instance);
  return counted;
}

/** Counts the instances that count toward capacity (E-3). */
export function capacityOf(group: AutoScalingGroupRecord): number {
  let n = 0;
  for (const instance of group.instances.values()) if (countsTowardCapacity(instance.lifecycleState)) n++;
  return n;
}

export function reconcileGroup(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord): void {
  group.reconcileEvent = undefined;
  reconciling.add(group);
  let next: number | undefined;
  try {
    next = reconcilePass(sim, region, group);
  } finally {
    reconciling.delete(group);
  }
  if (region.autoscaling.groups.get(group.name) === group && next !== undefined) requestReconcile(sim, region, group, next);
}

/** One pass; returns the delay to the next pass, if one is needed. */
function reconcilePass(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord): number | undefined {
  const now = sim.now;
  for (const instance of [...group.instances.values()]) touchInstance(sim, region, group, instance);

  if (group.deleting) {
    const cause = `At ${causeTime(now)} a user request deleted the AutoScalingGroup, shrinking the capacity from ${capacityOf(group)} to 0.`;
    for (const instance of [...group.instances.values()]) {
      if (instance.lifecycleState === 'Detaching' || instance.lifecycleState === 'Terminated') continue;
      beginRemoval(sim, region, group, instance, { exit: 'terminate', cause, force: true });
    }
    if (group.instances.size === 0) {
      finishDelete(sim, region, group);
      return undefined;
    }
    return PERIODIC_MS;
  }

  // Replace what failed its health checks (ReplaceUnhealthy needs Terminate too).
  if (!isSuspended(group, 'ReplaceUnhealthy') && !isSuspended(group, 'Terminate')) {
    for (const instance of countedInstances(group)) {
      if (instance.healthStatus !== 'Unhealthy') continue;
      const cause = `At ${causeTime(now)} an instance was taken out of service in response to ${healthFailureCause(instance.unhealthyCause)}.`;
      beginRemoval(sim, region, group, instance, { exit: 'terminate', cause });
    }
  }

  const counted = countedInstances(group);
  const actual = counted.length;
  // An instance refresh may hold instances above desired (MaxHealthyPercentage > 100, E-33).
  const target = group.desiredCapacity + (group.instanceRefreshLaunch?.surge ?? 0);
  let nextDelay: number | undefined;
  if (actual < target) {
    if (!isSuspended(group, 'Launch')) nextDelay = launchMissing(sim, region, group, counted, target);
  } else if (actual > target) {
    if (group.rebalancingSince !== undefined && counted.some((i) => isPendingState(i.lifecycleState))) {
      // AZRebalance launches before it terminates: wait for the new instance.
      nextDelay = PERIODIC_MS;
    } else if (!isSuspended(group, 'Terminate')) {
      group.rebalancingSince = undefined;
      scaleIn(sim, region, group, counted, target);
    }
  } else {
    group.capacityCause = undefined;
    group.rebalancingSince = undefined;
    rebalanceZones(sim, region, group, counted);
  }

  const busy = [...group.instances.values()].some((i) => i.lifecycleState !== 'InService' && i.lifecycleState !== 'Standby');
  if (busy) nextDelay = Math.min(nextDelay ?? PERIODIC_MS, PERIODIC_MS);
  return nextDelay;
}

/** Launches what is missing, spread over the AZs with the fewest instances; returns when to try again if something is left. */
function launchMissing(
  sim: Simulation,
  region: RegionState,
  group: AutoScalingGroupRecord,
  counted: GroupInstance[],
  target = group.desiredCapacity,
): number | undefined {
  const now = sim.now;
  const actual = counted.length;
  const missing = target - actual;
  if (now < group.launchBackoff.nextAttemptAt) return group.launchBackoff.nextAttemptAt - now;

  const perZone = new Map<string, number>();
  for (const zone of group.availabilityZones) perZone.set(zone, 0);
  for (const instance of counted) perZone.set(instance.availabilityZone, (perZone.get(instance.availabilityZone) ?? 0) + 1);

  const prefix = group.capacityCause ? `${group.capacityCause}  ` : '';
  const cause =
    `${prefix}At ${causeTime(now)} an instance was started in response to a difference between desired and actual capacity, ` +
    `increasing the capacity from ${actual} to ${group.desiredCapacity}.`;

  let launched = 0;
  while (launched < missing) {
    const zone = pickZone(sim, group, perZone, now);
    if (zone === undefined) break;
    let instance: GroupInstance;
    try {
      // A warm pool feeds a scale-out before anything new launches (E-37).
      instance = takeFromWarmPool(sim, region, group, zone) ?? launchGroupInstance(sim, region, group, zone);
    } catch (error) {
      recordFailedLaunch(sim, region, group, { zone, cause, error });
      if (isZonalLaunchFailure(sim, error, zone)) {
        const backoff = group.zoneBackoff.get(zone) ?? { failures: 0, until: 0 };
        backoff.failures++;
        backoff.until = now + launchBackoffMs(backoff.failures);
        group.zoneBackoff.set(zone, backoff);
        continue;
      }
      group.launchBackoff.failures++;
      group.launchBackoff.nextAttemptAt = now + launchBackoffMs(group.launchBackoff.failures);
      return group.launchBackoff.nextAttemptAt - now;
    }
    launched++;
    perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
    group.zoneBackoff.delete(zone);
    group.launchBackoff = { failures: 0, nextAttemptAt: 0 };
    joinGroup(sim, region, group, instance);
    const activity = startActivity(sim, region, group, {
      description: `Launching a new EC2 instance: ${instance.instanceId}`,
      cause,
      details: activityDetails(instance),
      scaling: true,
    });
    instance.activityId = activity.ActivityId;
    advanceInstance(sim, region, group, instance);
  }
  if (launched >= missing) return undefined;
  // Every AZ is backing off: come back when the first one may be tried again.
  let soonest = Infinity;
  for (const zone of group.availabilityZones) soonest = Math.min(soonest, group.zoneBackoff.get(zone)?.until ?? now);
  return Math.max(REACT_DELAY_MS, soonest - now);
}

/**
 * AZRebalance (E-5): when the group is settled but its AZs differ by more than
 * one instance, launch one in the smallest AZ first, then (next passes, once it
 * is in service) scale in, which picks the AZ with the most instances (E-7).
 * AWS rebalances the same way, launch before terminate, so that rebalancing
 * never lowers capacity ("Rebalancing activities", EC2 Auto Scaling guide).
 */
function rebalanceZones(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, counted: GroupInstance[]): void {
  if (isSuspended(group, 'AZRebalance') || isSuspended(group, 'Launch') || isSuspended(group, 'Terminate')) return;
  if (counted.length === 0 || counted.some((i) => i.lifecycleState !== 'InService')) return;
  const perZone = new Map<string, number>(group.availabilityZones.map((z) => [z, 0]));
  for (const instance of counted) perZone.set(instance.availabilityZone, (perZone.get(instance.availabilityZone) ?? 0) + 1);
  const counts = [...perZone.values()];
  if (Math.max(...counts) - Math.min(...counts) <= 1) return;
  const zone = pickZone(sim, group, perZone, sim.now);
  if (zone === undefined) return;
  let instance: GroupInstance;
  try {
    instance = launchGroupInstance(sim, region, group, zone);
  } catch {
    return; // the regular launch path reports and backs off launch failures
  }
  group.rebalancingSince = sim.now;
  joinGroup(sim, region, group, instance);
  const activity = startActivity(sim, region, group, {
    description: `Launching a new EC2 instance: ${instance.instanceId}`,
    cause: `At ${causeTime(sim.now)} an instance was launched to rebalance instances across Availability Zones.`,
    details: activityDetails(instance),
    scaling: true,
  });
  instance.activityId = activity.ActivityId;
  advanceInstance(sim, region, group, instance);
  requestReconcile(sim, region, group, PERIODIC_MS);
}

/**
 * The AZ with the fewest instances among those not backing off after failures;
 * ties are broken at random (seeded), so that repeated scale-outs from a
 * balanced group do not always land in the same AZs.
 */
function pickZone(sim: Simulation, group: AutoScalingGroupRecord, perZone: Map<string, number>, now: number): string | undefined {
  let best: string[] = [];
  for (const zone of group.availabilityZones) {
    const backoff = group.zoneBackoff.get(zone);
    if (backoff && backoff.until > now) continue;
    const count = perZone.get(zone)!;
    const bestCount = best.length ? perZone.get(best[0]!)! : Infinity;
    if (count < bestCount) best = [zone];
    else if (count === bestCount) best.push(zone);
  }
  return best.length <= 1 ? best[0] : sim.rng.pick(best);
}

function scaleIn(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, counted: GroupInstance[], target = group.desiredCapacity): void {
  const now = sim.now;
  const excess = counted.length - target;
  const lcs = region.autoscaling.launchConfigurations;
  const candidates: TerminationCandidate[] = counted.map((i) => ({
    instanceId: i.instanceId,
    availabilityZone: i.availabilityZone,
    launchTime: i.launchTime,
    protectedFromScaleIn: i.protectedFromScaleIn,
    launchTemplateId: i.launchTemplate?.LaunchTemplateId,
    launchTemplateVersion: i.launchTemplate ? Number(i.launchTemplate.Version) : undefined,
    launchConfigurationName: i.launchConfigurationName,
    launchConfigurationCreatedTime: i.launchConfigurationName ? lcs.get(i.launchConfigurationName)?.CreatedTime : undefined,
  }));
  const chosen = chooseInstancesToTerminate(candidates, excess, {
    policies: group.terminationPolicies,
    now,
    current: currentLaunchReference(region, group),
    random: () => sim.rng.next(),
  });
  const prefix = group.capacityCause ? `${group.capacityCause}  ` : '';
  const cause =
    `${prefix}At ${causeTime(now)} an instance was taken out of service in response to a difference between desired and actual capacity, ` +
    `shrinking the capacity from ${counted.length} to ${group.desiredCapacity}.`;
  const exit = reusesOnScaleIn(region, group.name) ? 'warm-pool' : 'terminate';
  for (const id of chosen) {
    const instance = group.instances.get(id);
    if (instance) beginRemoval(sim, region, group, instance, { exit, cause });
  }
}

/** The last instance of a force-deleted group is gone: the group, its hooks, policies and actions go too (E-16). */
export function finishDelete(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord): void {
  const state = region.autoscaling;
  if (state.groups.get(group.name) !== group) return;
  sim.scheduler.cancel(group.reconcileEvent);
  group.reconcileEvent = undefined;
  state.groups.delete(group.name);
  for (const [key, policy] of state.policies) {
    if (policy.AutoScalingGroupName !== group.name) continue;
    forgetPolicyAlarms(region, sim.now, policy); // docs/emulator-automation.md E-28
    state.policies.delete(key);
  }
  for (const [key, action] of state.scheduledActions) if (action.AutoScalingGroupName === group.name) state.scheduledActions.delete(key);
  recordGroupChange(sim, region, group.name, 'Status', group.deleting ? 'Delete in progress' : null, 'Deleted');
}

/**
 * After a state file is loaded (E-23): the controller's pending work is armed
 * again from the state — each group's queued reconcile at the instant it was
 * due (the restored handle names it), each instance's grace-period check
 * (from `inServiceAt`) and each lifecycle hook's timeout (from its deadlines).
 */
export function rehydrateAutoScaling(sim: Simulation, region: RegionState): void {
  for (const group of region.autoscaling.groups.values()) {
    const queued = group.reconcileEvent;
    group.reconcileEvent = undefined;
    if (queued && !queued.cancelled) requestReconcile(sim, region, group, queued.at - sim.now);
    for (const instance of group.instances.values()) {
      const grace = instance.graceCheck;
      instance.graceCheck = undefined;
      if (grace && !grace.cancelled) scheduleGraceCheck(sim, region, group, instance);
      for (const wait of instance.lifecycleAction?.waits.values() ?? []) {
        wait.timeout = undefined;
        armLifecycleTimeout(sim, region, group, instance, wait);
      }
    }
  }
}
