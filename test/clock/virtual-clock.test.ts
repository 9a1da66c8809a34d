import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { VirtualClock } from '../../src/clock/index.js';

test('VirtualClock: a sleep resolves at once with time moved by exactly its length', async () => {
  const clock = new VirtualClock(1_000);
  const started = Date.now();
  await clock.sleep(3_600_000);
  assert.equal(clock.now(), 1_000 + 3_600_000);
  assert.ok(Date.now() - started < 1_000, 'an hour of simulated time takes no real hour');
});

test('VirtualClock: sleepers wake in order of their wake-up, each at its own instant', async () => {
  const clock = new VirtualClock(0);
  const woke: [string, number][] = [];
  await Promise.all([
    clock.sleep(300).then(() => woke.push(['c', clock.now()])),
    clock.sleep(100).then(() => woke.push(['a', clock.now()])),
    clock.sleep(200).then(() => woke.push(['b', clock.now()])),
  ]);
  assert.deepEqual(woke, [['a', 100], ['b', 200], ['c', 300]]);
});

test('VirtualClock: time stands still while held (an AWS call in flight), then moves on', async () => {
  const clock = new VirtualClock(0);
  const release = clock.hold();
  let woke = false;
  const sleeping = clock.sleep(5_000).then(() => (woke = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(woke, false, 'no jump while held');
  assert.equal(clock.now(), 0);
  release();
  await sleeping;
  assert.equal(clock.now(), 5_000);
});

test('VirtualClock: an aborted sleep rejects and does not move time', async () => {
  const clock = new VirtualClock(0);
  const controller = new AbortController();
  const release = clock.hold();
  const sleeping = clock.sleep(10_000, controller.signal);
  controller.abort(new Error('stop'));
  await assert.rejects(sleeping, /stop/);
  release();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(clock.now(), 0);
});

test('VirtualClock: a woken sleep removes its abort listener (one signal, many polls)', async () => {
  const clock = new VirtualClock(0);
  const controller = new AbortController();
  for (let i = 0; i < 50; i++) await clock.sleep(5_000, controller.signal);
  assert.equal(clock.now(), 250_000);
  assert.equal(EventEmitter.getEventListeners(controller.signal, 'abort').length, 0, 'no listener left behind by sleeps that woke');
});
