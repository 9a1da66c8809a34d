/**
 * Balanced waves with an AZ that cannot launch (issue 11, deliver 1): the
 * deploy stops evening out the AZs after ONE failed try and says why with
 * AWS's StatusMessage, instead of spending rounds that cannot succeed; the
 * floor holds throughout (emulator history). VirtualClock, issue timings.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock, type ScaledClock } from '../../src/clock/index.js';
import { roll } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertSurgeCapHeld, trace } from './checks.js';

test('an AZ that cannot launch: one evening try, stopped with AWS\'s StatusMessage, ceil(n/surge) waves, floor held', async () => {
  const size = 6;
  const surge = 2;
  // startFleet types its clock as a ScaledClock; it only uses the Clock interface, which VirtualClock implements.
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 12)) as unknown as ScaledClock;
  const fleet = await startFleet({ size, clock, seed: 1, maxSize: size + surge, bootSeconds: 30, readySeconds: 20, deregistrationDelaySeconds: 10, healthCheck: { intervalSeconds: 5, healthyThreshold: 2, gracePeriodSeconds: 60 } });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    const down = [...group.availabilityZones].sort().at(-1)!;
    // Every launch in that AZ fails as on AWS when it has no capacity (emulator fault, E-12).
    fleet.emu.sim.faults.launchFailures.set(down, 'InsufficientInstanceCapacity');
    const from = clock.now();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: surge }, maxFailedLaunches: 10 });
    const to = clock.now();
    const why = `${JSON.stringify({ outcome: result.outcome, reason: result.reason })}\n${trace(log.events, 100)}`;
    assert.equal(result.outcome, 'succeeded', why);
    const tries = log.of('warning').filter((w) => /uneven after the waves/.test(w.message));
    assert.equal(tries.length, 1, `exactly one evening try: ${why}`);
    const stopped = log.of('warning').filter((w) => /stopped evening out/.test(w.message));
    assert.equal(stopped.length, 1, why);
    const failed = log.of('launch-failed');
    assert.ok(failed.length >= 1, why);
    assert.ok(failed.some((f) => stopped[0]!.message.includes(f.statusMessage)), `the warning quotes AWS's StatusMessage: ${stopped[0]!.message}\n${failed.map((f) => f.statusMessage).join('\n')}`);
    assert.match(stopped[0]!.message, new RegExp(down));
    assertFloorHeld(fleet, from, size, to);
    assertSurgeCapHeld(fleet, from, size + surge, to);
    await assertAllOn(fleet, result.toVersion!, size);
    // Three waves, the even-out try cut short: within 5 % of 3 × (30 + 20 + 10 + 10) + 10 s.
    const seconds = (to - from) / 1000;
    console.log(`AZ ${down} down: ${seconds} s, ${failed.length} failed launches`);
    assert.ok(seconds <= 1.05 * (3 * 70 + 10), `${seconds} s: ${why}`);
  } finally {
    await fleet.close();
  }
});
