import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, assertSurgeCapHeld, groupShape, trace } from './checks.js';

async function setFaults(endpoint: string, body: unknown): Promise<void> {
  const res = await fetch(`${endpoint}/_emulator/faults`, { method: body === undefined ? 'DELETE' : 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

test('20 % of all API calls throttled: the deploy retries through it and completes with the floor held', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await fleet.image();
    const before = await groupShape(fleet);
    await setFaults(fleet.emu.endpoint, { calls: [{ service: '*', action: '*', rate: 0.2, kind: 'throttle' }] });
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    let result;
    try {
      result = await roll(ctx, { group: fleet.group, image });
    } finally {
      await setFaults(fleet.emu.endpoint, undefined);
    }
    const endedAt = fleet.clock.now();
    const why = `${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    const calls = fleet.history().filter((h) => h.type === 'call' && h.t >= startedAt);
    const throttled = calls.filter((h) => h.type === 'call' && !h.ok && /Throttl|RequestLimitExceeded/.test(h.code ?? ''));
    assert.ok(throttled.length >= 5 && throttled.length / calls.length > 0.1, `${throttled.length} of ${calls.length} calls throttled`);
    await assertAllOn(fleet, result.toVersion!, 6);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'done', result.deployId);
    assertFloorHeld(fleet, startedAt, 6, endedAt);
    assertSurgeCapHeld(fleet, startedAt, 8, endedAt);
  } finally {
    await fleet.close();
  }
});
