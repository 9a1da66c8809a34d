/**
 * Guardrail events on the wire: the lines `--output json` prints validate
 * against the committed schema/events.schema.json with an independent
 * validator (Python's jsonschema) and carry only declared fields. The check
 * and checkpoint events come from real runs; the rest are built by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { AwsClients } from '../../src/aws/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { checkGuardrail, checkpointGuardrail } from '../../src/deploy/guardrails/index.js';
import type { GuardContext } from '../../src/deploy/guardrail.js';
import { EVENT_FIELDS, EventLog, EVENTS_SCHEMA_PATH, toJsonLine, type AnyEvent, type GuardrailEventPayloads } from '../../src/events/index.js';

const ROOT = new URL('../../../', import.meta.url);
const ENVELOPE = new Set(['code', 'level', 't', 'time', 'deployId', 'group', 'app']);

test('every guardrail event validates against the events schema and declares all its fields', async () => {
  const log = new EventLog();
  const ctx: GuardContext = { aws: {} as AwsClients, clock: new ManualClock(), emit: log.sink, group: 'web', deployId: 'd-json', targetVersion: '4', direction: 'forward' };
  await checkGuardrail({ command: 'echo fine' }).admit!(ctx, { instanceId: 'i-0123456789abcdef0', privateIp: '10.0.0.5', version: '4' });
  await checkGuardrail({ command: 'echo broken >&2; exit 7' }).admit!(ctx, { instanceId: 'i-0123456789abcdef1', version: '4' });
  checkpointGuardrail({ checkpoints: [10] }).pauseAfter!(ctx, { onTarget: 1, total: 10 });
  const base = { t: Date.UTC(2026, 0, 1), deployId: 'd-json', group: 'web' };
  const built: AnyEvent[] = [
    { ...base, code: 'alarm-watched', alarms: [{ name: 'web-5xx', state: 'OK' }] },
    { ...base, code: 'alarm-state-changed', alarm: 'web-5xx', from: 'OK', to: 'ALARM', reason: 'Threshold Crossed' },
    { ...base, code: 'checkpoint-paused', percent: 10, continueCommand: 'asg-deploy continue web', abortCommand: 'asg-deploy abort web' },
    { ...base, code: 'checkpoint-paused', percent: 10, until: base.t + 60_000, continueCommand: 'asg-deploy continue web', abortCommand: 'asg-deploy abort web' },
    { ...base, code: 'checkpoint-continued', percent: 10, by: 'timer', pausedSeconds: 60 },
    { ...base, code: 'bake-started', seconds: 600, until: base.t + 600_000 },
    { ...base, code: 'bake-ended', seconds: 600, ok: true },
  ];
  const events = [...log.events, ...built] as AnyEvent[];
  const codes = new Set(events.map((e) => e.code));
  const all: (keyof GuardrailEventPayloads)[] = ['alarm-watched', 'alarm-state-changed', 'checkpoint-reached', 'checkpoint-paused', 'checkpoint-continued', 'bake-started', 'bake-ended', 'check-passed', 'check-failed'];
  assert.deepEqual(all.filter((c) => !codes.has(c)), [], 'every guardrail code is exercised');

  const lines = events.map((e) => toJsonLine(e));
  for (const line of lines) {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const declared = new Set(Object.keys(EVENT_FIELDS[parsed.code as keyof typeof EVENT_FIELDS]));
    assert.deepEqual(Object.keys(parsed).filter((k) => !ENVELOPE.has(k) && !declared.has(k)), [], `${parsed.code}: undeclared fields`);
  }
  const script = `
import json, sys, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
print(json.dumps([f"{json.loads(l)['code']}: {e.message}" for l in sys.stdin.read().splitlines() for e in v.iter_errors(json.loads(l))]))`;
  const out = execFileSync('python3', ['-c', script, new URL(EVENTS_SCHEMA_PATH, ROOT).pathname], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), []);
  assert.equal(JSON.parse(lines.find((l) => l.includes('"check-failed"'))!).level, 'warn');
});
