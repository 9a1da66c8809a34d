/**
 * Debian's AWS CLI v2 (`/usr/bin/aws`, which ignores AWS_ENDPOINT_URL:
 * `--endpoint-url` on every call) drives the automation (docs/emulator-automation.md):
 * put-metric-alarm on a group's CPU with a scaling policy as its action,
 * describe-alarms watching it go to ALARM under load (the clock advanced by
 * this test), get-metric-statistics reading the group's CPU,
 * enable-metrics-collection / describe-metric-collection-types, and a
 * target tracking policy's alarms seen by describe-alarms.
 * The group, load balancer and load are arranged through the SDK and the
 * admin API (fewer CLI start-ups).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { awsChildEnv, runChild } from './child-process.js';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const AWS_V2 = '/usr/bin/aws';
let emu: RunningEmulator;

before(async () => {
  emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 31 });
});

after(async () => {
  await emu?.close();
});

async function awsJson<T = Record<string, any>>(...args: string[]): Promise<T> {
  const result = await runChild(AWS_V2, [...args, '--endpoint-url', emu.endpoint, '--output', 'json'], { env: awsChildEnv(emu.endpoint), timeoutMs: 60_000 });
  assert.equal(result.code, 0, `aws ${args.slice(0, 2).join(' ')} exited ${result.code}: ${result.stderr}`);
  return (result.stdout.trim() ? JSON.parse(result.stdout) : {}) as T;
}

test('AWS CLI v2: put-metric-alarm / describe-alarms / get-metric-statistics / metrics collection / target tracking alarms', { timeout: 240_000 }, async () => {
  assert.ok(existsSync(AWS_V2), 'Debian awscli (v2) is installed at /usr/bin/aws');
  const config = { endpoint: emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const ec2 = new EC2Client(config);
  const asg = new AutoScalingClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  try {
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!.find((i) => i.Architecture === 'x86_64')!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!.filter((s) => s.DefaultForAz);
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'cli-auto', LaunchTemplateData: { ImageId: image.ImageId, InstanceType: 't3.micro' } }));
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'cli-auto', Protocol: 'HTTP', Port: 80, VpcId: subnets[0]!.VpcId, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 }))).TargetGroups![0]!.TargetGroupArn!;
    const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'cli-auto', Subnets: subnets.slice(0, 3).map((s) => s.SubnetId!) }))).LoadBalancers![0]!.LoadBalancerArn!;
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'cli-auto',
        LaunchTemplate: { LaunchTemplateName: 'cli-auto', Version: '$Latest' },
        MinSize: 1,
        MaxSize: 6,
        DesiredCapacity: 2,
        VPCZoneIdentifier: subnets.slice(0, 3).map((s) => s.SubnetId).join(','),
        TargetGroupARNs: [tg],
      }),
    );
    emu.advance(120_000);

    const policy = await awsJson(
      'autoscaling', 'put-scaling-policy', '--auto-scaling-group-name', 'cli-auto', '--policy-name', 'cli-out',
      '--policy-type', 'SimpleScaling', '--adjustment-type', 'ChangeInCapacity', '--scaling-adjustment', '1', '--cooldown', '0',
    );
    assert.match(policy.PolicyARN, /^arn:aws:autoscaling:us-east-1:\d{12}:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/cli-auto:policyName\/cli-out$/);
    await awsJson(
      'cloudwatch', 'put-metric-alarm', '--alarm-name', 'cli-cpu-high', '--namespace', 'AWS/EC2', '--metric-name', 'CPUUtilization',
      '--dimensions', 'Name=AutoScalingGroupName,Value=cli-auto', '--statistic', 'Average', '--period', '60',
      '--evaluation-periods', '1', '--threshold', '70', '--comparison-operator', 'GreaterThanOrEqualToThreshold',
      '--alarm-actions', policy.PolicyARN,
    );
    await awsJson('autoscaling', 'enable-metrics-collection', '--auto-scaling-group-name', 'cli-auto', '--granularity', '1Minute', '--metrics', 'GroupInServiceInstances');

    // 200 req/s over 2 healthy targets: 100 each → 2 + 100 = 102, capped at 100 % CPU.
    const res = await fetch(`${emu.endpoint}/_emulator/load`, { method: 'POST', body: JSON.stringify({ targetGroupArn: tg, requestsPerSecond: 200 }) });
    assert.equal(res.status, 200);
    const loadedAt = emu.sim.now;
    emu.advance(60_000 - (loadedAt % 60_000)); // the minute ends: one datapoint at 100 %

    const alarms = await awsJson('cloudwatch', 'describe-alarms', '--alarm-names', 'cli-cpu-high');
    const alarm = alarms.MetricAlarms[0];
    assert.equal(alarm.StateValue, 'ALARM');
    assert.match(alarm.StateReason, /^Threshold Crossed: 1 datapoint \[100\.0 \(01\/01\/26 12:\d\d:00\)\] was greater than or equal to the threshold \(70\.0\)\.$/);
    assert.deepEqual(alarm.Dimensions, [{ Name: 'AutoScalingGroupName', Value: 'cli-auto' }]);

    const end = new Date(emu.sim.now).toISOString();
    const start = new Date(emu.sim.now - 5 * 60_000).toISOString();
    const cpu = await awsJson(
      'cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/EC2', '--metric-name', 'CPUUtilization',
      '--dimensions', 'Name=AutoScalingGroupName,Value=cli-auto', '--start-time', start, '--end-time', end,
      '--period', '60', '--statistics', 'Average', 'Maximum',
    );
    const points = (cpu.Datapoints as any[]).sort((a, b) => (a.Timestamp < b.Timestamp ? -1 : 1));
    assert.equal(points[points.length - 1].Maximum, 100);
    assert.equal(points[points.length - 1].Unit, 'Percent');
    assert.ok(points.length >= 2, 'earlier minutes are there too (idle CPU)');

    const groups = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['cli-auto'] }));
    assert.equal(groups.AutoScalingGroups![0]!.DesiredCapacity, 3, 'the alarm ran the policy');
    const types = await awsJson('autoscaling', 'describe-metric-collection-types');
    assert.ok((types.Metrics as any[]).some((m) => m.Metric === 'GroupDesiredCapacity'));

    await awsJson(
      'autoscaling', 'put-scaling-policy', '--auto-scaling-group-name', 'cli-auto', '--policy-name', 'cli-tt', '--policy-type', 'TargetTrackingScaling',
      '--target-tracking-configuration', JSON.stringify({ PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 40 }),
    );
    const tt = await awsJson('cloudwatch', 'describe-alarms', '--alarm-name-prefix', 'TargetTracking-cli-auto-');
    assert.deepEqual((tt.MetricAlarms as any[]).map((a) => [a.Threshold, a.ComparisonOperator, a.EvaluationPeriods]).sort(), [
      [36, 'LessThanThreshold', 15],
      [40, 'GreaterThanThreshold', 3],
    ]);
  } finally {
    ec2.destroy();
    asg.destroy();
    elb.destroy();
  }
});
