/**
 * ELBv2 behaviour (E-1, E-18, E-19) through the real SDK v3 clients over HTTP,
 * on the manual clock: target health moves on simulated time, and the
 * recorded history proves when.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Tag as Ec2Tag,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import type { HistoryEntryOf } from '../../src/emulator/history.js';
import {
  deregisterInstance,
  registerInstance,
  targetGroupExists,
  targetState,
} from '../../src/emulator/services/elbv2/index.js';

// ---------------------------------------------------------------------------
// Fixtures

interface Network {
  vpcId: string;
  subnetIds: string[];
  imageId: string;
}

async function defaultNetwork(t: TestEmulator): Promise<Network> {
  const vpcs = await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  const vpcId = vpcs.Vpcs?.[0]?.VpcId;
  assert.ok(vpcId, 'the region has a default VPC');
  const subnets = await t.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  const subnetIds = (subnets.Subnets ?? []).map((s) => s.SubnetId!);
  assert.ok(subnetIds.length >= 2, 'the default VPC has a subnet per zone');
  const images = await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  const imageId = images.Images?.[0]?.ImageId;
  assert.ok(imageId, 'the region has base images');
  return { vpcId, subnetIds, imageId };
}

interface Stack {
  targetGroupArn: string;
  loadBalancerArn: string;
  listenerArn: string;
}

async function createTargetGroup(
  t: TestEmulator,
  net: Network,
  name: string,
  health: { interval?: number; healthy?: number; unhealthy?: number; timeout?: number } = {},
): Promise<string> {
  const out = await t.elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: net.vpcId,
      HealthCheckIntervalSeconds: health.interval,
      HealthCheckTimeoutSeconds: health.timeout ?? (health.interval !== undefined ? Math.min(5, health.interval - 1) : undefined),
      HealthyThresholdCount: health.healthy,
      UnhealthyThresholdCount: health.unhealthy,
    }),
  );
  return out.TargetGroups![0]!.TargetGroupArn!;
}

/** A load balancer with an HTTP:80 listener forwarding to a new target group. */
async function createStack(t: TestEmulator, net: Network, name: string, health: Parameters<typeof createTargetGroup>[3] = {}): Promise<Stack> {
  const targetGroupArn = await createTargetGroup(t, net, `${name}-tg`, health);
  const lb = await t.elb.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Subnets: net.subnetIds }));
  const loadBalancerArn = lb.LoadBalancers![0]!.LoadBalancerArn!;
  const listener = await t.elb.send(
    new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
  );
  return { targetGroupArn, loadBalancerArn, listenerArn: listener.Listeners![0]!.ListenerArn! };
}

/** Launches instances and advances until they are all running; tags go on the instances. */
async function launchRunning(t: TestEmulator, net: Network, count: number, tags: Record<string, string> = {}): Promise<string[]> {
  const Tags: Ec2Tag[] = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const out = await t.ec2.send(
    new RunInstancesCommand({
      ImageId: net.imageId,
      InstanceType: 't3.micro',
      MinCount: count,
      MaxCount: count,
      ...(Tags.length ? { TagSpecifications: [{ ResourceType: 'instance', Tags }] } : {}),
    }),
  );
  const ids = out.Instances!.map((i) => i.InstanceId!);
  await waitForInstances(t, ids, 'running');
  return ids;
}

async function waitForInstances(t: TestEmulator, ids: string[], state: string): Promise<void> {
  await t.advanceUntil(
    async () => {
      const out = await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
      const states = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name);
      return states.length === ids.length && states.every((s) => s === state);
    },
    { maxSeconds: 600, stepSeconds: 1 },
  );
}

async function health(t: TestEmulator, targetGroupArn: string, ids?: string[]): Promise<TargetHealthDescription[]> {
  const out = await t.elb.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn, Targets: ids?.map((Id) => ({ Id })) }),
  );
  return out.TargetHealthDescriptions ?? [];
}

async function stateOf(t: TestEmulator, targetGroupArn: string, id: string): Promise<string | undefined> {
  return (await health(t, targetGroupArn, [id]))[0]?.TargetHealth?.State;
}

function targetHistory(t: TestEmulator, targetGroupArn: string, instanceId: string): HistoryEntryOf<'target'>[] {
  return t.history().filter((e): e is HistoryEntryOf<'target'> => e.type === 'target' && e.targetGroupArn === targetGroupArn && e.instanceId === instanceId);
}

function runningAt(t: TestEmulator, instanceId: string): number {
  const entry = t.history().find((e) => e.type === 'instance' && e.instanceId === instanceId && e.to === 'running');
  assert.ok(entry, `${instanceId} reached running`);
  return entry.t;
}

/** The simulated instant of the first change of the target to `to`. */
function firstChangeTo(t: TestEmulator, targetGroupArn: string, instanceId: string, to: string | null): number {
  const entry = targetHistory(t, targetGroupArn, instanceId).find((e) => e.to === to);
  assert.ok(entry, `${instanceId} became ${to}; history: ${JSON.stringify(targetHistory(t, targetGroupArn, instanceId))}`);
  return entry.t;
}

const READY_SECONDS = 20; // E-19 default emulator:ready-seconds

async function withEmulator(fn: (t: TestEmulator, net: Network) => Promise<void>): Promise<void> {
  const t = await startTestEmulator();
  try {
    await fn(t, await defaultNetwork(t));
  } finally {
    await t.close();
  }
}

// ---------------------------------------------------------------------------
// Health checks on simulated time (E-1, E-18)

test('E-1/E-18: registered running instances go initial → healthy after readiness + HealthyThresholdCount × interval', () =>
  withEmulator(async (t, net) => {
    const stack = await createStack(t, net, 'web');
    const ids = await launchRunning(t, net, 2);
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: ids.map((Id) => ({ Id })) }));

    const first = await health(t, stack.targetGroupArn);
    assert.deepEqual(
      first.map((d) => [d.Target?.Id, d.Target?.Port, d.HealthCheckPort, d.TargetHealth?.State, d.TargetHealth?.Reason]),
      ids.map((id) => [id, 80, '80', 'initial', 'Elb.RegistrationInProgress']),
    );

    // After the first check the reason says the initial checks are under way.
    t.advance(31);
    const checking = await health(t, stack.targetGroupArn);
    assert.deepEqual(checking.map((d) => [d.TargetHealth?.State, d.TargetHealth?.Reason]), ids.map(() => ['initial', 'Elb.InitialHealthChecking']));

    await t.advanceUntil(async () => (await health(t, stack.targetGroupArn)).every((d) => d.TargetHealth?.State === 'healthy'), { maxSeconds: 600, stepSeconds: 5 });
    const healthy = await health(t, stack.targetGroupArn);
    assert.equal(healthy[0]!.TargetHealth?.Reason, undefined, 'a healthy target has no reason');

    const interval = 30;
    for (const id of ids) {
      const history = targetHistory(t, stack.targetGroupArn, id);
      assert.deepEqual(history.map((e) => [e.from, e.to]), [[null, 'initial'], ['initial', 'healthy']]);
      const readyAt = runningAt(t, id) + READY_SECONDS * 1000;
      const expected = readyAt + 5 * interval * 1000;
      const healthyAt = firstChangeTo(t, stack.targetGroupArn, id, 'healthy');
      assert.ok(Math.abs(healthyAt - expected) <= interval * 1000, `healthy at ${healthyAt - readyAt} ms after ready, expected ${5 * interval} s ± ${interval} s`);
    }
  }));

test('E-19: an instance tagged emulator:health=unhealthy turns unhealthy after UnhealthyThresholdCount failed checks', () =>
  withEmulator(async (t, net) => {
    const stack = await createStack(t, net, 'bad', { interval: 10, healthy: 3, unhealthy: 3 });
    const [bad] = await launchRunning(t, net, 1, { 'emulator:health': 'unhealthy' });
    const [good] = await launchRunning(t, net, 1);
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: bad! }, { Id: good! }] }));
    const registeredAt = t.emu.sim.now;

    t.advance(120);
    const byId = new Map((await health(t, stack.targetGroupArn)).map((d) => [d.Target?.Id, d.TargetHealth]));
    assert.equal(byId.get(bad)?.State, 'unhealthy');
    assert.equal(byId.get(bad)?.Reason, 'Target.FailedHealthChecks');
    assert.equal(byId.get(good)?.State, 'healthy');
    // Checks every 10 s from registration: the third failure is the third check.
    assert.equal(firstChangeTo(t, stack.targetGroupArn, bad!, 'unhealthy') - registeredAt, 30_000);
    assert.deepEqual(targetHistory(t, stack.targetGroupArn, bad!).map((e) => e.to), ['initial', 'unhealthy']);
  }));

test('E-19: an AMI tagged emulator:health=unhealthy makes its instances fail their checks', () =>
  withEmulator(async (t, net) => {
    await t.ec2.send(new CreateTagsCommand({ Resources: [net.imageId], Tags: [{ Key: 'emulator:health', Value: 'unhealthy' }] }));
    const stack = await createStack(t, net, 'ami', { interval: 10, healthy: 2, unhealthy: 2 });
    const [id] = await launchRunning(t, net, 1);
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: id! }] }));
    t.advance(60);
    assert.equal(await stateOf(t, stack.targetGroupArn, id!), 'unhealthy');
  }));

test('E-19: crash-after:S is healthy, then unhealthy S seconds after the application was ready', () =>
  withEmulator(async (t, net) => {
    const interval = 10;
    const stack = await createStack(t, net, 'crash', { interval, healthy: 2, unhealthy: 2 });
    const [id] = await launchRunning(t, net, 1, { 'emulator:health': 'crash-after:120' });
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: id! }] }));

    await t.advanceUntil(async () => (await stateOf(t, stack.targetGroupArn, id!)) === 'healthy', { maxSeconds: 300, stepSeconds: 5 });
    await t.advanceUntil(async () => (await stateOf(t, stack.targetGroupArn, id!)) === 'unhealthy', { maxSeconds: 600, stepSeconds: 5 });

    assert.deepEqual(targetHistory(t, stack.targetGroupArn, id!).map((e) => e.to), ['initial', 'healthy', 'unhealthy']);
    const readyAt = runningAt(t, id!) + READY_SECONDS * 1000;
    const unhealthyAt = firstChangeTo(t, stack.targetGroupArn, id!, 'unhealthy');
    const expected = readyAt + 120_000 + 2 * interval * 1000;
    assert.ok(Math.abs(unhealthyAt - expected) <= interval * 1000, `unhealthy ${unhealthyAt - readyAt} ms after ready, expected ${expected - readyAt} ± ${interval * 1000}`);
  }));

test('ModifyTargetGroup: later checks use the new interval and thresholds', () =>
  withEmulator(async (t, net) => {
    const stack = await createStack(t, net, 'mod');
    await t.elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: stack.targetGroupArn, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 }));
    const [id] = await launchRunning(t, net, 1, { 'emulator:ready-seconds': '0' });
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: id! }] }));
    const registeredAt = t.emu.sim.now;
    t.advance(10);
    assert.equal(await stateOf(t, stack.targetGroupArn, id!), 'healthy');
    assert.equal(firstChangeTo(t, stack.targetGroupArn, id!, 'healthy') - registeredAt, 10_000);
  }));

// ---------------------------------------------------------------------------
// Deregistration (E-1: draining for deregistration_delay.timeout_seconds)

test('E-1: a deregistered target drains for the default 300 s, then is gone', () =>
  withEmulator(async (t, net) => {
    const stack = await createStack(t, net, 'drain', { interval: 10, healthy: 2 });
    const [id] = await launchRunning(t, net, 1);
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: id! }] }));
    t.advance(60);
    assert.equal(await stateOf(t, stack.targetGroupArn, id!), 'healthy');

    await t.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: id! }] }));
    const deregisteredAt = t.emu.sim.now;
    const draining = await health(t, stack.targetGroupArn);
    assert.deepEqual(draining.map((d) => [d.Target?.Id, d.TargetHealth?.State, d.TargetHealth?.Reason]), [[id, 'draining', 'Target.DeregistrationInProgress']]);

    t.advance(299);
    assert.equal(await stateOf(t, stack.targetGroupArn, id!), 'draining');
    t.advance(1);
    assert.deepEqual(await health(t, stack.targetGroupArn), [], 'gone from the unfiltered description');
    const [asked] = await health(t, stack.targetGroupArn, [id!]);
    assert.deepEqual([asked?.TargetHealth?.State, asked?.TargetHealth?.Reason], ['unused', 'Target.NotRegistered']);
    assert.equal(firstChangeTo(t, stack.targetGroupArn, id!, null) - deregisteredAt, 300_000);
    assert.deepEqual(targetHistory(t, stack.targetGroupArn, id!).map((e) => e.to), ['initial', 'healthy', 'draining', null]);
    assert.equal(targetState(t.emu.sim.region('us-east-1'), stack.targetGroupArn, id!), undefined);
  }));

test('E-1: deregistration_delay.timeout_seconds = 10 drains for 10 s; re-registering a draining target starts over', () =>
  withEmulator(async (t, net) => {
    const stack = await createStack(t, net, 'short', { interval: 10, healthy: 2 });
    await t.elb.send(
      new ModifyTargetGroupAttributesCommand({ TargetGroupArn: stack.targetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }] }),
    );
    const [a, b] = await launchRunning(t, net, 2);
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: a! }, { Id: b! }] }));
    t.advance(60);

    await t.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: a! }, { Id: b! }] }));
    const deregisteredAt = t.emu.sim.now;
    t.advance(5);
    assert.equal(await stateOf(t, stack.targetGroupArn, a!), 'draining');
    // b comes back while draining: initial again, and it stays registered.
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: b! }] }));
    assert.equal(await stateOf(t, stack.targetGroupArn, b!), 'initial');
    t.advance(5);
    const remaining = await health(t, stack.targetGroupArn);
    assert.deepEqual(remaining.map((d) => d.Target?.Id), [b]);
    assert.equal(firstChangeTo(t, stack.targetGroupArn, a!, null) - deregisteredAt, 10_000);
    t.advance(30);
    assert.equal(await stateOf(t, stack.targetGroupArn, b!), 'healthy');
    assert.deepEqual(targetHistory(t, stack.targetGroupArn, b!).map((e) => e.to), ['initial', 'healthy', 'draining', 'initial', 'healthy']);
  }));

// ---------------------------------------------------------------------------
// unused: not in use, instance not running

test('E-18: a target group no listener forwards to reports unused/Target.NotInUse and runs no checks', () =>
  withEmulator(async (t, net) => {
    const tgArn = await createTargetGroup(t, net, 'lonely', { interval: 10, healthy: 2 });
    const [id] = await launchRunning(t, net, 1);
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id! }] }));
    t.advance(120);
    const [d] = await health(t, tgArn);
    assert.deepEqual([d?.TargetHealth?.State, d?.TargetHealth?.Reason], ['unused', 'Target.NotInUse']);

    // Attached to a listener: checks start; detached: unused again.
    const lb = await t.elb.send(new CreateLoadBalancerCommand({ Name: 'lonely-lb', Subnets: net.subnetIds }));
    const listener = await t.elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }),
    );
    assert.equal(await stateOf(t, tgArn, id!), 'initial');
    t.advance(20);
    assert.equal(await stateOf(t, tgArn, id!), 'healthy');
    await t.elb.send(new DeleteListenerCommand({ ListenerArn: listener.Listeners![0]!.ListenerArn }));
    assert.equal(await stateOf(t, tgArn, id!), 'unused');
    assert.deepEqual(targetHistory(t, tgArn, id!).map((e) => e.to), ['unused', 'initial', 'healthy', 'unused']);
  }));

test('E-18: a stopped instance is unused/Target.InvalidState; started again it is checked from initial; terminated it drains away', () =>
  withEmulator(async (t, net) => {
    const stack = await createStack(t, net, 'stop', { interval: 10, healthy: 2 });
    const [id] = await launchRunning(t, net, 1);
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: stack.targetGroupArn, Targets: [{ Id: id! }] }));
    t.advance(60);
    assert.equal(await stateOf(t, stack.targetGroupArn, id!), 'healthy');

    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id!] }));
    await waitForInstances(t, [id!], 'stopped');
    const [stopped] = await health(t, stack.targetGroupArn);
    assert.deepEqual([stopped?.TargetHealth?.State, stopped?.TargetHealth?.Reason], ['unused', 'Target.InvalidState']);

    await t.ec2.send(new StartInstancesCommand({ InstanceIds: [id!] }));
    await waitForInstances(t, [id!], 'running');
    assert.equal(await stateOf(t, stack.targetGroupArn, id!), 'initial');
    await t.advanceUntil(async () => (await stateOf(t, stack.targetGroupArn, id!)) === 'healthy', { maxSeconds: 120, stepSeconds: 5 });

    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id!] }));
    await waitForInstances(t, [id!], 'terminated');
    assert.equal(await stateOf(t, stack.targetGroupArn, id!), 'draining');
    t.advance(300);
    assert.deepEqual(await health(t, stack.targetGroupArn), []);
    assert.deepEqual(
      targetHistory(t, stack.targetGroupArn, id!).map((e) => [e.to, e.reason]),
      [
        ['initial', 'Elb.RegistrationInProgress'],
        ['healthy', undefined],
        ['unused', 'Target.InvalidState'],
        ['initial', 'Elb.RegistrationInProgress'],
        ['healthy', undefined],
        ['draining', 'Target.DeregistrationInProgress'],
        [null, undefined],
      ],
    );
  }));

test('E-18: a target in a zone the load balancer does not enable is unused/Target.NotInUse', () =>
  withEmulator(async (t, net) => {
    const subnets = (await t.ec2.send(new DescribeSubnetsCommand({ SubnetIds: net.subnetIds }))).Subnets!;
    assert.ok(subnets.length >= 3);
    const [outside, ...enabled] = subnets;
    const tgArn = await createTargetGroup(t, net, 'zonal', { interval: 10, healthy: 2 });
    const lb = await t.elb.send(new CreateLoadBalancerCommand({ Name: 'zonal-lb', Subnets: enabled.map((s) => s.SubnetId!) }));
    await t.elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }),
    );
    const run = await t.ec2.send(
      new RunInstancesCommand({ ImageId: net.imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: outside!.SubnetId }),
    );
    const id = run.Instances![0]!.InstanceId!;
    assert.equal(run.Instances![0]!.Placement?.AvailabilityZone, outside!.AvailabilityZone);
    await waitForInstances(t, [id], 'running');
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] }));
    t.advance(120);
    const [d] = await health(t, tgArn);
    assert.deepEqual([d?.TargetHealth?.State, d?.TargetHealth?.Reason], ['unused', 'Target.NotInUse']);
  }));

// ---------------------------------------------------------------------------
// The functions Auto Scaling calls

test('registerInstance / targetState / deregisterInstance / targetGroupExists', () =>
  withEmulator(async (t, net) => {
    const stack = await createStack(t, net, 'asg', { interval: 10, healthy: 2 });
    const [id] = await launchRunning(t, net, 1, { 'emulator:ready-seconds': '0' });
    const { sim } = t.emu;
    const region = sim.region('us-east-1');

    assert.equal(targetGroupExists(region, stack.targetGroupArn), true);
    assert.equal(targetGroupExists(region, stack.targetGroupArn.replace(/[0-9a-f]{16}$/, '0000000000000000')), false);
    assert.equal(targetState(region, stack.targetGroupArn, id!), undefined);
    assert.throws(() => registerInstance(sim, region, 'not-an-arn', id!), { name: 'AwsError', code: 'ValidationError' });
    assert.throws(() => registerInstance(sim, region, stack.targetGroupArn.replace(/[0-9a-f]{16}$/, '0000000000000000'), id!), { code: 'TargetGroupNotFound' });

    registerInstance(sim, region, stack.targetGroupArn, id!);
    assert.equal(targetState(region, stack.targetGroupArn, id!), 'initial');
    registerInstance(sim, region, stack.targetGroupArn, id!); // no-op
    assert.equal(targetHistory(t, stack.targetGroupArn, id!).length, 1);
    t.advance(20);
    assert.equal(targetState(region, stack.targetGroupArn, id!), 'healthy');

    deregisterInstance(sim, region, stack.targetGroupArn, id!);
    assert.equal(targetState(region, stack.targetGroupArn, id!), 'draining');
    registerInstance(sim, region, stack.targetGroupArn, id!);
    assert.equal(targetState(region, stack.targetGroupArn, id!), 'initial');
    deregisterInstance(sim, region, stack.targetGroupArn, id!);
    t.advance(300);
    assert.equal(targetState(region, stack.targetGroupArn, id!), undefined);
    deregisterInstance(sim, region, stack.targetGroupArn, id!); // no-op when not registered
    assert.equal(await stateOf(t, stack.targetGroupArn, id!), 'unused');
  }));
