/**
 * What copying a fleet needs beyond the deploy's own calls (`asg-deploy
 * rehearse`): the reads that take a live fleet's shape (lifecycle hooks, warm
 * pool, load balancers and their listeners, the raw group with everything
 * CreateAutoScalingGroup accepts) and the writes that build the copy inside an
 * emulator. The reads are Describe calls only: a rehearsal never changes the
 * live account (the tests prove it from the live emulator's call log).
 */
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLifecycleHooksCommand,
  DescribeWarmPoolCommand,
  PutLifecycleHookCommand,
  PutWarmPoolCommand,
  type AutoScalingClient,
  type AutoScalingGroup,
  type CreateAutoScalingGroupCommandInput,
  type LifecycleHook,
  type PutLifecycleHookCommandInput,
  type PutWarmPoolCommandInput,
  type WarmPoolConfiguration,
} from '@aws-sdk/client-auto-scaling';
import { RegisterImageCommand, RunInstancesCommand, type EC2Client, type Tag as Ec2Tag } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ModifyTargetGroupAttributesCommand,
  type CreateTargetGroupCommandInput,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { isAsgDeployError } from '../core/errors.js';
import type { Caller } from './call.js';
import type { AwsService } from './classify.js';
import { collectPages } from './paginate.js';

export type { AutoScalingGroup as RawGroup, LifecycleHook, WarmPoolConfiguration, LoadBalancer, Listener, CreateTargetGroupCommandInput as CreateTargetGroupInput };

/** A load balancer with its listeners. */
export interface LoadBalancerWithListeners {
  loadBalancer: LoadBalancer;
  listeners: Listener[];
}

export interface FleetCopyApi {
  /** The groups as AWS describes them (every field CreateAutoScalingGroup takes), all pages; unknown names are left out. */
  describeRawGroups(names: readonly string[]): Promise<AutoScalingGroup[]>;
  describeLifecycleHooks(group: string): Promise<LifecycleHook[]>;
  /** The group's warm pool, or undefined when it has none. */
  describeWarmPool(group: string): Promise<WarmPoolConfiguration | undefined>;
  /** The load balancers with these ARNs and their listeners. */
  describeLoadBalancers(arns: readonly string[]): Promise<LoadBalancerWithListeners[]>;

  /** RegisterImage with the given tags (an emulator copy of a live image); returns the new id. */
  registerImage(name: string, architecture: string | undefined, tags: Readonly<Record<string, string>>): Promise<string>;
  createTargetGroup(input: CreateTargetGroupCommandInput, attributes: Readonly<Record<string, string>>): Promise<string>;
  /** An application load balancer over the subnets, with one listener per (port, protocol, target group). */
  createLoadBalancer(name: string, subnetIds: readonly string[], listeners: readonly { port: number; protocol: string; targetGroupArn: string }[]): Promise<string>;
  createGroup(input: CreateAutoScalingGroupCommandInput): Promise<void>;
  putLifecycleHook(input: PutLifecycleHookCommandInput): Promise<void>;
  putWarmPool(input: PutWarmPoolCommandInput): Promise<void>;
  /** One instance from an image in a subnet (the copy of an instance prepared for `swap`); returns its id. */
  runInstance(imageId: string, instanceType: string, subnetId: string): Promise<string>;
}

export function createFleetCopyApi(clients: { autoscaling: AutoScalingClient; ec2: EC2Client; elbv2: ElasticLoadBalancingV2Client }, call: Caller): FleetCopyApi {
  const spec = (service: AwsService, operation: string, resource?: string) => ({
    service,
    operation,
    idempotent: operation.startsWith('Describe'),
    ...(resource === undefined ? {} : { resource }),
  });
  return {
    async describeRawGroups(names) {
      if (names.length === 0) return [];
      return collectPages(async (token) => {
        const out = await call(spec('autoscaling', 'DescribeAutoScalingGroups', names.join(',')), (abortSignal) =>
          clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...names], NextToken: token, MaxRecords: 100 }), { abortSignal }),
        );
        return { items: out.AutoScalingGroups ?? [], next: out.NextToken };
      });
    },

    async describeLifecycleHooks(group) {
      const out = await call(spec('autoscaling', 'DescribeLifecycleHooks', group), (abortSignal) =>
        clients.autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: group }), { abortSignal }),
      );
      return out.LifecycleHooks ?? [];
    },

    async describeWarmPool(group) {
      try {
        const out = await call(spec('autoscaling', 'DescribeWarmPool', group), (abortSignal) =>
          clients.autoscaling.send(new DescribeWarmPoolCommand({ AutoScalingGroupName: group }), { abortSignal }),
        );
        return out.WarmPoolConfiguration;
      } catch (e) {
        // An endpoint that does not know warm pools (an older emulator) has none to copy.
        if (isAsgDeployError(e) && e.details?.awsCode === 'InvalidAction') return undefined;
        throw e;
      }
    },

    async describeLoadBalancers(arns) {
      if (arns.length === 0) return [];
      const loadBalancers = await collectPages(async (marker) => {
        const out = await call(spec('elasticloadbalancing', 'DescribeLoadBalancers'), (abortSignal) =>
          clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [...arns], Marker: marker }), { abortSignal }),
        );
        return { items: out.LoadBalancers ?? [], next: out.NextMarker };
      });
      const result: LoadBalancerWithListeners[] = [];
      for (const loadBalancer of loadBalancers) {
        const listeners = await collectPages(async (marker) => {
          const out = await call(spec('elasticloadbalancing', 'DescribeListeners', loadBalancer.LoadBalancerName), (abortSignal) =>
            clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancer.LoadBalancerArn, Marker: marker }), { abortSignal }),
          );
          return { items: out.Listeners ?? [], next: out.NextMarker };
        });
        result.push({ loadBalancer, listeners });
      }
      return result;
    },

    async registerImage(name, architecture, tags) {
      const Tags: Ec2Tag[] = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
      const out = await call(spec('ec2', 'RegisterImage', name), (abortSignal) =>
        clients.ec2.send(
          new RegisterImageCommand({
            Name: name,
            Architecture: (architecture ?? 'x86_64') as 'x86_64',
            RootDeviceName: '/dev/xvda',
            ...(Tags.length === 0 ? {} : { TagSpecifications: [{ ResourceType: 'image', Tags }] }),
          }),
          { abortSignal },
        ),
      );
      return out.ImageId!;
    },

    async createTargetGroup(input, attributes) {
      const out = await call(spec('elasticloadbalancing', 'CreateTargetGroup', input.Name), (abortSignal) =>
        clients.elbv2.send(new CreateTargetGroupCommand(input), { abortSignal }),
      );
      const arn = out.TargetGroups?.[0]?.TargetGroupArn;
      if (!arn) throw new Error(`CreateTargetGroup ${input.Name} returned no ARN`);
      const entries = Object.entries(attributes);
      if (entries.length > 0) {
        await call(spec('elasticloadbalancing', 'ModifyTargetGroupAttributes', input.Name), (abortSignal) =>
          clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: entries.map(([Key, Value]) => ({ Key, Value })) }), { abortSignal }),
        );
      }
      return arn;
    },

    async createLoadBalancer(name, subnetIds, listeners) {
      const out = await call(spec('elasticloadbalancing', 'CreateLoadBalancer', name), (abortSignal) =>
        clients.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: [...subnetIds], Type: 'application' }), { abortSignal }),
      );
      const arn = out.LoadBalancers?.[0]?.LoadBalancerArn;
      if (!arn) throw new Error(`CreateLoadBalancer ${name} returned no ARN`);
      for (const l of listeners) {
        await call(spec('elasticloadbalancing', 'CreateListener', name), (abortSignal) =>
          clients.elbv2.send(
            new CreateListenerCommand({
              LoadBalancerArn: arn,
              Port: l.port,
              Protocol: l.protocol as 'HTTP',
              DefaultActions: [{ Type: 'forward', TargetGroupArn: l.targetGroupArn }],
            }),
            { abortSignal },
          ),
        );
      }
      return arn;
    },

    async createGroup(input) {
      await call(spec('autoscaling', 'CreateAutoScalingGroup', input.AutoScalingGroupName), (abortSignal) =>
        clients.autoscaling.send(new CreateAutoScalingGroupCommand(input), { abortSignal }),
      );
    },

    async putLifecycleHook(input) {
      await call(spec('autoscaling', 'PutLifecycleHook', input.AutoScalingGroupName), (abortSignal) =>
        clients.autoscaling.send(new PutLifecycleHookCommand(input), { abortSignal }),
      );
    },

    async runInstance(imageId, instanceType, subnetId) {
      const out = await call(spec('ec2', 'RunInstances', imageId), (abortSignal) =>
        clients.ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType as 't3.micro', SubnetId: subnetId, MinCount: 1, MaxCount: 1 }), { abortSignal }),
      );
      const id = out.Instances?.[0]?.InstanceId;
      if (!id) throw new Error(`RunInstances of ${imageId} returned no instance`);
      return id;
    },

    async putWarmPool(input) {
      await call(spec('autoscaling', 'PutWarmPool', input.AutoScalingGroupName), (abortSignal) =>
        clients.autoscaling.send(new PutWarmPoolCommand(input), { abortSignal }),
      );
    },
  };
}
