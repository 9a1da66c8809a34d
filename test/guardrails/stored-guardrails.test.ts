/**
 * The guardrail settings a deploy stores on its group (issue 9): they
 * round-trip exactly (alarm names and check commands with `;`, `=`, `,`, `%`,
 * quotes, non-ASCII), split over tags of at most 256 characters, are refused
 * naming the limit when they cannot fit, never read as another deploy's, and
 * a missing part makes them unreadable (a resume refuses) rather than dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAsgDeployError } from '../../src/core/index.js';
import {
  GUARDRAILS_TAG,
  GUARDRAIL_TAGS_MAX,
  alarmGuardrail,
  checkGuardrail,
  checkpointGuardrail,
  decodeStoredGuardrails,
  encodeStoredGuardrails,
  guardrailsForRecord,
  mergeGuardrailSettings,
  staleGuardrailTagKeys,
  type StoredGuardrails,
} from '../../src/deploy/guardrails/index.js';
import type { Guardrail } from '../../src/deploy/guardrail.js';

const roundTrip = (g: StoredGuardrails, id = 'd-1') => decodeStoredGuardrails(new Map(Object.entries(encodeStoredGuardrails(id, g))), id);

test('stored guardrails round-trip exactly, whatever the alarm names and the check command hold', () => {
  const g: StoredGuardrails = {
    alarms: ['web-5xx', 'a;b=c,d%e', 'latência p99'],
    checkpoints: [10, 50],
    checkpointPause: { kind: 'wait' },
    bakeTimeMs: 600_000,
    check: `curl -fsS "http://$ASG_DEPLOY_PRIVATE_IP:8080/health?a=1;b=2,c=%20" | grep -q 'ok' && echo '✓ 🚀'`,
    checkTimeoutMs: 30_000,
    noRollback: true,
    unstored: ['my-guard'],
  };
  assert.deepEqual(roundTrip(g), g);
  assert.deepEqual(roundTrip({ alarms: [], checkpoints: [34], checkpointPause: { kind: 'for', ms: 300_000 } }), { alarms: [], checkpoints: [34], checkpointPause: { kind: 'for', ms: 300_000 } });
});

test('a long check command is split over tags of at most 256 characters, and read back whole', () => {
  const check = `sh -c 'for i in 1 2 3; do curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/x && exit 0; sleep 1; done; exit 1' # ${'🚀x'.repeat(200)}`;
  const tags = encodeStoredGuardrails('d-2', { alarms: ['web-5xx'], check, checkTimeoutMs: 60_000 });
  const keys = Object.keys(tags);
  assert.ok(keys.length >= 2 && keys.length <= GUARDRAIL_TAGS_MAX, keys.join(', '));
  assert.deepEqual(keys, [GUARDRAILS_TAG, ...keys.slice(1).map((_, i) => `${GUARDRAILS_TAG}:${i + 2}`)]);
  for (const v of Object.values(tags)) assert.ok(v.length <= 256, `${v.length} characters`);
  for (const v of Object.values(tags)) assert.ok(!/[\uD800-\uDBFF]$/.test(v), 'no surrogate pair is cut');
  assert.match(tags[GUARDRAILS_TAG]!, new RegExp(`^n=${keys.length};id=d-2;`));
  assert.equal(decodeStoredGuardrails(new Map(Object.entries(tags)), 'd-2')?.check, check);
});

test('settings that cannot fit in the tags are refused, naming the limit and the fix', () => {
  const check = `echo ${'x'.repeat(1100)}`;
  assert.throws(
    () => encodeStoredGuardrails('d-3', { alarms: [], check }),
    (e) => isAsgDeployError(e, 'BAD_INPUT') && /1024 characters|1020 characters/.test(e.message) && /the --check command alone is 1105/.test(e.message) && /script/.test(e.hint ?? '') && e.details?.option === '--check',
  );
  // guardrailsForRecord refuses the same before the record is written (so before any change).
  assert.throws(() => guardrailsForRecord({ guardrails: [checkGuardrail({ command: check })] }), (e) => isAsgDeployError(e, 'BAD_INPUT'));
});

test('another deploy\'s settings are not read; a missing part or a damaged number makes them unreadable, not empty', () => {
  const tags = new Map(Object.entries(encodeStoredGuardrails('d-old', { alarms: ['web-5xx'], bakeTimeMs: 1000 })));
  assert.equal(decodeStoredGuardrails(tags, 'd-new'), undefined);
  assert.deepEqual(staleGuardrailTagKeys(tags, 'd-new'), [GUARDRAILS_TAG]);
  assert.deepEqual(staleGuardrailTagKeys(tags, 'd-old'), []);

  const long = encodeStoredGuardrails('d-4', { alarms: [], check: `echo ${'y'.repeat(400)}` });
  const missing = new Map(Object.entries(long));
  missing.delete(`${GUARDRAILS_TAG}:2`);
  assert.match(decodeStoredGuardrails(missing, 'd-4')?.unreadable ?? '', /asg-deploy:guardrails:2 \(part 2 of 2\) is missing/);
  // Parts past the count (a longer earlier encoding of the same deploy) are stale.
  const extra = new Map([...Object.entries(encodeStoredGuardrails('d-4', { alarms: ['a'] })), [`${GUARDRAILS_TAG}:2`, 'left over']]);
  assert.deepEqual(staleGuardrailTagKeys(extra, 'd-4'), [`${GUARDRAILS_TAG}:2`]);
  assert.match(decodeStoredGuardrails(new Map([[GUARDRAILS_TAG, 'n=1;id=d-5;bake=soon']]), 'd-5')?.unreadable ?? '', /"bake" is not a number/);
});

test('guardrailsForRecord: the settings of the guardrails built from flags, bake time and --no-rollback; a custom guardrail is named as not stored', () => {
  const custom: Guardrail = { name: 'my-guard', async watch() { return { ok: true }; } };
  assert.deepEqual(guardrailsForRecord({}), {}, 'no guardrails: no tag');
  assert.deepEqual(guardrailsForRecord({ rollback: true }), {});
  assert.deepEqual(
    guardrailsForRecord({
      guardrails: [alarmGuardrail(['web-5xx', ' web-5xx ']), checkpointGuardrail({ checkpoints: [10, 50] }), checkGuardrail({ command: 'true', timeoutMs: 30_000 }), custom],
      bakeTimeMs: 60_000,
      rollback: false,
    }),
    {
      guardrails: {
        alarms: ['web-5xx'],
        checkpoints: [10, 50],
        checkpointPause: { kind: 'for', ms: 3_600_000 },
        check: 'true',
        checkTimeoutMs: 30_000,
        bakeTimeMs: 60_000,
        noRollback: true,
        unstored: ['my-guard'],
      },
    },
  );
});

test('resume flags over the stored settings: --alarm adds, the others replace; a pause without checkpoints is refused', () => {
  const stored: StoredGuardrails = { alarms: ['web-5xx'], bakeTimeMs: 600_000, check: 'old', checkTimeoutMs: 5000, noRollback: true };
  assert.deepEqual(mergeGuardrailSettings(stored, { alarms: ['web-latency', 'web-5xx'], bakeTimeMs: 0, check: 'new', noRollback: false }), {
    alarms: ['web-5xx', 'web-latency'],
    check: 'new',
    checkTimeoutMs: 5000,
  });
  assert.deepEqual(mergeGuardrailSettings(undefined, {}), { alarms: [] });
  assert.throws(() => mergeGuardrailSettings(stored, { checkpointPause: { kind: 'wait' } }), (e) => isAsgDeployError(e, 'BAD_INPUT') && /--checkpoint-pause needs checkpoints/.test(e.message));
});

test('the CLI refuses a --check too long to store before anything runs (also a --dry-run)', async () => {
  const { guardrailOptions } = await import('../../src/cli/guardrail-flags.js');
  await assert.rejects(guardrailOptions({ check: `echo ${'x'.repeat(1100)}` }), (e) => isAsgDeployError(e, 'BAD_INPUT') && /do not fit on the group/.test(e.message));
  const ok = await guardrailOptions({ check: `echo ${'x'.repeat(700)}`, alarm: ['web-5xx'] });
  assert.deepEqual(ok.options.guardrails?.map((g) => g.name), ['alarms', 'check']);
});
