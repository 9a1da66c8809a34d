/**
 * The guardrails run by `roll` end to end (issue 9): real SDK clients over
 * HTTP on the emulator, a scaled clock, invariants read from the emulator's
 * history. A healthy release serving 5xx is stopped at its first checkpoint by
 * the target group's 5xx alarm; a checkpoint pause launches nothing; a crash
 * after the last wave is caught by the bake time; `--check` admits or refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { roll } from '../../src/deploy/index.js';
import { alarmGuardrail, checkGuardrail, checkpointGuardrail, readCheckpointMark, type CheckpointMark } from '../../src/deploy/guardrails/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { lowestServingSince, startFleet, type TestFleet } from '../helpers/fleet.js';
import { assertReleased, trace } from '../deploy/checks.js';
import { behaviourImage } from '../deploy/guard-images.js';

const sdk = (f: TestFleet) => ({ endpoint: f.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });

/** The alarm docs/guardrails.md tells users to create: the target group's 5xx count, dimensions as ALB publishes them. */
async function put5xxAlarm(f: TestFleet, name: string): Promise<void> {
  const cw = new CloudWatchClient(sdk(f));
  const elb = new ElasticLoadBalancingV2Client(sdk(f));
  try {
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [f.targetGroupArn] }))).TargetGroups![0]!;
    const lbArn = tg.LoadBalancerArns![0]!;
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [
          { Name: 'TargetGroup', Value: f.targetGroupArn.slice(f.targetGroupArn.indexOf('targetgroup/')) },
          { Name: 'LoadBalancer', Value: lbArn.slice(lbArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length) },
        ],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
  } finally {
    cw.destroy();
    elb.destroy();
  }
}

/** Instances the group launched after `from` (lifecycle history entries that start from nothing). */
function launchedBetween(f: TestFleet, from: number, to: number): string[] {
  return f
    .history()
    .filter((h) => h.type === 'lifecycle' && h.group === f.group && h.from === null && h.t >= from && h.t < to)
    .map((h) => (h as { instanceId: string }).instanceId);
}

test('roll: a healthy release serving 5xx is stopped at its first checkpoint by the 5xx alarm, named; at most the checkpoint share ever ran it; floor held', async (t) => {
  const f = await startFleet({ size: 6, name: 'errs' });
  try {
    await put5xxAlarm(f, 'errs-5xx');
    const load = await fetch(`${f.emu.endpoint}/_emulator/load`, { method: 'POST', body: JSON.stringify({ targetGroupArn: f.targetGroupArn, requestsPerSecond: 60 }) });
    assert.equal(load.status, 200);
    const image = await behaviourImage(f, { 'emulator:error-rate': '1' });
    const { ctx, log } = f.context();
    const startedAt = f.clock.now();
    const initial = new Set((await f.aws.snapshotFleet(f.group)).instances.map((i) => i.id));
    const result = await roll(ctx, {
      group: f.group,
      image,
      guardrails: [alarmGuardrail(['errs-5xx']), checkpointGuardrail({ checkpoints: [34], pause: { kind: 'for', ms: 15 * 60_000 } })],
    });
    const why = `${JSON.stringify(result)}\n${trace(log.events, 120)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    assert.match(result.reason ?? '', /alarm errs-5xx is in ALARM/, why);
    await assertReleased(f, 'rolled-back', result.deployId);

    const rollbackAt = log.of('rollback-started')[0]!.t;
    const ranNew = launchedBetween(f, startedAt, rollbackAt).filter((id) => !initial.has(id));
    // 34 % of 6 is ceil(2.04) = 3 instances.
    assert.ok(ranNew.length <= 3, `${ranNew.length} instances ran the bad release (checkpoint share 3)\n${why}`);
    assert.ok(ranNew.length >= 1, why);
    const floor = result.floor ?? 6;
    assert.ok(lowestServingSince(f.serving(), startedAt) >= floor, `serving fell below the floor of ${floor}\n${why}`);
    // How long the bad release served: first new target healthy → last new target out of service.
    const targets = f.history().filter((h) => h.type === 'target' && ranNew.includes((h as { instanceId: string }).instanceId)) as { t: number; to: string | null }[];
    const firstHealthy = targets.find((h) => h.to === 'healthy')?.t;
    const lastOut = targets.filter((h) => h.to !== 'healthy').at(-1)?.t;
    assert.ok(firstHealthy !== undefined, why);
    t.diagnostic(
      `error-rate release: ${ranNew.length} instance(s) ever ran it (of 6, checkpoint 34%); served ${((rollbackAt - firstHealthy) / 1000).toFixed(0)} simulated s from its first healthy target to the rollback start, ${(((lastOut ?? rollbackAt) - firstHealthy) / 1000).toFixed(0)} s until its last target left service`,
    );
  } finally {
    await f.close();
  }
});

test('roll: a checkpoint pause launches nothing, then the deploy finishes', async () => {
  const f = await startFleet({ size: 6, name: 'pause' });
  try {
    const image = await behaviourImage(f, {});
    const { ctx, log } = f.context();
    // What the group said while paused: read as soon as the pause is announced (the tag is written before).
    let onGroup: Promise<CheckpointMark | undefined> | undefined;
    const emit: typeof ctx.emit = (e) => {
      ctx.emit(e);
      if (e.code === 'checkpoint-paused') onGroup = f.aws.autoscaling.describeGroup(f.group).then(({ group }) => readCheckpointMark(group));
    };
    const result = await roll({ ...ctx, emit }, { group: f.group, image, guardrails: [checkpointGuardrail({ checkpoints: [34], pause: { kind: 'for', ms: 10 * 60_000 } })] });
    const why = `${JSON.stringify(result)}\n${trace(log.events, 120)}`;
    assert.equal(result.outcome, 'succeeded', why);
    const paused = log.of('checkpoint-paused');
    const continued = log.of('checkpoint-continued');
    assert.equal(paused.length, 1, why);
    assert.equal(continued.length, 1, why);
    assert.equal(continued[0]!.by, 'timer');
    // One pause, one start instant: the tag on the group, the event and the time the engine kept agree
    // exactly (no tolerance: none of this depends on how fast the machine is).
    const start = paused[0]!.t;
    const mark = await onGroup;
    assert.deepEqual([mark?.state, mark?.since, mark?.until], ['paused', start, start + 10 * 60_000], `the pause on the group\n${why}`);
    assert.equal(paused[0]!.until, start + 10 * 60_000, why);
    assert.ok(continued[0]!.t >= paused[0]!.until!, `the pause ended before its time\n${why}`);
    assert.equal(continued[0]!.pausedSeconds, (continued[0]!.t - start) / 1000, why);
    // The property itself, from the emulator's own history: nothing launched between the recorded start and end.
    assert.deepEqual(launchedBetween(f, start, continued[0]!.t), [], `launches during the pause\n${why}`);
    const reached = log.of('checkpoint-reached')[0]!;
    assert.ok(reached.onTarget <= 3, why);
    await assertReleased(f, 'done', result.deployId);
  } finally {
    await f.close();
  }
});

test('roll: a crash after the last wave is caught by --bake-time and rolled back', async () => {
  const f = await startFleet({ size: 2, name: 'bake' });
  try {
    const image = await behaviourImage(f, { 'emulator:health': 'crash-after:240' });
    const { ctx, log } = f.context();
    const result = await roll(ctx, { group: f.group, image, maxSurge: { kind: 'count', count: 2 }, bakeTimeMs: 15 * 60_000 });
    const why = `${JSON.stringify(result)}\n${trace(log.events, 120)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    const ended = log.of('bake-ended');
    assert.equal(ended.length, 1, why);
    assert.equal(ended[0]!.ok, false, why);
    assert.match(result.reason ?? '', /during the bake time/, why);
    await assertReleased(f, 'rolled-back', result.deployId);
  } finally {
    await f.close();
  }
});

test('roll --check: failing on every instance rolls back with its output shown; passing sees every new instance', async () => {
  const f = await startFleet({ size: 3, name: 'chk' });
  try {
    const image = await behaviourImage(f, {});
    {
      const { ctx, log } = f.context();
      const result = await roll(ctx, { group: f.group, image, guardrails: [checkGuardrail({ command: 'echo "smoke failed on $ASG_DEPLOY_INSTANCE_ID"; exit 3' })] });
      const why = `${JSON.stringify(result)}\n${trace(log.events, 120)}`;
      assert.equal(result.outcome, 'rolled-back', why);
      const failed = log.of('check-failed');
      assert.ok(failed.length >= 1, why);
      assert.ok(log.of('instance-failed').some((e) => /smoke failed on i-/.test(e.reason)), `the check's output is in the failed launch\n${why}`);
      await assertReleased(f, 'rolled-back', result.deployId);
    }
    {
      const dir = mkdtempSync(join(tmpdir(), 'asg-deploy-check-'));
      const seen = join(dir, 'seen');
      const { ctx, log } = f.context();
      const result = await roll(ctx, { group: f.group, image, guardrails: [checkGuardrail({ command: `echo "$ASG_DEPLOY_INSTANCE_ID $ASG_DEPLOY_VERSION" >> ${seen}` })] });
      const why = `${JSON.stringify(result)}\n${trace(log.events, 120)}`;
      assert.equal(result.outcome, 'succeeded', why);
      const lines = readFileSync(seen, 'utf8').trim().split('\n');
      const checked = new Set(lines.map((l) => l.split(' ')[0]));
      // A retired instance may still be shutting down: the deploy ends once it has drained.
      const now = (await f.aws.snapshotFleet(f.group)).instances.filter((i) => !i.lifecycleState.startsWith('Terminating')).map((i) => i.id);
      for (const id of now) assert.ok(checked.has(id), `instance ${id} was never checked\n${lines.join('\n')}\n${why}`);
      assert.ok(lines.every((l) => l.split(' ')[1] === result.toVersion), lines.join('\n'));
    }
  } finally {
    await f.close();
  }
});
