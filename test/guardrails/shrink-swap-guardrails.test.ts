/**
 * Guardrails on shrink and swap (issue 9), end to end on the emulator: the
 * user's check refuses every new instance → rolled back with its output in
 * the failed launch; shrink's bake time catches a crash after the old half
 * left; swap admits each attached instance with the check before any old one
 * is retired, and refuses --bake-time and --checkpoints (nothing to pause
 * after, nothing to undo once the old instances are gone).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAsgDeployError } from '../../src/core/index.js';
import { shrink, swap } from '../../src/deploy/index.js';
import { checkGuardrail, checkpointGuardrail } from '../../src/deploy/guardrails/index.js';
import { startFleet } from '../helpers/fleet.js';
import { prepareInstances, traceOf } from '../helpers/pair.js';
import { assertReleased } from '../deploy/checks.js';
import { behaviourImage } from '../deploy/guard-images.js';

test('shrink --check failing on every new instance: rolled back, the output in the failed launches', async () => {
  const f = await startFleet({ size: 2, name: 'shchk' });
  try {
    const image = await behaviourImage(f, {});
    const { ctx, log } = f.context();
    const result = await shrink(ctx, { group: f.group, image, guardrails: [checkGuardrail({ command: 'echo "shrink smoke failed on $ASG_DEPLOY_INSTANCE_ID" >&2; exit 1' })] });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    assert.ok(log.of('instance-failed').some((e) => /shrink smoke failed on i-/.test(e.reason)), why);
    assert.equal(log.of('check-passed').length, 0, why);
    await assertReleased(f, 'rolled-back', result.deployId);
  } finally {
    await f.close();
  }
});

test('shrink --bake-time: a crash after the old half left is caught and rolled back', async () => {
  const f = await startFleet({ size: 2, name: 'shbake' });
  try {
    const image = await behaviourImage(f, { 'emulator:health': 'crash-after:240' });
    const { ctx, log } = f.context();
    const result = await shrink(ctx, { group: f.group, image, bakeTimeMs: 15 * 60_000 });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    assert.equal(log.of('bake-ended')[0]?.ok, false, why);
    assert.match(result.reason ?? '', /during the bake time/, why);
    await assertReleased(f, 'rolled-back', result.deployId);
  } finally {
    await f.close();
  }
});

test('swap --check admits every attached instance before an old one is retired; --bake-time and --checkpoints are refused', async () => {
  const f = await startFleet({ size: 2, maxSize: 2, name: 'swchk' });
  try {
    const image = await f.image();
    const { ids } = await prepareInstances(f, 2, { image });
    for (const refused of [{ bakeTimeMs: 60_000 }, { guardrails: [checkpointGuardrail({ checkpoints: [50] })] }]) {
      const { ctx } = f.context();
      await assert.rejects(swap(ctx, { group: f.group, instances: ids, ...refused }), (e) => isAsgDeployError(e, 'BAD_INPUT') && /does not apply to swap/.test(e.message));
    }
    const seen = join(mkdtempSync(join(tmpdir(), 'asg-deploy-swap-check-')), 'seen');
    const { ctx, log } = f.context();
    const result = await swap(ctx, { group: f.group, instances: ids, guardrails: [checkGuardrail({ command: `echo "$ASG_DEPLOY_INSTANCE_ID" >> ${seen}` })] });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.deepEqual(readFileSync(seen, 'utf8').trim().split('\n').sort(), [...ids].sort(), why);
    const lastCheck = Math.max(...log.of('check-passed').map((e) => e.t));
    const firstTerminate = f.history().find((e) => e.type === 'call' && e.action === 'TerminateInstanceInAutoScalingGroup')?.t ?? Infinity;
    assert.ok(lastCheck <= firstTerminate, `every check passed before the first old instance was retired\n${why}`);
  } finally {
    await f.close();
  }
});
