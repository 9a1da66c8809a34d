/**
 * CloudWatch: metrics (E-24 … E-26), alarms that evaluate (E-27) and act
 * (E-28); docs/emulator-automation.md. Recent clients speak awsJson 1.0 here,
 * older ones awsQuery; the protocol layer serves both and hands these
 * handlers the same input shapes.
 */
import type { SetAlarmStateInput, StateValue } from '@aws-sdk/client-cloudwatch';
import type { RequestContext, ServiceHandlers } from '../../world.js';
import { transitionAlarm } from './alarm-evaluation.js';
import {
  deleteAlarmsHandler,
  describeAlarmHistoryHandler,
  describeAlarmsForMetricHandler,
  describeAlarmsHandler,
  disableAlarmActionsHandler,
  enableAlarmActionsHandler,
  putMetricAlarmHandler,
  setAlarmStateHandler,
} from './alarms.js';
import { getMetricDataHandler, getMetricStatisticsHandler, listMetricsHandler, putMetricDataHandler } from './metric-handlers.js';

export const cloudwatchHandlers: ServiceHandlers = {
  PutMetricAlarm: putMetricAlarmHandler,
  DescribeAlarms: describeAlarmsHandler,
  DescribeAlarmsForMetric: describeAlarmsForMetricHandler,
  DeleteAlarms: deleteAlarmsHandler,
  DescribeAlarmHistory: describeAlarmHistoryHandler,
  EnableAlarmActions: enableAlarmActionsHandler,
  DisableAlarmActions: disableAlarmActionsHandler,
  SetAlarmState(ctx: RequestContext, input: SetAlarmStateInput) {
    return setAlarmStateHandler(ctx, input, (alarm) =>
      transitionAlarm(ctx.sim, ctx.region, alarm, { state: input.StateValue as StateValue, reason: input.StateReason ?? '', reasonData: input.StateReasonData }),
    );
  },
  PutMetricData: putMetricDataHandler,
  GetMetricStatistics: getMetricStatisticsHandler,
  GetMetricData: getMetricDataHandler,
  ListMetrics: listMetricsHandler,
};

export { evaluateAlarms, transitionAlarm } from './alarm-evaluation.js';
export { registerAlarmActionRunner, type AlarmActionRunner } from './alarm-actions.js';
export { putAlarm, deleteAlarms, removeAlarmAction } from './alarms.js';
