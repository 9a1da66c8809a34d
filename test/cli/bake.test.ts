/**
 * `asg-deploy bake` and `prune` as a user runs them: help that teaches, bad
 * input refused with exit 2 naming the value, and against the emulator
 * (over HTTP, --time-scale matching its speed) NDJSON for CI, --app from an
 * inventory file with --roll, and prune's dry run by default off a terminal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { TEST_REGION } from '../helpers/emulator.js';
import { mutatingCallsSince, runCli, useTestCredentials } from '../bake/harness.js';
import { createRenderer } from '../../src/cli/render.js';
import type { BakeEvent } from '../../src/bake/index.js';

useTestCredentials();

const SPEED = 300;
const awsFlags = (fleet: TestFleet) => ['--endpoint-url', fleet.emu.endpoint, '--region', TEST_REGION, '--time-scale', String(SPEED)];

test('bake --help and prune --help teach: every flag, how it works, examples', { timeout: 60_000 }, async () => {
  const bake = await runCli(['bake', '--help']);
  assert.equal(bake.code, 0);
  for (const text of ['--instance <id>', '--template <id|name>', '--source-version', '--name <name>', '--reboot', '--tag <key=value>', '--set-default', '--no-wait', '--wait-timeout', '--roll [group]', '--dry-run', '--app <name>', '--config <file>', 'only ImageId changed', 'app=APP', 'Examples:', 'asg-deploy bake --app web']) {
    assert.ok(bake.stdout.includes(text), `bake --help mentions ${text}`);
  }
  const prune = await runCli(['prune', '--help']);
  assert.equal(prune.code, 0);
  for (const text of ['--keep <n>', '--older-than <duration>', '--dry-run', '--yes', '--template', '--app <name>', 'used by group web (version 7)', 'launch configuration', 'dry run unless you pass --yes', 'Examples:']) {
    assert.ok(prune.stdout.includes(text), `prune --help mentions ${text}`);
  }
});

test('pending progress: the live block redrawn on a TTY, a line a minute otherwise, every event in JSON', () => {
  const t = Date.UTC(2026, 0, 1);
  const events: BakeEvent[] = [
    { t, code: 'image-requested', imageId: 'ami-0abc', imageName: 'web-20260101-000000', instanceId: 'i-0abc', reboot: false },
    ...[0, 10, 20, 65, 70].map((seconds): BakeEvent => ({ t: t + seconds * 1000, code: 'image-pending', imageId: 'ami-0abc', seconds, snapshotProgress: `${seconds}%` })),
    { t: t + 80_000, code: 'image-available', imageId: 'ami-0abc', seconds: 80, snapshotIds: ['snap-0abc'] },
  ];
  const render = (isTty: boolean, output: 'text' | 'json') => {
    const out: string[] = [];
    // Everything written, in order: `out:` lines, and the live block (`block:` its first line, or `erased`).
    const log: string[] = [];
    let now = t;
    const renderer = createRenderer(
      {
        out: (l) => {
          out.push(l);
          log.push(`out:${l}`);
        },
        err() {},
        isTty,
        columns: 120,
        everySecond: () => () => {},
        liveBlock: (lines) => log.push(lines === undefined ? 'erased' : `block:${lines.join('|')}`),
      },
      output,
      { now: () => now },
    );
    for (const e of events) {
      now = e.t;
      renderer.event(e);
    }
    renderer.close();
    return { out, log };
  };

  const plain = render(false, 'text');
  assert.ok(!plain.log.some((l) => l.startsWith('block:')), 'no live block off a terminal');
  assert.deepEqual(plain.out.filter((l) => l.includes('pending')), ['image ami-0abc pending for 0s, snapshots 0%', 'image ami-0abc pending for 1m5s, snapshots 65%']);
  assert.match(plain.out.at(-1)!, /image ami-0abc available after 1m20s/);

  const tty = render(true, 'text');
  const blocks = tty.log.filter((l) => l.startsWith('block:'));
  assert.ok(blocks.filter((b) => b.includes('pending')).length >= 5, `every poll redraws the block: ${blocks.join('\n')}`);
  assert.equal(blocks.at(-1), 'block:bake: image ami-0abc pending · 1m10s elapsed, snapshots 70%');
  const available = tty.log.findIndex((l) => /^out:image ami-0abc available after 1m20s/.test(l));
  assert.equal(tty.log[available - 1], 'erased', 'the block is erased before the next line');
  assert.ok(!tty.out.some((l) => l.includes('pending')), 'no pending line scrolls');

  const json = render(false, 'json').out.map((l) => JSON.parse(l) as { code: string; time: string });
  assert.deepEqual(json.map((e) => e.code), events.map((e) => e.code));
  assert.equal(json[0]!.time, '2026-01-01T00:00:00.000Z');
});

test('bad input exits 2 and names the value, before any AWS call', { timeout: 60_000 }, async () => {
  const cases: [string[], string][] = [
    [['bake', '--instance', 'xyz', '--template', 'web-lt'], '"xyz"'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'bad name!'], '"bad name!"'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'lt-123'], '"lt-123"'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'web-lt', '--source-version', 'latest'], '"latest"'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'web-lt', '--tag', 'novalue'], '"novalue"'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'web-lt', '--tag', 'aws:owner=me'], '"aws:owner=me"'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'web-lt', '--name', 'x'], '"x"'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'web-lt', '--wait-timeout', '5'], '"5"'],
    [['bake', '--template', 'web-lt'], '--instance'],
    [['bake', '--instance', 'i-0123456789abcdef0'], '--template'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'web-lt', '--roll', 'web', '--no-wait'], '--no-wait'],
    [['bake', '--instance', 'i-0123456789abcdef0', '--template', 'web-lt', '--roll'], '--roll'],
    [['bake', '--app', 'web', '--config', '/nonexistent/asg-deploy.yaml'], '/nonexistent/asg-deploy.yaml'],
    [['bake', '--frobnicate'], '--frobnicate'],
    [['prune', '--template', 'web-lt', '--keep', 'abc'], '"abc"'],
    [['prune', '--template', 'web-lt', '--keep=-1'], '"-1"'],
    [['prune', '--template', 'web-lt', '--older-than', '3x'], '"3x"'],
    [['prune'], '--app'],
  ];
  for (const [argv, named] of cases) {
    const run = await runCli(argv);
    assert.equal(run.code, 2, `${argv.join(' ')} → ${run.code}\n${run.stderr}`);
    assert.ok(run.stderr.includes(named), `${argv.join(' ')} should name ${named}, said: ${run.stderr}`);
  }
});

test('bake and prune against the emulator: NDJSON for CI, --app with --roll, prune a dry run off a terminal unless --yes', { timeout: 60_000 }, async () => {
  const fleet = await startFleet({ size: 1, speed: SPEED });
  const dir = await mkdtemp(path.join(tmpdir(), 'asg-deploy-bake-'));
  try {
    const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    const source = instances[0]!.id;

    // 1. NDJSON: one event per line, progress while pending, then a result object.
    const json = await runCli([...awsFlags(fleet), '-o', 'json', 'bake', '--instance', source, '--template', 'web-lt', '--set-default', '--tag', 'git-sha=3f2c1a9']);
    assert.equal(json.code, 0, json.stderr);
    const lines = json.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const codes = lines.map((l) => l.code);
    assert.ok(codes.includes('image-pending') && codes.includes('image-available') && codes.includes('template-version-created'), codes.join(' '));
    const result = lines.at(-1)!;
    assert.equal(result.code, 'result');
    assert.equal(result.command, 'bake');
    assert.match(String(result.imageId), /^ami-/);
    assert.equal(result.version, 2);
    assert.equal(result.isDefault, true);
    assert.equal(result.imageState, 'available');
    const [template] = await fleet.aws.ec2.describeLaunchTemplates({ ids: [fleet.templateId] });
    assert.equal(template?.DefaultVersionNumber, 2);

    // 2. Text: the image id and the version number, --no-wait.
    const text = await runCli([...awsFlags(fleet), 'bake', '--instance', source, '--template', fleet.templateId, '--no-wait', '--name', 'web-quick']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /image ami-\w+ \(web-quick\) pending/);
    assert.match(text.stdout, /launch template web-lt \(lt-\w+\) version 3: version 2 with only ImageId changed/);
    assert.match(text.stdout, /warning: image ami-\w+ is still pending/);

    // 3. --app from an inventory, source found by tag, and --roll onto the new version.
    await fleet.aws.ec2.createTags([source], { Name: 'web-builder' });
    const config = path.join(dir, 'asg-deploy.yaml');
    await writeFile(
      config,
      [
        'apps:',
        '  web:',
        `    region: ${TEST_REGION}`,
        '    group: web',
        '    launchTemplate: web-lt',
        '    sourceInstance: { tag: { Name: web-builder } }',
        '    image: { namePrefix: webapp, tags: { team: platform } }',
        '',
      ].join('\n'),
    );
    const rolled = await runCli([...awsFlags(fleet), '-o', 'json', 'bake', '--app', 'web', '--config', config, '--roll']);
    assert.equal(rolled.code, 0, rolled.stderr + rolled.stdout);
    const rolledResult = JSON.parse(rolled.out.at(-1)!) as { imageId: string; imageName: string; version: number; app: string; deploy: { outcome: string; toVersion: string } };
    assert.equal(rolledResult.app, 'web');
    assert.match(rolledResult.imageName, /^webapp-\d{8}-\d{6}$/);
    assert.equal(rolledResult.deploy.outcome, 'succeeded');
    assert.equal(rolledResult.deploy.toVersion, String(rolledResult.version));
    const [image] = await fleet.aws.ec2.describeImages({ imageIds: [rolledResult.imageId] });
    assert.equal(image?.Tags?.find((t) => t.Key === 'team')?.Value, 'platform');
    const after = await fleet.aws.autoscaling.describeGroup(fleet.group);
    const serving = after.instances.filter((i) => i.lifecycleState === 'InService');
    assert.ok(serving.length === 1 && serving[0]!.launchTemplate?.version === String(rolledResult.version), 'the group rolled onto the baked version');

    // 4. prune off a terminal without --yes: a dry run, no mutating call.
    // A just-deregistered image is still listed, as `deregistered`, for a short while (emulator rule E-39): count the live ones.
    const images = async () =>
      (await fleet.aws.ec2.describeImages({ owners: ['self'], filters: [{ Name: 'tag:app', Values: ['web-lt'] }] }))
        .filter((i) => i.State !== 'deregistered')
        .map((i) => i.ImageId!)
        .sort();
    const before = await images();
    assert.equal(before.length, 2, 'the two images baked without --app belong to app web-lt');
    const mark = fleet.clock.now();
    const dry = await runCli([...awsFlags(fleet), 'prune', '--template', 'web-lt', '--keep', '0']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(mutatingCallsSince(fleet.history(), mark).map((c) => c.action), []);
    assert.match(dry.stdout, /dry run: nothing was changed; would delete 1 image\(s\), 1 snapshot\(s\) and 1 launch template version\(s\).*stdout is not a terminal; pass --yes to delete/);
    assert.match(dry.stdout, /keep {4}ami-\w+ {2}web-lt-\d{8}-\d{6} .*default version \(web-lt version 2\)/);
    assert.match(dry.stdout, /would deregister ami-\w+ {2}web-quick/);
    assert.match(dry.stdout, /would delete web-lt version 3 \(image ami-\w+\)/);
    assert.deepEqual(await images(), before);

    // 5. With --yes it prunes (and never the app web's images, nor the default's).
    const done = await runCli([...awsFlags(fleet), '-o', 'json', 'prune', '--template', 'web-lt', '--keep', '0', '--yes']);
    assert.equal(done.code, 0, done.stderr);
    const pruned = JSON.parse(done.out.at(-1)!) as { code: string; dryRun: boolean; deregistered: string[]; kept: { imageId: string; reasons: { kind: string }[] }[] };
    assert.equal(pruned.code, 'result');
    assert.equal(pruned.dryRun, false);
    assert.equal(pruned.deregistered.length, 1);
    assert.deepEqual(await images(), before.filter((id) => !pruned.deregistered.includes(id)));
    assert.ok(pruned.kept[0]!.reasons.some((r) => r.kind === 'default-version'));
    const web = await fleet.aws.ec2.describeImages({ imageIds: [rolledResult.imageId] });
    assert.equal(web[0]?.State, 'available', 'app web\'s image is not web-lt\'s to prune');

    // 6. On a terminal, no --yes is needed; --dry-run still wins.
    const mark2 = fleet.clock.now();
    const tty = await runCli([...awsFlags(fleet), 'prune', '--app', 'web', '--config', config, '--keep', '0', '--dry-run'], { isTty: true });
    assert.equal(tty.code, 0, tty.stderr);
    assert.deepEqual(mutatingCallsSince(fleet.history(), mark2), []);
    assert.match(tty.stdout, /keep {4}ami-\w+ {2}webapp-.*used by group web \(version \d+\)/);

    // 7. Ctrl-C while the image is pending: a clean stop (130) that says what is left behind.
    const current = serving[0]!.id; // the roll replaced the first source instance
    const mark3 = fleet.history().length;
    let settled = false;
    const slow = runCli([...awsFlags(fleet), 'bake', '--instance', current, '--template', 'web-lt', '--name', 'web-slow', '--tag', 'emulator:image-seconds=3600']).finally(() => {
      settled = true;
    });
    const deadline = Date.now() + 10_000;
    while (!settled && Date.now() < deadline && !fleet.history().slice(mark3).some((e) => e.type === 'call' && e.action === 'CreateImage')) {
      await new Promise((r) => setTimeout(r, 5));
    }
    if (!settled) process.emit('SIGINT');
    const stopped = await slow;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /stopped: interrupted while image ami-\w+ was pending; AWS keeps creating it/);
    assert.match(stopped.stderr, /the launch template was not changed/);
    assert.ok(!fleet.history().slice(mark3).some((e) => e.type === 'call' && e.action === 'CreateLaunchTemplateVersion'));
  } finally {
    await rm(dir, { recursive: true, force: true });
    await fleet.close();
  }
});
