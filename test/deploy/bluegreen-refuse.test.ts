import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsgDeployError } from '../../src/core/index.js';
import { bluegreen, finishBlueGreen, rollbackBlueGreen } from '../../src/deploy/index.js';
import { mutatingCallsBetween } from '../helpers/fleet.js';
import { startPair, type TestPair } from '../helpers/pair.js';

async function refusal(pair: TestPair, run: () => Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  const before = pair.fleet.history().length;
  const error = await run().then(
    (r) => assert.fail(`expected a refusal, got ${JSON.stringify(r)}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AsgDeployError, String(error));
  assert.equal(error.code, code, error.message);
  assert.match(error.message, pattern);
  assert.deepEqual(mutatingCallsBetween(pair.fleet.history().slice(before), 0).map((c) => c.action), [], `nothing changed (${error.message})`);
}

test('bluegreen finds a pair by its names, plans a dry run without changing anything, and refuses clearly when the pair is ambiguous or incomplete', async () => {
  const pair = await startPair({ size: 2, byName: true });
  try {
    const { fleet } = pair;
    const image = await fleet.image();
    const { ctx, log } = fleet.context();

    // Found by the names web-blue / web-green (no tags); a dry run is the plan only.
    const before = fleet.history().length;
    const planned = await bluegreen(ctx, { app: pair.app, image, dryRun: true });
    assert.equal(planned.outcome, 'planned');
    assert.deepEqual([planned.live, planned.group, planned.toVersion], [pair.blue, pair.green, '2?']);
    assert.deepEqual(log.of('pair').map((e) => [e.live, e.idle]), [[pair.blue, pair.green]]);
    assert.equal(log.of('plan')[0]?.strategy, 'bluegreen');
    assert.deepEqual(mutatingCallsBetween(fleet.history().slice(before), 0), [], 'a dry run changes nothing');

    // Nothing to roll back or finish before a deploy.
    await refusal(pair, () => rollbackBlueGreen(ctx, { app: pair.app }), 'BAD_INPUT', /^nothing to roll back: no blue\/green deploy of web/);
    await refusal(pair, () => finishBlueGreen(ctx, { app: pair.app }), 'BAD_INPUT', /^nothing to finish: no blue\/green deploy of web/);

    // One missing.
    await refusal(pair, () => bluegreen(ctx, { app: 'api', image }), 'GROUP_NOT_FOUND', /no blue\/green pair for api: no groups tagged asg-deploy:app=api, and no groups named api-blue or api-green/);
    await refusal(pair, () => bluegreen(ctx, { app: pair.app, pair: { blue: pair.blue, green: 'web-teal' }, image }), 'GROUP_NOT_FOUND', /pair of web is incomplete: no group web-teal/);
    const { group } = await fleet.aws.autoscaling.describeGroup(pair.blue);
    const network = await fleet.aws.provision.defaultNetwork();
    const make = (name: string, desired: number, tags: Record<string, string> = {}) =>
      fleet.aws.provision.createGroup({ name, launchTemplateId: group.launchTemplate!.id!, version: '1', minSize: 0, maxSize: 2, desiredCapacity: desired, subnetIds: network.subnets.map((s) => s.subnetId), tags });
    await make('solo-blue', 1);
    await refusal(pair, () => bluegreen(ctx, { app: 'solo', image }), 'GROUP_NOT_FOUND', /pair of solo is incomplete: found solo-blue but no green group/);

    // Both live, both idle.
    await make('busy-blue', 1);
    await make('busy-green', 1);
    await refusal(pair, () => bluegreen(ctx, { app: 'busy', image }), 'BAD_INPUT', /pair of busy is ambiguous: both groups are live/);
    await make('calm-a', 0, { 'asg-deploy:app': 'calm', 'asg-deploy:color': 'blue' });
    await make('calm-b', 0, { 'asg-deploy:app': 'calm', 'asg-deploy:color': 'green' });
    await refusal(pair, () => bluegreen(ctx, { app: 'calm', image }), 'BAD_INPUT', /pair of calm is ambiguous: neither group is live/);
    // Two of one color.
    await make('twin-a', 0, { 'asg-deploy:app': 'twin', 'asg-deploy:color': 'blue' });
    await make('twin-b', 1, { 'asg-deploy:app': 'twin', 'asg-deploy:color': 'blue' });
    await refusal(pair, () => bluegreen(ctx, { app: 'twin', image }), 'BAD_INPUT', /pair of twin is ambiguous: twin-a and twin-b are both blue/);
    // Bad input before anything is looked up.
    await refusal(pair, () => bluegreen(ctx, { app: pair.app }), 'BAD_INPUT', /bluegreen needs --template-version N or --image AMI/);
  } finally {
    await pair.close();
  }
});
