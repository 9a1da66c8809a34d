/**
 * Finding, reading and checking `asg-deploy.yaml`, and looking an app up in it.
 * Every problem becomes a {@link ConfigError} naming the file, the line and
 * column, the path inside the file, the bad value and the fix — all of them
 * at once.
 *
 * @example
 *   const inventory = await loadInventory({ file: opts.config });   // undefined: no file, no --config
 *   const app = resolveApp(inventory, 'web-prod');
 *   app.strategy.maxSurge  // { kind: 'percent', percent: 25 }
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { checkInventoryData, resolveInventory, type AppConfig, type Inventory } from './resolve.js';
import { closest } from './suggest.js';
import { formatPath, validateInventoryData, type RawProblem } from './validate.js';

/** The names looked for in the working directory, in this order. */
export const INVENTORY_FILE_NAMES = ['asg-deploy.yaml', 'asg-deploy.yml'] as const;

/** The line that turns on checks-as-you-type in editors with the YAML language server. */
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=./schema/asg-deploy.schema.json';

const FORMAT_HINT = `asg-deploy.example.yaml shows the format; start the file with "${SCHEMA_COMMENT}" to see problems in your editor as you type`;

export interface LoadInventoryOptions {
  /** An explicit file (`--config FILE`): it must exist. Relative to `cwd`. */
  file?: string;
  /** Where to look for asg-deploy.yaml / .yml, and what `file` is relative to. Default: process.cwd(). */
  cwd?: string;
}

/** The file as the user would name it: relative to `cwd` when inside it. */
function displayName(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}

async function kindOf(file: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    return (await stat(file)).isDirectory() ? 'directory' : 'file';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
    throw e;
  }
}

/**
 * Reads the inventory: `options.file` (which must exist) or else
 * asg-deploy.yaml / asg-deploy.yml in `options.cwd`. Returns undefined when no
 * file was named and none is there. Throws a {@link ConfigError} listing
 * every problem when the file cannot be used.
 */
export async function loadInventory(options: LoadInventoryOptions = {}): Promise<Inventory | undefined> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  let absolute: string;
  if (options.file !== undefined) {
    absolute = path.resolve(cwd, options.file);
    const kind = await kindOf(absolute);
    if (kind !== 'file') {
      const message =
        kind === 'missing'
          ? `config file not found; check the --config path (it is relative to ${cwd}), or leave --config out to use ./${INVENTORY_FILE_NAMES[0]}`
          : `is a directory, not a config file; pass the file, e.g. --config ${path.join(options.file, INVENTORY_FILE_NAMES[0])}`;
      throw new ConfigError([{ file: options.file, path: '', message }]);
    }
  } else {
    const found: string[] = [];
    for (const name of INVENTORY_FILE_NAMES) {
      if ((await kindOf(path.join(cwd, name))) === 'file') found.push(path.join(cwd, name));
    }
    if (found.length === 0) return undefined;
    if (found.length > 1) {
      throw new ConfigError([
        {
          file: displayName(found[1]!, cwd),
          path: '',
          message: `both ${INVENTORY_FILE_NAMES[0]} and ${INVENTORY_FILE_NAMES[1]} are here; keep one (delete or rename the other), or choose with --config`,
        },
      ]);
    }
    absolute = found[0]!;
  }
  const file = displayName(absolute, cwd);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, path: '', message: `cannot be read (${(e as Error).message}); check its permissions` }], { cause: e });
  }
  return parseInventory(text, file);
}

/** Fixes for the YAML syntax errors people make in config files. */
function yamlFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a mapping; remove or rename one of them';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'MULTIPLE_DOCS':
      return 'keep one document: remove the "---" line and what follows, or merge them';
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
      return 'define the anchor (&name) before using the alias (*name)';
    case 'BAD_DQ_ESCAPE':
      return 'use single quotes, or escape the backslash as \\\\';
    case 'BAD_SCALAR_START':
      return 'quote the value: it starts with a character YAML reserves (@, `, | or >)';
    default:
      return 'check the indentation and the ":" after each key on this line and the one before; quote values that contain ": " or " #"';
  }
}

type Position = { line: number; column: number };

/** Where `path` is in the document: its key or value, or the nearest enclosing key that exists. */
function locate(doc: Document, lines: LineCounter, problem: RawProblem): Position | undefined {
  const at = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  let node: unknown = doc.contents;
  let nearest: number | undefined = (doc.contents as Node | null)?.range?.[0];
  for (const [index, segment] of problem.path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      const keyOffset = (pair.key as Node).range?.[0];
      const value = pair.value as Node | null;
      const isLast = index === problem.path.length - 1;
      if (isLast && problem.at === 'key') return at(keyOffset);
      nearest = isLast && value?.range ? value.range[0] : keyOffset;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item?.range) break;
      nearest = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return at(nearest);
}

function place(file: string, doc: Document, lines: LineCounter, problem: RawProblem): ConfigProblem {
  const position = locate(doc, lines, problem);
  return { file, path: formatPath(problem.path), ...(position === undefined ? {} : { line: position.line, column: position.column }), message: problem.message };
}

function byPosition(a: ConfigProblem, b: ConfigProblem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.path.localeCompare(b.path);
}

/**
 * Parses, checks and resolves inventory text. `file` is how messages name
 * it. Throws a {@link ConfigError} listing every problem.
 */
export function parseInventory(text: string, file: string): Inventory {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error): ConfigProblem => {
      const { line, col } = lines.linePos(error.pos[0]);
      const what = error.message.replace(/\s+/g, ' ').replace(/\.$/, '');
      return { file, path: '', line, column: col, message: `invalid YAML: ${what.charAt(0).toLowerCase()}${what.slice(1)}; ${yamlFix(error.code)}` };
    });
    throw new ConfigError(problems.sort(byPosition), { hint: FORMAT_HINT });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError([{ file, path: '', message: `cannot be read as YAML (${(e as Error).message}); use fewer aliases (*name)` }], { cause: e });
  }
  if (data === null || data === undefined) {
    throw new ConfigError([{ file, path: '', message: 'is empty; add an apps: mapping with at least one app (see asg-deploy.example.yaml)' }], { hint: FORMAT_HINT });
  }
  const { value, problems } = validateInventoryData(data);
  const all = [...problems, ...checkInventoryData(data)];
  if (all.length > 0 || value === undefined) {
    throw new ConfigError(all.map((problem) => place(file, doc, lines, problem)).sort(byPosition), { hint: FORMAT_HINT });
  }
  return resolveInventory(value, file);
}

/** The `--app` names of an inventory, in file order. */
export function appNames(inventory: Inventory): string[] {
  return Object.keys(inventory.apps);
}

/**
 * The app called `name` (`web`, or `web-prod` for an environment), fully
 * resolved. Throws a {@link ConfigError} when there is no inventory, or no
 * such app (listing the known ones and the closest).
 */
export function resolveApp(inventory: Inventory | undefined, name: string): AppConfig {
  if (inventory === undefined) {
    throw new ConfigError([
      {
        file: INVENTORY_FILE_NAMES[0],
        path: '',
        message: `--app ${name} needs an inventory, and there is no ${INVENTORY_FILE_NAMES[0]} (or .yml) in the working directory; create one (see asg-deploy.example.yaml), pass --config FILE, or give the group and region as flags`,
      },
    ]);
  }
  if (Object.hasOwn(inventory.apps, name)) return inventory.apps[name]!;
  const known = appNames(inventory);
  const environments = known.filter((candidate) => inventory.apps[candidate]!.app === name);
  let message: string;
  if (environments.length > 0) {
    message = `app "${name}" has environments; choose one: ${environments.map((env) => `--app ${env}`).join(', ')}`;
  } else {
    const suggestion = closest(name, known);
    const list = known.length > 0 ? `known apps: ${known.join(', ')}` : 'it has no apps';
    message = `no app named "${name}"; ${suggestion === undefined ? '' : `did you mean "${suggestion}"? `}${list}`;
  }
  throw new ConfigError([{ file: inventory.file, path: 'apps', message }]);
}
