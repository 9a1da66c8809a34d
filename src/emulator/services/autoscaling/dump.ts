/** A JSON-able summary of a region's Auto Scaling state, for the admin state dump (E-20). */
import type { RegionState } from '../../world.js';

export function dumpAutoScalingState(region: RegionState): unknown {
  const state = region.autoscaling;
  return {
    groups: [...state.groups.values()].map((g) => ({
      name: g.name,
      arn: g.arn,
      minSize: g.minSize,
      maxSize: g.maxSize,
      desiredCapacity: g.desiredCapacity,
      status: g.deleting ? 'Delete in progress' : undefined,
      launchTemplate: g.launchTemplate ?? g.mixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification,
      launchConfigurationName: g.launchConfigurationName,
      availabilityZones: g.availabilityZones,
      targetGroupArns: g.targetGroupArns,
      healthCheckType: g.healthCheckType,
      healthCheckGracePeriod: g.healthCheckGracePeriod,
      terminationPolicies: g.terminationPolicies,
      suspendedProcesses: Object.fromEntries(g.suspendedProcesses),
      tags: Object.fromEntries([...g.tags].map(([k, t]) => [k, { value: t.value, propagateAtLaunch: t.propagateAtLaunch }])),
      lifecycleHooks: [...g.lifecycleHooks.values()],
      instances: [...g.instances.values()].map((i) => ({
        instanceId: i.instanceId,
        availabilityZone: i.availabilityZone,
        lifecycleState: i.lifecycleState,
        healthStatus: i.healthStatus,
        protectedFromScaleIn: i.protectedFromScaleIn,
        launchTemplateVersion: i.launchTemplate?.Version,
        imageId: i.imageId,
        waitingOnHooks: i.lifecycleAction ? [...i.lifecycleAction.waits.keys()] : undefined,
        draining: i.removal?.draining.length ? i.removal.draining : undefined,
      })),
    })),
    launchConfigurations: [...state.launchConfigurations.keys()],
    scalingPolicies: [...state.policies.values()].map((p) => ({ group: p.AutoScalingGroupName, name: p.PolicyName, type: p.PolicyType })),
    scheduledActions: [...state.scheduledActions.values()].map((a) => ({ group: a.AutoScalingGroupName, name: a.ScheduledActionName })),
    activities: [...state.activities.values()].reduce((n, list) => n + list.length, 0),
  };
}
