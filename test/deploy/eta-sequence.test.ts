/**
 * ETA from a recorded deploy on the emulator (issue 10): the progress events'
 * etaSeconds never go up while nothing fails, and when one does go up it
 * carries etaReason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';

test('roll 6 with surge 2: the ETA of every progress event is non-increasing, or says why it rose', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } });
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result));
    const etas = log.of('progress').filter((e) => e.etaSeconds !== undefined);
    assert.ok(etas.length >= 2, `only ${etas.length} progress events carry an ETA`);
    const seq = etas.map((e) => `${e.etaSeconds}${e.etaReason ? `(${e.etaReason})` : ''}`).join(' → ');
    for (let i = 1; i < etas.length; i++) {
      if (etas[i]!.etaReason !== undefined) continue;
      assert.ok(etas[i]!.etaSeconds! <= etas[i - 1]!.etaSeconds!, `ETA rose without a reason: ${seq}`);
    }
    assert.equal(log.of('instance-failed').length, 0);
  } finally {
    await fleet.close();
  }
});
