/**
 * A roll paused at a checkpoint, driven from elsewhere (issue 9): `continue`
 * and `abort` run as separate asg-deploy processes against the emulator; a
 * deploy interrupted during its pause pauses there again when resumed; an
 * alarm already in ALARM is refused at preflight (exit 2, nothing changed),
 * and --dry-run lists the guardrails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutMetricAlarmCommand, SetAlarmStateCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { isAsgDeployError } from '../../src/core/index.js';
import { abort, readRecord, resume, roll } from '../../src/deploy/index.js';
import { alarmGuardrail, checkpointGuardrail } from '../../src/deploy/guardrails/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';
import { startFleet, waitFor, type TestFleet } from '../helpers/fleet.js';
import { assertReleased, trace } from '../deploy/checks.js';
import { behaviourImage } from '../deploy/guard-images.js';

// The fleet's clock runs at 200 simulated seconds per second: the CLI must read the same time (lock expiry, signal times).
const cliFlags = (f: TestFleet) => ['--endpoint-url', f.emu.endpoint, '--region', TEST_REGION, '--time-scale', '200'];

async function alarmIn(f: TestFleet, name: string, state: 'OK' | 'ALARM'): Promise<void> {
  const cw = new CloudWatchClient({ endpoint: f.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  try {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [{ Name: 'TargetGroup', Value: f.targetGroupArn.slice(f.targetGroupArn.indexOf('targetgroup/')) }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        // In ALARM for good (missing data breaches), not only until the next evaluation as SetAlarmState alone.
        TreatMissingData: state === 'ALARM' ? 'breaching' : 'notBreaching',
      }),
    );
    if (state === 'ALARM') await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'test: 5xx above 10' }));
  } finally {
    cw.destroy();
  }
}

test('roll: an alarm already in ALARM is refused before any change (library and CLI exit 2); --dry-run lists the guardrails', async () => {
  const f = await startFleet({ size: 2, name: 'pre' });
  try {
    await alarmIn(f, 'pre-5xx', 'ALARM');
    const image = await behaviourImage(f, {});
    const { ctx } = f.context();
    await assert.rejects(roll(ctx, { group: f.group, image, guardrails: [alarmGuardrail(['pre-5xx'])] }), (e) => isAsgDeployError(e, 'BAD_INPUT') && /pre-5xx/.test(e.message));
    const { group } = await f.aws.autoscaling.describeGroup(f.group);
    assert.equal(readRecord(group), undefined, 'no record written');
    const refused = await runCli([...cliFlags(f), 'roll', f.group, '--image', image, '--alarm', 'pre-5xx']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /pre-5xx/);
    await alarmIn(f, 'pre-ok', 'OK');
    const dry = await runCli([...cliFlags(f), 'roll', f.group, '--image', image, '--alarm', 'pre-ok', '--checkpoints', '50%', '--checkpoint-pause', 'wait', '--bake-time', '10m', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    for (const line of ['alarms watched: pre-ok', 'checkpoints: 50%', 'bake time: 10m', 'dry run: nothing was changed']) assert.ok(dry.stdout.includes(line), `${line}\n${dry.stdout}`);
  } finally {
    await f.close();
  }
});

test('roll --checkpoint-pause wait: `asg-deploy continue` from another process goes on; `abort` from another owner makes the paused runner roll back the paused deploy', async () => {
  const f = await startFleet({ size: 3, name: 'wait' });
  try {
    const image = await behaviourImage(f, {});
    {
      const { ctx, log } = f.context();
      const running = roll(ctx, { group: f.group, image, guardrails: [checkpointGuardrail({ checkpoints: [34], pause: { kind: 'wait' } })] });
      await waitFor(f.clock, async () => log.of('checkpoint-paused').length > 0, 'the pause', 1800);
      const pausedAt = f.clock.now();
      const status = await runCli([...cliFlags(f), 'status', f.group]);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /paused at the 34% checkpoint/, status.stdout);
      const cont = await runCli([...cliFlags(f), 'continue', f.group]);
      assert.equal(cont.code, 0, cont.stderr);
      const result = await running;
      const why = `${JSON.stringify(result)}\n${trace(log.events, 120)}`;
      assert.equal(result.outcome, 'succeeded', why);
      assert.equal(log.of('checkpoint-continued')[0]?.by, 'continue', why);
      assert.ok(log.of('checkpoint-continued')[0]!.t >= pausedAt, why);
      await assertReleased(f, 'done', result.deployId);
    }
    {
      const image2 = await behaviourImage(f, {});
      const { ctx, log } = f.context();
      const running = roll(ctx, { group: f.group, image: image2, guardrails: [checkpointGuardrail({ checkpoints: [34], pause: { kind: 'wait' } })] });
      await waitFor(f.clock, async () => log.of('checkpoint-paused').length > 0, 'the pause', 1800);
      // `abort` from another owner (the engine's abort, as the CLI calls it; in-process so that it reads
      // the fleet's simulated clock when it judges the paused runner's lock alive).
      const { ctx: other } = f.context({ owner: 'ops@elsewhere:1' });
      const asked = await abort(other, { group: f.group });
      assert.equal(asked.outcome, 'aborted');
      assert.match(asked.reason ?? '', /asked the paused deploy/, JSON.stringify(asked));
      const result = await running;
      const why = `${JSON.stringify(result)}\n${trace(log.events, 120)}`;
      assert.equal(result.outcome, 'aborted', why);
      assert.match(result.reason ?? '', /aborted by request/, why);
      await assertReleased(f, 'aborted', result.deployId);
    }
  } finally {
    await f.close();
  }
});

test('roll interrupted during a checkpoint pause: resume pauses at the same checkpoint again, then finishes', async () => {
  const f = await startFleet({ size: 3, name: 'intr' });
  try {
    const image = await behaviourImage(f, {});
    const controller = new AbortController();
    const { ctx, log } = f.context({ signal: controller.signal });
    const cp = () => [checkpointGuardrail({ checkpoints: [34], pause: { kind: 'for', ms: 5 * 60_000 } })];
    const running = roll(ctx, { group: f.group, image, guardrails: cp() });
    await waitFor(f.clock, async () => log.of('checkpoint-paused').length > 0, 'the pause', 1800);
    controller.abort(new Error('test: Ctrl-C'));
    const first = await running;
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${trace(log.events, 120)}`);
    const { ctx: ctx2, log: log2 } = f.context();
    const result = await resume(ctx2, { group: f.group, guardrails: cp() });
    const why = `${JSON.stringify(result)}\n${trace(log2.events, 120)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.deepEqual(log2.of('checkpoint-paused').map((e) => e.percent), [34], `paused again at 34%\n${why}`);
    await assertReleased(f, 'done', result.deployId);
  } finally {
    await f.close();
  }
});
