/**
 * Launch templates and versions (E-12, E-17) through the real SDK v3 client:
 * create, new versions from a SourceVersion, `$Latest` / `$Default`, setting
 * the default, deleting versions (never the default), launching from them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { resolveLaunchTemplate } from '../../src/emulator/services/ec2/index.js';

async function withEmulator(fn: (t: TestEmulator) => Promise<void>): Promise<void> {
  const t = await startTestEmulator();
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp | string): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.equal(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

/** Two x86_64 base images (Amazon Linux 2023 and Amazon Linux 2). */
async function twoImages(t: TestEmulator): Promise<[string, string]> {
  const out = await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'architecture', Values: ['x86_64'] }, { Name: 'name', Values: ['al2023-*', 'amzn2-*'] }] }));
  const ids = (out.Images ?? []).map((i) => i.ImageId!);
  assert.equal(ids.length, 2);
  return [ids[0]!, ids[1]!];
}

/** Template `web`: v1 on image A (t3.small, a tag), v2 = v1 with only ImageId changed to B. */
async function webTemplate(t: TestEmulator): Promise<{ id: string; imageA: string; imageB: string }> {
  const [imageA, imageB] = await twoImages(t);
  const created = await t.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'web',
      VersionDescription: 'first',
      LaunchTemplateData: {
        ImageId: imageA,
        InstanceType: 't3.small',
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: 'web' }] }],
      },
      TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'owner', Value: 'team-a' }] }],
    }),
  );
  const id = created.LaunchTemplate!.LaunchTemplateId!;
  assert.match(id, /^lt-[0-9a-f]{17}$/);
  assert.equal(created.LaunchTemplate?.DefaultVersionNumber, 1);
  assert.equal(created.LaunchTemplate?.LatestVersionNumber, 1);
  await t.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '1', LaunchTemplateData: { ImageId: imageB } }));
  return { id, imageA, imageB };
}

test('CreateLaunchTemplateVersion with SourceVersion copies the source and overlays only what is given', () =>
  withEmulator(async (t) => {
    const { id, imageB } = await webTemplate(t);
    const out = await t.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['2'] }));
    const v2 = out.LaunchTemplateVersions?.[0];
    assert.equal(v2?.VersionNumber, 2);
    assert.equal(v2?.DefaultVersion, false);
    assert.equal(v2?.LaunchTemplateData?.ImageId, imageB);
    assert.equal(v2?.LaunchTemplateData?.InstanceType, 't3.small');
    assert.deepEqual(v2?.LaunchTemplateData?.TagSpecifications, [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: 'web' }] }]);
  }));

test('$Latest, $Default and numbers resolve; ModifyLaunchTemplate sets the default', () =>
  withEmulator(async (t) => {
    const { id, imageA, imageB } = await webTemplate(t);
    const imageOf = async (version: string) =>
      (await t.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web', Versions: [version] }))).LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId;
    assert.equal(await imageOf('$Latest'), imageB);
    assert.equal(await imageOf('$Default'), imageA);
    assert.equal(await imageOf('1'), imageA);

    const modified = await t.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '2' }));
    assert.equal(modified.LaunchTemplate?.DefaultVersionNumber, 2);
    assert.equal(await imageOf('$Default'), imageB);
    const listed = await t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['web'] }));
    assert.equal(listed.LaunchTemplates?.[0]?.DefaultVersionNumber, 2);
    assert.equal(listed.LaunchTemplates?.[0]?.LatestVersionNumber, 2);
    assert.deepEqual(listed.LaunchTemplates?.[0]?.Tags, [{ Key: 'owner', Value: 'team-a' }]);

    const region = t.emu.sim.region('us-east-1');
    assert.deepEqual(resolveLaunchTemplate(region, { LaunchTemplateName: 'web' }), {
      templateId: id,
      templateName: 'web',
      versionNumber: 2,
      imageId: imageB,
      instanceType: 't3.small',
    });
    assert.equal(resolveLaunchTemplate(region, { LaunchTemplateId: id, Version: '1' }).imageId, imageA);
    assert.throws(() => resolveLaunchTemplate(region, { LaunchTemplateId: id, Version: '9' }), { code: 'InvalidLaunchTemplateId.VersionNotFound' });
    assert.throws(() => resolveLaunchTemplate(region, { LaunchTemplateName: 'nope' }), { code: 'InvalidLaunchTemplateName.NotFoundException' });

    await rejectsWith(t.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: '7' })), 'InvalidLaunchTemplateId.VersionNotFound');
  }));

test('DeleteLaunchTemplateVersions refuses the default version and never reuses numbers', () =>
  withEmulator(async (t) => {
    const { id } = await webTemplate(t);
    await t.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, SourceVersion: '$Latest', LaunchTemplateData: { InstanceType: 't3.large' } }));

    const out = await t.ec2.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['1', '3', '8'] }));
    assert.deepEqual(out.SuccessfullyDeletedLaunchTemplateVersions?.map((v) => v.VersionNumber), [3]);
    const failed = out.UnsuccessfullyDeletedLaunchTemplateVersions ?? [];
    assert.deepEqual(failed.map((f) => f.VersionNumber), [1, 8]);
    assert.match(failed[0]!.ResponseError!.Message!, /default version/);
    assert.equal(failed[1]!.ResponseError!.Code, 'launchTemplateVersionDoesNotExist');

    const remaining = await t.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id }));
    assert.deepEqual(remaining.LaunchTemplateVersions?.map((v) => v.VersionNumber), [1, 2]);

    const next = await t.ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: { InstanceType: 't3.micro' } }));
    assert.equal(next.LaunchTemplateVersion?.VersionNumber, 4);
  }));

test('RunInstances from a template uses the resolved version and carries its tags and aws:ec2launchtemplate:*', () =>
  withEmulator(async (t) => {
    const { id, imageA, imageB } = await webTemplate(t);
    const latest = await t.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' } }));
    const instance = latest.Instances![0]!;
    assert.equal(instance.ImageId, imageB);
    assert.equal(instance.InstanceType, 't3.small');
    const tags = Object.fromEntries((instance.Tags ?? []).map((x) => [x.Key, x.Value]));
    assert.deepEqual(tags, { app: 'web', 'aws:ec2launchtemplate:id': id, 'aws:ec2launchtemplate:version': '2' });

    const byDefault = await t.ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        LaunchTemplate: { LaunchTemplateId: id },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: 'override' }] }],
      }),
    );
    const second = byDefault.Instances![0]!;
    assert.equal(second.ImageId, imageA);
    const secondTags = Object.fromEntries((second.Tags ?? []).map((x) => [x.Key, x.Value]));
    assert.equal(secondTags.app, 'override');
    assert.equal(secondTags['aws:ec2launchtemplate:version'], '1');

    // An explicit ImageId overrides the template's.
    const explicit = await t.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, ImageId: imageB, LaunchTemplate: { LaunchTemplateId: id, Version: '1' } }));
    assert.equal(explicit.Instances?.[0]?.ImageId, imageB);
  }));

test('template errors use AWS codes: duplicate name, unknown name/id, unknown version', () =>
  withEmulator(async (t) => {
    const { id } = await webTemplate(t);
    await rejectsWith(
      t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { InstanceType: 't3.micro' } })),
      'InvalidLaunchTemplateName.AlreadyExistsException',
      'Launch template name already in use.',
    );
    await rejectsWith(t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['nope'] })), 'InvalidLaunchTemplateName.NotFoundException');
    await rejectsWith(t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ['lt-0123456789abcdef0'] })), 'InvalidLaunchTemplateId.NotFound');
    await rejectsWith(
      t.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['5'] })),
      'InvalidLaunchTemplateId.VersionNotFound',
      `Could not find the specified version 5 for the launch template with ID ${id}.`,
    );
    await rejectsWith(t.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'nope' } })), 'InvalidLaunchTemplateName.NotFoundException');
    await rejectsWith(t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'x', LaunchTemplateData: { InstanceType: 't3.micro' } })), 'InvalidLaunchTemplateName.MalformedException');

    // A template whose AMI does not exist is created, with AWS's warning.
    const warned = await t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'ghost', LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0' } }));
    assert.equal(warned.Warning?.Errors?.[0]?.Code, 'InvalidAMIID.NotFound');
    await rejectsWith(t.ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'ghost' } })), 'InvalidAMIID.NotFound');
  }));

test('DescribeLaunchTemplates filters and paginates; DeleteLaunchTemplate removes the template and its name', () =>
  withEmulator(async (t) => {
    for (const name of ['svc-a', 'svc-b', 'svc-c', 'other']) {
      await t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { InstanceType: 't3.micro' } }));
    }
    const svc = await t.ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'launch-template-name', Values: ['svc-*'] }] }));
    assert.deepEqual(svc.LaunchTemplates?.map((x) => x.LaunchTemplateName), ['svc-a', 'svc-b', 'svc-c']);

    const first = await t.ec2.send(new DescribeLaunchTemplatesCommand({ MaxResults: 3 }));
    assert.equal(first.LaunchTemplates?.length, 3);
    assert.ok(first.NextToken);
    const second = await t.ec2.send(new DescribeLaunchTemplatesCommand({ MaxResults: 3, NextToken: first.NextToken }));
    assert.deepEqual(second.LaunchTemplates?.map((x) => x.LaunchTemplateName), ['other']);
    assert.equal(second.NextToken, undefined);

    const deleted = await t.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: 'other' }));
    assert.equal(deleted.LaunchTemplate?.LaunchTemplateName, 'other');
    await rejectsWith(t.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['other'] })), 'InvalidLaunchTemplateName.NotFoundException');
    // The name is free again.
    await t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'other', LaunchTemplateData: { InstanceType: 't3.micro' } }));
  }));
