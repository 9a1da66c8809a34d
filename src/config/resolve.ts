/**
 * From the file's shape to the settings commands use: defaults merged under
 * each app and environment, durations in milliseconds, amounts as count or
 * percent, ids told apart from names. Also the checks that span several keys
 * (group and bluegreen together, a region from somewhere, unique names).
 *
 * Merge order, later wins: built-in defaults < `defaults:` < the app < its
 * environment. Blocks (`strategy`, `image`, `health`, `image.tags`) merge key
 * by key; the deploy target (`group` or `bluegreen`) comes whole from the most
 * specific level that sets one.
 *
 * @example
 *   resolveInventory(file, 'asg-deploy.yaml').apps['web-prod'].strategy.maxSurge // { kind: 'percent', percent: 25 }
 */
import { resolveGuardrailSettings, type GuardrailSettings } from './guardrail-settings.js';
import { parseDuration } from '../core/duration.js';
import type { Amount } from '../core/amount.js';
import { DEFAULT_MAX_SURGE, parseSurge } from '../core/surge.js';
import { DEFAULT_MIN_HEALTHY, parseMinHealthy } from '../core/floor.js';
import { LAUNCH_TEMPLATE_ID, type AppEntry, type DefaultsEntry, type EnvironmentEntry, type InventoryFile } from './schema.js';
import { formatPath, type ConfigPath, type RawProblem } from './validate.js';

/** prune keeps this many newest images per app unless told otherwise. */
export const DEFAULT_IMAGE_KEEP = 5;

/** A launch template by id (`lt-…`) or by name. */
export type LaunchTemplateSelector = { id: string; name?: undefined } | { name: string; id?: undefined };

/** The instance bake images: by id, or the running instance carrying all these tags. */
export type SourceInstanceSelector =
  | { instanceId: string; tags?: undefined }
  | { tags: Readonly<Record<string, string>>; instanceId?: undefined };

export interface BlueGreenPair {
  blue: string;
  green: string;
}

export interface StrategySettings {
  /** Count or percentage above the desired capacity (core resolveSurge turns it into instances). Default 25 %. */
  maxSurge: Amount;
  /** The floor, count or percentage of the desired capacity at the start (core resolveFloor). Default 100 %. */
  minHealthy: Amount;
  /** Unset: the deploy engine picks (0 with target groups, else the group's warmup). */
  warmupMs?: number;
  /** Unset: the deploy engine's default. */
  timeoutMs?: number;
  /** Unset: the deploy engine's default. */
  maxFailedLaunches?: number;
}

export interface ImageSettings {
  /** Baked images are named PREFIX-YYYYMMDD-HHMMSS. Default: the app's name. */
  namePrefix: string;
  /** prune keeps this many newest images. Default 5. */
  keep: number;
  /** prune never deletes an image younger than this. Unset: no age limit. */
  olderThanMs?: number;
  /** Extra tags for baked images. */
  tags: Readonly<Record<string, string>>;
}

export interface HealthSettings {
  /** Refuse groups without target groups. Default false. */
  requireTargetGroups: boolean;
}

/** One app as commands see it: everything resolved, nothing left to merge. */
export interface AppConfig {
  /** The name after `--app`: the app's key, or APP-ENV for an environment (`web-prod`). */
  name: string;
  /** The app's key under `apps:`. */
  app: string;
  /** The environment's key under `envs:`, when the app has environments. */
  env?: string;
  region: string;
  profile?: string;
  /** The group roll, shrink and swap deploy onto. Never set together with `bluegreen`. */
  group?: string;
  /** The pair bluegreen, rollback and finish use. Never set together with `group`. */
  bluegreen?: BlueGreenPair;
  launchTemplate?: LaunchTemplateSelector;
  sourceInstance?: SourceInstanceSelector;
  image: ImageSettings;
  strategy: StrategySettings;
  health: HealthSettings;
  /** Alarms, checkpoints, bake time, the user's check (guardrail-settings.ts); absent when no level has a guardrails block. */
  guardrails?: GuardrailSettings;
  /** Where the app is defined, for messages: the file and the path inside it (`apps.web.envs.prod`). */
  source: { file: string; path: string };
}

export interface Inventory {
  /** The file it was read from, as the user would name it. */
  file: string;
  /** Every app by its `--app` name, in file order. */
  apps: Readonly<Record<string, AppConfig>>;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `--app` name of an app's environment. */
export function environmentAppName(app: string, env: string): string {
  return `${app}-${env}`;
}

/**
 * Problems that span keys, found on the parsed data even when it has other
 * problems (so they are all reported at once); it never throws on odd data.
 */
export function checkInventoryData(data: unknown): RawProblem[] {
  const problems: RawProblem[] = [];
  if (!isMapping(data) || !isMapping(data.apps)) return problems;
  const defaults = isMapping(data.defaults) ? data.defaults : {};
  const apps = data.apps;
  if (Object.keys(apps).length === 0) {
    problems.push({ path: ['apps'], at: 'key', message: 'has no apps; add one, e.g. "web:" with "region: us-east-1" and "group: web-asg" under it' });
  }

  const checkTarget = (level: Record<string, unknown>, path: ConfigPath) => {
    if (level.group !== undefined && level.bluegreen !== undefined) {
      problems.push({
        path: [...path, 'bluegreen'],
        at: 'key',
        message: 'both group and bluegreen are set; keep group (for roll, shrink and swap) or bluegreen (for blue/green deploys), not both',
      });
    }
    const pair = level.bluegreen;
    if (isMapping(pair) && typeof pair.blue === 'string' && pair.blue === pair.green) {
      problems.push({ path: [...path, 'bluegreen', 'green'], at: 'value', message: `"${pair.green}" is also the blue group; a pair needs two different groups, e.g. ${pair.blue}-green` });
    }
  };
  const checkRegion = (levels: Record<string, unknown>[], path: ConfigPath) => {
    if (levels.every((level) => level.region === undefined)) {
      problems.push({ path: [...path, 'region'], at: 'key', message: 'missing; add region: us-east-1 here, or once under defaults: for every app' });
    }
  };

  const names = new Map<string, string>();
  for (const name of Object.keys(apps)) names.set(name, formatPath(['apps', name]));
  for (const [name, app] of Object.entries(apps)) {
    if (!isMapping(app)) continue;
    const appPath = ['apps', name];
    checkTarget(app, appPath);
    if (app.envs === undefined) {
      checkRegion([defaults, app], appPath);
      continue;
    }
    if (!isMapping(app.envs)) continue;
    if (Object.keys(app.envs).length === 0) {
      problems.push({ path: [...appPath, 'envs'], at: 'key', message: 'has no environments; add one (e.g. "prod:" with "group: web-prod") or remove envs' });
    }
    for (const [envName, env] of Object.entries(app.envs)) {
      if (!isMapping(env)) continue;
      const envPath = [...appPath, 'envs', envName];
      checkTarget(env, envPath);
      checkRegion([defaults, app, env], envPath);
      const full = environmentAppName(name, envName);
      const other = names.get(full);
      if (other !== undefined) {
        problems.push({
          path: envPath,
          at: 'key',
          message: `makes an app named "${full}", which ${other} already is; rename the environment or that app`,
        });
      }
      names.set(full, formatPath(envPath));
    }
  }
  return problems;
}

type Level = DefaultsEntry | AppEntry | EnvironmentEntry;

function last<T>(values: readonly (T | undefined)[]): T | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== undefined) return values[i];
  return undefined;
}

function launchTemplateSelector(value: string): LaunchTemplateSelector {
  return LAUNCH_TEMPLATE_ID.test(value) ? { id: value } : { name: value };
}

function resolveAppConfig(file: string, name: string, app: string, env: string | undefined, path: ConfigPath, levels: readonly Level[]): AppConfig {
  const targets = levels as readonly Partial<AppEntry>[];
  const targetLevel = last(targets.map((level) => (level.group !== undefined || level.bluegreen !== undefined ? level : undefined)));
  const strategy = Object.assign({}, ...levels.map((level) => level.strategy ?? {})) as NonNullable<Level['strategy']>;
  const image = Object.assign({}, ...levels.map((level) => level.image ?? {})) as NonNullable<AppEntry['image']>;
  const health = Object.assign({}, ...levels.map((level) => level.health ?? {})) as NonNullable<Level['health']>;
  const tags = Object.assign({}, ...levels.map((level) => level.image?.tags ?? {})) as Record<string, string>;
  const region = last(levels.map((level) => level.region));
  if (region === undefined) throw new Error(`internal: ${formatPath(path)} has no region after checks`);
  const profile = last(levels.map((level) => level.profile));
  const launchTemplate = last(targets.map((level) => level.launchTemplate));
  const sourceInstance = last(targets.map((level) => level.sourceInstance));
  const bluegreen = targetLevel?.bluegreen;

  return {
    name,
    app,
    ...(env === undefined ? {} : { env }),
    region,
    ...(profile === undefined ? {} : { profile }),
    ...(targetLevel?.group === undefined ? {} : { group: targetLevel.group }),
    ...(bluegreen === undefined
      ? {}
      : { bluegreen: bluegreen === true ? { blue: `${name}-blue`, green: `${name}-green` } : { blue: bluegreen.blue, green: bluegreen.green } }),
    ...(launchTemplate === undefined ? {} : { launchTemplate: launchTemplateSelector(launchTemplate) }),
    ...(sourceInstance === undefined
      ? {}
      : { sourceInstance: typeof sourceInstance === 'string' ? { instanceId: sourceInstance } : { tags: { ...sourceInstance.tag } } }),
    image: {
      namePrefix: image.namePrefix ?? name,
      keep: image.keep ?? DEFAULT_IMAGE_KEEP,
      ...(image.olderThan === undefined ? {} : { olderThanMs: parseDuration(image.olderThan, `${formatPath(path)}.image.olderThan`) }),
      tags,
    },
    strategy: {
      maxSurge: strategy.maxSurge === undefined ? DEFAULT_MAX_SURGE : parseSurge(strategy.maxSurge),
      minHealthy: strategy.minHealthy === undefined ? DEFAULT_MIN_HEALTHY : parseMinHealthy(strategy.minHealthy),
      ...(strategy.warmup === undefined ? {} : { warmupMs: parseDuration(strategy.warmup) }),
      ...(strategy.timeout === undefined ? {} : { timeoutMs: parseDuration(strategy.timeout) }),
      ...(strategy.maxFailedLaunches === undefined ? {} : { maxFailedLaunches: strategy.maxFailedLaunches }),
    },
    health: { requireTargetGroups: health.requireTargetGroups ?? false },
    ...(levels.some((level) => level.guardrails !== undefined)
      ? { guardrails: resolveGuardrailSettings(levels.map((level) => level.guardrails), `${formatPath(path)}.guardrails`) }
      : {}),
    source: { file, path: formatPath(path) },
  };
}

/**
 * Resolves a valid file (one that {@link validateInventoryData} and
 * {@link checkInventoryData} found no problem in) into apps by `--app` name.
 */
export function resolveInventory(data: InventoryFile, file: string): Inventory {
  const defaults = data.defaults ?? {};
  const apps: Record<string, AppConfig> = {};
  for (const [name, app] of Object.entries(data.apps)) {
    if (app.envs === undefined) {
      apps[name] = resolveAppConfig(file, name, name, undefined, ['apps', name], [defaults, app]);
      continue;
    }
    const { envs, ...appLevel } = app;
    for (const [envName, env] of Object.entries(envs)) {
      const full = environmentAppName(name, envName);
      apps[full] = resolveAppConfig(file, full, name, envName, ['apps', name, 'envs', envName], [defaults, appLevel, env]);
    }
  }
  return { file, apps };
}
