/**
 * The JSON Schema of `asg-deploy.yaml`, generated from the zod schema, so
 * editors check the file as it is typed. It is committed as
 * `schema/asg-deploy.schema.json`; a test fails when it is out of date, and
 * `node dist/src/config/write-json-schema.js` rewrites it.
 *
 * Draft-07: the draft the YAML language server (VS Code, JetBrains, Neovim)
 * supports best.
 *
 * @example
 *   # yaml-language-server: $schema=./schema/asg-deploy.schema.json
 */
import { z } from 'zod';
import { CONFIG_META, InventoryFileSchema } from './schema.js';

/** Where the schema lives, relative to the package root. */
export const JSON_SCHEMA_PATH = 'schema/asg-deploy.schema.json';

/** The JSON Schema of the inventory file, as an object. */
export function inventoryJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(InventoryFileSchema, {
    target: 'draft-07',
    metadata: CONFIG_META,
    io: 'input',
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
}

/** The JSON Schema as the committed file holds it: two-space JSON and a final newline. */
export function inventoryJsonSchemaText(): string {
  return `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`;
}
