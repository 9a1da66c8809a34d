/**
 * Shared fixtures of the Auto Scaling behaviour tests (no tests of its own):
 * an emulator on the manual clock, the default network, a launch template,
 * a load balancer + listener + target group, and small readers of the
 * recorded history.
 */
import assert from 'node:assert/strict';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity,
  type AutoScalingGroup,
  type CreateAutoScalingGroupType,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DescribeImagesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import type { HistoryEntry, HistoryEntryOf } from '../../src/emulator/history.js';

export interface AsgWorld {
  t: TestEmulator;
  vpcId: string;
  /** One default subnet per AZ, in AZ order. */
  subnetIds: string[];
  zones: string[];
  imageId: string;
  templateId: string;
  templateName: string;
}

/** Starts an emulator with a launch template `web` (version 1: the first base image, t3.micro). */
export async function startWorld(options: { seed?: number } = {}): Promise<AsgWorld> {
  const t = await startTestEmulator({ seed: options.seed });
  const vpcs = await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  const vpcId = vpcs.Vpcs![0]!.VpcId!;
  const subnets = await t.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  const sorted = [...(subnets.Subnets ?? [])].sort((a, b) => (a.AvailabilityZone! < b.AvailabilityZone! ? -1 : 1));
  const images = await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  const imageId = images.Images!.find((i) => i.Architecture === 'x86_64')!.ImageId!;
  const lt = await t.ec2.send(
    new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: imageId, InstanceType: 't3.micro' } }),
  );
  return {
    t,
    vpcId,
    subnetIds: sorted.map((s) => s.SubnetId!),
    zones: sorted.map((s) => s.AvailabilityZone!),
    imageId,
    templateId: lt.LaunchTemplate!.LaunchTemplateId!,
    templateName: 'web',
  };
}

/** A new launch template version (only ImageId changed, or the same image); returns its number. */
export async function newTemplateVersion(w: AsgWorld, imageId = w.imageId): Promise<number> {
  const out = await w.t.ec2.send(
    new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: w.templateId, SourceVersion: '$Latest', LaunchTemplateData: { ImageId: imageId } }),
  );
  return out.LaunchTemplateVersion!.VersionNumber!;
}

export interface Stack {
  targetGroupArn: string;
  loadBalancerArn: string;
}

/**
 * A target group behind an ALB with an HTTP:80 listener (a target group no
 * load balancer uses reports `unused`). Health checks every 5 s, 2 to pass or
 * fail; deregistration delay `drainSeconds`.
 */
export async function createStack(w: AsgWorld, name: string, drainSeconds = 30): Promise<Stack> {
  const tg = await w.t.elb.send(
    new CreateTargetGroupCommand({
      Name: `${name}-tg`,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: w.vpcId,
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
    }),
  );
  const targetGroupArn = tg.TargetGroups![0]!.TargetGroupArn!;
  await w.t.elb.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: targetGroupArn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(drainSeconds) }],
    }),
  );
  const lb = await w.t.elb.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Subnets: w.subnetIds }));
  const loadBalancerArn = lb.LoadBalancers![0]!.LoadBalancerArn!;
  await w.t.elb.send(
    new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
  );
  return { targetGroupArn, loadBalancerArn };
}

/** CreateAutoScalingGroup from the `web` template ($Latest) across every AZ, with overrides. */
export async function createGroup(w: AsgWorld, name: string, overrides: Partial<CreateAutoScalingGroupType> = {}): Promise<void> {
  await w.t.asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 0,
      MaxSize: 10,
      LaunchTemplate: { LaunchTemplateId: w.templateId, Version: '$Latest' },
      VPCZoneIdentifier: w.subnetIds.join(','),
      ...overrides,
    }),
  );
}

export async function describeGroup(w: AsgWorld, name: string): Promise<AutoScalingGroup> {
  const out = await w.t.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const group = out.AutoScalingGroups?.[0];
  assert.ok(group, `group ${name} exists`);
  return group;
}

export async function activitiesOf(w: AsgWorld, name: string): Promise<Activity[]> {
  const out = await w.t.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }));
  return out.Activities ?? [];
}

/** Advances until `count` instances of the group are InService (and no more are pending). */
export async function waitInService(w: AsgWorld, name: string, count: number, maxSeconds = 600): Promise<AutoScalingGroup> {
  let group: AutoScalingGroup | undefined;
  await w.t.advanceUntil(
    async () => {
      group = await describeGroup(w, name);
      const states = (group.Instances ?? []).map((i) => i.LifecycleState);
      return states.filter((s) => s === 'InService').length === count && states.every((s) => s === 'InService' || s === 'Standby');
    },
    { maxSeconds },
  );
  return group!;
}

export function entries<T extends HistoryEntry['type']>(w: AsgWorld, type: T): HistoryEntryOf<T>[] {
  return w.t.history().filter((e): e is HistoryEntryOf<T> => e.type === type);
}

/** The lifecycle entries of one instance, as `state@seconds-since-start`. */
export function lifecycleOf(w: AsgWorld, instanceId: string, start: number): string[] {
  return entries(w, 'lifecycle')
    .filter((e) => e.instanceId === instanceId)
    .map((e) => `${e.to ?? 'gone'}@${(e.t - start) / 1000}`);
}

/** Seconds since the start of the test, from the simulated clock. */
export function elapsed(w: AsgWorld, start: number): number {
  return (w.t.emu.sim.now - start) / 1000;
}
