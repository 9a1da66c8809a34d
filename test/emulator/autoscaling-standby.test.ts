/**
 * E-8: EnterStandby / ExitStandby — desired capacity, draining, no health
 * checks in Standby, and the size limits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EnterStandbyCommand, ExitStandbyCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { StopInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { activitiesOf, createGroup, createStack, describeGroup, entries, startWorld, waitInService } from './autoscaling-fixtures.test.js';

test('E-8: Standby drains from the target groups, leaves the capacity count, gets no health checks, and comes back through Pending', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'sb', 30);
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 4, DesiredCapacity: 3, TargetGroupARNs: [stack.targetGroupArn], HealthCheckType: 'ELB', HealthCheckGracePeriod: 60 });
    const ids = (await waitInService(w, 'g', 3)).Instances!.map((i) => i.InstanceId!);
    const [a, b] = ids as [string, string];

    // With the decrement: desired 3 → 2, no replacement.
    const entered = t.emu.sim.now;
    const out = await t.asg.send(new EnterStandbyCommand({ AutoScalingGroupName: 'g', InstanceIds: [a], ShouldDecrementDesiredCapacity: true }));
    assert.equal(out.Activities?.[0]?.Description, `Moving EC2 instance to Standby: ${a}`);
    assert.match(out.Activities?.[0]?.Cause ?? '', new RegExp(`instance ${a} was moved to standby in response to a user request, shrinking the capacity from 3 to 2\\.$`));
    let group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 2);
    assert.equal(group.Instances!.find((i) => i.InstanceId === a)?.LifecycleState, 'EnteringStandby');
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.find((i) => i.InstanceId === a)?.LifecycleState === 'Standby');
    const drained = entries(w, 'target').find((e) => e.instanceId === a && e.to === null)!;
    const standby = entries(w, 'lifecycle').find((e) => e.instanceId === a && e.to === 'Standby')!;
    assert.equal(entries(w, 'target').find((e) => e.instanceId === a && e.to === 'draining')?.t, entered, 'deregistered at once');
    assert.equal(drained.t, entered + 30_000, 'after the deregistration delay');
    assert.equal(standby.t, drained.t, 'Standby as soon as draining is over');
    t.advance(30);
    group = await describeGroup(w, 'g');
    assert.equal(group.Instances!.length, 3, 'no replacement for an instance moved to Standby with the decrement');

    // No health checks in Standby: stopping its EC2 instance marks nothing.
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [a] }));
    t.advance(60);
    assert.equal(entries(w, 'health').filter((e) => e.instanceId === a && e.to === 'Unhealthy').length, 0);

    // Without the decrement: a replacement launches.
    const second = t.emu.sim.now;
    await t.asg.send(new EnterStandbyCommand({ AutoScalingGroupName: 'g', InstanceIds: [b], ShouldDecrementDesiredCapacity: false }));
    t.advance(1);
    group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 2);
    assert.ok(entries(w, 'lifecycle').some((e) => e.from === null && e.t === second + 1_000), 'a replacement joined on the next pass');

    // Refusals.
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.find((i) => i.InstanceId === b)?.LifecycleState === 'Standby');
    await assert.rejects(t.asg.send(new EnterStandbyCommand({ AutoScalingGroupName: 'g', InstanceIds: [a], ShouldDecrementDesiredCapacity: true })), {
      name: 'ValidationError',
      message: `The instance ${a} is not in InService.`,
    });
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MinSize: 2 }));
    const inService = group.Instances!.find((i) => i.InstanceId === ids[2])!.InstanceId!;
    await assert.rejects(t.asg.send(new EnterStandbyCommand({ AutoScalingGroupName: 'g', InstanceIds: [inService], ShouldDecrementDesiredCapacity: true })), {
      name: 'ValidationError',
      message: 'AutoScalingGroup g has min-size=2, max-size=4, and desired-size=2. To place into standby 1 instance(s), please update the AutoScalingGroup sizes appropriately.',
    });
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MaxSize: 2 }));
    await assert.rejects(t.asg.send(new ExitStandbyCommand({ AutoScalingGroupName: 'g', InstanceIds: [b] })), {
      name: 'ValidationError',
      message: 'AutoScalingGroup g has min-size=2, max-size=2, and desired-size=2. To exit standby 1 instance(s), please update the AutoScalingGroup sizes appropriately.',
    });
    await assert.rejects(t.asg.send(new ExitStandbyCommand({ AutoScalingGroupName: 'g', InstanceIds: [inService] })), {
      name: 'ValidationError',
      message: `The instance ${inService} is not in Standby.`,
    });

    // ExitStandby: desired + 1, Pending, re-registered, InService.
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MaxSize: 4 }));
    const exited = t.emu.sim.now;
    const back = await t.asg.send(new ExitStandbyCommand({ AutoScalingGroupName: 'g', InstanceIds: [b] }));
    assert.equal(back.Activities?.[0]?.Description, `Moving EC2 instance out of Standby: ${b}`);
    assert.match(back.Activities?.[0]?.Cause ?? '', /was moved out of standby in response to a user request, increasing the capacity from 2 to 3\.$/);
    group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 3);
    assert.equal(group.Instances!.find((i) => i.InstanceId === b)?.LifecycleState, 'Pending');
    t.advance(1);
    const states = entries(w, 'lifecycle').filter((e) => e.instanceId === b && e.t >= exited && e.to !== 'Standby').map((e) => `${e.to}@${(e.t - exited) / 1000}`);
    assert.deepEqual(states, ['Pending@0', 'InService@1']);
    const registered = entries(w, 'target').find((e) => e.instanceId === b && e.t >= exited && e.to === 'initial');
    assert.equal(registered?.t, exited + 1_000, 're-registered as it went InService');
    const health = await t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    assert.ok(health.TargetHealthDescriptions!.some((d) => d.Target?.Id === b));
    assert.ok((await activitiesOf(w, 'g')).filter((a) => a.Description!.includes('Standby')).every((a) => a.StatusCode === 'Successful'));
  } finally {
    await w.t.close();
  }
});
