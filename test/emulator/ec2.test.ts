/**
 * The emulator's EC2 service through the real SDK v3 client over HTTP, on the
 * manual clock (E-1, E-12, E-17, E-19): instance and image lifecycles on
 * simulated time, describes with filters and pagination, tags, AWS's errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeleteTagsCommand,
  DeregisterImageCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  RegisterImageCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Instance,
  type RunInstancesCommandInput,
  type Tag,
} from '@aws-sdk/client-ec2';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import type { HistoryEntryOf } from '../../src/emulator/history.js';

// ---------------------------------------------------------------------------
// Helpers

async function withEmulator(fn: (t: TestEmulator) => Promise<void>): Promise<void> {
  const t = await startTestEmulator();
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

/** Asserts that `promise` rejects with the AWS error `code` (and a message matching `message`, if given). */
async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp | string): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.equal(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

async function amazonImage(t: TestEmulator, architecture = 'x86_64'): Promise<string> {
  const out = await t.ec2.send(
    new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*'] }, { Name: 'architecture', Values: [architecture] }] }),
  );
  const id = out.Images?.[0]?.ImageId;
  assert.ok(id, `an Amazon Linux 2023 ${architecture} base image exists`);
  return id;
}

async function run(t: TestEmulator, input: Partial<RunInstancesCommandInput> = {}): Promise<Instance[]> {
  const imageId = input.ImageId ?? (input.LaunchTemplate ? undefined : await amazonImage(t));
  const out = await t.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', ...input, ImageId: imageId }));
  return out.Instances ?? [];
}

async function describe(t: TestEmulator, instanceId: string): Promise<Instance> {
  const out = await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  const instance = out.Reservations?.[0]?.Instances?.[0];
  assert.ok(instance, `${instanceId} is described`);
  return instance;
}

async function stateOf(t: TestEmulator, instanceId: string): Promise<string | undefined> {
  return (await describe(t, instanceId)).State?.Name;
}

function instanceHistory(t: TestEmulator, instanceId: string): HistoryEntryOf<'instance'>[] {
  return t.history().filter((e): e is HistoryEntryOf<'instance'> => e.type === 'instance' && e.instanceId === instanceId);
}

/** Registers an AMI (own account) with the given tags and waits until it is available. */
async function registerAvailableImage(t: TestEmulator, name: string, tags: Tag[] = []): Promise<string> {
  const out = await t.ec2.send(
    new RegisterImageCommand({ Name: name, Architecture: 'x86_64', TagSpecifications: tags.length ? [{ ResourceType: 'image', Tags: tags }] : undefined }),
  );
  t.advance(60);
  return out.ImageId!;
}

// ---------------------------------------------------------------------------
// The account's surroundings

test('each region has a default VPC 172.31.0.0/16 with one default subnet in each of its three AZs', () =>
  withEmulator(async (t) => {
    const vpcs = await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    assert.equal(vpcs.Vpcs?.length, 1);
    const vpc = vpcs.Vpcs![0]!;
    assert.equal(vpc.CidrBlock, '172.31.0.0/16');
    assert.equal(vpc.IsDefault, true);

    const zones = await t.ec2.send(new DescribeAvailabilityZonesCommand({}));
    const zoneNames = (zones.AvailabilityZones ?? []).map((z) => z.ZoneName).sort();
    assert.deepEqual(zoneNames, ['us-east-1a', 'us-east-1b', 'us-east-1c']);

    const subnets = await t.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }, { Name: 'default-for-az', Values: ['true'] }] }));
    assert.equal(subnets.Subnets?.length, 3);
    assert.deepEqual(subnets.Subnets!.map((s) => s.AvailabilityZone).sort(), zoneNames);
    assert.deepEqual(subnets.Subnets!.map((s) => s.CidrBlock).sort(), ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20']);

    const groups = await t.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
    assert.deepEqual(groups.SecurityGroups?.map((g) => g.GroupName), ['default']);
  }));

test('describes regions and instance types, and rejects an unknown instance type', () =>
  withEmulator(async (t) => {
    const regions = await t.ec2.send(new DescribeRegionsCommand({ RegionNames: ['us-east-1', 'eu-west-1'] }));
    assert.deepEqual(regions.Regions?.map((r) => r.RegionName), ['eu-west-1', 'us-east-1']);

    const arm = await t.ec2.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: 'instance-type', Values: ['t4g.*'] }] }));
    assert.ok(arm.InstanceTypes!.length >= 3);
    for (const type of arm.InstanceTypes!) assert.deepEqual(type.ProcessorInfo?.SupportedArchitectures, ['arm64']);

    await rejectsWith(t.ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['q9.mega' as never] })), 'InvalidInstanceType');
  }));

test('base images are available and owned by amazon; Owners=self starts empty', () =>
  withEmulator(async (t) => {
    const amazon = await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    assert.ok((amazon.Images?.length ?? 0) >= 2);
    for (const image of amazon.Images!) {
      assert.equal(image.State, 'available');
      assert.equal(image.ImageOwnerAlias, 'amazon');
      assert.ok(image.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId?.startsWith('snap-'));
    }
    const architectures = new Set(amazon.Images!.map((i) => i.Architecture));
    assert.ok(architectures.has('x86_64') && architectures.has('arm64'));

    const own = await t.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }));
    assert.deepEqual(own.Images, []);
  }));

// ---------------------------------------------------------------------------
// Instance lifecycle (E-1)

test('RunInstances answers pending; the instance is running exactly 30 s later, recorded in history', () =>
  withEmulator(async (t) => {
    const start = t.emu.sim.now;
    const [launched] = await run(t, { TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-1' }] }] });
    assert.equal(launched?.State?.Name, 'pending');
    assert.equal(launched?.State?.Code, 0);
    assert.match(launched!.InstanceId!, /^i-[0-9a-f]{17}$/);
    assert.deepEqual(launched!.Tags, [{ Key: 'Name', Value: 'web-1' }]);

    t.advance(29);
    assert.equal(await stateOf(t, launched!.InstanceId!), 'pending');
    t.advance(1);
    const running = await describe(t, launched!.InstanceId!);
    assert.equal(running.State?.Name, 'running');
    assert.equal(running.State?.Code, 16);
    assert.ok(running.PrivateIpAddress?.startsWith('172.31.'));

    const history = instanceHistory(t, launched!.InstanceId!);
    assert.deepEqual(
      history.map((e) => [e.from, e.to, e.t - start]),
      [
        [null, 'pending', 0],
        ['pending', 'running', 30_000],
      ],
    );
  }));

test('emulator:boot-seconds on the AMI sets the boot time; the same tag on the instance wins', () =>
  withEmulator(async (t) => {
    const imageId = await registerAvailableImage(t, 'slow-boot', [{ Key: 'emulator:boot-seconds', Value: '90' }]);
    const [slow] = await run(t, { ImageId: imageId });
    const [fast] = await run(t, { ImageId: imageId, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'emulator:boot-seconds', Value: '10' }] }] });

    t.advance(10);
    assert.equal(await stateOf(t, fast!.InstanceId!), 'running');
    assert.equal(await stateOf(t, slow!.InstanceId!), 'pending');
    t.advance(79);
    assert.equal(await stateOf(t, slow!.InstanceId!), 'pending');
    t.advance(1);
    assert.equal(await stateOf(t, slow!.InstanceId!), 'running');
  }));

test('TerminateInstances: shutting-down at once, terminated a few seconds later, forgotten after an hour', () =>
  withEmulator(async (t) => {
    const [instance] = await run(t);
    const id = instance!.InstanceId!;
    t.advance(30);

    const out = await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(out.TerminatingInstances?.[0]?.PreviousState, { Code: 16, Name: 'running' });
    assert.deepEqual(out.TerminatingInstances?.[0]?.CurrentState, { Code: 32, Name: 'shutting-down' });
    const shutting = await describe(t, id);
    assert.equal(shutting.State?.Name, 'shutting-down');
    assert.match(shutting.StateTransitionReason ?? '', /^User initiated \(2026-01-01 12:00:30 GMT\)$/);

    t.advance(5);
    assert.equal(await stateOf(t, id), 'terminated');
    // Terminating again is harmless and reports the terminated state.
    const again = await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.equal(again.TerminatingInstances?.[0]?.CurrentState?.Name, 'terminated');

    assert.deepEqual(
      instanceHistory(t, id).map((e) => e.to),
      ['pending', 'running', 'shutting-down', 'terminated'],
    );

    t.advance(3600);
    await rejectsWith(t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })), 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  }));

test('StopInstances and StartInstances go through stopping/stopped and pending/running', () =>
  withEmulator(async (t) => {
    const [instance] = await run(t);
    const id = instance!.InstanceId!;
    await rejectsWith(t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState');
    t.advance(30);

    const stop = await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    assert.equal(stop.StoppingInstances?.[0]?.CurrentState?.Name, 'stopping');
    t.advance(10);
    assert.equal(await stateOf(t, id), 'stopped');

    const start = await t.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    assert.equal(start.StartingInstances?.[0]?.PreviousState?.Name, 'stopped');
    assert.equal(start.StartingInstances?.[0]?.CurrentState?.Name, 'pending');
    t.advance(30);
    assert.equal(await stateOf(t, id), 'running');
    assert.deepEqual(
      instanceHistory(t, id).map((e) => e.to),
      ['pending', 'running', 'stopping', 'stopped', 'pending', 'running'],
    );
  }));

test('DescribeInstanceStatus: running instances only unless IncludeAllInstances; initializing until ready, then ok', () =>
  withEmulator(async (t) => {
    const [instance] = await run(t);
    const id = instance!.InstanceId!;
    const pending = await t.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    assert.deepEqual(pending.InstanceStatuses, []);
    const all = await t.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id], IncludeAllInstances: true }));
    assert.equal(all.InstanceStatuses?.[0]?.InstanceState?.Name, 'pending');

    t.advance(30);
    const initializing = await t.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    assert.equal(initializing.InstanceStatuses?.[0]?.InstanceStatus?.Status, 'initializing');
    t.advance(20);
    const ok = await t.ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    assert.equal(ok.InstanceStatuses?.[0]?.InstanceStatus?.Status, 'ok');
    assert.equal(ok.InstanceStatuses?.[0]?.SystemStatus?.Details?.[0]?.Status, 'passed');
  }));

// ---------------------------------------------------------------------------
// Describes: filters, pagination, errors

test('DescribeInstances filters by state, tag (with wildcards), tag-key, AZ and id', () =>
  withEmulator(async (t) => {
    const tag = (name: string) => [{ ResourceType: 'instance' as const, Tags: [{ Key: 'Name', Value: name }] }];
    const [a] = await run(t, { Placement: { AvailabilityZone: 'us-east-1a' }, TagSpecifications: tag('web-blue') });
    const [b] = await run(t, { Placement: { AvailabilityZone: 'us-east-1b' }, TagSpecifications: tag('web-green') });
    const [c] = await run(t, { Placement: { AvailabilityZone: 'us-east-1b' }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Role', Value: 'db' }] }] });
    t.advance(30);
    await t.ec2.send(new TerminateInstancesCommand({ InstanceIds: [c!.InstanceId!] }));

    const ids = async (filters: { Name: string; Values: string[] }[]) => {
      const out = await t.ec2.send(new DescribeInstancesCommand({ Filters: filters }));
      return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId).sort();
    };
    const sorted = (...xs: (Instance | undefined)[]) => xs.map((x) => x!.InstanceId).sort();

    assert.deepEqual(await ids([{ Name: 'instance-state-name', Values: ['running'] }]), sorted(a, b));
    assert.deepEqual(await ids([{ Name: 'instance-state-name', Values: ['shutting-down', 'terminated'] }]), sorted(c));
    assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['web-*'] }]), sorted(a, b));
    assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['web-gree?'] }]), sorted(b));
    assert.deepEqual(await ids([{ Name: 'tag-key', Values: ['Role'] }]), sorted(c));
    assert.deepEqual(await ids([{ Name: 'availability-zone', Values: ['us-east-1b'] }, { Name: 'instance-state-name', Values: ['running'] }]), sorted(b));
    assert.deepEqual(await ids([{ Name: 'instance-id', Values: [a!.InstanceId!] }]), sorted(a));
    assert.deepEqual(await ids([{ Name: 'tag:Name', Values: ['nothing'] }]), []);
    await rejectsWith(t.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })), 'InvalidParameterValue');
  }));

test('DescribeInstances paginates with MaxResults/NextToken and enforces its limits', () =>
  withEmulator(async (t) => {
    const launched = await run(t, { MinCount: 12, MaxCount: 12 });
    assert.equal(launched.length, 12);
    assert.equal(new Set(launched.map((i) => i.InstanceId)).size, 12);

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await t.ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: token }));
      const ids = (page.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId!);
      pageSizes.push(ids.length);
      seen.push(...ids);
      token = page.NextToken;
    } while (token);
    assert.deepEqual(pageSizes, [5, 5, 2]);
    assert.deepEqual([...seen].sort(), launched.map((i) => i.InstanceId!).sort());

    await rejectsWith(t.ec2.send(new DescribeInstancesCommand({ MaxResults: 3 })), 'InvalidParameterValue');
    await rejectsWith(t.ec2.send(new DescribeInstancesCommand({ MaxResults: 5, InstanceIds: [launched[0]!.InstanceId!] })), 'InvalidParameterCombination');
  }));

test('unknown and malformed ids get AWS codes and messages', () =>
  withEmulator(async (t) => {
    await rejectsWith(
      t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
      'InvalidInstanceID.NotFound',
      "The instance ID 'i-0123456789abcdef0' does not exist",
    );
    await rejectsWith(t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['web-1'] })), 'InvalidInstanceID.Malformed');
    await rejectsWith(t.ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })), 'InvalidInstanceID.NotFound');
    await rejectsWith(
      t.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })),
      'InvalidAMIID.NotFound',
      "The image id '[ami-0123456789abcdef0]' does not exist",
    );
    await rejectsWith(run(t, { ImageId: 'ami-0123456789abcdef0' }), 'InvalidAMIID.NotFound');
    await rejectsWith(run(t, { ImageId: 'not-an-ami' }), 'InvalidAMIID.Malformed');
    await rejectsWith(run(t, { SubnetId: 'subnet-0123456789abcdef0' }), 'InvalidSubnetID.NotFound');
    await rejectsWith(t.ec2.send(new DeleteSnapshotCommand({ SnapshotId: 'snap-0123456789abcdef0' })), 'InvalidSnapshot.NotFound');
    // An arm64 AMI on an x86 instance type.
    await rejectsWith(run(t, { ImageId: await amazonImage(t, 'arm64'), InstanceType: 't3.micro' }), 'InvalidParameterValue', /architecture 'x86_64'/);
    // Nothing was launched by any of these.
    const all = await t.ec2.send(new DescribeInstancesCommand({}));
    assert.deepEqual(all.Reservations, []);
  }));

test('DryRun answers DryRunOperation and changes nothing', () =>
  withEmulator(async (t) => {
    await rejectsWith(run(t, { DryRun: true }), 'DryRunOperation');
    const all = await t.ec2.send(new DescribeInstancesCommand({}));
    assert.deepEqual(all.Reservations, []);
  }));

// ---------------------------------------------------------------------------
// Images and snapshots (E-17, E-12)

test('CreateImage: pending, then available after 60 s with its snapshot completed; Owners=self finds it', () =>
  withEmulator(async (t) => {
    const [instance] = await run(t);
    t.advance(30);
    const start = t.emu.sim.now;
    const created = await t.ec2.send(
      new CreateImageCommand({
        InstanceId: instance!.InstanceId!,
        Name: 'web-2026-01-01',
        NoReboot: true,
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'app', Value: 'web' }] }],
      }),
    );
    const imageId = created.ImageId!;
    assert.match(imageId, /^ami-[0-9a-f]{17}$/);

    const describeImage = async () => (await t.ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
    let [image] = await describeImage();
    assert.equal(image?.ImageId, imageId);
    assert.equal(image?.State, 'pending');
    assert.equal(image?.SourceInstanceId, instance!.InstanceId);
    assert.deepEqual(image?.Tags, [{ Key: 'app', Value: 'web' }]);
    const snapshotId = image!.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId;
    assert.ok(snapshotId?.startsWith('snap-'));
    let snapshot = (await t.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId!] }))).Snapshots?.[0];
    assert.equal(snapshot?.State, 'pending');

    t.advance(59);
    [image] = await describeImage();
    assert.equal(image?.State, 'pending');
    t.advance(1);
    [image] = await describeImage();
    assert.equal(image?.State, 'available');
    snapshot = (await t.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots?.[0];
    assert.equal(snapshot?.SnapshotId, snapshotId);
    assert.equal(snapshot?.State, 'completed');
    assert.equal(snapshot?.Progress, '100%');

    const imageHistory = t.history().filter((e): e is HistoryEntryOf<'image'> => e.type === 'image' && e.imageId === imageId);
    assert.deepEqual(
      imageHistory.map((e) => [e.from, e.to, e.t - start]),
      [
        [null, 'pending', 0],
        ['pending', 'available', 60_000],
      ],
    );
    // The name is taken now.
    await rejectsWith(t.ec2.send(new CreateImageCommand({ InstanceId: instance!.InstanceId!, Name: 'web-2026-01-01' })), 'InvalidAMIName.Duplicate');
  }));

test('launching from a pending image fails with InvalidAMIID.Unavailable (E-12)', () =>
  withEmulator(async (t) => {
    const [instance] = await run(t);
    t.advance(30);
    const { ImageId } = await t.ec2.send(new CreateImageCommand({ InstanceId: instance!.InstanceId!, Name: 'baking' }));
    await rejectsWith(run(t, { ImageId }), 'InvalidAMIID.Unavailable', `AMI '${ImageId}' is pending, and cannot be run`);
    t.advance(60);
    const [launched] = await run(t, { ImageId });
    assert.equal(launched?.ImageId, ImageId);
  }));

test('DeleteSnapshot of a snapshot a registered AMI uses is InvalidSnapshot.InUse; after DeregisterImage it goes', () =>
  withEmulator(async (t) => {
    const imageId = await registerAvailableImage(t, 'to-retire');
    const image = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!;
    const snapshotId = image.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;

    await rejectsWith(
      t.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })),
      'InvalidSnapshot.InUse',
      `The snapshot ${snapshotId} is currently in use by ${imageId}`,
    );

    const deregistered = await t.ec2.send(new DeregisterImageCommand({ ImageId: imageId }));
    assert.equal(deregistered.Return, true);
// Listed as deregistered for a short while (E-39), then gone.
    assert.equal((await t.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!.State, 'deregistered');
    t.advance(600);
    await rejectsWith(t.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })), 'InvalidAMIID.NotFound');
    await rejectsWith(run(t, { ImageId: imageId }), 'InvalidAMIID.NotFound');

    await t.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    await rejectsWith(t.ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] })), 'InvalidSnapshot.NotFound');
  }));

test('RegisterImage from an existing snapshot, and DescribeImages filters by tag and state', () =>
  withEmulator(async (t) => {
    const first = await registerAvailableImage(t, 'first', [{ Key: 'release', Value: '41' }]);
    const snapshotId = (await t.ec2.send(new DescribeImagesCommand({ ImageIds: [first] }))).Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    const second = await t.ec2.send(
      new RegisterImageCommand({
        Name: 'second',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId } }],
        TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'release', Value: '42' }] }],
      }),
    );
    const byTag = await t.ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:release', Values: ['42'] }] }));
    assert.deepEqual(byTag.Images?.map((i) => i.ImageId), [second.ImageId]);
    const pending = await t.ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'state', Values: ['pending'] }] }));
    assert.deepEqual(pending.Images?.map((i) => i.ImageId), [second.ImageId]);
    await rejectsWith(t.ec2.send(new RegisterImageCommand({ Name: 'orphan', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }] })), 'InvalidSnapshot.NotFound');
  }));

// ---------------------------------------------------------------------------
// Tags

test('CreateTags, DescribeTags and DeleteTags (a value given must match); aws: keys are reserved', () =>
  withEmulator(async (t) => {
    const [instance] = await run(t);
    const id = instance!.InstanceId!;
    await t.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'prod' }] }));
    const described = await t.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }));
    assert.deepEqual(
      described.Tags?.map((x) => [x.Key, x.Value, x.ResourceType]).sort(),
      [
        ['env', 'prod', 'instance'],
        ['team', 'web', 'instance'],
      ],
    );

    await t.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'env', Value: 'staging' }] }));
    assert.deepEqual((await describe(t, id)).Tags?.map((x) => x.Key).sort(), ['env', 'team']);
    await t.ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'env' }] }));
    assert.deepEqual((await describe(t, id)).Tags?.map((x) => x.Key), ['team']);

    await rejectsWith(t.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'aws:secret', Value: 'x' }] })), 'InvalidParameterValue');
    await rejectsWith(t.ec2.send(new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidInstanceID.NotFound');
    const byKey = await t.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['te*'] }] }));
    assert.deepEqual(byKey.Tags?.map((x) => x.ResourceId), [id]);
  }));

// ---------------------------------------------------------------------------
// Injected faults (E-20)

test('an injected launch failure in an AZ answers InsufficientInstanceCapacity naming the AZ; an outage too', () =>
  withEmulator(async (t) => {
    t.emu.sim.faults.launchFailures.set('us-east-1a', 'InsufficientInstanceCapacity');
    await rejectsWith(
      run(t, { Placement: { AvailabilityZone: 'us-east-1a' } }),
      'InsufficientInstanceCapacity',
      /sufficient t3\.micro capacity in the Availability Zone you requested \(us-east-1a\)/,
    );
    const [elsewhere] = await run(t, { Placement: { AvailabilityZone: 'us-east-1b' } });
    assert.equal(elsewhere?.Placement?.AvailabilityZone, 'us-east-1b');

    t.emu.sim.faults.azOutages.add('us-east-1c');
    await rejectsWith(run(t, { Placement: { AvailabilityZone: 'us-east-1c' } }), 'InsufficientInstanceCapacity', /us-east-1c/);
    const zones = await t.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1c'] }));
    assert.equal(zones.AvailabilityZones?.[0]?.State, 'impaired');
  }));
