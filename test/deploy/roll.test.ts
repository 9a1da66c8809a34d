import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll } from '../../src/deploy/index.js';
import { lowestServingSince, peakLaunchingOrServingSince, startFleet } from '../helpers/fleet.js';

test('roll 6 instances to a new image: every instance replaced, floor and surge cap held throughout', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } });
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result));
    const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    const inService = instances.filter((i) => i.lifecycleState === 'InService');
    assert.equal(inService.length, 6);
    assert.ok(inService.every((i) => i.launchTemplate?.version === result.toVersion), 'every InService instance runs the target version');
    assert.equal(group.desiredCapacity, 6);
    assert.equal(group.maxSize, 12);
    assert.deepEqual(group.suspendedProcesses, []);
    assert.equal(group.tags.find((t) => t.key === 'asg-deploy:lock'), undefined, 'lock released');
    const points = fleet.serving();
    assert.ok(lowestServingSince(points, startedAt) >= 6, `serving dropped to ${lowestServingSince(points, startedAt)}`);
    assert.ok(peakLaunchingOrServingSince(points, startedAt) <= 8, `launching+serving peaked at ${peakLaunchingOrServingSince(points, startedAt)}`);
    assert.equal(log.of('plan')[0]?.waves, 3);
    const evening = log.of('warning').filter((w) => w.message.includes('availability zones uneven')).length;
    assert.equal(log.of('instance-ready').length, 6 + evening);
    const perZone = new Map<string, number>();
    for (const i of inService) perZone.set(i.availabilityZone, (perZone.get(i.availabilityZone) ?? 0) + 1);
    assert.deepEqual([...perZone.values()], [2, 2, 2], 'the AZs end balanced');
  } finally {
    await fleet.close();
  }
});

test('roll reports each wave: wave-started for every wave, numbered 1..n, with the planned total, covering every new instance launched', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } });
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result));
    const waves = log.of('plan')[0]!.waves;
    assert.equal(waves, 3);
    const started = log.of('wave-started');
    const summary = JSON.stringify(started.map((e) => ({ wave: e.wave, waves: e.waves, launching: e.launching, desired: e.desired, batch: e.batch })));
    // A user watching the deploy (the CLI prints "wave N: launching K") sees every wave start.
    assert.ok(started.length >= waves, `${started.length} wave-started events for ${waves} planned waves: ${summary}`);
    // Waves are numbered 1..n; a further batch of a wave (the balanced-waves planner's second
    // launch, once it has seen where the first landed) repeats its wave's number with batch 2, 3, ….
    const firsts = started.filter((e) => e.batch === undefined);
    assert.deepEqual(firsts.map((e) => e.wave), firsts.map((_, i) => i + 1), summary);
    assert.ok(started.every((e, i) => e.batch === undefined || (i > 0 && e.wave === started[i - 1]!.wave && e.batch === (started[i - 1]!.batch ?? 1) + 1)), `a batch follows its wave: ${summary}`);
    assert.ok(firsts.length >= waves, `${firsts.length} waves for ${waves} planned: ${summary}`);
    // The planned total (or the wave's own number, if the deploy needed more waves than planned).
    assert.ok(started.every((e) => e.waves === Math.max(waves, e.wave)), `every wave-started carries the planned total ${waves}: ${summary}`);
    const launched = log.of('instance-launched').length;
    assert.equal(started.reduce((n, e) => n + e.launching, 0), launched, `the waves account for all ${launched} new instances launched: ${summary}`);
  } finally {
    await fleet.close();
  }
});
