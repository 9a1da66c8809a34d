/**
 * Guard "Failed launches are seen at once" (issue 8): every launch of the new
 * version fails (an arm64 image on the group's x86_64 t3.micro; EC2 refuses
 * the launch and the group records a Failed scaling activity). Each failed
 * activity is shown with AWS's StatusMessage as it appears and counts toward
 * --max-failed-launches, so the deploy rolls back within a few minutes. On
 * the old code it printed nothing until --timeout (20 minutes), then rolled
 * back with "no new instance became ready".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TIMEOUT_MS, roll } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertResumedAtFloor, assertReleased, groupShape, trace } from './checks.js';
import { behaviourImage } from './guard-images.js';
import { launchesLandFirst } from './launches-land-first.js';

test('every launch fails (arm64 image on x86_64): each Failed activity shown with its StatusMessage, counted, rolled back in minutes, not at --timeout, floor held', async () => {
  const fleet = await startFleet({ size: 3 });
  try {
    const image = await behaviourImage(fleet, {}, 'arm64');
    const before = await groupShape(fleet);
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image });
    const endedAt = fleet.clock.now();
    const why = `${JSON.stringify(result)}\n${trace(log.events, 100)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    const failures = log.of('launch-failed');
    assert.ok(failures.length >= 4, `more than --max-failed-launches 3 failed launches were shown\n${why}`);
    assert.match(failures[0]!.statusMessage, /architecture/, why);
    assert.equal(failures[0]!.statusCode, 'Failed');
    assert.match(result.reason, /failed before becoming ready.*AWS: .*architecture/, why);
    assert.doesNotMatch(result.reason, /--timeout/, why);
    const rollbackAt = log.of('rollback-started')[0]!.t;
    // Before the 20-minute --timeout could end it (150 simulated seconds on an
    // idle machine; a loaded one stretches each poll in simulated time, so the
    // bound is the timeout itself, and the reason above is not the timeout's).
    assert.ok(rollbackAt - startedAt < DEFAULT_TIMEOUT_MS, `rollback started after ${(rollbackAt - startedAt) / 1000}s\n${why}`);
    await assertAllOn(fleet, result.fromVersion!, 3);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'rolled-back', result.deployId);
    // The deploy's own window, then the time after it handed the group back
    // (processes resumed) until now: a dip in either is named by its window.
    assertFloorHeld(fleet, startedAt, 3, endedAt, 'serving during the deploy');
    assertResumedAtFloor(fleet, startedAt, 3, endedAt);
    assertFloorHeld(fleet, endedAt, 3, fleet.clock.now(), 'serving after the deploy handed the group back (processes resumed)');
  } finally {
    await fleet.close();
  }
});

test('the rollback after failed launches holds the floor when the group places every owed launch just before the deploy lowers desired (forced order)', async () => {
  const fleet = await startFleet({ size: 3 });
  try {
    const image = await behaviourImage(fleet, {}, 'arm64');
    const before = await groupShape(fleet);
    const { ctx: plain, log } = fleet.context();
    const { ctx, forced } = launchesLandFirst(fleet, plain);
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image });
    const endedAt = fleet.clock.now();
    const why = `${JSON.stringify(result)}\nlowerings that waited for the group's launches: ${forced()}\n${trace(log.events, 100)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    await assertAllOn(fleet, result.fromVersion!, 3);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'rolled-back', result.deployId);
    assertFloorHeld(fleet, startedAt, 3, endedAt);
  } finally {
    await fleet.close();
  }
});
