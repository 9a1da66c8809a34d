/**
 * The schema of the app inventory `asg-deploy.yaml`: every key, its type and
 * allowed values, and for each the message that names a bad value and says
 * what to write instead. The JSON Schema for editors is generated from it
 * (json-schema.ts); values are turned into settings (ms, amounts) by resolve.ts.
 *
 * @example
 *   const result = InventoryFileSchema.safeParse(parsedYaml);
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------
// Value formats (exported: they are the documented contract, and tests use them)

/** An EC2 instance id: `i-` then 8 (old style) up to 17 hex digits. */
export const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
/** A launch template id: `lt-` then 17 hex digits. */
export const LAUNCH_TEMPLATE_ID = /^lt-[0-9a-f]{17}$/;
/**
 * A launch template id, or a name (3–128 of `A-Za-z0-9().\/_-`, per
 * CreateLaunchTemplate). A name that starts with `lt-` is read as an id.
 */
export const LAUNCH_TEMPLATE = /^(?:lt-[0-9a-f]{17}|(?!lt-)[A-Za-z0-9()./_-]{3,128})$/;
/** An AWS region: `us-east-1`, `eu-west-2`, `us-gov-west-1`, `cn-northwest-1`. */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** An availability zone, the usual thing typed by mistake for a region. */
const AVAILABILITY_ZONE = /^([a-z]{2}(?:-[a-z]+)+-\d{1,2})[a-z]$/;
/**
 * A duration as core's parseDuration reads it, lowercase: numbers with units
 * d, h, m, s, ms, largest first, each at most once (`90s`, `5m`, `1h30m`, `30d`), or `0`.
 */
export const DURATION = /^(?:0|(?=\d)(?:\d+(?:\.\d+)?d)?(?:\d+(?:\.\d+)?h)?(?:\d+(?:\.\d+)?m)?(?:\d+(?:\.\d+)?s)?(?:\d+(?:\.\d+)?ms)?)$/;
/** A percentage from 0% to 100%. */
export const PERCENT_0_TO_100 = /^(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)%$/;
/** A percentage from 0% to 1000% (a surge may be up to 10× the group, core MAX_SURGE_PERCENT). */
export const PERCENT_0_TO_1000 = /^(?:1000(?:\.0+)?|\d{1,3}(?:\.\d+)?)%$/;
/** An app or environment name, as typed after `--app`. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/**
 * An AMI name prefix: AMI names allow `A-Za-z0-9()[] ./'@_-` and 128 characters;
 * bake appends `-YYYYMMDD-HHMMSS` (16), so the prefix keeps to 112, no spaces.
 */
export const IMAGE_NAME_PREFIX = /^[A-Za-z0-9()[\]./'@_-]{1,112}$/;
/** A tag key: 1–128 characters, not in the reserved `aws:` namespace. */
export const TAG_KEY = /^(?!aws:)[\s\S]{1,128}$/;

// ---------------------------------------------------------------------------
// Messages: each names the bad value and ends with the fix.

/** A value as the user wrote it: strings quoted, numbers bare, collections by kind. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

type Fix = (input: unknown) => string;

/** The zod `error` option for a field whose every issue gets the same fix. */
function fixedBy(fix: Fix): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => fix(issue.input) };
}

/**
 * The common openings: missing, empty, a number/boolean where text was wanted.
 * `what` is the thing expected, `example` how to write one.
 */
function textFix(what: string, example: string, why?: (input: string) => string | undefined): Fix {
  return (input) => {
    if (input === undefined) return `missing; add ${example}`;
    if (input === null) return `is empty; write ${what}, e.g. ${example}`;
    if (typeof input === 'number' || typeof input === 'boolean') {
      return `${showValue(input)} is a ${typeof input}, not ${what}; quote it: "${String(input)}"`;
    }
    if (typeof input === 'string') return why?.(input) ?? `${showValue(input)} is not ${what}; write e.g. ${example}`;
    return `${showValue(input)} is not ${what}; write e.g. ${example}`;
  };
}

const regionFix = textFix('an AWS region', 'region: us-east-1', (input) => {
  const zone = AVAILABILITY_ZONE.exec(input);
  if (zone !== null) return `"${input}" is an availability zone, not a region; write its region: ${zone[1]}`;
  if (REGION.test(input.toLowerCase())) return `"${input}" must be lowercase; write ${input.toLowerCase()}`;
  return `"${input}" is not an AWS region; write a region name such as us-east-1 or eu-west-2`;
});

const launchTemplateFix = textFix('a launch template id or name', 'launchTemplate: lt-0123456789abcdef0', (input) =>
  /^lt-/i.test(input)
    ? `"${input}" is not a launch template id (lt- and 17 lowercase hex digits); write the whole id, e.g. lt-0123456789abcdef0, or the template's name`
    : `"${input}" is not a launch template name (3 to 128 letters, digits and ( ) . / _ -); write the template's name, or its id like lt-0123456789abcdef0`,
);

function durationFix(key: string, example: string): Fix {
  return (input) => {
    if (input === undefined) return `missing; add ${key}: ${example}`;
    if (typeof input === 'number') return `${input} has no unit; write "${input}s" or "${input}m" (units: ms, s, m, h, d)`;
    return `${showValue(input)} is not a duration; write a number with a unit, largest first, e.g. ${example} (90s, 5m, 1h30m, 30d)`;
  };
}

function countFix(key: string, min: number, example: number): Fix {
  return (input) => {
    if (input === undefined) return `missing; add ${key}: ${example}`;
    if (typeof input === 'string' && /^\d+$/.test(input.trim())) return `"${input}" is text; write the number without quotes: ${key}: ${input.trim()}`;
    if (typeof input === 'number' && Number.isInteger(input) && input < min) return `${input} is too small; write a whole number of at least ${min}, e.g. ${key}: ${example}`;
    return `${showValue(input)} is not a whole number; write a whole number of at least ${min}, e.g. ${key}: ${example}`;
  };
}

function amountFix(maxPercent: number, example: string): Fix {
  const write = `write a number of instances such as 2, or a percentage in quotes such as "${example}"`;
  return (input) => {
    if (input === undefined) return `missing; ${write}`;
    if (typeof input === 'string') {
      const text = input.trim();
      if (/^\d+$/.test(text)) return `"${input}" is not a count or a percentage; write ${text} (instances, no quotes) or "${text}%"`;
      const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
      if (percent !== null && Number(percent[1]) > maxPercent) return `"${input}" is more than ${maxPercent}%; write a percentage from 0% to ${maxPercent}%, or a count`;
      if (percent !== null) return `"${input}" is not written as a percentage; write it without spaces, e.g. "${percent[1]}%"`;
    }
    if (typeof input === 'number' && input < 0) return `${input} is negative; write 0 or more instances, or a percentage such as "${example}"`;
    if (typeof input === 'number') return `${input} is not a whole number of instances; write ${Math.floor(input)} or ${Math.ceil(input)}, or a percentage such as "${example}"`;
    return `${showValue(input)} is not a count or a percentage; ${write}`;
  };
}

const booleanFix = (key: string): Fix => (input) =>
  input === undefined ? `missing; add ${key}: true` : `${showValue(input)} is not true or false; write ${key}: true or ${key}: false`;

// ---------------------------------------------------------------------------
// Field schemas. Metadata for the JSON Schema goes in a registry of our own
// (not zod's global one), so nothing else's toJSONSchema picks it up.

export interface ConfigMeta {
  id?: string;
  title?: string;
  description?: string;
  examples?: unknown[];
  default?: unknown;
  minProperties?: number;
  [key: string]: unknown;
}

/** Descriptions, examples and defaults of the schema, for the generated JSON Schema. */
export const CONFIG_META = z.registry<ConfigMeta>();

function text(pattern: RegExp, fix: Fix) {
  return z.string(fixedBy(fix)).regex(pattern, fixedBy(fix));
}

const region = () =>
  text(REGION, regionFix).register(CONFIG_META, {
    description: 'AWS region of the app (e.g. us-east-1). Required for every app, here or under defaults.',
    examples: ['us-east-1', 'eu-west-2'],
  });

const profile = () =>
  z
    .string(fixedBy(textFix('a profile name', 'profile: prod')))
    .min(1, fixedBy(textFix('a profile name', 'profile: prod')))
    .register(CONFIG_META, { description: 'Named AWS profile (from ~/.aws/config) to use for this app. Default: the usual credential chain.', examples: ['prod'] });

const groupNameFix = textFix('an Auto Scaling group name', 'web-asg');
const groupName = (description: string) =>
  z
    .string(fixedBy(groupNameFix))
    .min(1, fixedBy(groupNameFix))
    .max(255, fixedBy(() => 'is longer than 255 characters, the limit for an Auto Scaling group name; write the group\'s real name'))
    .register(CONFIG_META, { description, examples: ['web-asg'] });

const launchTemplate = () =>
  text(LAUNCH_TEMPLATE, launchTemplateFix).register(CONFIG_META, {
    description: 'Launch template of the app: an id (lt- and 17 hex digits) or a name. bake adds versions to it; deploys pin the group to a version of it.',
    examples: ['lt-0123456789abcdef0', 'web-template'],
  });

const tagMap = (example: string) =>
  z.record(
      text(TAG_KEY, (input) =>
        typeof input === 'string' && input.startsWith('aws:')
          ? `tag key "${input}" is in the reserved aws: namespace; choose a key without the aws: prefix`
          : `tag key ${showValue(input)} is not 1 to 128 characters; shorten it`,
      ),
      z
        .string(fixedBy(textFix('a tag value', `${example}`)))
        .max(256, fixedBy((input) => `tag value ${showValue(input)} is longer than 256 characters; shorten it`)),
  );

const instanceIdFix = textFix('an instance id', 'i-0123456789abcdef0', (input) =>
  `"${input}" is not an instance id (i- and 8 to 17 lowercase hex digits); write e.g. i-0123456789abcdef0, or find the instance by tag: { tag: { Name: web-builder } }`,
);

const sourceInstance = () =>
  z
    .union(
      [
        text(INSTANCE_ID, instanceIdFix),
        z
          .strictObject({
            tag: tagMap('Name: web-builder')
              .refine((tags) => Object.keys(tags).length > 0, fixedBy(() => 'is empty; give at least one tag, e.g. { Name: web-builder }'))
              .register(CONFIG_META, { description: 'Tags the source instance carries (all must match).', minProperties: 1, examples: [{ Name: 'web-builder' }] }),
          })
          .register(CONFIG_META, { description: 'Find the source instance by its tags.' }),
      ],
      fixedBy((input) =>
        input === null
          ? 'is empty; write an instance id like i-0123456789abcdef0, or { tag: { Name: web-builder } }'
          : `${showValue(input)} is not an instance id or a tag filter; write an instance id like i-0123456789abcdef0, or { tag: { Name: web-builder } }`,
      ),
    )
    .register(CONFIG_META, {
      description: 'The running instance that bake images: an instance id, or { tag: { KEY: VALUE } } to find it by its tags.',
      examples: ['i-0123456789abcdef0', { tag: { Name: 'web-builder' } }],
    });

const bluegreen = () =>
  z
    .union(
      [
        z.literal(true),
        z
          .strictObject({
            blue: groupName('The blue Auto Scaling group.'),
            green: groupName('The green Auto Scaling group.'),
          })
          .register(CONFIG_META, { description: 'The two Auto Scaling groups of the pair.' }),
      ],
      fixedBy((input) =>
        input === false || input === null
          ? `${showValue(input)} turns nothing off; remove bluegreen, or write bluegreen: true, or { blue: web-blue, green: web-green }`
          : `${showValue(input)} is not a blue/green pair; write { blue: web-blue, green: web-green }, or true for the groups NAME-blue and NAME-green`,
      ),
    )
    .register(CONFIG_META, {
      description:
        'A blue/green pair of Auto Scaling groups for bluegreen/rollback/finish: { blue: NAME, green: NAME }, or true for APP-blue and APP-green. Use either group or bluegreen.',
      examples: [{ blue: 'web-blue', green: 'web-green' }, true],
    });

const duration = (key: string, example: string, description: string, options: { positive?: boolean } = {}) => {
  const fix = durationFix(key, example);
  const base = text(DURATION, fix);
  const checked = options.positive
    ? base.refine((value) => !DURATION.test(value) || /[1-9]/.test(value), fixedBy((input) => `${showValue(input)} is no time at all; write more than 0, e.g. ${example}`))
    : base;
  return checked.register(CONFIG_META, { description, examples: [example] });
};

const count = (key: string, min: number, example: number, description: string, defaultValue?: number) =>
  z
    .int(fixedBy(countFix(key, min, example)))
    .min(min, fixedBy(countFix(key, min, example)))
    .register(CONFIG_META, { description, examples: [example], ...(defaultValue === undefined ? {} : { default: defaultValue }) });

const amount = (maxPercent: number, percentPattern: RegExp, example: string, description: string, defaultValue: string) => {
  const fix = amountFix(maxPercent, example);
  return z
    .union([z.int(fixedBy(fix)).min(0, fixedBy(fix)), text(percentPattern, fix)], fixedBy(fix))
    .register(CONFIG_META, { description, examples: [2, example], default: defaultValue });
};

// ---------------------------------------------------------------------------
// Blocks. Shapes are exported so messages can say where a misplaced key belongs.

export const STRATEGY_SHAPE = {
  maxSurge: amount(
    1000,
    PERCENT_0_TO_1000,
    '25%',
    'How many instances may exist above the desired capacity during a deploy: a count (2) or a percentage of the desired capacity ("25%"). At least 1 is used.',
    '25%',
  ).optional(),
  minHealthy: amount(
    100,
    PERCENT_0_TO_100,
    '100%',
    'The floor: how many instances must be serving at every instant, a count or a percentage ("90%") of the desired capacity at the start.',
    '100%',
  ).optional(),
  warmup: duration(
    'warmup',
    '30s',
    'How long a new instance must have been healthy before it counts as ready. Default: 0 with target groups, else the group\'s DefaultInstanceWarmup or grace period.',
  ).optional(),
  timeout: duration('timeout', '30m', 'How long one wave may take to become ready before the deploy rolls back.', { positive: true }).optional(),
  maxFailedLaunches: count('maxFailedLaunches', 0, 3, 'How many new instances may fail (be killed and replaced by the group) before the deploy rolls back.').optional(),
};

export const IMAGE_SHAPE = {
  namePrefix: text(
    IMAGE_NAME_PREFIX,
    textFix('an image name prefix', 'namePrefix: web', (input) =>
      `"${input}" is not an image name prefix (up to 112 letters, digits and ( ) [ ] . / ' @ _ -, no spaces); write e.g. namePrefix: web`,
    ),
  )
    .register(CONFIG_META, { description: 'Prefix of baked image names (PREFIX-YYYYMMDD-HHMMSS); prune counts an image as belonging to the app when it is tagged app=APP, or untagged and named exactly PREFIX-YYYYMMDD-HHMMSS. Default: the app name.', examples: ['web'] })
    .optional(),
  keep: count('keep', 1, 5, 'prune keeps this many newest images of the app.', 5).optional(),
  olderThan: duration('olderThan', '30d', 'prune never deletes an image younger than this.').optional(),
  tags: tagMap('team: web')
    .register(CONFIG_META, { description: 'Extra tags for baked images (added to the app and source-instance tags).', examples: [{ team: 'web' }] })
    .optional(),
};

export const HEALTH_SHAPE = {
  requireTargetGroups: z
    .boolean(fixedBy(booleanFix('requireTargetGroups')))
    .register(CONFIG_META, {
      description: 'Refuse to deploy onto a group with no target groups (whose only health signal would be EC2 status checks).',
      default: false,
    })
    .optional(),
};

/** `10%` … `99%`: one checkpoint (core parseCheckpoints checks the order). */
const CHECKPOINT_ITEM = /^(?:\d{1,2}(?:\.\d+)?)%$/;

function checkpointsFix(input: unknown): string {
  const write = 'write percentages of the fleet in ascending order, each above 0% and below 100%, e.g. checkpoints: "10%,50%" or ["10%", "50%"]';
  if (input === undefined) return `missing; ${write}`;
  if (typeof input === 'number') return `${input} has no %; ${write}`;
  return `${showValue(input)} is not a list of checkpoints; ${write}`;
}

/** Ascending, unique, each in (0%, 100%): what Instance Refresh's CheckpointPercentages also demands. */
function ascendingPercents(value: string | readonly string[]): boolean {
  const items = (typeof value === 'string' ? value.split(',') : [...value]).map((v) => v.trim()).filter((v) => v !== '');
  if (items.length === 0) return false;
  let last = 0;
  for (const item of items) {
    if (!CHECKPOINT_ITEM.test(item)) return false;
    const p = Number(item.slice(0, -1));
    if (p <= last) return false;
    last = p;
  }
  return true;
}

const alarmNameFix = textFix('a CloudWatch alarm name', 'alarms: [web-5xx]');

export const GUARDRAILS_SHAPE = {
  alarms: z
    .array(z.string(fixedBy(alarmNameFix)).min(1, fixedBy(alarmNameFix)).max(255, fixedBy(() => 'is longer than 255 characters, the limit for a CloudWatch alarm name')), fixedBy((input) => `${showValue(input)} is not a list of alarm names; write alarms: [web-5xx, web-latency]`))
    .register(CONFIG_META, {
      description: 'CloudWatch alarms (metric or composite) watched for the whole deploy and its bake time: one going to ALARM stops the deploy and rolls back. A deploy refuses to start if one does not exist or is already in ALARM. Same as --alarm.',
      examples: [['web-5xx', 'web-latency']],
    })
    .optional(),
  checkpoints: z
    .union([z.string(fixedBy(checkpointsFix)), z.array(z.string(fixedBy(checkpointsFix)), fixedBy(checkpointsFix))], fixedBy(checkpointsFix))
    .refine(ascendingPercents, fixedBy(checkpointsFix))
    .register(CONFIG_META, {
      description: 'Shares of the fleet on the new version at which the deploy stops launching and pauses (checkpointPause), watching all the while. Same as --checkpoints.',
      examples: ['10%,50%', ['10%', '50%']],
    })
    .optional(),
  checkpointPause: z
    .string(fixedBy(durationFix('checkpointPause', '10m')))
    .refine((v) => v.trim().toLowerCase() === 'wait' || DURATION.test(v), fixedBy((input) => `${showValue(input)} is neither a duration nor wait; write e.g. checkpointPause: 10m, or checkpointPause: wait (until \`asg-deploy continue GROUP\`)`))
    .register(CONFIG_META, {
      description: 'How long to pause at each checkpoint, or wait until `asg-deploy continue GROUP`. Default 1h, as Instance Refresh\'s CheckpointDelay. Same as --checkpoint-pause.',
      examples: ['10m', 'wait'],
    })
    .optional(),
  bakeTime: duration('bakeTime', '10m', 'After the last instance is replaced (after the switch, for blue/green), keep watching alarms, health and checks this long before calling the deploy done; a failure then still rolls back. Same as --bake-time.').optional(),
  check: z
    .string(fixedBy(textFix('a shell command', 'check: curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health')))
    .min(1, fixedBy(textFix('a shell command', 'check: curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health')))
    .register(CONFIG_META, {
      description:
        'Your smoke test, run by /bin/sh once for each new instance when it is ready, with ASG_DEPLOY_GROUP, ASG_DEPLOY_INSTANCE_ID, ASG_DEPLOY_PRIVATE_IP, ASG_DEPLOY_VERSION and ASG_DEPLOY_DEPLOY_ID set. Exit 0 admits the instance; anything else is a failed launch. Same as --check.',
      examples: ['curl -fsS --max-time 5 http://$ASG_DEPLOY_PRIVATE_IP:8080/health'],
    })
    .optional(),
  checkTimeout: duration('checkTimeout', '30s', 'How long one run of check may take before it counts as failed. Default 5m. Same as --check-timeout.', { positive: true }).optional(),
};

const guardrailsBlock = () =>
  z.strictObject(GUARDRAILS_SHAPE).register(CONFIG_META, { description: 'Guardrails beyond health checks: alarms, checkpoints, bake time and your own check (flags on the command line override them).' });

const strategyBlock = () =>
  z.strictObject(STRATEGY_SHAPE).register(CONFIG_META, { description: 'Deploy settings (flags on the command line override them).' });
const imageBlock = () => z.strictObject(IMAGE_SHAPE).register(CONFIG_META, { description: 'Image settings for bake and prune.' });
const defaultsImageBlock = () =>
  z.strictObject({ keep: IMAGE_SHAPE.keep, olderThan: IMAGE_SHAPE.olderThan, tags: IMAGE_SHAPE.tags }).register(CONFIG_META, {
    description: 'Image settings for bake and prune, for every app (namePrefix is per app).',
  });
const healthBlock = () => z.strictObject(HEALTH_SHAPE).register(CONFIG_META, { description: 'Health gates.' });

/** Keys any level (defaults, app, environment) may set. */
const SHARED_SHAPE = {
  region: region().optional(),
  profile: profile().optional(),
  strategy: strategyBlock().optional(),
  health: healthBlock().optional(),
  guardrails: guardrailsBlock().optional(),
};

/** Keys an app or an environment may set: where it is and what it deploys. */
export const TARGET_SHAPE = {
  ...SHARED_SHAPE,
  group: groupName('The Auto Scaling group that roll, shrink and swap deploy onto. Use either group or bluegreen.').optional(),
  bluegreen: bluegreen().optional(),
  launchTemplate: launchTemplate().optional(),
  sourceInstance: sourceInstance().optional(),
  image: imageBlock().optional(),
};

export const DEFAULTS_SHAPE = { ...SHARED_SHAPE, image: defaultsImageBlock().optional() };

const nameFix = (kind: 'app' | 'environment'): Fix => (input) =>
  `${kind} name ${showValue(input)} is not usable after --app; use letters, digits, - and _ (up to 64, starting with a letter or digit), e.g. ${kind === 'app' ? 'web' : 'prod'}`;

export const EnvironmentSchema = z
  .strictObject(TARGET_SHAPE)
  .register(CONFIG_META, { id: 'Environment', description: 'One environment of an app (resolved as APP-ENV, e.g. web-prod): any app key but envs, overriding the app\'s.' });

export const APP_SHAPE = {
  ...TARGET_SHAPE,
  envs: z
    .record(text(NAME, nameFix('environment')), EnvironmentSchema)
    .register(CONFIG_META, {
      description: 'Environments of this app, e.g. prod and staging; each becomes an app named APP-ENV (web-prod) that inherits everything set on the app.',
    })
    .optional(),
};

export const AppSchema = z.strictObject(APP_SHAPE).register(CONFIG_META, {
  id: 'App',
  description: 'An app: where it runs (region, group or bluegreen), what bake images (sourceInstance, launchTemplate) and how to deploy it.',
});

export const DefaultsSchema = z.strictObject(DEFAULTS_SHAPE).register(CONFIG_META, {
  id: 'Defaults',
  description: 'Settings every app inherits unless it sets its own (blocks are merged key by key).',
});

export const INVENTORY_SHAPE = {
  version: z
    .literal(1, fixedBy((input) => `${showValue(input)} is not a known inventory version; write version: 1 (or leave it out)`))
    .register(CONFIG_META, { description: 'Version of this file format.', default: 1 })
    .optional(),
  defaults: DefaultsSchema.optional(),
  apps: z
    .record(text(NAME, nameFix('app')), AppSchema, fixedBy((input) =>
      input === undefined
        ? 'missing; add an apps: mapping with at least one app (see asg-deploy.example.yaml)'
        : `${showValue(input)} is not a mapping of apps; write apps: then one app name per line, indented, e.g. "apps:\\n  web:\\n    group: web-asg"`,
    ))
    .register(CONFIG_META, { description: 'The apps, by name (the NAME of --app NAME).' }),
};

/** The whole file `asg-deploy.yaml`. */
export const InventoryFileSchema = z
  .strictObject(INVENTORY_SHAPE, fixedBy((input) =>
    `the file holds ${showValue(input)}, not a mapping; start it with apps: (see asg-deploy.example.yaml)`,
  ))
  .register(CONFIG_META, {
    title: 'asg-deploy inventory (asg-deploy.yaml)',
    description: 'The apps asg-deploy knows, so every command can take --app NAME instead of flags.',
  });

export type InventoryFile = z.infer<typeof InventoryFileSchema>;
export type AppEntry = z.infer<typeof AppSchema>;
export type EnvironmentEntry = z.infer<typeof EnvironmentSchema>;
export type DefaultsEntry = z.infer<typeof DefaultsSchema>;

/** The sub-blocks a level may hold, with their keys: where a misplaced key belongs. */
export const BLOCK_KEYS: Readonly<Record<string, readonly string[]>> = {
  strategy: Object.keys(STRATEGY_SHAPE),
  image: Object.keys(IMAGE_SHAPE),
  health: Object.keys(HEALTH_SHAPE),
  guardrails: Object.keys(GUARDRAILS_SHAPE),
  defaults: Object.keys(DEFAULTS_SHAPE),
};

/** Keys only an app (or one of its environments) may set. */
export const APP_ONLY_KEYS: readonly string[] = Object.keys(APP_SHAPE).filter((key) => !(key in DEFAULTS_SHAPE));
