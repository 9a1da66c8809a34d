/**
 * Guard "Flags mean what they say" (issue 8): `--max-surge 0` with a 100 %
 * floor can never progress and is refused with the reason (the old code
 * silently used a surge of 1); with a lower floor it is honoured — retire
 * first, then launch, within the floor — where the old code silently raised
 * it to 1; `--min-healthy 0` warns that serving may reach zero. Pure rule first, then through `roll` against the emulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSurgeCanProgress, isAsgDeployError } from '../../src/core/index.js';
import { roll } from '../../src/deploy/index.js';
import { groupFieldChanges, lowestServingSince, mutatingCallsBetween, peakLaunchingOrServingSince, startFleet } from '../helpers/fleet.js';
import { assertAllOn, trace } from './checks.js';

test('assertSurgeCanProgress: surge 0 with the floor at desired is refused; any surge, a lower floor or an empty group is fine', () => {
  assert.throws(() => assertSurgeCanProgress({ kind: 'count', count: 0 }, 6, 6), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && /can never progress/.test(e.message) && /--max-surge 1/.test(e.hint ?? ''));
  assert.throws(() => assertSurgeCanProgress({ kind: 'percent', percent: 0 }, 4, 4), /can never progress/);
  assert.doesNotThrow(() => assertSurgeCanProgress({ kind: 'count', count: 0 }, 5, 6));
  assert.doesNotThrow(() => assertSurgeCanProgress({ kind: 'count', count: 1 }, 6, 6));
  assert.doesNotThrow(() => assertSurgeCanProgress({ kind: 'count', count: 0 }, 0, 0));
});

test('roll --max-surge 0 --min-healthy 100% is refused before any change; --min-healthy 0 warns (dry run)', async () => {
  const fleet = await startFleet({ size: 2 });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    await fleet.clock.sleep(2000);
    const startedAt = fleet.clock.now();
    const error = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 0 }, minHealthy: { kind: 'percent', percent: 100 } }).then(
      (r) => assert.fail(`expected a refusal, got ${JSON.stringify(r)}`),
      (e: unknown) => e,
    );
    assert.ok(isAsgDeployError(error, 'BAD_INPUT'), String(error));
    assert.deepEqual(mutatingCallsBetween(fleet.history(), startedAt).map((c) => c.action), []);

    const planned = await roll(ctx, { group: fleet.group, image, minHealthy: { kind: 'count', count: 0 }, dryRun: true });
    assert.equal(planned.outcome, 'planned');
    assert.ok(log.of('warning').some((w) => /--min-healthy 0: serving on web may reach zero/.test(w.message)), JSON.stringify(log.events));
  } finally {
    await fleet.close();
  }
});

test('roll --max-surge 0 --min-healthy 75% is honoured, not raised to 1: old instances retire first, never more than desired, never below the floor, MaxSize untouched', async () => {
  const fleet = await startFleet({ size: 4, maxSize: 4 });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 0 }, minHealthy: { kind: 'percent', percent: 75 } });
    const why = `${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.equal(result.plan?.surge, 0, 'the plan keeps the surge the user asked for');
    assert.equal(log.of('plan')[0]?.surge, 0, why);
    assert.ok(peakLaunchingOrServingSince(fleet.serving(), startedAt) <= 4, `launching or serving rose to ${peakLaunchingOrServingSince(fleet.serving(), startedAt)} above desired 4\n${why}`);
    assert.ok(lowestServingSince(fleet.serving(), startedAt) >= 3, `serving fell to ${lowestServingSince(fleet.serving(), startedAt)} below the floor 3\n${why}`);
    assert.deepEqual(groupFieldChanges(fleet.history(), fleet.group, 'MaxSize', startedAt), [], 'MaxSize never raised');
    assert.equal(log.of('max-size-raised').length, 0, why);
    await assertAllOn(fleet, result.toVersion!, 4);
  } finally {
    await fleet.close();
  }
});
