import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AutoScalingApi } from '../../src/aws/index.js';
import { roll } from '../../src/deploy/index.js';
import { startFleet, waitFor } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, groupShape, trace } from './checks.js';

/**
 * The group can remove an instance between the engine's snapshot and its
 * TerminateInstanceInAutoScalingGroup (it replaced an unhealthy one; a slow
 * network or a loaded machine widens the window), and a retried call can land
 * after its first attempt already took the instance away. AWS then answers
 * ValidationError "Instance Id not found - No managed instance found". The
 * instance is gone, which is what the engine wanted: the deploy must carry on.
 *
 * The window is made certain here by giving the engine an Auto Scaling client
 * whose first terminate is delivered twice (a lost response, retried after the
 * instance is gone); the emulator answers both for real.
 */
test('a terminate that finds the instance already gone (removed after the snapshot, or a retried call) does not stop the deploy', async () => {
  const fleet = await startFleet({ size: 4 });
  try {
    const image = await fleet.image();
    const before = await groupShape(fleet);
    const real = fleet.aws.autoscaling;
    let raced: string | undefined;
    const autoscaling: AutoScalingApi = {
      ...real,
      async terminateInstance(instanceId, decrement) {
        if (raced === undefined) {
          raced = instanceId;
          await real.terminateInstance(instanceId, decrement);
          await waitFor(fleet.clock, async () => !(await real.describeGroup(fleet.group)).instances.some((i) => i.id === instanceId), `${instanceId} to leave the group`, 600);
        }
        return real.terminateInstance(instanceId, decrement);
      },
    };
    const { ctx, log } = fleet.context({ aws: { ...fleet.aws, autoscaling } });
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image }).catch((e: unknown) => {
      assert.fail(`the deploy threw ${String(e)}\n${trace(log.events)}`);
    });
    const endedAt = fleet.clock.now();
    const why = `raced ${raced}\n${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.ok(raced, why);
    assert.ok(
      fleet.history().some((h) => h.type === 'call' && h.action === 'TerminateInstanceInAutoScalingGroup' && !h.ok && h.t >= startedAt),
      'the emulator did answer one terminate with an error',
    );
    assert.equal(result.outcome, 'succeeded', why);
    await assertAllOn(fleet, result.toVersion!, 4);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'done', result.deployId);
    assertFloorHeld(fleet, startedAt, 4, endedAt);
  } finally {
    await fleet.close();
  }
});
