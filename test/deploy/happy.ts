/**
 * One happy-path rolling deploy, table-driven by roll-happy*.test.ts
 * (issue "Rolling deploys that never drop below the floor", case 1).
 */
import assert from 'node:assert/strict';
import { resolveSurge, type Amount } from '../../src/core/index.js';
import { roll } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertAzBalanced, assertFloorHeld, assertReleased, assertSurgeCapHeld, groupShape, pinnedVersion, trace } from './checks.js';

export interface HappyCase {
  size: number;
  surge: Amount;
  label: string;
}

export const SURGES: { label: string; surge: Amount }[] = [
  { label: 'surge 1', surge: { kind: 'count', count: 1 } },
  { label: 'surge 25%', surge: { kind: 'percent', percent: 25 } },
  { label: 'surge 100%', surge: { kind: 'percent', percent: 100 } },
];

export async function happyPath({ size, surge }: HappyCase, speed = 200): Promise<void> {
  const fleet = await startFleet({ size, speed });
  try {
    const image = await fleet.image();
    const before = await groupShape(fleet);
    const fromVersion = await pinnedVersion(fleet);
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: surge });
    const endedAt = fleet.clock.now();
    const why = `${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.equal(result.fromVersion, fromVersion);
    assert.notEqual(result.toVersion, fromVersion);

    const surgeCount = resolveSurge(surge, size);
    assert.equal(log.of('plan')[0]?.surge, surgeCount, 'the plan resolves the surge');
    assert.equal(log.of('plan')[0]?.floor, size, 'the default floor is 100% of desired');
    assert.equal(log.of('instance-ready').length >= size, true, why);

    await assertAllOn(fleet, result.toVersion!, size);
    assert.equal(await pinnedVersion(fleet), result.toVersion, 'the group stays pinned to the target version');
    assert.deepEqual(await groupShape(fleet), before, 'desired/min/max, termination policies and suspended processes as before');
    await assertReleased(fleet, 'done', result.deployId);

    // Invariant 6: the record (with the previous version) is on the group before the group is re-pointed.
    const history = fleet.history();
    const firstRecordWrite = history.findIndex((h) => h.t >= startedAt && h.type === 'call' && h.ok && h.action === 'CreateOrUpdateTags');
    const firstPin = history.findIndex((h) => h.t >= startedAt && h.type === 'group' && h.group === fleet.group && h.field === 'LaunchTemplate');
    assert.ok(firstRecordWrite >= 0 && firstPin > firstRecordWrite, `record written (#${firstRecordWrite}) before the group is pinned (#${firstPin})`);

    assertFloorHeld(fleet, startedAt, size, endedAt);
    assertSurgeCapHeld(fleet, startedAt, size + surgeCount, endedAt);
    await assertAzBalanced(fleet);
  } finally {
    await fleet.close();
  }
}
