/**
 * The narrow CloudWatch client: only what moving scaling policies between the
 * groups of a blue/green pair needs (deploys.md "Blue/green": policies are
 * copied "with their alarms re-pointed"). Built by createAwsClients; domain
 * code never sees the SDK client.
 *
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 */
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type CompositeAlarm,
  type MetricAlarm,
  type PutMetricAlarmInput,
} from '@aws-sdk/client-cloudwatch';
import type { Caller } from './call.js';
import type { AwsService } from './classify.js';
import { chunk, collectPages } from './paginate.js';

export interface DescribeAlarmsQuery {
  /** Up to 100 names per call (batched here). */
  names?: readonly string[];
  namePrefix?: string;
  /** Alarms with an action starting with this (e.g. a scaling policy's ARN: the alarms that drive it). */
  actionPrefix?: string;
}

/**
 * An alarm's state as a guardrail reads it, metric or composite alike.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html
 */
export interface AlarmState {
  name: string;
  type: 'metric' | 'composite';
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  state: string;
  /** CloudWatch's explanation of the last transition, in English. */
  reason?: string;
  /** Epoch ms of the last state update. */
  updatedAt?: number;
}

export interface CloudWatchApi {
  /**
   * The states of the named alarms, metric and composite (AWS returns only metric
   * alarms unless AlarmTypes asks for both), 100 names per call, all pages. A name
   * that matches no alarm is simply absent from the answer.
   */
  describeAlarmStates(names: readonly string[]): Promise<AlarmState[]>;
  /** Metric alarms (composite alarms are left out), all pages. No query: every metric alarm of the region. */
  describeAlarms(query?: DescribeAlarmsQuery): Promise<MetricAlarm[]>;
  /** Creates or replaces (by name) a metric alarm. */
  putMetricAlarm(input: PutMetricAlarmInput): Promise<void>;
  /** Deletes alarms by name, 100 per call. An empty list does nothing. */
  deleteAlarms(names: readonly string[]): Promise<void>;
}

function toAlarmState(a: MetricAlarm | CompositeAlarm, type: AlarmState['type']): AlarmState {
  return {
    name: a.AlarmName ?? '',
    type,
    state: a.StateValue ?? 'INSUFFICIENT_DATA',
    ...(a.StateReason === undefined ? {} : { reason: a.StateReason }),
    ...(a.StateUpdatedTimestamp === undefined ? {} : { updatedAt: a.StateUpdatedTimestamp.getTime() }),
  };
}

/** "You can specify up to 100 alarm names" (DescribeAlarms, DeleteAlarms). */
const NAMES_PER_CALL = 100;

/** IAM prefix of CloudWatch (classify.ts's AwsService does not list it yet; the message only interpolates it). */
const SERVICE = 'cloudwatch' as AwsService;

/**
 * Builds the narrow client over an SDK client and our caller (retries on the clock, error mapping).
 *
 * @example
 *   const alarms = await aws.cloudwatch.describeAlarms({ actionPrefix: policyArn });
 */
export function createCloudWatchApi(client: CloudWatchClient, call: Caller): CloudWatchApi {
  const spec = (operation: string, idempotent: boolean, resource?: string) => ({
    service: SERVICE,
    operation,
    idempotent,
    ...(resource === undefined ? {} : { resource }),
  });

  return {
    async describeAlarmStates(names) {
      const states: AlarmState[] = [];
      for (const batch of chunk([...new Set(names)], NAMES_PER_CALL)) {
        // Both lists page under one NextToken (DescribeAlarms "NextToken").
        const pages = await collectPages(async (token) => {
          const out = await call(spec('DescribeAlarms', true, batch.join(', ')), (abortSignal) =>
            client.send(
              new DescribeAlarmsCommand({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: token }),
              { abortSignal },
            ),
          );
          const items: AlarmState[] = [
            ...(out.MetricAlarms ?? []).map((a) => toAlarmState(a, 'metric')),
            ...(out.CompositeAlarms ?? []).map((a) => toAlarmState(a, 'composite')),
          ];
          return { items, next: out.NextToken };
        });
        states.push(...pages);
      }
      return states;
    },

    async describeAlarms(query = {}) {
      const batches = query.names === undefined ? [undefined] : chunk(query.names, NAMES_PER_CALL);
      const alarms: MetricAlarm[] = [];
      for (const names of batches) {
        if (names !== undefined && names.length === 0) continue;
        alarms.push(
          ...(await collectPages(async (token) => {
            const out = await call(spec('DescribeAlarms', true, names?.join(', ') ?? query.actionPrefix ?? query.namePrefix), (abortSignal) =>
              client.send(
                new DescribeAlarmsCommand({
                  AlarmNames: names,
                  AlarmNamePrefix: query.namePrefix,
                  ActionPrefix: query.actionPrefix,
                  AlarmTypes: ['MetricAlarm'],
                  MaxRecords: 100,
                  NextToken: token,
                }),
                { abortSignal },
              ),
            );
            return { items: out.MetricAlarms ?? [], next: out.NextToken };
          })),
        );
      }
      return alarms;
    },

    async putMetricAlarm(input) {
      await call(spec('PutMetricAlarm', true, input.AlarmName), (abortSignal) => client.send(new PutMetricAlarmCommand(input), { abortSignal }));
    },

    async deleteAlarms(names) {
      for (const batch of chunk([...new Set(names)], NAMES_PER_CALL)) {
        await call(spec('DeleteAlarms', true, batch.join(', ')), (abortSignal) => client.send(new DeleteAlarmsCommand({ AlarmNames: batch }), { abortSignal }));
      }
    },
  };
}
