/**
 * E-7 termination policies through the API, and E-11
 * TerminateInstanceInAutoScalingGroup, SetInstanceProtection and
 * SetDesiredCapacity's HonorCooldown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SetDesiredCapacityCommand,
  SetInstanceProtectionCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type Instance,
} from '@aws-sdk/client-auto-scaling';
import { createGroup, describeGroup, entries, newTemplateVersion, startWorld, waitInService } from './autoscaling-fixtures.test.js';

function zoneCounts(instances: Instance[], zones: string[]): number[] {
  return zones.map((z) => instances.filter((i) => i.AvailabilityZone === z).length);
}

test('E-7: scale-in keeps AZs balanced, removes old template versions first, never touches protected instances', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 0, MaxSize: 12, DesiredCapacity: 6 });
    const v1 = (await waitInService(w, 'g', 6)).Instances!.map((i) => i.InstanceId!);

    const v2 = await newTemplateVersion(w);
    assert.equal(v2, 2);
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', LaunchTemplate: { LaunchTemplateId: w.templateId, Version: '2' }, DesiredCapacity: 9 }));
    let group = await waitInService(w, 'g', 9);
    const v2ids = group.Instances!.filter((i) => i.LaunchTemplate?.Version === '2').map((i) => i.InstanceId!);
    assert.equal(v2ids.length, 3);
    assert.deepEqual(zoneCounts(group.Instances!, w.zones), [3, 3, 3]);

    // Default: the three instances not on version 2 go, one per AZ.
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 6 }));
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.length === 6);
    group = await describeGroup(w, 'g');
    assert.deepEqual(zoneCounts(group.Instances!, w.zones), [2, 2, 2]);
    const removed = v1.filter((id) => !group.Instances!.some((i) => i.InstanceId === id));
    assert.equal(removed.length, 3, 'all three removed were version 1');
    assert.ok(v2ids.every((id) => group.Instances!.some((i) => i.InstanceId === id)));

    // Protect the remaining version 1 instances; OldestInstance would pick them, but cannot.
    const oldOnes = group.Instances!.filter((i) => i.LaunchTemplate?.Version === '1').map((i) => i.InstanceId!);
    await t.asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'g', InstanceIds: oldOnes, ProtectedFromScaleIn: true }));
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', TerminationPolicies: ['OldestInstance'] }));
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 1 }));
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.length === 3);
    group = await describeGroup(w, 'g');
    assert.deepEqual(group.Instances!.map((i) => i.InstanceId).sort(), [...oldOnes].sort(), 'only protected instances are left');
    assert.ok(group.Instances!.every((i) => i.ProtectedFromScaleIn && i.LifecycleState === 'InService'));
    assert.equal(group.DesiredCapacity, 1);
    t.advance(60);
    assert.equal((await describeGroup(w, 'g')).Instances!.length, 3, 'desired stays unmet rather than terminate protected instances');

    // Unprotecting lets the scale-in finish.
    await t.asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'g', InstanceIds: oldOnes, ProtectedFromScaleIn: false }));
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.length === 1);
  } finally {
    await w.t.close();
  }
});

test('E-11: TerminateInstanceInAutoScalingGroup with the decrement shrinks the group; without it a replacement launches', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 4, DesiredCapacity: 3 });
    const ids = (await waitInService(w, 'g', 3)).Instances!.map((i) => i.InstanceId!);

    const out = await t.asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: ids[0], ShouldDecrementDesiredCapacity: true }));
    assert.equal(out.Activity?.Description, `Terminating EC2 instance: ${ids[0]}`);
    assert.match(out.Activity?.Cause ?? '', new RegExp(`^At \\S+Z instance ${ids[0]} was taken out of service in response to a user request, shrinking the capacity from 3 to 2\\.$`));
    let group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 2);
    t.advance(10);
    group = await describeGroup(w, 'g');
    assert.equal(group.Instances!.length, 2, 'no replacement');

    const replacedAt = t.emu.sim.now;
    await t.asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: ids[1], ShouldDecrementDesiredCapacity: false }));
    t.advance(1);
    group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 2);
    const replacement = entries(w, 'lifecycle').find((e) => e.from === null && e.t > replacedAt);
    assert.ok(replacement, 'a replacement joined');
    assert.equal(replacement.t, replacedAt + 1_000);
    await waitInService(w, 'g', 2);

    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MinSize: 2 }));
    await assert.rejects(t.asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: ids[2], ShouldDecrementDesiredCapacity: true })), {
      name: 'ValidationError',
      message:
        "Currently, desiredSize equals minSize (2). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.",
    });
    await assert.rejects(t.asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: 'i-00000000000000001', ShouldDecrementDesiredCapacity: false })), {
      name: 'ValidationError',
      message: 'Instance Id not found - No managed instance found for instance ID: i-00000000000000001',
    });
  } finally {
    await w.t.close();
  }
});

test('E-11: SetDesiredCapacity with HonorCooldown is refused while a scaling activity runs and inside DefaultCooldown', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 0, MaxSize: 5, DesiredCapacity: 1, DefaultCooldown: 120 });
    t.advance(1);
    await assert.rejects(t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2, HonorCooldown: true })), {
      name: 'ScalingActivityInProgressFault',
      message: /^Scaling activity [0-9a-f-]{36} is in progress and blocks this action$/,
    });
    await waitInService(w, 'g', 1);
    const done = entries(w, 'activity').find((e) => e.status === 'Successful')!;
    t.advance(60);
    await assert.rejects(t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2, HonorCooldown: true })), {
      name: 'ScalingActivityInProgressFault',
    });
    // Without HonorCooldown the cooldown does not apply.
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 1 }));
    t.advance((done.t + 120_000 - t.emu.sim.now) / 1000);
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2, HonorCooldown: true }));
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 2);
  } finally {
    await w.t.close();
  }
});
