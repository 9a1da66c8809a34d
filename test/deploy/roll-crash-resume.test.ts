import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { resume } from '../../src/deploy/index.js';
import { assertRefusedWithoutForce, assertSettled, deployAndKill, KILL_POINTS, killChildren } from './crash.js';
import { trace } from './checks.js';

after(killChildren);

for (const point of KILL_POINTS) {
  test(`roll SIGKILLed ${point.name}: refused from another machine (names --force); resume on this machine without --force completes it, floor held throughout`, async () => {
    const k = await deployAndKill(point);
    try {
      await assertRefusedWithoutForce(k, 'resume');
      const { ctx, log } = k.fleet.context({ owner: 'test:resume' });
      // Same machine, holder dead: no --force needed (issue 8).
      const result = await resume(ctx, { group: k.fleet.group });
      const endedAt = k.fleet.clock.now();
      const why = `${JSON.stringify(result)}\nchild:\n${trace(k.events as never)}\nresume:\n${trace(log.events)}`;
      assert.equal(result.deployId, k.events.find((e) => e.code === 'locked')?.deployId, why);
      assert.ok(log.of('warning').some((w) => /no longer runs on this machine/.test(w.message)), `the take-over of a dead process's lock is announced\n${why}`);
      if (point.badImage) {
        // A rollback in progress is finished as a rollback.
        assert.equal(result.outcome, 'rolled-back', why);
        await assertSettled(k, result, endedAt, k.fromVersion, 'rolled-back', why);
      } else {
        assert.equal(result.outcome, 'succeeded', why);
        assert.notEqual(result.toVersion, k.fromVersion);
        await assertSettled(k, result, endedAt, result.toVersion!, 'done', why);
      }
    } finally {
      killChildren();
      await k.fleet.close();
    }
  });
}
