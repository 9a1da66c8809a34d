import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll } from '../../src/deploy/index.js';
import { groupFieldChanges, startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, assertSurgeCapHeld, groupShape, trace } from './checks.js';

test('roll a group at its max (min = max = desired = 4): MaxSize raised for the surge during the deploy and restored at the end', async () => {
  const fleet = await startFleet({ size: 4, minSize: 4, maxSize: 4 });
  try {
    const image = await fleet.image();
    const before = await groupShape(fleet);
    assert.deepEqual([before.min, before.max, before.desired], [4, 4, 4]);
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } });
    const endedAt = fleet.clock.now();
    assert.equal(result.outcome, 'succeeded', `${JSON.stringify(result)}\n${trace(log.events)}`);

    // The event says so…
    const raised = log.of('max-size-raised');
    assert.equal(raised.length, 1, trace(log.events));
    assert.deepEqual({ from: raised[0]!.from, to: raised[0]!.to }, { from: 4, to: 6 });
    assert.equal(log.of('plan')[0]?.maxSizeNeeded, 6);
    // …and the emulator's history proves it: MaxSize went 4 → 6 before any
    // instance of the new version launched, and back 6 → 4 at the end.
    const changes = groupFieldChanges(fleet.history(), fleet.group, 'MaxSize', startedAt);
    assert.deepEqual(
      changes.map((c) => [c.from, c.to]),
      [
        [4, 6],
        [6, 4],
      ],
    );
    const desiredPeak = Math.max(...groupFieldChanges(fleet.history(), fleet.group, 'DesiredCapacity', startedAt).map((c) => Number(c.to)));
    assert.ok(desiredPeak > 4 && desiredPeak <= 6, `desired peaked at ${desiredPeak}`);
    const firstDesiredUp = groupFieldChanges(fleet.history(), fleet.group, 'DesiredCapacity', startedAt).find((c) => Number(c.to) > 4)!;
    assert.ok(changes[0]!.t <= firstDesiredUp.t, 'MaxSize is raised before desired goes above the old max');
    assert.ok(changes[1]!.t >= Math.max(...groupFieldChanges(fleet.history(), fleet.group, 'DesiredCapacity', startedAt).map((c) => c.t)), 'MaxSize restored after the last desired change');

    await assertAllOn(fleet, result.toVersion!, 4);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'done', result.deployId);
    assertFloorHeld(fleet, startedAt, 4, endedAt);
    assertSurgeCapHeld(fleet, startedAt, 6, endedAt);
  } finally {
    await fleet.close();
  }
});
