/**
 * Building a fleet from nothing: the default network, a base image, a launch
 * template, a target group behind a load balancer, and a group. Used by
 * `demo` (and by tests that rehearse a deploy on the emulator); deploys never
 * create infrastructure.
 */
import { CreateAutoScalingGroupCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DescribeImagesCommand,
  RegisterImageCommand,
  type EC2Client,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ModifyTargetGroupAttributesCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AsgDeployError } from '../core/errors.js';
import type { Caller } from './call.js';
import type { AwsService } from './classify.js';

export interface DefaultNetwork {
  vpcId: string;
  subnets: { subnetId: string; availabilityZone: string }[];
}

export interface TargetGroupSpec {
  name: string;
  vpcId: string;
  port?: number;
  healthCheckPath?: string;
  healthCheckIntervalSeconds?: number;
  healthyThresholdCount?: number;
  unhealthyThresholdCount?: number;
  deregistrationDelaySeconds?: number;
}

export interface GroupSpec {
  name: string;
  launchTemplateId: string;
  version: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  subnetIds: string[];
  targetGroupArns?: string[];
  healthCheckType?: 'EC2' | 'ELB';
  healthCheckGracePeriodSeconds?: number;
  tags?: Record<string, string>;
}

export interface ProvisionApi {
  /** The region's default VPC and its default subnets (one per AZ). */
  defaultNetwork(): Promise<DefaultNetwork>;
  /** The newest available Amazon-owned x86_64 image whose name matches `namePattern` (EC2 wildcards). */
  amazonImage(namePattern?: string): Promise<string>;
  createLaunchTemplate(name: string, data: RequestLaunchTemplateData): Promise<{ id: string; version: number }>;
  /** RegisterImage of an x86_64 EBS image with these tags (on the emulator, they set how its instances behave: E-19); returns its id. */
  registerImage(name: string, tags: Readonly<Record<string, string>>): Promise<string>;
  createTargetGroup(spec: TargetGroupSpec): Promise<string>;
  /** An internet-facing application load balancer over the subnets, forwarding `port` to the target group. */
  createLoadBalancer(name: string, subnetIds: string[], targetGroupArn: string, port?: number): Promise<string>;
  createGroup(spec: GroupSpec): Promise<void>;
}

export function createProvisionApi(clients: { autoscaling: AutoScalingClient; ec2: EC2Client; elbv2: ElasticLoadBalancingV2Client }, call: Caller): ProvisionApi {
  const spec = (service: AwsService, operation: string, resource?: string) => ({
    service,
    operation,
    idempotent: operation.startsWith('Describe'),
    ...(resource === undefined ? {} : { resource }),
  });
  return {
    async defaultNetwork() {
      const vpcs = await call(spec('ec2', 'DescribeVpcs'), (abortSignal) =>
        clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }), { abortSignal }),
      );
      const vpcId = vpcs.Vpcs?.[0]?.VpcId;
      if (!vpcId) throw new AsgDeployError('NOT_FOUND', 'this region has no default VPC', { hint: 'create one with `aws ec2 create-default-vpc`' });
      const subnets = await call(spec('ec2', 'DescribeSubnets'), (abortSignal) =>
        clients.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default-for-az', Values: ['true'] }] }), { abortSignal }),
      );
      return {
        vpcId,
        subnets: (subnets.Subnets ?? [])
          .map((s) => ({ subnetId: s.SubnetId!, availabilityZone: s.AvailabilityZone! }))
          .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone)),
      };
    },
    async amazonImage(namePattern = 'al2023-ami-*-x86_64') {
      const out = await call(spec('ec2', 'DescribeImages'), (abortSignal) =>
        clients.ec2.send(
          new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: [namePattern] }, { Name: 'state', Values: ['available'] }] }),
          { abortSignal },
        ),
      );
      const newest = (out.Images ?? []).sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
      if (!newest?.ImageId) throw new AsgDeployError('NOT_FOUND', `no available Amazon image matches ${namePattern}`);
      return newest.ImageId;
    },
    async createLaunchTemplate(name, data) {
      const out = await call(spec('ec2', 'CreateLaunchTemplate', name), (abortSignal) =>
        clients.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: data }), { abortSignal }),
      );
      return { id: out.LaunchTemplate!.LaunchTemplateId!, version: out.LaunchTemplate!.LatestVersionNumber ?? 1 };
    },
    async registerImage(name, tags) {
      const out = await call(spec('ec2', 'RegisterImage', name), (abortSignal) =>
        clients.ec2.send(
          new RegisterImageCommand({
            Name: name,
            Architecture: 'x86_64',
            RootDeviceName: '/dev/xvda',
            TagSpecifications: [{ ResourceType: 'image', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
          }),
          { abortSignal },
        ),
      );
      return out.ImageId!;
    },
    async createTargetGroup(tg) {
      const out = await call(spec('elasticloadbalancing', 'CreateTargetGroup', tg.name), (abortSignal) =>
        clients.elbv2.send(
          new CreateTargetGroupCommand({
            Name: tg.name,
            Protocol: 'HTTP',
            Port: tg.port ?? 80,
            VpcId: tg.vpcId,
            TargetType: 'instance',
            HealthCheckPath: tg.healthCheckPath ?? '/health',
            HealthCheckIntervalSeconds: tg.healthCheckIntervalSeconds,
            // The timeout must be shorter than the interval (AWS's ValidationError otherwise).
            HealthCheckTimeoutSeconds: tg.healthCheckIntervalSeconds !== undefined ? Math.max(2, Math.min(5, tg.healthCheckIntervalSeconds - 1)) : undefined,
            HealthyThresholdCount: tg.healthyThresholdCount,
            UnhealthyThresholdCount: tg.unhealthyThresholdCount,
          }),
          { abortSignal },
        ),
      );
      const arn = out.TargetGroups![0]!.TargetGroupArn!;
      if (tg.deregistrationDelaySeconds !== undefined) {
        await call(spec('elasticloadbalancing', 'ModifyTargetGroupAttributes', tg.name), (abortSignal) =>
          clients.elbv2.send(
            new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(tg.deregistrationDelaySeconds) }] }),
            { abortSignal },
          ),
        );
      }
      return arn;
    },
    async createLoadBalancer(name, subnetIds, targetGroupArn, port = 80) {
      const lb = await call(spec('elasticloadbalancing', 'CreateLoadBalancer', name), (abortSignal) =>
        clients.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: subnetIds, Type: 'application', Scheme: 'internet-facing' }), { abortSignal }),
      );
      const arn = lb.LoadBalancers![0]!.LoadBalancerArn!;
      await call(spec('elasticloadbalancing', 'CreateListener', name), (abortSignal) =>
        clients.elbv2.send(
          new CreateListenerCommand({ LoadBalancerArn: arn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
          { abortSignal },
        ),
      );
      return arn;
    },
    async createGroup(g) {
      await call(spec('autoscaling', 'CreateAutoScalingGroup', g.name), (abortSignal) =>
        clients.autoscaling.send(
          new CreateAutoScalingGroupCommand({
            AutoScalingGroupName: g.name,
            LaunchTemplate: { LaunchTemplateId: g.launchTemplateId, Version: g.version },
            MinSize: g.minSize,
            MaxSize: g.maxSize,
            DesiredCapacity: g.desiredCapacity,
            VPCZoneIdentifier: g.subnetIds.join(','),
            TargetGroupARNs: g.targetGroupArns,
            HealthCheckType: g.healthCheckType ?? (g.targetGroupArns?.length ? 'ELB' : 'EC2'),
            HealthCheckGracePeriod: g.healthCheckGracePeriodSeconds ?? 60,
            Tags: Object.entries(g.tags ?? {}).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
          }),
          { abortSignal },
        ),
      );
    },
  };
}
