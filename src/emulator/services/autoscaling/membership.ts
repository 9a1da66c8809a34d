/**
 * The only places an instance's lifecycle state or health, or a group's
 * recorded fields, change: each change is recorded in the history (E-20) so a
 * test can replay the fleet's capacity at every instant.
 */
import type { RegionState, Simulation } from '../../world.js';
import type { AutoScalingGroupRecord, GroupInstance, HealthStatus, LifecycleState } from './state.js';

/** E-3: what counts against DesiredCapacity (not Standby, Terminating*, Detaching/Detached, EnteringStandby). */
export function countsTowardCapacity(state: LifecycleState): boolean {
  return state === 'Pending' || state === 'Pending:Wait' || state === 'Pending:Proceed' || state === 'InService';
}

export function isPendingState(state: LifecycleState): boolean {
  return state === 'Pending' || state === 'Pending:Wait' || state === 'Pending:Proceed';
}

/** Adds an instance to a group (lifecycle null → its state, health null → Healthy). */
export function joinGroup(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  group.instances.set(instance.instanceId, instance);
  region.autoscaling.instanceGroups.set(instance.instanceId, group.name);
  const base = { t: sim.now, region: region.region, group: group.name, instanceId: instance.instanceId };
  sim.history.record({ ...base, type: 'lifecycle', from: null, to: instance.lifecycleState });
  sim.history.record({ ...base, type: 'health', from: null, to: instance.healthStatus });
}

/** Removes an instance from its group (lifecycle → null). */
export function leaveGroup(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance): void {
  group.instances.delete(instance.instanceId);
  if (region.autoscaling.instanceGroups.get(instance.instanceId) === group.name) region.autoscaling.instanceGroups.delete(instance.instanceId);
  sim.scheduler.cancel(instance.graceCheck);
  for (const wait of instance.lifecycleAction?.waits.values() ?? []) sim.scheduler.cancel(wait.timeout);
  sim.history.record({
    t: sim.now,
    type: 'lifecycle',
    region: region.region,
    group: group.name,
    instanceId: instance.instanceId,
    from: instance.lifecycleState,
    to: null,
  });
}

export function setLifecycleState(
  sim: Simulation,
  region: RegionState,
  group: AutoScalingGroupRecord,
  instance: GroupInstance,
  to: LifecycleState,
): void {
  const from = instance.lifecycleState;
  if (from === to) return;
  instance.lifecycleState = to;
  if (to === 'InService') instance.inServiceAt = sim.now;
  sim.history.record({ t: sim.now, type: 'lifecycle', region: region.region, group: group.name, instanceId: instance.instanceId, from, to });
}

export function setHealthStatus(
  sim: Simulation,
  region: RegionState,
  group: AutoScalingGroupRecord,
  instance: GroupInstance,
  to: HealthStatus,
): void {
  const from = instance.healthStatus;
  if (from === to) return;
  instance.healthStatus = to;
  if (to === 'Healthy') instance.unhealthyCause = undefined;
  sim.history.record({ t: sim.now, type: 'health', region: region.region, group: group.name, instanceId: instance.instanceId, from, to });
}

/** Records a change of one of the group's sizes or settings ('DesiredCapacity', 'MinSize', 'LaunchTemplate', …). */
export function recordGroupChange(sim: Simulation, region: RegionState, group: string, field: string, from: unknown, to: unknown): void {
  if (sameValue(from, to)) return;
  sim.history.record({ t: sim.now, type: 'group', region: region.region, group, field, from, to });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Sets DesiredCapacity and records it. */
export function setDesiredCapacity(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, desired: number): void {
  const from = group.desiredCapacity;
  group.desiredCapacity = desired;
  recordGroupChange(sim, region, group.name, 'DesiredCapacity', from, desired);
}
