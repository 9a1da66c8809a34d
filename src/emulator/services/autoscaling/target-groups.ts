/**
 * AttachLoadBalancerTargetGroups / DetachLoadBalancerTargetGroups /
 * DescribeLoadBalancerTargetGroups. Attaching registers the group's InService
 * instances; detaching deregisters them, and the target group shows
 * `Removing` until they have drained.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/attach-load-balancer-asg.html
 */
import type {
  AttachLoadBalancerTargetGroupsType,
  DescribeLoadBalancerTargetGroupsRequest,
  DescribeLoadBalancerTargetGroupsResponse,
  DetachLoadBalancerTargetGroupsType,
  LoadBalancerTargetGroupState,
} from '@aws-sdk/client-auto-scaling';
import { validationError } from '../../aws-error.js';
import type { RegionState, RequestContext } from '../../world.js';
import { deregisterInstance, registerInstance, targetGroupExists, targetState } from '../elbv2/index.js';
import { isSuspended } from './controller.js';
import { asgErrors } from './errors.js';
import { requireActiveGroup, requireGroup } from './lookup.js';
import { recordGroupChange } from './membership.js';
import { paginate } from './pagination.js';
import type { AutoScalingGroupRecord } from './state.js';

const MAX_TARGET_GROUPS_PER_CALL = 10;

function arnsOf(input: { TargetGroupARNs?: string[] }): string[] {
  const arns = [...new Set(input.TargetGroupARNs ?? [])];
  if (!input.TargetGroupARNs) throw asgErrors.missing('targetGroupARNs');
  if (arns.length > MAX_TARGET_GROUPS_PER_CALL) throw asgErrors.tooLong('targetGroupARNs', arns, MAX_TARGET_GROUPS_PER_CALL);
  return arns;
}

export function attachLoadBalancerTargetGroups(ctx: RequestContext, input: AttachLoadBalancerTargetGroupsType): Record<string, never> {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  const arns = arnsOf(input);
  for (const arn of arns) {
    if (!targetGroupExists(region, arn)) throw validationError('Provided Target Groups may not be valid. Please ensure they exist and try again.');
  }
  const before = [...group.targetGroupArns];
  for (const arn of arns) {
    if (group.targetGroupArns.includes(arn)) continue;
    group.targetGroupArns.push(arn);
    group.removingTargetGroupArns.delete(arn);
    if (isSuspended(group, 'AddToLoadBalancer')) continue;
    for (const instance of group.instances.values()) {
      if (instance.lifecycleState === 'InService') registerInstance(sim, region, arn, instance.instanceId);
    }
  }
  recordGroupChange(sim, region, group.name, 'TargetGroupARNs', before, [...group.targetGroupArns]);
  return {};
}

export function detachLoadBalancerTargetGroups(ctx: RequestContext, input: DetachLoadBalancerTargetGroupsType): Record<string, never> {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  const arns = arnsOf(input);
  const before = [...group.targetGroupArns];
  for (const arn of arns) {
    if (!group.targetGroupArns.includes(arn)) continue;
    group.targetGroupArns = group.targetGroupArns.filter((a) => a !== arn);
    group.removingTargetGroupArns.add(arn);
    for (const instance of group.instances.values()) {
      const state = targetState(region, arn, instance.instanceId);
      if (state !== undefined && state !== 'draining') deregisterInstance(sim, region, arn, instance.instanceId);
    }
  }
  recordGroupChange(sim, region, group.name, 'TargetGroupARNs', before, [...group.targetGroupArns]);
  return {};
}

/** Attached: `InService` once an instance is healthy in it, else `Added`; detached: `Removing` while instances drain. */
function targetGroupStates(region: RegionState, group: AutoScalingGroupRecord): LoadBalancerTargetGroupState[] {
  const states: LoadBalancerTargetGroupState[] = [];
  for (const arn of group.targetGroupArns) {
    let healthy = false;
    for (const instance of group.instances.values()) {
      if (targetState(region, arn, instance.instanceId) === 'healthy') {
        healthy = true;
        break;
      }
    }
    states.push({ LoadBalancerTargetGroupARN: arn, State: healthy ? 'InService' : 'Added' });
  }
  for (const arn of [...group.removingTargetGroupArns]) {
    const draining = [...group.instances.values()].some((i) => targetState(region, arn, i.instanceId) !== undefined);
    if (draining) states.push({ LoadBalancerTargetGroupARN: arn, State: 'Removing' });
    else group.removingTargetGroupArns.delete(arn);
  }
  return states;
}

export function describeLoadBalancerTargetGroups(
  ctx: RequestContext,
  input: DescribeLoadBalancerTargetGroupsRequest,
): DescribeLoadBalancerTargetGroupsResponse {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const page = paginate(targetGroupStates(ctx.region, group), input.MaxRecords, input.NextToken, { defaultSize: 100, maxSize: 100 });
  return { LoadBalancerTargetGroups: page.items, NextToken: page.nextToken };
}
