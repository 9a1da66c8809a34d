import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, ScaledClock } from '../../src/clock/index.js';

test('ManualClock wakes sleepers in wake-time order only when advanced past them', async () => {
  const clock = new ManualClock(1000);
  const woke: string[] = [];
  const a = clock.sleep(300).then(() => woke.push('a'));
  const b = clock.sleep(100).then(() => woke.push('b'));
  clock.advance(50);
  await Promise.resolve();
  assert.deepEqual(woke, []);
  assert.equal(clock.pending, 2);
  clock.advance(300);
  await Promise.all([a, b]);
  assert.deepEqual(woke, ['b', 'a']);
  assert.equal(clock.now(), 1350);
});

test('ManualClock sleep rejects with the abort reason and forgets the sleeper', async () => {
  const clock = new ManualClock();
  const controller = new AbortController();
  const slept = clock.sleep(1000, controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(slept, /stop/);
  assert.equal(clock.pending, 0);
});

test('ManualClock refuses to go backwards', () => {
  assert.throws(() => new ManualClock().advance(-1), /forward/);
});

test('ScaledClock runs k times faster than real time', async () => {
  const clock = new ScaledClock(1000, 0);
  const realStart = Date.now();
  await clock.sleep(5000); // 5 simulated seconds ≈ 5 real ms
  const realElapsed = Date.now() - realStart;
  assert.ok(clock.now() >= 5000, `simulated time ${clock.now()} should have reached 5000`);
  assert.ok(realElapsed < 1000, `took ${realElapsed} real ms for 5 simulated s at 1000×`);
});

test('ScaledClock advance wakes a paused sleeper; speed 0 pauses', async () => {
  const clock = new ScaledClock(0, 10_000);
  let woke = false;
  const slept = clock.sleep(60_000).then(() => (woke = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(woke, false);
  assert.equal(clock.now(), 10_000);
  clock.advance(60_000);
  await slept;
  assert.equal(woke, true);
});

test('ScaledClock rejects a bad speed with the value in the message', () => {
  assert.throws(() => new ScaledClock(-2), /-2/);
  assert.throws(() => new ScaledClock(1).setSpeed(Number.NaN), /NaN/);
});
