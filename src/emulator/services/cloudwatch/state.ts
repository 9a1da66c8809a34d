import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';

/**
 * CloudWatch's part of a region's state: alarms, metric series (1-minute
 * datapoints, docs/emulator-automation.md E-24), the simulated load on each
 * target group (E-25) and the alarm history (E-27). Plain data: maps and
 * arrays of numbers and strings, so a state file can hold it.
 */

export interface MetricDimension {
  Name: string;
  Value: string;
}

/**
 * One metric (namespace, name, dimension set): its 1-minute datapoints as
 * parallel arrays in time order. Each datapoint is a statistic set, as
 * CloudWatch stores published values ("Publish statistic sets",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/publishingMetrics.html).
 */
export interface MetricSeries {
  namespace: string;
  metricName: string;
  /** Sorted by Name. */
  dimensions: MetricDimension[];
  unit?: string;
  /** Epoch ms of each datapoint's minute (a multiple of 60 000). */
  minutes: number[];
  sampleCount: number[];
  sum: number[];
  min: number[];
  max: number[];
}

export type AlarmHistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export interface AlarmHistoryRecord {
  alarmName: string;
  /** Epoch ms. */
  timestamp: number;
  type: AlarmHistoryItemType;
  summary: string;
  /** JSON text, as DescribeAlarmHistory's HistoryData. */
  data: string;
}

export interface CloudWatchState {
  alarms: Map<string, MetricAlarm>;
  /** By seriesKey(namespace, name, dimensions). */
  series: Map<string, MetricSeries>;
  /** Target group ARN → requests per second arriving at it (POST /_emulator/load). */
  load: Map<string, number>;
  /** Oldest first; bounded (ALARM_HISTORY_LIMIT). */
  alarmHistory: AlarmHistoryRecord[];
  /** Epoch ms of the next minute tick (collection, alarm evaluation, scheduled actions); re-armed on load. */
  nextMinuteAt?: number;
}

export function createCloudWatchState(): CloudWatchState {
  return { alarms: new Map(), series: new Map(), load: new Map(), alarmHistory: [], nextMinuteAt: undefined };
}
