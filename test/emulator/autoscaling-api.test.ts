/**
 * The stored-and-described parts of Auto Scaling (E-15 storage: scaling
 * policies, scheduled actions; launch configurations; target-group
 * attachment; the fixed describes), each through the SDK over HTTP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachLoadBalancerTargetGroupsCommand,
  CreateLaunchConfigurationCommand,
  DeleteLaunchConfigurationCommand,
  DeletePolicyCommand,
  DeleteScheduledActionCommand,
  DescribeAccountLimitsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeLaunchConfigurationsCommand,
  DescribeLifecycleHookTypesCommand,
  DescribeLoadBalancerTargetGroupsCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  DescribeTerminationPolicyTypesCommand,
  DetachLoadBalancerTargetGroupsCommand,
  PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createGroup, createStack, describeGroup, entries, startWorld, waitInService } from './autoscaling-fixtures.test.js';

test('scaling policies and scheduled actions are stored, described, paged and deleted', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g');
    const simple = await t.asg.send(
      new PutScalingPolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'up', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 2, Cooldown: 120 }),
    );
    assert.match(simple.PolicyARN!, /^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/g:policyName\/up$/);
    await t.asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'g',
        PolicyName: 'cpu',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
      }),
    );
    await assert.rejects(t.asg.send(new PutScalingPolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'bad', ScalingAdjustment: 1 })), {
      name: 'ValidationError',
    });
    const all = await t.asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual(all.ScalingPolicies!.map((p) => [p.PolicyName, p.PolicyType, p.Enabled]), [
      ['cpu', 'TargetTrackingScaling', true],
      ['up', 'SimpleScaling', true],
    ]);
    assert.equal(all.ScalingPolicies![1]!.ScalingAdjustment, 2);
    assert.equal(all.ScalingPolicies![0]!.TargetTrackingConfiguration?.TargetValue, 50);
    const page = await t.asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'g', MaxRecords: 1 }));
    assert.equal(page.ScalingPolicies!.length, 1);
    assert.ok(page.NextToken);
    const byType = await t.asg.send(new DescribePoliciesCommand({ PolicyTypes: ['SimpleScaling'] }));
    assert.deepEqual(byType.ScalingPolicies!.map((p) => p.PolicyName), ['up']);
    // Updating keeps the ARN.
    const again = await t.asg.send(
      new PutScalingPolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'up', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 3 }),
    );
    assert.equal(again.PolicyARN, simple.PolicyARN);
    await t.asg.send(new DeletePolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'up' }));
    await t.asg.send(new DeletePolicyCommand({ PolicyName: (await t.asg.send(new DescribePoliciesCommand({}))).ScalingPolicies![0]!.PolicyARN! }));
    assert.equal((await t.asg.send(new DescribePoliciesCommand({}))).ScalingPolicies!.length, 0);

    const at = new Date(t.emu.sim.now + 3_600_000);
    await t.asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'g', ScheduledActionName: 'night', StartTime: at, DesiredCapacity: 0 }));
    await t.asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'g', ScheduledActionName: 'morning', Recurrence: '0 7 * * *', MinSize: 1, MaxSize: 5 }));
    await assert.rejects(
      t.asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'g', ScheduledActionName: 'past', StartTime: new Date(t.emu.sim.now - 1000), DesiredCapacity: 1 })),
      { name: 'ValidationError', message: 'Given start time is in the past' },
    );
    const actions = await t.asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual(actions.ScheduledUpdateGroupActions!.map((a) => a.ScheduledActionName), ['morning', 'night']);
    const night = actions.ScheduledUpdateGroupActions![1]!;
    assert.equal(night.StartTime?.getTime(), at.getTime());
    assert.equal(night.DesiredCapacity, 0);
    assert.match(night.ScheduledActionARN!, /:scheduledUpdateGroupAction:[0-9a-f-]{36}:autoScalingGroupName\/g:scheduledActionName\/night$/);
    await t.asg.send(new DeleteScheduledActionCommand({ AutoScalingGroupName: 'g', ScheduledActionName: 'night' }));
    await assert.rejects(t.asg.send(new DeleteScheduledActionCommand({ AutoScalingGroupName: 'g', ScheduledActionName: 'night' })), {
      name: 'ValidationError',
      message: 'Scheduled action name not found',
    });
    assert.equal((await t.asg.send(new DescribeScheduledActionsCommand({}))).ScheduledUpdateGroupActions!.length, 1);
  } finally {
    await w.t.close();
  }
});

test('launch configurations: a group launches from one; one in use cannot be deleted', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await t.asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc-1', ImageId: w.imageId, InstanceType: 't3.small' }));
    await assert.rejects(t.asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc-1', ImageId: w.imageId, InstanceType: 't3.small' })), {
      name: 'AlreadyExistsFault',
    });
    await assert.rejects(t.asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'lc-2', ImageId: w.imageId })), { name: 'ValidationError' });
    const lcs = await t.asg.send(new DescribeLaunchConfigurationsCommand({}));
    assert.equal(lcs.LaunchConfigurations![0]!.ImageId, w.imageId);
    assert.equal(lcs.LaunchConfigurations![0]!.InstanceType, 't3.small');
    assert.match(lcs.LaunchConfigurations![0]!.LaunchConfigurationARN!, /:launchConfiguration:[0-9a-f-]{36}:launchConfigurationName\/lc-1$/);

    await createGroup(w, 'g', { LaunchTemplate: undefined, LaunchConfigurationName: 'lc-1', DesiredCapacity: 1 });
    const instance = (await waitInService(w, 'g', 1)).Instances![0]!;
    assert.equal(instance.LaunchConfigurationName, 'lc-1');
    assert.equal(instance.InstanceType, 't3.small');
    assert.equal(instance.LaunchTemplate, undefined);
    await assert.rejects(t.asg.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: 'lc-1' })), { name: 'ResourceInUseFault' });
    await assert.rejects(t.asg.send(new DeleteLaunchConfigurationCommand({ LaunchConfigurationName: 'nope' })), {
      name: 'ValidationError',
      message: 'Launch configuration name not found - Launch configuration nope not found',
    });
    await assert.rejects(createGroup(w, 'both', { LaunchConfigurationName: 'lc-1' }), {
      name: 'ValidationError',
      message: 'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.',
    });
  } finally {
    await w.t.close();
  }
});

test('target groups attached later register the InService instances; detached ones drain and show Removing', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'late', 30);
    await createGroup(w, 'g', { DesiredCapacity: 2 });
    const ids = (await waitInService(w, 'g', 2)).Instances!.map((i) => i.InstanceId!).sort();
    await t.asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'g', TargetGroupARNs: [stack.targetGroupArn] }));
    assert.deepEqual((await describeGroup(w, 'g')).TargetGroupARNs, [stack.targetGroupArn]);
    const registered = await t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    assert.deepEqual(registered.TargetHealthDescriptions!.map((d) => d.Target!.Id).sort(), ids);
    let states = await t.asg.send(new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual(states.LoadBalancerTargetGroups, [{ LoadBalancerTargetGroupARN: stack.targetGroupArn, State: 'Added' }]);
    await t.advanceUntil(async () => {
      const s = await t.asg.send(new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'g' }));
      return s.LoadBalancerTargetGroups![0]!.State === 'InService';
    });

    const detached = t.emu.sim.now;
    await t.asg.send(new DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'g', TargetGroupARNs: [stack.targetGroupArn] }));
    states = await t.asg.send(new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual(states.LoadBalancerTargetGroups, [{ LoadBalancerTargetGroupARN: stack.targetGroupArn, State: 'Removing' }]);
    t.advance(30);
    states = await t.asg.send(new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual(states.LoadBalancerTargetGroups, []);
    assert.ok(entries(w, 'target').filter((e) => e.to === null).every((e) => e.t === detached + 30_000));
    await assert.rejects(
      t.asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: 'g', TargetGroupARNs: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef'] })),
      { name: 'ValidationError' },
    );
  } finally {
    await w.t.close();
  }
});

test('the fixed describes answer as AWS does', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g');
    const limits = await t.asg.send(new DescribeAccountLimitsCommand({}));
    assert.equal(limits.NumberOfAutoScalingGroups, 1);
    assert.ok(limits.MaxNumberOfAutoScalingGroups! >= 200);
    const policies = await t.asg.send(new DescribeTerminationPolicyTypesCommand({}));
    assert.ok(policies.TerminationPolicyTypes!.includes('OldestLaunchTemplate'));
    const hookTypes = await t.asg.send(new DescribeLifecycleHookTypesCommand({}));
    assert.deepEqual(hookTypes.LifecycleHookTypes, ['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING']);
    const refreshes = await t.asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual(refreshes.InstanceRefreshes, []);
    const group = await describeGroup(w, 'g');
    assert.match(group.AutoScalingGroupARN!, /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/g$/);
    assert.deepEqual(group.AvailabilityZones, w.zones);
    assert.equal(group.VPCZoneIdentifier, w.subnetIds.join(','));
    assert.equal(group.HealthCheckType, 'EC2');
    assert.equal(group.DefaultCooldown, 300);
    assert.deepEqual(group.TerminationPolicies, ['Default']);
    assert.equal(group.ServiceLinkedRoleARN, 'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling');
    assert.deepEqual(group.EnabledMetrics, []);
    assert.equal(group.NewInstancesProtectedFromScaleIn, false);
  } finally {
    await w.t.close();
  }
});
