/**
 * What the guardrail tests share: an in-process emulator on a manual clock,
 * asg-deploy's own AWS clients and a raw SDK CloudWatch client pointed at it
 * over HTTP, and a GuardContext built on them.
 */
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand, type StateValue } from '@aws-sdk/client-cloudwatch';
import { createAwsClients, type AwsClients } from '../../src/aws/index.js';
import type { Clock } from '../../src/clock/index.js';
import { EventLog } from '../../src/deploy/events.js';
import type { GuardContext } from '../../src/deploy/guardrail.js';
import { startTestEmulator, TEST_CREDENTIALS, TEST_REGION, type TestEmulator } from '../helpers/emulator.js';

export interface GuardHarness {
  t: TestEmulator;
  aws: AwsClients;
  cw: CloudWatchClient;
  log: EventLog;
  ctx(extra?: Partial<GuardContext>): GuardContext;
  /** A metric alarm on the target group's 5xx count, the one the README tells users to create. */
  putAlarm(name: string): Promise<void>;
  setAlarm(name: string, state: StateValue, reason: string): Promise<void>;
  /** Another machine's clients (a second `asg-deploy` process talks to the same endpoint). */
  otherClients(): AwsClients;
  close(): Promise<void>;
}

export async function startGuardHarness(): Promise<GuardHarness> {
  const t = await startTestEmulator();
  const clients: AwsClients[] = [];
  const make = (clock: Clock) => {
    const c = createAwsClients({ endpoint: t.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, clock });
    clients.push(c);
    return c;
  };
  const aws = make(t.clock);
  const cw = new CloudWatchClient({ endpoint: t.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const log = new EventLog();
  return {
    t,
    aws,
    cw,
    log,
    ctx: (extra = {}) => ({
      aws,
      clock: t.clock,
      emit: log.sink,
      group: 'web',
      deployId: 'd-test-1',
      targetVersion: '2',
      direction: 'forward',
      ...extra,
    }),
    async putAlarm(name) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' }],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 5,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        }),
      );
    },
    async setAlarm(name, state, reason) {
      await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));
    },
    otherClients: () => make(t.clock),
    async close() {
      for (const c of clients) c.destroy();
      cw.destroy();
      await t.close();
    },
  };
}
