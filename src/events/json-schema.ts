/**
 * The JSON Schema (draft 2020-12) of the NDJSON events, built from the field
 * table (fields.ts) and the levels (registry.ts); committed as
 * schema/events.schema.json (`npm run gen:schema`), and checked against real
 * emitted events by test/cli/events-schema.test.ts.
 */
import { EVENT_FIELDS } from './fields.js';
import { EVENT_CODES } from './registry.js';

type JsonSchema = Record<string, unknown>;

function fieldSchema(spec: string | readonly string[]): JsonSchema {
  if (typeof spec !== 'string') return { enum: [...spec] };
  switch (spec.replace(/\?$/, '')) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'string[]':
      return { type: 'array', items: { type: 'string' } };
    case 'string-map':
      return { type: 'object', additionalProperties: { type: 'string' } };
    case 'object[]':
      return { type: 'array', items: { type: 'object' } };
    default:
      return { type: 'object' };
  }
}

const ENVELOPE = {
  code: { type: 'string', description: 'what happened; stable' },
  level: { enum: ['debug', 'info', 'warn', 'error'] },
  t: { type: 'number', description: 'epoch ms on the tool\'s clock (simulated time with --time-scale)' },
  time: { type: 'string', format: 'date-time', description: 't as ISO 8601' },
  deployId: { type: 'string' },
  group: { type: 'string' },
  app: { type: 'string' },
};

/**
 * The last line of `bake` and `prune` with --output json: the command's whole
 * result (BakeResult, PruneResult's summary) under `code: "result"`, in the
 * same envelope. Its fields are the library's result types, so the schema
 * names only `command`.
 */
const RESULT_DEF: JsonSchema = {
  type: 'object',
  required: ['code', 'level', 't', 'time', 'command'],
  properties: { code: { const: 'result' }, command: { enum: ['bake', 'prune'] } },
};

/** The `result` line of a command (see RESULT_DEF), in the events' envelope. */
export function resultLine(command: 'bake' | 'prune', t: number, result: object): string {
  return JSON.stringify({ code: 'result', level: 'info', time: new Date(t).toISOString(), t, command, ...result });
}

export function eventsJsonSchema(): JsonSchema {
  const defs: Record<string, JsonSchema> = { result: RESULT_DEF };
  for (const code of EVENT_CODES) {
    const fields = EVENT_FIELDS[code] as Readonly<Record<string, string | readonly string[]>>;
    const properties: Record<string, JsonSchema> = { code: { const: code } };
    const required = ['code', 'level', 't', 'time'];
    for (const [name, spec] of Object.entries(fields)) {
      properties[name] = fieldSchema(spec);
      if (!(typeof spec === 'string' && spec.endsWith('?'))) required.push(name);
    }
    defs[code] = { type: 'object', required, properties };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/asg-deploy/asg-deploy/schema/events.schema.json',
    title: 'asg-deploy --output json events',
    description:
      'One JSON object per line. Every line has the envelope (code, level, t, time; deployId, group, app where they apply) and the fields of its code. A failed command ends with code "error". New codes and new optional fields may be added; existing ones keep their meaning.',
    type: 'object',
    required: ['code', 'level', 't', 'time'],
    properties: { ...ENVELOPE, code: { enum: [...EVENT_CODES, 'result'] } },
    allOf: [...EVENT_CODES, 'result'].map((code) => ({ if: { properties: { code: { const: code } } }, then: { $ref: `#/$defs/${code}` } })),
    $defs: defs,
  };
}

/** Where the schema is committed, relative to the package root. */
export const EVENTS_SCHEMA_PATH = 'schema/events.schema.json';

/** The committed file's text: the schema, 2-space indented, with a final newline. */
export function eventsJsonSchemaText(): string {
  return JSON.stringify(eventsJsonSchema(), null, 2) + '\n';
}
