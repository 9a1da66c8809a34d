/**
 * E-6 health checks (EC2 at once; ELB after the grace period) and their
 * replacement, and E-11 SetInstanceHealth — timings from the history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SetInstanceHealthCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { activitiesOf, createGroup, createStack, describeGroup, entries, startWorld, waitInService } from './autoscaling-fixtures.test.js';

test('E-6 EC2: an instance whose EC2 state leaves running is Unhealthy at once, then terminated and replaced', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 2, MaxSize: 4, DesiredCapacity: 2, HealthCheckGracePeriod: 300 });
    const group = await waitInService(w, 'g', 2);
    const [killed, stopped] = group.Instances!.map((i) => i.InstanceId!);

    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [killed!] }));
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [stopped!] }));
    t.advance(1);
    for (const id of [killed!, stopped!]) {
      const ec2Change = entries(w, 'instance').find((e) => e.instanceId === id && (e.to === 'shutting-down' || e.to === 'stopping'))!;
      const unhealthy = entries(w, 'health').find((e) => e.instanceId === id && e.to === 'Unhealthy');
      assert.ok(unhealthy, `${id} marked Unhealthy`);
      assert.equal(unhealthy.t, ec2Change.t, 'at the very instant, grace period or not');
      const terminating = entries(w, 'lifecycle').find((e) => e.instanceId === id && e.to === 'Terminating');
      assert.equal(terminating?.t, ec2Change.t + 1_000, 'taken out of service on the next pass');
    }
    const now = await describeGroup(w, 'g');
    assert.equal(now.Instances!.filter((i) => i.LifecycleState === 'Pending').length, 2, 'both replaced');
    const causes = (await activitiesOf(w, 'g')).filter((a) => a.Description!.startsWith('Terminating')).map((a) => a.Cause);
    assert.equal(causes.length, 2);
    for (const cause of causes) {
      assert.match(cause!, /^At \S+Z an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped\.$/);
    }
    await waitInService(w, 'g', 2);
  } finally {
    await w.t.close();
  }
});

test('E-6 ELB: unhealthy in a target group counts only after HealthCheckGracePeriod since InService', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'elb');
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 2, DesiredCapacity: 1, TargetGroupARNs: [stack.targetGroupArn], HealthCheckType: 'ELB', HealthCheckGracePeriod: 120 });
    t.advance(1);
    const id = (await describeGroup(w, 'g')).Instances![0]!.InstanceId!;
    // The application on this instance never answers (E-19).
    await t.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'emulator:health', Value: 'unhealthy' }] }));
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.some((i) => i.InstanceId === id && i.HealthStatus === 'Unhealthy'), {
      maxSeconds: 400,
    });
    const inService = entries(w, 'lifecycle').find((e) => e.instanceId === id && e.to === 'InService')!;
    const targetUnhealthy = entries(w, 'target').find((e) => e.instanceId === id && e.to === 'unhealthy')!;
    const unhealthy = entries(w, 'health').find((e) => e.instanceId === id && e.to === 'Unhealthy')!;
    assert.ok(targetUnhealthy.t < inService.t + 120_000, 'the target group said unhealthy within the grace period');
    assert.equal(unhealthy.t, inService.t + 120_000, 'the group marks it when the grace period ends');
    t.advance(1);
    assert.match(
      (await activitiesOf(w, 'g')).find((a) => a.Description === `Terminating EC2 instance: ${id}`)?.Cause ?? '',
      /an instance was taken out of service in response to an ELB system health check failure\.$/,
    );
  } finally {
    await w.t.close();
  }
});

test('E-6: with HealthCheckType EC2 the target group\'s verdict is ignored', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'ec2only');
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 2, DesiredCapacity: 1, TargetGroupARNs: [stack.targetGroupArn], HealthCheckType: 'EC2' });
    t.advance(1);
    const id = (await describeGroup(w, 'g')).Instances![0]!.InstanceId!;
    await t.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'emulator:health', Value: 'unhealthy' }] }));
    t.advance(300);
    assert.ok(entries(w, 'target').some((e) => e.instanceId === id && e.to === 'unhealthy'));
    assert.equal(entries(w, 'health').filter((e) => e.to === 'Unhealthy').length, 0);
    assert.equal((await describeGroup(w, 'g')).Instances![0]!.LifecycleState, 'InService');
  } finally {
    await w.t.close();
  }
});

test('E-11 SetInstanceHealth: respects the grace period unless told not to; Unhealthy is replaced', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 2, DesiredCapacity: 1, HealthCheckGracePeriod: 300 });
    const id = (await waitInService(w, 'g', 1)).Instances![0]!.InstanceId!;
    await t.asg.send(new SetInstanceHealthCommand({ InstanceId: id, HealthStatus: 'Unhealthy', ShouldRespectGracePeriod: true }));
    assert.equal((await describeGroup(w, 'g')).Instances![0]!.HealthStatus, 'Healthy', 'inside the grace period the call changes nothing');
    const marked = t.emu.sim.now;
    await t.asg.send(new SetInstanceHealthCommand({ InstanceId: id, HealthStatus: 'Unhealthy', ShouldRespectGracePeriod: false }));
    assert.equal((await describeGroup(w, 'g')).Instances![0]!.HealthStatus, 'Unhealthy');
    t.advance(1);
    const terminate = (await activitiesOf(w, 'g')).find((a) => a.Description === `Terminating EC2 instance: ${id}`);
    assert.match(terminate?.Cause ?? '', /in response to a user health-check\.$/);
    assert.equal(entries(w, 'lifecycle').find((e) => e.instanceId === id && e.to === 'Terminating')?.t, marked + 1_000);
    await assert.rejects(t.asg.send(new SetInstanceHealthCommand({ InstanceId: 'i-0000000000000000f', HealthStatus: 'Healthy' })), {
      name: 'ValidationError',
      message: 'Instance Id not found - No managed instance found for instance ID: i-0000000000000000f',
    });
  } finally {
    await w.t.close();
  }
});
