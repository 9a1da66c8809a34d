import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AsgDeployError } from '../../src/core/index.js';
import { abort, roll } from '../../src/deploy/index.js';
import { mutatingCallsBetween, startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertResumedAtFloor, assertReleased, assertSurgeCapHeld, groupShape, pinnedVersion, recordOnGroup, trace } from './checks.js';

test('a bad image (never healthy) is rolled back automatically: floor held, group pinned back, sizes and processes restored', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const bad = await fleet.image({ 'emulator:health': 'unhealthy' });
    const before = await groupShape(fleet);
    const fromVersion = (await pinnedVersion(fleet))!;
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image: bad });
    const endedAt = fleet.clock.now();
    const why = `${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    assert.equal(log.of('rollback-started').length, 1, why);
    assert.equal(log.of('rollback-started')[0]!.toVersion, fromVersion);
    assert.ok(log.of('instance-failed').length > 3, `more than --max-failed-launches (3) new instances failed: ${why}`);
    assert.equal(log.of('done')[0]?.outcome, 'rolled-back');
    // Going forward, no old (good) instance was retired for a new one that never became ready.
    const rollbackAt = log.events.indexOf(log.of('rollback-started')[0]!);
    const retiredForward = log.events.slice(0, rollbackAt).filter((e) => e.code === 'instance-retiring' && e.version === fromVersion);
    assert.deepEqual(retiredForward, [], why);

    assert.equal(await pinnedVersion(fleet), fromVersion, 'the group launches the previous version again');
    await assertAllOn(fleet, fromVersion, 6);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'rolled-back', result.deployId);
    assertFloorHeld(fleet, startedAt, 6, endedAt);
    assertResumedAtFloor(fleet, startedAt, 6, endedAt);
    assertSurgeCapHeld(fleet, startedAt, 6 + 2, endedAt);
  } finally {
    await fleet.close();
  }
});

test('a bad image with rollback: false fails and leaves the record (phase failed); abort then brings the previous version back under the floor', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const bad = await fleet.image({ 'emulator:health': 'unhealthy' });
    const before = await groupShape(fleet);
    const fromVersion = (await pinnedVersion(fleet))!;
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image: bad, rollback: false });
    const failedAt = fleet.clock.now();
    const why = `${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.equal(result.outcome, 'failed', why);
    assert.equal(log.of('rollback-started').length, 0, why);
    assert.match(result.reason ?? '', /failed before becoming ready/);

    const record = await recordOnGroup(fleet);
    assert.equal(record.phase, 'failed');
    assert.equal(record.id, result.deployId);
    assert.equal(record.fromVersion, fromVersion);
    assert.equal(record.toVersion, result.toVersion);
    assert.match(record.reason ?? '', /failed before becoming ready/);
    const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(group.tags.find((t) => t.key === 'asg-deploy:lock'), undefined, 'the lock is released so abort/resume can take over');
    // The failed deploy left the fleet consistent: the old version still serves at the floor.
    assertFloorHeld(fleet, startedAt, 6, failedAt);

    // A new deploy is refused while the failed one is unsettled.
    const other = await fleet.image();
    const refused = await roll(fleet.context({ owner: 'test:other' }).ctx, { group: fleet.group, image: other }).then(
      (r) => assert.fail(`a new deploy over a failed one should be refused, got ${JSON.stringify(r)}`),
      (e: unknown) => e as AsgDeployError,
    );
    assert.equal(refused.code, 'LOCKED', String(refused));
    assert.ok(refused.message.includes(result.deployId!), refused.message);
    assert.match(refused.hint ?? '', /resume|abort/);

    const abortAt = fleet.clock.now();
    const second = fleet.context({ owner: 'test:abort' });
    const undone = await abort(second.ctx, { group: fleet.group });
    const endedAt = fleet.clock.now();
    assert.equal(undone.outcome, 'aborted', `${JSON.stringify(undone)}\n${trace(second.log.events)}`);
    assert.equal(undone.deployId, result.deployId);
    assert.equal(await pinnedVersion(fleet), fromVersion);
    await assertAllOn(fleet, fromVersion, 6);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'aborted', result.deployId);
    assertFloorHeld(fleet, startedAt, 6, endedAt);
    assert.ok(mutatingCallsBetween(fleet.history(), abortAt).length > 0, 'abort did act');
  } finally {
    await fleet.close();
  }
});
