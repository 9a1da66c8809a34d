/**
 * Invariant 5 for blue/green: a deploy stopped at a safe point (Ctrl-C, the
 * AbortSignal) or dead mid-step (the engine throws out of an event: no
 * cleanup, the lock stays) is finished by `resume` or undone by `abort` from
 * the record on either group — through the same dispatch rolling.ts uses —
 * and both end consistent with the floor held across the pair throughout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsgDeployError } from '../../src/core/index.js';
import { bluegreen, finishBlueGreen, rollbackBlueGreen } from '../../src/deploy/index.js';
import { abortStrategy, readRecord, resumeStrategy, RECORD_TAGS } from '../../src/deploy/index.js';
import { readState } from '../../src/deploy/engine/state.js';
import { lowestServingSince } from '../helpers/fleet.js';
import { addScalingConfiguration, expectCrash, groupTouchedSince, scalingConfigurationOf, startPair, stopAt, traceOf, type TestPair } from '../helpers/pair.js';

async function pairState(pair: TestPair) {
  const blue = await pair.fleet.aws.autoscaling.describeGroup(pair.blue);
  const green = await pair.fleet.aws.autoscaling.describeGroup(pair.green);
  return { blue, green };
}

async function assertOldServes(pair: TestPair, why: string): Promise<void> {
  const { blue, green } = await pairState(pair);
  assert.equal(blue.instances.filter((i) => i.lifecycleState === 'InService' && i.launchTemplate?.version === '1').length, 4, why);
  assert.deepEqual([blue.group.minSize, blue.group.maxSize, blue.group.desiredCapacity, blue.group.suspendedProcesses], [2, 6, 4, []], why);
  assert.deepEqual([green.instances.length, green.group.desiredCapacity, green.group.minSize, green.group.launchTemplate?.version, green.group.suspendedProcesses], [0, 0, 0, '1', []], why);
  assert.deepEqual(await scalingConfigurationOf(pair, pair.blue), { policies: ['cpu-50', 'scale-out'], actions: ['nightly'] }, why);
  assert.deepEqual(await scalingConfigurationOf(pair, pair.green), { policies: [], actions: [] }, why);
  for (const d of [blue, green]) assert.equal(readRecord(d.group), undefined, `${d.group.name} record closed: ${why}`);
}

async function assertSwitched(pair: TestPair, version: string, why: string): Promise<void> {
  const { blue, green } = await pairState(pair);
  assert.equal(green.instances.filter((i) => i.lifecycleState === 'InService' && i.launchTemplate?.version === version).length, 4, why);
  assert.equal(blue.instances.filter((i) => i.lifecycleState === 'Standby').length, 4, why);
  assert.deepEqual(await scalingConfigurationOf(pair, pair.green), { policies: ['cpu-50', 'scale-out'], actions: ['nightly'] }, why);
  assert.deepEqual(await scalingConfigurationOf(pair, pair.blue), { policies: [], actions: [] }, why);
  for (const d of [blue, green]) {
    assert.equal(readState(d.group).step, 'switched', why);
    assert.equal(d.group.tags.find((t) => t.key === RECORD_TAGS.lock), undefined, why);
  }
}

async function setUp(): Promise<{ pair: TestPair; image: string; startedAt: number }> {
  const pair = await startPair({ size: 4, maxSize: 6, minSize: 2 });
  await addScalingConfiguration(pair, pair.blue);
  const image = await pair.fleet.image();
  return { pair, image, startedAt: pair.fleet.clock.now() };
}

test('bluegreen stopped (AbortSignal) while the new fleet boots: resume through the dispatch from the live group finishes it', async () => {
  const { pair, image, startedAt } = await setUp();
  try {
    const doomed = stopAt(pair.fleet, (e) => e.code === 'instance-ready', { abort: true });
    const stopped = await bluegreen(doomed.ctx, { app: pair.app, image });
    assert.equal(stopped.outcome, 'interrupted', traceOf(doomed.log.events));
    const { blue, green } = await pairState(pair);
    for (const d of [blue, green]) {
      assert.equal(readRecord(d.group)?.id, stopped.deployId);
      assert.equal(d.group.tags.find((t) => t.key === RECORD_TAGS.lock), undefined, 'a safe stop drops the locks');
    }
    const { ctx, log } = pair.fleet.context({ owner: 'test:resume' });
    const result = await resumeStrategy(ctx, { group: pair.blue });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result?.outcome, 'succeeded', why);
    assert.equal(result?.deployId, stopped.deployId);
    await assertSwitched(pair, stopped.toVersion!, why);
    assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4);
  } finally {
    await pair.close();
  }
});

test('bluegreen stopped (AbortSignal) while the new fleet boots: abort through the dispatch leaves the live group untouched', async () => {
  const { pair, image, startedAt } = await setUp();
  try {
    const doomed = stopAt(pair.fleet, (e) => e.code === 'instance-ready', { abort: true });
    const stopped = await bluegreen(doomed.ctx, { app: pair.app, image });
    assert.equal(stopped.outcome, 'interrupted');
    const { ctx, log } = pair.fleet.context({ owner: 'test:abort' });
    const result = await abortStrategy(ctx, { group: pair.green });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result?.outcome, 'aborted', why);
    await assertOldServes(pair, why);
    assert.deepEqual(groupTouchedSince(pair.fleet.history(), pair.blue, startedAt), [], 'the live group was never touched');
    assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4);
  } finally {
    await pair.close();
  }
});

for (const verb of ['resume', 'abort'] as const) {
  test(`bluegreen dead in the middle of the switch (after EnterStandby, lock held): ${verb} --force ends consistent, floor held`, async () => {
    const { pair, image, startedAt } = await setUp();
    try {
      const doomed = stopAt(pair.fleet, (e) => e.code === 'standby-entered');
      await expectCrash(bluegreen(doomed.ctx, { app: pair.app, image }));
      const { ctx: early } = pair.fleet.context({ owner: 'test:early' });
      const refused = await (verb === 'resume' ? resumeStrategy : abortStrategy)(early, { group: pair.blue }).then(
        (r) => assert.fail(`a fresh lock must refuse ${verb} without --force, got ${JSON.stringify(r)}`),
        (e: unknown) => e,
      );
      assert.ok(refused instanceof AsgDeployError && refused.code === 'LOCKED', String(refused));

      const { ctx, log } = pair.fleet.context({ owner: `test:${verb}` });
      const result = await (verb === 'resume' ? resumeStrategy : abortStrategy)(ctx, { group: pair.green, force: true });
      const why = `${JSON.stringify(result)}\ncrashed run:\n${traceOf(doomed.log.events)}\n${verb}:\n${traceOf(log.events)}`;
      if (verb === 'resume') {
        assert.equal(result?.outcome, 'succeeded', why);
        await assertSwitched(pair, result!.toVersion!, why);
      } else {
        assert.equal(result?.outcome, 'aborted', why);
        await assertOldServes(pair, why);
      }
      assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4, `serving dropped to ${lowestServingSince(pair.serving(), startedAt)}\n${why}`);
    } finally {
      await pair.close();
    }
  });
}

test('a rollback that died after ExitStandby is finished by resume --force; a finish that died is finished by finish --force, and rollback is then refused', async () => {
  const { pair, image, startedAt } = await setUp();
  try {
    const { ctx } = pair.fleet.context();
    assert.equal((await bluegreen(ctx, { app: pair.app, image })).outcome, 'succeeded');
    const doomed = stopAt(pair.fleet, (e) => e.code === 'standby-exited');
    await expectCrash(rollbackBlueGreen(doomed.ctx, { app: pair.app }));
    const { ctx: rctx, log } = pair.fleet.context({ owner: 'test:resume' });
    const result = await resumeStrategy(rctx, { group: pair.blue, force: true });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result?.outcome, 'rolled-back', why);
    await assertOldServes(pair, why);
    assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4);

    // Deploy again (green is idle again), then die while finishing.
    const { ctx: d2 } = pair.fleet.context({ owner: 'test:again' });
    const again = await bluegreen(d2, { app: pair.app, image });
    assert.equal(again.outcome, 'succeeded', JSON.stringify(again));
    const dying = stopAt(pair.fleet, (e) => e.code === 'instance-retiring');
    await expectCrash(finishBlueGreen(dying.ctx, { app: pair.app }));
    const { ctx: late } = pair.fleet.context({ owner: 'test:late' });
    const refused = await rollbackBlueGreen(late, { app: pair.app, force: true }).then(
      (r) => assert.fail(`rollback after finish began must be refused, got ${JSON.stringify(r)}`),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof AsgDeployError && refused.code === 'CONFLICT', String(refused));
    const finished = await finishBlueGreen(late, { app: pair.app, force: true });
    assert.equal(finished.outcome, 'succeeded', JSON.stringify(finished));
    const { blue } = await pairState(pair);
    assert.equal(blue.instances.length, 0);
    assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4);
  } finally {
    await pair.close();
  }
});
