/**
 * CloudWatch metric operations over the metric store (docs/emulator-automation.md E-24, E-26):
 * PutMetricData, GetMetricStatistics, GetMetricData (MetricStat queries and
 * arithmetic expressions over them), ListMetrics.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
import type {
  Datapoint,
  GetMetricDataInput,
  GetMetricDataOutput,
  GetMetricStatisticsInput,
  GetMetricStatisticsOutput,
  ListMetricsInput,
  ListMetricsOutput,
  MetricDataQuery,
  MetricDataResult,
  PutMetricDataInput,
} from '@aws-sdk/client-cloudwatch';
import { AwsError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import {
  MINUTE_MS,
  isPercentile,
  isStatistic,
  percentileOf,
  periodStatistics,
  putDatapoint,
  seriesKey,
  setOf,
  sortDimensions,
  statisticOf,
  type StatisticSet,
} from '../../metrics/metric-store.js';
import type { CloudWatchState } from './state.js';
import { evaluateExpression } from './metric-math.js';

/** GetMetricStatistics returns at most this many datapoints per call (API_GetMetricStatistics). */
const MAX_STATISTICS_DATAPOINTS = 1440;
const LIST_PAGE = 500;

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}

function timeOf(value: Date | string | number | undefined, name: string): number {
  if (value === undefined || value === null) throw new AwsError('MissingParameter', `The parameter ${name} is required.`);
  const ms = new Date(value).getTime();
  if (!Number.isFinite(ms)) throw invalid(`The value ${String(value)} for parameter ${name} is not a valid timestamp.`);
  return ms;
}

function checkPeriod(period: number | undefined): number {
  if (period === undefined || period === null) throw new AwsError('MissingParameter', 'The parameter Period is required.');
  if (!(period === 1 || period === 5 || period === 10 || period === 30 || (period >= 60 && period % 60 === 0))) {
    throw invalid(`The parameter Period must be 1, 5, 10, 30 or a multiple of 60, got ${period}.`);
  }
  return Math.max(60, period); // the store holds 1-minute datapoints (E-24)
}

/** PutMetricData: each value (or statistic set, or Values × Counts) joins the datapoint of its minute. */
export function putMetricDataHandler(ctx: RequestContext, input: PutMetricDataInput): Record<string, never> {
  const namespace = input.Namespace;
  if (!namespace) throw new AwsError('MissingParameter', 'The parameter Namespace is required.');
  // "Namespaces that start with AWS/ are reserved for use by Amazon Web Services products" (API_PutMetricData).
  if (namespace.startsWith('AWS/')) throw invalid(`The value ${namespace} for parameter Namespace is invalid: namespaces starting with AWS/ are reserved.`);
  for (const [i, d] of (input.MetricData ?? []).entries()) {
    if (!d.MetricName) throw new AwsError('MissingParameter', `The parameter MetricData.member.${i + 1}.MetricName is required.`);
    let stats: StatisticSet | undefined;
    if (d.StatisticValues) {
      const s = d.StatisticValues;
      stats = { sampleCount: s.SampleCount ?? 0, sum: s.Sum ?? 0, min: s.Minimum ?? 0, max: s.Maximum ?? 0 };
    } else if (d.Values?.length) {
      const values: number[] = [];
      d.Values.forEach((v, j) => {
        const count = d.Counts?.[j] ?? 1;
        for (let c = 0; c < count && c < 10_000; c++) values.push(v);
      });
      stats = setOf(values);
    } else if (d.Value !== undefined && d.Value !== null) {
      stats = setOf([d.Value]);
    }
    if (!stats) throw new AwsError('InvalidParameterCombination', `MetricData.member.${i + 1} needs one of Value, Values or StatisticValues.`);
    const at = d.Timestamp ? new Date(d.Timestamp).getTime() : ctx.sim.now;
    putDatapoint(ctx.region.cloudwatch, { namespace, metricName: d.MetricName, dimensions: sortDimensions(d.Dimensions), unit: d.Unit }, at, stats);
  }
  return {};
}

export function getMetricStatisticsHandler(ctx: RequestContext, input: GetMetricStatisticsInput): GetMetricStatisticsOutput {
  const from = timeOf(input.StartTime, 'StartTime');
  const to = timeOf(input.EndTime, 'EndTime');
  const period = checkPeriod(input.Period);
  if (to <= from) throw invalid('The parameter StartTime must be before EndTime.');
  const statistics = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (statistics.length === 0 && extended.length === 0) throw new AwsError('MissingParameter', 'One of the parameters Statistics or ExtendedStatistics is required.');
  for (const s of statistics) if (!isStatistic(s)) throw invalid(`The value ${s} for parameter Statistics is not valid.`);
  for (const p of extended) if (!isPercentile(p)) throw invalid(`The value ${p} for parameter ExtendedStatistics is not valid.`);
  const requested = Math.ceil((to - from) / (period * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw new AwsError('InvalidParameterCombination', `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
  }
  const series = ctx.region.cloudwatch.series.get(seriesKey(input.Namespace ?? '', input.MetricName ?? '', sortDimensions(input.Dimensions)));
  const datapoints: Datapoint[] = [];
  if (series && (!input.Unit || !series.unit || series.unit === input.Unit)) {
    for (const p of periodStatistics(series, from, to, period)) {
      if (p.start < Math.floor(from / MINUTE_MS) * MINUTE_MS) continue;
      const dp: Datapoint = { Timestamp: new Date(p.start), Unit: (series.unit ?? 'None') as Datapoint['Unit'] };
      for (const s of statistics) if (isStatistic(s)) dp[s] = statisticOf(p.set, s);
      if (extended.length) dp.ExtendedStatistics = Object.fromEntries(extended.map((e) => [e, percentileOf(p.points, e) ?? 0]));
      datapoints.push(dp);
    }
  }
  return { Label: input.MetricName, Datapoints: datapoints };
}

/** One MetricStat query's [timestamp, value] pairs, oldest first. */
function metricStatValues(state: CloudWatchState, query: MetricDataQuery, from: number, to: number): [number, number][] {
  const stat = query.MetricStat!;
  const metric = stat.Metric ?? {};
  const period = checkPeriod(stat.Period);
  const series = state.series.get(seriesKey(metric.Namespace ?? '', metric.MetricName ?? '', sortDimensions(metric.Dimensions)));
  if (!series) return [];
  const out: [number, number][] = [];
  for (const p of periodStatistics(series, from, to, period)) {
    if (p.start < from - (from % MINUTE_MS)) continue;
    const value = isStatistic(stat.Stat) ? statisticOf(p.set, stat.Stat) : isPercentile(stat.Stat) ? percentileOf(p.points, stat.Stat!) : undefined;
    if (value === undefined) throw invalid(`The value ${stat.Stat} for parameter MetricStat.Stat is not valid.`);
    out.push([p.start, value]);
  }
  return out;
}

export function getMetricDataHandler(ctx: RequestContext, input: GetMetricDataInput): GetMetricDataOutput {
  const from = timeOf(input.StartTime, 'StartTime');
  const to = timeOf(input.EndTime, 'EndTime');
  const queries = input.MetricDataQueries ?? [];
  if (queries.length === 0) throw new AwsError('MissingParameter', 'The parameter MetricDataQueries is required.');
  if (queries.length > 500) throw invalid('At most 500 MetricDataQueries may be given.');
  const byId = new Map<string, [number, number][]>();
  for (const q of queries) {
    if (!q.Id || !/^[a-z][a-zA-Z0-9_]*$/.test(q.Id)) throw invalid(`The value ${q.Id} for parameter MetricDataQueries.Id is not valid: it must start with a lowercase letter.`);
    if (!!q.MetricStat === !!q.Expression) throw new AwsError('InvalidParameterCombination', `Query ${q.Id} must have exactly one of MetricStat and Expression.`);
    if (q.MetricStat) byId.set(q.Id, metricStatValues(ctx.region.cloudwatch, q, from, to));
  }
  for (const q of queries) {
    if (q.Expression) byId.set(q.Id!, evaluateExpression(q.Expression, byId, q.Id!));
  }
  const descending = input.ScanBy !== 'TimestampAscending';
  const results: MetricDataResult[] = queries
    .filter((q) => q.ReturnData !== false)
    .map((q) => {
      const points = [...(byId.get(q.Id!) ?? [])];
      if (descending) points.reverse();
      return {
        Id: q.Id,
        Label: q.Label ?? q.MetricStat?.Metric?.MetricName ?? q.Id,
        Timestamps: points.map(([t]) => new Date(t)),
        Values: points.map(([, v]) => v),
        StatusCode: 'Complete',
      };
    });
  return { MetricDataResults: results, Messages: [] };
}

/** ListMetrics: by namespace, name and dimension filters; RecentlyActive=PT3H keeps metrics with data in the last three hours. */
export function listMetricsHandler(ctx: RequestContext, input: ListMetricsInput): ListMetricsOutput {
  const recentSince = input.RecentlyActive === 'PT3H' ? ctx.sim.now - 3 * 3600_000 : -Infinity;
  const metrics = [...ctx.region.cloudwatch.series.values()]
    .filter((s) => !input.Namespace || s.namespace === input.Namespace)
    .filter((s) => !input.MetricName || s.metricName === input.MetricName)
    .filter((s) => (input.Dimensions ?? []).every((f) => s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))))
    .filter((s) => (s.minutes[s.minutes.length - 1] ?? -Infinity) >= recentSince)
    .sort((a, b) => (seriesKey(a.namespace, a.metricName, a.dimensions) < seriesKey(b.namespace, b.metricName, b.dimensions) ? -1 : 1));
  const start = input.NextToken ? Number(input.NextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidNextToken', 'The service returned an invalid next token.');
  const page = metrics.slice(start, start + LIST_PAGE);
  return {
    Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions.map((d) => ({ ...d })) })),
    NextToken: start + LIST_PAGE < metrics.length ? String(start + LIST_PAGE) : undefined,
  };
}
