/** The one estimator (src/core/eta.ts): the arithmetic the plan and every progress event share, and an ETA that only goes down unless it says why. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointsAhead, EtaTracker, estimateDeploy, foreseenEveningWaves, waveMs, wavesLeft, wavesWithCheckpoints, type EstimateTiming } from '../../src/core/eta.js';

/** The race timings: boot 30 s, ready 20 s, 2 × 5 s checks, drain 10 s, polls every 5 s. */
const race: EstimateTiming = { bootMs: 30_000, readyMs: 20_000, healthCheckMs: 10_000, warmupMs: 0, drainMs: 10_000, pollMs: 5_000 };

test('waves left round up, and nothing left means no wave', () => {
  assert.equal(wavesLeft(6, 2), 3);
  assert.equal(wavesLeft(5, 2), 3);
  assert.equal(wavesLeft(0, 2), 0);
  assert.equal(wavesLeft(3, 0), 3, 'a wave replaces at least one');
});

test('one wave: boot + ready + checks + the stability window (the longer of warmup and checks)', () => {
  assert.equal(waveMs(race), 30_000 + 20_000 + 10_000 + 10_000);
  assert.equal(waveMs({ ...race, warmupMs: 60_000 }), 30_000 + 20_000 + 10_000 + 60_000);
  assert.equal(waveMs({ ...race, overheadMs: 1_000 }), 71_000);
});

test('the plan of the race: lock, three waves, one poll, one drain', () => {
  const plan = estimateDeploy({ replace: 6, total: 6, perWave: 2, timing: race, beforeLock: true });
  assert.deepEqual(plan, { ms: 1_000 + 3 * 70_000 + 5_000 + 10_000, waves: 3, pauses: 0 });
});

test('time left: the running wave less what it spent (never below nothing), the waves after it, the end', () => {
  const left = (inWaveMs: number) => estimateDeploy({ replace: 6, total: 6, perWave: 2, timing: race, waveRunning: true, inWaveMs }).ms;
  assert.equal(left(0), 3 * 70_000 + 15_000);
  assert.equal(left(30_000), 3 * 70_000 - 30_000 + 15_000);
  assert.equal(estimateDeploy({ replace: 2, total: 6, perWave: 2, timing: race, waveRunning: true, inWaveMs: 500_000 }).ms, 15_000);
  assert.equal(estimateDeploy({ replace: 0, total: 6, perWave: 2, timing: race }).ms, 15_000, 'after the waves: a poll and the drain');
  assert.equal(estimateDeploy({ replace: 0, total: 6, perWave: 2, timing: { ...race, pollMs: undefined } }).ms, 15_000, 'the default poll is 5 s');
  assert.equal(estimateDeploy({ replace: 0, total: 6, perWave: 2, timing: race, waveRunning: true }).waves, 1, 'an evening wave with no old instance left');
  assert.equal(estimateDeploy({ replace: 4, total: 6, perWave: 2, timing: race, learntWaveMs: 70_000 }).ms, 2 * 70_000 + 15_000, 'a wave seen replaces the assumption');
});

test('checkpoints split waves and add their pauses; one passed is no longer ahead', () => {
  assert.deepEqual(checkpointsAhead({ checkpoints: [10, 50], pause: { kind: 'for', ms: 1 } }, 20), [2, 10]);
  assert.deepEqual(checkpointsAhead({ checkpoints: [10, 50], pause: { kind: 'for', ms: 1 }, passed: 10 }, 20), [10]);
  assert.deepEqual(checkpointsAhead({ checkpoints: [10, 50] }, 20), [], 'no pause, no checkpoint');
  assert.equal(wavesWithCheckpoints(6, 6, 2, [3]), 4, '2 + 1 | 2 + 1');
  assert.equal(wavesWithCheckpoints(20, 20, 5, [2, 10]), 5, '2 | 5 + 3 | 5 + 5');
  assert.equal(wavesWithCheckpoints(3, 6, 2, [3]), 2, 'half done: the checkpoint at 3 is behind');
  const paused = estimateDeploy({ replace: 6, total: 6, perWave: 2, timing: race, schedule: { checkpoints: [50], pause: { kind: 'for', ms: 60_000 } } });
  assert.deepEqual(paused, { ms: 4 * 70_000 + (5_000 + 60_000) + 15_000, waves: 4, pauses: 1 });
});

test('a wait pause ahead: the time left is unknown, and why; past it, a number again', () => {
  const schedule = { checkpoints: [50], pause: { kind: 'wait' as const } };
  const ahead = estimateDeploy({ replace: 6, total: 6, perWave: 2, timing: race, schedule });
  assert.equal(ahead.unknownBecause, 'a checkpoint pause ahead waits for `asg-deploy continue`');
  const past = estimateDeploy({ replace: 3, total: 6, perWave: 2, timing: race, schedule: { ...schedule, passed: 50 } });
  assert.equal(past.unknownBecause, undefined);
  assert.equal(past.ms, 2 * 70_000 + 15_000);
});

test('the bake time: the drain runs during it', () => {
  assert.equal(estimateDeploy({ replace: 2, total: 2, perWave: 2, timing: race, schedule: { bakeMs: 60_000 } }).ms, 70_000 + 5_000 + 60_000);
  assert.equal(estimateDeploy({ replace: 2, total: 2, perWave: 2, timing: { ...race, drainMs: 300_000 }, schedule: { bakeMs: 60_000 } }).ms, 70_000 + 5_000 + 300_000);
});

test('AZ evening: what the old instances cannot move out of a full AZ takes extra waves', () => {
  const zones = (...z: [number, number][]) => new Map(z.map(([all, old], i) => [`az-${i}`, { all, old }]));
  assert.equal(foreseenEveningWaves(zones([2, 2], [2, 2], [2, 2]), 2), 0, 'balanced');
  assert.equal(foreseenEveningWaves(zones([3, 3], [2, 2], [1, 1]), 2), 0, 'uneven, but replacing the full AZ\'s old instances moves them');
  assert.equal(foreseenEveningWaves(zones([4, 0], [1, 1], [1, 1]), 2), 1, 'two to move and no old one there: one wave of 2');
  assert.equal(foreseenEveningWaves(zones([4, 0], [1, 1], [1, 1]), 1), 2);
  assert.equal(foreseenEveningWaves(new Map(), 2), 0);
});

test('the tracker counts down with the clock and ignores a raw estimate that jumps up', () => {
  const eta = new EtaTracker();
  assert.deepEqual(eta.next(0, 400_000), { etaSeconds: 400 });
  assert.deepEqual(eta.next(10_000, 741_000), { etaSeconds: 390 }, 'no jump without a reason');
  assert.deepEqual(eta.next(20_000, 307_000), { etaSeconds: 307 }, 'a lower estimate is taken');
  assert.deepEqual(eta.next(30_000, 443_000), { etaSeconds: 297 });
});

test('a setback may raise it, and says why; so may running out of estimate while work remains', () => {
  const eta = new EtaTracker();
  eta.next(0, 100_000);
  assert.deepEqual(eta.next(10_000, 160_000, '1 launch(es) failed'), { etaSeconds: 160, etaReason: '1 launch(es) failed' });
  assert.deepEqual(eta.next(170_000, 50_000), { etaSeconds: 50, etaReason: 'slower than estimated' }, 'the countdown ran out with work left');
  const again = new EtaTracker();
  again.next(0, 10_000);
  assert.deepEqual(again.next(20_000, 30_000), { etaSeconds: 30, etaReason: 'slower than estimated' });
});

test('unknown: no number, the reason, and the next number starts afresh (not a rise)', () => {
  const eta = new EtaTracker();
  eta.next(0, 100_000);
  assert.deepEqual(eta.unknown('paused until continue'), { etaReason: 'paused until continue' });
  assert.deepEqual(eta.next(500_000, 90_000), { etaSeconds: 90 });
});

test('a sequence without setbacks never rises', () => {
  const eta = new EtaTracker();
  const raw = [400, 741, 307, 443, 227, 296, 180, 260, 90, 120, 30, 0];
  let last = Infinity;
  raw.forEach((s, i) => {
    const r = eta.next(i * 15_000, s * 1000);
    assert.ok(r.etaSeconds !== undefined);
    if (r.etaReason === undefined) assert.ok(r.etaSeconds <= last, `step ${i}: ${r.etaSeconds} after ${last}`);
    last = r.etaSeconds;
  });
});
