import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bluegreen } from '../../src/deploy/index.js';
import type { DeployEvent } from '../../src/deploy/index.js';
import { lowestServingSince } from '../helpers/fleet.js';
import { firstServingAtLeast, startPair, traceOf } from '../helpers/pair.js';

test('bluegreen while the live group scales out (seed 004\'s trap): the new group matches the larger capacity before the switch', async () => {
  const pair = await startPair({ size: 4, maxSize: 8, minSize: 2 });
  try {
    const { fleet } = pair;
    const image = await fleet.image();
    let scaled: Promise<void> | undefined;
    const { ctx, log } = fleet.context();
    const sink = ctx.emit;
    ctx.emit = (e: DeployEvent) => {
      sink(e);
      // The user's scaling raises the live group while the new fleet boots.
      if (!scaled && e.code === 'instance-launched' && e.group === pair.green) scaled = fleet.aws.autoscaling.setDesiredCapacity(pair.blue, 6);
    };
    const startedAt = fleet.clock.now();
    const result = await bluegreen(ctx, { app: pair.app, image });
    await scaled;
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.ok(scaled, 'the scale-out happened during the deploy');
    assert.equal(result.outcome, 'succeeded', why);

    const green = await fleet.aws.autoscaling.describeGroup(pair.green);
    const blue = await fleet.aws.autoscaling.describeGroup(pair.blue);
    assert.equal(green.group.desiredCapacity, 6, why);
    assert.equal(green.instances.filter((i) => i.lifecycleState === 'InService' && i.launchTemplate?.version === result.toVersion).length, 6, why);
    assert.equal(blue.instances.filter((i) => i.lifecycleState === 'Standby').length, 6, 'all six live instances went to Standby');
    assert.equal(blue.group.desiredCapacity, 0);

    // Once blue served 6, serving across the pair never went below 6 again.
    const sixAt = firstServingAtLeast(fleet.history(), pair.blue, [fleet.targetGroupArn], startedAt, 6);
    assert.ok(sixAt !== undefined, 'blue reached 6');
    assert.ok(lowestServingSince(pair.serving(), sixAt) >= 6, `serving dropped to ${lowestServingSince(pair.serving(), sixAt)} after the scale-out`);
    assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4);
  } finally {
    await pair.close();
  }
});
