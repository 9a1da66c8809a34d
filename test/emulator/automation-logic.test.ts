/**
 * Pure logic of the automation (docs/emulator-automation.md): the metric
 * store, alarm evaluation and its wording, adjustments and steps, cron.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchState } from '../../src/emulator/services/cloudwatch/state.js';
import { RETENTION_MINUTES, datapointsBetween, percentileOf, putDatapoint, single } from '../../src/emulator/metrics/metric-store.js';
import { evaluateAlarm, formatReasonDate, type PeriodValue } from '../../src/emulator/services/cloudwatch/alarm-evaluation.js';
import { evaluateExpression } from '../../src/emulator/services/cloudwatch/metric-math.js';
import { adjustedCapacity, chooseStep } from '../../src/emulator/services/autoscaling/policy-execution.js';
import { nextCronTime, parseCron } from '../../src/emulator/services/autoscaling/recurrence.js';
import { targetGroupDimension, loadBalancerDimension } from '../../src/emulator/metrics/collector.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const metric = { namespace: 'N', metricName: 'M', dimensions: [] };

test('metric store: values in one minute merge; out-of-order minutes insert in place; retention is bounded', () => {
  const state = createCloudWatchState();
  putDatapoint(state, metric, T0 + 120_000, single(5));
  putDatapoint(state, metric, T0 + 1_000, single(1));
  putDatapoint(state, metric, T0 + 59_000, single(3));
  const points = datapointsBetween([...state.series.values()][0]!, T0, T0 + 180_000);
  assert.deepEqual(
    points.map((p) => [p.minute - T0, p.stats.sampleCount, p.stats.sum, p.stats.min, p.stats.max]),
    [
      [0, 2, 4, 1, 3],
      [120_000, 1, 5, 5, 5],
    ],
  );
  for (let i = 0; i < RETENTION_MINUTES + 200; i++) putDatapoint(state, metric, T0 + i * 60_000, single(i));
  const series = [...state.series.values()][0]!;
  assert.ok(series.minutes.length <= RETENTION_MINUTES + 60);
  assert.equal(series.minutes[series.minutes.length - 1], T0 + (RETENTION_MINUTES + 199) * 60_000);
  assert.equal(percentileOf([{ stats: single(1) }, { stats: single(2) }, { stats: single(3) }, { stats: single(100) }], 'p50'), 2);
  assert.equal(percentileOf([{ stats: single(1) }], 'avg'), undefined);
});

const alarm = (over: Partial<MetricAlarm> = {}): MetricAlarm => ({
  AlarmName: 'a',
  Statistic: 'Average',
  Period: 60,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  Threshold: 80,
  ComparisonOperator: 'GreaterThanThreshold',
  StateValue: 'OK',
  ...over,
});
const periods = (...values: (number | undefined)[]): PeriodValue[] =>
  values.map((value, i) => ({ start: T0 + i * 60_000, value, sampleCount: value === undefined ? 0 : 1 }));

test('alarm evaluation: M of N, the reason in AWS wording, datapoints newest first', () => {
  const r = evaluateAlarm(alarm(), periods(90, 70, 85.5), T0 + 180_000)!;
  assert.equal(r.state, 'ALARM');
  assert.equal(
    r.reason,
    'Threshold Crossed: 2 out of the last 3 datapoints [85.5 (01/01/26 12:02:00), 70.0 (01/01/26 12:01:00), 90.0 (01/01/26 12:00:00)] were greater than the threshold (80.0) (minimum 2 datapoints for OK -> ALARM transition).',
  );
  assert.equal(r.value, 85.5);
  assert.equal(JSON.parse(r.reasonData).threshold, 80);
  const ok = evaluateAlarm(alarm({ StateValue: 'ALARM' }), periods(90, 70, 60), T0)!;
  assert.equal(ok.state, 'OK');
  assert.match(ok.reason, /^Threshold Crossed: 2 out of the last 3 datapoints .* were not greater than the threshold \(80\.0\) \(minimum 2 datapoints for ALARM -> OK transition\)\.$/);
  const single1 = evaluateAlarm(alarm({ EvaluationPeriods: 1, DatapointsToAlarm: 1, ComparisonOperator: 'LessThanOrEqualToThreshold' }), periods(80), T0)!;
  assert.equal(single1.reason, 'Threshold Crossed: 1 datapoint [80.0 (01/01/26 12:00:00)] was less than or equal to the threshold (80.0).');
  assert.equal(formatReasonDate(Date.UTC(2026, 11, 6, 3, 4, 5)), '06/12/26 03:04:05');
});

test('alarm evaluation: TreatMissingData missing, ignore, breaching, notBreaching', () => {
  const none = periods(undefined, undefined, undefined);
  const missing = evaluateAlarm(alarm(), none, T0)!;
  assert.equal(missing.state, 'INSUFFICIENT_DATA');
  assert.equal(missing.reason, 'Insufficient Data: 3 datapoints were unknown.');
  assert.equal(evaluateAlarm(alarm({ TreatMissingData: 'ignore', StateValue: 'ALARM' }), none, T0)!.state, 'ALARM');
  assert.equal(evaluateAlarm(alarm({ TreatMissingData: 'breaching' }), none, T0)!.state, 'ALARM');
  assert.equal(evaluateAlarm(alarm({ TreatMissingData: 'notBreaching' }), none, T0)!.state, 'OK');
  // One present breaching datapoint and two missing: 1 < 2 with `missing`, 3 ≥ 2 with `breaching`.
  assert.equal(evaluateAlarm(alarm(), periods(undefined, 95, undefined), T0)!.state, 'OK');
  const breaching = evaluateAlarm(alarm({ TreatMissingData: 'breaching' }), periods(undefined, 95, undefined), T0)!;
  assert.equal(breaching.state, 'ALARM');
  assert.match(breaching.reason, /and 2 missing datapoints were treated as \[Breaching\]/);
  assert.equal(evaluateAlarm(alarm({ Metrics: [{ Id: 'm1' }] }), none, T0), undefined, 'metric math alarms are not evaluated');
});

test('adjustments: change, exact, percent rounding towards zero with at least 1, MinAdjustmentMagnitude', () => {
  assert.equal(adjustedCapacity(4, 'ChangeInCapacity', -1), 3);
  assert.equal(adjustedCapacity(4, 'ExactCapacity', 9), 9);
  assert.equal(adjustedCapacity(100, 'PercentChangeInCapacity', 12.7), 112);
  assert.equal(adjustedCapacity(3, 'PercentChangeInCapacity', 10), 4, '0.3 → 1');
  assert.equal(adjustedCapacity(3, 'PercentChangeInCapacity', -10), 2, '-0.3 → -1');
  assert.equal(adjustedCapacity(15, 'PercentChangeInCapacity', -44.5), 9, '-6.675 → -6');
  assert.equal(adjustedCapacity(10, 'PercentChangeInCapacity', 10, 3), 13);
  const steps = [
    { MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
    { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
    { MetricIntervalLowerBound: 10, ScalingAdjustment: 2 },
  ];
  assert.equal(chooseStep(steps, 50, 50)?.ScalingAdjustment, 1, 'at the threshold: lower bound 0 is inclusive above it');
  assert.equal(chooseStep(steps, 60, 50)?.ScalingAdjustment, 2);
  assert.equal(chooseStep(steps, 40, 50)?.ScalingAdjustment, -1);
});

test('cron: next times in UTC and in a time zone, either-day rule, invalid expressions', () => {
  const at = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  assert.equal(at(nextCronTime('0 9 * * MON-FRI', 'Europe/Paris', Date.UTC(2026, 0, 1))), '2026-01-01T08:00:00.000Z');
  assert.equal(at(nextCronTime('0 9 * * MON-FRI', 'Europe/Paris', Date.UTC(2026, 0, 2, 8))), '2026-01-05T08:00:00.000Z', 'Friday 09:00 passed → Monday');
  assert.equal(at(nextCronTime('*/15 * * * *', undefined, Date.UTC(2026, 0, 1, 12, 7))), '2026-01-01T12:15:00.000Z');
  assert.equal(at(nextCronTime('30 2 29 2 *', 'UTC', Date.UTC(2026, 0, 1))), '2028-02-29T02:30:00.000Z');
  assert.equal(at(nextCronTime('0 0 1 * 1', 'UTC', Date.UTC(2026, 0, 1))), '2026-01-05T00:00:00.000Z', 'day 1 or Monday');
  assert.equal(parseCron('61 * * * *'), undefined);
  assert.equal(parseCron('* * *'), undefined);
  assert.ok(parseCron('0 8-18/2 * JAN,FEB sun'));
});

test('metric math: arithmetic over ids aligned on timestamps; functions refused by name', () => {
  const ids = new Map<string, [number, number][]>([
    ['a', [[1, 10], [2, 20]]],
    ['b', [[2, 4], [3, 5]]],
  ]);
  assert.deepEqual(evaluateExpression('(a + b) / 2', ids, 'e'), [[2, 12]]);
  assert.deepEqual(evaluateExpression('a * -1 + 1', ids, 'e'), [[1, -9], [2, -19]]);
  assert.throws(() => evaluateExpression('SUM(METRICS())', ids, 'e'), /function SUM is not supported/);
  assert.throws(() => evaluateExpression('a + zz', ids, 'e'), /unknown id zz/);
});

test('dimension values as AWS writes them', () => {
  assert.equal(targetGroupDimension('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef'), 'targetgroup/web/0123456789abcdef');
  assert.equal(loadBalancerDimension('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef'), 'app/web/0123456789abcdef');
});
