/**
 * prune against the emulator over HTTP (real SDK), on a manual clock: a
 * history of 12 baked images a day apart, some in use in every way AWS allows
 * (running and stopped instances, a group's version, the template's default,
 * another template's $Latest, a launch configuration), one in use only by a
 * terminated instance. Exactly the right images, snapshots and versions go;
 * a dry run makes no mutating call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLaunchConfigurationCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateVersionCommand,
  DeregisterImageCommand,
  ModifyLaunchTemplateCommand,
  RegisterImageCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { createAwsClients, type AwsClients } from '../../src/aws/index.js';
import { bakeImage, BakeEventLog, prune, type BakeContext, type BakeResult } from '../../src/bake/index.js';
import { startTestEmulator, TEST_CREDENTIALS, TEST_REGION, type TestEmulator } from '../helpers/emulator.js';
import { MUTATING, type CallEntry } from './harness.js';

const DAY = 86_400_000;

interface Seeded {
  env: TestEmulator;
  aws: AwsClients;
  ctx: BakeContext;
  log: BakeEventLog;
  templateId: string;
  /** images[1..12], oldest first. */
  baked: BakeResult[];
  scratchVersion: number;
  scratchImage: string;
  apiImage: string;
  instances: { running: string; stopped: string; terminated: string };
  close(): Promise<void>;
}

async function runInstance(env: TestEmulator, imageId: string): Promise<string> {
  const out = await env.ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
  return out.Instances![0]!.InstanceId!;
}

async function instanceState(aws: AwsClients, id: string): Promise<string | undefined> {
  return (await aws.ec2.describeInstances([id]))[0]?.State?.Name;
}

async function seed(): Promise<Seeded> {
  const env = await startTestEmulator({ seed: 3 });
  const aws = createAwsClients({ endpoint: env.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, clock: env.clock, maxAttempts: 1 });
  const log = new BakeEventLog();
  const ctx: BakeContext = { aws, clock: env.clock, emit: log.sink };
  const base = await aws.provision.amazonImage();
  const builder = await runInstance(env, base);
  await env.advanceUntil(async () => (await instanceState(aws, builder)) === 'running', { stepSeconds: 10 });
  const lt = await aws.provision.createLaunchTemplate('web-lt', { ImageId: base, InstanceType: 't3.micro' });

  // Images are available at once (E-19 tag), so bake's wait returns on its first look.
  const fast = { 'emulator:image-seconds': '0' };
  const baked: BakeResult[] = [];
  let scratchVersion = 0;
  let scratchImage = '';
  for (let i = 1; i <= 12; i++) {
    baked[i] = await bakeImage(ctx, { source: { instanceId: builder }, template: { name: 'web-lt' }, app: 'web', tags: fast });
    if (i === 6) {
      // A hand-made version whose image is later deregistered: a version nothing can launch.
      const scratch = await env.ec2.send(new RegisterImageCommand({ Name: 'scratch-image', RootDeviceName: '/dev/xvda', TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'emulator:image-seconds', Value: '0' }] }] }));
      scratchImage = scratch.ImageId!;
      const v = await env.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: lt.id, SourceVersion: '1', LaunchTemplateData: { ImageId: scratchImage } }));
      scratchVersion = v.LaunchTemplateVersion!.VersionNumber!;
    }
    env.advance(DAY / 1000);
  }
  await aws.provision.createLaunchTemplate('api-lt', { ImageId: base, InstanceType: 't3.micro' });
  const apiBake = await bakeImage(ctx, { source: { instanceId: builder }, template: { name: 'api-lt' }, app: 'api', name: 'api-20251201-000000', tags: fast });
  const version = (i: number) => baked[i]!.version!;

  // In use: a group on image 3's version (no instances, so only the group holds it), the template's default on image 5,
  // another template whose only version ($Default and $Latest) is image 8, a launch configuration on image 7,
  // a running instance of image 2, a stopped one of image 1; image 4's only instance is terminated.
  const network = await aws.provision.defaultNetwork();
  await aws.provision.createGroup({ name: 'web', launchTemplateId: lt.id, version: String(version(3)), minSize: 0, maxSize: 2, desiredCapacity: 0, subnetIds: network.subnets.map((s) => s.subnetId) });
  await env.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: lt.id, DefaultVersion: String(version(5)) }));
  await aws.provision.createLaunchTemplate('other-lt', { ImageId: baked[8]!.imageId!, InstanceType: 't3.micro' });
  await env.asg.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'web-legacy-lc', ImageId: baked[7]!.imageId!, InstanceType: 't3.micro' }));
  const running = await runInstance(env, baked[2]!.imageId!);
  const stopped = await runInstance(env, baked[1]!.imageId!);
  const terminated = await runInstance(env, baked[4]!.imageId!);
  await env.advanceUntil(async () => (await instanceState(aws, stopped)) === 'running', { stepSeconds: 10 });
  await env.ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
  await env.ec2.send(new TerminateInstancesCommand({ InstanceIds: [terminated] }));
  await env.advanceUntil(async () => (await instanceState(aws, stopped)) === 'stopped' && (await instanceState(aws, terminated)) === 'terminated', { stepSeconds: 10 });
  await env.ec2.send(new DeregisterImageCommand({ ImageId: scratchImage }));
  env.advance(3600);

  return {
    env,
    aws,
    ctx,
    log,
    templateId: lt.id,
    baked,
    scratchVersion,
    scratchImage,
    apiImage: apiBake.imageId!,
    instances: { running, stopped, terminated },
    async close() {
      aws.destroy();
      await env.close();
    },
  };
}

const callsAfter = (env: TestEmulator, mark: number): CallEntry[] =>
  env.history().slice(mark).filter((e): e is CallEntry => e.type === 'call');

test('prune a history of 12 images: exactly the unused old ones go, with their snapshots and versions; the dry run changes nothing', { timeout: 60_000 }, async () => {
  const s = await seed();
  try {
    const { env, aws, baked } = s;
    const image = (i: number) => baked[i]!.imageId!;
    const options = { app: 'web', template: { name: 'web-lt' }, keep: 2, olderThanMs: 3.5 * DAY } as const;

    // Dry run first: the whole plan, no mutating call.
    const mark = env.history().length;
    const dryLog = new BakeEventLog();
    const dry = await prune({ ...s.ctx, emit: dryLog.sink }, { ...options, dryRun: true });
    const dryCalls = callsAfter(env, mark);
    assert.ok(dryCalls.length > 0, 'the dry run describes');
    assert.deepEqual(dryCalls.filter((c) => MUTATING.test(c.action)).map((c) => c.action), [], 'and changes nothing');

    const expectedGone = [image(4), image(6), image(9)].sort();
    assert.deepEqual([...dry.deregistered].sort(), expectedGone);
    assert.equal(dry.plan.images.length, 12, 'the 12 images of web; api\'s and the scratch image are not web\'s');

    // Why each one stays, as printed.
    const because = new Map(dryLog.of('image-kept').map((e) => [e.imageId, e.because]));
    const version = (i: number) => baked[i]!.version!;
    assert.deepEqual(because.get(image(12)), ['newest 2', 'younger than 3d12h', `latest version (web-lt version ${version(12)})`]);
    assert.deepEqual(because.get(image(11)), ['newest 2', 'younger than 3d12h']);
    assert.deepEqual(because.get(image(10)), ['younger than 3d12h']);
    assert.deepEqual(because.get(image(8)), ['default version (other-lt version 1)', 'latest version (other-lt version 1)']);
    assert.deepEqual(because.get(image(7)), ['launch configuration web-legacy-lc']);
    assert.deepEqual(because.get(image(5)), [`default version (web-lt version ${version(5)})`]);
    assert.deepEqual(because.get(image(3)), [`used by group web (version ${version(3)})`]);
    assert.deepEqual(because.get(image(2)), [`used by instance ${s.instances.running}`]);
    assert.deepEqual(because.get(image(1)), [`used by instance ${s.instances.stopped} (stopped)`]);
    assert.equal(because.size, 9);

    const expectedVersions = [version(4), version(6), version(9), s.scratchVersion].sort((a, b) => a - b);
    assert.deepEqual(dry.deletedVersions.map((v) => v.version).sort((a, b) => a - b), expectedVersions);
    const goneSnapshots = [4, 6, 9].flatMap((i) => baked[i]!.snapshotIds).sort();
    assert.equal(goneSnapshots.length, 3);
    assert.deepEqual([...dry.deletedSnapshots].sort(), goneSnapshots);

    // The real run does what the dry run said, and only that.
    const before = await aws.ec2.describeImages({ owners: ['self'] });
    const mark2 = env.history().length;
    const done = await prune(s.ctx, options);
    assert.deepEqual(done.failures, []);
    assert.deepEqual([...done.deregistered].sort(), expectedGone);
    assert.deepEqual([...done.deletedSnapshots].sort(), goneSnapshots);
    assert.deepEqual(done.deletedVersions.map((v) => v.version).sort((a, b) => a - b), expectedVersions);
    const mutations = callsAfter(env, mark2).filter((c) => MUTATING.test(c.action));
    assert.ok(mutations.every((c) => c.ok), JSON.stringify(mutations.filter((c) => !c.ok)));
    assert.deepEqual(mutations.map((c) => c.action), ['DeleteLaunchTemplateVersions', 'DeregisterImage', 'DeregisterImage', 'DeregisterImage', 'DeleteSnapshot', 'DeleteSnapshot', 'DeleteSnapshot'], 'versions, then images, then snapshots');

    // Images: exactly those three gone; everyone else's untouched.
    const after = await aws.ec2.describeImages({ owners: ['self'] });
    assert.deepEqual(
      // A just-deregistered image is still listed, as `deregistered`, for a short while (emulator rule E-39).
      before.map((i) => i.ImageId!).filter((id) => !after.some((a) => a.ImageId === id && a.State !== 'deregistered')).sort(),
      expectedGone,
    );
    assert.ok(after.some((i) => i.ImageId === s.apiImage), 'another app\'s image stays');
    // Snapshots: theirs gone, the kept images' still there.
    const snapshots = new Set((await aws.ec2.describeSnapshots({ ownerIds: ['self'] })).map((x) => x.SnapshotId));
    for (const id of goneSnapshots) assert.ok(!snapshots.has(id), `${id} deleted`);
    for (const i of [1, 2, 3, 5, 7, 8, 10, 11, 12]) for (const id of baked[i]!.snapshotIds) assert.ok(snapshots.has(id), `snapshot of image ${i} kept`);

    // Versions: those four gone; default, latest, the group's and the kept images' stay.
    const versions = await aws.ec2.describeLaunchTemplateVersions({ id: s.templateId });
    const left = versions.map((v) => v.VersionNumber!);
    for (const v of expectedVersions) assert.ok(!left.includes(v), `version ${v} deleted`);
    assert.equal(left.length, 14 - expectedVersions.length, '1 + 12 baked + 1 scratch, minus the deleted');
    const [template] = await aws.ec2.describeLaunchTemplates({ ids: [s.templateId] });
    assert.equal(template?.DefaultVersionNumber, version(5));
    assert.equal(template?.LatestVersionNumber, version(12));

    // The invariant, from the account's state: every image something uses still exists.
    const existing = new Set(after.map((i) => i.ImageId));
    const used: string[] = [];
    for (const id of Object.values(s.instances)) {
      const [i] = await aws.ec2.describeInstances([id]);
      if (i !== undefined && i.State?.Name !== 'terminated') used.push(i.ImageId!);
    }
    for (const { group } of await aws.autoscaling.describeGroups()) {
      const [v] = await aws.ec2.describeLaunchTemplateVersions({ id: group.launchTemplate!.id! }, [group.launchTemplate!.version]);
      used.push(v!.LaunchTemplateData!.ImageId!);
    }
    for (const v of await aws.ec2.describeLatestAndDefaultVersions()) used.push(v.LaunchTemplateData!.ImageId!);
    for (const lc of await aws.autoscaling.describeLaunchConfigurations()) used.push(lc.imageId!);
    for (const id of used.filter((x) => x.startsWith('ami-') && before.some((b) => b.ImageId === x))) assert.ok(existing.has(id), `${id} is in use and must exist`);

    // A second run finds nothing more to do.
    const mark3 = env.history().length;
    const again = await prune(s.ctx, options);
    assert.deepEqual([again.deregistered, again.deletedSnapshots, again.deletedVersions], [[], [], []]);
    assert.deepEqual(callsAfter(env, mark3).filter((c) => MUTATING.test(c.action)), []);
  } finally {
    await s.close();
  }
});

test('prune: an unfinished deploy holds its rollback version; a version made live mid-prune keeps its image', { timeout: 60_000 }, async () => {
  const s = await seed();
  try {
    const { aws, baked } = s;
    // A deploy from version(10) to version(11) on the group, interrupted (its record stays on the group).
    const from = String(baked[10]!.version);
    const to = String(baked[11]!.version);
    await aws.autoscaling.createOrUpdateTags('web', [
      { key: 'asg-deploy:deploy', value: 'id=d-20260110T000000-abcd;strategy=roll;phase=rolling;started=2026-01-10T00:00:00.000Z;updated=2026-01-10T00:00:00.000Z', propagateAtLaunch: false },
      { key: 'asg-deploy:versions', value: `template=${s.templateId};from=${from};to=${to}`, propagateAtLaunch: false },
      { key: 'asg-deploy:original', value: 'min=0;max=2;desired=0', propagateAtLaunch: false },
      { key: 'asg-deploy:settings', value: 'surge=1;floor=0;warmup=0;maxFailed=3;timeout=1200', propagateAtLaunch: false },
    ]);
    // Someone makes image 4's version the default between prune's describes and its deletes:
    // AWS then refuses to delete that version, and prune must keep its image.
    const raced = baked[4]!.version!;
    const racing = {
      ...aws,
      ec2: {
        ...aws.ec2,
        deleteLaunchTemplateVersions: async (template: Parameters<typeof aws.ec2.deleteLaunchTemplateVersions>[0], versions: readonly number[]) => {
          await aws.ec2.modifyLaunchTemplate(template, String(raced));
          return aws.ec2.deleteLaunchTemplateVersions(template, versions);
        },
      },
    };
    const log = new BakeEventLog();
    const result = await prune({ ...s.ctx, aws: racing, emit: log.sink }, { template: { id: s.templateId }, app: 'web', keep: 0 });

    const kept = new Map(log.of('image-kept').map((e) => [e.imageId, e.because]));
    assert.deepEqual(kept.get(baked[10]!.imageId!), [`deploy d-20260110T000000-abcd on group web (version ${from})`]);
    assert.deepEqual(kept.get(baked[11]!.imageId!), [`deploy d-20260110T000000-abcd on group web (version ${to})`]);
    assert.deepEqual([...result.deregistered].sort(), [6, 9].map((i) => baked[i]!.imageId!).sort(), 'keep 0: only images nothing uses go, and not the raced one');
    assert.equal(result.failures.length, 1);
    assert.match(result.failures[0]!.resource, new RegExp(`version ${raced}$`));
    assert.ok(log.of('warning').some((w) => w.message.includes(`kept image ${baked[4]!.imageId}`)));
    assert.equal((await aws.ec2.describeImages({ imageIds: [baked[4]!.imageId!] }))[0]?.State, 'available');
  } finally {
    await s.close();
  }
});
