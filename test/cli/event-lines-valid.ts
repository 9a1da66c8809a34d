/**
 * Checks NDJSON lines against the published contract: each validates against
 * schema/events.schema.json with an independent validator (Python's
 * jsonschema, Draft 2020-12), and carries no field its code does not declare
 * (an undeclared field would be missing from the schema and the README).
 */
import { execFileSync } from 'node:child_process';
import { EVENT_FIELDS, EVENTS_SCHEMA_PATH, type EventCode } from '../../src/events/index.js';

const ROOT = new URL('../../../', import.meta.url);
const ENVELOPE = new Set(['code', 'level', 't', 'time', 'deployId', 'group', 'app']);

/** One message per invalid line (empty when all are valid). */
export function schemaErrors(lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  const script = `
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = []
for n, line in enumerate(sys.stdin.read().splitlines()):
    try:
        doc = json.loads(line)
    except Exception as e:
        bad.append(f"line {n}: not JSON: {line[:120]}")
        continue
    for e in v.iter_errors(doc):
        bad.append(f"line {n}: {doc.get('code')}: {e.message} at {list(e.path)}")
print(json.dumps(bad))`;
  const out = execFileSync('python3', ['-c', script, new URL(EVENTS_SCHEMA_PATH, ROOT).pathname], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

/** Fields a line carries that its code does not declare (the `result` line carries its command's whole result: not checked). */
export function undeclaredFields(lines: readonly string[]): string[] {
  const bad: string[] = [];
  for (const line of lines) {
    const doc = JSON.parse(line) as Record<string, unknown>;
    const code = doc.code as EventCode | 'result';
    if (code === 'result') continue;
    const declared = EVENT_FIELDS[code] as Readonly<Record<string, unknown>> | undefined;
    if (!declared) {
      bad.push(`${String(code)}: not a registry code`);
      continue;
    }
    const extra = Object.keys(doc).filter((k) => !ENVELOPE.has(k) && !(k in declared));
    if (extra.length > 0) bad.push(`${code}: ${extra.join(', ')}`);
  }
  return bad;
}
