/**
 * Launching one instance for a group (E-12, E-13): the group's launch
 * template (`$Latest`, `$Default` or a number, resolved now, at launch) or
 * launch configuration, a subnet in the chosen AZ, and the tags that
 * propagate at launch plus `aws:autoscaling:groupName`.
 */
import type { LaunchTemplateSpecification } from '@aws-sdk/client-auto-scaling';
import { AwsError, validationError } from '../../aws-error.js';
import type { RegionState, Simulation } from '../../world.js';
import { defaultSubnetFor, launchInstance, resolveLaunchTemplate } from '../ec2/index.js';
import { asgErrors } from './errors.js';
import type { AutoScalingGroupRecord, GroupInstance } from './state.js';

export const GROUP_NAME_TAG = 'aws:autoscaling:groupName';

/**
 * The template a group launches from, whichever way it names it, as EC2 wants
 * a reference: the id (or else the name), never both.
 */
export function groupLaunchTemplateSpec(group: AutoScalingGroupRecord): LaunchTemplateSpecification | undefined {
  // An instance refresh launches its desired configuration (E-32).
  const refresh = group.instanceRefreshLaunch?.target;
  if (refresh) return { LaunchTemplateId: refresh.LaunchTemplateId, Version: refresh.Version };
  const spec = group.launchTemplate ?? group.mixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  if (!spec) return undefined;
  return spec.LaunchTemplateId
    ? { LaunchTemplateId: spec.LaunchTemplateId, Version: spec.Version }
    : { LaunchTemplateName: spec.LaunchTemplateName, Version: spec.Version };
}

/**
 * What the group launches now, for the termination policies' "current"
 * (E-7). Never throws: a template that no longer resolves has no current version.
 */
export function currentLaunchReference(
  region: RegionState,
  group: AutoScalingGroupRecord,
): { launchTemplateId?: string; launchTemplateVersion?: number; launchConfigurationName?: string } {
  if (group.launchConfigurationName) return { launchConfigurationName: group.launchConfigurationName };
  const spec = groupLaunchTemplateSpec(group);
  if (!spec) return {};
  try {
    const resolved = resolveLaunchTemplate(region, spec);
    return { launchTemplateId: resolved.templateId, launchTemplateVersion: resolved.versionNumber };
  } catch {
    return { launchTemplateId: spec.LaunchTemplateId };
  }
}

/** A subnet of the group's VPCZoneIdentifier in `zone` (round robin when several), else the zone's default subnet. */
export function subnetFor(region: RegionState, group: AutoScalingGroupRecord, zone: string, index: number): string | undefined {
  const subnets = group.subnetsByZone.get(zone);
  if (subnets?.length) return subnets[index % subnets.length];
  return defaultSubnetFor(region, zone)?.SubnetId;
}

/** The tags an instance gets at launch (E-13). */
export function launchTags(group: AutoScalingGroupRecord): { Key: string; Value: string }[] {
  const tags: { Key: string; Value: string }[] = [];
  for (const [key, tag] of group.tags) if (tag.propagateAtLaunch) tags.push({ Key: key, Value: tag.value });
  tags.push({ Key: GROUP_NAME_TAG, Value: group.name });
  return tags;
}

/**
 * Launches one instance of the group in `zone` and returns it as a new group
 * member (`Pending`, `Healthy`; not yet added to the group). Throws the
 * AwsError EC2 answered (image missing or not available, injected AZ fault, …).
 */
export function launchGroupInstance(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, zone: string): GroupInstance {
  const index = group.launchCounter++;
  const subnetId = subnetFor(region, group, zone, index);
  const tags = launchTags(group);
  let launchConfigurationName: string | undefined;
  let ec2Instance: ReturnType<typeof launchInstance>;
  if (group.launchConfigurationName && !group.instanceRefreshLaunch?.target) {
    const lc = region.autoscaling.launchConfigurations.get(group.launchConfigurationName);
    if (!lc) throw asgErrors.launchConfigurationNotFound(group.launchConfigurationName);
    launchConfigurationName = lc.LaunchConfigurationName;
    ec2Instance = launchInstance(sim, region, { imageId: lc.ImageId, instanceType: lc.InstanceType, availabilityZone: zone, subnetId, tags });
  } else {
    const spec = groupLaunchTemplateSpec(group);
    if (!spec) throw validationError('The group has no launch template or launch configuration to launch from.');
    const resolved = resolveLaunchTemplate(region, spec);
    const overrides = group.mixedInstancesPolicy?.LaunchTemplate?.Overrides?.filter((o) => o.InstanceType) ?? [];
    const instanceType = overrides.length ? overrides[index % overrides.length]!.InstanceType : resolved.instanceType;
    ec2Instance = launchInstance(sim, region, {
      imageId: resolved.imageId,
      instanceType,
      availabilityZone: zone,
      subnetId,
      launchTemplate: { LaunchTemplateId: resolved.templateId, Version: String(resolved.versionNumber) },
      tags,
    });
  }
  const template = ec2Instance.launchTemplate;
  return {
    instanceId: ec2Instance.instanceId,
    availabilityZone: ec2Instance.availabilityZone,
    subnetId: ec2Instance.subnetId ?? subnetId,
    lifecycleState: 'Pending',
    healthStatus: 'Healthy',
    protectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
    launchTemplate: template
      ? { LaunchTemplateId: template.LaunchTemplateId, LaunchTemplateName: template.LaunchTemplateName, Version: String(template.Version) }
      : undefined,
    launchConfigurationName,
    imageId: ec2Instance.imageId,
    instanceType: ec2Instance.instanceType,
    launchTime: ec2Instance.launchTime,
  };
}

/** A launch failure tied to one AZ (capacity, outage): try the group's other AZs meanwhile (E-12). */
export function isZonalLaunchFailure(sim: Simulation, error: unknown, zone: string): boolean {
  if (sim.faults.launchFailures.has(zone) || sim.faults.azOutages.has(zone)) return true;
  return AwsError.isAwsError(error) && /^(InsufficientInstanceCapacity|InsufficientCapacity|Unsupported)/.test(error.code);
}
