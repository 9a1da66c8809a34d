import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { resume } from '../../src/deploy/index.js';
import { assertRefusedWithoutForce, assertSettled, deployAndKill, KILL_POINTS, killChildren } from './crash.js';
import { trace } from './checks.js';

after(killChildren);

for (const point of KILL_POINTS) {
  test(`roll SIGKILLed ${point.name}: resume --force completes it, floor held throughout`, async () => {
    const k = await deployAndKill(point);
    try {
      await assertRefusedWithoutForce(k, 'resume');
      const { ctx, log } = k.fleet.context({ owner: 'test:resume' });
      const result = await resume(ctx, { group: k.fleet.group, force: true });
      const endedAt = k.fleet.clock.now();
      const why = `${JSON.stringify(result)}\nchild:\n${trace(k.events as never)}\nresume:\n${trace(log.events)}`;
      assert.equal(result.deployId, k.events.find((e) => e.code === 'locked')?.deployId, why);
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
