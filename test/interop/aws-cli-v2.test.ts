/**
 * Debian's AWS CLI v2 (`/usr/bin/aws`, 2.9: it ignores AWS_ENDPOINT_URL, so
 * `--endpoint-url` on every call) walks the user's common paths against an
 * emulator started here on 127.0.0.1: a load-balanced group, an Instance
 * Refresh watched to Successful, a warm pool, and the describes CLI v2 used
 * to answer InvalidAction (E-32 … E-39). Each step is its own test, so the
 * run reports steps passed / total.
 *
 * Simulated time moves only when a step says so (ManualClock): the real time
 * spent is the CLI's own start-up.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { awsChildEnv, runChild, type ChildResult } from './child-process.js';

const AWS_V2 = '/usr/bin/aws';
let emu: RunningEmulator;
const state: Record<string, any> = {};

before(async () => {
  assert.ok(existsSync(AWS_V2), `${AWS_V2} (Debian's awscli, CLI v2) is installed (.ci/run installs it)`);
  emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 21 });
});

after(async () => {
  await emu?.close();
});

function cli(...args: string[]): Promise<ChildResult> {
  return runChild(AWS_V2, [...args, '--endpoint-url', emu.endpoint, '--output', 'json', '--no-cli-pager'], { env: awsChildEnv(emu.endpoint), timeoutMs: 60_000 });
}

async function cliJson<T = Record<string, any>>(...args: string[]): Promise<T> {
  const r = await cli(...args);
  assert.equal(r.code, 0, `aws ${args.slice(0, 2).join(' ')} exited ${r.code}: ${r.stderr}`);
  return (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as T;
}

/** Advances simulated time in `step`-second steps until `check` holds (checked in process: no CLI start-up per step). */
function advanceUntil(check: () => boolean, maxSeconds: number, step = 5): void {
  for (let s = 0; !check(); s += step) {
    if (s > maxSeconds) throw new Error(`not reached within ${maxSeconds} simulated seconds`);
    emu.advance(step * 1000);
  }
}

function refreshStatus(): string | undefined {
  const list = emu.sim.region('us-east-1').autoscaling.instanceRefreshes.get('cli-web');
  return list?.at(-1)?.Status;
}

test('1. ec2: an Amazon image, the default subnets, a launch template', async () => {
  const images = await cliJson('ec2', 'describe-images', '--owners', 'amazon');
  state.imageId = images.Images.find((i: any) => i.Architecture === 'x86_64').ImageId;
  const subnets = await cliJson('ec2', 'describe-subnets', '--filters', 'Name=default-for-az,Values=true');
  state.subnets = subnets.Subnets.map((s: any) => s.SubnetId);
  state.vpcId = subnets.Subnets[0].VpcId;
  assert.equal(state.subnets.length, 3);
  const lt = await cliJson('ec2', 'create-launch-template', '--launch-template-name', 'cli-web', '--launch-template-data', JSON.stringify({ ImageId: state.imageId, InstanceType: 't3.micro' }));
  state.templateId = lt.LaunchTemplate.LaunchTemplateId;
  assert.match(state.templateId, /^lt-/);
});

test('2. ec2: describe-vpc-attribute, describe-vpc-classic-link, the isDefault filter', async () => {
  const attr = await cliJson('ec2', 'describe-vpc-attribute', '--vpc-id', state.vpcId, '--attribute', 'enableDnsHostnames');
  assert.deepEqual(attr, { VpcId: state.vpcId, EnableDnsHostnames: { Value: true } });
  const classic = await cliJson('ec2', 'describe-vpc-classic-link', '--vpc-ids', state.vpcId);
  assert.equal(classic.Vpcs[0].ClassicLinkEnabled, false);
  const vpcs = await cliJson('ec2', 'describe-vpcs', '--filters', 'Name=isDefault,Values=true');
  assert.deepEqual(vpcs.Vpcs.map((v: any) => v.VpcId), [state.vpcId]);
});

test('3. elbv2: target group, load balancer, listener, describe-rules', async () => {
  const tg = await cliJson('elbv2', 'create-target-group', '--name', 'cli-web', '--protocol', 'HTTP', '--port', '80', '--vpc-id', state.vpcId, '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2', '--healthy-threshold-count', '2');
  state.tgArn = tg.TargetGroups[0].TargetGroupArn;
  const lb = await cliJson('elbv2', 'create-load-balancer', '--name', 'cli-web', '--subnets', ...state.subnets);
  const listener = await cliJson(
    'elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancers[0].LoadBalancerArn, '--protocol', 'HTTP', '--port', '80',
    '--default-actions', `Type=forward,TargetGroupArn=${state.tgArn}`,
  );
  const rules = await cliJson('elbv2', 'describe-rules', '--listener-arn', listener.Listeners[0].ListenerArn);
  assert.equal(rules.Rules.length, 1);
  assert.equal(rules.Rules[0].IsDefault, true);
  assert.equal(rules.Rules[0].Priority, 'default');
});

test('4. autoscaling: a group of 3 on template version 1 comes into service', async () => {
  await cliJson(
    'autoscaling', 'create-auto-scaling-group', '--auto-scaling-group-name', 'cli-web', '--min-size', '1', '--max-size', '6', '--desired-capacity', '3',
    '--launch-template', `LaunchTemplateId=${state.templateId},Version=1`, '--vpc-zone-identifier', state.subnets.join(','),
    '--target-group-arns', state.tgArn, '--health-check-type', 'ELB', '--health-check-grace-period', '30',
  );
  advanceUntil(() => [...(emu.sim.region('us-east-1').autoscaling.groups.get('cli-web')?.instances.values() ?? [])].filter((i) => i.lifecycleState === 'InService').length === 3, 300);
  const groups = await cliJson('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'cli-web');
  assert.deepEqual(groups.AutoScalingGroups[0].Instances.map((i: any) => i.LifecycleState), ['InService', 'InService', 'InService']);
});

test('5. autoscaling: start-instance-refresh to version 2, watched to Successful with describe-instance-refreshes', async () => {
  await cliJson('ec2', 'create-launch-template-version', '--launch-template-id', state.templateId, '--source-version', '1', '--launch-template-data', '{"InstanceType":"t3.small"}');
  const started = await cliJson(
    'autoscaling', 'start-instance-refresh', '--auto-scaling-group-name', 'cli-web',
    '--desired-configuration', JSON.stringify({ LaunchTemplate: { LaunchTemplateId: state.templateId, Version: '2' } }),
    '--preferences', JSON.stringify({ MinHealthyPercentage: 66, InstanceWarmup: 20, CheckpointPercentages: [34, 100], CheckpointDelay: 60 }),
  );
  assert.match(started.InstanceRefreshId, /^[0-9a-f-]{36}$/);
  emu.advance(2000);
  const mid = await cliJson('autoscaling', 'describe-instance-refreshes', '--auto-scaling-group-name', 'cli-web');
  assert.equal(mid.InstanceRefreshes[0].Status, 'InProgress');
  assert.equal(mid.InstanceRefreshes[0].InstancesToUpdate, 3);
  const again = await cli('autoscaling', 'start-instance-refresh', '--auto-scaling-group-name', 'cli-web');
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /InstanceRefreshInProgress/);
  advanceUntil(() => refreshStatus() === 'Successful', 1800);
  const done = await cliJson('autoscaling', 'describe-instance-refreshes', '--auto-scaling-group-name', 'cli-web', '--instance-refresh-ids', started.InstanceRefreshId);
  assert.equal(done.InstanceRefreshes[0].Status, 'Successful');
  assert.equal(done.InstanceRefreshes[0].PercentageComplete, 100);
  assert.deepEqual(done.InstanceRefreshes[0].ProgressDetails, { LivePoolProgress: { PercentageComplete: 100, InstancesToUpdate: 0 } });
  const activities = await cliJson('autoscaling', 'describe-scaling-activities', '--auto-scaling-group-name', 'cli-web');
  assert.ok(activities.Activities.some((a: any) => /in response to an instance refresh/.test(a.Cause)));
  const cancel = await cli('autoscaling', 'cancel-instance-refresh', '--auto-scaling-group-name', 'cli-web');
  assert.match(cancel.stderr, /ActiveInstanceRefreshNotFound/, 'nothing left to cancel');
  // (CLI 2.9 predates rollback-instance-refresh; the SDK v3 tests cover it.)
});

test('6. autoscaling: put-warm-pool, describe-warm-pool, delete-warm-pool', async () => {
  await cliJson('autoscaling', 'put-warm-pool', '--auto-scaling-group-name', 'cli-web', '--max-group-prepared-capacity', '5', '--pool-state', 'Stopped');
  emu.advance(120_000);
  const pool = await cliJson('autoscaling', 'describe-warm-pool', '--auto-scaling-group-name', 'cli-web');
  assert.equal(pool.WarmPoolConfiguration.PoolState, 'Stopped');
  assert.equal(pool.Instances.length, 2, '5 prepared − 3 desired');
  assert.ok(pool.Instances.every((i: any) => i.LifecycleState === 'Warmed:Stopped'));
  await cliJson('autoscaling', 'delete-warm-pool', '--auto-scaling-group-name', 'cli-web');
  const deleting = await cliJson('autoscaling', 'describe-warm-pool', '--auto-scaling-group-name', 'cli-web');
  assert.equal(deleting.WarmPoolConfiguration.Status, 'PendingDelete');
});

test('7. autoscaling: the describes CLI v2 used to get InvalidAction for', async () => {
  const notifications = await cliJson('autoscaling', 'describe-notification-configurations', '--auto-scaling-group-names', 'cli-web');
  assert.deepEqual(notifications.NotificationConfigurations, []);
  const classic = await cliJson('autoscaling', 'describe-load-balancers', '--auto-scaling-group-name', 'cli-web');
  assert.deepEqual(classic.LoadBalancers, []);
  const sources = await cliJson('autoscaling', 'describe-traffic-sources', '--auto-scaling-group-name', 'cli-web', '--traffic-source-type', 'elbv2');
  // CLI 2.9's model predates TrafficSourceState.Type/Identifier: the source and its state are what it shows.
  assert.deepEqual(sources.TrafficSources.map((s: any) => [s.TrafficSource, s.State]), [[state.tgArn, 'InService']]);
  const adjustments = await cliJson('autoscaling', 'describe-adjustment-types');
  assert.equal(adjustments.AdjustmentTypes.length, 3);
  const types = await cliJson('autoscaling', 'describe-auto-scaling-notification-types');
  assert.ok(types.AutoScalingNotificationTypes.includes('autoscaling:EC2_INSTANCE_TERMINATE'));
});

test('8. ec2: create-image, describe-image-attribute, deregister-image (still listed as deregistered)', async () => {
  const group = emu.sim.region('us-east-1').autoscaling.groups.get('cli-web')!;
  const instanceId = [...group.instances.keys()][0]!;
  const image = await cliJson('ec2', 'create-image', '--instance-id', instanceId, '--name', 'cli-web-release', '--description', 'from the CLI');
  const attr = await cliJson('ec2', 'describe-image-attribute', '--image-id', image.ImageId, '--attribute', 'description');
  assert.deepEqual(attr, { ImageId: image.ImageId, Description: { Value: 'from the CLI' } });
  emu.advance(60_000);
  await cliJson('ec2', 'deregister-image', '--image-id', image.ImageId);
  const listed = await cliJson('ec2', 'describe-images', '--image-ids', image.ImageId);
  assert.equal(listed.Images[0].State, 'deregistered');
});
