/** The app inventory `asg-deploy.yaml`: so every command can take `--app NAME`. */
export { loadInventory, parseInventory, resolveApp, appNames, INVENTORY_FILE_NAMES, SCHEMA_COMMENT } from './load.js';
export type { LoadInventoryOptions } from './load.js';
export { ConfigError, isConfigError, formatProblem, BAD_CONFIG } from './config-error.js';
export type { ConfigProblem } from './config-error.js';
export { resolveInventory, checkInventoryData, environmentAppName, DEFAULT_IMAGE_KEEP } from './resolve.js';
export type {
  Inventory,
  AppConfig,
  StrategySettings,
  ImageSettings,
  HealthSettings,
  BlueGreenPair,
  LaunchTemplateSelector,
  SourceInstanceSelector,
} from './resolve.js';
export { validateInventoryData, formatPath } from './validate.js';
export type { RawProblem, ConfigPath } from './validate.js';
export {
  InventoryFileSchema,
  AppSchema,
  EnvironmentSchema,
  DefaultsSchema,
  CONFIG_META,
  INSTANCE_ID,
  LAUNCH_TEMPLATE_ID,
  LAUNCH_TEMPLATE,
  REGION,
  DURATION,
  PERCENT_0_TO_100,
  PERCENT_0_TO_1000,
  NAME,
  IMAGE_NAME_PREFIX,
  TAG_KEY,
} from './schema.js';
export type { InventoryFile, AppEntry, EnvironmentEntry, DefaultsEntry } from './schema.js';
export { inventoryJsonSchema, inventoryJsonSchemaText, JSON_SCHEMA_PATH } from './json-schema.js';
export { closest, editDistance } from './suggest.js';
export { resolveGuardrailSettings } from './guardrail-settings.js';
export type { GuardrailSettings } from './guardrail-settings.js';
