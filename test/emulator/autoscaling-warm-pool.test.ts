/**
 * E-37: warm pools through SDK v3 on a manual clock — the pool fills to
 * MaxGroupPreparedCapacity − Desired with Warmed:Stopped instances, a
 * scale-out draws from it (faster than a cold launch: no new instance, only a
 * start), ReuseOnScaleIn returns scaled-in instances, DeleteWarmPool empties it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteWarmPoolCommand, DescribeWarmPoolCommand, PutWarmPoolCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { createGroup, describeGroup, entries, startWorld, waitInService, type AsgWorld } from './autoscaling-fixtures.test.js';

async function pool(w: AsgWorld, group = 'g') {
  return w.t.asg.send(new DescribeWarmPoolCommand({ AutoScalingGroupName: group }));
}

async function ec2State(w: AsgWorld, id: string): Promise<string | undefined> {
  const out = await w.t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

test('E-37: a warm pool fills with Warmed:Stopped instances and feeds a scale-out', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 6, DesiredCapacity: 2, HealthCheckGracePeriod: 0 });
    await waitInService(w, 'g', 2);
    let out = await pool(w);
    assert.equal(out.WarmPoolConfiguration, undefined, 'no pool yet');
    assert.deepEqual(out.Instances, []);

    await w.t.asg.send(new PutWarmPoolCommand({ AutoScalingGroupName: 'g', MaxGroupPreparedCapacity: 5, MinSize: 1, PoolState: 'Stopped' }));
    t.advance(1);
    out = await pool(w);
    assert.deepEqual(out.WarmPoolConfiguration, { MaxGroupPreparedCapacity: 5, MinSize: 1, PoolState: 'Stopped', InstanceReusePolicy: { ReuseOnScaleIn: false } });
    assert.equal(out.Instances!.length, 3, 'MaxGroupPreparedCapacity 5 − desired 2');
    assert.ok(out.Instances!.every((i) => i.LifecycleState === 'Warmed:Pending'));
    assert.equal((await describeGroup(w, 'g')).Instances!.length, 2, 'pool instances are not part of the group');

    await t.advanceUntil(async () => (await pool(w)).Instances!.every((i) => i.LifecycleState === 'Warmed:Stopped'), { maxSeconds: 300 });
    const warmed = (await pool(w)).Instances!.map((i) => i.InstanceId!);
    for (const id of warmed) assert.equal(await ec2State(w, id), 'stopped');

    // Scale out by 2: both come from the pool (started, not launched); the pool refills to 5 − 4 = 1.
    const before = entries(w, 'instance').filter((e) => e.from === null).length;
    const scaled = t.emu.sim.now;
    await w.t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 4 }));
    const group = await waitInService(w, 'g', 4);
    const drawn = group.Instances!.map((i) => i.InstanceId!).filter((id) => warmed.includes(id));
    assert.equal(drawn.length, 2, 'the two new group members are warmed instances');
    assert.equal(entries(w, 'instance').filter((e) => e.from === null && e.t >= scaled).length, 0, 'no new EC2 instance was launched for the scale-out');
    assert.ok(entries(w, 'instance').filter((e) => e.from === 'stopped' && drawn.includes(e.instanceId)).length === 2, 'they were started');
    out = await pool(w);
    assert.equal(out.Instances!.filter((i) => i.LifecycleState !== 'Warmed:Terminating').length, 1, 'the pool shrinks to 5 − 4');
    assert.equal(entries(w, 'instance').filter((e) => e.from === null).length, before);
  } finally {
    await w.t.close();
  }
});

test('E-37: ReuseOnScaleIn sends a scaled-in instance back to the pool; DeleteWarmPool terminates the pool', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 0, MaxSize: 3, DesiredCapacity: 3, HealthCheckGracePeriod: 0 });
    const members = (await waitInService(w, 'g', 3)).Instances!.map((i) => i.InstanceId!);
    await w.t.asg.send(new PutWarmPoolCommand({ AutoScalingGroupName: 'g', PoolState: 'Running', InstanceReusePolicy: { ReuseOnScaleIn: true } }));
    t.advance(5);
    assert.equal((await pool(w)).Instances!.length, 0, 'MaxSize 3 − desired 3: empty');

    await w.t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2 }));
    await t.advanceUntil(async () => (await pool(w)).Instances!.some((i) => i.LifecycleState === 'Warmed:Running'), { maxSeconds: 120 });
    const [back] = (await pool(w)).Instances!;
    assert.ok(members.includes(back!.InstanceId!), 'the scaled-in member itself is in the pool');
    assert.equal(await ec2State(w, back!.InstanceId!), 'running', 'kept running for a Running pool');
    assert.equal(entries(w, 'instance').filter((e) => e.instanceId === back!.InstanceId && e.to === 'terminated').length, 0, 'never terminated');

    await w.t.asg.send(new DeleteWarmPoolCommand({ AutoScalingGroupName: 'g' }));
    assert.equal((await pool(w)).WarmPoolConfiguration?.Status, 'PendingDelete');
    await t.advanceUntil(async () => (await pool(w)).WarmPoolConfiguration === undefined, { maxSeconds: 300 });
    assert.equal(await ec2State(w, back!.InstanceId!), 'terminated');
    await assert.rejects(w.t.asg.send(new DeleteWarmPoolCommand({ AutoScalingGroupName: 'g' })), { name: 'ValidationError' });
  } finally {
    await w.t.close();
  }
});
