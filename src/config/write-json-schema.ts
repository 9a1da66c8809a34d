/**
 * Rewrites `schema/asg-deploy.schema.json` from the zod schema.
 * Run after a build: `node dist/src/config/write-json-schema.js` (works from
 * src/ or dist/src/, whatever the working directory).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { JSON_SCHEMA_PATH, inventoryJsonSchemaText } from './json-schema.js';

/** The package root: the nearest directory up from this file with a package.json. */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Writes the schema file; returns its absolute path. */
export function writeJsonSchema(root = packageRoot()): string {
  const target = path.join(root, JSON_SCHEMA_PATH);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, inventoryJsonSchemaText());
  return target;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`wrote ${writeJsonSchema()}\n`);
}
