/**
 * E-5: suspended processes are honoured exactly, and resuming lets the held
 * back work happen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeScalingProcessTypesCommand,
  ResumeProcessesCommand,
  SetDesiredCapacityCommand,
  SetInstanceHealthCommand,
  SuspendProcessesCommand,
} from '@aws-sdk/client-auto-scaling';
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createGroup, createStack, describeGroup, entries, startWorld, waitInService } from './autoscaling-fixtures.test.js';

const suspend = (names?: string[]) => new SuspendProcessesCommand({ AutoScalingGroupName: 'g', ScalingProcesses: names });
const resume = (names?: string[]) => new ResumeProcessesCommand({ AutoScalingGroupName: 'g', ScalingProcesses: names });

test('E-5 Launch: no launches while suspended, desired stays unmet; resuming launches at once', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { DesiredCapacity: 0 });
    await t.asg.send(suspend(['Launch']));
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 3 }));
    t.advance(120);
    const group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 3);
    assert.equal(group.Instances!.length, 0);
    assert.deepEqual(group.SuspendedProcesses, [{ ProcessName: 'Launch', SuspensionReason: 'User suspended at 2026-01-01T12:00:00Z' }]);
    const resumed = t.emu.sim.now;
    await t.asg.send(resume(['Launch']));
    t.advance(1);
    assert.equal((await describeGroup(w, 'g')).Instances!.length, 3);
    assert.ok(entries(w, 'lifecycle').every((e) => e.t >= resumed + 1_000));
    assert.deepEqual(
      entries(w, 'group').filter((e) => e.field === 'SuspendedProcesses').map((e) => [e.from, e.to]),
      [[[], ['Launch']], [['Launch'], []]],
    );
  } finally {
    await w.t.close();
  }
});

test('E-5 Terminate: no scale-in and no replacement terminations while suspended', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { DesiredCapacity: 3 });
    const group = await waitInService(w, 'g', 3);
    await t.asg.send(suspend(['Terminate']));
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 1 }));
    await t.asg.send(new SetInstanceHealthCommand({ InstanceId: group.Instances![0]!.InstanceId!, HealthStatus: 'Unhealthy' }));
    t.advance(120);
    let now = await describeGroup(w, 'g');
    assert.equal(now.Instances!.filter((i) => i.LifecycleState === 'InService').length, 3);
    assert.equal(now.Instances!.find((i) => i.InstanceId === group.Instances![0]!.InstanceId)?.HealthStatus, 'Unhealthy');
    assert.equal(entries(w, 'lifecycle').filter((e) => e.to === 'Terminating').length, 0);

    await t.asg.send(resume(['Terminate']));
    t.advance(1);
    now = await describeGroup(w, 'g');
    assert.equal(now.Instances!.filter((i) => i.LifecycleState === 'InService').length, 1);
    assert.ok(
      now.Instances!.find((i) => i.InstanceId === group.Instances![0]!.InstanceId)!.LifecycleState!.startsWith('Terminating'),
      'the unhealthy one goes first',
    );
  } finally {
    await w.t.close();
  }
});

test('E-5 AddToLoadBalancer: new instances are not registered with the target groups', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'atlb');
    await createGroup(w, 'g', { DesiredCapacity: 0, TargetGroupARNs: [stack.targetGroupArn] });
    await t.asg.send(suspend(['AddToLoadBalancer']));
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2 }));
    await waitInService(w, 'g', 2);
    t.advance(60);
    const health = await t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    assert.equal(health.TargetHealthDescriptions?.length, 0);
    assert.equal(entries(w, 'target').length, 0);

    // Resumed: later instances are registered (AWS does not register the ones launched meanwhile).
    await t.asg.send(resume(['AddToLoadBalancer']));
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 3 }));
    await waitInService(w, 'g', 3);
    const after = await t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    assert.equal(after.TargetHealthDescriptions?.length, 1);
  } finally {
    await w.t.close();
  }
});

test('E-5 HealthCheck: nothing is marked unhealthy while suspended; ReplaceUnhealthy: unhealthy instances stay', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { DesiredCapacity: 2 });
    const group = await waitInService(w, 'g', 2);
    const [first, second] = group.Instances!.map((i) => i.InstanceId!);

    await t.asg.send(suspend(['HealthCheck']));
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [first!] }));
    t.advance(60);
    assert.equal(entries(w, 'health').filter((e) => e.to === 'Unhealthy').length, 0, 'no health check ran');
    assert.equal((await describeGroup(w, 'g')).Instances!.find((i) => i.InstanceId === first)?.HealthStatus, 'Healthy');

    await t.asg.send(suspend(['ReplaceUnhealthy']));
    const resumedChecks = t.emu.sim.now;
    await t.asg.send(resume(['HealthCheck']));
    t.advance(60);
    const marked = entries(w, 'health').find((e) => e.instanceId === first && e.to === 'Unhealthy');
    assert.ok(marked && marked.t === resumedChecks + 1_000, 'checked on the next pass after resuming');
    let now = await describeGroup(w, 'g');
    assert.equal(now.Instances!.find((i) => i.InstanceId === first)?.LifecycleState, 'InService', 'not replaced while ReplaceUnhealthy is suspended');
    assert.equal(now.Instances!.length, 2);

    const resumedAll = t.emu.sim.now;
    await t.asg.send(resume());
    t.advance(1);
    now = await describeGroup(w, 'g');
    // Its EC2 instance is long terminated: it goes through Terminating and leaves at once.
    assert.equal(now.Instances!.find((i) => i.InstanceId === first), undefined);
    assert.deepEqual(
      entries(w, 'lifecycle').filter((e) => e.instanceId === first && e.t === resumedAll + 1_000).map((e) => e.to),
      ['Terminating', 'Terminating:Proceed', 'Terminated', null],
    );
    assert.equal(now.Instances!.filter((i) => i.LifecycleState === 'Pending').length, 1, 'a replacement launches');
    assert.equal(now.Instances!.find((i) => i.InstanceId === second)?.LifecycleState, 'InService');
    assert.deepEqual(now.SuspendedProcesses, []);
  } finally {
    await w.t.close();
  }
});

test('E-5: suspending with no list suspends every process; resuming with no list resumes all', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g');
    await t.asg.send(suspend());
    const types = await t.asg.send(new DescribeScalingProcessTypesCommand({}));
    const all = types.Processes!.map((p) => p.ProcessName!).sort();
    assert.deepEqual(
      all,
      ['AZRebalance', 'AddToLoadBalancer', 'AlarmNotification', 'HealthCheck', 'InstanceRefresh', 'Launch', 'RemoveFromLoadBalancerLowPriority', 'ReplaceUnhealthy', 'ScheduledActions', 'Terminate'].sort(),
    );
    assert.deepEqual((await describeGroup(w, 'g')).SuspendedProcesses!.map((p) => p.ProcessName).sort(), all);
    await t.asg.send(resume(['Launch', 'Terminate']));
    assert.equal((await describeGroup(w, 'g')).SuspendedProcesses!.length, all.length - 2);
    await t.asg.send(resume());
    assert.deepEqual((await describeGroup(w, 'g')).SuspendedProcesses, []);
    await assert.rejects(t.asg.send(suspend(['Lunch'])), { name: 'ValidationError' });
  } finally {
    await w.t.close();
  }
});
