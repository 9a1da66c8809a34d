import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORD_TAGS, readRecord } from '../../src/deploy/index.js';
import { shrink } from '../../src/deploy/index.js';
import { groupFieldChanges, lowestServingSince, peakLaunchingOrServingSince, startFleet } from '../helpers/fleet.js';
import { traceOf } from '../helpers/pair.js';

test('shrink doubles the group, lets it remove exactly the old half, and restores the termination policy, protection and sizes', async () => {
  const fleet = await startFleet({ size: 6, maxSize: 8 });
  try {
    const image = await fleet.image();
    const old = (await fleet.aws.autoscaling.describeGroup(fleet.group)).instances.map((i) => i.id).sort();
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await shrink(ctx, { group: fleet.group, image });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);

    const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(instances.length, 6, why);
    assert.ok(instances.every((i) => i.lifecycleState === 'InService' && i.launchTemplate?.version === result.toVersion), why);
    assert.ok(instances.every((i) => !i.protectedFromScaleIn), 'protection taken off again');
    assert.deepEqual([group.minSize, group.maxSize, group.desiredCapacity], [6, 8, 6]);
    assert.deepEqual(group.terminationPolicies, ['Default'], 'termination policy restored');
    assert.deepEqual(group.suspendedProcesses, []);
    assert.equal(readRecord(group), undefined);
    assert.match(group.tags.find((t) => t.key === RECORD_TAGS.last)?.value ?? '', /strategy=shrink;outcome=done/);

    // From the history: the group itself removed exactly the six old instances (not one new), after the new half was ready.
    const history = fleet.history();
    const removed = history.filter((e) => e.type === 'lifecycle' && e.t >= startedAt && e.to === 'Terminating').map((e) => (e as { instanceId: string }).instanceId).sort();
    assert.deepEqual(removed, old, 'exactly the old half was terminated');
    assert.equal(history.filter((e) => e.type === 'call' && e.t >= startedAt && e.action === 'TerminateInstanceInAutoScalingGroup').length, 0, 'by the group, not by us');
    assert.deepEqual(groupFieldChanges(history, fleet.group, 'TerminationPolicies', startedAt).map((e) => e.to), [['OldestLaunchTemplate'], ['Default']]);
    assert.deepEqual(groupFieldChanges(history, fleet.group, 'MaxSize', startedAt).map((e) => e.to), [12, 8]);
    assert.deepEqual(groupFieldChanges(history, fleet.group, 'DesiredCapacity', startedAt).map((e) => e.to), [12, 6]);
    assert.ok(lowestServingSince(fleet.serving(), startedAt) >= 6, `serving dropped to ${lowestServingSince(fleet.serving(), startedAt)}`);
    assert.ok(peakLaunchingOrServingSince(fleet.serving(), startedAt) <= 12);
    assert.equal(log.of('instance-ready').length, 6, why);
    assert.deepEqual(log.of('termination-policies-set').map((e) => e.policies), [['OldestLaunchTemplate'], ['Default']]);
  } finally {
    await fleet.close();
  }
});

test('shrink of a release that never gets healthy rolls back to the previous version under the floor, everything restored', async () => {
  const fleet = await startFleet({ size: 4, maxSize: 8 });
  try {
    const image = await fleet.image({ 'emulator:health': 'unhealthy' });
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await shrink(ctx, { group: fleet.group, image, maxFailedLaunches: 2 });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(group.launchTemplate?.version, '1', 'pinned back');
    const inService = instances.filter((i) => i.lifecycleState === 'InService');
    assert.equal(inService.length, 4, why);
    assert.ok(inService.every((i) => i.launchTemplate?.version === '1'));
    assert.deepEqual([group.minSize, group.maxSize, group.desiredCapacity, group.terminationPolicies, group.suspendedProcesses], [4, 8, 4, ['Default'], []]);
    assert.ok(lowestServingSince(fleet.serving(), startedAt) >= 4);
    assert.match(group.tags.find((t) => t.key === RECORD_TAGS.last)?.value ?? '', /outcome=rolled-back/);
  } finally {
    await fleet.close();
  }
});
