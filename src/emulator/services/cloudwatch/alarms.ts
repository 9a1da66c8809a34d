/**
 * CloudWatch metric alarms: stored, described, their history kept, and the
 * links from alarms to the scaling policies they name kept both ways
 * (DescribePolicies lists a policy's alarms; docs/emulator-automation.md E-27, E-28).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
import type {
  AlarmHistoryItem,
  DeleteAlarmsInput,
  DescribeAlarmHistoryInput,
  DescribeAlarmHistoryOutput,
  DescribeAlarmsForMetricInput,
  DescribeAlarmsForMetricOutput,
  DescribeAlarmsInput,
  DescribeAlarmsOutput,
  DisableAlarmActionsInput,
  EnableAlarmActionsInput,
  MetricAlarm,
  PutMetricAlarmInput,
  SetAlarmStateInput,
} from '@aws-sdk/client-cloudwatch';
import { AwsError } from '../../aws-error.js';
import type { RegionState, RequestContext } from '../../world.js';
import { isPercentile, isStatistic, sortDimensions } from '../../metrics/metric-store.js';
import type { AlarmHistoryRecord } from './state.js';

const PAGE = 50;
/** Alarm history items kept per region (AWS keeps 30 days; the emulator keeps the newest this many). */
export const ALARM_HISTORY_LIMIT = 10_000;
export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
const TREAT_MISSING = new Set(['breaching', 'notBreaching', 'ignore', 'missing']);
const POLICY_ARN = /^arn:aws[a-z-]*:autoscaling:[^:]*:[^:]*:scalingPolicy:/;

export function alarmArn(region: RegionState, name: string): string {
  return `arn:aws:cloudwatch:${region.region}:${region.accountId}:alarm:${name}`;
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}

/** Appends to the region's alarm history, dropping the oldest past ALARM_HISTORY_LIMIT. */
export function recordAlarmHistory(region: RegionState, item: AlarmHistoryRecord): void {
  const history = region.cloudwatch.alarmHistory;
  history.push(item);
  if (history.length > ALARM_HISTORY_LIMIT + 500) history.splice(0, history.length - ALARM_HISTORY_LIMIT);
}

/** The policies an alarm's actions name get the alarm in their `Alarms` (DescribePolicies), and lose it when it goes. */
function linkPolicies(region: RegionState, alarm: MetricAlarm | undefined, link: boolean): void {
  if (!alarm) return;
  const arns = new Set([...(alarm.AlarmActions ?? []), ...(alarm.OKActions ?? []), ...(alarm.InsufficientDataActions ?? [])].filter((a) => POLICY_ARN.test(a)));
  if (arns.size === 0) return;
  for (const policy of region.autoscaling.policies.values()) {
    if (!arns.has(policy.PolicyARN)) continue;
    policy.Alarms = policy.Alarms.filter((a) => a.AlarmName !== alarm.AlarmName);
    if (link) policy.Alarms.push({ AlarmName: alarm.AlarmName!, AlarmARN: alarm.AlarmArn! });
  }
}

/** Checks a PutMetricAlarm request as CloudWatch does (the metric-alarm subset the emulator evaluates). */
function validateAlarm(input: PutMetricAlarmInput): void {
  if (!input.AlarmName) throw new AwsError('MissingParameter', 'The parameter AlarmName is required.');
  if (input.EvaluationPeriods === undefined || input.EvaluationPeriods === null) throw new AwsError('MissingParameter', 'The parameter EvaluationPeriods is required.');
  if (input.EvaluationPeriods < 1) throw invalid(`The value ${input.EvaluationPeriods} for parameter EvaluationPeriods is not valid: it must be at least 1.`);
  if (!input.ComparisonOperator) throw new AwsError('MissingParameter', 'The parameter ComparisonOperator is required.');
  if (!(COMPARISON_OPERATORS as readonly string[]).includes(input.ComparisonOperator) && !input.ThresholdMetricId) {
    throw invalid(`The value ${input.ComparisonOperator} for parameter ComparisonOperator is not valid.`);
  }
  const points = input.DatapointsToAlarm ?? input.EvaluationPeriods;
  if (points < 1 || points > input.EvaluationPeriods) {
    throw invalid(`DatapointsToAlarm (${points}) must be between 1 and EvaluationPeriods (${input.EvaluationPeriods}).`);
  }
  if (input.TreatMissingData !== undefined && !TREAT_MISSING.has(input.TreatMissingData)) {
    throw invalid(`The value ${input.TreatMissingData} for parameter TreatMissingData is not valid: use breaching, notBreaching, ignore or missing.`);
  }
  if (input.Metrics?.length) return; // metric math alarms are stored (E-27: not evaluated)
  if (!input.MetricName || !input.Namespace) throw new AwsError('MissingParameter', 'The parameters MetricName and Namespace are required for a metric alarm.');
  if (input.Period === undefined || input.Period === null) throw new AwsError('MissingParameter', 'The parameter Period is required.');
  // Periods: 10, 30 or a multiple of 60 seconds; Period × EvaluationPeriods at most one day (API_PutMetricAlarm).
  if (!(input.Period === 10 || input.Period === 30 || (input.Period >= 60 && input.Period % 60 === 0))) {
    throw invalid(`The value ${input.Period} for parameter Period is not valid: use 10, 30 or a multiple of 60.`);
  }
  if (input.Period * input.EvaluationPeriods > 86_400) {
    throw invalid(`Period (${input.Period}) × EvaluationPeriods (${input.EvaluationPeriods}) must not exceed 86400 seconds (one day).`);
  }
  if (input.Statistic && input.ExtendedStatistic) {
    throw new AwsError('InvalidParameterCombination', 'Exactly one of Statistic and ExtendedStatistic must be given, not both.');
  }
  if (!input.Statistic && !input.ExtendedStatistic) throw new AwsError('MissingParameter', 'One of the parameters Statistic or ExtendedStatistic is required.');
  if (input.Statistic && !isStatistic(input.Statistic)) throw invalid(`The value ${input.Statistic} for parameter Statistic is not valid.`);
  if (input.ExtendedStatistic && !isPercentile(input.ExtendedStatistic)) {
    throw invalid(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not valid: use a percentile such as p99.`);
  }
  if (input.Threshold === undefined || input.Threshold === null) throw new AwsError('MissingParameter', 'The parameter Threshold is required.');
}

/**
 * Creates or replaces an alarm (the handler, and Auto Scaling's target
 * tracking through it). A replaced alarm keeps its state until the next
 * evaluation; a new one starts INSUFFICIENT_DATA.
 */
export function putAlarm(region: RegionState, now: number, input: PutMetricAlarmInput): MetricAlarm {
  validateAlarm(input);
  const existing = region.cloudwatch.alarms.get(input.AlarmName!);
  const at = new Date(now);
  const alarm: MetricAlarm = {
    AlarmName: input.AlarmName,
    AlarmArn: alarmArn(region, input.AlarmName!),
    AlarmDescription: input.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: at,
    ActionsEnabled: input.ActionsEnabled ?? true,
    OKActions: [...(input.OKActions ?? [])],
    AlarmActions: [...(input.AlarmActions ?? [])],
    InsufficientDataActions: [...(input.InsufficientDataActions ?? [])],
    StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
    StateReasonData: existing?.StateReasonData,
    StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? at,
    StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? at,
    MetricName: input.MetricName,
    Namespace: input.Namespace,
    Statistic: input.Statistic,
    ExtendedStatistic: input.ExtendedStatistic,
    Dimensions: (input.Dimensions ?? []).map((d) => ({ Name: d.Name, Value: d.Value })), // as given; matched order-free
    Period: input.Period,
    Unit: input.Unit,
    EvaluationPeriods: input.EvaluationPeriods,
    DatapointsToAlarm: input.DatapointsToAlarm,
    Threshold: input.Threshold,
    ComparisonOperator: input.ComparisonOperator,
    TreatMissingData: input.TreatMissingData,
    EvaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile,
    Metrics: input.Metrics ? structuredClone(input.Metrics) : undefined,
    ThresholdMetricId: input.ThresholdMetricId,
  };
  linkPolicies(region, existing, false);
  region.cloudwatch.alarms.set(alarm.AlarmName!, alarm);
  linkPolicies(region, alarm, true);
  recordAlarmHistory(region, {
    alarmName: alarm.AlarmName!,
    timestamp: now,
    type: 'ConfigurationUpdate',
    summary: existing ? `Alarm "${alarm.AlarmName}" updated` : `Alarm "${alarm.AlarmName}" created`,
    data: JSON.stringify({ version: '1.0', type: existing ? 'Update' : 'Create', updatedAlarm: { metricName: alarm.MetricName, namespace: alarm.Namespace, threshold: alarm.Threshold } }),
  });
  return alarm;
}

/** Deletes alarms by name (unknown names are left out), unlinking them from policies. */
export function deleteAlarms(region: RegionState, now: number, names: readonly string[]): void {
  for (const name of names) {
    const alarm = region.cloudwatch.alarms.get(name);
    if (!alarm) continue;
    linkPolicies(region, alarm, false);
    region.cloudwatch.alarms.delete(name);
    recordAlarmHistory(region, {
      alarmName: name,
      timestamp: now,
      type: 'ConfigurationUpdate',
      summary: `Alarm "${name}" deleted`,
      data: JSON.stringify({ version: '1.0', type: 'Delete' }),
    });
  }
}

/**
 * DeletePolicy: "deleting a step scaling policy deletes the underlying alarm
 * action, but it does not delete the alarm" (API_DeletePolicy).
 */
export function removeAlarmAction(region: RegionState, actionArn: string): void {
  for (const alarm of region.cloudwatch.alarms.values()) {
    alarm.AlarmActions = (alarm.AlarmActions ?? []).filter((a) => a !== actionArn);
    alarm.OKActions = (alarm.OKActions ?? []).filter((a) => a !== actionArn);
    alarm.InsufficientDataActions = (alarm.InsufficientDataActions ?? []).filter((a) => a !== actionArn);
  }
}

function renderAlarm(a: MetricAlarm): MetricAlarm {
  return { ...a, Dimensions: a.Dimensions?.map((d) => ({ ...d })) };
}

function page<T>(items: T[], nextToken: string | undefined, maxRecords: number | undefined): { items: T[]; next?: string } {
  const start = nextToken ? Number(nextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidNextToken', 'The service returned an invalid next token.');
  const size = maxRecords ?? PAGE;
  return { items: items.slice(start, start + size), next: start + size < items.length ? String(start + size) : undefined };
}

export function putMetricAlarmHandler(ctx: RequestContext, input: PutMetricAlarmInput): Record<string, never> {
  putAlarm(ctx.region, ctx.sim.now, input);
  return {};
}

export function describeAlarmsHandler(ctx: RequestContext, input: DescribeAlarmsInput): DescribeAlarmsOutput {
  let alarms = [...ctx.region.cloudwatch.alarms.values()].sort((a, b) => (a.AlarmName! < b.AlarmName! ? -1 : a.AlarmName! > b.AlarmName! ? 1 : 0));
  if (input.AlarmNames?.length) alarms = alarms.filter((a) => input.AlarmNames!.includes(a.AlarmName!));
  if (input.AlarmNamePrefix) alarms = alarms.filter((a) => a.AlarmName!.startsWith(input.AlarmNamePrefix!));
  if (input.StateValue) alarms = alarms.filter((a) => a.StateValue === input.StateValue);
  if (input.ActionPrefix) alarms = alarms.filter((a) => (a.AlarmActions ?? []).some((x) => x.startsWith(input.ActionPrefix!)));
  const p = page(alarms, input.NextToken, input.MaxRecords);
  return { MetricAlarms: p.items.map(renderAlarm), CompositeAlarms: [], NextToken: p.next };
}

/** DescribeAlarmsForMetric: the alarms on one metric, narrowed by statistic, period and unit when given. */
export function describeAlarmsForMetricHandler(ctx: RequestContext, input: DescribeAlarmsForMetricInput): DescribeAlarmsForMetricOutput {
  const dims = JSON.stringify(sortDimensions(input.Dimensions));
  const alarms = [...ctx.region.cloudwatch.alarms.values()].filter(
    (a) =>
      a.MetricName === input.MetricName &&
      a.Namespace === input.Namespace &&
      (input.Dimensions === undefined || JSON.stringify(sortDimensions(a.Dimensions)) === dims) &&
      (!input.Statistic || a.Statistic === input.Statistic) &&
      (!input.ExtendedStatistic || a.ExtendedStatistic === input.ExtendedStatistic) &&
      (!input.Period || a.Period === input.Period) &&
      (!input.Unit || a.Unit === input.Unit),
  );
  return { MetricAlarms: alarms.map(renderAlarm) };
}

export function deleteAlarmsHandler(ctx: RequestContext, input: DeleteAlarmsInput): Record<string, never> {
  const missing = (input.AlarmNames ?? []).filter((n) => !ctx.region.cloudwatch.alarms.has(n));
  if (missing.length) throw new AwsError('ResourceNotFound', `alarms not found: ${missing.join(', ')}`, 404);
  deleteAlarms(ctx.region, ctx.sim.now, input.AlarmNames ?? []);
  return {};
}

/**
 * SetAlarmState: the state holds until the next evaluation, which moves it back
 * if the data says otherwise ("the alarm returns to its actual state, often
 * within seconds", API_SetAlarmState). Actions of the new state run.
 */
export function setAlarmStateHandler(ctx: RequestContext, input: SetAlarmStateInput, apply: (alarm: MetricAlarm) => void): Record<string, never> {
  const alarm = ctx.region.cloudwatch.alarms.get(input.AlarmName!);
  if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${input.AlarmName} not found`, 404);
  if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(input.StateValue ?? '')) throw invalid(`The value ${input.StateValue} for parameter StateValue is not valid.`);
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw new AwsError('InvalidFormat', 'StateReasonData is not valid JSON.');
    }
  }
  apply(alarm);
  return {};
}

function setActionsEnabled(ctx: RequestContext, names: readonly string[] | undefined, enabled: boolean): Record<string, never> {
  for (const name of names ?? []) {
    const alarm = ctx.region.cloudwatch.alarms.get(name);
    if (alarm) alarm.ActionsEnabled = enabled;
  }
  return {};
}

export function enableAlarmActionsHandler(ctx: RequestContext, input: EnableAlarmActionsInput): Record<string, never> {
  return setActionsEnabled(ctx, input.AlarmNames, true);
}

export function disableAlarmActionsHandler(ctx: RequestContext, input: DisableAlarmActionsInput): Record<string, never> {
  return setActionsEnabled(ctx, input.AlarmNames, false);
}

/** DescribeAlarmHistory: newest first unless ScanBy=TimestampAscending, 50 a page (max 100). */
export function describeAlarmHistoryHandler(ctx: RequestContext, input: DescribeAlarmHistoryInput): DescribeAlarmHistoryOutput {
  const from = input.StartDate ? new Date(input.StartDate).getTime() : -Infinity;
  const to = input.EndDate ? new Date(input.EndDate).getTime() : Infinity;
  let items = ctx.region.cloudwatch.alarmHistory.filter(
    (h) =>
      (!input.AlarmName || h.alarmName === input.AlarmName) &&
      (!input.HistoryItemType || h.type === input.HistoryItemType) &&
      h.timestamp >= from &&
      h.timestamp <= to,
  );
  if (input.ScanBy !== 'TimestampAscending') items = [...items].reverse();
  const p = page(items, input.NextToken, Math.min(input.MaxRecords ?? PAGE, 100));
  const rendered: AlarmHistoryItem[] = p.items.map((h) => ({
    AlarmName: h.alarmName,
    AlarmType: 'MetricAlarm',
    Timestamp: new Date(h.timestamp),
    HistoryItemType: h.type,
    HistorySummary: h.summary,
    HistoryData: h.data,
  }));
  return { AlarmHistoryItems: rendered, NextToken: p.next };
}
