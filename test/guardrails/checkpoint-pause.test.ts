/**
 * Checkpoint pauses and the bake time against the emulator (SDK v3 over HTTP,
 * one scaled clock): the pause is written on the group, `continue` from
 * another process releases it, `abort` from another machine stops it, a
 * failing check ends it, a resumed deploy knows which checkpoints it passed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isAsgDeployError } from '../../src/core/index.js';
import { encodeLock, encodeRecord, RECORD_TAGS, type DeploymentRecord } from '../../src/deploy/engine/record.js';
import type { GuardContext, GuardVerdict } from '../../src/deploy/guardrail.js';
import { EventLog } from '../../src/deploy/events.js';
import {
  checkpointGuardrail,
  clearGuardrailTags,
  guardrailStatus,
  holdAtCheckpoint,
  holdForBake,
  readCheckpointMark,
  readSignal,
  requestAbortOfPausedDeploy,
  signalPausedDeploy,
  type CheckpointPauseRequest,
} from '../../src/deploy/guardrails/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { startFleet, waitFor, type TestFleet } from '../helpers/fleet.js';

const run = promisify(execFile);
let f: TestFleet;
let seq = 0;

before(async () => {
  f = await startFleet({ size: 0, maxSize: 2, minSize: 0, name: 'paused' });
});
after(async () => {
  await f.close();
});

/** A deploy in progress on the group, as its record says (what `continue` looks for). */
async function runningDeploy(): Promise<string> {
  const id = `d-pause-${++seq}`;
  const now = f.clock.now();
  const record: DeploymentRecord = {
    id,
    strategy: 'roll',
    phase: 'rolling',
    startedAt: now,
    updatedAt: now,
    templateId: f.templateId,
    fromVersion: '1',
    toVersion: '2',
    original: { min: 0, max: 2, desired: 0 },
    suspendedByUs: [],
    settings: { surge: 1, floor: 0, warmupSeconds: 0, maxFailedLaunches: 3, timeoutSeconds: 1200 },
  };
  await f.aws.autoscaling.createOrUpdateTags(f.group, Object.entries(encodeRecord(record)).map(([key, value]) => ({ key, value, propagateAtLaunch: false })));
  const { group } = await f.aws.autoscaling.describeGroup(f.group);
  await clearGuardrailTags(f.aws.autoscaling, group);
  return id;
}

function guardCtx(deployId: string, extra: Partial<GuardContext> = {}): { ctx: GuardContext; log: EventLog } {
  const log = new EventLog();
  return { log, ctx: { aws: f.aws, clock: f.clock, emit: log.sink, group: f.group, deployId, targetVersion: '2', direction: 'forward', ...extra } };
}

const group = async () => (await f.aws.autoscaling.describeGroup(f.group)).group;

/** `asg-deploy continue GROUP` in a separate node process (another machine, as far as the group knows). */
async function continueFromAnotherProcess(): Promise<{ stdout: string; code: number }> {
  const cliDir = new URL('../../src/cli/', import.meta.url).href;
  const script = `
    import { Command } from 'commander';
    import { registerContinueCommand } from '${cliDir}commands/continue.js';
    const out = [];
    const cli = { io: { out: (l) => out.push(l), err: (l) => out.push(l), isTty: false }, output: 'text', exitCode: 0 };
    const program = new Command('asg-deploy').option('--endpoint-url <url>').option('--region <region>').exitOverride();
    registerContinueCommand(program, cli);
    try { await program.parseAsync(process.argv.slice(1), { from: 'user' }); } catch (e) { out.push('error: ' + e.message); cli.exitCode = 2; }
    process.stdout.write(out.join('\\n'));
    process.exitCode = cli.exitCode;
  `;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, '--', '--endpoint-url', f.emu.endpoint, '--region', TEST_REGION, 'continue', f.group], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      cwd: new URL('../../..', import.meta.url).pathname,
    });
    return { stdout, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; code: number };
    return { stdout: err.stdout, code: err.code };
  }
}

test('`wait`: paused at 10% until `asg-deploy continue` runs in another process; the pause is on the group meanwhile; then the next checkpoint is 50%', async () => {
  const deployId = await runningDeploy();
  const { ctx, log } = guardCtx(deployId);
  const cp = checkpointGuardrail({ checkpoints: [10, 50], pause: { kind: 'wait' } });
  await cp.preflight!(ctx);
  assert.equal(cp.pauseAfter!(ctx, { onTarget: 0, total: 10 }), undefined);
  const request = cp.pauseAfter!(ctx, { onTarget: 1, total: 10 }) as CheckpointPauseRequest;
  assert.equal(request.kind, 'until-continued');
  assert.match(request.reason, /checkpoint 10%: 1 of 10 instances on version 2/);
  assert.deepEqual(request.checkpoint, { percent: 10, passed: 0 });

  let polls = 0;
  const held = holdAtCheckpoint(ctx, { request, watch: async () => (polls++, { ok: true }), pollMs: 5_000 });
  const mark = await waitFor(f.clock, async () => readCheckpointMark(await group()), 'the pause on the group', 600);
  assert.deepEqual([mark.deployId, mark.percent, mark.state, mark.until], [deployId, 10, 'paused', undefined]);
  assert.deepEqual(guardrailStatus(await group()).paused?.percent, 10);
  // Ten simulated minutes later it still waits, watching all along. How many polls fit in them depends on how
  // fast the machine answers (each poll's calls take simulated time at 200×): only "more than one" is certain.
  const pausedAt = f.clock.now();
  const pollsAtPause = polls;
  await f.clock.sleep(600_000);
  assert.ok(polls - pollsAtPause >= 2, `watched while paused (${polls - pollsAtPause} polls in 10 simulated minutes)`);
  assert.equal(readCheckpointMark(await group())?.state, 'paused');

  const { stdout, code } = await continueFromAnotherProcess();
  assert.equal(code, 0, stdout);
  assert.match(stdout, new RegExp(`deploy ${deployId} on paused: continue signalled at its 10% checkpoint`));
  const outcome = await held;
  assert.equal(outcome.kind, 'continued');
  assert.ok(outcome.kind === 'continued' && outcome.by === 'continue');
  const after = await group();
  assert.equal(readCheckpointMark(after)?.state, 'continued');
  assert.equal(readSignal(after), undefined, 'the signal is consumed');
  assert.deepEqual(log.events.map((e) => e.code), ['checkpoint-reached', 'checkpoint-paused', 'checkpoint-continued']);
  const continued = log.of('checkpoint-continued')[0]!;
  const paused = log.of('checkpoint-paused')[0]!;
  assert.equal(continued.by, 'continue');
  // One start instant: the mark on the group and the event agree; the pause reported is the one kept, and it
  // covers the ten minutes the test waited (the mark was there before pausedAt, the continue came after).
  assert.equal(mark.since, paused.t);
  assert.ok(paused.t <= pausedAt && continued.t >= pausedAt + 600_000, `pause ${paused.t}..${continued.t}, test waited from ${pausedAt}`);
  assert.equal(outcome.pausedMs, continued.t - paused.t);
  assert.equal(continued.pausedSeconds, outcome.pausedMs / 1000);

  // The next stop is 50%, and a second `continue` now finds nothing paused (exit 2).
  assert.equal(cp.pauseAfter!(ctx, { onTarget: 4, total: 10 }), undefined);
  assert.equal((cp.pauseAfter!(ctx, { onTarget: 5, total: 10 }) as CheckpointPauseRequest).checkpoint?.percent, 50);
  const again = await continueFromAnotherProcess();
  assert.notEqual(again.code, 0);
  assert.match(again.stdout, /not paused at a checkpoint: nothing to continue/);
});

test('a timed pause ends on the clock, and a continue given for an earlier checkpoint does not release a later one', async () => {
  const deployId = await runningDeploy();
  const { ctx, log } = guardCtx(deployId);
  const cp = checkpointGuardrail({ checkpoints: [10, 50], pause: { kind: 'for', ms: 120_000 } });
  const request = cp.pauseAfter!(ctx, { onTarget: 5, total: 10 }) as CheckpointPauseRequest;
  assert.deepEqual([request.kind, request.checkpoint?.percent], ['for', 50]);
  // A stale continue for 10% sits on the group.
  await f.aws.autoscaling.createOrUpdateTags(f.group, [{ key: 'asg-deploy:signal', value: `id=${deployId};action=continue;at=10;by=late;t=2026-01-01T12:00:00.000Z`, propagateAtLaunch: false }]);
  const start = f.clock.now();
  const outcome = await holdAtCheckpoint(ctx, { request, watch: async () => ({ ok: true }) });
  assert.deepEqual(outcome.kind === 'continued' && outcome.by, 'timer');
  // The pause says when it ends, counted from the instant it started (the event's `t`), and it ended then:
  // exact equalities and orderings, not windows of simulated seconds that a busy machine overruns.
  const paused = log.of('checkpoint-paused')[0]!;
  const continued = log.of('checkpoint-continued')[0]!;
  assert.ok(paused.t >= start, 'the pause starts when the hold is entered');
  assert.equal(paused.until, paused.t + 120_000, 'the pause says when it ends');
  assert.ok(continued.t >= paused.until, `ended at ${continued.t}, before its end ${paused.until}`);
  assert.ok(outcome.kind === 'continued' && outcome.pausedMs === continued.t - paused.t && outcome.pausedMs >= 120_000);
  assert.ok(f.clock.now() >= continued.t);
});

test('a failing check during a pause ends it at once with its verdict; `abort` from another machine ends it as an abort request', async () => {
  const deployId = await runningDeploy();
  const { ctx } = guardCtx(deployId);
  const cp = checkpointGuardrail({ checkpoints: [10], pause: { kind: 'wait' } });
  let polls = 0;
  const failing: GuardVerdict = { ok: false, code: 'alarm', reason: 'alarm web-5xx is in ALARM: Threshold Crossed' };
  const stopped = await holdAtCheckpoint(ctx, {
    request: cp.pauseAfter!(ctx, { onTarget: 1, total: 4 })!,
    watch: async () => (++polls >= 3 ? failing : { ok: true }),
  });
  assert.deepEqual(stopped, { kind: 'stopped', verdict: failing });

  const deploy2 = await runningDeploy();
  const g2 = guardCtx(deploy2);
  const cp2 = checkpointGuardrail({ checkpoints: [10], pause: { kind: 'wait' } });
  const held = holdAtCheckpoint(g2.ctx, { request: cp2.pauseAfter!(g2.ctx, { onTarget: 1, total: 4 })!, watch: async () => ({ ok: true }) });
  await waitFor(f.clock, async () => readCheckpointMark(await group())?.deployId === deploy2, 'the pause', 600);
  const other = f.aws; // same endpoint; what matters is that only the group carries the request
  const { signal } = await signalPausedDeploy(other.autoscaling, f.group, 'abort', { by: 'ops@laptop:42', now: f.clock.now() });
  assert.equal(signal.deployId, deploy2);
  assert.deepEqual(await held, { kind: 'abort-requested', by: 'ops@laptop:42' });
  assert.equal(readSignal(await group()), undefined);
});

test('continue is refused (BAD_INPUT, exit 2) on a group with no deploy in progress, naming the group', async () => {
  const { group: g } = await f.aws.autoscaling.describeGroup(f.group);
  // Make the record terminal.
  await f.aws.autoscaling.createOrUpdateTags(f.group, [{ key: 'asg-deploy:deploy', value: `id=d-old;strategy=roll;phase=done;started=2026-01-01T12:00:00.000Z;updated=2026-01-01T12:00:00.000Z`, propagateAtLaunch: false }]);
  await clearGuardrailTags(f.aws.autoscaling, g);
  await assert.rejects(signalPausedDeploy(f.aws.autoscaling, f.group, 'continue', { by: 'me', now: f.clock.now() }), (e: unknown) => {
    assert.ok(isAsgDeployError(e, 'BAD_INPUT'));
    assert.match(e.message, /group paused has no deploy in progress: nothing to continue/);
    return true;
  });
});

test('a deploy resumed after dying in a pause pauses there again; one resumed after the pause knows it passed it', async () => {
  const deployId = await runningDeploy();
  const { ctx } = guardCtx(deployId, { signal: AbortSignal.abort(new Error('interrupted')) });
  const cp = checkpointGuardrail({ checkpoints: [10, 50], pause: { kind: 'wait' } });
  // Interrupted (Ctrl-C) in the pause: the mark stays, state paused.
  await assert.rejects(holdAtCheckpoint(ctx, { request: cp.pauseAfter!(ctx, { onTarget: 1, total: 10 })!, watch: async () => ({ ok: true }) }), /interrupted/);
  assert.equal(readCheckpointMark(await group())?.state, 'paused');

  const resumed = guardCtx(deployId);
  const again = checkpointGuardrail({ checkpoints: [10, 50], pause: { kind: 'wait' } });
  await again.preflight!(resumed.ctx);
  assert.equal(again.passed(), 0);
  assert.equal((again.pauseAfter!(resumed.ctx, { onTarget: 1, total: 10 }) as CheckpointPauseRequest).checkpoint?.percent, 10);

  // Now it was continued: a resume (first seen through watch) goes on to 50%.
  await f.aws.autoscaling.createOrUpdateTags(f.group, [{ key: 'asg-deploy:checkpoint', value: `id=${deployId};at=10;state=continued;passed=0;since=2026-01-01T12:00:00.000Z`, propagateAtLaunch: false }]);
  const later = checkpointGuardrail({ checkpoints: [10, 50], pause: { kind: 'wait' } });
  await later.watch!(resumed.ctx);
  assert.equal(later.passed(), 10);
  assert.equal(later.pauseAfter!(resumed.ctx, { onTarget: 1, total: 10 }), undefined);
  assert.equal(later.stepLimit({ onTarget: 1, total: 10 }), 4);
  // Another deploy's mark is not ours.
  const stranger = checkpointGuardrail({ checkpoints: [10, 50] });
  await stranger.preflight!(guardCtx('d-someone-else').ctx);
  assert.equal(stranger.passed(), 0);
});

test('bake time: keeps watching for its duration with its end on the group; a failure during it ends it with the reason', async () => {
  const deployId = await runningDeploy();
  const { ctx, log } = guardCtx(deployId);
  let polls = 0;
  let seenBake: number | undefined;
  const start = f.clock.now();
  const baked = await holdForBake(ctx, {
    ms: 300_000,
    watch: async () => {
      if (polls++ === 2) seenBake = guardrailStatus(await group()).baking?.until;
      return { ok: true };
    },
  });
  assert.deepEqual(baked, { kind: 'baked' });
  assert.ok(f.clock.now() - start >= 300_000);
  // The bake's start is one instant: the event's `t`, its `until` and the end on the group agree exactly.
  const started = log.of('bake-started')[0]!;
  assert.ok(started.t >= start);
  assert.equal(started.until, started.t + 300_000);
  assert.equal(seenBake, started.until, 'status can show when the bake time ends');
  assert.ok(polls >= 3, `${polls} polls in 5 minutes (how many fit depends on how fast each poll's calls answer)`);
  assert.deepEqual(log.events.map((e) => e.code), ['bake-started', 'bake-ended']);
  const bakeEnded = log.of('bake-ended')[0]!;
  assert.equal(bakeEnded.ok, true);
  assert.ok(bakeEnded.t >= started.until, 'the bake ran its full time');
  assert.equal(bakeEnded.seconds, (bakeEnded.t - started.t) / 1000);

  // The same deploy baking again (a resume after its bake was over) goes on from the mark: nothing left to wait.
  // No second bake: one watch, no sleep (counted, not timed: a sleep would be a second poll).
  let againPolls = 0;
  assert.deepEqual(await holdForBake(ctx, { ms: 300_000, watch: async () => (againPolls++, { ok: true }) }), { kind: 'baked' });
  assert.equal(againPolls, 1, `no second full bake (${againPolls} polls)`);
  assert.equal(log.of('bake-started')[1]!.seconds, 0);
  assert.equal(log.of('bake-started')[1]!.until, seenBake);
  await clearGuardrailTags(f.aws.autoscaling, await group());

  const failing: GuardVerdict = { ok: false, code: 'alarm', reason: 'alarm web-5xx is in ALARM' };
  let n = 0;
  const stopped = await holdForBake(ctx, { ms: 300_000, watch: async () => (++n === 5 ? failing : { ok: true }) });
  assert.equal(stopped.kind, 'stopped');
  assert.ok(stopped.kind === 'stopped' && stopped.afterMs >= 20_000 && stopped.afterMs < 300_000);
  const ended = log.of('bake-ended')[2]!;
  assert.deepEqual([ended.ok, ended.reason], [false, 'alarm web-5xx is in ALARM']);
  await clearGuardrailTags(f.aws.autoscaling, await group());
  assert.deepEqual(guardrailStatus(await group()), {});
});

test('abort on a paused deploy whose runner is alive asks it to roll back; with the runner dead (lock expired) or no pause, abort takes over as usual', async () => {
  const deployId = await runningDeploy();
  const lockFor = (expiresAt: number) => [{ key: RECORD_TAGS.lock, value: encodeLock({ deployId, owner: 'runner:1', renewedAt: f.clock.now(), expiresAt }), propagateAtLaunch: false }];
  await f.aws.autoscaling.createOrUpdateTags(f.group, lockFor(f.clock.now() + 600_000));
  const by = { by: 'ops@laptop:7', now: f.clock.now() };
  assert.equal(await requestAbortOfPausedDeploy(f.aws.autoscaling, f.group, by), undefined, 'not paused: abort takes over');

  const { ctx } = guardCtx(deployId);
  const cp = checkpointGuardrail({ checkpoints: [25], pause: { kind: 'wait' } });
  const held = holdAtCheckpoint(ctx, { request: cp.pauseAfter!(ctx, { onTarget: 1, total: 4 })!, watch: async () => ({ ok: true }) });
  await waitFor(f.clock, async () => readCheckpointMark(await group())?.deployId === deployId, 'the pause', 600);
  const signal = await requestAbortOfPausedDeploy(f.aws.autoscaling, f.group, { by: 'ops@laptop:7', now: f.clock.now() });
  assert.deepEqual([signal?.deployId, signal?.action, signal?.percent], [deployId, 'abort', 25]);
  assert.deepEqual(await held, { kind: 'abort-requested', by: 'ops@laptop:7' });

  // Paused, but the runner died (its lock expired): nothing to ask, abort takes over.
  await f.aws.autoscaling.createOrUpdateTags(f.group, [{ key: 'asg-deploy:checkpoint', value: `id=${deployId};at=25;state=paused;passed=0;since=2026-01-01T12:00:00.000Z`, propagateAtLaunch: false }]);
  await f.aws.autoscaling.createOrUpdateTags(f.group, lockFor(f.clock.now() - 1));
  assert.equal(await requestAbortOfPausedDeploy(f.aws.autoscaling, f.group, { by: 'ops', now: f.clock.now() }), undefined);
  assert.equal(readSignal(await group()), undefined);
  await f.aws.autoscaling.deleteTags(f.group, [RECORD_TAGS.lock]);
});
