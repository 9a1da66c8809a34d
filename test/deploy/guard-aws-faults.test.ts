/**
 * Guard "AWS faults are retried, then handed over cleanly" (issue 8).
 * - A 5xx on TerminateInstanceInAutoScalingGroup is retried (terminate is
 *   idempotent: an instance already terminating is success); on the old code
 *   the first 5xx ended the deploy with exit 5.
 * - When AWS keeps failing, the deploy gives up with the AWS error, its
 *   processes resumed, the lock released, the record kept and the exact
 *   resume/abort commands given; `resume` (no --force) then finishes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAsgDeployError } from '../../src/core/index.js';
import { readLock, readRecord, resume, roll } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, groupShape, trace } from './checks.js';

async function setFaults(endpoint: string, body: unknown): Promise<void> {
  const res = await fetch(`${endpoint}/_emulator/faults`, { method: body === undefined ? 'DELETE' : 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

const TERMINATE = 'TerminateInstanceInAutoScalingGroup';

test('50 % 5xx on TerminateInstanceInAutoScalingGroup: retried, the deploy succeeds with the floor held', async () => {
  const fleet = await startFleet({ size: 4 });
  try {
    const image = await fleet.image();
    const before = await groupShape(fleet);
    await setFaults(fleet.emu.endpoint, { calls: [{ action: TERMINATE, rate: 0.5, kind: 'server-error' }] });
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image });
    await setFaults(fleet.emu.endpoint, undefined);
    const why = `${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    const failed = fleet.history().filter((h) => h.type === 'call' && h.action === TERMINATE && !h.ok && h.t >= startedAt);
    assert.ok(failed.length >= 1, `some terminate calls got a 5xx (${failed.length})`);
    await assertAllOn(fleet, result.toVersion!, 4);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'done', result.deployId);
    assertFloorHeld(fleet, startedAt, 4);
  } finally {
    await fleet.close();
  }
});

test('every terminate fails with a 5xx: AWS error raised with resume/abort commands, processes resumed, lock released, record kept; resume without --force finishes', async () => {
  const fleet = await startFleet({ size: 4 });
  try {
    const image = await fleet.image();
    const before = await groupShape(fleet);
    await setFaults(fleet.emu.endpoint, { calls: [{ action: TERMINATE, rate: 1, kind: 'server-error' }] });
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const error = await roll(ctx, { group: fleet.group, image }).then(
      (r) => assert.fail(`expected the deploy to give up, got ${JSON.stringify(r)}\n${trace(log.events)}`),
      (e: unknown) => e,
    );
    assert.ok(isAsgDeployError(error, 'AWS_SERVER'), String(error));
    assert.match(error.hint ?? '', /asg-deploy resume web.*asg-deploy abort web/, error.hint);
    const handed = log.of('handed-over')[0];
    assert.ok(handed, trace(log.events));
    assert.equal(handed.resumeCommand, 'asg-deploy resume web');
    assert.deepEqual(handed.restored, ['AZRebalance', 'AlarmNotification', 'ScheduledActions']);

    const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(readLock(group), undefined, 'the lock is released');
    assert.ok(readRecord(group), 'the record stays for resume/abort');
    assert.deepEqual(group.suspendedProcesses, [], 'the processes it suspended are resumed');

    await setFaults(fleet.emu.endpoint, undefined);
    const next = fleet.context({ owner: 'test:resume' });
    const result = await resume(next.ctx, { group: fleet.group });
    const why = `${JSON.stringify(result)}\n${trace(next.log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    await assertAllOn(fleet, result.toVersion!, 4);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'done', result.deployId);
    assertFloorHeld(fleet, startedAt, 4);
  } finally {
    await fleet.close();
  }
});
