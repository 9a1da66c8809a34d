/**
 * CloudWatch: alarms and metric data stored and described (E-15 storage part).
 * Recent clients speak awsJson 1.0 here, older ones awsQuery; the protocol
 * layer serves both and hands these handlers the same input shapes.
 */
import type {
  DeleteAlarmsInput,
  DescribeAlarmsInput,
  DescribeAlarmsOutput,
  MetricAlarm,
  PutMetricAlarmInput,
  PutMetricDataInput,
  SetAlarmStateInput,
} from '@aws-sdk/client-cloudwatch';
import { AwsError } from '../../aws-error.js';
import type { RegionState, RequestContext, ServiceHandlers } from '../../world.js';

const PAGE = 50;

function alarmArn(region: RegionState, name: string): string {
  return `arn:aws:cloudwatch:${region.region}:${region.accountId}:alarm:${name}`;
}

export const cloudwatchHandlers: ServiceHandlers = {
  PutMetricAlarm(ctx: RequestContext, input: PutMetricAlarmInput) {
    const { region, sim } = ctx;
    const existing = region.cloudwatch.alarms.get(input.AlarmName!);
    const now = new Date(sim.now);
    const alarm: MetricAlarm = {
      ...input,
      AlarmArn: alarmArn(region, input.AlarmName!),
      ActionsEnabled: input.ActionsEnabled ?? true,
      StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
      AlarmConfigurationUpdatedTimestamp: now,
    } as MetricAlarm;
    delete (alarm as Record<string, unknown>).Tags;
    region.cloudwatch.alarms.set(input.AlarmName!, alarm);
    return {};
  },

  DescribeAlarms(ctx: RequestContext, input: DescribeAlarmsInput): DescribeAlarmsOutput {
    let alarms = [...ctx.region.cloudwatch.alarms.values()].sort((a, b) => a.AlarmName!.localeCompare(b.AlarmName!));
    if (input.AlarmNames?.length) alarms = alarms.filter((a) => input.AlarmNames!.includes(a.AlarmName!));
    if (input.AlarmNamePrefix) alarms = alarms.filter((a) => a.AlarmName!.startsWith(input.AlarmNamePrefix!));
    if (input.StateValue) alarms = alarms.filter((a) => a.StateValue === input.StateValue);
    if (input.ActionPrefix) alarms = alarms.filter((a) => (a.AlarmActions ?? []).some((x) => x.startsWith(input.ActionPrefix!)));
    const start = input.NextToken ? Number(input.NextToken) : 0;
    if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidNextToken', 'The service returned an invalid next token.');
    const size = input.MaxRecords ?? PAGE;
    const page = alarms.slice(start, start + size);
    return { MetricAlarms: page, CompositeAlarms: [], NextToken: start + size < alarms.length ? String(start + size) : undefined };
  },

  DeleteAlarms(ctx: RequestContext, input: DeleteAlarmsInput) {
    const missing = (input.AlarmNames ?? []).filter((n) => !ctx.region.cloudwatch.alarms.has(n));
    if (missing.length) throw new AwsError('ResourceNotFound', `1 validation error detected: alarms not found: ${missing.join(', ')}`, 404);
    for (const n of input.AlarmNames ?? []) ctx.region.cloudwatch.alarms.delete(n);
    return {};
  },

  SetAlarmState(ctx: RequestContext, input: SetAlarmStateInput) {
    const alarm = ctx.region.cloudwatch.alarms.get(input.AlarmName!);
    if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${input.AlarmName} not found`, 404);
    alarm.StateValue = input.StateValue;
    alarm.StateReason = input.StateReason;
    alarm.StateUpdatedTimestamp = new Date(ctx.sim.now);
    return {};
  },

  PutMetricData(ctx: RequestContext, input: PutMetricDataInput) {
    for (const d of input.MetricData ?? []) {
      if (d.Value !== undefined) ctx.region.cloudwatch.metrics.set(`${input.Namespace}|${d.MetricName}`, { value: d.Value, at: ctx.sim.now });
    }
    return {};
  },
};
