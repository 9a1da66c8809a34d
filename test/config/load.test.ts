import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { isAsgDeployError } from '../../src/core/errors.js';
import { ConfigError, appNames, loadInventory, parseInventory, resolveApp, type Inventory } from '../../src/config/index.js';
import { configErrorOf, withTempDir, writeFiles } from './helpers.js';

const VALID = `# yaml-language-server: $schema=./schema/asg-deploy.schema.json
defaults:
  region: us-east-1
  profile: prod
  strategy:
    maxSurge: 25%
    timeout: 20m
  image:
    olderThan: 30d
    tags: { team: platform }
apps:
  web:
    group: web-asg
    launchTemplate: lt-0a1b2c3d4e5f67890
    sourceInstance: { tag: { Name: web-builder } }
    strategy:
      maxSurge: 2
      warmup: 1m30s
      maxFailedLaunches: 0
    image:
      keep: 10
      tags: { app: web }
  checkout:
    region: eu-west-1
    bluegreen: { blue: checkout-blue, green: checkout-green }
    launchTemplate: checkout-template
    sourceInstance: i-0123456789abcdef0
    strategy: { minHealthy: 90% }
    health: { requireTargetGroups: true }
  shop:
    group: shop-default
    envs:
      prod:
        strategy: { maxSurge: 50% }
      release:
        bluegreen: true
        region: ap-southeast-2
`;

test('a valid file resolves: defaults merged, durations in ms, amounts as count or percent', async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { 'asg-deploy.yaml': VALID });
    const inventory = await loadInventory({ cwd: dir });
    assert.ok(inventory !== undefined);
    assert.equal(inventory.file, 'asg-deploy.yaml');
    assert.deepEqual(appNames(inventory), ['web', 'checkout', 'shop-prod', 'shop-release']);

    const web = resolveApp(inventory, 'web');
    assert.deepEqual(web, {
      name: 'web',
      app: 'web',
      region: 'us-east-1', // from defaults
      profile: 'prod', // from defaults
      group: 'web-asg',
      launchTemplate: { id: 'lt-0a1b2c3d4e5f67890' },
      sourceInstance: { tags: { Name: 'web-builder' } },
      image: { namePrefix: 'web', keep: 10, olderThanMs: 30 * 86_400_000, tags: { team: 'platform', app: 'web' } },
      strategy: {
        maxSurge: { kind: 'count', count: 2 }, // the app's count beats the defaults' 25%
        minHealthy: { kind: 'percent', percent: 100 }, // built-in default
        warmupMs: 90_000,
        timeoutMs: 20 * 60_000, // from defaults, merged key by key with the app's strategy
        maxFailedLaunches: 0,
      },
      health: { requireTargetGroups: false },
      source: { file: 'asg-deploy.yaml', path: 'apps.web' },
    });

    const checkout = resolveApp(inventory, 'checkout');
    assert.equal(checkout.region, 'eu-west-1');
    assert.deepEqual(checkout.bluegreen, { blue: 'checkout-blue', green: 'checkout-green' });
    assert.equal(checkout.group, undefined);
    assert.deepEqual(checkout.launchTemplate, { name: 'checkout-template' });
    assert.deepEqual(checkout.sourceInstance, { instanceId: 'i-0123456789abcdef0' });
    assert.deepEqual(checkout.strategy.maxSurge, { kind: 'percent', percent: 25 });
    assert.deepEqual(checkout.strategy.minHealthy, { kind: 'percent', percent: 90 });
    assert.equal(checkout.strategy.warmupMs, undefined);
    assert.equal(checkout.health.requireTargetGroups, true);
    assert.deepEqual(checkout.image, { namePrefix: 'checkout', keep: 5, olderThanMs: 2_592_000_000, tags: { team: 'platform' } });

    const prod = resolveApp(inventory, 'shop-prod');
    assert.equal(prod.app, 'shop');
    assert.equal(prod.env, 'prod');
    assert.equal(prod.group, 'shop-default'); // inherited from the app
    assert.deepEqual(prod.strategy.maxSurge, { kind: 'percent', percent: 50 });
    assert.equal(prod.image.namePrefix, 'shop-prod');
    assert.equal(prod.source.path, 'apps.shop.envs.prod');

    const release = resolveApp(inventory, 'shop-release');
    assert.equal(release.region, 'ap-southeast-2');
    assert.equal(release.group, undefined, 'an environment that sets bluegreen replaces the app\'s group');
    assert.deepEqual(release.bluegreen, { blue: 'shop-release-blue', green: 'shop-release-green' });
  });
});

test('asg-deploy.yml is found too; no file and no --config means no inventory', async () => {
  await withTempDir(async (dir) => {
    assert.equal(await loadInventory({ cwd: dir }), undefined);
    await writeFiles(dir, { 'asg-deploy.yml': 'apps:\n  web: { region: us-east-1, group: web-asg }\n' });
    const inventory = await loadInventory({ cwd: dir });
    assert.equal(inventory?.file, 'asg-deploy.yml');
    assert.equal(inventory?.apps.web?.group, 'web-asg');
  });
});

test('both asg-deploy.yaml and asg-deploy.yml: an error saying to keep one', async () => {
  await withTempDir(async (dir) => {
    const app = 'apps:\n  web: { region: us-east-1 }\n';
    await writeFiles(dir, { 'asg-deploy.yaml': app, 'asg-deploy.yml': app });
    const error = await configErrorOf(() => loadInventory({ cwd: dir }));
    assert.match(error.message, /both asg-deploy\.yaml and asg-deploy\.yml are here; keep one/);
  });
});

test('--config FILE is read relative to cwd, under any name', async () => {
  await withTempDir(async (dir) => {
    await writeFiles(dir, { 'prod.yaml': 'apps:\n  web: { region: us-west-2, group: web-asg }\n' });
    const inventory = await loadInventory({ cwd: dir, file: 'prod.yaml' });
    assert.equal(inventory?.file, 'prod.yaml');
    assert.equal(inventory?.apps.web?.region, 'us-west-2');
    const absolute = await loadInventory({ cwd: path.dirname(dir), file: path.join(dir, 'prod.yaml') });
    assert.equal(absolute?.file, path.join(path.basename(dir), 'prod.yaml'));
  });
});

test('a missing --config file is an error naming the file and the fix', async () => {
  await withTempDir(async (dir) => {
    const error = await configErrorOf(() => loadInventory({ cwd: dir, file: 'nope.yaml' }));
    assert.equal(error.code, 'BAD_CONFIG');
    assert.equal(error.fault, 'user');
    assert.deepEqual(error.problems.map((p) => [p.file, p.path]), [['nope.yaml', '']]);
    assert.match(error.message, /^nope\.yaml: config file not found; check the --config path/);
    const directory = await configErrorOf(() => loadInventory({ cwd: path.dirname(dir), file: path.basename(dir) }));
    assert.match(directory.message, /is a directory, not a config file; pass the file/);
  });
});

test('ConfigError is an AsgDeployError (code BAD_CONFIG, fault user) with the problems as details', () => {
  const error = new ConfigError([{ file: 'a.yaml', path: 'apps.web', line: 3, column: 5, message: 'bad; fix it' }]);
  assert.ok(isAsgDeployError(error));
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'ConfigError');
  assert.equal(error.message, 'a.yaml:3:5: apps.web: bad; fix it');
  assert.deepEqual(error.toJSON(), {
    code: 'BAD_CONFIG',
    fault: 'user',
    message: 'a.yaml:3:5: apps.web: bad; fix it',
    details: { problems: [{ file: 'a.yaml', path: 'apps.web', line: 3, column: 5, message: 'bad; fix it' }] },
  });
  assert.throws(() => new ConfigError([]), TypeError);
});

test('every problem is reported at once, in file order', async () => {
  const text = [
    'apps:', //                               1
    '  web:', //                              2
    '    region: us-east-1', //               3
    '    strategy:', //                       4
    '      warmup: 90', //                    5
    '      maxSurg: 2', //                    6
    '    image: { keep: 0 }', //              7
    '  api:', //                              8
    '    group: api-asg', //                  9
  ].join('\n');
  const error = await configErrorOf(() => parseInventory(text, 'asg-deploy.yaml'));
  assert.deepEqual(
    error.problems.map((p) => `${p.line}:${p.column} ${p.path}`),
    ['5:15 apps.web.strategy.warmup', '6:7 apps.web.strategy.maxSurg', '7:20 apps.web.image.keep', '8:3 apps.api.region'],
  );
  assert.match(error.message, /^asg-deploy\.yaml has 4 problems:\n {2}asg-deploy\.yaml:5:15: apps\.web\.strategy\.warmup: /);
  assert.match(error.hint ?? '', /yaml-language-server: \$schema=/);
});

// ---------------------------------------------------------------------------
// Bad files: each names the file, the exact path (and line), the bad value and the fix.

interface BadCase {
  name: string;
  yaml: string;
  /** The path the problem must name ('' for the file as a whole). */
  path: string;
  /** The line it must point at. */
  line?: number;
  /** Texts the message must hold: the bad value and the fix. */
  says: (string | RegExp)[];
}

const app = (body: string) => `apps:\n  web:\n    region: us-east-1\n${body}`;

const BAD: BadCase[] = [
  {
    name: 'unknown key, close to a known one',
    yaml: app('    strategy:\n      maxSurg: 2\n'),
    path: 'apps.web.strategy.maxSurg',
    line: 5,
    says: ['unknown key "maxSurg"', 'did you mean "maxSurge"?'],
  },
  {
    name: 'unknown key in snake_case, as seed 001 writes them',
    yaml: app('    launch_template: lt-0a1b2c3d4e5f67890\n'),
    path: 'apps.web.launch_template',
    line: 4,
    says: ['unknown key "launch_template"', 'did you mean "launchTemplate"?'],
  },
  {
    name: 'a real key in the wrong block',
    yaml: app('    maxSurge: 2\n'),
    path: 'apps.web.maxSurge',
    line: 4,
    says: ['maxSurge goes under strategy:', 'move it to apps.web.strategy.maxSurge'],
  },
  {
    name: 'an app-only key under defaults',
    yaml: 'defaults:\n  group: web-asg\n' + app(''),
    path: 'defaults.group',
    line: 2,
    says: ['group is set per app', 'move it to apps.NAME.group'],
  },
  {
    name: 'an unknown key with nothing close lists the allowed keys',
    yaml: app('    colour: blue\n'),
    path: 'apps.web.colour',
    line: 4,
    says: ['unknown key "colour"', 'remove it, or use one of: region, profile, strategy'],
  },
  {
    name: 'an app written at the top of the file',
    yaml: 'web:\n  region: us-east-1\n',
    path: 'web',
    line: 1,
    says: ['unknown key "web" at the top of the file', 'put it under apps:'],
  },
  {
    name: 'wrong type: a quoted number for keep',
    yaml: app('    image:\n      keep: "5"\n'),
    path: 'apps.web.image.keep',
    line: 5,
    says: ['"5" is text', 'keep: 5'],
  },
  {
    name: 'wrong type: yes for a boolean',
    yaml: app('    health:\n      requireTargetGroups: yes\n'),
    path: 'apps.web.health.requireTargetGroups',
    line: 5,
    says: ['"yes" is not true or false', 'write requireTargetGroups: true'],
  },
  {
    name: 'wrong type: a number for a group name',
    yaml: app('    group: 2024\n'),
    path: 'apps.web.group',
    line: 4,
    says: ['2024 is a number', 'quote it: "2024"'],
  },
  {
    name: 'wrong type: a list for a block',
    yaml: app('    strategy: [maxSurge]\n'),
    path: 'apps.web.strategy',
    line: 4,
    says: ['a list is not a mapping', 'write key: value lines'],
  },
  {
    name: 'bad instance id',
    yaml: app('    sourceInstance: i-xyz\n'),
    path: 'apps.web.sourceInstance',
    line: 4,
    says: ['"i-xyz" is not an instance id', 'i-0123456789abcdef0', '{ tag: { Name: web-builder } }'],
  },
  {
    name: 'bad tag filter for the source instance',
    yaml: app('    sourceInstance: { tag: { Name: 7 } }\n'),
    path: 'apps.web.sourceInstance.tag.Name',
    line: 4,
    says: ['7 is a number', 'quote it: "7"'],
  },
  {
    name: 'empty tag filter',
    yaml: app('    sourceInstance: { tag: {} }\n'),
    path: 'apps.web.sourceInstance.tag',
    line: 4,
    says: ['is empty', '{ Name: web-builder }'],
  },
  {
    name: 'bad launch template id',
    yaml: app('    launchTemplate: lt-123\n'),
    path: 'apps.web.launchTemplate',
    line: 4,
    says: ['"lt-123" is not a launch template id', 'lt-0123456789abcdef0', "or the template's name"],
  },
  {
    name: 'an availability zone for a region',
    yaml: 'apps:\n  web:\n    region: us-east-1a\n',
    path: 'apps.web.region',
    line: 3,
    says: ['"us-east-1a" is an availability zone', 'write its region: us-east-1'],
  },
  {
    name: 'not a region',
    yaml: 'apps:\n  web:\n    region: virginia\n',
    path: 'apps.web.region',
    line: 3,
    says: ['"virginia" is not an AWS region', 'us-east-1'],
  },
  {
    name: 'no region anywhere',
    yaml: 'apps:\n  web:\n    group: web-asg\n',
    path: 'apps.web.region',
    line: 2,
    says: ['missing', 'add region: us-east-1 here, or once under defaults:'],
  },
  {
    name: 'bad duration: a bare number',
    yaml: app('    strategy:\n      warmup: 90\n'),
    path: 'apps.web.strategy.warmup',
    line: 5,
    says: ['90 has no unit', 'write "90s"'],
  },
  {
    name: 'bad duration: words',
    yaml: app('    image:\n      olderThan: 30 days\n'),
    path: 'apps.web.image.olderThan',
    line: 5,
    says: ['"30 days" is not a duration', '30d', '1h30m'],
  },
  {
    name: 'bad duration: units out of order',
    yaml: app('    strategy:\n      timeout: 30s5m\n'),
    path: 'apps.web.strategy.timeout',
    line: 5,
    says: ['"30s5m" is not a duration', 'largest first'],
  },
  {
    name: 'a zero timeout',
    yaml: app('    strategy:\n      timeout: 0s\n'),
    path: 'apps.web.strategy.timeout',
    line: 5,
    says: ['"0s" is no time at all', 'more than 0'],
  },
  {
    name: 'bad percentage: over 100%',
    yaml: app('    strategy:\n      minHealthy: 150%\n'),
    path: 'apps.web.strategy.minHealthy',
    line: 5,
    says: ['"150%" is more than 100%', 'from 0% to 100%'],
  },
  {
    name: 'bad surge: a quoted bare number',
    yaml: app('    strategy:\n      maxSurge: "25"\n'),
    path: 'apps.web.strategy.maxSurge',
    line: 5,
    says: ['"25" is not a count or a percentage', 'write 25', '"25%"'],
  },
  {
    name: 'bad surge: a fraction of an instance',
    yaml: app('    strategy:\n      maxSurge: 2.5\n'),
    path: 'apps.web.strategy.maxSurge',
    line: 5,
    says: ['2.5 is not a whole number of instances', 'write 2 or 3'],
  },
  {
    name: 'group and bluegreen together',
    yaml: app('    group: web-asg\n    bluegreen: true\n'),
    path: 'apps.web.bluegreen',
    line: 5,
    says: ['both group and bluegreen are set', 'not both'],
  },
  {
    name: 'a blue/green pair of one group',
    yaml: app('    bluegreen: { blue: web, green: web }\n'),
    path: 'apps.web.bluegreen.green',
    line: 4,
    says: ['"web" is also the blue group', 'two different groups'],
  },
  {
    name: 'an environment whose name another app already has',
    yaml: 'defaults: { region: us-east-1 }\napps:\n  web-prod: {}\n  web:\n    envs:\n      prod: {}\n',
    path: 'apps.web.envs.prod',
    line: 6,
    says: ['makes an app named "web-prod", which apps.web-prod already is', 'rename'],
  },
  {
    name: 'an app name that --app cannot take',
    yaml: 'apps:\n  "my web":\n    region: us-east-1\n',
    path: 'apps["my web"]',
    line: 2,
    says: ['app name "my web" is not usable after --app', 'letters, digits, - and _'],
  },
  {
    name: 'no apps',
    yaml: 'defaults:\n  region: us-east-1\n',
    path: 'apps',
    line: 1,
    says: ['missing', 'add an apps: mapping'],
  },
  {
    name: 'the file is a list',
    yaml: '- web\n- api\n',
    path: '',
    line: 1,
    says: ['the file holds a list, not a mapping', 'start it with apps:'],
  },
  {
    name: 'an empty file',
    yaml: '# nothing yet\n',
    path: '',
    says: ['is empty', 'add an apps: mapping'],
  },
  {
    name: 'YAML syntax error: bad indentation',
    yaml: 'apps:\n  web:\n    region: us-east-1\n   group: web-asg\n',
    path: '',
    line: 4,
    says: ['invalid YAML', 'check the indentation'],
  },
  {
    name: 'YAML syntax error: a duplicate key',
    yaml: 'apps:\n  web: { region: us-east-1 }\n  web: { region: us-east-2 }\n',
    path: '',
    line: 3,
    says: ['invalid YAML: map keys must be unique', 'remove or rename one of them'],
  },
  {
    name: 'YAML syntax error: a tab',
    yaml: 'apps:\n\tweb: {}\n',
    path: '',
    line: 2,
    says: ['invalid YAML', 'indent with spaces, not tabs'],
  },
];

for (const bad of BAD) {
  test(`bad file: ${bad.name}`, async () => {
    await withTempDir(async (dir) => {
      await writeFiles(dir, { 'asg-deploy.yaml': bad.yaml });
      const error = await configErrorOf(() => loadInventory({ cwd: dir }));
      assert.equal(error.code, 'BAD_CONFIG');
      assert.equal(error.fault, 'user');
      const problem = error.problems.find((p) => p.path === bad.path);
      assert.ok(problem, `no problem at "${bad.path}"; got:\n${error.message}`);
      assert.equal(problem.file, 'asg-deploy.yaml');
      if (bad.line !== undefined) assert.equal(problem.line, bad.line, error.message);
      for (const text of bad.says) {
        if (typeof text === 'string') assert.ok(problem.message.includes(text), `"${problem.message}" should say "${text}"`);
        else assert.match(problem.message, text);
      }
      // The message shown to the user names the file (and line), the path and the problem on one line.
      const where = bad.line === undefined ? 'asg-deploy.yaml' : `asg-deploy.yaml:${bad.line}:`;
      const line = error.message.split('\n').find((l) => l.includes(problem.message));
      assert.ok(line !== undefined && line.trimStart().startsWith(where), `"${line}" should start with ${where}`);
      if (bad.path !== '') assert.ok(line.includes(`: ${bad.path}: `), `"${line}" should name ${bad.path}`);
    });
  });
}

// ---------------------------------------------------------------------------
// resolveApp

const INVENTORY: Inventory = parseInventory(
  'defaults: { region: us-east-1 }\napps:\n  web: { group: web-asg }\n  checkout: { group: checkout-asg }\n  shop:\n    envs:\n      prod: { group: shop-prod }\n      release: { group: shop-release }\n',
  'asg-deploy.yaml',
);

test('resolveApp: an unknown app lists the known ones and the closest', async () => {
  const error = await configErrorOf(() => resolveApp(INVENTORY, 'wbe'));
  assert.equal(error.code, 'BAD_CONFIG');
  assert.deepEqual(error.problems.map((p) => [p.file, p.path]), [['asg-deploy.yaml', 'apps']]);
  assert.equal(
    error.message,
    'asg-deploy.yaml: apps: no app named "wbe"; did you mean "web"? known apps: web, checkout, shop-prod, shop-release',
  );
  const far = await configErrorOf(() => resolveApp(INVENTORY, 'billing'));
  assert.doesNotMatch(far.message, /did you mean/);
  assert.match(far.message, /known apps: web, checkout, shop-prod, shop-release$/);
});

test('resolveApp: an app with environments names them', async () => {
  const error = await configErrorOf(() => resolveApp(INVENTORY, 'shop'));
  assert.match(error.message, /app "shop" has environments; choose one: --app shop-prod, --app shop-release/);
  assert.equal(resolveApp(INVENTORY, 'shop-release').group, 'shop-release');
});

test('resolveApp without an inventory says how to make one', async () => {
  const error = await configErrorOf(() => resolveApp(undefined, 'web'));
  assert.match(error.message, /--app web needs an inventory/);
  assert.match(error.message, /pass --config FILE/);
});

test('resolveApp does not find inherited object keys', async () => {
  await configErrorOf(() => resolveApp(INVENTORY, 'constructor'));
  await configErrorOf(() => resolveApp(INVENTORY, 'toString'));
});

test('YAML anchors and merge keys work, and positions still point into the file', async () => {
  const text = [
    'apps:',
    '  web: &base',
    '    region: us-east-1',
    '    group: web-asg',
    '  api:',
    '    <<: *base',
    '    group: api-asg',
    '    strategy: [oops]',
  ].join('\n');
  const error = await configErrorOf(() => parseInventory(text, 'asg-deploy.yaml'));
  assert.deepEqual(error.problems.map((p) => [p.path, p.line, p.message]), [
    ['apps.api.strategy', 8, 'a list is not a mapping; write key: value lines indented under it, or { key: value }'],
  ]);
  const inventory = parseInventory(text.split('\n').slice(0, 7).join('\n'), 'asg-deploy.yaml');
  assert.equal(inventory.apps.api?.region, 'us-east-1');
  assert.equal(inventory.apps.api?.group, 'api-asg');
});
