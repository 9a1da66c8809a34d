/**
 * E-31: the automation's state survives a restart from a state file (E-23):
 * metrics, alarms and their history come back, and the minute tick is armed
 * again at the saved instant, so an alarm evaluates data put before the restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startTestEmulator, TEST_CREDENTIALS, TEST_REGION, type TestEmulator } from '../helpers/emulator.js';

function cloudwatch(t: TestEmulator): CloudWatchClient {
  return new CloudWatchClient({ endpoint: t.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

test('E-31 restart: datapoints and alarms come back and the minute tick evaluates them at the saved instant', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-auto-'));
  const file = join(dir, 'state.json');
  let t = await startTestEmulator({ stateFile: file });
  let cw = cloudwatch(t);
  try {
    const t0 = t.emu.sim.now;
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'depth',
        Namespace: 'App',
        MetricName: 'Depth',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    t.advance(20);
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Depth', Value: 50 }] }));
    cw.destroy();
    await t.close();

    t = await startTestEmulator({ stateFile: file });
    cw = cloudwatch(t);
    assert.equal(t.emu.sim.now, t0 + 20_000);
    assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['depth'] }))).MetricAlarms![0]!.StateValue, 'INSUFFICIENT_DATA');
    t.advance(40); // the minute ends at t0 + 60 s, as saved
    const alarm = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['depth'] }))).MetricAlarms![0]!;
    assert.equal(alarm.StateValue, 'ALARM');
    assert.equal(alarm.StateUpdatedTimestamp!.getTime(), t0 + 60_000);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Depth', StartTime: new Date(t0), EndTime: new Date(t0 + 60_000), Period: 60, Statistics: ['Maximum'] }),
    );
    assert.deepEqual(stats.Datapoints!.map((d) => d.Maximum), [50]);
  } finally {
    cw.destroy();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
