/**
 * Guards "Ready means stays ready" and "No false success" (issue 8): an image
 * that crashes 60 s after it first turns healthy must not be reported a
 * success. Instances that fail after they were counted ready are failed
 * launches; past --max-failed-launches the deploy rolls back. While the
 * deploy moves forward, no old instance is retired while what serves (the
 * emulator's record) is below the floor. On the old code `roll` exited
 * "succeeded" with most of the fleet down.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertReleased, trace } from './checks.js';
import { behaviourImage } from './guard-images.js';

test('crash-after:60 image: never "succeeded"; failures after ready are counted; rolled back; no retirement below the floor while rolling forward', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await behaviourImage(fleet, { 'emulator:health': 'crash-after:60' });
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image });
    const why = `${JSON.stringify(result)}\n${trace(log.events, 120)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    const afterReady = log.of('instance-failed').filter((e) => /after it was counted ready/.test(e.reason));
    assert.ok(afterReady.length >= 1, `an instance failing after it was ready counts as a failed launch\n${why}`);
    await assertReleased(fleet, 'rolled-back', result.deployId);

    // Forward phase: every terminate call happened while serving was at or above the floor.
    const rollbackAt = log.of('rollback-started')[0]?.t ?? Infinity;
    const serving = fleet.serving();
    const servingAt = (t: number) => {
      let s = 0;
      for (const p of serving) if (p.t < t) s = p.serving;
      return s;
    };
    const terminates = fleet.history().filter((h) => h.type === 'call' && h.ok && h.action === 'TerminateInstanceInAutoScalingGroup' && h.t >= startedAt && h.t < rollbackAt);
    for (const call of terminates) assert.ok(servingAt(call.t) >= 6, `terminate at ${call.t} with ${servingAt(call.t)} serving (floor 6)\n${why}`);
  } finally {
    await fleet.close();
  }
});
