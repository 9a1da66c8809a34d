/**
 * Target tracking's own alarms (docs/emulator-automation.md E-29): "Amazon EC2
 * Auto Scaling creates and manages the CloudWatch alarms that trigger the
 * scaling policy" — an AlarmHigh (3 datapoints of 1 minute above the target)
 * and, unless scale-in is disabled, an AlarmLow (15 datapoints below 90 % of
 * the target), named `TargetTracking-GROUP-AlarmHigh-UUID` /
 * `…-AlarmLow-UUID`, replaced when the policy changes and deleted with it
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html).
 */
import type { TargetTrackingConfiguration } from '@aws-sdk/client-auto-scaling';
import type { PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import { validationError } from '../../aws-error.js';
import type { RegionState, Simulation } from '../../world.js';
import { deleteAlarms, putAlarm, removeAlarmAction } from '../cloudwatch/alarms.js';
import { newUuid } from './activities.js';
import type { ScalingPolicyRecord } from './state.js';

type MetricSpec = Pick<PutMetricAlarmInput, 'Namespace' | 'MetricName' | 'Dimensions' | 'Statistic' | 'Unit'>;

/** The metric a target tracking configuration follows. */
export function trackedMetric(policy: ScalingPolicyRecord): MetricSpec {
  const config: TargetTrackingConfiguration = policy.TargetTrackingConfiguration ?? { TargetValue: 0 };
  const predefined = config.PredefinedMetricSpecification;
  const group = [{ Name: 'AutoScalingGroupName', Value: policy.AutoScalingGroupName }];
  if (predefined) {
    switch (predefined.PredefinedMetricType) {
      case 'ASGAverageCPUUtilization':
        return { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: group, Statistic: 'Average' };
      case 'ASGAverageNetworkIn':
        return { Namespace: 'AWS/EC2', MetricName: 'NetworkIn', Dimensions: group, Statistic: 'Average' };
      case 'ASGAverageNetworkOut':
        return { Namespace: 'AWS/EC2', MetricName: 'NetworkOut', Dimensions: group, Statistic: 'Average' };
      case 'ALBRequestCountPerTarget': {
        // ResourceLabel: app/LB-NAME/LB-ID/targetgroup/TG-NAME/TG-ID (API_PredefinedMetricSpecification).
        const label = predefined.ResourceLabel ?? '';
        const at = label.indexOf('/targetgroup/');
        if (!label.startsWith('app/') || at < 0) {
          throw validationError(`ResourceLabel must be app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id> for ALBRequestCountPerTarget, got '${label}'.`);
        }
        return { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCountPerTarget', Dimensions: [{ Name: 'TargetGroup', Value: label.slice(at + 1) }], Statistic: 'Sum' };
      }
      default:
        throw validationError(`Invalid predefined metric type ${predefined.PredefinedMetricType}.`);
    }
  }
  const custom = config.CustomizedMetricSpecification;
  if (custom?.MetricName && custom.Namespace) {
    return {
      Namespace: custom.Namespace,
      MetricName: custom.MetricName,
      Dimensions: custom.Dimensions?.map((d) => ({ Name: d.Name, Value: d.Value })),
      Statistic: (custom.Statistic ?? 'Average') as MetricSpec['Statistic'],
      Unit: custom.Unit as MetricSpec['Unit'],
    };
  }
  throw validationError('TargetTrackingConfiguration needs a PredefinedMetricSpecification or a CustomizedMetricSpecification with MetricName and Namespace.');
}

/** Deletes the policy's TargetTracking- alarms. */
export function deleteTargetTrackingAlarms(region: RegionState, now: number, policy: ScalingPolicyRecord): void {
  const names = policy.Alarms.map((a) => a.AlarmName).filter((n) => n.startsWith('TargetTracking-'));
  deleteAlarms(region, now, names);
}

/** (Re)creates the policy's alarms after PutScalingPolicy; the policy must already be stored. */
export function syncTargetTrackingAlarms(sim: Simulation, region: RegionState, policy: ScalingPolicyRecord): void {
  const metric = trackedMetric(policy);
  deleteTargetTrackingAlarms(region, sim.now, policy);
  const target = policy.TargetTrackingConfiguration?.TargetValue ?? 0;
  const common = {
    ...metric,
    AlarmDescription: `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${policy.PolicyARN}.`,
    AlarmActions: [policy.PolicyARN],
    Period: 60,
  };
  const prefix = `TargetTracking-${policy.AutoScalingGroupName}`;
  putAlarm(region, sim.now, {
    ...common,
    AlarmName: `${prefix}-AlarmHigh-${newUuid(sim)}`,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 3,
    Threshold: target,
    ComparisonOperator: 'GreaterThanThreshold',
  });
  if (!policy.TargetTrackingConfiguration?.DisableScaleIn) {
    putAlarm(region, sim.now, {
      ...common,
      AlarmName: `${prefix}-AlarmLow-${newUuid(sim)}`,
      EvaluationPeriods: 15,
      DatapointsToAlarm: 15,
      Threshold: Math.round(target * 0.9 * 1e6) / 1e6,
      ComparisonOperator: 'LessThanThreshold',
    });
  }
}

/** A policy going away (DeletePolicy, its group deleted): its own alarms go, other alarms lose the action. */
export function forgetPolicyAlarms(region: RegionState, now: number, policy: ScalingPolicyRecord): void {
  if (policy.PolicyType === 'TargetTrackingScaling') deleteTargetTrackingAlarms(region, now, policy);
  removeAlarmAction(region, policy.PolicyARN);
}
