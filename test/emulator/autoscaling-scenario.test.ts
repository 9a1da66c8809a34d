/**
 * The end-to-end scenario (E-3, E-4, E-6, E-12, E-13): a launch template and
 * a group of 4 across 3 AZs behind a target group. Instances go Pending →
 * InService, become healthy in the target group, an instance made unhealthy
 * (`emulator:health=unhealthy` on the instance) is replaced, and a desired
 * capacity above max is refused. Timings come from the recorded history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SetDesiredCapacityCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { activitiesOf, createGroup, createStack, describeGroup, entries, startWorld, waitInService } from './autoscaling-fixtures.test.js';

test('a group of 4 behind a target group launches, serves, replaces an unhealthy instance and refuses desired above max', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'web');
    const start = t.emu.sim.now;
    await createGroup(w, 'web-asg', {
      MinSize: 1,
      MaxSize: 6,
      DesiredCapacity: 4,
      TargetGroupARNs: [stack.targetGroupArn],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 60,
      Tags: [
        { Key: 'app', Value: 'web', PropagateAtLaunch: true },
        { Key: 'owner', Value: 'ops', PropagateAtLaunch: false },
      ],
    });

    // E-3: Pending at first, spread across the 3 AZs (2/1/1).
    t.advance(2);
    let group = await describeGroup(w, 'web-asg');
    assert.equal(group.Instances?.length, 4);
    assert.ok(group.Instances!.every((i) => i.LifecycleState === 'Pending' && i.HealthStatus === 'Healthy'));
    const perZone = new Map<string, number>();
    for (const i of group.Instances!) perZone.set(i.AvailabilityZone!, (perZone.get(i.AvailabilityZone!) ?? 0) + 1);
    assert.deepEqual([...perZone.values()].sort(), [1, 1, 2]);
    // E-12: each instance reports the concrete template version it launched from.
    for (const i of group.Instances!) assert.deepEqual(i.LaunchTemplate, { LaunchTemplateId: w.templateId, LaunchTemplateName: 'web', Version: '1' });

    // E-13: propagated tags plus aws:autoscaling:groupName; the non-propagating tag stays on the group.
    const ids = group.Instances!.map((i) => i.InstanceId!);
    const described = await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    for (const r of described.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        const tags = Object.fromEntries((i.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
        assert.equal(tags['app'], 'web');
        assert.equal(tags['aws:autoscaling:groupName'], 'web-asg');
        assert.equal(tags['owner'], undefined);
      }
    }

    // Pending → InService when EC2 says running (30 s boot by default), then healthy in the TG.
    group = await waitInService(w, 'web-asg', 4);
    const inService = entries(w, 'lifecycle').filter((e) => e.to === 'InService' && e.group === 'web-asg');
    assert.equal(inService.length, 4);
    for (const e of inService) {
      const running = entries(w, 'instance').find((i) => i.instanceId === e.instanceId && i.to === 'running');
      assert.ok(running, 'EC2 reported running');
      assert.equal(e.t, running.t, 'InService at the instant EC2 reported running');
      assert.ok(e.t - start >= 30_000, 'not before the boot time');
    }
    await t.advanceUntil(async () => {
      const health = await t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
      const states = (health.TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State);
      return states.length === 4 && states.every((s) => s === 'healthy');
    });
    const activities = await activitiesOf(w, 'web-asg');
    assert.equal(activities.length, 4);
    for (const a of activities) {
      assert.match(a.Description!, /^Launching a new EC2 instance: i-[0-9a-f]+$/);
      assert.match(
        a.Cause!,
        /^At \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ a user request created an AutoScalingGroup changing the desired capacity from 0 to 4\.  At \S+ an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 4\.$/,
      );
      assert.equal(a.StatusCode, 'Successful');
      assert.equal(a.Progress, 100);
      assert.ok(a.EndTime! >= a.StartTime!);
    }

    // E-6: an instance whose application fails its checks is marked Unhealthy by the ELB check, then replaced.
    const victim = ids[0]!;
    const tagged = t.emu.sim.now;
    await t.ec2.send(new CreateTagsCommand({ Resources: [victim], Tags: [{ Key: 'emulator:health', Value: 'unhealthy' }] }));
    await t.advanceUntil(async () => (await describeGroup(w, 'web-asg')).Instances!.every((i) => i.InstanceId !== victim), { maxSeconds: 900 });
    const targetUnhealthy = entries(w, 'target').find((e) => e.instanceId === victim && e.to === 'unhealthy' && e.t > tagged);
    const markedUnhealthy = entries(w, 'health').find((e) => e.instanceId === victim && e.to === 'Unhealthy');
    assert.ok(targetUnhealthy && markedUnhealthy);
    // Unhealthy as soon as the target group says so, but not before the 60 s grace period since InService has passed.
    const victimInService = inService.find((e) => e.instanceId === victim)!;
    assert.equal(markedUnhealthy.t, Math.max(targetUnhealthy.t, victimInService.t + 60_000));
    const victimStates = entries(w, 'lifecycle').filter((e) => e.instanceId === victim).map((e) => e.to);
    assert.deepEqual(victimStates, ['Pending', 'InService', 'Terminating', 'Terminating:Proceed', 'Terminated', null]);
    // The replacement launched once the victim stopped counting, and the group is whole again.
    group = await waitInService(w, 'web-asg', 4);
    const terminating = entries(w, 'lifecycle').find((e) => e.instanceId === victim && e.to === 'Terminating')!;
    const replacement = entries(w, 'lifecycle').find((e) => e.from === null && e.t >= terminating.t && e.group === 'web-asg');
    assert.ok(replacement, 'a replacement joined');
    assert.ok(replacement.t - terminating.t <= 2_000, 'the replacement launches right after the unhealthy instance leaves service');
    const terminateActivity = (await activitiesOf(w, 'web-asg')).find((a) => a.Description === `Terminating EC2 instance: ${victim}`);
    assert.match(terminateActivity?.Cause ?? '', /an instance was taken out of service in response to an ELB system health check failure\.$/);
    assert.equal(terminateActivity?.StatusCode, 'Successful');

    // E-4: desired above max is refused with AWS's message, and nothing changes.
    await assert.rejects(t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 7 })), {
      name: 'ValidationError',
      message: 'Desired capacity:7 must be between the specified min size:1 and max size:6',
    });
    await assert.rejects(t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', MinSize: 5, MaxSize: 3 })), {
      name: 'ValidationError',
      message: 'Max bound, 3, must be greater than or equal to min bound, 5',
    });
    assert.equal((await describeGroup(w, 'web-asg')).DesiredCapacity, 4);
  } finally {
    await w.t.close();
  }
});

test('E-2: the same seed and the same calls give the same group history', async () => {
  const run = async () => {
    const w = await startWorld({ seed: 11 });
    try {
      const stack = await createStack(w, 'det');
      await createGroup(w, 'g', { MinSize: 0, MaxSize: 6, DesiredCapacity: 5, TargetGroupARNs: [stack.targetGroupArn], HealthCheckType: 'ELB', HealthCheckGracePeriod: 30 });
      await waitInService(w, 'g', 5);
      w.t.advance(60);
      await w.t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2 }));
      w.t.advance(120);
      const start = w.t.history()[0]!.t;
      return w.t
        .history()
        .filter((e) => e.type === 'lifecycle' || e.type === 'health' || e.type === 'activity' || e.type === 'group')
        .map((e) => JSON.stringify({ ...e, t: e.t - start }));
    } finally {
      await w.t.close();
    }
  };
  const first = await run();
  const second = await run();
  assert.ok(first.length > 30);
  assert.deepEqual(second, first);
});
