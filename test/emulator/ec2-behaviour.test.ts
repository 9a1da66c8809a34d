/**
 * The functions Auto Scaling and ELBv2 call on EC2 (launchInstance,
 * answersHealthCheck, terminateInstance, …) and the E-19 behaviour tags they
 * expose, called directly on the emulator's simulation on the manual clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLaunchTemplateCommand, DescribeInstancesCommand, RegisterImageCommand, type Tag } from '@aws-sdk/client-ec2';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { AwsError } from '../../src/emulator/aws-error.js';
import type { HistoryEntryOf } from '../../src/emulator/history.js';
import type { RegionState } from '../../src/emulator/world.js';
import {
  answersHealthCheck,
  applicationReadyAt,
  defaultSubnetFor,
  dumpEc2State,
  findInstance,
  findSubnet,
  launchInstance,
  setInstanceTag,
  terminateInstance,
} from '../../src/emulator/services/ec2/index.js';

async function withEmulator(fn: (t: TestEmulator, region: RegionState) => Promise<void>, seed?: number): Promise<void> {
  const t = await startTestEmulator({ seed });
  try {
    await fn(t, t.emu.sim.region('us-east-1'));
  } finally {
    await t.close();
  }
}

/** An available AMI of the account carrying `tags` (E-19). */
async function imageWith(t: TestEmulator, name: string, tags: Tag[]): Promise<string> {
  const out = await t.ec2.send(new RegisterImageCommand({ Name: name, TagSpecifications: tags.length ? [{ ResourceType: 'image', Tags: tags }] : undefined }));
  t.advance(60);
  return out.ImageId!;
}

function launch(t: TestEmulator, region: RegionState, imageId: string, availabilityZone = 'us-east-1a') {
  return launchInstance(t.emu.sim, region, { imageId, instanceType: 't3.micro', availabilityZone });
}

test('a healthy instance answers only once running and its ready seconds have passed', () =>
  withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'plain', []);
    const instance = launch(t, region, imageId);
    const id = instance.instanceId;
    assert.equal(instance.state, 'pending');
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
    assert.equal(applicationReadyAt(region, id), undefined);

    t.advance(30);
    assert.equal(findInstance(region, id)?.state, 'running');
    assert.equal(applicationReadyAt(region, id), t.emu.sim.now + 20_000);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
    t.advance(19);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
    t.advance(1);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), true);
  }));

test('emulator:ready-seconds and emulator:health=unhealthy on the AMI', () =>
  withEmulator(async (t, region) => {
    const slowReady = await imageWith(t, 'slow-ready', [{ Key: 'emulator:ready-seconds', Value: '100' }]);
    const broken = await imageWith(t, 'broken', [{ Key: 'emulator:health', Value: 'unhealthy' }]);
    const a = launch(t, region, slowReady).instanceId;
    const b = launch(t, region, broken).instanceId;
    t.advance(30 + 99);
    assert.equal(answersHealthCheck(t.emu.sim, region, a), false);
    t.advance(1);
    assert.equal(answersHealthCheck(t.emu.sim, region, a), true);
    for (let i = 0; i < 10; i++) {
      assert.equal(answersHealthCheck(t.emu.sim, region, b), false);
      t.advance(30);
    }
  }));

test('crash-after:S passes for S seconds after ready, then fails every check', () =>
  withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'crashy', [{ Key: 'emulator:health', Value: 'crash-after:45' }]);
    const id = launch(t, region, imageId).instanceId;
    t.advance(30 + 20);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), true);
    t.advance(44);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), true);
    t.advance(1);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
    t.advance(600);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
  }));

test('a tag on the instance overrides the AMI behaviour', () =>
  withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'broken', [{ Key: 'emulator:health', Value: 'unhealthy' }]);
    const id = launch(t, region, imageId).instanceId;
    t.advance(50);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
    setInstanceTag(region, id, 'emulator:health', 'healthy');
    assert.equal(answersHealthCheck(t.emu.sim, region, id), true);
    setInstanceTag(region, id, 'emulator:health', undefined);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
  }));

/** Runs 200 flaky checks under `seed` and returns the answers. */
async function flakyAnswers(seed: number): Promise<boolean[]> {
  const answers: boolean[] = [];
  await withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'flaky', [{ Key: 'emulator:health', Value: 'flaky:0.3' }]);
    const id = launch(t, region, imageId).instanceId;
    t.advance(50);
    for (let i = 0; i < 200; i++) answers.push(answersHealthCheck(t.emu.sim, region, id));
  }, seed);
  return answers;
}

test('flaky:P fails about a fraction P of checks, the same way for the same seed', async () => {
  const first = await flakyAnswers(11);
  const again = await flakyAnswers(11);
  assert.deepEqual(again, first);
  const failures = first.filter((ok) => !ok).length;
  assert.ok(failures > 30 && failures < 90, `about 30% of 200 checks fail, got ${failures}`);
});

test('an AZ outage fails the checks of instances there and refuses launches there', () =>
  withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'plain', []);
    const id = launch(t, region, imageId, 'us-east-1b').instanceId;
    t.advance(50);
    assert.equal(answersHealthCheck(t.emu.sim, region, id), true);
    t.emu.sim.faults.azOutages.add('us-east-1b');
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
    assert.throws(() => launch(t, region, imageId, 'us-east-1b'), (e: unknown) => e instanceof AwsError && e.code === 'InsufficientInstanceCapacity');
    t.emu.sim.faults.azOutages.delete('us-east-1b');
    assert.equal(answersHealthCheck(t.emu.sim, region, id), true);
  }));

test('launchInstance throws the AwsError RunInstances would for an image that is not available (E-12)', () =>
  withEmulator(async (t, region) => {
    const out = await t.ec2.send(new RegisterImageCommand({ Name: 'not-yet' }));
    assert.throws(() => launch(t, region, out.ImageId!), (e: unknown) => e instanceof AwsError && e.code === 'InvalidAMIID.Unavailable');
    assert.throws(() => launch(t, region, 'ami-0123456789abcdef0'), (e: unknown) => e instanceof AwsError && e.code === 'InvalidAMIID.NotFound');
    t.emu.sim.faults.launchFailures.set('us-east-1c', 'InsufficientInstanceCapacity');
    t.advance(60);
    assert.throws(() => launch(t, region, out.ImageId!, 'us-east-1c'), (e: unknown) => e instanceof AwsError && e.code === 'InsufficientInstanceCapacity');
    assert.equal(launch(t, region, out.ImageId!, 'us-east-1a').state, 'pending');
  }));

test('launchInstance uses the template version, the requested AZ\'s default subnet (over the template\'s placement) and the given aws: tags', () =>
  withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'tpl', []);
    const lt = await t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'asg-web', LaunchTemplateData: { ImageId: imageId, InstanceType: 't3.small', Placement: { AvailabilityZone: 'us-east-1a' } } }));
    const instance = launchInstance(t.emu.sim, region, {
      availabilityZone: 'us-east-1c',
      launchTemplate: { LaunchTemplateName: 'asg-web', Version: '$Latest' },
      tags: [{ Key: 'aws:autoscaling:groupName', Value: 'web' }],
    });
    const subnet = defaultSubnetFor(region, 'us-east-1c');
    assert.ok(subnet);
    assert.deepEqual(findSubnet(region, subnet.SubnetId), subnet);
    assert.equal(instance.subnetId, subnet.SubnetId);
    assert.equal(instance.instanceType, 't3.small');
    assert.deepEqual(instance.launchTemplate, { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId, LaunchTemplateName: 'asg-web', Version: '1' });

    const described = await t.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: ['web'] }] }));
    const seen = described.Reservations?.[0]?.Instances?.[0];
    assert.equal(seen?.InstanceId, instance.instanceId);
    assert.equal(seen?.Placement?.AvailabilityZone, 'us-east-1c');

    setInstanceTag(region, instance.instanceId, 'aws:autoscaling:groupName', undefined);
    const after = await t.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['aws:autoscaling:groupName'] }] }));
    assert.deepEqual(after.Reservations, []);
  }));

test('terminateInstance records shutting-down then terminated, once', () =>
  withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'plain', []);
    const id = launch(t, region, imageId).instanceId;
    t.advance(30);
    terminateInstance(t.emu.sim, region, id, 'Terminated by a test');
    terminateInstance(t.emu.sim, region, id, 'again');
    assert.equal(findInstance(region, id)?.stateTransitionReason, 'Terminated by a test');
    assert.equal(answersHealthCheck(t.emu.sim, region, id), false);
    t.advance(10);
    terminateInstance(t.emu.sim, region, id, 'and again');
    const states = t
      .history()
      .filter((e): e is HistoryEntryOf<'instance'> => e.type === 'instance' && e.instanceId === id)
      .map((e) => e.to);
    assert.deepEqual(states, ['pending', 'running', 'shutting-down', 'terminated']);
    terminateInstance(t.emu.sim, region, 'i-0123456789abcdef0', 'unknown ids are ignored');
  }));

test('the state dump is JSON and lists instances, images and the default network', () =>
  withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'plain', [{ Key: 'k', Value: 'v' }]);
    const id = launch(t, region, imageId).instanceId;
    const dump = JSON.parse(JSON.stringify(dumpEc2State(region))) as {
      instances: { instanceId: string; state: string }[];
      images: { imageId: string; tags: Record<string, string> }[];
      subnets: unknown[];
    };
    assert.deepEqual(dump.instances.map((i) => [i.instanceId, i.state]), [[id, 'pending']]);
    assert.deepEqual(dump.images.find((i) => i.imageId === imageId)?.tags, { k: 'v' });
    assert.equal(dump.subnets.length, 3);
  }));

test('scale: DescribeInstances of 500 instances is fast; 10,000 instances fit in little memory', () =>
  withEmulator(async (t, region) => {
    const imageId = await imageWith(t, 'plain', []);
    const zones = region.availabilityZones;
    for (let i = 0; i < 500; i++) launch(t, region, imageId, zones[i % 3]);
    t.advance(30);
    const started = performance.now();
    const out = await t.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }));
    const elapsed = performance.now() - started;
    assert.equal((out.Reservations ?? []).flatMap((r) => r.Instances ?? []).length, 500);
    assert.ok(elapsed < 3000, `DescribeInstances of 500 took ${elapsed.toFixed(0)} ms`);

    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 9500; i++) launch(t, region, imageId, zones[i % 3]);
    t.advance(30);
    const grown = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    assert.equal(region.ec2.instances.size, 10_000);
    assert.ok(grown < 150, `10,000 instances grew the heap by ${grown.toFixed(0)} MB`);
  }));
