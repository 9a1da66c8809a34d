/**
 * bake against the emulator over HTTP (real SDK), on a scaled clock shared by
 * the emulator and the tool: the image goes pending → available on the
 * clock, the new version differs from its source only in ImageId, errors name
 * what is missing, and a group cannot launch from the image before it is
 * available (E-12, seed 001).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLaunchTemplateVersionCommand, DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { bakeImage, BakeEventLog, checkImage, waitForImage, type BakeContext } from '../../src/bake/index.js';
import { isAsgDeployError } from '../../src/core/index.js';
import type { HistoryEntry } from '../../src/emulator/index.js';
import { startFleet, waitFor, type TestFleet } from '../helpers/fleet.js';
import { callsSince, mutatingCallsSince } from './harness.js';

function bakeContext(fleet: TestFleet): { ctx: BakeContext; log: BakeEventLog } {
  const log = new BakeEventLog();
  return { log, ctx: { aws: fleet.aws, clock: fleet.clock, emit: log.sink, pollIntervalMs: 5_000 } };
}

async function groupInstanceIds(fleet: TestFleet): Promise<string[]> {
  const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
  return instances.map((i) => i.id).sort();
}

const imageChanges = (entries: readonly HistoryEntry[], imageId: string) =>
  entries.filter((e): e is Extract<HistoryEntry, { type: 'image' }> => e.type === 'image' && e.imageId === imageId);

function withoutImageId<T extends { ImageId?: string }>(data: T | undefined): Omit<T, 'ImageId'> {
  const { ImageId: _ignored, ...rest } = data ?? ({} as T);
  return rest;
}

test('bake: pending then available on the clock, snapshots, a version that changes only ImageId, and --set-default', { timeout: 60_000 }, async () => {
  const fleet = await startFleet({ size: 1, speed: 300 });
  try {
    const [instanceId] = await groupInstanceIds(fleet);
    // A source version with more than an image and a type, and a later one that must not be copied.
    const rich = await fleet.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: fleet.templateId,
        SourceVersion: '1',
        LaunchTemplateData: {
          UserData: Buffer.from('#!/bin/sh\necho web\n').toString('base64'),
          Monitoring: { Enabled: true },
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'web' }] }],
        },
      }),
    );
    const sourceVersion = rich.LaunchTemplateVersion!.VersionNumber!;
    await fleet.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: fleet.templateId, SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.large' } }));

    const { ctx, log } = bakeContext(fleet);
    const t0 = fleet.clock.now();
    const result = await bakeImage(ctx, {
      source: { instanceId: instanceId! },
      template: { name: 'web-lt' },
      sourceVersion: String(sourceVersion),
      app: 'web',
      tags: { 'git-sha': '3f2c1a9' },
      setDefault: true,
    });

    // Result.
    assert.equal(result.outcome, 'baked');
    assert.equal(result.imageState, 'available');
    assert.equal(result.sourceVersion, sourceVersion);
    assert.equal(result.version, sourceVersion + 2, 'a new version after the two that exist');
    assert.equal(result.isDefault, true);
    assert.equal(result.previousDefault, 1);
    assert.match(result.imageName, /^web-\d{8}-\d{6}$/);

    // Pending → available after 60 simulated seconds, from the emulator's own record.
    const changes = imageChanges(fleet.history(), result.imageId!);
    assert.deepEqual(changes.map((c) => `${c.from}→${c.to}`), ['null→pending', 'pending→available']);
    const pendingFor = changes[1]!.t - changes[0]!.t;
    assert.ok(pendingFor >= 60_000 && pendingFor < 62_000, `pending for ${pendingFor} ms`);
    assert.ok(changes[0]!.t >= t0);

    // Progress while pending, then available; the version only after that.
    const codes = log.events.map((e) => e.code);
    assert.deepEqual(codes.filter((c, i) => c !== codes[i - 1]), ['bake-plan', 'image-requested', 'image-pending', 'image-available', 'template-version-created', 'default-version-set', 'bake-done']);
    const pending = log.of('image-pending');
    assert.ok(pending.length >= 2, `${pending.length} progress events over 60 s at 5 s polls`);
    assert.ok(pending.every((e, i) => i === 0 || e.seconds >= pending[i - 1]!.seconds), 'elapsed time only grows');
    assert.ok(pending.some((e) => e.snapshotProgress !== undefined && e.snapshotProgress !== '100%'), 'snapshot progress shown while pending');
    const versionCall = callsSince(fleet.history(), t0).find((c) => c.action === 'CreateLaunchTemplateVersion');
    assert.ok(versionCall && versionCall.t >= changes[1]!.t, 'the version is created only once the image is available');

    // The image: name, tags, snapshots.
    const [image] = await fleet.aws.ec2.describeImages({ imageIds: [result.imageId!] });
    assert.equal(image?.State, 'available');
    assert.equal(image?.Name, result.imageName);
    const tags = Object.fromEntries((image?.Tags ?? []).map((t) => [t.Key, t.Value]));
    assert.equal(tags.app, 'web');
    assert.equal(tags['asg-deploy:source-instance'], instanceId);
    assert.equal(tags['asg-deploy:launch-template'], fleet.templateId);
    assert.equal(tags['git-sha'], '3f2c1a9');
    assert.ok(!Number.isNaN(Date.parse(tags['asg-deploy:created-at'] ?? '')));
    assert.ok(result.snapshotIds.length >= 1);
    const snapshots = await fleet.aws.ec2.describeSnapshots({ snapshotIds: result.snapshotIds });
    assert.deepEqual(snapshots.map((s) => s.SnapshotId).sort(), [...result.snapshotIds].sort());
    assert.ok(snapshots.every((s) => s.State === 'completed'));
    const snapshotTags = Object.fromEntries((snapshots[0]?.Tags ?? []).map((t) => [t.Key, t.Value]));
    assert.equal(snapshotTags.app, 'web', 'snapshots carry the tags too');

    // The new version is the source version with only ImageId changed.
    const versions = await fleet.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: fleet.templateId, Versions: [String(sourceVersion), String(result.version)] }),
    );
    const source = versions.LaunchTemplateVersions!.find((v) => v.VersionNumber === sourceVersion)!;
    const created = versions.LaunchTemplateVersions!.find((v) => v.VersionNumber === result.version)!;
    assert.equal(created.LaunchTemplateData?.ImageId, result.imageId);
    assert.equal(source.LaunchTemplateData?.ImageId, fleet.baseImage);
    assert.deepEqual(withoutImageId(created.LaunchTemplateData), withoutImageId(source.LaunchTemplateData));
    assert.equal(created.LaunchTemplateData?.InstanceType, 't3.micro', 'copied from the source version, not from $Latest');
    assert.ok(created.LaunchTemplateData?.UserData);

    // --set-default moved the default.
    const [template] = await fleet.aws.ec2.describeLaunchTemplates({ ids: [fleet.templateId] });
    assert.equal(template?.DefaultVersionNumber, result.version);
    assert.equal(template?.LatestVersionNumber, result.version);
  } finally {
    await fleet.close();
  }
});

test('bake: a missing instance, template, version or tag match fails naming it, before anything is created', { timeout: 60_000 }, async () => {
  const fleet = await startFleet({ size: 2, speed: 300 });
  try {
    const [instanceId] = await groupInstanceIds(fleet);
    const { ctx } = bakeContext(fleet);
    // Position in the history, not a time: a call answered within the same
    // real millisecond would carry this very instant.
    const seen = fleet.history().length;
    const fails = async (options: Parameters<typeof bakeImage>[1], code: string, names: string | RegExp) => {
      await assert.rejects(bakeImage(ctx, options), (e: unknown) => {
        assert.ok(isAsgDeployError(e), String(e));
        assert.equal(e.code, code, e.message);
        if (typeof names === 'string') assert.ok(e.message.includes(names), `${e.message} should name ${names}`);
        else assert.match(e.message, names);
        return true;
      });
    };
    await fails({ source: { instanceId: 'i-0123456789abcdef0' }, template: { name: 'web-lt' } }, 'NOT_FOUND', 'i-0123456789abcdef0');
    await fails({ source: { instanceId: instanceId! }, template: { id: 'lt-0123456789abcdef0' } }, 'NOT_FOUND', 'lt-0123456789abcdef0');
    await fails({ source: { instanceId: instanceId! }, template: { name: 'no-such-lt' } }, 'NOT_FOUND', 'no-such-lt');
    await fails({ source: { instanceId: instanceId! }, template: { name: 'web-lt' }, sourceVersion: '42' }, 'NOT_FOUND', 'no version 42');
    await fails({ source: { tags: { Name: 'builder' } }, template: { name: 'web-lt' } }, 'NOT_FOUND', 'Name=builder');
    await fails({ source: { tags: { 'aws:autoscaling:groupName': 'web' } }, template: { name: 'web-lt' } }, 'BAD_INPUT', /2 running instances are tagged aws:autoscaling:groupName=web \(i-\w+, i-\w+\)/);
    await fails({ source: { instanceId: instanceId! }, template: { name: 'web-lt' }, forGroup: 'nope' }, 'GROUP_NOT_FOUND', 'nope');
    await fails({ source: { instanceId: instanceId! }, template: { name: 'web-lt' }, name: 'x' }, 'BAD_INPUT', '"x"');
    assert.deepEqual(mutatingCallsSince(fleet.history().slice(seen), 0).map((c) => c.action), [], 'nothing was created');

    // A dry run resolves everything and changes nothing.
    const planned = await bakeImage(ctx, { source: { instanceId: instanceId! }, template: { id: fleet.templateId }, dryRun: true, setDefault: true });
    assert.equal(planned.outcome, 'planned');
    assert.equal(planned.imageId, undefined);
    assert.equal(planned.app, 'web-lt', 'without an app, the template name');
    assert.match(planned.imageName, /^web-lt-\d{8}-\d{6}$/);
    assert.deepEqual(mutatingCallsSince(fleet.history().slice(seen), 0).map((c) => c.action), []);
  } finally {
    await fleet.close();
  }
});

test('E-12: a group on the new version cannot launch until the image is available (bake with wait: false)', { timeout: 60_000 }, async () => {
  const fleet = await startFleet({ size: 1, maxSize: 3, speed: 300 });
  try {
    const [instanceId] = await groupInstanceIds(fleet);
    const { ctx, log } = bakeContext(fleet);
    // 5 simulated minutes pending (E-19 tag on the image), so there is time to try launching.
    const result = await bakeImage(ctx, {
      source: { instanceId: instanceId! },
      template: { id: fleet.templateId },
      wait: false,
      tags: { 'emulator:image-seconds': '300', 'emulator:boot-seconds': '10', 'emulator:ready-seconds': '5' },
    });
    assert.equal(result.imageState, 'pending');
    assert.equal(checkImage((await fleet.aws.ec2.describeImages({ imageIds: [result.imageId!] }))[0], 0).kind, 'retry', 'still pending');
    assert.equal(log.of('template-version-created')[0]?.imageState, 'pending');
    assert.match(log.of('warning')[0]?.message ?? '', /still pending: instances launched from .* fail until it is available/);

    const since = fleet.clock.now();
    await fleet.aws.autoscaling.updateGroup(fleet.group, { launchTemplate: { id: fleet.templateId, version: String(result.version) } });
    await fleet.aws.autoscaling.setDesiredCapacity(fleet.group, 2);
    const failed = await waitFor(
      fleet.clock,
      async () => (await fleet.aws.autoscaling.describeScalingActivities(fleet.group)).find((a) => a.StatusCode === 'Failed' && new Date(a.StartTime!).getTime() >= since),
      'a failed launch',
      200,
    );
    assert.match(`${failed.StatusMessage} ${failed.Description}`, new RegExp(result.imageId!));

    const image = await waitForImage(ctx, result.imageId!);
    assert.equal(image.State, 'available');
    const availableAt = imageChanges(fleet.history(), result.imageId!).find((c) => c.to === 'available')!.t;
    const launched = await waitFor(
      fleet.clock,
      async () => {
        const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
        return instances.find((i) => i.launchTemplate?.version === String(result.version) && i.lifecycleState === 'InService');
      },
      'an instance on the new version',
      900,
    );
    const [ec2] = await fleet.aws.ec2.describeInstances([launched.id]);
    assert.equal(ec2?.ImageId, result.imageId);
    const activities = fleet.history().filter((e): e is Extract<HistoryEntry, { type: 'activity' }> => e.type === 'activity' && e.group === fleet.group && e.t >= since);
    assert.ok(activities.some((a) => a.status === 'Failed' && a.t < availableAt), 'launches failed while the image was pending');
    assert.ok(activities.every((a) => a.status !== 'Failed' || a.t < availableAt), 'and none failed after it became available');
  } finally {
    await fleet.close();
  }
});

test('bake: a wait that runs out, and an image that disappears, fail clearly and leave the template unchanged', { timeout: 60_000 }, async () => {
  const fleet = await startFleet({ size: 1, speed: 600 });
  try {
    const [instanceId] = await groupInstanceIds(fleet);
    const { ctx, log } = bakeContext(fleet);
    const t0 = fleet.clock.now();
    await assert.rejects(
      bakeImage(ctx, { source: { instanceId: instanceId! }, template: { id: fleet.templateId }, name: 'web-slow', tags: { 'emulator:image-seconds': '3600' }, waitTimeoutMs: 60_000 }),
      (e: unknown) => isAsgDeployError(e, 'TIMEOUT') && /image ami-\w+ is still pending after 1m/.test(e.message) && /launch template was not changed/.test(e.hint ?? ''),
    );
    const slow = log.of('image-requested')[0]!.imageId;

    // Deregistered while we wait: the image is gone, the bake says so.
    const events = new BakeEventLog();
    let deregistered = false;
    const gone = bakeImage(
      {
        ...ctx,
        emit: (e) => {
          events.sink(e);
          if (e.code === 'image-pending' && !deregistered) {
            deregistered = true;
            void fleet.aws.ec2.deregisterImage(e.imageId);
          }
        },
      },
      { source: { instanceId: instanceId! }, template: { id: fleet.templateId }, name: 'web-gone', tags: { 'emulator:image-seconds': '3600' } },
    );
    // A deregistered image is listed as `deregistered` for a short while before it is missing (emulator rule E-39).
    await assert.rejects(gone, (e: unknown) => isAsgDeployError(e, 'AWS_ERROR') && /image ami-\w+ failed \((missing|deregistered)\)/.test(e.message));
    assert.equal(events.of('image-failed').length, 1);

    const versionCalls = callsSince(fleet.history(), t0).filter((c) => c.action === 'CreateLaunchTemplateVersion' || c.action === 'ModifyLaunchTemplate');
    assert.deepEqual(versionCalls, [], 'no version was created');
    assert.equal((await fleet.aws.ec2.describeImages({ imageIds: [slow] }))[0]?.State, 'pending', 'the slow image is left to AWS');
  } finally {
    await fleet.close();
  }
});

test('bake: --roll checks the group launches from the same template before creating anything', { timeout: 60_000 }, async () => {
  const fleet = await startFleet({ size: 1, speed: 300 });
  try {
    const [instanceId] = await groupInstanceIds(fleet);
    const other = await fleet.aws.provision.createLaunchTemplate('other-lt', { ImageId: fleet.baseImage, InstanceType: 't3.micro' });
    const { ctx } = bakeContext(fleet);
    // Position in the history, not a time: a call answered within the same
    // real millisecond would carry this very instant.
    const seen = fleet.history().length;
    await assert.rejects(
      bakeImage(ctx, { source: { instanceId: instanceId! }, template: { id: other.id }, forGroup: fleet.group }),
      (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && e.message.includes(`group web launches from launch template ${fleet.templateId}, not other-lt`),
    );
    assert.deepEqual(mutatingCallsSince(fleet.history().slice(seen), 0), []);
  } finally {
    await fleet.close();
  }
});
