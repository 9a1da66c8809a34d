/**
 * Guards of issue 8 that concern the fleet the deploy finds:
 * - "Instances held in Pending:Wait by a lifecycle hook are shown as such
 *   while the deploy waits": an `instances-held` event names them, and the
 *   CLI renders it as held by a lifecycle hook (not as a slow launch).
 * - "A fleet that is already degraded still deploys, without ever losing what
 *   serves": 2 of 6 instances out of their target group at the start; the
 *   deploy proceeds, never retires while serving is below min(floor, what
 *   served at the start), and ends with all 6 serving the new version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoScalingClient, PutLifecycleHookCommand } from '@aws-sdk/client-auto-scaling';
import { describeEvent } from '../../src/cli/render.js';
import { servingCount } from '../../src/core/index.js';
import { roll } from '../../src/deploy/index.js';
import { FLEET_CREDENTIALS, FLEET_REGION } from '../../src/testing/index.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { assertAllOn, assertReleased, trace } from './checks.js';
import { degradeFleet } from './guard-images.js';

function autoscalingClient(fleet: TestFleet): AutoScalingClient {
  return new AutoScalingClient({ endpoint: fleet.emu.endpoint, region: FLEET_REGION, credentials: FLEET_CREDENTIALS });
}

test('a lifecycle hook holds the new instances in Pending:Wait: the deploy says so (instances-held, rendered), then finishes', async () => {
  const fleet = await startFleet({ size: 2 });
  const asg = autoscalingClient(fleet);
  try {
    // Auto Scaling lifecycle hooks: a launching instance waits in Pending:Wait until the
    // heartbeat timeout (or CompleteLifecycleAction), then DefaultResult applies.
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
    await asg.send(new PutLifecycleHookCommand({ AutoScalingGroupName: fleet.group, LifecycleHookName: 'warm-cache', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', HeartbeatTimeout: 60, DefaultResult: 'CONTINUE' }));
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const result = await roll(ctx, { group: fleet.group, image });
    const why = `${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    const held = log.of('instances-held');
    assert.ok(held.length >= 1, `instances-held while the hook holds them\n${why}`);
    assert.equal(held[0]!.lifecycleState, 'Pending:Wait');
    const launched = new Set(log.of('instance-launched').map((e) => e.instanceId));
    assert.ok(held[0]!.instanceIds.length > 0 && held[0]!.instanceIds.every((id) => launched.has(id)), `the held ids are the new instances\n${why}`);
    const line = describeEvent(held[0]!);
    assert.match(line ?? '', /held in Pending:Wait by a lifecycle hook/, String(line));
    assert.ok(held[0]!.instanceIds.every((id) => (line ?? '').includes(id)), String(line));
    await assertAllOn(fleet, result.toVersion!, 2);
  } finally {
    asg.destroy();
    await fleet.close();
  }
});

test('degraded start (2 of 6 out of service in the target group): the deploy proceeds, never retires below what served at the start, ends all 6 serving', async () => {
  const fleet = await startFleet({ size: 4, maxSize: 10 });
  try {
    await degradeFleet(fleet, 4, 2);
    const before = await fleet.aws.snapshotFleet(fleet.group);
    assert.equal(servingCount(before), 4, 'the start is degraded: 4 of 6 serve');

    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image });
    const why = `${JSON.stringify(result)}\n${trace(log.events, 80)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.ok(log.of('warning').some((w) => /only 4 instance\(s\) of web serve now, below the floor of 6/.test(w.message)), why);
    // Every terminate happened while serving was at or above 4 (min(floor 6, 4 serving at the start)).
    const points = fleet.serving();
    const servingAt = (t: number) => {
      let s = 0;
      for (const p of points) if (p.t < t) s = p.serving;
      return s;
    };
    for (const call of fleet.history().filter((h) => h.type === 'call' && h.ok && h.action === 'TerminateInstanceInAutoScalingGroup' && h.t >= startedAt)) {
      assert.ok(servingAt(call.t) >= 4, `terminate at ${call.t} with ${servingAt(call.t)} serving\n${why}`);
    }
    assert.ok(Math.min(...points.filter((p) => p.t >= startedAt).map((p) => p.serving)) >= 4, `serving never fell below what served at the start\n${why}`);
    await assertAllOn(fleet, result.toVersion!, 6);
    assert.equal(servingCount(await fleet.aws.snapshotFleet(fleet.group)), 6, 'all 6 serve at the end');
    await assertReleased(fleet, 'done', result.deployId);
  } finally {
    await fleet.close();
  }
});
