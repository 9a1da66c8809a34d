/**
 * The installed AWS CLI (v1, botocore) drives the emulator through
 * `AWS_ENDPOINT_URL` (docs/emulator.md "Wire": any client, not only SDK v3):
 * launch template, target group behind a load balancer, a group of 4 over 3
 * AZs with ELB health checks, watched from Pending to InService and healthy,
 * and a ValidationError (E-4) surfacing as a CLI failure.
 *
 * Simulated time moves only when this test says so (ManualClock); the only
 * real time spent is the CLI's own start-up, so invocations are kept few.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { awsChildEnv, runChild, type ChildResult } from './child-process.js';

let emu: RunningEmulator;

before(async () => {
  emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 11 });
});

after(async () => {
  await emu?.close();
});

/** Runs `aws ARGS --output json` against the emulator. */
function aws(...args: string[]): Promise<ChildResult> {
  return runChild('aws', [...args, '--output', 'json'], { env: awsChildEnv(emu.endpoint), timeoutMs: 60_000 });
}

/** Runs `aws ARGS`, insists on exit 0, and parses its JSON output. */
async function awsJson<T = Record<string, any>>(...args: string[]): Promise<T> {
  const result = await aws(...args);
  assert.equal(result.code, 0, `aws ${args.slice(0, 2).join(' ')} exited ${result.code}: ${result.stderr}`);
  return (result.stdout.trim() ? JSON.parse(result.stdout) : {}) as T;
}

interface CliInstance {
  InstanceId: string;
  AvailabilityZone: string;
  LifecycleState: string;
  HealthStatus: string;
  LaunchTemplate?: { LaunchTemplateName?: string; Version?: string };
}

test('the AWS CLI builds a load-balanced group of 4 over 3 AZs and watches it come into service', { timeout: 180_000 }, async () => {
  // An Amazon-owned base image and the default subnets, found as one would on AWS.
  const images = await awsJson('ec2', 'describe-images', '--owners', 'amazon');
  const image = (images.Images as any[]).find((i) => i.Architecture === 'x86_64' && i.State === 'available');
  assert.ok(image?.ImageId, `no available x86_64 image among ${JSON.stringify(images.Images?.map((i: any) => i.Name))}`);
  assert.match(image.ImageId, /^ami-[0-9a-f]+$/);

  const subnets = (await awsJson('ec2', 'describe-subnets')).Subnets as any[];
  const byZone = new Map<string, any>();
  for (const s of subnets) if (!byZone.has(s.AvailabilityZone)) byZone.set(s.AvailabilityZone, s);
  assert.ok(byZone.size >= 3, `expected default subnets in at least 3 AZs, got ${[...byZone.keys()].join(', ')}`);
  const threeSubnets = [...byZone.values()].slice(0, 3);
  const vpcId = threeSubnets[0].VpcId as string;

  const template = await awsJson(
    'ec2', 'create-launch-template',
    '--launch-template-name', 'cli-web',
    '--launch-template-data', JSON.stringify({ ImageId: image.ImageId, InstanceType: 't3.micro' }),
  );
  assert.equal(template.LaunchTemplate?.LaunchTemplateName, 'cli-web');
  assert.equal(template.LaunchTemplate?.LatestVersionNumber, 1);

  const targetGroup = (
    await awsJson(
      'elbv2', 'create-target-group',
      '--name', 'cli-web', '--protocol', 'HTTP', '--port', '80', '--vpc-id', vpcId,
      '--health-check-path', '/health', '--health-check-interval-seconds', '10', '--healthy-threshold-count', '2',
    )
  ).TargetGroups?.[0];
  assert.match(targetGroup?.TargetGroupArn ?? '', /^arn:aws:elasticloadbalancing:us-east-1:\d{12}:targetgroup\/cli-web\//);

  const loadBalancer = (
    await awsJson('elbv2', 'create-load-balancer', '--name', 'cli-web-alb', '--subnets', ...threeSubnets.map((s) => s.SubnetId as string))
  ).LoadBalancers?.[0];
  assert.match(loadBalancer?.LoadBalancerArn ?? '', /^arn:aws:elasticloadbalancing:us-east-1:\d{12}:loadbalancer\/app\/cli-web-alb\//);

  const listener = (
    await awsJson(
      'elbv2', 'create-listener',
      '--load-balancer-arn', loadBalancer.LoadBalancerArn, '--protocol', 'HTTP', '--port', '80',
      '--default-actions', `Type=forward,TargetGroupArn=${targetGroup.TargetGroupArn}`,
    )
  ).Listeners?.[0];
  assert.match(listener?.ListenerArn ?? '', /:listener\/app\/cli-web-alb\//);

  const created = await aws(
    'autoscaling', 'create-auto-scaling-group',
    '--auto-scaling-group-name', 'cli-web',
    '--launch-template', 'LaunchTemplateName=cli-web,Version=$Latest',
    '--min-size', '1', '--max-size', '6', '--desired-capacity', '4',
    '--vpc-zone-identifier', threeSubnets.map((s) => s.SubnetId).join(','),
    '--target-group-arns', targetGroup.TargetGroupArn,
    '--health-check-type', 'ELB', '--health-check-grace-period', '60',
  );
  assert.equal(created.code, 0, `create-auto-scaling-group failed: ${created.stderr}`);

  // One simulated second in: launched, still booting (E-1: boot takes ~30 s).
  emu.advance(1_000);
  const seen = new Map<string, Set<string>>();
  const describeGroup = async () => {
    const groups = (await awsJson('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'cli-web')).AutoScalingGroups as any[];
    assert.equal(groups.length, 1);
    const instances = groups[0].Instances as CliInstance[];
    for (const i of instances) {
      if (!seen.has(i.InstanceId)) seen.set(i.InstanceId, new Set());
      seen.get(i.InstanceId)!.add(i.LifecycleState);
    }
    return { group: groups[0], instances };
  };

  const first = await describeGroup();
  assert.equal(first.group.DesiredCapacity, 4);
  assert.equal(first.group.HealthCheckType, 'ELB');
  assert.deepEqual(first.group.TargetGroupARNs, [targetGroup.TargetGroupArn]);
  assert.equal(first.instances.length, 4, `expected 4 launched instances after 1 s, got ${JSON.stringify(first.instances)}`);
  assert.ok(
    first.instances.every((i) => i.LifecycleState.startsWith('Pending')),
    `1 s after launch every instance should still be Pending: ${first.instances.map((i) => `${i.InstanceId}=${i.LifecycleState}`).join(', ')}`,
  );
  assert.equal(new Set(first.instances.map((i) => i.AvailabilityZone)).size, 3, 'E-3: 4 instances spread over the 3 AZs');

  // Watch, 30 simulated seconds at a time, until every instance is InService.
  let current = first;
  let waited = 1;
  while (!current.instances.every((i) => i.LifecycleState === 'InService') && waited < 600) {
    emu.advance(30_000);
    waited += 30;
    current = await describeGroup();
  }
  assert.equal(current.instances.length, 4);
  assert.ok(
    current.instances.every((i) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy'),
    `after ${waited} simulated s: ${current.instances.map((i) => `${i.InstanceId}=${i.LifecycleState}/${i.HealthStatus}`).join(', ')}`,
  );
  assert.ok(waited >= 30, `E-1: InService after only ${waited} simulated s; booting takes time`);
  for (const [id, states] of seen) {
    assert.ok(states.has('InService') && [...states].some((s) => s.startsWith('Pending')), `${id} was seen ${[...states].join(' → ')}`);
  }
  for (const i of current.instances) assert.equal(i.LaunchTemplate?.LaunchTemplateName, 'cli-web');

  // The target group reports them healthy once the app answers HealthyThresholdCount checks.
  const ids = current.instances.map((i) => i.InstanceId).sort();
  let health: any[] = [];
  for (let step = 0; step < 10; step++) {
    health = (await awsJson('elbv2', 'describe-target-health', '--target-group-arn', targetGroup.TargetGroupArn)).TargetHealthDescriptions;
    if (health.length === 4 && health.every((h) => h.TargetHealth?.State === 'healthy')) break;
    emu.advance(30_000);
  }
  assert.deepEqual(health.map((h) => h.Target.Id).sort(), ids, 'E-3/E-18: the group registered exactly its instances');
  assert.ok(
    health.every((h) => h.TargetHealth?.State === 'healthy'),
    `target health: ${health.map((h) => `${h.Target.Id}=${h.TargetHealth?.State}`).join(', ')}`,
  );

  // E-4: a desired capacity above max is refused; the CLI exits non-zero with the AWS error code.
  const refused = await aws('autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'cli-web', '--desired-capacity', '99');
  assert.notEqual(refused.code, 0, `set-desired-capacity 99 should fail; stdout: ${refused.stdout}`);
  assert.match(refused.stderr, /ValidationError/);
  assert.match(refused.stderr, /SetDesiredCapacity/);
  assert.match(refused.stderr, /Desired capacity:99 must be between the specified min size:1 and max size:6/);

  // The emulator's history saw the CLI's calls, the refused one as a failure (E-20).
  const calls = emu.sim.history.entries.filter((e) => e.type === 'call');
  assert.ok(calls.some((c) => c.type === 'call' && c.action === 'CreateAutoScalingGroup' && c.ok));
  assert.ok(calls.some((c) => c.type === 'call' && c.action === 'SetDesiredCapacity' && !c.ok && c.code === 'ValidationError'));
});
