/**
 * Group metrics collection (docs/emulator-automation.md E-24):
 * EnableMetricsCollection / DisableMetricsCollection / DescribeMetricCollectionTypes,
 * and the group's EnabledMetrics. Enabled metrics are published to
 * `AWS/AutoScaling` each minute with the AutoScalingGroupName dimension.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_EnableMetricsCollection.html
 */
import type {
  DescribeMetricCollectionTypesAnswer,
  DisableMetricsCollectionQuery,
  EnabledMetric,
  EnableMetricsCollectionQuery,
} from '@aws-sdk/client-auto-scaling';
import { validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { asgErrors } from './errors.js';
import { requireActiveGroup, requireGroup } from './lookup.js';
import type { AutoScalingGroupRecord } from './state.js';

/** Every group metric, in the order AWS lists them ("Available metrics", ec2-auto-scaling-metrics.html). */
export const GROUP_METRICS = [
  'GroupMinSize',
  'GroupMaxSize',
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupPendingInstances',
  'GroupStandbyInstances',
  'GroupTerminatingInstances',
  'GroupTotalInstances',
  'GroupInServiceCapacity',
  'GroupPendingCapacity',
  'GroupStandbyCapacity',
  'GroupTerminatingCapacity',
  'GroupTotalCapacity',
  'WarmPoolDesiredCapacity',
  'WarmPoolWarmedCapacity',
  'WarmPoolPendingCapacity',
  'WarmPoolTerminatingCapacity',
  'WarmPoolTotalCapacity',
  'GroupAndWarmPoolDesiredCapacity',
  'GroupAndWarmPoolTotalCapacity',
];
const GRANULARITY = '1Minute';

function metricsOf(list: readonly string[] | undefined): string[] {
  if (!list?.length) return [...GROUP_METRICS]; // no list: every metric
  for (const m of list) if (!GROUP_METRICS.includes(m)) throw validationError(`Invalid metric name ${m}. Valid metrics are ${GROUP_METRICS.join(', ')}.`);
  return [...new Set(list)];
}

export function enabledMetricsOf(group: AutoScalingGroupRecord): EnabledMetric[] {
  return (group.enabledMetrics ?? []).map((Metric) => ({ Metric, Granularity: GRANULARITY }));
}

export function enableMetricsCollection(ctx: RequestContext, input: EnableMetricsCollectionQuery): Record<string, never> {
  const group = requireActiveGroup(ctx.region, input.AutoScalingGroupName);
  if (!input.Granularity) throw asgErrors.missing('granularity');
  if (input.Granularity !== GRANULARITY) throw validationError(`Invalid granularity ${input.Granularity}. The only valid granularity is ${GRANULARITY}.`);
  const enabled = new Set(group.enabledMetrics ?? []);
  for (const m of metricsOf(input.Metrics)) enabled.add(m);
  group.enabledMetrics = GROUP_METRICS.filter((m) => enabled.has(m));
  return {};
}

export function disableMetricsCollection(ctx: RequestContext, input: DisableMetricsCollectionQuery): Record<string, never> {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const off = new Set(metricsOf(input.Metrics));
  group.enabledMetrics = (group.enabledMetrics ?? []).filter((m) => !off.has(m));
  return {};
}

export function describeMetricCollectionTypes(): DescribeMetricCollectionTypesAnswer {
  return { Metrics: GROUP_METRICS.map((Metric) => ({ Metric })), Granularities: [{ Granularity: GRANULARITY }] };
}
