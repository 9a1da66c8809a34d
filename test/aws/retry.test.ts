import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock/index.js';
import { backoffDelayMs, DEFAULT_BACKOFF, retryableFor, withRetry, type RetryEvent } from '../../src/aws/index.js';
import { createCaller, type AwsCallEvent } from '../../src/aws/call.js';
import { isAsgDeployError } from '../../src/core/index.js';

const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
const serverError = () => Object.assign(new Error('oops'), { name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } });
const validation = () => Object.assign(new Error('bad'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } });

/** Runs `promise` to completion, advancing the manual clock each time something sleeps on it; returns the simulated time spent. */
async function drive<T>(clock: ManualClock, promise: Promise<T>): Promise<{ value?: T; error?: unknown; elapsedMs: number }> {
  const start = clock.now();
  let settled = false;
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  void outcome.then(() => (settled = true));
  for (let guard = 0; !settled && guard < 10_000; guard++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (clock.pending > 0) clock.advance(60_000);
  }
  const result = await outcome;
  return { ...result, elapsedMs: clock.now() - start };
}

test('backoff: full jitter over a doubling window, capped', () => {
  const policy = { baseMs: 100, capMs: 1_000 };
  const top = () => 0.999_999;
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, policy, top)),
    [99, 199, 399, 799, 999, 999],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffDelayMs(n, policy, () => 0.5)),
    [50, 100, 200],
  );
  assert.equal(backoffDelayMs(30, policy, () => 0), 0);
  assert.equal(backoffDelayMs(0, policy, () => 0.5), 50, 'retry 0 is treated as the first');
  assert.deepEqual(DEFAULT_BACKOFF, { baseMs: 200, capMs: 20_000 });
});

test('withRetry: throttled three times, then succeeds; waits on the clock with the jittered delays', async () => {
  const clock = new ManualClock();
  let calls = 0;
  const retries: RetryEvent[] = [];
  const sleeps: number[] = [];
  const originalSleep = clock.sleep.bind(clock);
  clock.sleep = (ms, signal) => {
    sleeps.push(ms);
    return originalSleep(ms, signal);
  };
  const realStart = Date.now();
  const result = await drive(
    clock,
    withRetry(
      async (n) => {
        calls++;
        assert.equal(n, calls);
        if (calls <= 3) throw throttle();
        return 'ok';
      },
      { clock, maxAttempts: 5, baseMs: 200, capMs: 20_000, random: () => 0.5, onRetry: (e) => retries.push(e) },
    ),
  );
  assert.equal(result.value, 'ok');
  assert.equal(calls, 4);
  assert.deepEqual(sleeps, [100, 200, 400]);
  assert.deepEqual(
    retries.map((r) => [r.attempt, r.delayMs]),
    [
      [1, 100],
      [2, 200],
      [3, 400],
    ],
  );
  assert.ok(Date.now() - realStart < 2_000, 'no real waiting');
});

test('withRetry: gives up after maxAttempts with the last error unchanged', async () => {
  const clock = new ManualClock();
  let calls = 0;
  const errors: unknown[] = [];
  const result = await drive(
    clock,
    withRetry(
      async () => {
        calls++;
        const e = throttle();
        errors.push(e);
        throw e;
      },
      { clock, maxAttempts: 4, random: () => 0 },
    ),
  );
  assert.equal(calls, 4);
  assert.equal(result.error, errors[3]);
});

test('withRetry: a non-retryable error is thrown at once, without sleeping', async () => {
  const clock = new ManualClock();
  let calls = 0;
  const error = validation();
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw error;
      },
      { clock, maxAttempts: 5 },
    ),
    (e: unknown) => e === error,
  );
  assert.equal(calls, 1);
  assert.equal(clock.pending, 0);
});

test('retryableFor: throttling always; 5xx and network only when idempotent', () => {
  const network = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
  assert.ok(retryableFor(true)(throttle()));
  assert.ok(retryableFor(false)(throttle()));
  assert.ok(retryableFor(true)(serverError()));
  assert.equal(retryableFor(false)(serverError()), false);
  assert.ok(retryableFor(true)(network));
  assert.equal(retryableFor(false)(network), false);
  assert.equal(retryableFor(true)(validation()), false);
});

test('withRetry: abort while waiting rejects with the reason and stops calling', async () => {
  const clock = new ManualClock();
  const controller = new AbortController();
  let calls = 0;
  const pending = withRetry(
    async () => {
      calls++;
      throw throttle();
    },
    { clock, maxAttempts: 10, random: () => 0.5, signal: controller.signal },
  );
  while (clock.pending === 0) await new Promise((resolve) => setImmediate(resolve));
  controller.abort(new Error('stop'));
  await assert.rejects(pending, /stop/);
  assert.equal(calls, 1);
  const already = new AbortController();
  already.abort(new Error('before'));
  await assert.rejects(withRetry(async () => 1, { clock, signal: already.signal }), /before/);
});

test('caller: retries on the clock, reports every attempt, maps the final error', async () => {
  const clock = new ManualClock();
  const events: AwsCallEvent[] = [];
  const call = createCaller({ clock, maxAttempts: 3, retryBaseMs: 100, retryCapMs: 1_000, random: () => 0.5, onCall: (e) => events.push(e) });
  const spec = { service: 'autoscaling' as const, operation: 'DescribeAutoScalingGroups', idempotent: true, resource: 'web' };

  let n = 0;
  const ok = await drive(
    clock,
    call(spec, async () => {
      if (++n < 3) throw serverError();
      return 42;
    }),
  );
  assert.equal(ok.value, 42);
  assert.equal(ok.elapsedMs > 0, true);
  assert.deepEqual(events, [
    { service: 'autoscaling', operation: 'DescribeAutoScalingGroups', attempt: 1, outcome: 'retry', delayMs: 50, errorCode: 'InternalFailure' },
    { service: 'autoscaling', operation: 'DescribeAutoScalingGroups', attempt: 2, outcome: 'retry', delayMs: 100, errorCode: 'InternalFailure' },
    { service: 'autoscaling', operation: 'DescribeAutoScalingGroups', attempt: 3, outcome: 'ok' },
  ]);

  events.length = 0;
  const failed = await drive(
    clock,
    call(spec, async () => {
      throw throttle();
    }),
  );
  assert.ok(isAsgDeployError(failed.error, 'THROTTLED'));
  assert.match(failed.error.message, /^aws kept throttling autoscaling:DescribeAutoScalingGroups for web after 3 attempts/);
  assert.equal(failed.error.details?.attempts, 3);
  assert.deepEqual(
    events.map((e) => e.outcome),
    ['retry', 'retry', 'error'],
  );

  // not idempotent: a 5xx is not repeated
  let tries = 0;
  const once = await drive(
    clock,
    call({ ...spec, operation: 'TerminateInstanceInAutoScalingGroup', idempotent: false }, async () => {
      tries++;
      throw serverError();
    }),
  );
  assert.equal(tries, 1);
  assert.ok(isAsgDeployError(once.error, 'AWS_SERVER'));
  assert.doesNotMatch(once.error.message, /attempts/);
});
