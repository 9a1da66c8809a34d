/** The one ETA estimator (src/core/eta.ts): the arithmetic, and an ETA that only goes down unless it says why. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EtaTracker, plannedMs, remainingMs, wavesLeft } from '../../src/core/eta.js';

test('waves left round up, and nothing left means no wave', () => {
  assert.equal(wavesLeft(6, 2), 3);
  assert.equal(wavesLeft(5, 2), 3);
  assert.equal(wavesLeft(0, 2), 0);
  assert.equal(wavesLeft(3, 0), 3, 'a wave replaces at least one');
});

test('time left: waves still to run less the current wave spent, plus one drain; never negative', () => {
  assert.equal(remainingMs({ left: 6, perWave: 2, waveMs: 70_000, drainMs: 10_000, inWaveMs: 0 }), 220_000);
  assert.equal(remainingMs({ left: 6, perWave: 2, waveMs: 70_000, drainMs: 10_000, inWaveMs: 30_000 }), 190_000);
  assert.equal(remainingMs({ left: 2, perWave: 2, waveMs: 70_000, drainMs: 10_000, inWaveMs: 500_000 }), 10_000);
  assert.equal(remainingMs({ left: 0, perWave: 2, waveMs: 70_000, drainMs: 10_000, inWaveMs: 0 }), 0);
  assert.equal(plannedMs(20, 5, 60_000, 0), 240_000);
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

test('a sequence without setbacks never rises', () => {
  const eta = new EtaTracker();
  const raw = [400, 741, 307, 443, 227, 296, 180, 260, 90, 120, 30, 0];
  let last = Infinity;
  raw.forEach((s, i) => {
    const r = eta.next(i * 15_000, s * 1000);
    if (r.etaReason === undefined) assert.ok(r.etaSeconds <= last, `step ${i}: ${r.etaSeconds} after ${last}`);
    last = r.etaSeconds;
  });
});
