import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortStrategy, readRecord, resumeStrategy } from '../../src/deploy/index.js';
import { shrink } from '../../src/deploy/index.js';
import { lowestServingSince, peakLaunchingOrServingSince, startFleet } from '../helpers/fleet.js';
import { assertServingAtLeast, expectCrash, stopAt, traceOf } from '../helpers/pair.js';

for (const verb of ['resume', 'abort'] as const) {
  test(`shrink dead after protecting the new half (lock held): ${verb} --force ends consistent, floor held`, async () => {
    const fleet = await startFleet({ size: 4, maxSize: 8 });
    try {
      const image = await fleet.image();
      const startedAt = fleet.clock.now();
      const doomed = stopAt(fleet, (e) => e.code === 'scale-in-protection');
      await expectCrash(shrink(doomed.ctx, { group: fleet.group, image }));
      const { ctx, log } = fleet.context({ owner: `test:${verb}` });
      const result = await (verb === 'resume' ? resumeStrategy : abortStrategy)(ctx, { group: fleet.group, force: true });
      const why = `${JSON.stringify(result)}\n${traceOf(doomed.log.events)}\n${traceOf(log.events)}`;
      assert.equal(result?.outcome, verb === 'resume' ? 'succeeded' : 'aborted', why);
      const version = verb === 'resume' ? result!.toVersion : '1';
      const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
      const inService = instances.filter((i) => i.lifecycleState === 'InService');
      assert.equal(inService.length, 4, why);
      assert.ok(inService.every((i) => i.launchTemplate?.version === version && !i.protectedFromScaleIn), why);
      assert.equal(group.launchTemplate?.version, version);
      assert.deepEqual([group.minSize, group.maxSize, group.desiredCapacity, group.terminationPolicies, group.suspendedProcesses], [4, 8, 4, ['Default'], []], why);
      assert.equal(readRecord(group), undefined);
      assertServingAtLeast(fleet.serving(), fleet.history(), startedAt, 4, `serving (${why})`);
      assert.ok(peakLaunchingOrServingSince(fleet.serving(), startedAt) <= 8);
    } finally {
      await fleet.close();
    }
  });
}

test('shrink stopped (AbortSignal) while the new half boots: resume finishes it', async () => {
  const fleet = await startFleet({ size: 4, maxSize: 8 });
  try {
    const image = await fleet.image();
    const startedAt = fleet.clock.now();
    const doomed = stopAt(fleet, (e) => e.code === 'instance-launched', { abort: true });
    const stopped = await shrink(doomed.ctx, { group: fleet.group, image });
    assert.equal(stopped.outcome, 'interrupted', traceOf(doomed.log.events));
    const { ctx, log } = fleet.context({ owner: 'test:resume' });
    const result = await resumeStrategy(ctx, { group: fleet.group });
    assert.equal(result?.outcome, 'succeeded', `${JSON.stringify(result)}\n${traceOf(log.events)}`);
    const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(instances.filter((i) => i.lifecycleState === 'InService' && i.launchTemplate?.version === result!.toVersion).length, 4);
    assert.ok(lowestServingSince(fleet.serving(), startedAt) >= 4);
  } finally {
    await fleet.close();
  }
});
