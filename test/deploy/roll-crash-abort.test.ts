import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { abort } from '../../src/deploy/index.js';
import { assertRefusedWithoutForce, assertSettled, deployAndKill, KILL_POINTS, killChildren } from './crash.js';
import { trace } from './checks.js';

after(killChildren);

for (const point of KILL_POINTS) {
  test(`roll SIGKILLed ${point.name}: refused from another machine (names --force); abort on this machine without --force restores the previous version, floor held throughout`, async () => {
    const k = await deployAndKill(point);
    try {
      await assertRefusedWithoutForce(k, 'abort');
      const { ctx, log } = k.fleet.context({ owner: 'test:abort' });
      // Same machine, holder dead: no --force needed (issue 8).
      const result = await abort(ctx, { group: k.fleet.group });
      const endedAt = k.fleet.clock.now();
      const why = `${JSON.stringify(result)}\nchild:\n${trace(k.events as never)}\nabort:\n${trace(log.events)}`;
      assert.equal(result.outcome, 'aborted', why);
      assert.equal(result.deployId, k.events.find((e) => e.code === 'locked')?.deployId, why);
      assert.equal(log.of('group-pinned').at(-1)?.version, k.fromVersion, why);
      await assertSettled(k, result, endedAt, k.fromVersion, 'aborted', why);
    } finally {
      killChildren();
      await k.fleet.close();
    }
  });
}
