/**
 * The remaining Auto Scaling actions tools call around a group (E-39), each
 * answered as AWS answers it — an empty list where AWS has nothing to say,
 * never InvalidAction:
 * - DescribeAdjustmentTypes, DescribeAutoScalingNotificationTypes: fixed lists
 *   (API_DescribeAdjustmentTypes, API_DescribeAutoScalingNotificationTypes);
 * - Put/Delete/DescribeNotificationConfigurations: stored per group and topic,
 *   described; no SNS is published (there is no SNS here);
 * - DescribeLoadBalancers (classic): the group's LoadBalancerNames, State
 *   `InService` (there are no classic load balancers to add to here);
 * - DescribeTrafficSources: the group's target groups as `elbv2` traffic
 *   sources (API_TrafficSourceState), `InService` or `Removing`.
 */
import type {
  DescribeAutoScalingNotificationTypesAnswer,
  DeleteNotificationConfigurationType,
  DescribeAdjustmentTypesAnswer,
  DescribeLoadBalancersRequest,
  DescribeLoadBalancersResponse,
  DescribeNotificationConfigurationsAnswer,
  DescribeNotificationConfigurationsType,
  DescribeTrafficSourcesRequest,
  DescribeTrafficSourcesResponse,
  PutNotificationConfigurationType,
  TrafficSourceState,
} from '@aws-sdk/client-auto-scaling';
import { validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { asgErrors } from './errors.js';
import { requireActiveGroup, requireGroup } from './lookup.js';
import { paginate } from './pagination.js';
import { groupScopedKey } from './state.js';

/** https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAdjustmentTypes.html */
export const ADJUSTMENT_TYPES = ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'] as const;

/** https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingNotificationTypes.html */
export const NOTIFICATION_TYPES = [
  'autoscaling:EC2_INSTANCE_LAUNCH',
  'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
  'autoscaling:EC2_INSTANCE_TERMINATE',
  'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
  'autoscaling:TEST_NOTIFICATION',
] as const;

export function describeAdjustmentTypes(): DescribeAdjustmentTypesAnswer {
  return { AdjustmentTypes: ADJUSTMENT_TYPES.map((AdjustmentType) => ({ AdjustmentType })) };
}

export function describeAutoScalingNotificationTypes(): DescribeAutoScalingNotificationTypesAnswer {
  return { AutoScalingNotificationTypes: [...NOTIFICATION_TYPES] };
}

export function putNotificationConfiguration(ctx: RequestContext, input: PutNotificationConfigurationType): Record<string, never> {
  const group = requireActiveGroup(ctx.region, input.AutoScalingGroupName);
  if (!input.TopicARN) throw asgErrors.missing('topicARN');
  const types = input.NotificationTypes ?? [];
  for (const type of types) {
    if (!(NOTIFICATION_TYPES as readonly string[]).includes(type)) throw validationError(`Notification type ${type} is not valid.`);
  }
  ctx.region.autoscaling.notificationConfigurations.set(groupScopedKey(group.name, input.TopicARN), {
    AutoScalingGroupName: group.name,
    TopicARN: input.TopicARN,
    NotificationTypes: [...new Set(types)],
  });
  return {};
}

export function deleteNotificationConfiguration(ctx: RequestContext, input: DeleteNotificationConfigurationType): Record<string, never> {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const key = groupScopedKey(group.name, input.TopicARN ?? '');
  if (!ctx.region.autoscaling.notificationConfigurations.delete(key)) {
    throw validationError(`Notification configuration for topic ${input.TopicARN} not found for Auto Scaling group ${group.name}.`);
  }
  return {};
}

/** One entry per group, topic and notification type, as AWS lists them; 50 a page (max 100). */
export function describeNotificationConfigurations(ctx: RequestContext, input: DescribeNotificationConfigurationsType): DescribeNotificationConfigurationsAnswer {
  const names = input.AutoScalingGroupNames?.length ? new Set(input.AutoScalingGroupNames) : undefined;
  const entries = [...ctx.region.autoscaling.notificationConfigurations.values()]
    .filter((c) => !names || names.has(c.AutoScalingGroupName))
    .flatMap((c) => c.NotificationTypes.map((NotificationType) => ({ AutoScalingGroupName: c.AutoScalingGroupName, TopicARN: c.TopicARN, NotificationType })));
  const page = paginate(entries, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 100 });
  return { NotificationConfigurations: page.items, NextToken: page.nextToken };
}

export function describeLoadBalancers(ctx: RequestContext, input: DescribeLoadBalancersRequest): DescribeLoadBalancersResponse {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const items = group.loadBalancerNames.map((LoadBalancerName) => ({ LoadBalancerName, State: 'InService' }));
  const page = paginate(items, input.MaxRecords, input.NextToken, { defaultSize: 100, maxSize: 100 });
  return { LoadBalancers: page.items, NextToken: page.nextToken };
}

export function describeTrafficSources(ctx: RequestContext, input: DescribeTrafficSourcesRequest): DescribeTrafficSourcesResponse {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  if (input.TrafficSourceType !== undefined && !['elb', 'elbv2', 'vpc-lattice'].includes(input.TrafficSourceType)) {
    throw validationError(`Traffic source type ${input.TrafficSourceType} is not valid.`);
  }
  const sources: TrafficSourceState[] = [];
  if (!input.TrafficSourceType || input.TrafficSourceType === 'elbv2') {
    for (const arn of group.targetGroupArns) sources.push({ TrafficSource: arn, Identifier: arn, Type: 'elbv2', State: 'InService' });
    for (const arn of group.removingTargetGroupArns) sources.push({ TrafficSource: arn, Identifier: arn, Type: 'elbv2', State: 'Removing' });
  }
  if (!input.TrafficSourceType || input.TrafficSourceType === 'elb') {
    for (const name of group.loadBalancerNames) sources.push({ TrafficSource: name, Identifier: name, Type: 'elb', State: 'InService' });
  }
  const page = paginate(sources, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 50 });
  return { TrafficSources: page.items, NextToken: page.nextToken };
}
