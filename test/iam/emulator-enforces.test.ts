/**
 * The emulator enforces an IAM policy (issue 13 item 3): real SDK v3 clients
 * and the AWS CLI get AWS's AccessDenied / UnauthorizedOperation for calls the
 * policy does not allow; the admin API stays open; DELETE lifts the policy.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  UpdateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, DescribeSubnetsCommand, CreateTagsCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { TEST_CREDENTIALS } from '../helpers/emulator.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { awsChildEnv, runChild } from '../interop/child-process.js';

let t: TestEmulator;
let templateId: string;
let webArn: string;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${t.emu.endpoint}/_emulator/${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: await res.json() };
}

before(async () => {
  t = await startTestEmulator({ seed: 3 });
  const image = (await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!.find((i) => i.Architecture === 'x86_64')!.ImageId!;
  const subnets = (await t.ec2.send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!);
  templateId = (await t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: image, InstanceType: 't3.micro' } }))).LaunchTemplate!.LaunchTemplateId!;
  for (const [name, app] of [['web', 'web'], ['api', 'api']]) {
    await t.asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchTemplate: { LaunchTemplateId: templateId, Version: '1' },
        MinSize: 0,
        MaxSize: 4,
        DesiredCapacity: 0,
        VPCZoneIdentifier: subnets.slice(0, 2).join(','),
        Tags: [{ Key: 'app', Value: app, PropagateAtLaunch: true, ResourceId: name, ResourceType: 'auto-scaling-group' }],
      }),
    );
  }
  webArn = (await t.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] }))).AutoScalingGroups![0]!.AutoScalingGroupARN!;
});

after(async () => {
  await t?.close();
});

const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Describe', Effect: 'Allow', Action: ['autoscaling:Describe*'], Resource: '*' },
    { Sid: 'WebGroup', Effect: 'Allow', Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:UpdateAutoScalingGroup'], Resource: '*', Condition: { StringEquals: { 'autoscaling:ResourceTag/app': 'web' } } },
    { Sid: 'NeverCapacityZero', Effect: 'Deny', Action: 'autoscaling:CreateOrUpdateTags', Resource: '*' },
  ],
};

async function refusal(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  return assert.fail('the call was allowed');
}

test('with no policy every call is allowed; POST /_emulator/iam-policy installs one, GET shows it, a bad one is a 400 naming the element', async () => {
  assert.deepEqual((await admin('GET', 'iam-policy')).json, { policy: null });
  const bad = await admin('POST', 'iam-policy', { Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error, /MalformedPolicyDocument: Statement\[0\]\.Effect must be "Allow" or "Deny"/);
  await t.ec2.send(new DescribeSubnetsCommand({}));
  const put = await admin('POST', 'iam-policy', POLICY);
  assert.equal(put.status, 200);
  assert.equal(put.json.policy.Statement[1].Sid, 'WebGroup');
});

test('Auto Scaling: allowed on the tagged group, AccessDenied (403) with AWS\'s message on the other; Describe* allowed', async () => {
  await admin('POST', 'iam-policy', POLICY);
  const groups = await t.asg.send(new DescribeAutoScalingGroupsCommand({}));
  assert.equal(groups.AutoScalingGroups!.length, 2);
  await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 0 }));
  const denied = await refusal(t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'api', DesiredCapacity: 0 })));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.status, 403);
  const apiArn = webArn.replace(/autoScalingGroup:[^:]+:autoScalingGroupName\/web$/, '');
  assert.match(
    denied.message,
    /^User: arn:aws:iam::123456789012:user\/AKIDEXAMPLE is not authorized to perform: autoscaling:SetDesiredCapacity on resource: arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/api because no identity-based policy allows the autoscaling:SetDesiredCapacity action$/,
  );
  assert.ok(denied.message.includes(apiArn), denied.message);
  const explicit = await refusal(t.asg.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'k', Value: 'v', PropagateAtLaunch: false }] })));
  assert.equal(explicit.name, 'AccessDenied');
  assert.match(explicit.message, new RegExp(`autoscaling:CreateOrUpdateTags on resource: ${webArn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} with an explicit deny in an identity-based policy$`));
  // The refused call left a history entry with its code, and changed nothing.
  const last = t.history().filter((e) => e.type === 'call' && e.action === 'CreateOrUpdateTags').at(-1);
  assert.deepEqual(last && { ok: (last as any).ok, code: (last as any).code }, { ok: false, code: 'AccessDenied' });
});

test('UpdateAutoScalingGroup with a launch template also needs ec2:RunInstances on it: "You are not authorized to use launch template"', async () => {
  await admin('POST', 'iam-policy', POLICY);
  await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', MaxSize: 5 }));
  const denied = await refusal(t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', LaunchTemplate: { LaunchTemplateId: templateId, Version: '$Latest' } })));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.message, `You are not authorized to use launch template: ${templateId}`);
  await admin('POST', 'iam-policy', {
    ...POLICY,
    Statement: [...POLICY.Statement, { Sid: 'LaunchFromWeb', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { ArnLike: { 'ec2:LaunchTemplate': `arn:aws:ec2:*:*:launch-template/${templateId}` } } }],
  });
  await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web', LaunchTemplate: { LaunchTemplateId: templateId, Version: '$Latest' } }));
});

test('EC2 answers UnauthorizedOperation; ELBv2 AccessDenied without "on resource" for a describe; the admin API is never subject; DELETE lifts the policy', async () => {
  await admin('POST', 'iam-policy', POLICY);
  const ec2 = await refusal(t.ec2.send(new CreateTagsCommand({ Resources: [templateId], Tags: [{ Key: 'a', Value: 'b' }] })));
  assert.equal(ec2.name, 'UnauthorizedOperation');
  assert.equal(ec2.status, 403);
  assert.match(ec2.message, new RegExp(`^You are not authorized to perform this operation\\. User: arn:aws:iam::123456789012:user/AKIDEXAMPLE is not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:us-east-1:123456789012:launch-template/${templateId} because no identity-based policy allows the ec2:CreateTags action\\. Encoded authorization failure message: \\S+$`));
  const elb = await refusal(t.elb.send(new DescribeTargetGroupsCommand({})));
  assert.equal(elb.name, 'AccessDenied');
  assert.equal(elb.message, 'User: arn:aws:iam::123456789012:user/AKIDEXAMPLE is not authorized to perform: elasticloadbalancing:DescribeTargetGroups because no identity-based policy allows the elasticloadbalancing:DescribeTargetGroups action');
  assert.equal((await admin('GET', 'state')).status, 200);
  assert.equal((await admin('POST', 'clock', { advanceSeconds: 1 })).status, 200);
  assert.deepEqual((await admin('DELETE', 'iam-policy')).json, { policy: null });
  await t.elb.send(new DescribeTargetGroupsCommand({}));
  await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'api', DesiredCapacity: 0 }));
});

test('CloudWatch (JSON protocol) answers AccessDenied on the alarm ARN; a direct RunInstances is checked on the template it launches from', async () => {
  await admin('POST', 'iam-policy', {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: '*' },
      { Sid: 'Launch', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { ArnLike: { 'ec2:LaunchTemplate': 'arn:aws:ec2:*:*:launch-template/lt-00000000000000000' } } },
    ],
  });
  const cw = new CloudWatchClient({ endpoint: t.emu.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  try {
    await cw.send(new DescribeAlarmsCommand({}));
    const denied = await refusal(
      cw.send(new PutMetricAlarmCommand({ AlarmName: 'cpu-high', MetricName: 'CPUUtilization', Namespace: 'AWS/EC2', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold' })),
    );
    assert.match(denied.name, /^AccessDenied/);
    assert.equal(denied.status, 403);
    assert.match(denied.message, /is not authorized to perform: cloudwatch:PutMetricAlarm on resource: arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high because/);
  } finally {
    cw.destroy();
  }
  const run = await refusal(t.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: templateId, Version: '1' } })));
  assert.equal(run.name, 'UnauthorizedOperation');
  assert.match(run.message, /ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance\/\*/);
  await admin('DELETE', 'iam-policy');
});

test('the AWS CLI sees the same refusals (botocore parses the codes and messages)', { timeout: 120_000 }, async () => {
  await admin('POST', 'iam-policy', POLICY);
  try {
    const env = awsChildEnv(t.emu.endpoint);
    const asg = await runChild('/usr/bin/aws', ['--endpoint-url', t.emu.endpoint, 'autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'api', '--desired-capacity', '0'], { env, timeoutMs: 60_000 });
    assert.notEqual(asg.code, 0);
    assert.match(asg.stderr, /An error occurred \(AccessDenied\) when calling the SetDesiredCapacity operation(?: \([^)]*\))?: User: arn:aws:iam::123456789012:user\/test is not authorized to perform: autoscaling:SetDesiredCapacity on resource: arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:\S+:autoScalingGroupName\/api/);
    const ec2 = await runChild('/usr/bin/aws', ['--endpoint-url', t.emu.endpoint, 'ec2', 'describe-instances'], { env, timeoutMs: 60_000 });
    assert.notEqual(ec2.code, 0);
    assert.match(ec2.stderr, /An error occurred \(UnauthorizedOperation\) when calling the DescribeInstances operation(?: \([^)]*\))?: You are not authorized to perform this operation\. User: \S+ is not authorized to perform: ec2:DescribeInstances because/);
    const ok = await runChild('/usr/bin/aws', ['--endpoint-url', t.emu.endpoint, 'autoscaling', 'describe-auto-scaling-groups', '--output', 'json'], { env, timeoutMs: 60_000 });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).AutoScalingGroups.length, 2);
  } finally {
    await admin('DELETE', 'iam-policy');
  }
});

test('POST /_emulator/reset lifts the policy, as it clears the faults', async () => {
  await admin('POST', 'iam-policy', POLICY);
  assert.equal((await admin('GET', 'iam-policy')).json.policy.Statement.length, 3);
  assert.equal((await admin('POST', 'reset', {})).status, 200);
  assert.deepEqual((await admin('GET', 'iam-policy')).json, { policy: null });
  await t.elb.send(new DescribeTargetGroupsCommand({}));
});
