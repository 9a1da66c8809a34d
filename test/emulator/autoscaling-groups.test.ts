/**
 * Groups: desired vs actual (E-3), size checks (E-4), deletion and
 * pagination (E-16), tags and filters — through the SDK over HTTP, timings
 * from the recorded history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateOrUpdateTagsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeScalingActivitiesCommand,
  DescribeTagsCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { activitiesOf, createGroup, createStack, describeGroup, elapsed, entries, startWorld, waitInService } from './autoscaling-fixtures.test.js';

test('E-3: fewer instances than desired launches the difference across the AZs; more terminates the excess', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'fleet', { MinSize: 0, MaxSize: 10, DesiredCapacity: 0 });
    t.advance(30);
    assert.equal((await describeGroup(w, 'fleet')).Instances?.length, 0, 'desired 0: nothing launches');

    const start = t.emu.sim.now;
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'fleet', DesiredCapacity: 5 }));
    t.advance(1);
    let group = await describeGroup(w, 'fleet');
    assert.equal(group.Instances!.length, 5);
    const perZone = (instances: typeof group.Instances) => {
      const counts = Object.fromEntries(w.zones.map((z) => [z, 0]));
      for (const i of instances ?? []) counts[i.AvailabilityZone!]!++;
      return w.zones.map((z) => counts[z]);
    };
    // Which AZ gets the odd one is a tie broken at random (seeded); the rule is that none has two more than another.
    assert.deepEqual([...perZone(group.Instances)].sort(), [1, 2, 2], 'the AZ with the fewest instances gets the next one');
    const joined = entries(w, 'lifecycle').filter((e) => e.group === 'fleet' && e.from === null);
    assert.ok(joined.every((e) => e.t - start === 1_000), 'launched one reconcile (1 s) after the change');

    const launches = await activitiesOf(w, 'fleet');
    assert.equal(launches.length, 5);
    for (const a of launches) {
      assert.equal(a.StatusCode, 'InProgress');
      assert.match(
        a.Cause!,
        /^At \S+Z a user request explicitly set group desired capacity changing the desired capacity from 0 to 5\.  At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 5\.$/,
      );
      assert.deepEqual(Object.keys(JSON.parse(a.Details!)).sort(), ['Availability Zone', 'Subnet ID']);
    }
    await waitInService(w, 'fleet', 5);

    // Scale in to 2: three instances leave, AZs stay balanced.
    const scaleIn = t.emu.sim.now;
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'fleet', DesiredCapacity: 2 }));
    t.advance(1);
    group = await describeGroup(w, 'fleet');
    const leaving = group.Instances!.filter((i) => i.LifecycleState!.startsWith('Terminating'));
    const staying = group.Instances!.filter((i) => i.LifecycleState === 'InService');
    assert.equal(leaving.length, 3);
    assert.equal(staying.length, 2);
    assert.notEqual(staying[0]!.AvailabilityZone, staying[1]!.AvailabilityZone, 'the two left are in different AZs');
    const terminations = (await activitiesOf(w, 'fleet')).filter((a) => a.Description!.startsWith('Terminating EC2 instance: '));
    assert.equal(terminations.length, 3);
    for (const a of terminations) {
      assert.match(a.Cause!, /changing the desired capacity from 5 to 2\.  At \S+Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 5 to 2\.$/);
    }
    // Without target groups there is nothing to drain: EC2 terminate at once, gone when EC2 says terminated.
    await t.advanceUntil(async () => (await describeGroup(w, 'fleet')).Instances!.length === 2);
    for (const i of leaving) {
      const states = entries(w, 'lifecycle').filter((e) => e.instanceId === i.InstanceId);
      const terminating = states.find((e) => e.to === 'Terminating')!;
      const proceed = states.find((e) => e.to === 'Terminating:Proceed')!;
      const gone = states.find((e) => e.to === null)!;
      const ec2Terminated = entries(w, 'instance').find((e) => e.instanceId === i.InstanceId && e.to === 'terminated')!;
      assert.equal(terminating.t, scaleIn + 1_000);
      assert.equal(proceed.t, terminating.t);
      assert.equal(gone.t, ec2Terminated.t);
    }
    assert.ok((await activitiesOf(w, 'fleet')).every((a) => a.StatusCode === 'Successful'));
    // The history has each desired capacity change.
    assert.deepEqual(
      entries(w, 'group').filter((e) => e.group === 'fleet' && e.field === 'DesiredCapacity').map((e) => [e.from, e.to]),
      [[null, 0], [0, 5], [5, 2]],
    );
    assert.ok(elapsed(w, start) > 0);
  } finally {
    await w.t.close();
  }
});

test('E-4: DesiredCapacity outside [MinSize, MaxSize] and MinSize > MaxSize are refused with AWS messages', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await assert.rejects(createGroup(w, 'bad', { MinSize: 1, MaxSize: 3, DesiredCapacity: 4 }), {
      name: 'ValidationError',
      message: 'Desired capacity:4 must be between the specified min size:1 and max size:3',
    });
    await assert.rejects(createGroup(w, 'bad', { MinSize: 5, MaxSize: 3 }), {
      name: 'ValidationError',
      message: 'Max bound, 3, must be greater than or equal to min bound, 5',
    });
    const none = await t.asg.send(new DescribeAutoScalingGroupsCommand({}));
    assert.equal(none.AutoScalingGroups?.length, 0, 'a refused create creates nothing');

    await createGroup(w, 'ok', { MinSize: 1, MaxSize: 4, DesiredCapacity: 2 });
    await assert.rejects(createGroup(w, 'ok', { MinSize: 1, MaxSize: 4 }), {
      name: 'AlreadyExistsFault',
      message: 'AutoScalingGroup by this name already exists - A group with the name ok already exists',
    });
    await assert.rejects(t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'ok', DesiredCapacity: 0 })), {
      name: 'ValidationError',
      message: 'Desired capacity:0 must be between the specified min size:1 and max size:4',
    });
    await assert.rejects(t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'ok', DesiredCapacity: 5 })), {
      name: 'ValidationError',
      message: 'Desired capacity:5 must be between the specified min size:1 and max size:4',
    });
    await assert.rejects(t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'ok', MaxSize: 0 })), {
      name: 'ValidationError',
      message: 'Max bound, 0, must be greater than or equal to min bound, 1',
    });
    await assert.rejects(t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'nope', DesiredCapacity: 1 })), {
      name: 'ValidationError',
      message: "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found",
    });
    let group = await describeGroup(w, 'ok');
    assert.deepEqual([group.MinSize, group.MaxSize, group.DesiredCapacity], [1, 4, 2], 'refused calls change nothing');

    // A new MinSize above desired raises desired; a new MaxSize below it lowers it (AWS's UpdateAutoScalingGroup rules).
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'ok', MinSize: 3 }));
    group = await describeGroup(w, 'ok');
    assert.deepEqual([group.MinSize, group.MaxSize, group.DesiredCapacity], [3, 4, 3]);
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'ok', MinSize: 0, MaxSize: 1 }));
    group = await describeGroup(w, 'ok');
    assert.deepEqual([group.MinSize, group.MaxSize, group.DesiredCapacity], [0, 1, 1]);
  } finally {
    await w.t.close();
  }
});

test('E-16: deleting a group with instances needs ForceDelete; then "Delete in progress" until the instances are gone', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'del', 40);
    await createGroup(w, 'doomed', { MinSize: 2, MaxSize: 4, DesiredCapacity: 2, TargetGroupARNs: [stack.targetGroupArn] });
    await waitInService(w, 'doomed', 2);
    await assert.rejects(t.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'doomed' })), {
      name: 'ResourceInUseFault',
      message: 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
    });
    await assert.rejects(t.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'ghost' })), { name: 'ValidationError' });

    const deleted = t.emu.sim.now;
    await t.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'doomed', ForceDelete: true }));
    const group = await describeGroup(w, 'doomed');
    assert.equal(group.Status, 'Delete in progress');
    assert.ok(group.Instances!.every((i) => i.LifecycleState!.startsWith('Terminating')));
    await assert.rejects(t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'doomed', DesiredCapacity: 3 })), { name: 'ValidationError' });

    await t.advanceUntil(async () => ((await t.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['doomed'] }))).AutoScalingGroups ?? []).length === 0);
    // ForceDelete does not wait for draining: the instances were terminated at once.
    const terminated = entries(w, 'instance').filter((e) => e.to === 'shutting-down');
    assert.equal(terminated.length, 2);
    assert.ok(terminated.every((e) => e.t === deleted));
    const gone = entries(w, 'group').find((e) => e.group === 'doomed' && e.field === 'Status' && e.to === 'Deleted');
    assert.ok(gone && gone.t > deleted);
    // Its activities remain for IncludeDeletedGroups.
    const kept = await t.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'doomed', IncludeDeletedGroups: true }));
    assert.ok((kept.Activities ?? []).length >= 4);
    const hidden = await t.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'doomed' }));
    assert.equal((hidden.Activities ?? []).length, 0);

    // A group without instances is deleted at once.
    await createGroup(w, 'empty');
    await t.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'empty' }));
    assert.equal((await t.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['empty'] }))).AutoScalingGroups?.length, 0);
  } finally {
    await w.t.close();
  }
});

test('E-16: NextToken / MaxRecords pagination and filters', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    for (const name of ['c-group', 'a-group', 'b-group']) {
      await createGroup(w, name, { Tags: [{ Key: 'team', Value: name === 'b-group' ? 'blue' : 'red', PropagateAtLaunch: name !== 'c-group' }] });
    }
    const first = await t.asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 2 }));
    assert.deepEqual(first.AutoScalingGroups!.map((g) => g.AutoScalingGroupName), ['a-group', 'b-group']);
    assert.ok(first.NextToken);
    const second = await t.asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.AutoScalingGroups!.map((g) => g.AutoScalingGroupName), ['c-group']);
    assert.equal(second.NextToken, undefined);
    await assert.rejects(t.asg.send(new DescribeAutoScalingGroupsCommand({ NextToken: 'bm90LWEtdG9rZW4=' })), { name: 'InvalidNextToken' });
    await assert.rejects(t.asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 })), { name: 'ValidationError' });

    const red = await t.asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:team', Values: ['red'] }] }));
    assert.deepEqual(red.AutoScalingGroups!.map((g) => g.AutoScalingGroupName), ['a-group', 'c-group']);
    const byValue = await t.asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag-value', Values: ['blue'] }] }));
    assert.deepEqual(byValue.AutoScalingGroups!.map((g) => g.AutoScalingGroupName), ['b-group']);
    const byKey = await t.asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag-key', Values: ['nope'] }] }));
    assert.equal(byKey.AutoScalingGroups!.length, 0);

    // Tags: create/update, describe with filters and pages, delete.
    await t.asg.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          { ResourceId: 'a-group', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'green', PropagateAtLaunch: true },
          { ResourceId: 'a-group', ResourceType: 'auto-scaling-group', Key: 'tier', Value: 'web', PropagateAtLaunch: false },
        ],
      }),
    );
    const tags = await t.asg.send(new DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: ['a-group'] }] }));
    assert.deepEqual(
      tags.Tags!.map((tag) => [tag.Key, tag.Value, tag.PropagateAtLaunch, tag.ResourceType]),
      [
        ['team', 'green', true, 'auto-scaling-group'],
        ['tier', 'web', false, 'auto-scaling-group'],
      ],
    );
    const notPropagated = await t.asg.send(new DescribeTagsCommand({ Filters: [{ Name: 'propagate-at-launch', Values: ['false'] }] }));
    assert.deepEqual(notPropagated.Tags!.map((tag) => `${tag.ResourceId}/${tag.Key}`), ['a-group/tier', 'c-group/team']);
    const page = await t.asg.send(new DescribeTagsCommand({ MaxRecords: 3 }));
    assert.equal(page.Tags!.length, 3);
    const rest = await t.asg.send(new DescribeTagsCommand({ MaxRecords: 3, NextToken: page.NextToken }));
    assert.equal(rest.Tags!.length, 1);
    await t.asg.send(new DeleteTagsCommand({ Tags: [{ ResourceId: 'a-group', ResourceType: 'auto-scaling-group', Key: 'tier' }] }));
    assert.deepEqual((await describeGroup(w, 'a-group')).Tags!.map((tag) => tag.Key), ['team']);
    await assert.rejects(
      t.asg.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: 'ghost', ResourceType: 'auto-scaling-group', Key: 'k', Value: 'v' }] })),
      { name: 'ValidationError' },
    );
    assert.deepEqual(
      entries(w, 'group').filter((e) => e.group === 'a-group' && e.field === 'Tag:tier').map((e) => [e.from, e.to]),
      [[null, 'web'], ['web', null]],
    );

    // Activities and instances page too.
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'a-group', DesiredCapacity: 3 }));
    t.advance(2);
    const activities = await t.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'a-group', MaxRecords: 2 }));
    assert.equal(activities.Activities!.length, 2);
    const more = await t.asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'a-group', MaxRecords: 2, NextToken: activities.NextToken }));
    assert.equal(more.Activities!.length, 1);
    const instances = await t.asg.send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 2 }));
    assert.equal(instances.AutoScalingInstances!.length, 2);
    assert.equal(instances.AutoScalingInstances![0]!.HealthStatus, 'HEALTHY');
    assert.equal(instances.AutoScalingInstances![0]!.AutoScalingGroupName, 'a-group');
    const lastInstances = await t.asg.send(new DescribeAutoScalingInstancesCommand({ MaxRecords: 2, NextToken: instances.NextToken }));
    assert.equal(lastInstances.AutoScalingInstances!.length, 1);
  } finally {
    await w.t.close();
  }
});
