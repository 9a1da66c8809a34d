import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll, resume, type DeployEvent } from '../../src/deploy/index.js';
import { waitFor, startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, groupShape, pinnedVersion, recordOnGroup, trace } from './checks.js';

/**
 * A rollback that finds more instances of the previous version than it needs,
 * some of them not yet serving: here the group replaced the failed new
 * instances itself after being pinned back (which happens whenever the engine
 * is slower than the group: a long poll, a loaded machine, or a deploy
 * interrupted and resumed during its rollback). Trimming that surplus must
 * not take a serving instance while a non-serving one is left (invariant 1).
 */
test('rollback resumed after the group replaced the failed instances with the previous version: the surplus is trimmed without dropping below the floor', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const bad = await fleet.image({ 'emulator:health': 'unhealthy' });
    const before = await groupShape(fleet);
    const fromVersion = (await pinnedVersion(fleet))!;
    // Instances launched from now on with the previous version's AMI boot
    // slowly (behaviour tags are copied at launch), so the replacements are
    // still Pending when the rollback is resumed, however loaded this machine is.
    await fleet.aws.ec2.createTags([fleet.baseImage], { 'emulator:boot-seconds': '240' });
    const controller = new AbortController();
    const { ctx, log } = fleet.context({ signal: controller.signal });
    ctx.emit = (e: DeployEvent) => {
      log.sink(e);
      // Ctrl-C right after the rollback pinned the group back to the previous version.
      if (e.code === 'group-pinned' && e.version === fromVersion) controller.abort(new Error('interrupted'));
    };
    const startedAt = fleet.clock.now();
    const first = await roll(ctx, { group: fleet.group, image: bad, maxSurge: { kind: 'count', count: 2 } });
    assert.equal(first.outcome, 'interrupted', `${JSON.stringify(first)}\n${trace(log.events)}`);
    assert.equal((await recordOnGroup(fleet)).phase, 'rolling-back');
    assert.equal(await pinnedVersion(fleet), fromVersion);

    // The group, pinned back, replaces the failed new instances with the previous version.
    const state = await waitFor(
      fleet.clock,
      async () => {
        const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
        const active = instances.filter((i) => i.lifecycleState === 'Pending' || i.lifecycleState === 'InService');
        const onPrevious = active.filter((i) => i.launchTemplate?.version === fromVersion);
        return active.length === onPrevious.length && onPrevious.length > 6 && { desired: group.desiredCapacity, active: active.length, pending: active.filter((i) => i.lifecycleState === 'Pending').length };
      },
      'the group to replace the failed instances with the previous version',
      600,
    );
    assert.ok(state.pending > 0, JSON.stringify(state));

    const { ctx: ctx2, log: log2 } = fleet.context({ owner: 'test:resume' });
    const result = await resume(ctx2, { group: fleet.group });
    const endedAt = fleet.clock.now();
    const why = `${JSON.stringify(state)}\n${JSON.stringify(result)}\nroll:\n${trace(log.events)}\nresume:\n${trace(log2.events)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    await assertAllOn(fleet, fromVersion, 6);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'rolled-back', result.deployId);
    assertFloorHeld(fleet, startedAt, 6, endedAt);
  } finally {
    await fleet.close();
  }
});
