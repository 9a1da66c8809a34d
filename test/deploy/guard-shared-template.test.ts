/**
 * Guards "Touch only the named group" and "the dry run names the exact
 * version it would create" (issue 8). Another group launching the same
 * template at `$Latest` makes `roll --image` (and its dry run) refuse with
 * BAD_INPUT, naming that group, before any template version is created; on
 * the old code the new version moved `$Latest` under the other group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAsgDeployError } from '../../src/core/index.js';
import { roll } from '../../src/deploy/index.js';
import { mutatingCallsBetween, startFleet } from '../helpers/fleet.js';

test('roll --image refuses when another group launches the template at $Latest, naming it; no version created', async () => {
  const fleet = await startFleet({ size: 2 });
  try {
    const image = await fleet.image();
    const network = await fleet.aws.provision.defaultNetwork();
    await fleet.aws.provision.createGroup({
      name: 'batch',
      launchTemplateId: fleet.templateId,
      version: '$Latest',
      minSize: 0,
      maxSize: 2,
      desiredCapacity: 0,
      subnetIds: network.subnets.map((s) => s.subnetId),
    });
    const { ctx } = fleet.context();
    await fleet.clock.sleep(2000); // the group's own creation calls are behind us
    const startedAt = fleet.clock.now();
    for (const dryRun of [true, false]) {
      const error = await roll(ctx, { group: fleet.group, image, dryRun }).then(
        (r) => assert.fail(`expected a refusal, got ${JSON.stringify(r)}`),
        (e: unknown) => e,
      );
      assert.ok(isAsgDeployError(error, 'BAD_INPUT'), String(error));
      assert.match(error.message, /at \$Latest by group batch/);
      assert.match(error.hint ?? '', /--template-version/);
    }
    assert.deepEqual(mutatingCallsBetween(fleet.history(), startedAt).map((c) => c.action), [], 'no version created, nothing changed');
    const versions = await fleet.aws.ec2.describeLaunchTemplateVersions({ id: fleet.templateId }, ['$Latest']);
    assert.equal(versions[0]?.VersionNumber, 1);
  } finally {
    await fleet.close();
  }
});

test('the dry run names the exact version it would create: the template\'s latest + 1, not the group\'s + 1', async () => {
  const fleet = await startFleet({ size: 2 });
  try {
    const image = await fleet.image();
    // Someone made version 2 the group does not use: --image would create version 3.
    await fleet.aws.ec2.createLaunchTemplateVersion({ template: { id: fleet.templateId }, sourceVersion: '1', data: { ImageId: fleet.baseImage } });
    const { ctx, log } = fleet.context();
    const result = await roll(ctx, { group: fleet.group, image, dryRun: true });
    assert.equal(result.outcome, 'planned');
    assert.equal(result.toVersion, '3?');
    assert.equal(log.of('plan')[0]?.toVersion, '3?');
  } finally {
    await fleet.close();
  }
});
