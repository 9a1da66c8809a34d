/**
 * `--check` with real small shell commands. The check does no AWS call, so its
 * context's `aws` is an empty object (nothing of the SDK is faked); time is a
 * ManualClock: the timeout and the kill grace fire only when the test advances it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsClients } from '../../src/aws/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { isAsgDeployError } from '../../src/core/index.js';
import { EventLog } from '../../src/deploy/events.js';
import type { CandidateInstance, GuardContext } from '../../src/deploy/guardrail.js';
import { checkGuardrail } from '../../src/deploy/guardrails/index.js';

const dir = mkdtempSync(join(tmpdir(), 'asg-deploy-check-'));

function setup(extra: Partial<GuardContext> = {}) {
  const clock = new ManualClock();
  const log = new EventLog();
  const ctx: GuardContext = {
    aws: {} as AwsClients,
    clock,
    emit: log.sink,
    group: 'web',
    deployId: 'd-123',
    targetVersion: '7',
    direction: 'forward',
    ...extra,
  };
  return { clock, log, ctx };
}

const instance = (id: string, ip = '10.0.1.23'): CandidateInstance => ({ instanceId: id, privateIp: ip, version: '7', availabilityZone: 'us-east-1a' });

/** Real-time wait for something a child process does (not simulated time: the child runs in real time). */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a passing check sees its instance, group, version and deploy id in the environment, and admits it', async () => {
  const { ctx, log } = setup();
  const out = join(dir, 'env-seen');
  const guard = checkGuardrail({ command: `printf '%s|%s|%s|%s|%s\\n' "$ASG_DEPLOY_GROUP" "$ASG_DEPLOY_INSTANCE_ID" "$ASG_DEPLOY_PRIVATE_IP" "$ASG_DEPLOY_VERSION" "$ASG_DEPLOY_DEPLOY_ID" >> ${out}` });
  assert.deepEqual(await guard.admit!(ctx, instance('i-0aaaaaaaaaaaaaaa1')), { ok: true });
  assert.deepEqual(await guard.admit!(ctx, instance('i-0aaaaaaaaaaaaaaa2', '10.0.2.9')), { ok: true });
  assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n'), ['web|i-0aaaaaaaaaaaaaaa1|10.0.1.23|7|d-123', 'web|i-0aaaaaaaaaaaaaaa2|10.0.2.9|7|d-123']);
  assert.deepEqual(log.of('check-passed').map((e) => e.instanceId), ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2']);
  assert.equal(log.of('check-failed').length, 0);
});

test('a failing check is a failed launch with its exit code and the last lines of its output (stdout and stderr)', async () => {
  const { ctx, log } = setup();
  const guard = checkGuardrail({ command: 'for i in $(seq 1 30); do echo "line $i"; done; echo "HTTP 503 from /health" >&2; exit 3' });
  const verdict = await guard.admit!(ctx, instance('i-0bbbbbbbbbbbbbbb1'));
  assert.ok(!verdict.ok);
  assert.equal(verdict.code, 'check-failed');
  assert.equal(verdict.reason, 'check failed on i-0bbbbbbbbbbbbbbb1 (exit 3): HTTP 503 from /health');
  const [event] = log.of('check-failed');
  assert.equal(event!.exitCode, 3);
  assert.equal(event!.timedOut, false);
  assert.equal(event!.output.length, 20);
  assert.equal(event!.output[0], 'line 12');
  assert.equal(event!.output[19], 'HTTP 503 from /health');
  assert.deepEqual(verdict.detail?.output, event!.output);
});

test('--check-timeout counts on the injected clock and kills the whole process group', async () => {
  const { ctx, clock, log } = setup();
  const pidFile = join(dir, 'timeout-pid');
  const guard = checkGuardrail({ command: `echo waiting for the app; sleep 300 & echo $! > ${pidFile}; wait`, timeoutMs: 10_000 });
  const started = Date.now();
  const pending = guard.admit!(ctx, instance('i-0ccccccccccccccc1'));
  await until(() => {
    try {
      return readFileSync(pidFile, 'utf8').trim() !== '';
    } catch {
      return false;
    }
  }, 'the check to start');
  const sleeper = Number(readFileSync(pidFile, 'utf8').trim());
  clock.advance(9_999);
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(alive(sleeper), 'not killed before its time');
  clock.advance(1);
  const verdict = await pending;
  assert.ok(Date.now() - started < 5000, 'ended by the simulated timeout, not by real time');
  assert.ok(!verdict.ok);
  assert.equal(verdict.reason, 'check timed out on i-0ccccccccccccccc1 after 10s: waiting for the app');
  assert.equal(log.of('check-failed')[0]!.timedOut, true);
  await until(() => !alive(sleeper), 'the background sleep to be killed with its group');
});

test('a check that ignores SIGTERM is killed after the grace period (on the clock)', async () => {
  const { ctx, clock } = setup();
  const ready = join(dir, 'trap-ready');
  const guard = checkGuardrail({ command: `trap '' TERM; echo stubborn; touch ${ready}; while :; do sleep 1; done`, timeoutMs: 1_000 });
  const pending = guard.admit!(ctx, instance('i-0ddddddddddddddd1'));
  await until(() => {
    try {
      readFileSync(ready);
      return true;
    } catch {
      return false;
    }
  }, 'the check to start');
  clock.advance(1_000);
  let settled = false;
  void pending.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(settled, false, 'SIGTERM alone does not end it');
  clock.advance(5_000);
  const verdict = await pending;
  assert.ok(!verdict.ok);
  assert.match(verdict.reason, /timed out .* after 1s: stubborn/);
});

test('aborting the deploy (Ctrl-C) kills the running check and hands the interruption back, without a verdict on the instance', async () => {
  const controller = new AbortController();
  const { ctx, log } = setup({ signal: controller.signal });
  const pidFile = join(dir, 'abort-pid');
  const guard = checkGuardrail({ command: `sleep 300 & echo $! > ${pidFile}; wait` });
  const pending = guard.admit!(ctx, instance('i-0eeeeeeeeeeeeeee1'));
  await until(() => {
    try {
      return readFileSync(pidFile, 'utf8').trim() !== '';
    } catch {
      return false;
    }
  }, 'the check to start');
  const sleeper = Number(readFileSync(pidFile, 'utf8').trim());
  controller.abort(new Error('interrupted'));
  await assert.rejects(pending, /interrupted/);
  await until(() => !alive(sleeper), 'the check to be killed');
  assert.equal(log.of('check-failed').length + log.of('check-passed').length, 0);
});

test('an empty command or a zero timeout is refused naming the flag', () => {
  assert.throws(() => checkGuardrail({ command: '  ' }), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && /--check ""/.test(e.message));
  assert.throws(() => checkGuardrail({ command: 'true', timeoutMs: 0 }), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && /--check-timeout/.test(e.message));
});
