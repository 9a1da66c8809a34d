import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  JSON_SCHEMA_PATH,
  PERCENT_0_TO_1000,
  REGION,
  SCHEMA_COMMENT,
  inventoryJsonSchema,
  inventoryJsonSchemaText,
  loadInventory,
} from '../../src/config/index.js';
import { packageRoot, writeJsonSchema } from '../../src/config/write-json-schema.js';
import { withTempDir } from './helpers.js';

const root = packageRoot();

test(`the committed ${JSON_SCHEMA_PATH} is up to date with the zod schema`, async () => {
  const committed = await readFile(path.join(root, JSON_SCHEMA_PATH), 'utf8');
  assert.equal(
    committed,
    inventoryJsonSchemaText(),
    `${JSON_SCHEMA_PATH} is out of date: run \`npx tsc -p tsconfig.json && node dist/src/config/write-json-schema.js\` and commit the result`,
  );
});

test('the JSON Schema is draft-07, closed to unknown keys, with the same patterns as the zod schema', () => {
  const schema = inventoryJsonSchema() as {
    $schema: string;
    additionalProperties: unknown;
    required: string[];
    definitions: Record<string, { additionalProperties: unknown; properties: Record<string, any> }>;
  };
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['apps']);
  const appSchema = schema.definitions.App!;
  assert.equal(appSchema.additionalProperties, false);
  assert.equal(appSchema.properties.region.pattern, REGION.source);
  assert.equal(appSchema.properties.strategy.additionalProperties, false);
  assert.deepEqual(
    appSchema.properties.strategy.properties.maxSurge.anyOf.map((branch: { type: string; pattern?: string }) => branch.pattern ?? branch.type),
    ['integer', PERCENT_0_TO_1000.source],
  );
  assert.match(appSchema.properties.strategy.properties.maxSurge.description, /count .* or a percentage/);
  assert.ok(schema.definitions.Environment, 'environments have their own definition');
});

test('writeJsonSchema writes exactly the generated text', async () => {
  await withTempDir(async (dir) => {
    const written = writeJsonSchema(dir);
    assert.equal(written, path.join(dir, JSON_SCHEMA_PATH));
    assert.equal(await readFile(written, 'utf8'), inventoryJsonSchemaText());
  });
});

test('asg-deploy.example.yaml validates, points editors at the schema, and shows every kind of app', async () => {
  const text = await readFile(path.join(root, 'asg-deploy.example.yaml'), 'utf8');
  assert.ok(text.startsWith(`${SCHEMA_COMMENT}\n`));
  const inventory = await loadInventory({ cwd: root, file: 'asg-deploy.example.yaml' });
  assert.ok(inventory !== undefined);
  const apps = Object.values(inventory.apps);
  assert.ok(apps.some((app) => app.group !== undefined), 'a single-group app');
  assert.ok(apps.some((app) => app.bluegreen !== undefined), 'a blue/green app');
  assert.ok(apps.some((app) => app.env !== undefined), 'an app with environments');
  assert.ok(apps.some((app) => app.sourceInstance?.tags !== undefined), 'a source instance found by tag');
  assert.ok(apps.some((app) => app.sourceInstance?.instanceId !== undefined), 'a source instance by id');
});
