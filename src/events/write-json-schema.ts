/**
 * Rewrites `schema/events.schema.json` from the event registry. Run after a
 * build: `node dist/src/events/write-json-schema.js` (part of `npm run gen:schema`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENTS_SCHEMA_PATH, eventsJsonSchemaText } from './json-schema.js';

function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

const target = path.join(packageRoot(), EVENTS_SCHEMA_PATH);
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, eventsJsonSchemaText());
console.log(`wrote ${target}`);
