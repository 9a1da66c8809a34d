/**
 * Checks parsed inventory data against the schema and turns zod's issues into
 * problems a person can act on: one per bad value or unknown key, each with
 * its exact path, the bad value and the fix. Positions in the file are added
 * by the loader (load.ts), which knows the YAML.
 *
 * @example
 *   const { value, problems } = validateInventoryData({ apps: { web: { strategy: { maxSurg: 2 } } } });
 *   // problems[0]: { path: ['apps', 'web', 'strategy', 'maxSurg'], at: 'key',
 *   //                message: 'unknown key "maxSurg"; did you mean "maxSurge"?' }
 */
import { z } from 'zod';
import { APP_ONLY_KEYS, BLOCK_KEYS, InventoryFileSchema, showValue, type InventoryFile } from './schema.js';
import { closest } from './suggest.js';

export type ConfigPath = readonly (string | number)[];

/** A problem before it is placed in a file. */
export interface RawProblem {
  path: ConfigPath;
  message: string;
  /** Point at the key (unknown or missing keys) or at the value (bad values). */
  at: 'key' | 'value';
}

/** `apps.web.strategy.maxSurge`; keys that are not plain words are quoted: `image.tags["cost:center"]`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` in parsed data, or undefined. */
export function valueAt(data: unknown, path: ConfigPath): unknown {
  let current = data;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isMapping(current) && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

/** The keys the schema allows in the mapping at `path` (following records and unions), or undefined. */
export function knownKeysAt(schema: z.ZodType, path: ConfigPath): string[] | undefined {
  const unwrap = (s: z.ZodType | undefined): z.ZodType | undefined => {
    let current = s;
    while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    }
    if (current instanceof z.ZodUnion) {
      // Only an object option has keys; configs have at most one per union.
      return (current.options as z.ZodType[]).map(unwrap).find((o) => o instanceof z.ZodObject || o instanceof z.ZodRecord);
    }
    return current;
  };
  let current = unwrap(schema);
  for (const segment of path) {
    if (current instanceof z.ZodObject) current = unwrap((current.shape as Record<string, z.ZodType>)[String(segment)]);
    else if (current instanceof z.ZodRecord) current = unwrap(current.valueType as z.ZodType);
    else return undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}

/** What to say about a key the schema does not allow at `path`. */
export function unknownKeyMessage(key: string, path: ConfigPath, knownHere: readonly string[], value: unknown): string {
  const unknown = `unknown key ${JSON.stringify(key)}`;
  const suggestion = closest(key, knownHere);
  if (suggestion !== undefined) return `${unknown}; did you mean "${suggestion}"?`;
  // A real key in the wrong place: say where it goes.
  for (const block of knownHere) {
    const inside = BLOCK_KEYS[block];
    const match = inside === undefined ? undefined : closest(key, inside);
    if (match !== undefined) return `${unknown} here; ${match} goes under ${block}: — move it to ${formatPath([...path, block, match])}`;
  }
  const appKey = closest(key, APP_ONLY_KEYS);
  if (appKey !== undefined && path[0] === 'defaults') return `${unknown}: ${appKey} is set per app, not in defaults; move it to apps.NAME.${appKey}`;
  if (key === 'namePrefix' && path[0] === 'defaults') return `${unknown}: namePrefix is per app (it defaults to the app's name); set it in apps.NAME.image.namePrefix`;
  if (path.length === 0 && isMapping(value)) return `${unknown} at the top of the file; if ${JSON.stringify(key)} is an app, put it under apps:`;
  return `${unknown}; remove it, or use one of: ${knownHere.join(', ')}`;
}

type Issue = z.core.$ZodIssue;

/** Messages for the issues no field-level message covers. */
const fallbackMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    const expected: Record<string, [string, string]> = {
      string: ['text', 'write text, quoted if it looks like a number or true/false'],
      number: ['a number', 'write a number without quotes'],
      int: ['a whole number', 'write a whole number without quotes'],
      boolean: ['true or false', 'write true or false'],
      object: ['a mapping', 'write key: value lines indented under it, or { key: value }'],
      array: ['a list', 'write "- item" lines indented under it, or [a, b]'],
    };
    const [wanted, fix] = expected[issue.expected] ?? [issue.expected, `write ${issue.expected}`];
    if (issue.input === undefined) return `missing; add it (${wanted})`;
    return `${showValue(issue.input)} is not ${wanted}; ${fix}`;
  }
  return undefined;
};

function rootRejected(branch: readonly Issue[]): boolean {
  return branch.some((issue) => issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value'));
}

function collect(issue: Issue, prefix: ConfigPath, data: unknown, out: RawProblem[]): void {
  const path: ConfigPath = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(InventoryFileSchema, path) ?? [];
      const here = valueAt(data, path);
      for (const key of issue.keys) {
        out.push({ path: [...path, key], message: unknownKeyMessage(key, path, known, isMapping(here) ? here[key] : undefined), at: 'key' });
      }
      return;
    }
    case 'invalid_union': {
      // Report the branch whose type matched (the mapping form of sourceInstance, say) in detail.
      const matching = issue.errors.filter((branch) => !rootRejected(branch));
      if (matching.length === 1) {
        for (const inner of matching[0]!) collect(inner, path, data, out);
        return;
      }
      out.push({ path, message: issue.message, at: 'value' });
      return;
    }
    case 'invalid_key':
      out.push({ path, message: issue.issues[0]?.message ?? issue.message, at: 'key' });
      return;
    default:
      out.push({ path, message: issue.message, at: issue.code === 'invalid_type' && issue.input === undefined ? 'key' : 'value' });
  }
}

/**
 * Validates parsed data against {@link InventoryFileSchema}. Returns the typed
 * value when there is no problem, and every problem otherwise.
 */
export function validateInventoryData(data: unknown): { value?: InventoryFile; problems: RawProblem[] } {
  const result = InventoryFileSchema.safeParse(data, { error: fallbackMessages, reportInput: true });
  if (result.success) return { value: result.data, problems: [] };
  const problems: RawProblem[] = [];
  for (const issue of result.error.issues) collect(issue, [], data, problems);
  const seen = new Set<string>();
  return {
    problems: problems.filter((p) => {
      const id = `${formatPath(p.path)}\n${p.message}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    }),
  };
}
