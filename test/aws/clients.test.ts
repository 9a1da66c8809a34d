/**
 * The AWS layer against the in-process emulator over HTTP, with the real SDK
 * v3 underneath (never a mocked SDK): pagination, batching, a snapshot whose
 * call count does not grow with the fleet, retries through injected
 * throttling on the shared manual clock, and AWS errors mapped to core errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createAwsClients, type AwsCallEvent, type AwsClients } from '../../src/aws/index.js';
import { isAsgDeployError, servingCount } from '../../src/core/index.js';
import { startTestEmulator, TEST_CREDENTIALS, TEST_REGION, type TestEmulator } from '../helpers/emulator.js';

interface World {
  t: TestEmulator;
  aws: AwsClients;
  events: AwsCallEvent[];
  templateId: string;
  subnetIds: string[];
  vpcId: string;
  imageId: string;
}

/** Deterministic [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function startWorld(options: { maxAttempts?: number } = {}): Promise<World> {
  const t = await startTestEmulator();
  const vpcs = await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  const vpcId = vpcs.Vpcs![0]!.VpcId!;
  const subnets = await t.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  const subnetIds = (subnets.Subnets ?? []).map((s) => s.SubnetId!);
  const images = await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  const imageId = images.Images!.find((i) => i.Architecture === 'x86_64')!.ImageId!;
  const lt = await t.ec2.send(
    new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: imageId, InstanceType: 't3.micro' } }),
  );
  const events: AwsCallEvent[] = [];
  const aws = createAwsClients({
    endpoint: t.emu.endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    clock: t.clock,
    random: lcg(1),
    onCall: (e) => events.push(e),
    env: {},
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
  return { t, aws, events, templateId: lt.LaunchTemplate!.LaunchTemplateId!, subnetIds, vpcId, imageId };
}

async function stopWorld(w: World): Promise<void> {
  w.aws.destroy();
  await w.t.close();
}

async function createGroup(w: World, name: string, desired: number, extra: { targetGroupArns?: string[]; maxSize?: number } = {}): Promise<void> {
  await w.t.asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 0,
      MaxSize: extra.maxSize ?? Math.max(desired, 1),
      DesiredCapacity: desired,
      LaunchTemplate: { LaunchTemplateId: w.templateId, Version: '1' },
      VPCZoneIdentifier: w.subnetIds.join(','),
      TargetGroupARNs: extra.targetGroupArns,
    }),
  );
}

async function createTargetGroup(w: World, name: string): Promise<string> {
  const tg = await w.t.elb.send(
    new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: w.vpcId, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 }),
  );
  const arn = tg.TargetGroups![0]!.TargetGroupArn!;
  const lb = await w.t.elb.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Subnets: w.subnetIds }));
  await w.t.elb.send(
    new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: arn }] }),
  );
  return arn;
}

/** Settles `promise` while advancing the shared manual clock whenever our retries sleep on it. */
async function drive<T>(w: World, promise: Promise<T>): Promise<T> {
  let settled = false;
  const done = promise.finally(() => (settled = true));
  done.catch(() => undefined);
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (w.t.clock.pending > 0) w.t.advance(20);
  }
  return done;
}

function countCalls(events: AwsCallEvent[], operation?: string): number {
  return events.filter((e) => e.outcome !== 'retry' && (operation === undefined || e.operation === operation)).length;
}

async function injectFaults(w: World, body: unknown): Promise<void> {
  const res = await fetch(`${w.t.emu.endpoint}/_emulator/faults`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 200, await res.text());
}

test('describeGroups pages through 120 groups; names go 50 per call; a missing group is GROUP_NOT_FOUND', async () => {
  const w = await startWorld();
  try {
    const names = Array.from({ length: 120 }, (_, k) => `g-${String(k).padStart(3, '0')}`);
    for (const name of names) await createGroup(w, name, 0);
    w.events.length = 0;
    const all = await w.aws.autoscaling.describeGroups();
    assert.deepEqual(all.map((d) => d.group.name).sort(), names);
    assert.equal(countCalls(w.events, 'DescribeAutoScalingGroups'), 2, 'two pages of at most 100');

    w.events.length = 0;
    const some = await w.aws.autoscaling.describeGroups({ names: names.slice(0, 60) });
    assert.equal(some.length, 60);
    assert.equal(countCalls(w.events, 'DescribeAutoScalingGroups'), 2, '50 names per call');

    const one = await w.aws.autoscaling.describeGroup('g-007');
    assert.equal(one.group.name, 'g-007');
    assert.equal(one.group.launchTemplate?.id, w.templateId);
    assert.equal(one.group.launchTemplate?.version, '1');
    assert.equal(await w.aws.autoscaling.findGroup('nope'), undefined);
    await assert.rejects(w.aws.autoscaling.describeGroup('nope'), (e: unknown) => {
      assert.ok(isAsgDeployError(e, 'GROUP_NOT_FOUND'));
      assert.match(e.message, /^auto scaling group "nope" not found/);
      return true;
    });
    assert.deepEqual(await w.aws.autoscaling.describeGroups({ names: [] }), []);
  } finally {
    await stopWorld(w);
  }
});

test('snapshotFleet takes the same number of calls for 3 and 150 instances', async () => {
  const w = await startWorld();
  try {
    const tg1 = await createTargetGroup(w, 'tg-one');
    const tg2 = await createTargetGroup(w, 'tg-two');
    await createGroup(w, 'small', 3, { targetGroupArns: [tg1, tg2] });
    await createGroup(w, 'big', 150, { targetGroupArns: [tg1, tg2] });
    await w.t.advanceUntil(async () => servingCount(await w.aws.snapshotFleet('big')) === 150, { maxSeconds: 900, stepSeconds: 10 });
    await w.t.advanceUntil(async () => servingCount(await w.aws.snapshotFleet('small')) === 3, { maxSeconds: 900, stepSeconds: 10 });

    const callsFor = async (name: string, ec2: boolean) => {
      w.events.length = 0;
      const fleet = await w.aws.snapshotFleet(name, { ec2 });
      return { fleet, calls: countCalls(w.events), byOp: w.events.map((e) => e.operation).sort() };
    };
    const small = await callsFor('small', false);
    const big = await callsFor('big', false);
    assert.equal(small.calls, 3);
    assert.equal(big.calls, 3);
    assert.deepEqual(big.byOp, ['DescribeAutoScalingGroups', 'DescribeTargetHealth', 'DescribeTargetHealth']);
    assert.equal(big.fleet.instances.length, 150);
    assert.deepEqual(Object.keys(big.fleet.targetHealth).sort(), [tg1, tg2].sort());
    assert.ok(big.fleet.instances.every((i) => big.fleet.targetHealth[tg1]![i.id]?.state === 'healthy'));
    assert.equal(big.fleet.takenAt, w.t.clock.now());

    const bigEc2 = await callsFor('big', true);
    assert.equal(bigEc2.calls, 4, 'one DescribeInstances for 150 ids');
    assert.ok(bigEc2.fleet.instances.every((i) => i.ec2?.state === 'running' && i.ec2.imageId === w.imageId));
    assert.equal((await callsFor('small', true)).calls, 4);

    // EC2: ids that no longer exist are dropped, not fatal
    const ids = big.fleet.instances.map((i) => i.id);
    const described = await w.aws.ec2.describeInstances([...ids, 'i-0123456789abcdef0']);
    assert.equal(described.length, 150);

    // more than 100 scaling activities come back across pages
    const activities = await w.aws.autoscaling.describeScalingActivities('big');
    assert.ok(activities.length >= 100, `${activities.length} activities`);
    const limited = await w.aws.autoscaling.describeScalingActivities('big', { limit: 5 });
    assert.equal(limited.length, 5);

    const health = await w.aws.elbv2.describeTargetHealth(tg1, ids.slice(0, 2));
    assert.deepEqual(health.map((h) => h.id).sort(), ids.slice(0, 2).sort());
    const groups = await w.aws.elbv2.describeTargetGroups({ arns: [tg1, tg2] });
    assert.equal(groups.length, 2);
    const attributes = await w.aws.elbv2.describeTargetGroupAttributes(tg1);
    assert.equal(typeof attributes['deregistration_delay.timeout_seconds'], 'string');
  } finally {
    await stopWorld(w);
  }
});

test('injected throttling (20 % of Auto Scaling and EC2 calls) is retried on the clock until every call completes', async () => {
  const w = await startWorld();
  try {
    await createGroup(w, 'web', 2, { maxSize: 6 });
    await injectFaults(w, {
      calls: [
        { service: 'autoscaling', action: '*', rate: 0.2, kind: 'throttle' },
        { service: 'ec2', action: '*', rate: 0.2, kind: 'throttle' },
      ],
    });
    w.events.length = 0;
    for (let k = 0; k < 40; k++) {
      const fleet = await drive(w, w.aws.snapshotFleet('web', { ec2: true }));
      assert.equal(fleet.group.name, 'web');
      if (k % 10 === 0) await drive(w, w.aws.autoscaling.setDesiredCapacity('web', 2 + (k % 3)));
    }
    const retries = w.events.filter((e) => e.outcome === 'retry');
    assert.ok(retries.length > 5, `${retries.length} retries`);
    assert.deepEqual([...new Set(retries.map((e) => e.errorCode))].sort(), ['RequestLimitExceeded', 'Throttling']);
    assert.equal(w.events.filter((e) => e.outcome === 'error').length, 0);
    assert.ok(retries.every((e) => e.delayMs !== undefined && e.delayMs >= 0 && e.delayMs < 20_000));
  } finally {
    await stopWorld(w);
  }
});

test('throttling on every call gives up after maxAttempts with THROTTLED', async () => {
  const w = await startWorld({ maxAttempts: 3 });
  try {
    await createGroup(w, 'web', 0);
    await injectFaults(w, { calls: [{ service: 'autoscaling', action: 'DescribeAutoScalingGroups', rate: 1, kind: 'throttle' }] });
    w.events.length = 0;
    await assert.rejects(drive(w, w.aws.autoscaling.describeGroup('web')), (e: unknown) => {
      assert.ok(isAsgDeployError(e, 'THROTTLED'));
      assert.match(e.message, /^aws kept throttling autoscaling:DescribeAutoScalingGroups for web after 3 attempts: Rate exceeded \(Throttling\)$/);
      return true;
    });
    assert.deepEqual(
      w.events.map((e) => e.outcome),
      ['retry', 'retry', 'error'],
    );
    // a call that is not throttled still goes through
    await drive(w, w.aws.autoscaling.setDesiredCapacity('web', 1));
  } finally {
    await stopWorld(w);
  }
});

test('server errors are retried for describes and terminate (a repeat is harmless), not for a call that must not run twice', async () => {
  const w = await startWorld();
  try {
    await createGroup(w, 'web', 1);
    await w.t.advanceUntil(async () => (await w.aws.autoscaling.describeGroup('web')).instances.some((i) => i.lifecycleState === 'InService'));
    const id = (await w.aws.autoscaling.describeGroup('web')).instances[0]!.id;
    await injectFaults(w, { calls: [{ service: 'autoscaling', action: '*', rate: 1, kind: 'server-error' }] });
    w.events.length = 0;
    // ExitStandby twice would raise desired twice: one attempt only.
    await assert.rejects(drive(w, w.aws.autoscaling.exitStandby('web', [id])), (e: unknown) => isAsgDeployError(e, 'AWS_SERVER'));
    assert.deepEqual(
      w.events.map((e) => e.outcome),
      ['error'],
    );
    w.events.length = 0;
    // Terminating an instance that is already terminating changes nothing: retried (issue 8, "AWS faults are retried").
    await assert.rejects(drive(w, w.aws.autoscaling.terminateInstance(id, true)), (e: unknown) => isAsgDeployError(e, 'AWS_SERVER'));
    assert.equal(w.events.filter((e) => e.outcome === 'retry').length, 7);
    w.events.length = 0;
    await assert.rejects(drive(w, w.aws.autoscaling.describeGroup('web')), (e: unknown) => isAsgDeployError(e, 'AWS_SERVER'));
    assert.equal(w.events.filter((e) => e.outcome === 'retry').length, 7);
  } finally {
    await stopWorld(w);
  }
});

test('mutations round-trip, and AWS errors come back as core errors', async () => {
  const w = await startWorld();
  try {
    await createGroup(w, 'web', 1, { maxSize: 2 });
    const a = w.aws.autoscaling;
    await assert.rejects(a.setDesiredCapacity('web', 5), (e: unknown) => {
      assert.ok(isAsgDeployError(e, 'AWS_VALIDATION'));
      assert.match(e.message, /^aws rejected autoscaling:SetDesiredCapacity for web: .*Desired capacity:5/);
      return true;
    });
    await a.updateGroup('web', { maxSize: 5, terminationPolicies: ['OldestLaunchTemplate'], defaultInstanceWarmupMs: 30_000 });
    await a.setDesiredCapacity('web', 3);
    let { group } = await a.describeGroup('web');
    assert.equal(group.maxSize, 5);
    assert.equal(group.desiredCapacity, 3);
    assert.deepEqual(group.terminationPolicies, ['OldestLaunchTemplate']);
    assert.equal(group.defaultInstanceWarmupMs, 30_000);

    w.events.length = 0;
    await a.suspendProcesses('web', []);
    assert.equal(w.events.length, 0, 'an empty list never suspends everything');
    await a.suspendProcesses('web', ['AZRebalance', 'ScheduledActions']);
    ({ group } = await a.describeGroup('web'));
    assert.deepEqual([...group.suspendedProcesses].sort(), ['AZRebalance', 'ScheduledActions']);
    await a.resumeProcesses('web', ['ScheduledActions']);
    ({ group } = await a.describeGroup('web'));
    assert.deepEqual(group.suspendedProcesses, ['AZRebalance']);
    await a.resumeProcesses('web', 'all');
    ({ group } = await a.describeGroup('web'));
    assert.deepEqual(group.suspendedProcesses, []);

    await a.createOrUpdateTags('web', [
      { key: 'asg-deploy:lock', value: 'me', propagateAtLaunch: false },
      { key: 'asg-deploy:app', value: 'web', propagateAtLaunch: true },
    ]);
    ({ group } = await a.describeGroup('web'));
    assert.deepEqual(
      group.tags.filter((t) => t.key.startsWith('asg-deploy:')).sort((x, y) => (x.key < y.key ? -1 : 1)),
      [
        { key: 'asg-deploy:app', value: 'web', propagateAtLaunch: true },
        { key: 'asg-deploy:lock', value: 'me', propagateAtLaunch: false },
      ],
    );
    await a.deleteTags('web', ['asg-deploy:lock']);
    ({ group } = await a.describeGroup('web'));
    assert.deepEqual(
      group.tags.filter((t) => t.key.startsWith('asg-deploy:')).map((t) => t.key),
      ['asg-deploy:app'],
    );

    // a new launch template version, pinned on the group
    const version = await w.aws.ec2.createLaunchTemplateVersion({ template: { id: w.templateId }, sourceVersion: '1', data: { ImageId: w.imageId }, description: 'v2' });
    assert.equal(version.VersionNumber, 2);
    await a.updateGroup('web', { launchTemplate: { id: w.templateId, version: String(version.VersionNumber) } });
    ({ group } = await a.describeGroup('web'));
    assert.equal(group.launchTemplate?.version, '2');
    const versions = await w.aws.ec2.describeLaunchTemplateVersions({ id: w.templateId });
    assert.deepEqual(versions.map((v) => v.VersionNumber).sort(), [1, 2]);

    await assert.rejects(a.terminateInstance('i-0123456789abcdef0', true), (e: unknown) => {
      assert.ok(isAsgDeployError(e));
      assert.ok(['NOT_FOUND', 'AWS_VALIDATION'].includes(e.code), e.code);
      assert.match(e.message, /i-0123456789abcdef0/);
      return true;
    });
    await assert.rejects(w.aws.elbv2.describeTargetHealth('arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/none/0123456789abcdef'), (e: unknown) =>
      isAsgDeployError(e, 'NOT_FOUND'),
    );
    await assert.rejects(w.aws.ec2.describeImages({ imageIds: ['ami-0123456789abcdef0'] }), (e: unknown) => isAsgDeployError(e, 'NOT_FOUND'));
  } finally {
    await stopWorld(w);
  }
});
