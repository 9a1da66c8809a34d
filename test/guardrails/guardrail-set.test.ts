/** GuardrailSet composes guardrails; these guardrails are plain objects (no AWS involved), the contract's own example shape. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsClients } from '../../src/aws/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { EventLog } from '../../src/deploy/events.js';
import type { GuardContext, Guardrail } from '../../src/deploy/guardrail.js';
import { checkpointGuardrail, GuardrailSet } from '../../src/deploy/guardrails/index.js';

const log = new EventLog();
const ctx: GuardContext = { aws: {} as AwsClients, clock: new ManualClock(), emit: log.sink, group: 'web', deployId: 'd-1', targetVersion: '3', direction: 'forward' };

test('watch: the first failing guardrail wins and is named; all pass → ok', async () => {
  const calls: string[] = [];
  const g = (name: string, ok: boolean): Guardrail => ({
    name,
    async watch() {
      calls.push(name);
      return ok ? { ok: true } : { ok: false, code: name, reason: `${name} failed` };
    },
  });
  assert.deepEqual(await new GuardrailSet([g('a', true), g('b', true)]).watch(ctx), { ok: true });
  const v = await new GuardrailSet([g('a', true), g('b', false), g('c', false)]).watch(ctx);
  assert.ok(!v.ok);
  assert.equal(v.reason, 'b failed');
  assert.equal(v.detail?.guardrail, 'b');
  assert.deepEqual(calls, ['a', 'b', 'a', 'b']);
});

test('admit: every guardrail must admit; preflight throws through', async () => {
  const admitted: string[] = [];
  const set = new GuardrailSet([
    { name: 'no-admit' },
    { name: 'log', admit: async (_c, i) => (admitted.push(i.instanceId), { ok: true }) },
    { name: 'odd', admit: async (_c, i) => (i.instanceId.endsWith('1') ? { ok: false, code: 'odd', reason: `${i.instanceId} is odd` } : { ok: true }) },
    { name: 'refuses', preflight: async () => { throw new Error('refused'); } },
  ]);
  assert.deepEqual(await set.admit(ctx, { instanceId: 'i-2', version: '3' }), { ok: true });
  const v = await set.admit(ctx, { instanceId: 'i-1', version: '3' });
  assert.ok(!v.ok && v.reason === 'i-1 is odd');
  assert.deepEqual(admitted, ['i-2', 'i-1']);
  await assert.rejects(set.preflight(ctx), /refused/);
});

test('pauseAfter and stepLimit come from the checkpoint guardrail; without one there is no pause and no limit', () => {
  const set = new GuardrailSet([{ name: 'alarms' }, checkpointGuardrail({ checkpoints: [10, 50], pause: { kind: 'for', ms: 60_000 } })]);
  assert.equal(set.stepLimit({ onTarget: 0, total: 20 }), 2);
  assert.equal(set.pauseAfter(ctx, { onTarget: 1, total: 20 }), undefined);
  assert.equal(set.pauseAfter(ctx, { onTarget: 2, total: 20 })?.kind, 'for');
  assert.equal(set.stepLimit({ onTarget: 2, total: 20 }), 8);
  assert.equal(set.pauseAfter(ctx, { onTarget: 3, total: 20 }), undefined);
  const none = new GuardrailSet();
  assert.ok(none.empty);
  assert.equal(none.stepLimit({ onTarget: 0, total: 20 }), undefined);
  assert.equal(none.pauseAfter(ctx, { onTarget: 20, total: 20 }), undefined);
});
