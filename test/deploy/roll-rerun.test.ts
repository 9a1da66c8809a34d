import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsgDeployError } from '../../src/core/index.js';
import { readLock, roll } from '../../src/deploy/index.js';
import { mutatingCallsBetween, startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, groupShape, pinnedVersion, trace } from './checks.js';

async function templateVersions(fleet: Awaited<ReturnType<typeof startFleet>>): Promise<number[]> {
  const versions = await fleet.aws.ec2.describeLaunchTemplateVersions({ id: fleet.templateId });
  return versions.map((v) => v.VersionNumber!).sort((a, b) => a - b);
}

test('a re-run after success changes nothing: outcome nothing-to-do and no mutating call in the history during the second run', async () => {
  const fleet = await startFleet({ size: 3 });
  try {
    const image = await fleet.image();
    const first = fleet.context();
    const r1 = await roll(first.ctx, { group: fleet.group, image });
    assert.equal(r1.outcome, 'succeeded', trace(first.log.events));
    const shape = await groupShape(fleet);
    const versions = await templateVersions(fleet);

    for (const options of [{ image }, { templateVersion: Number(r1.toVersion) }]) {
      const { ctx, log } = fleet.context();
      const from = fleet.history().length; // a position, not an instant: no same-millisecond race
      const r2 = await roll(ctx, { group: fleet.group, ...options });
      const to = fleet.history().length;
      assert.equal(r2.outcome, 'nothing-to-do', `${JSON.stringify(options)}: ${JSON.stringify(r2)}\n${trace(log.events)}`);
      assert.equal(log.of('nothing-to-do').length, 1);
      assert.deepEqual(
        mutatingCallsBetween(fleet.history().slice(from, to), -Infinity).map((c) => `${c.service}:${c.action}`),
        [],
        `${JSON.stringify(options)}: the second run must not change anything`,
      );
      assert.ok(fleet.history().slice(from, to).some((h) => h.type === 'call'), 'the second run did look at the group');
    }
    assert.deepEqual(await templateVersions(fleet), versions, 'no launch template version created');
    assert.deepEqual(await groupShape(fleet), shape);
    await assertReleased(fleet, 'done', r1.deployId);
  } finally {
    await fleet.close();
  }
});

test('dryRun: emits a plan, makes no mutating call and creates no launch template version', async () => {
  const fleet = await startFleet({ size: 4, minSize: 4, maxSize: 4 });
  try {
    const image = await fleet.image();
    const shape = await groupShape(fleet);
    const fromVersion = await pinnedVersion(fleet);
    const versions = await templateVersions(fleet);
    const { ctx, log } = fleet.context();
    const from = fleet.history().length; // a position, not an instant: no same-millisecond race
    const result = await roll(ctx, { group: fleet.group, image, dryRun: true, maxSurge: { kind: 'count', count: 2 } });
    const to = fleet.history().length;
    assert.equal(result.outcome, 'planned', JSON.stringify(result));
    const plan = log.of('plan');
    assert.equal(plan.length, 1, trace(log.events));
    assert.equal(plan[0]!.fromVersion, fromVersion);
    assert.equal(plan[0]!.replace, 4);
    assert.equal(plan[0]!.desired, 4);
    assert.equal(plan[0]!.floor, 4);
    assert.equal(plan[0]!.surge, 2);
    assert.equal(plan[0]!.waves, 2);
    assert.equal(plan[0]!.maxSizeNeeded, 6, 'the plan says MaxSize must be raised');
    assert.ok(plan[0]!.expectedSeconds > 0);
    assert.ok(result.plan, 'the result carries the plan');
    assert.deepEqual(
      log.events.map((e) => e.code).filter((c) => !['plan', 'warning'].includes(c)),
      [],
      'a dry run emits only its plan',
    );
    assert.deepEqual(mutatingCallsBetween(fleet.history().slice(from, to), -Infinity).map((c) => `${c.service}:${c.action}`), []);
    assert.deepEqual(await templateVersions(fleet), versions, 'no launch template version created');
    assert.deepEqual(await groupShape(fleet), shape);
    assert.equal(await pinnedVersion(fleet), fromVersion);
    const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.deepEqual(group.tags.filter((t) => t.key.startsWith('asg-deploy:')), [], 'no record, lock or summary tags');
    await assertAllOn(fleet, fromVersion!, 4);
  } finally {
    await fleet.close();
  }
});

test('a second deploy while one holds the lock is refused with LOCKED, naming the holder\'s deploy id and age; the first one is unaffected', async () => {
  const fleet = await startFleet({ size: 4 });
  try {
    const image = await fleet.image();
    const other = await fleet.image();
    const { ctx, log } = fleet.context({ owner: 'ci-runner-7:4242' });
    let rollingResolve!: () => void;
    const rolling = new Promise<void>((r) => (rollingResolve = r));
    ctx.emit = (e) => {
      log.sink(e);
      // The last record write (which renews the lock) before the waves; the
      // next renewal is a heartbeat minutes later.
      if (e.code === 'record-written' && e.phase === 'rolling') rollingResolve();
    };
    const startedAt = fleet.clock.now();
    const running = roll(ctx, { group: fleet.group, image });
    await Promise.race([rolling, running.then((r) => assert.fail(`the first deploy ended before rolling: ${JSON.stringify(r)}`))]);
    const lockEvent = log.of('locked')[0]!;
    assert.ok(lockEvent?.deployId, trace(log.events));
    // Let the holder's lock age a little (simulated seconds).
    await fleet.clock.sleep(20_000);
    const versionsBefore = (await fleet.aws.ec2.describeLaunchTemplateVersions({ id: fleet.templateId })).length;

    const second = fleet.context({ owner: 'laptop:1' });
    const error = await roll(second.ctx, { group: fleet.group, image: other }).then(
      (r) => assert.fail(`the second deploy should be refused, got ${JSON.stringify(r)}`),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AsgDeployError, String(error));
    assert.equal(error.code, 'LOCKED');
    assert.ok(error.message.includes(lockEvent.deployId!), `names the holder's deploy id ${lockEvent.deployId}: ${error.message}`);
    assert.ok(error.message.includes('ci-runner-7:4242'), `names the holder: ${error.message}`);
    const age = /renewed (\d+)(s|m) ago/.exec(error.message);
    assert.ok(age, `gives the lock's age: ${error.message}`);
    assert.ok(Number(age[1]) >= 15, `the age is about 20 s or more: ${error.message}`);
    assert.ok(error.hint && /status|abort/.test(error.hint), `says what to do: ${error.hint}`);
    // The holder keeps running meanwhile (its own calls are in the history), so
    // check what only the refused deploy could have changed: the lock is still
    // the holder's, and no template version was created for the other image.
    const { group: held } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(readLock(held)?.deployId, lockEvent.deployId, 'the lock is still the holder\'s');
    assert.equal(readLock(held)?.owner, 'ci-runner-7:4242');
    assert.equal((await fleet.aws.ec2.describeLaunchTemplateVersions({ id: fleet.templateId })).length, versionsBefore, 'the refused deploy created no template version');
    assert.equal(second.log.events.filter((e) => e.code !== 'plan').length, 0, trace(second.log.events));

    const result = await running;
    const endedAt = fleet.clock.now();
    assert.equal(result.outcome, 'succeeded', trace(log.events));
    assert.equal(result.deployId, lockEvent.deployId);
    await assertAllOn(fleet, result.toVersion!, 4);
    await assertReleased(fleet, 'done', result.deployId);
    assert.equal(await pinnedVersion(fleet), result.toVersion);
    assertFloorHeld(fleet, startedAt, 4, endedAt);
  } finally {
    await fleet.close();
  }
});
