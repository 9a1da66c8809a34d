/**
 * Guard "Honour other people's scale-outs" (issue 8): an operator raises
 * desired by 2 mid-deploy. The deploy keeps it: it ends with 8 instances, all
 * on the target version, and restore leaves desired at 8. On the old code the
 * deploy retired instances with the decrement and ended at 6.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll, type DeployEvent } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertReleased, trace } from './checks.js';

test('an operator raises desired by 2 mid-deploy: the deploy ends at 8, every instance on the target version, desired kept', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    let scaling: Promise<void> | undefined;
    ctx.emit = (e: DeployEvent) => {
      log.sink(e);
      if (e.code === 'instance-ready' && !scaling) {
        scaling = (async () => {
          const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
          await fleet.aws.autoscaling.setDesiredCapacity(fleet.group, group.desiredCapacity + 2);
        })();
      }
    };
    const result = await roll(ctx, { group: fleet.group, image });
    await scaling;
    const why = `${JSON.stringify(result)}\n${trace(log.events, 100)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.ok(log.of('warning').some((w) => /changed outside the deploy/.test(w.message)), why);
    await assertAllOn(fleet, result.toVersion!, 8);
    const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(group.desiredCapacity, 8, why);
    assert.equal(group.minSize, 6);
    await assertReleased(fleet, 'done', result.deployId);
  } finally {
    await fleet.close();
  }
});
