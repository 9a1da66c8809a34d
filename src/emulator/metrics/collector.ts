/**
 * The minute's metrics (docs/emulator-automation.md E-24, E-25): what AWS's
 * services would publish for one minute, computed from the fleet's state and
 * the load on each target group.
 *
 * - Load: `requestsPerSecond` on a target group spreads evenly over its
 *   `healthy` targets (no healthy target: the load balancer answers 503
 *   itself, HTTPCode_ELB_5XX_Count).
 * - `AWS/ApplicationELB` per target group and load balancer, dimension values
 *   as AWS writes them (`targetgroup/NAME/ID`, `app/NAME/ID`), names and
 *   dimensions from "CloudWatch metrics for your Application Load Balancer"
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 *   Request metrics are published only for minutes with requests, as ELB
 *   "reports metrics only when requests are flowing"; host counts every minute.
 * - `AWS/EC2` CPUUtilization per running instance (InstanceId) and per group
 *   (AutoScalingGroupName, one sample per running instance)
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html).
 * - `AWS/AutoScaling` group metrics for groups with metrics collection enabled
 *   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html).
 */
import type { RegionState } from '../world.js';
import { cpuOf, errorRateOf, latencyMsOf } from '../services/ec2/behaviour.js';
import type { MetricDimension } from '../services/cloudwatch/state.js';
import { isPendingState } from '../services/autoscaling/membership.js';
import { putDatapoint, setOf, single, sortDimensions, type StatisticSet } from './metric-store.js';

/** `targetgroup/NAME/ID` from a target group ARN (the TargetGroup dimension's value). */
export function targetGroupDimension(arn: string): string {
  return arn.slice(arn.indexOf(':targetgroup/') + 1);
}

/** `app/NAME/ID` from a load balancer ARN (the LoadBalancer dimension's value). */
export function loadBalancerDimension(arn: string): string {
  return arn.slice(arn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
}

interface LoadBalancerTotals {
  requests: number;
  targetErrors: number;
  elbErrors: number;
  latency?: StatisticSet;
}

function merge(a: StatisticSet | undefined, b: StatisticSet): StatisticSet {
  if (!a) return { ...b };
  return { sampleCount: a.sampleCount + b.sampleCount, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** Publishes the metrics of the minute starting at `minute` (epoch ms). */
export function collectMinute(region: RegionState, minute: number): void {
  const cw = region.cloudwatch;
  const put = (namespace: string, metricName: string, dims: MetricDimension[], stats: StatisticSet | undefined, unit: string) => {
    if (stats) putDatapoint(cw, { namespace, metricName, dimensions: sortDimensions(dims), unit }, minute, stats);
  };
  const requestsPerSecondOf = new Map<string, number>();
  const perLoadBalancer = new Map<string, LoadBalancerTotals>();

  for (const tg of region.elbv2.targetGroups.values()) {
    const loadBalancers = new Set<string>();
    for (const listenerArn of tg.listenerArns) {
      const lb = region.elbv2.listeners.get(listenerArn)?.loadBalancerArn;
      if (lb) loadBalancers.add(lb);
    }
    if (loadBalancers.size === 0) continue; // not behind a load balancer: no traffic, no ELB metrics
    let healthy = 0;
    let unhealthy = 0;
    const serving: string[] = [];
    for (const target of tg.targets.values()) {
      if (target.state === 'healthy') {
        healthy++;
        serving.push(target.id);
      } else if (target.state === 'unhealthy') unhealthy++;
    }
    const rps = cw.load.get(tg.arn) ?? 0;
    const requests = rps * 60;
    let targetErrors = 0;
    let latency: StatisticSet | undefined;
    if (healthy > 0 && requests > 0) {
      const perTarget = requests / healthy;
      for (const id of serving) {
        requestsPerSecondOf.set(id, (requestsPerSecondOf.get(id) ?? 0) + rps / healthy);
        const instance = region.ec2.instances.get(id);
        const errorRate = instance ? errorRateOf(instance) : 0;
        const seconds = (instance ? latencyMsOf(instance) : 0) / 1000;
        targetErrors += perTarget * errorRate;
        latency = merge(latency, { sampleCount: perTarget, sum: perTarget * seconds, min: seconds, max: seconds });
      }
    }
    const elbErrors = healthy === 0 ? requests : 0;
    const tgDim = { Name: 'TargetGroup', Value: targetGroupDimension(tg.arn) };
    for (const lbArn of loadBalancers) {
      const dims = [{ Name: 'LoadBalancer', Value: loadBalancerDimension(lbArn) }, tgDim];
      put('AWS/ApplicationELB', 'HealthyHostCount', dims, single(healthy), 'Count');
      put('AWS/ApplicationELB', 'UnHealthyHostCount', dims, single(unhealthy), 'Count');
      if (requests > 0) {
        put('AWS/ApplicationELB', 'RequestCount', dims, single(requests), 'Count');
        put('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', dims, single(Math.round(targetErrors)), 'Count');
        if (healthy > 0) put('AWS/ApplicationELB', 'RequestCountPerTarget', dims, single(requests / healthy), 'Count');
        put('AWS/ApplicationELB', 'TargetResponseTime', dims, latency, 'Seconds');
      }
      const totals = perLoadBalancer.get(lbArn) ?? { requests: 0, targetErrors: 0, elbErrors: 0 };
      totals.requests += requests;
      totals.targetErrors += targetErrors;
      totals.elbErrors += elbErrors;
      if (latency) totals.latency = merge(totals.latency, latency);
      perLoadBalancer.set(lbArn, totals);
    }
    // RequestCountPerTarget is also published per target group alone: the dimension target tracking's ALBRequestCountPerTarget reads.
    if (requests > 0 && healthy > 0) put('AWS/ApplicationELB', 'RequestCountPerTarget', [tgDim], single(requests / healthy), 'Count');
  }
  for (const [lbArn, totals] of perLoadBalancer) {
    if (totals.requests <= 0) continue;
    const dims = [{ Name: 'LoadBalancer', Value: loadBalancerDimension(lbArn) }];
    put('AWS/ApplicationELB', 'RequestCount', dims, single(totals.requests), 'Count');
    put('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', dims, single(Math.round(totals.targetErrors)), 'Count');
    if (totals.elbErrors > 0) put('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', dims, single(totals.elbErrors), 'Count');
    put('AWS/ApplicationELB', 'TargetResponseTime', dims, totals.latency, 'Seconds');
  }

  const cpuOfInstance = new Map<string, number>();
  for (const instance of region.ec2.instances.values()) {
    if (instance.state !== 'running') continue;
    const cpu = cpuOf(instance, requestsPerSecondOf.get(instance.instanceId) ?? 0);
    cpuOfInstance.set(instance.instanceId, cpu);
    put('AWS/EC2', 'CPUUtilization', [{ Name: 'InstanceId', Value: instance.instanceId }], single(cpu), 'Percent');
  }

  for (const group of region.autoscaling.groups.values()) {
    const cpus: number[] = [];
    for (const id of group.instances.keys()) {
      const cpu = cpuOfInstance.get(id);
      if (cpu !== undefined) cpus.push(cpu);
    }
    const groupDim = [{ Name: 'AutoScalingGroupName', Value: group.name }];
    put('AWS/EC2', 'CPUUtilization', groupDim, setOf(cpus), 'Percent');
    if (!group.enabledMetrics?.length) continue;
    const values = groupMetricValues(group);
    for (const name of group.enabledMetrics) {
      const value = values[name];
      if (value !== undefined) put('AWS/AutoScaling', name, groupDim, single(value), 'None');
    }
  }
}

type GroupForMetrics = RegionState['autoscaling']['groups'] extends Map<string, infer G> ? G : never;

/**
 * The group metrics of "Amazon CloudWatch metrics for Amazon EC2 Auto
 * Scaling" that the emulator can compute (capacity units count one per
 * instance; the warm pool metrics are not published).
 */
export function groupMetricValues(group: GroupForMetrics): Record<string, number> {
  let inService = 0;
  let pending = 0;
  let standby = 0;
  let terminating = 0;
  for (const instance of group.instances.values()) {
    const s = instance.lifecycleState;
    if (s === 'InService') inService++;
    else if (isPendingState(s)) pending++;
    else if (s === 'Standby' || s === 'EnteringStandby') standby++;
    else if (s.startsWith('Terminating')) terminating++;
  }
  const total = inService + pending + standby + terminating;
  return {
    GroupMinSize: group.minSize,
    GroupMaxSize: group.maxSize,
    GroupDesiredCapacity: group.desiredCapacity,
    GroupInServiceInstances: inService,
    GroupPendingInstances: pending,
    GroupStandbyInstances: standby,
    GroupTerminatingInstances: terminating,
    GroupTotalInstances: total,
    GroupInServiceCapacity: inService,
    GroupPendingCapacity: pending,
    GroupStandbyCapacity: standby,
    GroupTerminatingCapacity: terminating,
    GroupTotalCapacity: total,
  };
}
