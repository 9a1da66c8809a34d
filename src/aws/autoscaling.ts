/**
 * The narrow Auto Scaling client: only the calls asg-deploy makes, each with
 * pagination, batching, retries and error mapping done, in the domain's words.
 * Built by createAwsClients; domain code never sees the SDK client.
 */
import {
  AttachInstancesCommand,
  CreateOrUpdateTagsCommand,
  DeletePolicyCommand,
  DeleteScheduledActionCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeLaunchConfigurationsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeScheduledActionsCommand,
  DetachInstancesCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
  PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand,
  ResumeProcessesCommand,
  SetDesiredCapacityCommand,
  SetInstanceProtectionCommand,
  SuspendProcessesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type Activity,
  type Alarm,
  type AutoScalingGroup,
  type AutoScalingClient,
  type Filter as AutoScalingFilter,
  type InstanceRefresh,
  type PutScalingPolicyCommandInput,
  type PutScheduledUpdateGroupActionCommandInput,
  type ScalingPolicy,
  type ScheduledUpdateGroupAction,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { AsgDeployError } from '../core/errors.js';
import type { Group, GroupTag, Instance, LaunchTemplateRef } from '../core/fleet.js';
import type { Caller } from './call.js';
import { toGroup, toInstance, toLaunchTemplateSpecification } from './map.js';
import { chunk, collectPages } from './paginate.js';

/** A group and its instances, from one DescribeAutoScalingGroups. */
export interface GroupDescription {
  group: Group;
  instances: Instance[];
}

/** What `updateGroup` may change; absent fields are left alone. */
export interface GroupChanges {
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
  /** The group's own launch template (not for a MixedInstancesPolicy group: use `mixedInstancesLaunchTemplate`). */
  launchTemplate?: LaunchTemplateRef;
  /** The launch template inside the group's MixedInstancesPolicy. */
  mixedInstancesLaunchTemplate?: LaunchTemplateRef;
  terminationPolicies?: string[];
  healthCheckType?: string;
  healthCheckGracePeriodMs?: number;
  defaultInstanceWarmupMs?: number;
}

export interface AutoScalingApi {
  /** The group and its instances; AsgDeployError GROUP_NOT_FOUND when it does not exist. */
  describeGroup(name: string): Promise<GroupDescription>;
  /** The group and its instances, or undefined when it does not exist. */
  findGroup(name: string): Promise<GroupDescription | undefined>;
  /** Groups by names and/or filters (e.g. `{ Name: 'tag:asg-deploy:app', Values: ['web'] }`), all pages. No query: every group. */
  describeGroups(query?: { names?: readonly string[]; filters?: AutoScalingFilter[] }): Promise<GroupDescription[]>;
  setDesiredCapacity(name: string, desired: number, options?: { honorCooldown?: boolean }): Promise<void>;
  updateGroup(name: string, changes: GroupChanges): Promise<void>;
  /** TerminateInstanceInAutoScalingGroup; with `decrementDesiredCapacity` false the group launches a replacement. */
  terminateInstance(instanceId: string, decrementDesiredCapacity: boolean): Promise<Activity | undefined>;
  /** EnterStandby, 20 ids per call. */
  enterStandby(name: string, instanceIds: readonly string[], decrementDesiredCapacity: boolean): Promise<Activity[]>;
  /** ExitStandby, 20 ids per call. */
  exitStandby(name: string, instanceIds: readonly string[]): Promise<void>;
  /** AttachInstances, 20 ids per call. */
  attachInstances(name: string, instanceIds: readonly string[]): Promise<void>;
  /** DetachInstances, 20 ids per call. */
  detachInstances(name: string, instanceIds: readonly string[], decrementDesiredCapacity: boolean): Promise<Activity[]>;
  /** SetInstanceProtection (scale-in protection), 50 ids per call. */
  setInstanceProtection(name: string, instanceIds: readonly string[], protectedFromScaleIn: boolean): Promise<void>;
  /** Suspends the named processes, or every process with `'all'`. An empty list does nothing (AWS would suspend all). */
  suspendProcesses(name: string, processes: readonly string[] | 'all'): Promise<void>;
  /** Resumes the named processes, or every process with `'all'`. An empty list does nothing. */
  resumeProcesses(name: string, processes: readonly string[] | 'all'): Promise<void>;
  /** Creates or overwrites tags on the group. */
  createOrUpdateTags(name: string, tags: readonly GroupTag[]): Promise<void>;
  deleteTags(name: string, keys: readonly string[]): Promise<void>;
  /** Newest first, all pages (or the first `limit`). */
  describeScalingActivities(name: string, options?: { limit?: number; activityIds?: string[] }): Promise<Activity[]>;
  describePolicies(name: string): Promise<ScalingPolicy[]>;
  putScalingPolicy(input: PutScalingPolicyCommandInput): Promise<{ policyArn?: string; alarms: Alarm[] }>;
  deletePolicy(name: string, policyName: string): Promise<void>;
  describeScheduledActions(name: string): Promise<ScheduledUpdateGroupAction[]>;
  putScheduledUpdateGroupAction(input: PutScheduledUpdateGroupActionCommandInput): Promise<void>;
  deleteScheduledAction(name: string, actionName: string): Promise<void>;
  /** Newest first, all pages (or the first `limit`). */
  describeInstanceRefreshes(name: string, options?: { limit?: number }): Promise<InstanceRefresh[]>;
  /** DescribeLaunchConfigurations: the named ones (50 names per call), or every one in the region; all pages. */
  describeLaunchConfigurations(names?: readonly string[]): Promise<LaunchConfigurationSummary[]>;
}

/** A launch configuration as asg-deploy needs it (what prune must not pull the image from under). */
export interface LaunchConfigurationSummary {
  name: string;
  imageId?: string;
  /** Epoch ms. */
  createdAt?: number;
}

/** AWS's per-call limits: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/ */
const MAX_RECORDS = 100;
const INSTANCE_IDS_PER_CALL = 20;
const NAMES_PER_CALL = 50;
const PROTECTION_IDS_PER_CALL = 50;

const toDescription = (g: AutoScalingGroup): GroupDescription => ({
  group: toGroup(g),
  instances: (g.Instances ?? []).map(toInstance),
});

export function createAutoScalingApi(client: AutoScalingClient, call: Caller): AutoScalingApi {
  const spec = (operation: string, idempotent: boolean, resource?: string) => ({
    service: 'autoscaling' as const,
    operation,
    idempotent,
    ...(resource === undefined ? {} : { resource }),
  });

  const describeGroups: AutoScalingApi['describeGroups'] = async (query = {}) => {
    // "By default, you can only specify up to 50 names" (DescribeAutoScalingGroups).
    const nameBatches = query.names === undefined ? [undefined] : chunk(query.names, NAMES_PER_CALL);
    const groups: AutoScalingGroup[] = [];
    for (const names of nameBatches) {
      groups.push(
        ...(await collectPages(async (token) => {
          const out = await call(spec('DescribeAutoScalingGroups', true, names?.join(', ')), (abortSignal) =>
            client.send(
              new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, Filters: query.filters, MaxRecords: MAX_RECORDS, NextToken: token }),
              { abortSignal },
            ),
          );
          return { items: out.AutoScalingGroups ?? [], next: out.NextToken };
        })),
      );
    }
    return groups.map(toDescription);
  };

  const findGroup: AutoScalingApi['findGroup'] = async (name) => {
    const found = await describeGroups({ names: [name] });
    return found.find((d) => d.group.name === name);
  };

  const processes = async (operation: 'SuspendProcesses' | 'ResumeProcesses', name: string, list: readonly string[] | 'all') => {
    if (list !== 'all' && list.length === 0) return;
    const input = { AutoScalingGroupName: name, ScalingProcesses: list === 'all' ? undefined : [...list] };
    await call(spec(operation, true, name), (abortSignal) =>
      client.send(operation === 'SuspendProcesses' ? new SuspendProcessesCommand(input) : new ResumeProcessesCommand(input), { abortSignal }),
    );
  };

  return {
    describeGroups,
    findGroup,

    async describeGroup(name) {
      const found = await findGroup(name);
      if (found === undefined) {
        throw new AsgDeployError('GROUP_NOT_FOUND', `auto scaling group ${JSON.stringify(name)} not found: check the name and the region`, {
          hint: 'list the groups with `aws autoscaling describe-auto-scaling-groups --query "AutoScalingGroups[].AutoScalingGroupName"`',
          details: { group: name },
        });
      }
      return found;
    },

    async setDesiredCapacity(name, desired, options = {}) {
      await call(spec('SetDesiredCapacity', true, name), (abortSignal) =>
        client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: desired, HonorCooldown: options.honorCooldown ?? false }), {
          abortSignal,
        }),
      );
    },

    async updateGroup(name, changes) {
      const input: UpdateAutoScalingGroupCommandInput = { AutoScalingGroupName: name };
      if (changes.minSize !== undefined) input.MinSize = changes.minSize;
      if (changes.maxSize !== undefined) input.MaxSize = changes.maxSize;
      if (changes.desiredCapacity !== undefined) input.DesiredCapacity = changes.desiredCapacity;
      if (changes.launchTemplate !== undefined) input.LaunchTemplate = toLaunchTemplateSpecification(changes.launchTemplate);
      if (changes.mixedInstancesLaunchTemplate !== undefined) {
        input.MixedInstancesPolicy = { LaunchTemplate: { LaunchTemplateSpecification: toLaunchTemplateSpecification(changes.mixedInstancesLaunchTemplate) } };
      }
      if (changes.terminationPolicies !== undefined) input.TerminationPolicies = [...changes.terminationPolicies];
      if (changes.healthCheckType !== undefined) input.HealthCheckType = changes.healthCheckType;
      if (changes.healthCheckGracePeriodMs !== undefined) input.HealthCheckGracePeriod = Math.round(changes.healthCheckGracePeriodMs / 1000);
      if (changes.defaultInstanceWarmupMs !== undefined) input.DefaultInstanceWarmup = Math.round(changes.defaultInstanceWarmupMs / 1000);
      await call(spec('UpdateAutoScalingGroup', true, name), (abortSignal) => client.send(new UpdateAutoScalingGroupCommand(input), { abortSignal }));
    },

    async terminateInstance(instanceId, decrementDesiredCapacity) {
      // Retried on 5xx like a describe: if a lost answer's call already ran, the
      // instance is Terminating, and terminating it again neither decrements
      // desired twice (only an instance that counts toward capacity takes the
      // desired capacity down with it) nor fails; once it is gone the call
      // answers "not found", which the engine reads as "already retired"
      // (issue 8: "terminate included, idempotently").
      const out = await call(spec('TerminateInstanceInAutoScalingGroup', true, instanceId), (abortSignal) =>
        client.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: decrementDesiredCapacity }), {
          abortSignal,
        }),
      );
      return out.Activity;
    },

    async enterStandby(name, instanceIds, decrementDesiredCapacity) {
      const activities: Activity[] = [];
      for (const ids of chunk(instanceIds, INSTANCE_IDS_PER_CALL)) {
        const out = await call(spec('EnterStandby', false, name), (abortSignal) =>
          client.send(new EnterStandbyCommand({ AutoScalingGroupName: name, InstanceIds: ids, ShouldDecrementDesiredCapacity: decrementDesiredCapacity }), {
            abortSignal,
          }),
        );
        activities.push(...(out.Activities ?? []));
      }
      return activities;
    },

    async exitStandby(name, instanceIds) {
      for (const ids of chunk(instanceIds, INSTANCE_IDS_PER_CALL)) {
        await call(spec('ExitStandby', false, name), (abortSignal) =>
          client.send(new ExitStandbyCommand({ AutoScalingGroupName: name, InstanceIds: ids }), { abortSignal }),
        );
      }
    },

    async attachInstances(name, instanceIds) {
      for (const ids of chunk(instanceIds, INSTANCE_IDS_PER_CALL)) {
        await call(spec('AttachInstances', false, name), (abortSignal) =>
          client.send(new AttachInstancesCommand({ AutoScalingGroupName: name, InstanceIds: ids }), { abortSignal }),
        );
      }
    },

    async detachInstances(name, instanceIds, decrementDesiredCapacity) {
      const activities: Activity[] = [];
      for (const ids of chunk(instanceIds, INSTANCE_IDS_PER_CALL)) {
        const out = await call(spec('DetachInstances', false, name), (abortSignal) =>
          client.send(new DetachInstancesCommand({ AutoScalingGroupName: name, InstanceIds: ids, ShouldDecrementDesiredCapacity: decrementDesiredCapacity }), {
            abortSignal,
          }),
        );
        activities.push(...(out.Activities ?? []));
      }
      return activities;
    },

    async setInstanceProtection(name, instanceIds, protectedFromScaleIn) {
      for (const ids of chunk(instanceIds, PROTECTION_IDS_PER_CALL)) {
        await call(spec('SetInstanceProtection', true, name), (abortSignal) =>
          client.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: name, InstanceIds: ids, ProtectedFromScaleIn: protectedFromScaleIn }), {
            abortSignal,
          }),
        );
      }
    },

    suspendProcesses: (name, list) => processes('SuspendProcesses', name, list),
    resumeProcesses: (name, list) => processes('ResumeProcesses', name, list),

    async createOrUpdateTags(name, tags) {
      if (tags.length === 0) return;
      await call(spec('CreateOrUpdateTags', true, name), (abortSignal) =>
        client.send(
          new CreateOrUpdateTagsCommand({
            Tags: tags.map((t) => ({ ResourceId: name, ResourceType: 'auto-scaling-group', Key: t.key, Value: t.value, PropagateAtLaunch: t.propagateAtLaunch })),
          }),
          { abortSignal },
        ),
      );
    },

    async deleteTags(name, keys) {
      if (keys.length === 0) return;
      await call(spec('DeleteTags', true, name), (abortSignal) =>
        client.send(new DeleteTagsCommand({ Tags: keys.map((key) => ({ ResourceId: name, ResourceType: 'auto-scaling-group', Key: key })) }), { abortSignal }),
      );
    },

    async describeScalingActivities(name, options = {}) {
      return collectPages(
        async (token) => {
          const out = await call(spec('DescribeScalingActivities', true, name), (abortSignal) =>
            client.send(
              new DescribeScalingActivitiesCommand({
                AutoScalingGroupName: name,
                ActivityIds: options.activityIds,
                MaxRecords: MAX_RECORDS,
                NextToken: token,
              }),
              { abortSignal },
            ),
          );
          return { items: out.Activities ?? [], next: out.NextToken };
        },
        options.limit === undefined ? {} : { limit: options.limit },
      );
    },

    async describePolicies(name) {
      return collectPages(async (token) => {
        const out = await call(spec('DescribePolicies', true, name), (abortSignal) =>
          // DescribePolicies takes at most 50 per page (AWS: "The maximum value is 50"), unlike the other describes.
          client.send(new DescribePoliciesCommand({ AutoScalingGroupName: name, MaxRecords: 50, NextToken: token }), { abortSignal }),
        );
        return { items: out.ScalingPolicies ?? [], next: out.NextToken };
      });
    },

    async putScalingPolicy(input) {
      const out = await call(spec('PutScalingPolicy', true, input.AutoScalingGroupName), (abortSignal) =>
        client.send(new PutScalingPolicyCommand(input), { abortSignal }),
      );
      return { ...(out.PolicyARN === undefined ? {} : { policyArn: out.PolicyARN }), alarms: out.Alarms ?? [] };
    },

    async deletePolicy(name, policyName) {
      await call(spec('DeletePolicy', false, `${name}/${policyName}`), (abortSignal) =>
        client.send(new DeletePolicyCommand({ AutoScalingGroupName: name, PolicyName: policyName }), { abortSignal }),
      );
    },

    async describeScheduledActions(name) {
      return collectPages(async (token) => {
        const out = await call(spec('DescribeScheduledActions', true, name), (abortSignal) =>
          client.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: name, MaxRecords: MAX_RECORDS, NextToken: token }), { abortSignal }),
        );
        return { items: out.ScheduledUpdateGroupActions ?? [], next: out.NextToken };
      });
    },

    async putScheduledUpdateGroupAction(input) {
      await call(spec('PutScheduledUpdateGroupAction', true, input.AutoScalingGroupName), (abortSignal) =>
        client.send(new PutScheduledUpdateGroupActionCommand(input), { abortSignal }),
      );
    },

    async deleteScheduledAction(name, actionName) {
      await call(spec('DeleteScheduledAction', false, `${name}/${actionName}`), (abortSignal) =>
        client.send(new DeleteScheduledActionCommand({ AutoScalingGroupName: name, ScheduledActionName: actionName }), { abortSignal }),
      );
    },

    async describeInstanceRefreshes(name, options = {}) {
      return collectPages(
        async (token) => {
          const out = await call(spec('DescribeInstanceRefreshes', true, name), (abortSignal) =>
            client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name, MaxRecords: MAX_RECORDS, NextToken: token }), { abortSignal }),
          );
          return { items: out.InstanceRefreshes ?? [], next: out.NextToken };
        },
        options.limit === undefined ? {} : { limit: options.limit },
      );
    },

    async describeLaunchConfigurations(names) {
      const batches = names === undefined ? [undefined] : chunk(names, NAMES_PER_CALL);
      const out: LaunchConfigurationSummary[] = [];
      for (const batch of batches) {
        const items = await collectPages(async (token) => {
          const page = await call(spec('DescribeLaunchConfigurations', true, batch?.join(', ')), (abortSignal) =>
            client.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: batch, MaxRecords: MAX_RECORDS, NextToken: token }), { abortSignal }),
          );
          return { items: page.LaunchConfigurations ?? [], next: page.NextToken };
        });
        for (const lc of items) {
          out.push({
            name: lc.LaunchConfigurationName ?? '',
            ...(lc.ImageId === undefined || lc.ImageId === '' ? {} : { imageId: lc.ImageId }),
            ...(lc.CreatedTime === undefined ? {} : { createdAt: new Date(lc.CreatedTime).getTime() }),
          });
        }
      }
      return out;
    },
  };
}
