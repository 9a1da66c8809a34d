/**
 * The NDJSON events are a public interface (README "Events"): every code has a
 * level, a human line and declared fields; the committed JSON Schema is the one
 * the registry generates; and real events — a rolled-back deploy, a bake, and
 * the CLI's own `error` and `result` lines — validate against it with an
 * independent validator (Python's jsonschema, Draft 2020-12) and carry no
 * field the registry does not declare.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bakeImage } from '../../src/bake/index.js';
import { exec } from '../../src/cli/main.js';
import { EVENT_LINES, createRenderer } from '../../src/cli/render.js';
import { roll } from '../../src/deploy/index.js';
import { EVENT_CODES, EVENT_FIELDS, EVENT_LEVELS, EventLog, eventsJsonSchemaText, EVENTS_SCHEMA_PATH, type AnyEvent } from '../../src/events/index.js';
import { startFleet } from '../helpers/fleet.js';
import { useTestCredentials } from '../bake/harness.js';
import { schemaErrors, undeclaredFields } from './event-lines-valid.js';

const ROOT = new URL('../../../', import.meta.url);
const validate = schemaErrors;

test('every code has a level, a line and its fields; the committed schema is the generated one', () => {
  assert.deepEqual(Object.keys(EVENT_LINES).sort(), [...EVENT_CODES].sort());
  assert.deepEqual(Object.keys(EVENT_FIELDS).sort(), [...EVENT_CODES].sort());
  assert.equal(new Set(EVENT_CODES).size, EVENT_CODES.length);
  assert.ok(EVENT_CODES.length >= 50, `${EVENT_CODES.length} codes`);
  for (const code of ['plan', 'progress', 'done', 'bake-plan', 'prune-done', 'template-version-created', 'warning', 'error'] as const) assert.ok(code in EVENT_LEVELS, code);
  const committed = readFileSync(new URL(EVENTS_SCHEMA_PATH, ROOT), 'utf8');
  assert.equal(committed, eventsJsonSchemaText(), 'schema/events.schema.json is stale: run npm run gen:schema');
  assert.deepEqual(validate([JSON.stringify({ code: 'done', level: 'info', t: 1, time: 'x', outcome: 'succeeded', seconds: 1, version: '2', lowestServing: 2 })]).length, 1, 'a missing floor is caught');
});

test('real events of a rolled-back deploy, a bake, and the CLI\'s error and result lines validate against the schema', { timeout: 120_000 }, async () => {
  useTestCredentials();
  const fleet = await startFleet({ size: 2, speed: 400 });
  try {
    const lines: string[] = [];
    const renderer = createRenderer({ out: (l) => lines.push(l), err() {}, isTty: false }, 'json');
    const log = new EventLog<AnyEvent>();
    const sink = (e: AnyEvent) => {
      log.sink(e);
      renderer.event(e);
    };
    const bad = await fleet.image({ 'emulator:health': 'unhealthy' });
    const { ctx } = fleet.context({ emit: sink });
    const result = await roll(ctx, { group: fleet.group, image: bad, maxFailedLaunches: 1 });
    assert.equal(result.outcome, 'rolled-back');

    const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    const baked = await bakeImage({ aws: fleet.aws, clock: fleet.clock, emit: sink }, { source: { instanceId: instances[0]!.id }, template: { id: fleet.templateId } });
    assert.equal(baked.outcome, 'baked');

    const codes = new Set(log.events.map((e) => e.code));
    for (const code of ['plan', 'template-version-created', 'locked', 'wave-started', 'instance-failed', 'rollback-started', 'done', 'unlocked', 'bake-plan', 'image-requested', 'image-available', 'bake-done']) {
      assert.ok(codes.has(code as AnyEvent['code']), `emitted ${code}: ${[...codes].join(', ')}`);
    }
    // No field the registry does not declare (an undeclared field would be missing from the schema and the README).
    assert.deepEqual(undeclaredFields(lines), []);

    // The CLI's own lines: an error (unknown group) and a bake dry run's result.
    const cli: string[] = [];
    const io = { out: (l: string) => cli.push(l), err() {}, isTty: false };
    const target = ['--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--output', 'json'];
    assert.equal(await exec([...target, 'status', 'no-such-group'], io), 2);
    assert.equal(await exec([...target, 'bake', '--instance', instances[0]!.id, '--template', fleet.templateId, '--dry-run'], io), 0);
    const error = JSON.parse(cli.find((l) => l.includes('"error"'))!) as Record<string, unknown>;
    assert.equal(error.code, 'error');
    assert.equal(error.errorCode, 'GROUP_NOT_FOUND');
    assert.equal(error.exitCode, 2);
    assert.ok(cli.some((l) => JSON.parse(l).code === 'result'));

    const all = [...lines, ...cli];
    assert.ok(all.length >= 20, `${all.length} lines`);
    assert.deepEqual(validate(all), []);
  } finally {
    await fleet.close();
  }
});
