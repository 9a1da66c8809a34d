/**
 * The guardrails on a real emulator fleet, driven the way the engine's
 * contract says (guardrail.ts; docs/guardrails.md "What the engine does"):
 * new instances launched by the group are admitted through `--check` with
 * their real ids and private IPs; an alarm going off during a checkpoint pause
 * ends it, and nothing was launched while paused.
 * (The whole-deploy tests — roll, bluegreen — come with the engine's wiring.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { EventLog } from '../../src/deploy/events.js';
import type { GuardContext } from '../../src/deploy/guardrail.js';
import {
  alarmGuardrail,
  candidateInstance,
  checkGuardrail,
  checkpointGuardrail,
  GuardrailSet,
  guardrailRun,
  guardrailStatus,
  holdAtCheckpoint,
  readCheckpointMark,
} from '../../src/deploy/guardrails/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { MUTATING_ACTION, startFleet, waitFor, type TestFleet } from '../helpers/fleet.js';

let f: TestFleet;
let cw: CloudWatchClient;
before(async () => {
  f = await startFleet({ size: 2, maxSize: 6, name: 'contract' });
  cw = new CloudWatchClient({ endpoint: f.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
});
after(async () => {
  cw.destroy();
  await f.close();
});

const gctx = (log: EventLog, deployId: string): GuardContext => ({ aws: f.aws, clock: f.clock, emit: log.sink, group: f.group, deployId, targetVersion: '1', direction: 'forward' });

test('--check is run once per new instance the group launched, with its real id and private IP from EC2', async () => {
  const before = new Set((await f.aws.snapshotFleet(f.group)).instances.map((i) => i.id));
  await f.aws.autoscaling.setDesiredCapacity(f.group, 4);
  const fresh = await waitFor(
    f.clock,
    async () => {
      const fleet = await f.aws.snapshotFleet(f.group, { ec2: true });
      const news = fleet.instances.filter((i) => !before.has(i.id) && i.lifecycleState === 'InService');
      return news.length === 2 ? news : undefined;
    },
    'two new instances in service',
  );
  const seen = join(mkdtempSync(join(tmpdir(), 'asg-deploy-contract-')), 'seen');
  const log = new EventLog();
  const set = new GuardrailSet([checkGuardrail({ command: `echo "$ASG_DEPLOY_INSTANCE_ID $ASG_DEPLOY_PRIVATE_IP $ASG_DEPLOY_VERSION" >> ${seen}` })]);
  for (const i of fresh) assert.deepEqual(await set.admit(gctx(log, 'd-check'), candidateInstance(i, '1')), { ok: true });
  const lines = readFileSync(seen, 'utf8').trim().split('\n').sort();
  const expected = fresh.map((i) => `${i.id} ${i.ec2?.privateIp} 1`).sort();
  assert.deepEqual(lines, expected);
  assert.ok(fresh.every((i) => /^\d+\.\d+\.\d+\.\d+$/.test(i.ec2?.privateIp ?? '')), 'every new instance has a private IP');
  assert.deepEqual(log.of('check-passed').map((e) => e.instanceId).sort(), fresh.map((i) => i.id).sort());
  await f.aws.autoscaling.setDesiredCapacity(f.group, 2);
});

test('an alarm going to ALARM during a checkpoint pause ends the pause with the alarm named; no launch or other change happened while paused', async () => {
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: 'contract-5xx',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: [{ Name: 'TargetGroup', Value: f.targetGroupArn.split(':').pop()! }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'contract-5xx', StateValue: 'OK', StateReason: 'quiet' }));
  const log = new EventLog();
  const ctx = gctx(log, 'd-alarm');
  const set = new GuardrailSet([alarmGuardrail(['contract-5xx']), checkpointGuardrail({ checkpoints: [50], pause: { kind: 'wait' } })]);
  await set.preflight(ctx);
  const request = set.pauseAfter(ctx, { onTarget: 1, total: 2 });
  assert.equal(request?.kind, 'until-continued');
  const pausedFrom = f.history().length;
  let ended = false;
  const held = holdAtCheckpoint(ctx, { request: request!, watch: () => set.watch(ctx) }).finally(() => {
    ended = true;
  });
  await waitFor(f.clock, async () => readCheckpointMark((await f.aws.autoscaling.describeGroup(f.group)).group)?.deployId === 'd-alarm', 'the pause', 600);
  await f.clock.sleep(600_000);
  // An alarm state set by hand lasts only until the alarm's next evaluation, as on AWS: keep it
  // raised until the pause has seen it, however slowly a busy machine polls.
  while (!ended) {
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'contract-5xx', StateValue: 'ALARM', StateReason: 'Threshold Crossed: 1 datapoint [57.0] was greater than the threshold (10.0).' }));
    await Promise.race([held, f.clock.sleep(10_000)]);
  }
  const outcome = await held;
  assert.equal(outcome.kind, 'stopped');
  assert.ok(outcome.kind === 'stopped');
  assert.equal(outcome.verdict.reason, 'alarm contract-5xx is in ALARM: Threshold Crossed: 1 datapoint [57.0] was greater than the threshold (10.0).');
  assert.equal(outcome.verdict.detail?.guardrail, 'alarms');
  assert.deepEqual(log.of('alarm-state-changed').map((e) => e.to), ['ALARM']);
  // While paused, the only writes were the pause's own tag and the test's alarm state.
  const writes = f
    .history()
    .slice(pausedFrom)
    .filter((e): e is Extract<typeof e, { type: 'call' }> => e.type === 'call' && MUTATING_ACTION.test(e.action))
    .map((e) => e.action);
  assert.deepEqual([...new Set(writes)].sort(), ['CreateOrUpdateTags', 'SetAlarmState']);
  assert.ok(!f.history().slice(pausedFrom).some((e) => e.type === 'call' && /RunInstances|SetDesiredCapacity|UpdateAutoScalingGroup/.test(e.action)), 'no launch while paused');
});

test('guardrailRun: what the engine calls, end to end on the group: a timed checkpoint pause, the bake time, then no guardrail tag left', async () => {
  const { ctx, log } = f.context();
  const none = guardrailRun(ctx, { group: f.group, deployId: 'd-none', targetVersion: '1' });
  assert.ok(none.empty);
  assert.equal(await none.afterStep({ onTarget: 2, total: 2 }, () => none.watch()), undefined);
  assert.equal(await none.bake(() => none.watch()), undefined);

  const run = guardrailRun(ctx, { group: f.group, deployId: 'd-run', targetVersion: '1' }, {
    guardrails: [checkpointGuardrail({ checkpoints: [50], pause: { kind: 'for', ms: 60_000 } })],
    bakeTimeMs: 120_000,
  });
  assert.ok(!run.empty);
  await run.preflight();
  assert.equal(run.stepLimit({ onTarget: 0, total: 2 }), 1);
  const t0 = f.clock.now();
  const held = await run.afterStep({ onTarget: 1, total: 2 }, () => run.watch());
  assert.deepEqual(held?.kind === 'continued' && held.by, 'timer');
  assert.ok(f.clock.now() - t0 >= 60_000);
  assert.equal(await run.afterStep({ onTarget: 2, total: 2 }, () => run.watch()), undefined, 'no checkpoint left');
  const baked = await run.bake(() => run.watch());
  assert.deepEqual(baked, { kind: 'baked' });
  assert.ok(f.clock.now() - t0 >= 180_000);
  assert.deepEqual(log.events.map((e) => e.code), ['checkpoint-reached', 'checkpoint-paused', 'checkpoint-continued', 'bake-started', 'bake-ended']);
  await run.finish();
  const g = (await f.aws.autoscaling.describeGroup(f.group)).group;
  assert.deepEqual(guardrailStatus(g), {});
  assert.equal(readCheckpointMark(g), undefined);
});
