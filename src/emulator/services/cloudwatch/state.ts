import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';

/**
 * CloudWatch alarms, stored and described (E-15). Making alarm-driven policies
 * fire from a simulated load metric is a later issue; the alarms are here now
 * so that scaling policies can be copied with their alarms re-pointed.
 */
export interface CloudWatchState {
  alarms: Map<string, MetricAlarm>;
  /** Latest datapoint per `Namespace|MetricName`. */
  metrics: Map<string, { value: number; at: number }>;
}

export function createCloudWatchState(): CloudWatchState {
  return { alarms: new Map(), metrics: new Map() };
}
