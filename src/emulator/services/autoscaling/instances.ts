/**
 * Operations on a group's instances: TerminateInstanceInAutoScalingGroup,
 * AttachInstances, DetachInstances, EnterStandby, ExitStandby,
 * SetInstanceHealth, SetInstanceProtection (E-8 … E-11). Each checks
 * everything before it changes anything, so a refused call changes nothing.
 */
import type {
  ActivitiesType,
  ActivityType,
  AttachInstancesQuery,
  DetachInstancesAnswer,
  DetachInstancesQuery,
  EnterStandbyAnswer,
  EnterStandbyQuery,
  ExitStandbyAnswer,
  ExitStandbyQuery,
  SetInstanceHealthQuery,
  SetInstanceProtectionAnswer,
  SetInstanceProtectionQuery,
  TerminateInstanceInAutoScalingGroupType,
} from '@aws-sdk/client-auto-scaling';
import { validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { findInstance, setInstanceTag } from '../ec2/index.js';
import { activityDetails, causeTime, renderActivity, startActivity } from './activities.js';
import { advanceInstance, beginRemoval, capacityOf, requestReconcile } from './controller.js';
import { asgErrors } from './errors.js';
import { gracePeriodEnd } from './health.js';
import { GROUP_NAME_TAG } from './launch.js';
import { requireActiveGroup, instanceIdsOf } from './lookup.js';
import { countsTowardCapacity, joinGroup, recordGroupChange, setDesiredCapacity, setHealthStatus, setLifecycleState } from './membership.js';
import type { ActivityRecord, AutoScalingGroupRecord, GroupInstance } from './state.js';

/** AttachInstances, DetachInstances, EnterStandby, ExitStandby take at most 20 ids. */
const MAX_IDS = 20;

function requireMember(group: AutoScalingGroupRecord, instanceId: string): GroupInstance {
  const instance = group.instances.get(instanceId);
  if (!instance) throw asgErrors.notPartOfGroup(instanceId, group.name);
  return instance;
}

function rendered(activities: (ActivityRecord | undefined)[]): ActivitiesType {
  return { Activities: activities.filter((a): a is ActivityRecord => a !== undefined).map(renderActivity) };
}

// ---------------------------------------------------------------------------
// E-11

export function terminateInstanceInAutoScalingGroup(ctx: RequestContext, input: TerminateInstanceInAutoScalingGroupType): ActivityType {
  const { sim, region } = ctx;
  const id = input.InstanceId;
  if (!id) throw asgErrors.missing('instanceId');
  if (input.ShouldDecrementDesiredCapacity === undefined || input.ShouldDecrementDesiredCapacity === null) {
    throw asgErrors.missing('shouldDecrementDesiredCapacity');
  }
  const group = region.autoscaling.groups.get(region.autoscaling.instanceGroups.get(id) ?? '');
  const instance = group?.instances.get(id);
  if (!group || !instance) throw asgErrors.noManagedInstance(id);
  if (group.deleting) throw asgErrors.pendingDelete(group.name);

  // Only an instance that counts toward capacity takes the desired capacity down with it.
  const decrement = input.ShouldDecrementDesiredCapacity && countsTowardCapacity(instance.lifecycleState);
  if (decrement && group.desiredCapacity - 1 < group.minSize) throw asgErrors.terminateBelowMin(group.minSize);
  const from = group.desiredCapacity;
  if (decrement) setDesiredCapacity(sim, region, group, from - 1);
  const cause =
    `At ${causeTime(sim.now)} instance ${id} was taken out of service in response to a user request` +
    (decrement ? `, shrinking the capacity from ${from} to ${from - 1}.` : '.');
  const activity = beginRemoval(sim, region, group, instance, { exit: 'terminate', cause });
  return { Activity: activity ? renderActivity(activity) : undefined };
}

// ---------------------------------------------------------------------------
// E-9

export function attachInstances(ctx: RequestContext, input: AttachInstancesQuery): Record<string, never> {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  const ids = instanceIdsOf(input.InstanceIds, MAX_IDS);
  if (!ids.length) return {};
  const ec2Instances = ids.map((id) => {
    const ec2 = findInstance(region, id);
    if (!ec2 || ec2.state === 'terminated' || ec2.state === 'shutting-down') throw validationError(`Instance [${id}] is invalid.`);
    if (ec2.state !== 'running') throw validationError(`Instance [${id}] is not in a running state.`);
    const other = region.autoscaling.instanceGroups.get(id);
    if (other) throw validationError(`The instance ${id} is already part of the Auto Scaling group ${other}.`);
    if (!group.availabilityZones.includes(ec2.availabilityZone)) {
      throw validationError(`The instance ${id} is in an Availability Zone (${ec2.availabilityZone}) that the Auto Scaling group ${group.name} does not use.`);
    }
    return ec2;
  });
  if (group.desiredCapacity + ids.length > group.maxSize) throw asgErrors.sizesDoNotAllow(group, 'attach', ids.length);

  const from = group.desiredCapacity;
  const to = from + ids.length;
  setDesiredCapacity(sim, region, group, to);
  const cause =
    `At ${causeTime(sim.now)} a user request update of AutoScalingGroup constraints to min: ${group.minSize}, max: ${group.maxSize}, desired: ${to} ` +
    `changing the desired capacity from ${from} to ${to}.  At ${causeTime(sim.now)} an instance was added in response to user request. Keeping the capacity at the new ${to}.`;
  for (const ec2 of ec2Instances) {
    const template = ec2.launchTemplate;
    const instance: GroupInstance = {
      instanceId: ec2.instanceId,
      availabilityZone: ec2.availabilityZone,
      subnetId: ec2.subnetId,
      lifecycleState: 'Pending',
      healthStatus: 'Healthy',
      protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
      launchTemplate: template ? { LaunchTemplateId: template.LaunchTemplateId, LaunchTemplateName: template.LaunchTemplateName, Version: String(template.Version) } : undefined,
      imageId: ec2.imageId,
      instanceType: ec2.instanceType,
      launchTime: ec2.launchTime,
      skipLaunchHooks: true,
    };
    setInstanceTag(region, ec2.instanceId, GROUP_NAME_TAG, group.name);
    joinGroup(sim, region, group, instance);
    const activity = startActivity(sim, region, group, {
      description: `Attaching an existing EC2 instance: ${ec2.instanceId}`,
      cause,
      details: activityDetails(instance),
      scaling: false,
    });
    instance.activityId = activity.ActivityId;
  }
  // Pending → registered with the target groups → InService on the next pass, a moment later.
  requestReconcile(sim, region, group);
  return {};
}

// ---------------------------------------------------------------------------
// E-10

export function detachInstances(ctx: RequestContext, input: DetachInstancesQuery): DetachInstancesAnswer {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  if (input.ShouldDecrementDesiredCapacity === undefined || input.ShouldDecrementDesiredCapacity === null) {
    throw asgErrors.missing('shouldDecrementDesiredCapacity');
  }
  const ids = instanceIdsOf(input.InstanceIds, MAX_IDS);
  const instances = ids.map((id) => {
    const instance = requireMember(group, id);
    if (instance.lifecycleState !== 'InService' && instance.lifecycleState !== 'Standby') throw asgErrors.notInServiceOrStandby(id);
    return instance;
  });
  // Standby instances are already outside the desired capacity.
  const decrement = input.ShouldDecrementDesiredCapacity ? instances.filter((i) => i.lifecycleState === 'InService').length : 0;
  if (decrement && group.desiredCapacity - decrement < group.minSize) throw asgErrors.sizesDoNotAllow(group, 'detach', instances.length);
  const from = group.desiredCapacity;
  if (decrement) setDesiredCapacity(sim, region, group, from - decrement);
  const activities = instances.map((instance) => {
    const cause =
      `At ${causeTime(sim.now)} instance ${instance.instanceId} was detached in response to a user request` +
      (decrement ? `, shrinking the capacity from ${from} to ${from - decrement}.` : '.');
    return beginRemoval(sim, region, group, instance, { exit: 'detach', cause });
  });
  return rendered(activities);
}

// ---------------------------------------------------------------------------
// E-8

export function enterStandby(ctx: RequestContext, input: EnterStandbyQuery): EnterStandbyAnswer {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  if (input.ShouldDecrementDesiredCapacity === undefined || input.ShouldDecrementDesiredCapacity === null) {
    throw asgErrors.missing('shouldDecrementDesiredCapacity');
  }
  const ids = instanceIdsOf(input.InstanceIds, MAX_IDS);
  const instances = ids.map((id) => {
    const instance = requireMember(group, id);
    if (instance.lifecycleState !== 'InService') throw asgErrors.notInService(id);
    return instance;
  });
  const decrement = input.ShouldDecrementDesiredCapacity ? instances.length : 0;
  if (decrement && group.desiredCapacity - decrement < group.minSize) throw asgErrors.sizesDoNotAllow(group, 'place into standby', instances.length);
  const from = group.desiredCapacity;
  if (decrement) setDesiredCapacity(sim, region, group, from - decrement);
  const activities = instances.map((instance) => {
    const cause =
      `At ${causeTime(sim.now)} instance ${instance.instanceId} was moved to standby in response to a user request` +
      (decrement ? `, shrinking the capacity from ${from} to ${from - decrement}.` : '.');
    return beginRemoval(sim, region, group, instance, { exit: 'standby', cause });
  });
  return rendered(activities);
}

export function exitStandby(ctx: RequestContext, input: ExitStandbyQuery): ExitStandbyAnswer {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  const ids = instanceIdsOf(input.InstanceIds, MAX_IDS);
  const instances = ids.map((id) => {
    const instance = requireMember(group, id);
    if (instance.lifecycleState !== 'Standby') throw asgErrors.notInStandby(id);
    return instance;
  });
  if (group.desiredCapacity + instances.length > group.maxSize) throw asgErrors.sizesDoNotAllow(group, 'exit standby', instances.length);
  const from = group.desiredCapacity;
  const to = from + instances.length;
  setDesiredCapacity(sim, region, group, to);
  const activities = instances.map((instance) => {
    instance.skipLaunchHooks = true;
    setLifecycleState(sim, region, group, instance, 'Pending');
    const activity = startActivity(sim, region, group, {
      description: `Moving EC2 instance out of Standby: ${instance.instanceId}`,
      cause: `At ${causeTime(sim.now)} instance ${instance.instanceId} was moved out of standby in response to a user request, increasing the capacity from ${from} to ${to}.`,
      details: activityDetails(instance),
      scaling: false,
      progress: 30,
    });
    instance.activityId = activity.ActivityId;
    return activity;
  });
  // Pending → re-registered → InService on the next pass.
  requestReconcile(sim, region, group);
  return rendered(activities);
}

// ---------------------------------------------------------------------------
// E-11

export function setInstanceHealth(ctx: RequestContext, input: SetInstanceHealthQuery): Record<string, never> {
  const { sim, region } = ctx;
  const id = input.InstanceId;
  if (!id) throw asgErrors.missing('instanceId');
  const status = input.HealthStatus;
  if (status !== 'Healthy' && status !== 'Unhealthy') {
    if (!status) throw asgErrors.missing('healthStatus');
    throw validationError(`Valid values for HealthStatus are Healthy and Unhealthy; got ${status}.`);
  }
  const group = region.autoscaling.groups.get(region.autoscaling.instanceGroups.get(id) ?? '');
  const instance = group?.instances.get(id);
  if (!group || !instance) throw asgErrors.noManagedInstance(id);
  // ShouldRespectGracePeriod (default true): within the grace period the call changes nothing.
  const graceEnd = gracePeriodEnd(group, instance);
  if ((input.ShouldRespectGracePeriod ?? true) && graceEnd !== undefined && sim.now < graceEnd) return {};
  if (status === 'Unhealthy') instance.unhealthyCause = 'user';
  setHealthStatus(sim, region, group, instance, status);
  if (status === 'Unhealthy') requestReconcile(sim, region, group);
  else advanceInstance(sim, region, group, instance);
  return {};
}

export function setInstanceProtection(ctx: RequestContext, input: SetInstanceProtectionQuery): SetInstanceProtectionAnswer {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  if (input.ProtectedFromScaleIn === undefined || input.ProtectedFromScaleIn === null) throw asgErrors.missing('protectedFromScaleIn');
  const ids = instanceIdsOf(input.InstanceIds, 50);
  const instances = ids.map((id) => requireMember(group, id));
  for (const instance of instances) {
    if (instance.protectedFromScaleIn === input.ProtectedFromScaleIn) continue;
    instance.protectedFromScaleIn = input.ProtectedFromScaleIn;
    recordGroupChange(sim, region, group.name, `ProtectedFromScaleIn:${instance.instanceId}`, !input.ProtectedFromScaleIn, input.ProtectedFromScaleIn);
  }
  // A scale-in that protection held back may now go ahead.
  if (!input.ProtectedFromScaleIn && capacityOf(group) > group.desiredCapacity) requestReconcile(sim, region, group);
  return {};
}
