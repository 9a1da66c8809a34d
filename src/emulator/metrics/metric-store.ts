/**
 * The metric store (docs/emulator-automation.md E-24): 1-minute datapoints per
 * metric, kept as statistic sets in plain arrays, and the statistics
 * CloudWatch computes over them.
 *
 * CloudWatch keeps 1-minute datapoints for 15 days ("Metrics retention",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Metric).
 * The emulator keeps the last RETENTION_MINUTES (one day) per metric, so a
 * long run stays bounded in memory; older points are dropped.
 */
import type { CloudWatchState, MetricDimension, MetricSeries } from '../services/cloudwatch/state.js';

export const MINUTE_MS = 60_000;
/** Datapoints kept per metric: one day of 1-minute points. */
export const RETENTION_MINUTES = 24 * 60;

/** A statistic set: what one datapoint (or an aggregate of several) holds. */
export interface StatisticSet {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
}

export function sortDimensions(dimensions: readonly { Name?: string; Value?: string }[] | undefined): MetricDimension[] {
  return (dimensions ?? [])
    .map((d) => ({ Name: String(d.Name ?? ''), Value: String(d.Value ?? '') }))
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** The key of a metric: namespace, name and its dimension set (order-free). */
export function seriesKey(namespace: string, metricName: string, dimensions: readonly MetricDimension[]): string {
  let key = `${namespace}\u0000${metricName}`;
  for (const d of dimensions) key += `\u0000${d.Name}=${d.Value}`;
  return key;
}

/** Index of the first minute ≥ `minute` (binary search). */
function lowerBound(minutes: readonly number[], minute: number): number {
  let lo = 0;
  let hi = minutes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (minutes[mid]! < minute) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds samples to the datapoint of `timestamp`'s minute (creating the metric
 * on first use). Values put for the same minute merge into one statistic set,
 * as CloudWatch aggregates values within a period.
 */
export function putDatapoint(
  state: CloudWatchState,
  metric: { namespace: string; metricName: string; dimensions: readonly MetricDimension[]; unit?: string },
  timestamp: number,
  stats: StatisticSet,
): void {
  const key = seriesKey(metric.namespace, metric.metricName, metric.dimensions);
  let series = state.series.get(key);
  if (!series) {
    series = {
      namespace: metric.namespace,
      metricName: metric.metricName,
      dimensions: [...metric.dimensions],
      unit: metric.unit,
      minutes: [],
      sampleCount: [],
      sum: [],
      min: [],
      max: [],
    };
    state.series.set(key, series);
  }
  const minute = Math.floor(timestamp / MINUTE_MS) * MINUTE_MS;
  const n = series.minutes.length;
  const at = n > 0 && series.minutes[n - 1]! < minute ? n : lowerBound(series.minutes, minute);
  if (at < n && series.minutes[at] === minute) {
    series.sampleCount[at]! += stats.sampleCount;
    series.sum[at]! += stats.sum;
    series.min[at] = Math.min(series.min[at]!, stats.min);
    series.max[at] = Math.max(series.max[at]!, stats.max);
    return;
  }
  series.minutes.splice(at, 0, minute);
  series.sampleCount.splice(at, 0, stats.sampleCount);
  series.sum.splice(at, 0, stats.sum);
  series.min.splice(at, 0, stats.min);
  series.max.splice(at, 0, stats.max);
  // Drop what is past retention, in batches so the arrays are not shifted every minute.
  if (series.minutes.length > RETENTION_MINUTES + 60) {
    const drop = series.minutes.length - RETENTION_MINUTES;
    series.minutes.splice(0, drop);
    series.sampleCount.splice(0, drop);
    series.sum.splice(0, drop);
    series.min.splice(0, drop);
    series.max.splice(0, drop);
  }
}

/** One value as a statistic set. */
export function single(value: number): StatisticSet {
  return { sampleCount: 1, sum: value, min: value, max: value };
}

/** Several values (one per instance, say) as one statistic set; undefined when empty. */
export function setOf(values: readonly number[]): StatisticSet | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { sampleCount: values.length, sum, min, max };
}

/** The datapoints of a metric in [from, to) (epoch ms), in time order. */
export function datapointsBetween(series: MetricSeries, from: number, to: number): { minute: number; stats: StatisticSet }[] {
  const out: { minute: number; stats: StatisticSet }[] = [];
  for (let i = lowerBound(series.minutes, from); i < series.minutes.length && series.minutes[i]! < to; i++) {
    out.push({
      minute: series.minutes[i]!,
      stats: { sampleCount: series.sampleCount[i]!, sum: series.sum[i]!, min: series.min[i]!, max: series.max[i]! },
    });
  }
  return out;
}

/** Merges the datapoints of one period into one statistic set (undefined: no data, a missing datapoint). */
export function aggregate(points: readonly { stats: StatisticSet }[]): StatisticSet | undefined {
  if (points.length === 0) return undefined;
  const out: StatisticSet = { sampleCount: 0, sum: 0, min: Infinity, max: -Infinity };
  for (const { stats } of points) {
    out.sampleCount += stats.sampleCount;
    out.sum += stats.sum;
    out.min = Math.min(out.min, stats.min);
    out.max = Math.max(out.max, stats.max);
  }
  return out;
}

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type Statistic = (typeof STATISTICS)[number];

export function isStatistic(name: string | undefined): name is Statistic {
  return (STATISTICS as readonly string[]).includes(name ?? '');
}

/** A statistic of an aggregated period. */
export function statisticOf(set: StatisticSet, statistic: Statistic): number {
  switch (statistic) {
    case 'SampleCount':
      return set.sampleCount;
    case 'Sum':
      return set.sum;
    case 'Minimum':
      return set.min;
    case 'Maximum':
      return set.max;
    case 'Average':
      return set.sampleCount > 0 ? set.sum / set.sampleCount : 0;
  }
}

/**
 * A percentile (`p90`, `p99.9`) over a period's datapoints. The store keeps
 * statistic sets, not raw samples, so each datapoint counts as `sampleCount`
 * samples at its average: exact for metrics with one sample a minute
 * (per-instance CPU, a load balancer's per-minute counts), an approximation
 * for aggregates (documented in E-24). Undefined for a name that is not a
 * percentile.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 */
export function percentileOf(points: readonly { stats: StatisticSet }[], extended: string): number | undefined {
  const m = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(extended);
  if (!m || points.length === 0) return undefined;
  const p = Number(m[1]);
  const weighted = points
    .map(({ stats }) => ({ value: stats.sampleCount > 0 ? stats.sum / stats.sampleCount : 0, weight: Math.max(1, stats.sampleCount) }))
    .sort((a, b) => a.value - b.value);
  const total = weighted.reduce((n, w) => n + w.weight, 0);
  const rank = (p / 100) * total;
  let seen = 0;
  for (const w of weighted) {
    seen += w.weight;
    if (seen >= rank) return w.value;
  }
  return weighted[weighted.length - 1]!.value;
}

/** Whether a percentile name is one CloudWatch accepts (p0.0 … p100). */
export function isPercentile(extended: string | undefined): boolean {
  return /^p(\d{1,2}(?:\.\d+)?|100)$/.test(extended ?? '');
}

/**
 * Per-period values of a metric between `from` and `to`, periods aligned on
 * multiples of `periodSeconds` since the epoch (as CloudWatch aligns them):
 * one entry per period that has data.
 */
export function periodStatistics(
  series: MetricSeries,
  from: number,
  to: number,
  periodSeconds: number,
): { start: number; points: { minute: number; stats: StatisticSet }[]; set: StatisticSet }[] {
  const periodMs = periodSeconds * 1000;
  const points = datapointsBetween(series, Math.floor(from / periodMs) * periodMs, to);
  const out: { start: number; points: { minute: number; stats: StatisticSet }[]; set: StatisticSet }[] = [];
  for (const point of points) {
    const start = Math.floor(point.minute / periodMs) * periodMs;
    const last = out[out.length - 1];
    if (last && last.start === start) last.points.push(point);
    else out.push({ start, points: [point], set: point.stats });
  }
  for (const period of out) period.set = aggregate(period.points)!;
  return out;
}
