import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { AsgDeployError } from '../../src/core/index.js';
import { RECORD_TAGS, readRecord } from '../../src/deploy/index.js';
import { SWAP_PROCESSES, swap } from '../../src/deploy/index.js';
import { groupFieldChanges, lowestServingSince, mutatingCallsBetween, peakLaunchingOrServingSince, startFleet } from '../helpers/fleet.js';
import { ec2States, prepareInstances, traceOf } from '../helpers/pair.js';

test('swap 4 prepared instances into a group of 4: never below the floor, exactly them serving after, sizes and only our suspensions undone', async () => {
  const fleet = await startFleet({ size: 4, maxSize: 4 });
  try {
    // The user keeps AZRebalance and InstanceRefresh suspended themselves: a swap must leave them so.
    await fleet.aws.autoscaling.suspendProcesses(fleet.group, ['AZRebalance', 'InstanceRefresh']);
    const image = await fleet.image();
    const { ids } = await prepareInstances(fleet, 4, { image });
    const old = (await fleet.aws.autoscaling.describeGroup(fleet.group)).instances.map((i) => i.id);
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await swap(ctx, { group: fleet.group, instances: ids });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);

    const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.deepEqual(instances.map((i) => i.id).sort(), [...ids].sort(), 'exactly the prepared instances are in the group');
    assert.ok(instances.every((i) => i.lifecycleState === 'InService' && i.healthStatus === 'Healthy'), why);
    assert.deepEqual([group.minSize, group.maxSize, group.desiredCapacity], [4, 4, 4], 'sizes restored');
    assert.deepEqual([...group.suspendedProcesses].sort(), ['AZRebalance', 'InstanceRefresh'], 'the user\'s suspensions stay, ours are resumed');
    assert.ok(Object.values(await ec2States(fleet, old)).every((s) => s === undefined || s === 'terminated' || s === 'shutting-down'), 'old instances terminated');
    assert.equal(readRecord(group), undefined);
    assert.match(group.tags.find((t) => t.key === RECORD_TAGS.last)?.value ?? '', /strategy=swap;outcome=done/);

    // From the history: the floor held, the cap was the prepared count, max was raised for the attach and restored.
    assert.ok(lowestServingSince(fleet.serving(), startedAt) >= 4, `serving dropped to ${lowestServingSince(fleet.serving(), startedAt)}`);
    assert.ok(peakLaunchingOrServingSince(fleet.serving(), startedAt) <= 8);
    assert.deepEqual(groupFieldChanges(fleet.history(), fleet.group, 'MaxSize', startedAt).map((e) => e.to), [8, 4]);
    const suspended = groupFieldChanges(fleet.history(), fleet.group, 'SuspendedProcesses', startedAt).map((e) => [...(e.to as string[])].sort());
    assert.deepEqual(suspended[0], [...new Set([...SWAP_PROCESSES, 'InstanceRefresh'])].sort(), 'Launch, Terminate, ReplaceUnhealthy… suspended for the swap');
    assert.deepEqual(suspended.at(-1), ['AZRebalance', 'InstanceRefresh']);
    // Attached before any old instance left.
    const attachAt = fleet.history().find((e) => e.type === 'call' && e.action === 'AttachInstances' && e.t >= startedAt)!.t;
    const firstTerminate = fleet.history().find((e) => e.type === 'call' && e.action === 'TerminateInstanceInAutoScalingGroup' && e.t >= startedAt)!.t;
    assert.ok(attachAt < firstTerminate);
    assert.equal(log.of('instance-ready').length, 4, why);
    assert.equal(log.of('instances-attached')[0]?.instanceIds.length, 4);
  } finally {
    await fleet.close();
  }
});

test('swap --keep-old detaches the old instances: they keep running outside the group', async () => {
  const fleet = await startFleet({ size: 2 });
  try {
    const image = await fleet.image();
    const { ids } = await prepareInstances(fleet, 2, { image });
    const old = (await fleet.aws.autoscaling.describeGroup(fleet.group)).instances.map((i) => i.id);
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await swap(ctx, { group: fleet.group, instances: ids, keepOld: true });
    assert.equal(result.outcome, 'succeeded', `${JSON.stringify(result)}\n${traceOf(log.events)}`);
    const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.deepEqual(instances.map((i) => i.id).sort(), [...ids].sort());
    assert.deepEqual(Object.values(await ec2States(fleet, old)), ['running', 'running'], 'detached, not terminated');
    const described = await fleet.ec2.send(new DescribeInstancesCommand({ InstanceIds: old }));
    for (const i of described.Reservations!.flatMap((r) => r.Instances!)) {
      assert.equal(i.Tags?.find((t) => t.Key === 'aws:autoscaling:groupName'), undefined, `${i.InstanceId} left the group`);
    }
    assert.ok(lowestServingSince(fleet.serving(), startedAt) >= 2);
  } finally {
    await fleet.close();
  }
});

test('swap refuses, changing nothing, instances outside the group\'s AZs, not running, already in a group, or more than it holds', async () => {
  const fleet = await startFleet({ size: 2 });
  try {
    const image = await fleet.image();
    const network = await fleet.aws.provision.defaultNetwork();
    const zones = network.subnets.map((s) => s.availabilityZone);
    // A narrower group: only the first two AZs.
    await fleet.aws.provision.createGroup({
      name: 'narrow',
      launchTemplateId: fleet.templateId,
      version: '1',
      minSize: 1,
      maxSize: 3,
      desiredCapacity: 2,
      subnetIds: network.subnets.slice(0, 2).map((s) => s.subnetId),
    });
    const outside = await prepareInstances(fleet, 1, { image, zones: [zones[2]!] });
    const inside = await prepareInstances(fleet, 1, { image, zones: [zones[0]!] });
    // Boots for an hour: still pending whatever the load on this machine.
    const slow = await fleet.image({ 'emulator:boot-seconds': '3600' });
    const pending = await prepareInstances(fleet, 1, { image: slow, zones: [zones[0]!], running: false });
    const member = (await fleet.aws.autoscaling.describeGroup(fleet.group)).instances[0]!.id;
    const { ctx } = fleet.context();
    const refused = async (group: string, instances: string[], pattern: RegExp) => {
      const before = fleet.history().length;
      const error = await swap(ctx, { group, instances }).then(
        (r) => assert.fail(`expected a refusal, got ${JSON.stringify(r)}`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AsgDeployError && error.code === 'BAD_INPUT', String(error));
      assert.match((error as Error).message, pattern);
      assert.deepEqual(mutatingCallsBetween(fleet.history().slice(before), 0).map((c) => c.action), [], 'nothing changed');
    };
    await refused('narrow', [outside.ids[0]!], new RegExp(`${outside.ids[0]} is in ${zones[2]}, which narrow does not use`));
    await refused('narrow', [pending.ids[0]!], /is pending, not running/);
    await refused(fleet.group, [member], /already belong to web/);
    await refused('narrow', [inside.ids[0]!, outside.ids[0]!], new RegExp(`^cannot swap these instances into narrow: ${outside.ids[0]} is in`));
    await refused(fleet.group, [inside.ids[0]!, outside.ids[0]!, pending.ids[0]!], /3 prepared instances for a group of desired capacity 2/);
    await refused(fleet.group, ['i-nothere'], /invalid instance id/);
  } finally {
    await fleet.close();
  }
});
