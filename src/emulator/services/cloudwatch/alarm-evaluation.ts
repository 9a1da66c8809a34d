/**
 * Alarm evaluation (docs/emulator-automation.md E-27): each minute, every
 * metric alarm looks at its last `EvaluationPeriods` complete periods and
 * goes to ALARM when at least `DatapointsToAlarm` of them breach, as
 * "Evaluating an alarm" describes
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html),
 * with missing datapoints treated per `TreatMissingData`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
 *
 * Actions run when the state changes; Auto Scaling actions run again every
 * minute the alarm stays in the state ("For Auto Scaling actions, the alarm
 * continues to invoke the action once per minute that the alarm remains in the
 * new state", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
 */
import type { MetricAlarm, StateValue } from '@aws-sdk/client-cloudwatch';
import type { RegionState, Simulation } from '../../world.js';
import { MINUTE_MS, isStatistic, percentileOf, seriesKey, sortDimensions, statisticOf, aggregate, datapointsBetween } from '../../metrics/metric-store.js';
import { runAlarmAction } from './alarm-actions.js';
import { recordAlarmHistory } from './alarms.js';

const OPERATOR_WORDS: Record<string, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export interface PeriodValue {
  /** Epoch ms of the period's start. */
  start: number;
  value?: number;
  sampleCount: number;
}

export interface AlarmEvaluation {
  state: StateValue;
  reason: string;
  reasonData: string;
  /** The newest datapoint's value, if any. */
  value?: number;
}

/** Java's Double.toString for the values CloudWatch writes in reasons: 80 → "80.0". */
export function formatValue(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** `dd/MM/yy HH:mm:ss`, as alarm state reasons date their datapoints. */
export function formatReasonDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function breaches(operator: string, value: number, threshold: number): boolean {
  switch (operator) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      return false;
  }
}

/** The alarm's statistic over its last `EvaluationPeriods` complete periods before `now`, oldest first. */
export function periodValues(region: RegionState, alarm: MetricAlarm, now: number): PeriodValue[] {
  const periodMs = Math.max(MINUTE_MS, (alarm.Period ?? 60) * 1000);
  const n = alarm.EvaluationPeriods ?? 1;
  const end = Math.floor(now / periodMs) * periodMs;
  const series = region.cloudwatch.series.get(seriesKey(alarm.Namespace ?? '', alarm.MetricName ?? '', sortDimensions(alarm.Dimensions)));
  const out: PeriodValue[] = [];
  for (let k = n; k >= 1; k--) {
    const start = end - k * periodMs;
    const points = series ? datapointsBetween(series, start, start + periodMs) : [];
    const set = aggregate(points);
    if (!set) {
      out.push({ start, sampleCount: 0 });
      continue;
    }
    const value = alarm.ExtendedStatistic ? percentileOf(points, alarm.ExtendedStatistic) : isStatistic(alarm.Statistic) ? statisticOf(set, alarm.Statistic) : undefined;
    out.push({ start, value, sampleCount: set.sampleCount });
  }
  return out;
}

/**
 * The state the data puts the alarm in (undefined for alarms the emulator
 * does not evaluate: metric math and anomaly detection).
 */
export function evaluateAlarm(alarm: MetricAlarm, periods: readonly PeriodValue[], now: number): AlarmEvaluation | undefined {
  if (alarm.Metrics?.length || alarm.ThresholdMetricId || !OPERATOR_WORDS[alarm.ComparisonOperator ?? '']) return undefined;
  const n = periods.length;
  const needed = alarm.DatapointsToAlarm ?? n;
  const threshold = alarm.Threshold ?? 0;
  const words = OPERATOR_WORDS[alarm.ComparisonOperator!]!;
  const treat = alarm.TreatMissingData ?? 'missing';
  const present = periods.filter((p) => p.value !== undefined);
  const missing = n - present.length;
  let breaching = present.filter((p) => breaches(alarm.ComparisonOperator!, p.value!, threshold)).length;
  if (treat === 'breaching') breaching += missing;
  const newest = present[present.length - 1]?.value;
  const newestFirst = [...present].reverse();
  const list = newestFirst.map((p) => `${formatValue(p.value!)} (${formatReasonDate(p.start)})`).join(', ');
  const reasonData = JSON.stringify({
    version: '1.0',
    queryDate: new Date(now).toISOString().replace('Z', '+0000'),
    startDate: periods[0] ? new Date(periods[0].start).toISOString().replace('Z', '+0000') : undefined,
    ...(alarm.ExtendedStatistic ? { extendedStatistic: alarm.ExtendedStatistic } : { statistic: alarm.Statistic }),
    period: alarm.Period,
    recentDatapoints: present.map((p) => p.value),
    threshold,
    evaluatedDatapoints: newestFirst.map((p) => ({ timestamp: new Date(p.start).toISOString().replace('Z', '+0000'), sampleCount: p.sampleCount, value: p.value })),
  });
  const missingNote =
    missing > 0 && (treat === 'breaching' || treat === 'notBreaching')
      ? ` and ${missing} missing datapoint${missing === 1 ? ' was' : 's were'} treated as [${treat === 'breaching' ? 'Breaching' : 'NonBreaching'}]`
      : '';

  if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
    return {
      state: treat === 'ignore' ? ((alarm.StateValue as StateValue) ?? 'INSUFFICIENT_DATA') : 'INSUFFICIENT_DATA',
      reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`,
      reasonData,
    };
  }
  const from = alarm.StateValue ?? 'INSUFFICIENT_DATA';
  if (breaching >= needed) {
    const reason =
      n === 1 && present.length === 1
        ? `Threshold Crossed: 1 datapoint [${list}] was ${words} the threshold (${formatValue(threshold)}).`
        : `Threshold Crossed: ${breaching} out of the last ${n} datapoints [${list}]${missingNote} were ${words} the threshold (${formatValue(threshold)}) ` +
          `(minimum ${needed} datapoint${needed === 1 ? '' : 's'} for ${from === 'ALARM' ? 'OK' : from} -> ALARM transition).`;
    return { state: 'ALARM', reason, reasonData, value: newest };
  }
  const fine = n - breaching;
  const toOk = n - needed + 1;
  const reason =
    n === 1 && present.length === 1
      ? `Threshold Crossed: 1 datapoint [${list}] was not ${words} the threshold (${formatValue(threshold)}).`
      : `Threshold Crossed: ${fine} out of the last ${n} datapoints [${list}]${missingNote} were not ${words} the threshold (${formatValue(threshold)}) ` +
        `(minimum ${toOk} datapoint${toOk === 1 ? '' : 's'} for ${from === 'OK' ? 'ALARM' : from} -> OK transition).`;
  return { state: 'OK', reason, reasonData, value: newest };
}

function actionsFor(alarm: MetricAlarm, state: string): string[] {
  if (state === 'ALARM') return alarm.AlarmActions ?? [];
  if (state === 'OK') return alarm.OKActions ?? [];
  return alarm.InsufficientDataActions ?? [];
}

const AUTOSCALING_ACTION = /^arn:aws[a-z-]*:autoscaling:/;

/**
 * Moves an alarm to `state` (recorded in its history) and runs that state's
 * actions when actions are enabled. Used by evaluation and SetAlarmState.
 */
export function transitionAlarm(
  sim: Simulation,
  region: RegionState,
  alarm: MetricAlarm,
  next: { state: StateValue; reason: string; reasonData?: string; value?: number },
): void {
  const old = { stateValue: alarm.StateValue, stateReason: alarm.StateReason };
  const at = new Date(sim.now);
  const changed = alarm.StateValue !== next.state;
  alarm.StateValue = next.state;
  alarm.StateReason = next.reason;
  alarm.StateReasonData = next.reasonData;
  alarm.StateUpdatedTimestamp = at;
  if (changed) alarm.StateTransitionedTimestamp = at;
  recordAlarmHistory(region, {
    alarmName: alarm.AlarmName!,
    timestamp: sim.now,
    type: 'StateUpdate',
    summary: `Alarm updated from ${old.stateValue} to ${next.state}`,
    data: JSON.stringify({
      version: '1.0',
      oldState: old,
      newState: { stateValue: next.state, stateReason: next.reason, ...(next.reasonData ? { stateReasonData: JSON.parse(next.reasonData) as unknown } : {}) },
    }),
  });
  if (!alarm.ActionsEnabled) return;
  for (const action of actionsFor(alarm, next.state)) {
    const ran = runAlarmAction(sim, region, action, alarm, { state: next.state, value: next.value });
    recordAlarmHistory(region, {
      alarmName: alarm.AlarmName!,
      timestamp: sim.now,
      type: 'Action',
      summary: ran || !AUTOSCALING_ACTION.test(action) ? `Successfully executed action ${action}` : `Failed to execute action ${action}`,
      data: JSON.stringify({ actionState: ran || !AUTOSCALING_ACTION.test(action) ? 'Succeeded' : 'Failed', notificationResource: action }),
    });
  }
}

/** One evaluation of every alarm of the region (the minute tick). */
export function evaluateAlarms(sim: Simulation, region: RegionState): void {
  for (const alarm of [...region.cloudwatch.alarms.values()]) {
    if (region.cloudwatch.alarms.get(alarm.AlarmName!) !== alarm) continue; // deleted by an earlier alarm's action
    const result = evaluateAlarm(alarm, periodValues(region, alarm, sim.now), sim.now);
    if (!result) continue;
    if (result.state !== alarm.StateValue) {
      transitionAlarm(sim, region, alarm, result);
      continue;
    }
    if (!alarm.ActionsEnabled) continue;
    for (const action of actionsFor(alarm, result.state)) {
      if (AUTOSCALING_ACTION.test(action)) runAlarmAction(sim, region, action, alarm, { state: result.state, value: result.value });
    }
  }
}
