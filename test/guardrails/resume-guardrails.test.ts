/**
 * Each guardrail through interrupt-then-resume (issue 9): the deploy stores
 * its guardrails on the group with its record, so a runner that dies (SIGKILL)
 * or is stopped (Ctrl-C) and is resumed from another machine with no flags
 * still watches its alarms, runs its check on new instances, bakes the rest of
 * its bake time (not all of it again) and, for blue/green, rolls back from
 * Standby on an alarm during the resumed bake. `status` shows the stored
 * guardrails and the alarms' states, in text and JSON. Real SDK clients over
 * HTTP on the emulator, a scaled clock, real CloudWatch alarms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { abort, bluegreen, readRecord, resume, roll, shrink } from '../../src/deploy/index.js';
import type { DeployContext } from '../../src/deploy/engine/context.js';
import { alarmGuardrail, checkGuardrail, GUARDRAILS_TAG, withStoredGuardrails } from '../../src/deploy/guardrails/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { runCli, startCli, showRun } from '../helpers/cli.js';
import { cliEnv, startFleet, waitFor, type TestFleet } from '../helpers/fleet.js';
import { launchesSince, startPair, traceOf } from '../helpers/pair.js';
import { assertReleased, trace } from '../deploy/checks.js';
import { behaviourImage } from '../deploy/guard-images.js';

const SPEED = 200;
const cliFlags = (f: TestFleet) => ['--endpoint-url', f.emu.endpoint, '--region', TEST_REGION, '--time-scale', String(SPEED)];
/** Another machine: its own owner and host, so the dead runner's lock needs `force` (as `resume --force`). */
const elsewhere = { owner: 'ops@other:7', holder: { host: 'another-machine', pid: 7, processStartedAt: 0 } };

/**
 * A metric alarm on the fleet's target group. `OK` while no data comes in; `raise` puts it in ALARM for good
 * (missing data then breaches), not only until CloudWatch's next evaluation as SetAlarmState alone does.
 */
async function putAlarm(f: TestFleet, name: string, raise = false): Promise<void> {
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
        TreatMissingData: raise ? 'breaching' : 'notBreaching',
      }),
    );
    if (raise) await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'test: 5xx above 10 after the resume' }));
  } finally {
    cw.destroy();
  }
}

async function guardrailTags(f: TestFleet, group = f.group): Promise<string[]> {
  const { group: g } = await f.aws.autoscaling.describeGroup(group);
  return g.tags.filter((t) => t.key.startsWith(GUARDRAILS_TAG)).map((t) => t.key);
}

/** An event hook on a context: `on(code)` runs (not awaited) when the deploy emits that code. */
function hooked(ctx: DeployContext, code: string, on: () => void): DeployContext {
  let fired = false;
  return {
    ...ctx,
    emit: (e) => {
      ctx.emit(e);
      if (!fired && e.code === code) {
        fired = true;
        on();
      }
    },
  };
}

test('roll --alarm, runner killed mid-wave: status shows the stored alarm and its state; resumed elsewhere with no flags, the alarm then fires → rolled back, alarm named', async () => {
  const f = await startFleet({ size: 4, name: 'rsm', speed: SPEED });
  try {
    await putAlarm(f, 'rsm-5xx');
    const image = await behaviourImage(f, {});
    // The runner: the CLI as a user runs it, SIGKILLed (no safe point, no cleanup) once its second wave starts.
    const runner = startCli([...cliFlags(f), '--output', 'json', 'roll', f.group, '--image', image, '--alarm', 'rsm-5xx', '--max-surge', '1'], cliEnv());
    await runner.line(/"code":"wave-started".*"wave":2/);
    runner.child.kill('SIGKILL');
    const killed = await runner.exited;
    assert.equal(killed.code, null, showRun(killed));
    assert.doesNotMatch(killed.stdout, /"code":"done"/, 'killed before the end');

    const { group } = await f.aws.autoscaling.describeGroup(f.group);
    const record = readRecord(group);
    assert.ok(record, 'the dead deploy left its record');
    assert.deepEqual(record.guardrails, { alarms: ['rsm-5xx'] }, 'the alarm is stored with the record');

    // status from any machine: the watched alarm and its state, text and JSON.
    const text = await runCli([...cliFlags(f), 'status', f.group]);
    assert.equal(text.code, 0, showRun(text));
    assert.match(text.stdout, /^ {4}alarms: rsm-5xx OK$/m, text.stdout);
    const json = await runCli([...cliFlags(f), '--output', 'json', 'status', f.group]);
    assert.equal(json.code, 0, showRun(json));
    const status = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { guardrails?: { settings?: { alarms: string[] }; alarms?: { name: string; state: string }[] } };
    assert.deepEqual(status.guardrails?.settings?.alarms, ['rsm-5xx'], json.stdout);
    assert.deepEqual(status.guardrails?.alarms?.map((a) => [a.name, a.state]), [['rsm-5xx', 'OK']], json.stdout);

    // Resumed on another machine with no guardrail flag; the release starts serving 5xx once it goes on.
    const { ctx, log } = f.context(elsewhere);
    let raisedAt: number | undefined;
    const resumed = await resume(
      hooked(ctx, 'wave-started', () => {
        raisedAt = f.clock.now();
        void putAlarm(f, 'rsm-5xx', true);
      }),
      { group: f.group, force: true },
    );
    const why = `${JSON.stringify(resumed)}\n${trace(log.events, 150)}`;
    assert.deepEqual(log.of('guardrails-resumed').map((e) => [e.alarms, e.fromFlags]), [[['rsm-5xx'], []]], why);
    assert.equal(resumed.outcome, 'rolled-back', why);
    assert.match(resumed.reason ?? '', /alarm rsm-5xx is in ALARM/, why);
    assert.ok(raisedAt !== undefined && log.of('rollback-started')[0]!.t >= raisedAt, `rolled back after the alarm was raised\n${why}`);
    await assertReleased(f, 'rolled-back', record.id);
    assert.deepEqual(await guardrailTags(f), [], 'the stored guardrails are removed at the end');
  } finally {
    await f.close();
  }
});

test('roll --check, interrupted after the first check: resumed with no flags, the resumed run checks every instance it brings up (on this machine)', async () => {
  const f = await startFleet({ size: 3, name: 'rchk', speed: SPEED });
  try {
    const image = await behaviourImage(f, {});
    const dir = mkdtempSync(join(tmpdir(), 'asg-deploy-resume-check-'));
    const seen = join(dir, 'seen');
    const command = `echo "$ASG_DEPLOY_INSTANCE_ID $ASG_DEPLOY_DEPLOY_ID" >> ${seen}`;
    const controller = new AbortController();
    const { ctx, log } = f.context({ signal: controller.signal });
    const first = await roll(hooked(ctx, 'check-passed', () => controller.abort(new Error('test: Ctrl-C'))), {
      group: f.group,
      image,
      maxSurge: { kind: 'count', count: 1 },
      guardrails: [checkGuardrail({ command, timeoutMs: 20_000 })],
    });
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${trace(log.events, 120)}`);
    const checkedBefore = new Set(log.of('check-passed').map((e) => e.instanceId));

    const { ctx: ctx2, log: log2 } = f.context(elsewhere);
    const result = await resume(ctx2, { group: f.group });
    const why = `${JSON.stringify(result)}\n${trace(log2.events, 150)}`;
    assert.equal(result.outcome, 'succeeded', why);
    const announced = log2.of('guardrails-resumed')[0];
    assert.equal(announced?.check, command, `the resume says which command runs here\n${why}`);
    assert.equal(announced?.checkTimeoutSeconds, 20, why);
    const checkedAfter = log2.of('check-passed').map((e) => e.instanceId);
    assert.ok(checkedAfter.length >= 1, `the resumed run ran the check\n${why}`);
    const lines = readFileSync(seen, 'utf8').trim().split('\n');
    const checked = new Set(lines.map((l) => l.split(' ')[0]));
    // The fleet the deploy ends with: a retired instance may still be shutting down (the deploy ends once it has drained).
    const fleetNow = (await f.aws.snapshotFleet(f.group)).instances.filter((i) => !i.lifecycleState.startsWith('Terminating')).map((i) => i.id);
    for (const id of fleetNow) assert.ok(checked.has(id), `instance ${id} was never checked\n${lines.join('\n')}\n${why}`);
    for (const id of checkedAfter) assert.ok(!checkedBefore.has(id), `an instance checked twice: ${id}`);
    assert.ok(lines.every((l) => l.split(' ')[1] === result.deployId), `the resumed check runs as the same deploy\n${lines.join('\n')}`);
    await assertReleased(f, 'done', result.deployId);
    assert.deepEqual(await guardrailTags(f), []);
  } finally {
    await f.close();
  }
});

test('roll --bake-time, interrupted during the bake: resume bakes the rest (same end), not all of it again, and a crash during it rolls back', async () => {
  const f = await startFleet({ size: 2, name: 'rbake', speed: SPEED });
  try {
    // Healthy for 8 minutes, then crashes: after the interrupt, inside the resumed bake.
    const image = await behaviourImage(f, { 'emulator:health': 'crash-after:480' });
    const bakeTimeMs = 15 * 60_000;
    const controller = new AbortController();
    const { ctx, log } = f.context({ signal: controller.signal });
    const first = await roll(
      hooked(ctx, 'bake-started', () => void f.clock.sleep(120_000).then(() => controller.abort(new Error('test: Ctrl-C')))),
      { group: f.group, image, maxSurge: { kind: 'count', count: 2 }, bakeTimeMs },
    );
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${trace(log.events, 120)}`);
    const firstBake = log.of('bake-started')[0]!;
    assert.equal(firstBake.seconds, bakeTimeMs / 1000);
    assert.equal(readRecord((await f.aws.autoscaling.describeGroup(f.group)).group)?.guardrails?.bakeTimeMs, bakeTimeMs);

    const { ctx: ctx2, log: log2 } = f.context(elsewhere);
    const resumedAt = f.clock.now();
    const result = await resume(ctx2, { group: f.group });
    const why = `${JSON.stringify(result)}\n${trace(log2.events, 150)}`;
    const rebake = log2.of('bake-started')[0];
    assert.ok(rebake, `the resumed run bakes\n${why}`);
    assert.equal(rebake.until, firstBake.until, `the resumed bake ends when the first would have\n${why}`);
    // Exact now that the first bake-started is dated by its own start (a millisecond only for float rounding).
    assert.ok(rebake.seconds <= bakeTimeMs / 1000 - (resumedAt - firstBake.t) / 1000 + 0.001, `only the rest: ${rebake.seconds}s of ${bakeTimeMs / 1000}s\n${why}`);
    assert.equal(result.outcome, 'rolled-back', why);
    assert.match(result.reason ?? '', /during the bake time/, why);
    const ended = log2.of('bake-ended')[0];
    assert.equal(ended?.ok, false, why);
    await assertReleased(f, 'rolled-back', result.deployId);
    assert.deepEqual(await guardrailTags(f), []);
  } finally {
    await f.close();
  }
});

test('roll --bake-time, interrupted during the bake of a good release: resume finishes after the rest of the bake', async () => {
  const f = await startFleet({ size: 2, name: 'rbok', speed: SPEED });
  try {
    const image = await behaviourImage(f, {});
    const bakeTimeMs = 10 * 60_000;
    const controller = new AbortController();
    const { ctx, log } = f.context({ signal: controller.signal });
    const first = await roll(
      hooked(ctx, 'bake-started', () => void f.clock.sleep(6 * 60_000).then(() => controller.abort(new Error('test: Ctrl-C')))),
      { group: f.group, image, maxSurge: { kind: 'count', count: 2 }, bakeTimeMs },
    );
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${trace(log.events, 120)}`);
    const firstBake = log.of('bake-started')[0]!;
    const { ctx: ctx2, log: log2 } = f.context(elsewhere);
    const result = await resume(ctx2, { group: f.group });
    const why = `${JSON.stringify(result)}\n${trace(log2.events, 150)}`;
    assert.equal(result.outcome, 'succeeded', why);
    const ended = log2.of('bake-ended')[0]!;
    assert.equal(ended.ok, true, why);
    // The resumed bake ends when the first would have: the whole bake (first start → resumed end) is the bake
    // time plus the take-over's own steps, not the 6 minutes baked before plus all of it again (≥ 16 minutes).
    const rebake = log2.of('bake-started')[0]!;
    assert.equal(rebake.until, firstBake.until, why);
    assert.ok(rebake.seconds <= (bakeTimeMs - 6 * 60_000) / 1000, `the resumed bake waits only the rest (${rebake.seconds}s)\n${why}`);
    // bake-ended counts from when the bake first began (the mark on the group, the first bake-started's `t`:
    // one instant), and ends at the first poll at or past that bake's end — exact, not a window of simulated
    // seconds that a busy machine's take-over overruns (the until above already rules out baking twice).
    const total = ended.seconds;
    assert.equal(total, (ended.t - firstBake.t) / 1000, why);
    assert.ok(ended.t >= firstBake.until && total >= bakeTimeMs / 1000, `baked ${total}s in all for a ${bakeTimeMs / 1000}s bake time\n${why}`);
    await assertReleased(f, 'done', result.deployId);
  } finally {
    await f.close();
  }
});

test('bluegreen --alarm --bake-time, interrupted during the bake: resumed with no flags, an alarm during the rest of the bake rolls back from Standby, no launch', async () => {
  const pair = await startPair({ size: 2, maxSize: 4, minSize: 1, speed: 50 });
  try {
    const { fleet } = pair;
    await putAlarm(fleet, 'bgr-5xx');
    const image = await fleet.image();
    const controller = new AbortController();
    const { ctx, log } = fleet.context({ signal: controller.signal });
    const first = await bluegreen(
      hooked(ctx, 'bake-started', () => void fleet.clock.sleep(60_000).then(() => controller.abort(new Error('test: Ctrl-C')))),
      { app: pair.app, image, guardrails: [alarmGuardrail(['bgr-5xx'])], bakeTimeMs: 15 * 60_000 },
    );
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${traceOf(log.events)}`);
    assert.equal(log.of('traffic-switched').length, 1, 'interrupted after the switch, in the bake');

    const { ctx: ctx2, log: log2 } = fleet.context(elsewhere);
    let raisedAt: number | undefined;
    const result = await resume(
      hooked(ctx2, 'bake-started', () => {
        raisedAt = fleet.clock.now();
        void putAlarm(fleet, 'bgr-5xx', true);
      }),
      // Named by the old (Standby) group: the guardrails are stored on the new group's record, and found through the pair.
      { group: pair.blue },
    );
    const why = `${JSON.stringify(result)}\n${traceOf(log2.events)}`;
    assert.deepEqual(log2.of('guardrails-resumed')[0]?.alarms, ['bgr-5xx'], why);
    assert.equal(result.outcome, 'rolled-back', why);
    assert.match(result.reason ?? '', /alarm bgr-5xx is in ALARM/, why);
    assert.match(result.reason ?? '', /during the bake time/, why);
    assert.ok(raisedAt !== undefined, why);
    const history = fleet.history();
    assert.deepEqual(launchesSince(history, raisedAt), [], `no instance launched after the alarm\n${why}`);
    assert.equal(history.filter((e) => e.type === 'call' && e.action === 'RunInstances' && e.t >= raisedAt!).length, 0, 'no RunInstances after the alarm');
    assert.ok(history.some((e) => e.type === 'call' && e.action === 'ExitStandby' && e.t >= raisedAt!), `the old fleet left Standby\n${why}`);
    for (const g of [pair.blue, pair.green]) assert.deepEqual(await guardrailTags(fleet, g), [], `no guardrail tags left on ${g}`);
  } finally {
    await pair.close();
  }
});

test('roll --no-rollback --alarm, interrupted: the resumed run keeps --no-rollback (the alarm leaves the group as is, record and guardrails kept); abort then undoes it', async () => {
  const f = await startFleet({ size: 3, name: 'rnrb', speed: SPEED });
  try {
    await putAlarm(f, 'rnrb-5xx');
    const image = await behaviourImage(f, {});
    const controller = new AbortController();
    const { ctx, log } = f.context({ signal: controller.signal });
    const first = await roll(hooked(ctx, 'instance-ready', () => controller.abort(new Error('test: Ctrl-C'))), {
      group: f.group,
      image,
      maxSurge: { kind: 'count', count: 1 },
      rollback: false,
      guardrails: [alarmGuardrail(['rnrb-5xx'])],
    });
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${trace(log.events, 120)}`);

    const { ctx: ctx2, log: log2 } = f.context(elsewhere);
    const result = await resume(hooked(ctx2, 'wave-started', () => void putAlarm(f, 'rnrb-5xx', true)), { group: f.group });
    const why = `${JSON.stringify(result)}\n${trace(log2.events, 150)}`;
    assert.equal(log2.of('guardrails-resumed')[0]?.noRollback, true, why);
    assert.equal(result.outcome, 'failed', why);
    assert.match(result.reason ?? '', /alarm rnrb-5xx is in ALARM/, why);
    assert.equal(log2.of('rollback-started').length, 0, `no rollback\n${why}`);
    const { group } = await f.aws.autoscaling.describeGroup(f.group);
    assert.equal(readRecord(group)?.phase, 'failed', why);
    assert.deepEqual(readRecord(group)?.guardrails, { alarms: ['rnrb-5xx'], noRollback: true }, 'kept for the next resume');

    const { ctx: ctx3, log: log3 } = f.context(elsewhere);
    const undone = await abort(ctx3, { group: f.group });
    assert.equal(undone.outcome, 'aborted', `${JSON.stringify(undone)}\n${trace(log3.events, 150)}`);
    await assertReleased(f, 'aborted', first.deployId);
    assert.deepEqual(await guardrailTags(f), []);
  } finally {
    await f.close();
  }
});

test('asg-deploy resume with flags: --alarm adds to the stored alarms, --bake-time 0 drops the stored bake; what the library resume is given is stored for later resumes', async () => {
  const f = await startFleet({ size: 2, name: 'rflag', speed: SPEED });
  try {
    await putAlarm(f, 'rflag-a');
    await putAlarm(f, 'rflag-b');
    await putAlarm(f, 'rflag-c');
    const image = await behaviourImage(f, {});
    const controller = new AbortController();
    const { ctx, log } = f.context({ signal: controller.signal });
    const first = await roll(hooked(ctx, 'bake-started', () => controller.abort(new Error('test: Ctrl-C'))), {
      group: f.group,
      image,
      maxSurge: { kind: 'count', count: 2 },
      guardrails: [alarmGuardrail(['rflag-a'])],
      bakeTimeMs: 30 * 60_000,
    });
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${trace(log.events, 120)}`);
    // What a resume is given is stored on the group before the take-over, so a later resume keeps it too.
    const { ctx: lib } = f.context(elsewhere);
    const options = await withStoredGuardrails(lib, { group: f.group, guardrailOverrides: { alarms: ['rflag-b'] } });
    assert.deepEqual(options.guardrails?.map((g) => g.name), ['alarms']);
    assert.deepEqual(readRecord((await f.aws.autoscaling.describeGroup(f.group)).group)?.guardrails, { alarms: ['rflag-a', 'rflag-b'], bakeTimeMs: 30 * 60_000 });
    const run = await runCli([...cliFlags(f), '--output', 'json', 'resume', f.group, '--alarm', 'rflag-c', '--bake-time', '0']);
    assert.equal(run.code, 0, showRun(run));
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { code: string; [k: string]: unknown });
    const resumed = events.find((e) => e.code === 'guardrails-resumed');
    assert.deepEqual([resumed?.alarms, resumed?.fromFlags, resumed?.bakeSeconds], [['rflag-a', 'rflag-b', 'rflag-c'], ['--alarm', '--bake-time'], undefined], run.stdout);
    const watched = events.find((e) => e.code === 'alarm-watched') as { alarms?: { name: string }[] } | undefined;
    assert.deepEqual(watched?.alarms?.map((a) => a.name), ['rflag-a', 'rflag-b', 'rflag-c'], run.stdout);
    assert.ok(!events.some((e) => e.code === 'bake-started'), `--bake-time 0 dropped the bake\n${run.stdout}`);
    assert.equal(events.at(-1)?.code, 'done', run.stdout);
    assert.equal(events.at(-1)?.outcome, 'succeeded', run.stdout);
    await assertReleased(f, 'done', first.deployId);
    assert.deepEqual(await guardrailTags(f), []);
  } finally {
    await f.close();
  }
});

test('shrink --alarm --bake-time, interrupted during the bake: resumed with no flags, it bakes only the rest watching the alarm, then finishes', async () => {
  const f = await startFleet({ size: 2, name: 'rshr', speed: SPEED });
  try {
    await putAlarm(f, 'rshr-5xx');
    const image = await behaviourImage(f, {});
    const bakeTimeMs = 10 * 60_000;
    const controller = new AbortController();
    const { ctx, log } = f.context({ signal: controller.signal });
    const first = await shrink(
      hooked(ctx, 'bake-started', () => void f.clock.sleep(4 * 60_000).then(() => controller.abort(new Error('test: Ctrl-C')))),
      { group: f.group, image, guardrails: [alarmGuardrail(['rshr-5xx'])], bakeTimeMs },
    );
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${trace(log.events, 120)}`);
    const firstBake = log.of('bake-started')[0]!;
    const { ctx: ctx2, log: log2 } = f.context(elsewhere);
    const result = await resume(ctx2, { group: f.group });
    const why = `${JSON.stringify(result)}\n${trace(log2.events, 150)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.deepEqual(log2.of('guardrails-resumed')[0]?.alarms, ['rshr-5xx'], why);
    assert.deepEqual(log2.of('alarm-watched')[0]?.alarms.map((a) => a.name), ['rshr-5xx'], `the resumed run watches the alarm\n${why}`);
    const rebake = log2.of('bake-started')[0]!;
    assert.equal(rebake.until, firstBake.until, why);
    assert.ok(rebake.seconds <= (bakeTimeMs - 4 * 60_000) / 1000, `only the rest (${rebake.seconds}s)\n${why}`);
    assert.equal(log2.of('bake-ended')[0]?.ok, true, why);
    await assertReleased(f, 'done', result.deployId);
    assert.deepEqual(await guardrailTags(f), []);
  } finally {
    await f.close();
  }
});

test('bluegreen --alarm --bake-time that passes: the stored guardrails are gone once it awaits finish or rollback (nothing watches any more)', async () => {
  const pair = await startPair({ size: 2, maxSize: 4, minSize: 1, speed: 50, app: 'bgok' });
  try {
    const { fleet } = pair;
    await putAlarm(fleet, 'bgok-5xx');
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    let storedDuringBake: string[] = [];
    const result = await bluegreen(
      hooked(ctx, 'bake-started', () => void guardrailTags(fleet, pair.green).then((keys) => (storedDuringBake = keys))),
      { app: pair.app, image, guardrails: [alarmGuardrail(['bgok-5xx'])], bakeTimeMs: 5 * 60_000 },
    );
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.equal(log.of('awaiting-decision').length, 1, why);
    assert.deepEqual(storedDuringBake, [GUARDRAILS_TAG], `stored on the new group while it bakes\n${why}`);
    for (const g of [pair.blue, pair.green]) assert.deepEqual(await guardrailTags(fleet, g), [], `no guardrail tags left on ${g}`);
  } finally {
    await pair.close();
  }
});

test('resume --help says the stored guardrails are used, that flags add or replace them, and that --check runs on this machine', async () => {
  const help = await runCli(['resume', '--help']);
  assert.equal(help.code, 0, showRun(help));
  for (const line of ['--alarm adds an alarm to the stored', 'every other flag replaces its setting', '--check command runs on THIS', '--no-rollback', '--rollback']) {
    assert.ok(help.stdout.replace(/\s+/g, ' ').includes(line.replace(/\s+/g, ' ')), `${line}\n${help.stdout}`);
  }
});
