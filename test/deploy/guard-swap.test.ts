/**
 * Swap under the engine's guards (issue 8): "ready means stays ready" (an
 * attached instance counts only after it has served for the stability window,
 * HealthyThresholdCount × HealthCheckIntervalSeconds, at least the warmup),
 * "never retire below the floor" (judged on a fresh snapshot before each
 * terminate) and "no false success". On the old code a prepared instance
 * counted at its first healthy check, the old instances were terminated right
 * away, and a swap whose prepared instances then crashed exited "succeeded".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servingCount } from '../../src/core/index.js';
import { readLock, readRecord, swap } from '../../src/deploy/index.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { prepareInstances } from '../helpers/pair.js';
import { trace } from './checks.js';
import { behaviourImage, degradeFleet } from './guard-images.js';

const TERMINATE = 'TerminateInstanceInAutoScalingGroup';

/** Serving (the emulator's record) just before `t`. */
function servingAt(fleet: TestFleet, t: number): number {
  let s = 0;
  for (const p of fleet.serving()) if (p.t < t) s = p.serving;
  return s;
}

test('swap of prepared instances that crash 5 s after turning healthy (inside the stability window): rolled back, no old instance retired, lock released', async () => {
  const fleet = await startFleet({ size: 4, maxSize: 4 });
  try {
    const image = await behaviourImage(fleet, { 'emulator:health': 'crash-after:5' });
    const { ids } = await prepareInstances(fleet, 4, { image });
    const old = (await fleet.aws.autoscaling.describeGroup(fleet.group)).instances.map((i) => i.id);
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await swap(ctx, { group: fleet.group, instances: ids });
    const why = `${JSON.stringify(result)}\n${trace(log.events, 80)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    const terminates = fleet.history().filter((h) => h.type === 'call' && h.action === TERMINATE && h.t >= startedAt);
    assert.equal(terminates.length, 0, `no old instance is terminated\n${why}`);
    const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.deepEqual(instances.map((i) => i.id).sort(), [...old].sort(), `the old instances are the group again\n${why}`);
    assert.equal(readLock(group), undefined);
    assert.ok(servingAt(fleet, fleet.clock.now() + 1) >= 4, 'the old fleet serves');
  } finally {
    await fleet.close();
  }
});

test('swap of prepared instances that crash 20 s after turning healthy (after the stability window, while the old ones drain): never "succeeded", no old instance retired while serving is below the floor', async () => {
  const fleet = await startFleet({ size: 4, maxSize: 4 });
  try {
    const image = await behaviourImage(fleet, { 'emulator:health': 'crash-after:20' });
    const { ids } = await prepareInstances(fleet, 4, { image });
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await swap(ctx, { group: fleet.group, instances: ids });
    const why = `${JSON.stringify(result)}\n${trace(log.events, 80)}`;
    assert.ok(['rolled-back', 'failed'].includes(result.outcome), `never a success with the prepared instances down\n${why}`);
    assert.match(result.reason ?? '', /stopped serving after (it was|they were) counted ready|failed before becoming ready/, why);
    for (const call of fleet.history().filter((h) => h.type === 'call' && h.ok && h.action === TERMINATE && h.t >= startedAt)) {
      assert.ok(servingAt(fleet, call.t) >= 4, `terminate at ${call.t} with ${servingAt(fleet, call.t)} serving (floor 4)\n${why}`);
    }
    const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(readLock(group), undefined, 'the lock is released');
    if (result.outcome === 'failed') assert.equal(readRecord(group)?.phase, 'failed', 'a failed swap leaves its record for resume/abort');
  } finally {
    await fleet.close();
  }
});

test('swap into a degraded group (4 of 6 serving): proceeds, never retires below what served at the start, ends with the 6 prepared instances serving', async () => {
  const fleet = await startFleet({ size: 4, maxSize: 12 });
  try {
    await degradeFleet(fleet, 4, 2);
    assert.equal(servingCount(await fleet.aws.snapshotFleet(fleet.group)), 4, 'the start is degraded');
    const image = await fleet.image();
    const { ids } = await prepareInstances(fleet, 6, { image });
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await swap(ctx, { group: fleet.group, instances: ids });
    const why = `${JSON.stringify(result)}\n${trace(log.events, 80)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.ok(log.of('warning').some((w) => /only 4 instance\(s\) of web serve now, below the floor of 6/.test(w.message)), why);
    for (const call of fleet.history().filter((h) => h.type === 'call' && h.ok && h.action === TERMINATE && h.t >= startedAt)) {
      assert.ok(servingAt(fleet, call.t) >= 4, `terminate at ${call.t} with ${servingAt(fleet, call.t)} serving (what served at the start: 4)\n${why}`);
    }
    const end = await fleet.aws.snapshotFleet(fleet.group);
    assert.deepEqual(end.instances.map((i) => i.id).sort(), [...ids].sort(), why);
    assert.equal(servingCount(end), 6, `all 6 serve\n${why}`);
  } finally {
    await fleet.close();
  }
});
