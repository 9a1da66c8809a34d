/**
 * Guard "No false success" with a flaky image (issue 8): `emulator:health =
 * flaky:0.3` fails 30 % of its health checks at random. Over a few seeds the
 * deploy either completes with every instance serving the new version, or
 * rolls back — never exit 0 with part of the fleet not serving — and no old
 * instance is retired while what serves is below the floor. On the old code
 * `roll` sometimes exited 0 with half the fleet serving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servingCount } from '../../src/core/index.js';
import { roll } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertReleased, trace } from './checks.js';
import { behaviourImage } from './guard-images.js';

const SIZE = 6;

for (const seed of [3, 17, 42]) {
  test(`flaky:0.3 image, seed ${seed}: succeeded only with all ${SIZE} serving on the new version, else rolled back; no retirement below the floor`, async (t) => {
    const fleet = await startFleet({ size: SIZE, seed });
    try {
      const image = await behaviourImage(fleet, { 'emulator:health': 'flaky:0.3' });
      const { ctx, log } = fleet.context();
      const startedAt = fleet.clock.now();
      const result = await roll(ctx, { group: fleet.group, image });
      const why = `${JSON.stringify(result)}\n${trace(log.events, 100)}`;
      assert.ok(['succeeded', 'rolled-back'].includes(result.outcome), why);
      const end = await fleet.aws.snapshotFleet(fleet.group);
      t.diagnostic(`seed ${seed}: ${result.outcome}`);
      if (result.outcome === 'succeeded') {
        // The deploy's own judgement at its end: every instance on the target version and serving.
        const doneAt = log.of('done')[0]!.t;
        const servingAtDone = fleet.serving().filter((p) => p.t <= doneAt).at(-1)!.serving;
        assert.equal(servingAtDone, SIZE, `success with ${servingAtDone} of ${SIZE} serving\n${why}`);
        assert.ok(end.instances.every((i) => i.launchTemplate?.version === result.toVersion), why);
      } else {
        assert.ok(end.instances.filter((i) => i.lifecycleState === 'InService').every((i) => i.launchTemplate?.version === result.fromVersion), `rolled back onto ${result.fromVersion}\n${why}`);
        assert.equal(servingCount(end), SIZE, `the old fleet serves again\n${why}`);
      }
      assert.ok((result.lowestServing ?? 0) <= SIZE, why);
      // While moving forward, no terminate call happened with serving below the floor.
      const rollbackAt = log.of('rollback-started')[0]?.t ?? Infinity;
      const points = fleet.serving();
      const servingAt = (t: number) => {
        let s = 0;
        for (const p of points) if (p.t < t) s = p.serving;
        return s;
      };
      for (const call of fleet.history().filter((h) => h.type === 'call' && h.ok && h.action === 'TerminateInstanceInAutoScalingGroup' && h.t >= startedAt && h.t < rollbackAt)) {
        assert.ok(servingAt(call.t) >= SIZE, `terminate at ${call.t} with ${servingAt(call.t)} serving (floor ${SIZE})\n${why}`);
      }
      await assertReleased(fleet, result.outcome === 'succeeded' ? 'done' : 'rolled-back', result.deployId);
    } finally {
      await fleet.close();
    }
  });
}
