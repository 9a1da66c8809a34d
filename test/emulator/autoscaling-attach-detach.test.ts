/**
 * E-9 AttachInstances and E-10 DetachInstances.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttachInstancesCommand, DetachInstancesCommand, SuspendProcessesCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { activitiesOf, createGroup, createStack, describeGroup, entries, startWorld, waitInService, type AsgWorld } from './autoscaling-fixtures.test.js';

async function runInstances(w: AsgWorld, count: number, subnetId: string): Promise<string[]> {
  const out = await w.t.ec2.send(new RunInstancesCommand({ ImageId: w.imageId, InstanceType: 't3.micro', MinCount: count, MaxCount: count, SubnetId: subnetId }));
  return out.Instances!.map((i) => i.InstanceId!);
}

async function ec2Tags(w: AsgWorld, id: string): Promise<Record<string, string>> {
  const out = await w.t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const instance = out.Reservations![0]!.Instances![0]!;
  return { state: instance.State!.Name!, ...Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key!, t.Value!])) };
}

test('E-9: AttachInstances adds running instances, grows desired, registers them and tags them; refuses what does not fit', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'att');
    await createGroup(w, 'g', { MinSize: 0, MaxSize: 3, DesiredCapacity: 1, TargetGroupARNs: [stack.targetGroupArn] });
    // Attaching two instances into one AZ unbalances the group; this test is
    // about the attach, so keep AZRebalance (E-5, its own test) out of it.
    await t.asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'g', ScalingProcesses: ['AZRebalance'] }));
    await waitInService(w, 'g', 1);
    const [x, y, z] = await runInstances(w, 3, w.subnetIds[0]!);
    const pending = (await runInstances(w, 1, w.subnetIds[1]!))[0]!;
    await assert.rejects(t.asg.send(new AttachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: [pending] })), {
      name: 'ValidationError',
      message: `Instance [${pending}] is not in a running state.`,
    });
    t.advance(40);

    const attached = t.emu.sim.now;
    await t.asg.send(new AttachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: [x!, y!] }));
    let group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 3);
    assert.deepEqual(group.Instances!.filter((i) => i.InstanceId === x || i.InstanceId === y).map((i) => i.LifecycleState), ['Pending', 'Pending']);
    assert.equal((await ec2Tags(w, x!))['aws:autoscaling:groupName'], 'g');
    t.advance(1);
    group = await describeGroup(w, 'g');
    assert.ok(group.Instances!.every((i) => i.LifecycleState === 'InService'));
    assert.equal(entries(w, 'lifecycle').find((e) => e.instanceId === x && e.to === 'InService')?.t, attached + 1_000);
    const health = await t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    assert.deepEqual(health.TargetHealthDescriptions!.map((d) => d.Target!.Id).filter((id) => id === x || id === y).sort(), [x, y].sort());
    const activity = (await activitiesOf(w, 'g')).find((a) => a.Description === `Attaching an existing EC2 instance: ${x}`);
    assert.equal(activity?.StatusCode, 'Successful');
    assert.equal(group.Instances!.length, 3, 'no scale-in: desired grew with the attach');

    await assert.rejects(t.asg.send(new AttachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: [z!] })), {
      name: 'ValidationError',
      message: 'AutoScalingGroup g has min-size=0, max-size=3, and desired-size=3. To attach 1 instance(s), please update the AutoScalingGroup sizes appropriately.',
    });
    await createGroup(w, 'other', { MinSize: 0, MaxSize: 5, VPCZoneIdentifier: w.subnetIds[1] });
    await assert.rejects(t.asg.send(new AttachInstancesCommand({ AutoScalingGroupName: 'other', InstanceIds: [x!] })), { name: 'ValidationError' });
    await assert.rejects(t.asg.send(new AttachInstancesCommand({ AutoScalingGroupName: 'other', InstanceIds: [z!] })), {
      name: 'ValidationError',
      message: new RegExp(`${z} is in an Availability Zone \\(${w.zones[0]}\\)`),
    });
    const many = Array.from({ length: 21 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    await assert.rejects(t.asg.send(new AttachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: many })), { name: 'ValidationError' });
  } finally {
    await w.t.close();
  }
});

test('E-10: DetachInstances drains, ends Detached, keeps the instance running without the group tag; without the decrement a replacement launches', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'det', 30);
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 4, DesiredCapacity: 3, TargetGroupARNs: [stack.targetGroupArn] });
    t.advance(1);
    const early = (await describeGroup(w, 'g')).Instances![0]!.InstanceId!;
    await assert.rejects(t.asg.send(new DetachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: [early], ShouldDecrementDesiredCapacity: true })), {
      name: 'ValidationError',
      message: `The instance ${early} is not in InService or Standby.`,
    });
    const [a, b, c] = (await waitInService(w, 'g', 3)).Instances!.map((i) => i.InstanceId!);

    const detached = t.emu.sim.now;
    const out = await t.asg.send(new DetachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: [a!], ShouldDecrementDesiredCapacity: true }));
    assert.equal(out.Activities?.[0]?.Description, `Detaching EC2 instance: ${a}`);
    assert.match(out.Activities?.[0]?.Cause ?? '', /was detached in response to a user request, shrinking the capacity from 3 to 2\.$/);
    let group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 2);
    assert.equal(group.Instances!.find((i) => i.InstanceId === a)?.LifecycleState, 'Detaching');
    await t.advanceUntil(async () => !(await describeGroup(w, 'g')).Instances!.some((i) => i.InstanceId === a));
    const states = entries(w, 'lifecycle').filter((e) => e.instanceId === a && e.t >= detached && e.from !== 'Pending').map((e) => `${e.to}@${(e.t - detached) / 1000}`);
    assert.deepEqual(states, ['Detaching@0', 'Detached@30', 'null@30'], 'Detached once the 30 s deregistration delay is over');
    const tags = await ec2Tags(w, a!);
    assert.equal(tags.state, 'running', 'a detached instance keeps running');
    assert.equal(tags['aws:autoscaling:groupName'], undefined);
    group = await describeGroup(w, 'g');
    assert.equal(group.Instances!.length, 2, 'no replacement with the decrement');

    // Without the decrement: a replacement launches at once, while b drains.
    const second = t.emu.sim.now;
    await t.asg.send(new DetachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: [b!], ShouldDecrementDesiredCapacity: false }));
    t.advance(1);
    group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 2);
    assert.ok(entries(w, 'lifecycle').some((e) => e.from === null && e.t === second + 1_000));

    // Refusals.
    await assert.rejects(t.asg.send(new DetachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: [a!], ShouldDecrementDesiredCapacity: true })), {
      name: 'ValidationError',
      message: `The instance ${a} is not part of Auto Scaling group g.`,
    });
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', MinSize: 2 }));
    await assert.rejects(t.asg.send(new DetachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: [c!], ShouldDecrementDesiredCapacity: true })), {
      name: 'ValidationError',
      message: 'AutoScalingGroup g has min-size=2, max-size=4, and desired-size=2. To detach 1 instance(s), please update the AutoScalingGroup sizes appropriately.',
    });
  } finally {
    await w.t.close();
  }
});
