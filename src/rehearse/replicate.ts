/**
 * Builds a copy of a live fleet's shape inside an emulator, through the AWS
 * API (the same SDK path a user's own tools take), and says what it assumed.
 *
 * Order matters, as it would on AWS: images, templates (with the live version
 * numbers, so `--template-version 7` means the same thing in the copy), target
 * groups and load balancers (a target group that no load balancer uses stays
 * unused in the copy too, so the rehearsal meets the same refusal), the groups
 * at their live sizes — then, once the copy's instances serve, what would get in
 * the way of launching them: scale-in protection, lifecycle hooks, the warm
 * pool, scaling policies and their alarms, scheduled actions, and suspended
 * processes.
 */
import type { AwsClients, LaunchTemplateVersion, RequestLaunchTemplateData } from '../aws/index.js';
import type { Clock } from '../clock/index.js';
import type { FleetShape, GroupShape } from './fleet-shape.js';
import { templateIdOf } from './fleet-shape.js';

/** How the copy differs from the live account (ids) and what it had to assume. */
export interface Replica {
  imageIds: Map<string, string>;
  templateIds: Map<string, string>;
  targetGroupArns: Map<string, string>;
  policyArns: Map<string, string>;
  instanceIds: Map<string, string>;
  /** Sentences a person reads: what the copy could not reproduce or had to guess. */
  assumptions: string[];
}

export interface ReplicateOptions {
  /** Emulator behaviour tags (E-19) for every copied image that does not carry its own (a live emulator's images do). */
  imageTags: Readonly<Record<string, string>>;
  clock: Clock;
  /** Simulated seconds to wait for the copy's instances to serve before giving up. */
  settleSeconds?: number;
}

/** Builds the copy up to serving instances (phase 1); {@link addAutomation} adds what acts on it (phase 2). */
export async function replicateFleet(shape: FleetShape, emu: AwsClients, options: ReplicateOptions): Promise<Replica> {
  const replica: Replica = { imageIds: new Map(), templateIds: new Map(), targetGroupArns: new Map(), policyArns: new Map(), instanceIds: new Map(), assumptions: [] };
  const network = await emu.provision.defaultNetwork();
  const subnetOfAz = new Map(network.subnets.map((s) => [s.availabilityZone, s.subnetId]));

  for (const image of shape.images) {
    const liveTags = Object.fromEntries((image.Tags ?? []).map((t) => [t.Key!, t.Value ?? '']));
    const tags = { ...options.imageTags, ...liveTags, 'emulator:image-seconds': '0' };
    const id = await emu.fleetCopy.registerImage(`${image.Name ?? image.ImageId}-rehearsal`, image.Architecture, tags);
    replica.imageIds.set(image.ImageId!, id);
  }
  await waitUntil(options.clock, async () => {
    const ids = [...replica.imageIds.values()];
    if (ids.length === 0) return true;
    const images = await emu.ec2.describeImages({ imageIds: ids });
    return images.every((i) => i.State === 'available');
  }, 'the copied images to become available', 600);

  for (const { template, versions } of shape.templates) {
    const first = versions[0];
    const created = await emu.provision.createLaunchTemplate(template.LaunchTemplateName!, copyData(first, replica));
    replica.templateIds.set(template.LaunchTemplateId!, created.id);
    let number = 1;
    let previous = first;
    for (const version of versions.slice(1)) {
      // Deleted versions leave gaps in the live numbering: fill them, so the numbers match.
      while (number + 1 < (version.VersionNumber ?? number + 1)) {
        await emu.ec2.createLaunchTemplateVersion({ template: { id: created.id }, data: copyData(previous, replica), description: 'filler for a deleted live version' });
        number++;
      }
      await emu.ec2.createLaunchTemplateVersion({ template: { id: created.id }, data: copyData(version, replica) });
      number++;
      previous = version;
    }
    if (template.DefaultVersionNumber !== undefined && template.DefaultVersionNumber !== 1) {
      await emu.ec2.modifyLaunchTemplate({ id: created.id }, String(template.DefaultVersionNumber));
    }
  }

  for (const { raw, attributes } of shape.targetGroups) {
    const keep = Object.fromEntries(Object.entries(attributes).filter(([k]) => k === 'deregistration_delay.timeout_seconds' || k.startsWith('slow_start')));
    const arn = await emu.fleetCopy.createTargetGroup(
      {
        Name: raw.TargetGroupName!,
        Protocol: raw.Protocol ?? 'HTTP',
        Port: raw.Port ?? 80,
        VpcId: network.vpcId,
        TargetType: 'instance',
        ...(raw.HealthCheckProtocol === undefined ? {} : { HealthCheckProtocol: raw.HealthCheckProtocol }),
        ...(raw.HealthCheckPath === undefined ? {} : { HealthCheckPath: raw.HealthCheckPath }),
        ...(raw.HealthCheckIntervalSeconds === undefined ? {} : { HealthCheckIntervalSeconds: raw.HealthCheckIntervalSeconds }),
        ...(raw.HealthCheckTimeoutSeconds === undefined ? {} : { HealthCheckTimeoutSeconds: raw.HealthCheckTimeoutSeconds }),
        ...(raw.HealthyThresholdCount === undefined ? {} : { HealthyThresholdCount: raw.HealthyThresholdCount }),
        ...(raw.UnhealthyThresholdCount === undefined ? {} : { UnhealthyThresholdCount: raw.UnhealthyThresholdCount }),
      },
      keep,
    );
    replica.targetGroupArns.set(raw.TargetGroupArn!, arn);
  }

  for (const { loadBalancer, listeners } of shape.loadBalancers) {
    const forwards = listeners.flatMap((l) => {
      const tg = l.DefaultActions?.find((a) => a.Type === 'forward')?.TargetGroupArn;
      const copy = tg === undefined ? undefined : replica.targetGroupArns.get(tg);
      return copy === undefined ? [] : [{ port: l.Port ?? 80, protocol: l.Protocol === 'HTTPS' ? 'HTTP' : (l.Protocol ?? 'HTTP'), targetGroupArn: copy }];
    });
    if (listeners.some((l) => l.Protocol === 'HTTPS')) replica.assumptions.push(`load balancer ${loadBalancer.LoadBalancerName}: HTTPS listeners are copied as HTTP (no certificates in the emulator)`);
    await emu.fleetCopy.createLoadBalancer(loadBalancer.LoadBalancerName!, network.subnets.map((s) => s.subnetId), forwards);
  }

  for (const group of shape.groups) await createGroup(group, shape, emu, replica, subnetOfAz, network.subnets.map((s) => s.subnetId));

  await waitUntil(options.clock, async () => {
    for (const group of shape.groups) {
      const fleet = await emu.snapshotFleet(group.raw.AutoScalingGroupName!);
      const inService = fleet.instances.filter((i) => i.lifecycleState === 'InService').length;
      if (inService < fleet.group.desiredCapacity) return false;
      for (const arn of fleet.group.targetGroupArns) {
        const states = Object.values(fleet.targetHealth[arn] ?? {});
        // A target group no load balancer uses never turns healthy (`unused`): that is the live fleet's truth too.
        if (states.some((s) => s.state === 'initial')) return false;
      }
    }
    return true;
  }, 'the copied groups to serve', options.settleSeconds ?? 3600);

  // Instances prepared for `swap`: one of the same image in the same AZ, running.
  for (const p of shape.prepared) {
    const subnet = subnetOfAz.get(p.availabilityZone) ?? network.subnets[0]!.subnetId;
    replica.instanceIds.set(p.instanceId, await emu.fleetCopy.runInstance(replica.imageIds.get(p.imageId) ?? p.imageId, p.instanceType, subnet));
  }
  if (replica.instanceIds.size > 0) {
    await waitUntil(options.clock, async () => (await emu.ec2.describeInstances([...replica.instanceIds.values()])).every((i) => i.State?.Name === 'running'), 'the copied prepared instances to run', options.settleSeconds ?? 3600);
  }
  return replica;
}

async function createGroup(group: GroupShape, shape: FleetShape, emu: AwsClients, replica: Replica, subnetOfAz: Map<string, string>, allSubnets: string[]): Promise<void> {
  const raw = group.raw;
  const name = raw.AutoScalingGroupName!;
  const liveTemplate = templateIdOf(raw);
  const templateId = liveTemplate === undefined ? undefined : replica.templateIds.get(liveTemplate);
  if (templateId === undefined) {
    replica.assumptions.push(`group ${name}: it launches from a launch configuration, which a rehearsal does not copy; the copy uses the first copied template`);
  }
  const version = raw.LaunchTemplate?.Version ?? raw.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.Version ?? '$Default';
  if (raw.MixedInstancesPolicy) replica.assumptions.push(`group ${name}: its mixed instances policy is copied as its launch template alone`);
  const azs = raw.AvailabilityZones ?? [];
  const subnets = azs.map((az, i) => subnetOfAz.get(az) ?? allSubnets[i % allSubnets.length]!);
  if (azs.some((az) => !subnetOfAz.has(az))) replica.assumptions.push(`group ${name}: AZs ${azs.join(', ')} are mapped onto the emulator's AZs in order`);
  const versions = new Set((raw.Instances ?? []).map((i) => i.LaunchTemplate?.Version).filter(Boolean));
  if (versions.size > 1) replica.assumptions.push(`group ${name}: its instances run template versions ${[...versions].join(', ')}; the copy starts them all on ${version}`);
  await emu.fleetCopy.createGroup({
    AutoScalingGroupName: name,
    LaunchTemplate: { LaunchTemplateId: templateId ?? [...replica.templateIds.values()][0], Version: version },
    MinSize: raw.MinSize ?? 0,
    MaxSize: raw.MaxSize ?? 0,
    DesiredCapacity: raw.DesiredCapacity ?? 0,
    VPCZoneIdentifier: [...new Set(subnets)].join(','),
    TargetGroupARNs: (raw.TargetGroupARNs ?? []).map((arn) => replica.targetGroupArns.get(arn)).filter((a): a is string => a !== undefined),
    HealthCheckType: raw.HealthCheckType ?? 'EC2',
    HealthCheckGracePeriod: raw.HealthCheckGracePeriod ?? 0,
    ...(raw.DefaultInstanceWarmup === undefined ? {} : { DefaultInstanceWarmup: raw.DefaultInstanceWarmup }),
    ...(raw.TerminationPolicies === undefined ? {} : { TerminationPolicies: raw.TerminationPolicies }),
    ...(raw.NewInstancesProtectedFromScaleIn === undefined ? {} : { NewInstancesProtectedFromScaleIn: raw.NewInstancesProtectedFromScaleIn }),
    Tags: (raw.Tags ?? [])
      .filter((t) => t.Key !== undefined && !t.Key.startsWith('aws:'))
      .map((t) => ({ Key: t.Key!, Value: t.Value ?? '', PropagateAtLaunch: t.PropagateAtLaunch ?? false })),
  });
  if ((raw.LoadBalancerNames ?? []).length > 0) replica.assumptions.push(`group ${name}: Classic Load Balancers (${raw.LoadBalancerNames!.join(', ')}) are not copied`);
}

/** Phase 2, once the copy serves: what acts on a group by itself or holds its launches. */
export async function addAutomation(shape: FleetShape, emu: AwsClients, replica: Replica): Promise<void> {
  for (const group of shape.groups) {
    const name = group.raw.AutoScalingGroupName!;
    const protectedCount = (group.raw.Instances ?? []).filter((i) => i.ProtectedFromScaleIn).length;
    if (protectedCount > 0) {
      const { instances } = await emu.autoscaling.describeGroup(name);
      await emu.autoscaling.setInstanceProtection(name, instances.slice(0, protectedCount).map((i) => i.id), true);
    }
    for (const hook of group.lifecycleHooks) {
      await emu.fleetCopy.putLifecycleHook({
        AutoScalingGroupName: name,
        LifecycleHookName: hook.LifecycleHookName!,
        LifecycleTransition: hook.LifecycleTransition!,
        ...(hook.HeartbeatTimeout === undefined ? {} : { HeartbeatTimeout: hook.HeartbeatTimeout }),
        ...(hook.DefaultResult === undefined ? {} : { DefaultResult: hook.DefaultResult }),
      });
    }
    if (group.warmPool) {
      try {
        await emu.fleetCopy.putWarmPool({
          AutoScalingGroupName: name,
          ...(group.warmPool.MaxGroupPreparedCapacity === undefined ? {} : { MaxGroupPreparedCapacity: group.warmPool.MaxGroupPreparedCapacity }),
          ...(group.warmPool.MinSize === undefined ? {} : { MinSize: group.warmPool.MinSize }),
          ...(group.warmPool.PoolState === undefined ? {} : { PoolState: group.warmPool.PoolState }),
          ...(group.warmPool.InstanceReusePolicy === undefined ? {} : { InstanceReusePolicy: group.warmPool.InstanceReusePolicy }),
        });
      } catch (e) {
        replica.assumptions.push(`group ${name}: its warm pool could not be copied (${(e as Error).message})`);
      }
    }
    for (const policy of group.policies) {
      const { policyArn } = await emu.autoscaling.putScalingPolicy({
        AutoScalingGroupName: name,
        PolicyName: policy.PolicyName!,
        ...(policy.PolicyType === undefined ? {} : { PolicyType: policy.PolicyType }),
        ...(policy.AdjustmentType === undefined ? {} : { AdjustmentType: policy.AdjustmentType }),
        ...(policy.ScalingAdjustment === undefined ? {} : { ScalingAdjustment: policy.ScalingAdjustment }),
        ...(policy.MinAdjustmentMagnitude === undefined ? {} : { MinAdjustmentMagnitude: policy.MinAdjustmentMagnitude }),
        ...(policy.Cooldown === undefined ? {} : { Cooldown: policy.Cooldown }),
        ...(policy.MetricAggregationType === undefined ? {} : { MetricAggregationType: policy.MetricAggregationType }),
        ...(policy.StepAdjustments === undefined ? {} : { StepAdjustments: policy.StepAdjustments }),
        ...(policy.EstimatedInstanceWarmup === undefined ? {} : { EstimatedInstanceWarmup: policy.EstimatedInstanceWarmup }),
        ...(policy.TargetTrackingConfiguration === undefined ? {} : { TargetTrackingConfiguration: repointTargetTracking(policy.TargetTrackingConfiguration, replica) }),
        ...(policy.Enabled === undefined ? {} : { Enabled: policy.Enabled }),
      });
      if (policyArn && policy.PolicyARN) replica.policyArns.set(policy.PolicyARN, policyArn);
    }
    for (const action of group.scheduledActions) {
      const start = action.StartTime?.getTime();
      await emu.autoscaling.putScheduledUpdateGroupAction({
        AutoScalingGroupName: name,
        ScheduledActionName: action.ScheduledActionName!,
        // AWS refuses a StartTime in the past; a recurring action's next run comes from its Recurrence.
        ...(start === undefined || start <= shape.takenAt ? {} : { StartTime: action.StartTime }),
        ...(action.EndTime === undefined ? {} : { EndTime: action.EndTime }),
        ...(action.Recurrence === undefined ? {} : { Recurrence: action.Recurrence }),
        ...(action.TimeZone === undefined ? {} : { TimeZone: action.TimeZone }),
        ...(action.MinSize === undefined ? {} : { MinSize: action.MinSize }),
        ...(action.MaxSize === undefined ? {} : { MaxSize: action.MaxSize }),
        ...(action.DesiredCapacity === undefined ? {} : { DesiredCapacity: action.DesiredCapacity }),
      });
    }
  }
  // Alarms that drive simple and step policies (target tracking makes its own).
  for (const alarm of shape.alarms) {
    if (alarm.AlarmName?.startsWith('TargetTracking-')) continue;
    const actions = (alarm.AlarmActions ?? []).map((a) => replica.policyArns.get(a)).filter((a): a is string => a !== undefined);
    if (actions.length === 0 || !alarm.MetricName || !alarm.ComparisonOperator || alarm.EvaluationPeriods === undefined || alarm.Threshold === undefined) continue;
    await emu.cloudwatch.putMetricAlarm({
      AlarmName: alarm.AlarmName!,
      MetricName: alarm.MetricName,
      Namespace: alarm.Namespace!,
      ...(alarm.Statistic === undefined ? {} : { Statistic: alarm.Statistic }),
      ...(alarm.ExtendedStatistic === undefined ? {} : { ExtendedStatistic: alarm.ExtendedStatistic }),
      Dimensions: alarm.Dimensions ?? [],
      Period: alarm.Period ?? 60,
      EvaluationPeriods: alarm.EvaluationPeriods,
      ...(alarm.DatapointsToAlarm === undefined ? {} : { DatapointsToAlarm: alarm.DatapointsToAlarm }),
      Threshold: alarm.Threshold,
      ComparisonOperator: alarm.ComparisonOperator,
      ...(alarm.TreatMissingData === undefined ? {} : { TreatMissingData: alarm.TreatMissingData }),
      AlarmActions: actions,
    });
  }
  for (const group of shape.groups) {
    const suspended = (group.raw.SuspendedProcesses ?? []).map((p) => p.ProcessName!).filter(Boolean);
    if (suspended.length > 0) await emu.autoscaling.suspendProcesses(group.raw.AutoScalingGroupName!, suspended);
  }
}

function repointTargetTracking<T extends { PredefinedMetricSpecification?: { ResourceLabel?: string } }>(config: T, replica: Replica): T {
  const label = config.PredefinedMetricSpecification?.ResourceLabel;
  if (label === undefined) return config;
  // ALBRequestCountPerTarget's label is app/LB/ID/targetgroup/TG/ID: point it at the copies.
  let next = label;
  for (const [live, copy] of replica.targetGroupArns) {
    const liveTail = /targetgroup\/.+$/.exec(live)?.[0];
    const copyTail = /targetgroup\/.+$/.exec(copy)?.[0];
    if (liveTail && copyTail) next = next.replace(liveTail, copyTail);
  }
  return { ...config, PredefinedMetricSpecification: { ...config.PredefinedMetricSpecification, ResourceLabel: next } };
}

/** The fields of a live version the emulator launches from, with the image id mapped onto the copy. */
function copyData(version: LaunchTemplateVersion | undefined, replica: Replica): RequestLaunchTemplateData {
  const data = version?.LaunchTemplateData ?? {};
  const imageId = data.ImageId === undefined ? undefined : (replica.imageIds.get(data.ImageId) ?? data.ImageId);
  return {
    ...(imageId === undefined ? {} : { ImageId: imageId }),
    ...(data.InstanceType === undefined ? {} : { InstanceType: data.InstanceType }),
  };
}

async function waitUntil(clock: Clock, check: () => Promise<boolean>, what: string, maxSimSeconds: number): Promise<void> {
  const until = clock.now() + maxSimSeconds * 1000;
  for (;;) {
    if (await check()) return;
    if (clock.now() > until) throw new Error(`rehearsal: timed out after ${maxSimSeconds} simulated seconds waiting for ${what}`);
    await clock.sleep(2000);
  }
}
