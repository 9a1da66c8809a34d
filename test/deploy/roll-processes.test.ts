import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll } from '../../src/deploy/index.js';
import { groupFieldChanges, startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, groupShape, trace } from './checks.js';

test('processes the user suspended (AZRebalance, ScheduledActions) stay suspended; the one the deploy suspended (AlarmNotification) is resumed', async () => {
  const fleet = await startFleet({ size: 4 });
  try {
    await fleet.aws.autoscaling.suspendProcesses(fleet.group, ['AZRebalance', 'ScheduledActions']);
    const image = await fleet.image();
    const before = await groupShape(fleet);
    assert.deepEqual(before.suspended, ['AZRebalance', 'ScheduledActions']);
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image });
    const endedAt = fleet.clock.now();
    assert.equal(result.outcome, 'succeeded', `${JSON.stringify(result)}\n${trace(log.events)}`);

    assert.deepEqual(log.of('processes-suspended').map((e) => e.processes), [['AlarmNotification']]);
    assert.deepEqual(log.of('processes-resumed').map((e) => e.processes), [['AlarmNotification']]);
    const after = await groupShape(fleet);
    assert.deepEqual(after.suspended, ['AZRebalance', 'ScheduledActions'], 'the user\'s suspensions are untouched, AlarmNotification resumed');
    assert.deepEqual(after, before);

    // History: AlarmNotification was suspended before the group was pinned to
    // the new version, and the user's two were never resumed, not even briefly.
    const history = fleet.history();
    const suspended = groupFieldChanges(history, fleet.group, 'SuspendedProcesses', startedAt);
    const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
    assert.ok(suspended.length >= 2, JSON.stringify(suspended));
    for (const change of suspended) {
      const to = asList(change.to);
      assert.ok(to.includes('AZRebalance') && to.includes('ScheduledActions'), `the user's processes stay suspended throughout: ${JSON.stringify(change)}`);
    }
    assert.ok(asList(suspended[0]!.to).includes('AlarmNotification'), JSON.stringify(suspended));
    const pinned = groupFieldChanges(history, fleet.group, 'LaunchTemplate', startedAt)[0];
    assert.ok(pinned && suspended[0]!.t <= pinned.t, 'suspended before pinning');
    assert.ok(!asList(suspended.at(-1)!.to).includes('AlarmNotification'));

    await assertAllOn(fleet, result.toVersion!, 4);
    await assertReleased(fleet, 'done', result.deployId);
    assertFloorHeld(fleet, startedAt, 4, endedAt);
  } finally {
    await fleet.close();
  }
});
