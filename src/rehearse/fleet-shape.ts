/**
 * A live fleet's shape: everything a rehearsal copies into the emulator, read
 * with Describe/Get/List calls only (issue "Rehearse": never a write to the live
 * account). Plain data, so it can be printed, saved and replayed.
 */
import type {
  Activity,
  AwsClients,
  Image,
  LaunchTemplate,
  LaunchTemplateVersion,
  ScalingPolicy,
  ScheduledUpdateGroupAction,
} from '../aws/index.js';
import type { LifecycleHook, LoadBalancerWithListeners, RawGroup, WarmPoolConfiguration } from '../aws/fleet-copy.js';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AsgDeployError } from '../core/errors.js';

export interface GroupShape {
  raw: RawGroup;
  lifecycleHooks: LifecycleHook[];
  warmPool?: WarmPoolConfiguration;
  policies: ScalingPolicy[];
  scheduledActions: ScheduledUpdateGroupAction[];
  /** Newest first, the last 100 (timings and recent launch failures come from these). */
  activities: Activity[];
}

export interface TemplateShape {
  template: LaunchTemplate;
  /** Every version, oldest first. */
  versions: LaunchTemplateVersion[];
}

export interface TargetGroupShape {
  raw: TargetGroup;
  attributes: Record<string, string>;
}

/** A group outside the copy that launches one of the copied templates (a deploy must not change what it launches). */
export interface TemplateUser {
  group: string;
  templateId: string;
  version: string;
}

/** An instance prepared outside the group (for `swap`), copied as one of its image in its AZ. */
export interface PreparedInstanceShape {
  instanceId: string;
  imageId: string;
  instanceType: string;
  availabilityZone: string;
}

export interface FleetShape {
  region: string;
  /** Epoch ms of the live clock when it was read. */
  takenAt: number;
  groups: GroupShape[];
  templates: TemplateShape[];
  images: Image[];
  targetGroups: TargetGroupShape[];
  loadBalancers: LoadBalancerWithListeners[];
  /** The alarms that drive the groups' scaling policies. */
  alarms: MetricAlarm[];
  otherTemplateUsers: TemplateUser[];
  prepared: PreparedInstanceShape[];
}

export interface ReadShapeOptions {
  groups: readonly string[];
  /** Images the deploy will use that no template names yet (`--image`). */
  extraImages?: readonly string[];
  /** Instances prepared outside the group that the deploy uses (`swap --instances`). */
  preparedInstances?: readonly string[];
  now: number;
  region: string;
}

/** Reads the named groups and everything they depend on. Every call is a Describe. */
export async function readFleetShape(aws: AwsClients, options: ReadShapeOptions): Promise<FleetShape> {
  const raws = await aws.fleetCopy.describeRawGroups(options.groups);
  for (const name of options.groups) {
    if (!raws.some((g) => g.AutoScalingGroupName === name)) {
      throw new AsgDeployError('GROUP_NOT_FOUND', `auto scaling group "${name}" not found in ${options.region}`, {
        hint: 'check the name with `aws autoscaling describe-auto-scaling-groups` or pass --region',
      });
    }
  }
  const groups: GroupShape[] = [];
  for (const raw of raws) {
    const name = raw.AutoScalingGroupName!;
    const warmPool = await aws.fleetCopy.describeWarmPool(name);
    groups.push({
      raw,
      lifecycleHooks: await aws.fleetCopy.describeLifecycleHooks(name),
      ...(warmPool === undefined ? {} : { warmPool }),
      policies: await aws.autoscaling.describePolicies(name),
      scheduledActions: await aws.autoscaling.describeScheduledActions(name),
      activities: await aws.autoscaling.describeScalingActivities(name, { limit: 100 }),
    });
  }

  const templateIds = [...new Set(raws.map(templateIdOf).filter((id): id is string => id !== undefined))];
  const templates: TemplateShape[] = [];
  if (templateIds.length > 0) {
    for (const template of await aws.ec2.describeLaunchTemplates({ ids: templateIds })) {
      const versions = await aws.ec2.describeLaunchTemplateVersions({ id: template.LaunchTemplateId! });
      versions.sort((a, b) => (a.VersionNumber ?? 0) - (b.VersionNumber ?? 0));
      templates.push({ template, versions });
    }
  }

  const prepared: PreparedInstanceShape[] = [];
  if ((options.preparedInstances ?? []).length > 0) {
    for (const i of await aws.ec2.describeInstances(options.preparedInstances!)) {
      prepared.push({ instanceId: i.InstanceId!, imageId: i.ImageId!, instanceType: i.InstanceType ?? 't3.micro', availabilityZone: i.Placement?.AvailabilityZone ?? '' });
    }
  }
  const imageIds = new Set<string>([...(options.extraImages ?? []), ...prepared.map((p) => p.imageId)]);
  for (const t of templates) for (const v of t.versions) if (v.LaunchTemplateData?.ImageId) imageIds.add(v.LaunchTemplateData.ImageId);
  const images = imageIds.size === 0 ? [] : await aws.ec2.describeImages({ imageIds: [...imageIds] });

  const targetGroupArns = [...new Set(raws.flatMap((g) => g.TargetGroupARNs ?? []))];
  const targetGroups: TargetGroupShape[] = [];
  if (targetGroupArns.length > 0) {
    for (const raw of await aws.elbv2.describeTargetGroups({ arns: targetGroupArns })) {
      targetGroups.push({ raw, attributes: await aws.elbv2.describeTargetGroupAttributes(raw.TargetGroupArn!) });
    }
  }
  const loadBalancerArns = [...new Set(targetGroups.flatMap((t) => t.raw.LoadBalancerArns ?? []))];
  const loadBalancers = await aws.fleetCopy.describeLoadBalancers(loadBalancerArns);

  const alarmNames = [...new Set(groups.flatMap((g) => g.policies.flatMap((p) => (p.Alarms ?? []).map((a) => a.AlarmName!))))].filter(Boolean);
  const alarms = alarmNames.length === 0 ? [] : await aws.cloudwatch.describeAlarms({ names: alarmNames });

  const copied = new Set(options.groups);
  const otherTemplateUsers: TemplateUser[] = [];
  if (templateIds.length > 0) {
    for (const { group } of await aws.autoscaling.describeGroups()) {
      if (copied.has(group.name) || !group.launchTemplate?.id) continue;
      if (templateIds.includes(group.launchTemplate.id)) {
        otherTemplateUsers.push({ group: group.name, templateId: group.launchTemplate.id, version: group.launchTemplate.version });
      }
    }
  }

  return { region: options.region, takenAt: options.now, groups, templates, images, targetGroups, loadBalancers, alarms, otherTemplateUsers, prepared };
}

/** The launch template a group launches from (its own, or the one in its MixedInstancesPolicy). */
export function templateIdOf(raw: RawGroup): string | undefined {
  return raw.LaunchTemplate?.LaunchTemplateId ?? raw.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId;
}
