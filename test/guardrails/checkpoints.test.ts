import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkpointReached,
  formatCheckpoints,
  isAsgDeployError,
  parseCheckpointPause,
  parseCheckpoints,
  replacementsBeforeCheckpoint,
} from '../../src/core/index.js';

test('parses checkpoints from the flag and from a config list', () => {
  assert.deepEqual(parseCheckpoints('10%,50%'), [10, 50]);
  assert.deepEqual(parseCheckpoints(' 20% , 33.3% ,90%'), [20, 33.3, 90]);
  assert.deepEqual(parseCheckpoints(['10%', '50%']), [10, 50]);
  assert.equal(formatCheckpoints([10, 50]), '10%,50%');
});

test('refuses what Instance Refresh refuses, naming the bad item', () => {
  const bad: [string, RegExp][] = [
    ['', /no checkpoint/],
    ['10', /"10" is not a percentage/],
    ['0%', /0% is not between/],
    ['100%', /100% is not between/],
    ['50%,10%', /10% does not come after 50%/],
    ['10%,10%', /10% does not come after 10%/],
    ['ten%', /"ten%" is not a percentage/],
  ];
  for (const [input, why] of bad) {
    assert.throws(
      () => parseCheckpoints(input),
      (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && why.test(e.message) && e.message.includes('--checkpoints') && /--bake-time/.test(e.hint ?? ''),
      input,
    );
  }
});

test('parses the pause: a duration or wait', () => {
  assert.deepEqual(parseCheckpointPause('wait'), { kind: 'wait' });
  assert.deepEqual(parseCheckpointPause('WAIT'), { kind: 'wait' });
  assert.deepEqual(parseCheckpointPause('10m'), { kind: 'for', ms: 600_000 });
  assert.throws(() => parseCheckpointPause('10'), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && /--checkpoint-pause/.test(e.message));
});

test('a checkpoint is reached when at least its share is on the new version (rounded up to whole instances)', () => {
  const cps = [10, 50];
  assert.equal(checkpointReached(cps, { onTarget: 0, total: 10 }, 0), undefined);
  assert.equal(checkpointReached(cps, { onTarget: 1, total: 10 }, 0), 10);
  assert.equal(checkpointReached(cps, { onTarget: 4, total: 10 }, 10), undefined);
  assert.equal(checkpointReached(cps, { onTarget: 5, total: 10 }, 10), 50);
  assert.equal(checkpointReached(cps, { onTarget: 10, total: 10 }, 50), undefined);
  // 10% of 3 is 0.3 instance: one instance reaches it.
  assert.equal(checkpointReached(cps, { onTarget: 1, total: 3 }, 0), 10);
  // 50% of 3 is 1.5: two instances.
  assert.equal(checkpointReached(cps, { onTarget: 1, total: 3 }, 10), undefined);
  assert.equal(checkpointReached(cps, { onTarget: 2, total: 3 }, 10), 50);
  // No fleet: nothing reached.
  assert.equal(checkpointReached(cps, { onTarget: 0, total: 0 }, 0), undefined);
});

test('one step across several checkpoints reaches only the highest (as Instance Refresh skips the lower)', () => {
  assert.equal(checkpointReached([10, 40], { onTarget: 1, total: 2 }, 0), 40);
  assert.equal(checkpointReached([10, 40, 60], { onTarget: 5, total: 10 }, 0), 40);
});

test('floating point: 30% of 10 is 3 instances, not 4', () => {
  assert.equal(checkpointReached([30], { onTarget: 3, total: 10 }, 0), 30);
  assert.equal(replacementsBeforeCheckpoint([30], { onTarget: 0, total: 10 }, 0), 3);
});

test('the engine may replace only up to the next checkpoint in one step', () => {
  assert.equal(replacementsBeforeCheckpoint([10, 50], { onTarget: 0, total: 20 }, 0), 2);
  assert.equal(replacementsBeforeCheckpoint([10, 50], { onTarget: 2, total: 20 }, 10), 8);
  assert.equal(replacementsBeforeCheckpoint([10, 50], { onTarget: 10, total: 20 }, 50), undefined);
  // At least one, so a small fleet still moves.
  assert.equal(replacementsBeforeCheckpoint([10], { onTarget: 0, total: 1 }, 0), 1);
  // Reached but not yet paused at (pauseAfter not called yet): the next one counts.
  assert.equal(replacementsBeforeCheckpoint([10, 50], { onTarget: 2, total: 20 }, 0), 8);
});

test('exhaustive: for every fleet size and checkpoint list, pacing by replacementsBeforeCheckpoint stops at each checkpoint within one instance of its share', () => {
  const lists = [[10], [10, 50], [25, 50, 75], [1, 99], [33.3, 66.6]];
  for (const cps of lists) {
    for (let total = 1; total <= 40; total++) {
      let onTarget = 0;
      let passed = 0;
      const stops: number[] = [];
      while (onTarget < total) {
        const limit = replacementsBeforeCheckpoint(cps, { onTarget, total }, passed) ?? total - onTarget;
        onTarget = Math.min(total, onTarget + limit);
        const reached = checkpointReached(cps, { onTarget, total }, passed);
        if (reached !== undefined) {
          // Never more than the checkpoint's share rounded up (or 1 instance for a tiny share).
          assert.ok(onTarget <= Math.max(1, Math.ceil((reached * total) / 100 - 1e-9)), `${cps} total ${total}: ${onTarget} at ${reached}%`);
          stops.push(reached);
          passed = reached;
        }
      }
      assert.deepEqual([...stops].sort((a, b) => a - b), stops, 'ascending');
      assert.ok(stops.length >= 1, `${cps} total ${total}: at least one stop`);
    }
  }
});
