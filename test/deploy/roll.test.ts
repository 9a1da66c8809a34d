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
    assert.equal(log.of('instance-ready').length, 6);
  } finally {
    await fleet.close();
  }
});
