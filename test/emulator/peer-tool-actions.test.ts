/**
 * E-38, E-39: the actions Ansible and the AWS CLI call around a fleet, each
 * answered as AWS answers it (never InvalidAction), through SDK v3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteNotificationConfigurationCommand,
  DescribeAdjustmentTypesCommand,
  DescribeAutoScalingNotificationTypesCommand,
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  DescribeNotificationConfigurationsCommand,
  DescribeTrafficSourcesCommand,
  PutNotificationConfigurationCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateImageCommand,
  DeleteLaunchTemplateVersionsCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcClassicLinkCommand,
  DescribeVpcClassicLinkDnsSupportCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeListenersCommand, DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createGroup, createStack, newTemplateVersion, startWorld, waitInService } from './autoscaling-fixtures.test.js';

test('E-39: Auto Scaling describes answer as AWS does (adjustment and notification types, notifications, classic load balancers, traffic sources)', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'px');
    await createGroup(w, 'g', { MinSize: 0, MaxSize: 2, DesiredCapacity: 0, TargetGroupARNs: [stack.targetGroupArn] });
    assert.deepEqual((await t.asg.send(new DescribeAdjustmentTypesCommand({}))).AdjustmentTypes?.map((a) => a.AdjustmentType), [
      'ChangeInCapacity',
      'ExactCapacity',
      'PercentChangeInCapacity',
    ]);
    assert.ok((await t.asg.send(new DescribeAutoScalingNotificationTypesCommand({}))).AutoScalingNotificationTypes?.includes('autoscaling:EC2_INSTANCE_LAUNCH'));

    assert.deepEqual((await t.asg.send(new DescribeNotificationConfigurationsCommand({}))).NotificationConfigurations, [], 'empty, not absent');
    const topic = 'arn:aws:sns:us-east-1:123456789012:fleet';
    await t.asg.send(new PutNotificationConfigurationCommand({ AutoScalingGroupName: 'g', TopicARN: topic, NotificationTypes: ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_TERMINATE'] }));
    const configs = (await t.asg.send(new DescribeNotificationConfigurationsCommand({ AutoScalingGroupNames: ['g'] }))).NotificationConfigurations!;
    assert.deepEqual(configs.map((c) => c.NotificationType), ['autoscaling:EC2_INSTANCE_LAUNCH', 'autoscaling:EC2_INSTANCE_TERMINATE']);
    assert.ok(configs.every((c) => c.TopicARN === topic && c.AutoScalingGroupName === 'g'));
    await assert.rejects(t.asg.send(new PutNotificationConfigurationCommand({ AutoScalingGroupName: 'g', TopicARN: topic, NotificationTypes: ['nope'] })), { name: 'ValidationError' });
    await t.asg.send(new DeleteNotificationConfigurationCommand({ AutoScalingGroupName: 'g', TopicARN: topic }));
    assert.deepEqual((await t.asg.send(new DescribeNotificationConfigurationsCommand({}))).NotificationConfigurations, []);

    assert.deepEqual((await t.asg.send(new DescribeClassicLoadBalancersCommand({ AutoScalingGroupName: 'g' }))).LoadBalancers, []);
    const sources = (await t.asg.send(new DescribeTrafficSourcesCommand({ AutoScalingGroupName: 'g' }))).TrafficSources!;
    assert.deepEqual(sources, [{ TrafficSource: stack.targetGroupArn, Identifier: stack.targetGroupArn, Type: 'elbv2', State: 'InService' }]);
    await assert.rejects(t.asg.send(new DescribeTrafficSourcesCommand({ AutoScalingGroupName: 'missing' })), { name: 'ValidationError' });
  } finally {
    await w.t.close();
  }
});

test('E-38: DescribeRules lists a listener\'s default rule by listener or by rule ARN', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'rules');
    const listener = (await t.elb.send(new DescribeListenersCommand({ LoadBalancerArn: stack.loadBalancerArn }))).Listeners![0]!;
    const rules = (await t.elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules!;
    assert.equal(rules.length, 1);
    const [rule] = rules;
    assert.equal(rule!.Priority, 'default');
    assert.equal(rule!.IsDefault, true);
    assert.deepEqual(rule!.Conditions, []);
    assert.equal(rule!.Actions?.[0]?.TargetGroupArn, stack.targetGroupArn);
    assert.match(rule!.RuleArn!, /^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule\/app\/rules-lb\/\w+\/\w+\/[0-9a-f]{16}$/);
    const again = (await t.elb.send(new DescribeRulesCommand({ RuleArns: [rule!.RuleArn!] }))).Rules!;
    assert.deepEqual(again, rules);
    await assert.rejects(t.elb.send(new DescribeRulesCommand({ ListenerArn: `${listener.ListenerArn}0` })), { name: 'ListenerNotFoundException' });
    await assert.rejects(t.elb.send(new DescribeRulesCommand({ RuleArns: [`${rule!.RuleArn}0`] })), { name: 'RuleNotFoundException' });
  } finally {
    await w.t.close();
  }
});

test('E-39: EC2 image and VPC attributes, ClassicLink, the isDefault filter, deregistered images listed briefly, empty lists present', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const vpcs = (await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs!;
    assert.deepEqual(vpcs.map((v) => v.VpcId), [w.vpcId]);
    assert.equal((await t.ec2.send(new DescribeVpcAttributeCommand({ VpcId: w.vpcId, Attribute: 'enableDnsHostnames' }))).EnableDnsHostnames?.Value, true);
    assert.equal((await t.ec2.send(new DescribeVpcAttributeCommand({ VpcId: w.vpcId, Attribute: 'enableDnsSupport' }))).EnableDnsSupport?.Value, true);
    await assert.rejects(t.ec2.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-0000000000000000f', Attribute: 'enableDnsSupport' })), { name: 'InvalidVpcID.NotFound' });
    assert.deepEqual((await t.ec2.send(new DescribeVpcClassicLinkCommand({ VpcIds: [w.vpcId] }))).Vpcs, [{ VpcId: w.vpcId, ClassicLinkEnabled: false, Tags: [] }]);
    assert.deepEqual((await t.ec2.send(new DescribeVpcClassicLinkDnsSupportCommand({}))).Vpcs?.map((v) => v.ClassicLinkDnsSupported), [false]);

    // An image of our own: attributes, then deregistered — listed as such for a while, then gone.
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 1, DesiredCapacity: 1 });
    const instanceId = (await waitInService(w, 'g', 1)).Instances![0]!.InstanceId!;
    const imageId = (await t.ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'release-1', Description: 'first' }))).ImageId!;
    assert.equal((await t.ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'description' }))).Description?.Value, 'first');
    assert.deepEqual((await t.ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'launchPermission' }))).LaunchPermissions, []);
    assert.ok((await t.ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'blockDeviceMapping' }))).BlockDeviceMappings!.length >= 1);
    await assert.rejects(t.ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'colour' as never })), { name: 'InvalidParameterValue' });
    t.advance(60);
    await t.ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    const listed = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images!;
    assert.equal(listed[0]?.State, 'deregistered', 'still listed right after deregistration');
    await assert.rejects(t.ec2.send(new DeregisterImageCommand({ ImageId: imageId })), { name: 'InvalidAMIID.NotFound' });
    assert.equal((await t.ec2.send(new DescribeImageAttributeCommand({ ImageId: imageId, Attribute: 'description' }))).Description?.Value, 'first', 'its attributes still answer');
    t.advance(600);
    await assert.rejects(t.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })), { name: 'InvalidAMIID.NotFound' });

    // DeleteLaunchTemplateVersions: both lists present even when one is empty.
    const v2 = await newTemplateVersion(w);
    const out = await t.ec2.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: w.templateId, Versions: [String(v2)] }));
    assert.equal(out.SuccessfullyDeletedLaunchTemplateVersions?.length, 1);
    assert.deepEqual(out.UnsuccessfullyDeletedLaunchTemplateVersions, []);
  } finally {
    await w.t.close();
  }
});
