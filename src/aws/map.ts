/**
 * Thin mappings from SDK v3 output shapes to the core fleet types
 * (src/core/fleet.ts). AWS reports durations in seconds and times as Dates;
 * the core uses milliseconds and epoch milliseconds.
 */
import type { AutoScalingGroup, Instance as AsgInstance, LaunchTemplateSpecification } from '@aws-sdk/client-auto-scaling';
import type { Instance as Ec2Instance } from '@aws-sdk/client-ec2';
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  isLifecycleState,
  isTargetHealthState,
  worseTargetHealth,
  type Ec2Details,
  type Group,
  type Instance,
  type LaunchTemplateRef,
  type TargetHealth,
} from '../core/fleet.js';
import { AsgDeployError } from '../core/errors.js';

export function toLaunchTemplateRef(spec: LaunchTemplateSpecification | undefined): LaunchTemplateRef | undefined {
  if (spec === undefined) return undefined;
  const ref: LaunchTemplateRef = { version: spec.Version ?? '$Default' };
  if (spec.LaunchTemplateId !== undefined) ref.id = spec.LaunchTemplateId;
  if (spec.LaunchTemplateName !== undefined) ref.name = spec.LaunchTemplateName;
  return ref;
}

export function toLaunchTemplateSpecification(ref: LaunchTemplateRef): LaunchTemplateSpecification {
  return {
    ...(ref.id !== undefined ? { LaunchTemplateId: ref.id } : { LaunchTemplateName: ref.name }),
    Version: ref.version,
  };
}

export function toGroup(g: AutoScalingGroup): Group {
  const mixed = g.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  const launchTemplate = toLaunchTemplateRef(g.LaunchTemplate ?? mixed);
  const group: Group = {
    name: g.AutoScalingGroupName ?? '',
    minSize: g.MinSize ?? 0,
    maxSize: g.MaxSize ?? 0,
    desiredCapacity: g.DesiredCapacity ?? 0,
    availabilityZones: [...(g.AvailabilityZones ?? [])],
    targetGroupArns: [...(g.TargetGroupARNs ?? [])],
    loadBalancerNames: [...(g.LoadBalancerNames ?? [])],
    healthCheckType: g.HealthCheckType ?? 'EC2',
    healthCheckGracePeriodMs: (g.HealthCheckGracePeriod ?? 0) * 1000,
    mixedInstancesPolicy: g.LaunchTemplate === undefined && mixed !== undefined,
    suspendedProcesses: (g.SuspendedProcesses ?? []).flatMap((p) => (p.ProcessName === undefined ? [] : [p.ProcessName])),
    terminationPolicies: [...(g.TerminationPolicies ?? [])],
    tags: (g.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '', propagateAtLaunch: t.PropagateAtLaunch ?? false })),
  };
  if (g.AutoScalingGroupARN !== undefined) group.arn = g.AutoScalingGroupARN;
  if (g.DefaultInstanceWarmup !== undefined && g.DefaultInstanceWarmup >= 0) group.defaultInstanceWarmupMs = g.DefaultInstanceWarmup * 1000;
  if (launchTemplate !== undefined) group.launchTemplate = launchTemplate;
  if (g.LaunchConfigurationName !== undefined) group.launchConfigurationName = g.LaunchConfigurationName;
  if (g.Status !== undefined) group.status = g.Status;
  if (g.CreatedTime !== undefined) group.createdAt = new Date(g.CreatedTime).getTime();
  return group;
}

export function toInstance(i: AsgInstance): Instance {
  const state = i.LifecycleState ?? '';
  if (!isLifecycleState(state)) {
    throw new AsgDeployError('INTERNAL', `instance ${i.InstanceId} has a lifecycle state this tool does not know: ${JSON.stringify(state)}`, {
      hint: 'upgrade asg-deploy',
    });
  }
  const instance: Instance = {
    id: i.InstanceId ?? '',
    availabilityZone: i.AvailabilityZone ?? '',
    lifecycleState: state,
    healthStatus: i.HealthStatus?.trim() === 'Unhealthy' ? 'Unhealthy' : 'Healthy',
    protectedFromScaleIn: i.ProtectedFromScaleIn ?? false,
  };
  const template = toLaunchTemplateRef(i.LaunchTemplate);
  if (template !== undefined) instance.launchTemplate = template;
  if (i.LaunchConfigurationName !== undefined) instance.launchConfigurationName = i.LaunchConfigurationName;
  if (i.InstanceType !== undefined) instance.instanceType = i.InstanceType;
  return instance;
}

export function toEc2Details(i: Ec2Instance): Ec2Details {
  const details: Ec2Details = { state: i.State?.Name ?? 'unknown' };
  if (i.ImageId !== undefined) details.imageId = i.ImageId;
  if (i.LaunchTime !== undefined) details.launchTime = new Date(i.LaunchTime).getTime();
  // What a --check reaches the instance at (ASG_DEPLOY_PRIVATE_IP).
  if (i.PrivateIpAddress !== undefined) details.privateIp = i.PrivateIpAddress;
  return details;
}

export interface TargetHealthEntry extends TargetHealth {
  id: string;
  port?: number;
}

export function toTargetHealthEntry(d: TargetHealthDescription): TargetHealthEntry {
  const state = d.TargetHealth?.State ?? 'unavailable';
  const entry: TargetHealthEntry = { id: d.Target?.Id ?? '', state: isTargetHealthState(state) ? state : 'unavailable' };
  if (d.Target?.Port !== undefined) entry.port = d.Target.Port;
  if (d.TargetHealth?.Reason !== undefined) entry.reason = d.TargetHealth.Reason;
  if (d.TargetHealth?.Description !== undefined) entry.description = d.TargetHealth.Description;
  return entry;
}

/** Instance id → its worst health over the ports it is registered on. */
export function targetHealthById(entries: readonly TargetHealthEntry[]): Record<string, TargetHealth> {
  const byId: Record<string, TargetHealth> = {};
  for (const { id, port: _port, ...health } of entries) {
    const previous = byId[id];
    byId[id] = previous === undefined ? health : worseTargetHealth(previous, health);
  }
  return byId;
}
