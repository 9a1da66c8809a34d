/**
 * Shape parity with moto, the known emulator (docs/emulator.md): the same
 * SDK v3 client code creates the same resources in moto_server and in ours,
 * then sends the same describe calls to both. Every key moto's answer sets
 * must be set in ours too (recursively, over the first element of each list),
 * except for the few listed in DELIBERATELY_NOT_MODELLED. Values are not
 * compared: moto's instances are InService at once, ours boot (E-1), and the
 * images each side owns as `amazon` differ.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startMotoServer, type RunningMoto } from '../interop/child-process.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Keys moto sets that we leave out on purpose, as `Operation:path` with `[]`
 * for "the first element". Keep this short: anything AWS really returns
 * belongs in the emulator, not here.
 */
const DELIBERATELY_NOT_MODELLED = new Set<string>([
  // moto sends an empty StateReason ({Code: '', Message: ''}) for running instances; AWS sends
  // stateReason only after a transition that has one (pending, stopping, shutting-down, terminated).
  'DescribeInstances:Reservations[].Instances[].StateReason',
]);

interface Side {
  name: 'moto' | 'ours';
  asg: AutoScalingClient;
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  imageId: string;
  subnetIds: string[];
  instanceIds: string[];
}

let moto: RunningMoto | undefined;
let emu: RunningEmulator | undefined;
const sides: Partial<Record<Side['name'], Side>> = {};

function clients(endpoint: string) {
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  return { asg: new AutoScalingClient(config), ec2: new EC2Client(config), elb: new ElasticLoadBalancingV2Client(config) };
}

/** The same resources on either side: a launch template, a target group, a group of 2 registered with it. */
async function arrange(name: Side['name'], endpoint: string, settle: () => void): Promise<Side> {
  const { asg, ec2, elb } = clients(endpoint);
  const images = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images ?? [];
  const image = images.find((i) => i.Architecture === 'x86_64' && !i.Platform && i.State === 'available');
  assert.ok(image?.ImageId, `${name}: no available x86_64 Linux image owned by amazon`);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  const byZone = new Map<string, (typeof subnets)[number]>();
  for (const s of subnets) if (s.DefaultForAz && !byZone.has(s.AvailabilityZone!)) byZone.set(s.AvailabilityZone!, s);
  const three = [...byZone.values()].slice(0, 3);
  assert.equal(three.length, 3, `${name}: default subnets in 3 AZs`);

  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'cmp-web', LaunchTemplateData: { ImageId: image.ImageId, InstanceType: 't3.micro' } }));
  const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'cmp-web', Protocol: 'HTTP', Port: 80, VpcId: three[0]!.VpcId }))).TargetGroups![0]!;
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'cmp-web',
      LaunchTemplate: { LaunchTemplateName: 'cmp-web', Version: '$Latest' },
      MinSize: 1,
      MaxSize: 4,
      DesiredCapacity: 2,
      VPCZoneIdentifier: three.map((s) => s.SubnetId).join(','),
      TargetGroupARNs: [tg.TargetGroupArn!],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 60,
      Tags: [{ Key: 'team', Value: 'compare', PropagateAtLaunch: true }],
    }),
  );
  settle();
  const group = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['cmp-web'] }))).AutoScalingGroups?.[0];
  const instanceIds = (group?.Instances ?? []).map((i) => i.InstanceId!);
  assert.equal(instanceIds.length, 2, `${name}: the group launched 2 instances`);
  return { name, asg, ec2, elb, imageId: image.ImageId!, subnetIds: three.map((s) => s.SubnetId!), instanceIds };
}

before(async () => {
  moto = await startMotoServer();
  emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 5 });
  sides.moto = await arrange('moto', moto.endpoint, () => {});
  // Ours boots for real (E-1): let simulated time pass until the instances are up, as moto's are at once.
  sides.ours = await arrange('ours', emu.endpoint, () => emu!.advance(300_000));
});

after(async () => {
  for (const side of Object.values(sides)) {
    side?.asg.destroy();
    side?.ec2.destroy();
    side?.elb.destroy();
  }
  await emu?.close();
  await moto?.stop();
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

/**
 * Paths of keys set in `theirs` but not in `ours`, descending into objects and
 * into the first element of lists. `Reservations[].Instances[].State`.
 */
function missingKeyPaths(theirs: unknown, ours: unknown, path = ''): string[] {
  if (Array.isArray(theirs)) {
    if (theirs.length === 0) return [];
    if (!Array.isArray(ours)) return [`${path} (a list in moto, ${ours === undefined ? 'absent' : typeof ours} in ours)`];
    if (ours.length === 0) return [`${path}[] (moto lists elements, ours none)`];
    return missingKeyPaths(theirs[0], ours[0], `${path}[]`);
  }
  if (!isRecord(theirs)) return [];
  if (!isRecord(ours)) return [`${path} (an object in moto, ${ours === undefined ? 'absent' : typeof ours} in ours)`];
  const missing: string[] = [];
  for (const [key, value] of Object.entries(theirs)) {
    if (key === '$metadata' || value === undefined) continue;
    const child = path ? `${path}.${key}` : key;
    if (ours[key] === undefined) missing.push(child);
    else missing.push(...missingKeyPaths(value, ours[key], child));
  }
  return missing;
}

/** Sends the call each side builds and asserts ours sets every key moto sets. */
async function compare(operation: string, call: (side: Side) => Promise<unknown>): Promise<void> {
  assert.ok(sides.moto && sides.ours, 'both sides arranged');
  const [theirs, ours] = await Promise.all([call(sides.moto), call(sides.ours)]);
  const missing = missingKeyPaths(theirs, ours).filter((p) => !DELIBERATELY_NOT_MODELLED.has(`${operation}:${p}`));
  assert.deepEqual(missing, [], `${operation}: keys moto sets that ours does not:\n  ${missing.join('\n  ')}`);
}

test('the key-path comparison itself reports what is missing', () => {
  assert.deepEqual(
    missingKeyPaths(
      { A: [{ B: 1, C: { D: 2 } }], E: 'x', F: [], G: new Date(0), H: undefined },
      { A: [{ B: 1, C: {} }, { C: { D: 2 } }], G: new Date(1) },
    ),
    ['A[].C.D', 'E', 'F'],
  );
  assert.deepEqual(missingKeyPaths({ A: [{ B: 1 }] }, { A: [] }), ['A[] (moto lists elements, ours none)']);
});

test('DescribeAutoScalingGroups sets every key moto sets', () =>
  compare('DescribeAutoScalingGroups', (s) => s.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['cmp-web'] }))));

test('DescribeLaunchTemplates sets every key moto sets', () =>
  compare('DescribeLaunchTemplates', (s) => s.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['cmp-web'] }))));

test('DescribeTargetGroups sets every key moto sets', () =>
  compare('DescribeTargetGroups', (s) => s.elb.send(new DescribeTargetGroupsCommand({ Names: ['cmp-web'] }))));

test('DescribeInstances sets every key moto sets', () =>
  compare('DescribeInstances', (s) => s.ec2.send(new DescribeInstancesCommand({ InstanceIds: s.instanceIds }))));

test('DescribeImages (each side its own amazon image) sets every key moto sets', () =>
  compare('DescribeImages', (s) => s.ec2.send(new DescribeImagesCommand({ ImageIds: [s.imageId] }))));

test('DescribeSubnets sets every key moto sets', () =>
  compare('DescribeSubnets', (s) => s.ec2.send(new DescribeSubnetsCommand({ SubnetIds: s.subnetIds }))));

test('DescribeAvailabilityZones sets every key moto sets', () =>
  compare('DescribeAvailabilityZones', (s) => s.ec2.send(new DescribeAvailabilityZonesCommand({}))));
