import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsgDeployError } from '../../src/core/index.js';
import { abortStrategy, readRecord, resumeStrategy } from '../../src/deploy/index.js';
import { swap } from '../../src/deploy/index.js';
import { lowestServingSince, startFleet } from '../helpers/fleet.js';
import { ec2States, expectCrash, prepareInstances, stopAt, traceOf } from '../helpers/pair.js';

test('swap stopped after the attach: abort detaches the prepared instances (still running) and restores the group', async () => {
  const fleet = await startFleet({ size: 3, maxSize: 3 });
  try {
    const image = await fleet.image();
    const { ids } = await prepareInstances(fleet, 3, { image });
    const old = (await fleet.aws.autoscaling.describeGroup(fleet.group)).instances.map((i) => i.id).sort();
    const startedAt = fleet.clock.now();
    const doomed = stopAt(fleet, (e) => e.code === 'instances-attached', { abort: true });
    const stopped = await swap(doomed.ctx, { group: fleet.group, instances: ids });
    assert.equal(stopped.outcome, 'interrupted', traceOf(doomed.log.events));
    const { ctx, log } = fleet.context({ owner: 'test:abort' });
    const result = await abortStrategy(ctx, { group: fleet.group });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result?.outcome, 'aborted', why);
    const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.deepEqual(instances.map((i) => i.id).sort(), old, why);
    assert.deepEqual([group.minSize, group.maxSize, group.desiredCapacity, group.suspendedProcesses], [3, 3, 3, []], why);
    assert.deepEqual(Object.values(await ec2States(fleet, ids)), ['running', 'running', 'running'], 'the prepared instances are the user\'s: detached, never terminated');
    assert.equal(readRecord(group), undefined);
    assert.ok(lowestServingSince(fleet.serving(), startedAt) >= 3);
  } finally {
    await fleet.close();
  }
});

test('swap dead while retiring old instances: abort is refused (they cannot come back), resume --force completes it, floor held', async () => {
  const fleet = await startFleet({ size: 3, maxSize: 3 });
  try {
    const image = await fleet.image();
    const { ids } = await prepareInstances(fleet, 3, { image });
    const startedAt = fleet.clock.now();
    const doomed = stopAt(fleet, (e) => e.code === 'instance-retiring');
    await expectCrash(swap(doomed.ctx, { group: fleet.group, instances: ids }));
    const { ctx, log } = fleet.context({ owner: 'test:takeover' });
    const refused = await abortStrategy(ctx, { group: fleet.group, force: true }).then(
      (r) => assert.fail(`expected a refusal, got ${JSON.stringify(r)}`),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof AsgDeployError && refused.code === 'CONFLICT', String(refused));
    const result = await resumeStrategy(ctx, { group: fleet.group, force: true });
    const why = `${JSON.stringify(result)}\n${traceOf(doomed.log.events)}\n${traceOf(log.events)}`;
    assert.equal(result?.outcome, 'succeeded', why);
    const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.deepEqual(instances.map((i) => i.id).sort(), [...ids].sort(), why);
    assert.deepEqual([group.minSize, group.maxSize, group.desiredCapacity, group.suspendedProcesses], [3, 3, 3, []], why);
    assert.ok(lowestServingSince(fleet.serving(), startedAt) >= 3, `serving dropped to ${lowestServingSince(fleet.serving(), startedAt)}`);
  } finally {
    await fleet.close();
  }
});
