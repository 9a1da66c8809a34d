import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from '../../src/cli/main.js';
import { schemaErrors, undeclaredFields } from './event-lines-valid.js';

test('demo (the README\'s main command) rolls, rolls back a broken release and a blue/green deploy, floor held in every act', async () => {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: () => {}, isTty: false };
  const code = await exec(['--output', 'json', 'demo', '--speed', '150'], io);
  const events = lines.map((l) => JSON.parse(l) as { code: string; acts?: { name: string; outcome: string; lowestServing: number; floor: number; apiCalls: number }[] });
  const summary = events.find((e) => e.code === 'demo-summary');
  assert.ok(summary?.acts, 'a demo-summary line');
  assert.deepEqual(summary.acts.map((a) => a.outcome), ['succeeded', 'rolled-back', 'succeeded', 'rolled-back']);
  for (const a of summary.acts) {
    assert.ok(a.lowestServing >= a.floor, `${a.name}: lowest serving ${a.lowestServing} below floor ${a.floor}`);
    assert.ok(a.apiCalls > 0);
  }
  assert.equal(code, 0);
  assert.ok(events.some((e) => e.code === 'rollback-started'), 'the broken release triggered a rollback');
  // Every line, the summary included, is a registry event in the schema.
  assert.deepEqual(schemaErrors(lines), []);
  assert.deepEqual(undeclaredFields(lines), []);
});
