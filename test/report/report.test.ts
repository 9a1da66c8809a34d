/**
 * `asg-deploy report` after a success, a rollback and an interrupted deploy:
 * the built CLI with a fresh HOME (nothing but what AWS keeps), then with the
 * runs' event logs; the SVG has the floor line and one band per version and
 * state; headless Chromium renders the file into pixels that show the chart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { createEventLogWriter, VERSION_COLOURS } from '../../src/report/index.js';
import { CLI_BIN, cliEnv } from '../helpers/fleet.js';
import { TEST_REGION } from '../helpers/emulator.js';
import { countColour, countNonWhite, decodePng, overWhite } from './png.js';
import { freshHome, threeDeploys, type Scenario } from './scenario.js';

let s: Scenario;
before(async () => {
  s = await threeDeploys();
});
after(async () => {
  await s?.fleet.close();
});

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, cwd, timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error?.killed) return reject(new Error(`${file} timed out: ${stderr}`));
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

function report(home: string, extra: string[] = []) {
  const env = cliEnv({ HOME: home });
  delete env.XDG_STATE_HOME;
  return run(process.execPath, [CLI_BIN, '--endpoint-url', s.fleet.emu.endpoint, '--region', TEST_REGION, 'report', s.fleet.group, ...extra], env, home);
}

interface Svg {
  bands: { version: string; state: string }[];
  floors: number[];
  html: string;
}

function parse(path: string): Svg {
  const html = readFileSync(path, 'utf8');
  const svg = /<svg[^>]*class="timeline"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
  const bands = [...svg.matchAll(/<path [^>]*class="band" data-version="([^"]+)" data-state="([^"]+)"/g)].map((m) => ({ version: m[1]!, state: m[2]! }));
  const floors = [...svg.matchAll(/<line [^>]*class="floor" data-floor="(\d+)"/g)].map((m) => Number(m[1]));
  return { bands, floors, html };
}

/** The file is self-contained: nothing fetched, nothing run. */
function assertSelfContained(html: string): void {
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=/i);
  const urls = [...html.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
  assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg'], 'the only URL is the SVG namespace');
}

function assertOneBandPerVersion(svg: Svg, versions: string[]): void {
  assert.deepEqual([...new Set(svg.bands.map((b) => b.version))].sort(), [...versions].sort(), JSON.stringify(svg.bands));
  const keys = svg.bands.map((b) => `${b.version}/${b.state}`);
  assert.equal(new Set(keys).size, keys.length, `one band per version and state: ${keys.join(' ')}`);
  for (const v of versions) assert.ok(keys.includes(`${v}/serving`) || keys.includes(`${v}/launching`), `version ${v} has a band`);
}

test('report of the newest deploy (interrupted) from a fresh machine: the record gives versions and floor', async () => {
  const home = freshHome();
  const r = await report(home, ['--out', 'interrupted.html']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`report of deploy ${s.interrupted.deployId} on web \\(interrupted\\) to ${join(home, 'interrupted.html')}`));
  const svg = parse(join(home, 'interrupted.html'));
  assertSelfContained(svg.html);
  assert.deepEqual(svg.floors, [4], 'the floor line, from the record (--min-healthy 100 % of 4)');
  assertOneBandPerVersion(svg, [s.interrupted.fromVersion!, s.interrupted.toVersion!]);
  assert.match(svg.html, /<th scope="row">outcome<\/th><td>interrupted<\/td>/);
  assert.match(svg.html, /the deployment record on the group/);
});

test('report --deploy of the rollback from a fresh machine: both versions, the floor from the ring of summaries, the failed instances', async () => {
  const home = freshHome();
  const r = await report(home, ['--deploy', s.rolledBack.deployId!, '--output', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const written = JSON.parse(r.stdout) as { path: string; outcome: string; versions: string[]; sources: string[] };
  assert.equal(written.outcome, 'rolled-back');
  assert.ok(!written.sources.includes('event-log'), 'nothing local was used');
  assert.equal(written.path, join(home, `asg-deploy-report-web-${s.rolledBack.deployId}.html`));
  const svg = parse(written.path);
  assertSelfContained(svg.html);
  assert.deepEqual(svg.floors, [4], 'the floor the ring of deploy summaries on the group keeps');
  assert.match(svg.html, /floor 4</);
  assert.match(svg.html, /as the deploy counted it/, 'the lowest serving the run counted, kept in the ring');
  assertOneBandPerVersion(svg, [s.rolledBack.fromVersion!, s.rolledBack.toVersion!]);
  assert.ok((svg.html.match(/data-kind="failed"/g) ?? []).length >= 3, 'the never-healthy instances are marked');
  assert.match(svg.html, /rolled back/);
});

test('report of the successful deploy, which only the event log still names: waves and the engine\'s serving count', async () => {
  const home = freshHome();
  const writer = createEventLogWriter({ HOME: home });
  for (const events of s.events.values()) for (const e of events) writer.sink(e);
  assert.equal(writer.error(), undefined);
  assert.equal(writer.paths().length, 3);
  assert.ok(existsSync(join(home, '.local/state/asg-deploy/runs', `${s.success.deployId}.ndjson`)));

  const r = await report(home, ['--deploy', s.success.deployId!, '--out', 'success.html']);
  assert.equal(r.code, 0, r.stderr);
  const svg = parse(join(home, 'success.html'));
  assert.deepEqual(svg.floors, [4]);
  assertOneBandPerVersion(svg, [s.success.fromVersion!, s.success.toVersion!]);
  assert.ok((svg.html.match(/data-kind="wave"/g) ?? []).length >= 2, 'a marker per wave');
  assert.match(svg.html, /as the deploy counted it/);
  assert.match(svg.html, new RegExp(`<th scope="row">started by</th><td>${userInfo().username}@${hostname()}</td>`), 'who: user@host from the record and the ring');

  // Without its log, the ring of summaries on the group still finds it by id (the last 24 deploys).
  const fresh = freshHome();
  const fromRing = await report(fresh, ['--deploy', s.success.deployId!, '--out', 'ring.html']);
  assert.equal(fromRing.code, 0, fromRing.stderr);
  assert.match(readFileSync(join(fresh, 'ring.html'), 'utf8'), /<th scope="row">outcome<\/th><td>succeeded<\/td>/);
  const unknown = await report(freshHome(), ['--deploy', 'd-20200101T000000-0000']);
  assert.equal(unknown.code, 2, 'a deploy the group no longer names is not found by id');
  assert.match(unknown.stderr, /no deploy d-20200101T000000-0000/);
  assert.match(unknown.stderr, /asg-deploy history web/);
});

function findChromium(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error('headless Chromium is needed for this test: install Debian\'s `chromium` (.ci/run does) so `chromium` or `chromium-browser` is on PATH');
}

test('headless Chromium renders the rollback report: the chart is there in both versions\' colours and the floor\'s red', async () => {
  const home = freshHome();
  const r = await report(home, ['--deploy', s.rolledBack.deployId!, '--out', 'rollback.html']);
  assert.equal(r.code, 0, r.stderr);
  const png = join(home, 'rollback.png');
  const shot = await run(
    findChromium(),
    ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`, '--window-size=1000,700', `--screenshot=${png}`, `file://${join(home, 'rollback.html')}`],
    { ...process.env, HOME: home },
    home,
    90_000,
  );
  assert.ok(existsSync(png), `chromium wrote no screenshot: ${shot.stderr.slice(-2000)}`);
  const bitmap = decodePng(readFileSync(png));
  assert.equal(bitmap.width, 1000);
  const total = bitmap.width * bitmap.height;
  const inked = countNonWhite(bitmap);
  assert.ok(inked > total * 0.1 && inked < total * 0.9, `not blank, not a solid error page: ${inked} of ${total} pixels inked`);
  // Serving bands are drawn at 85 % opacity over white: the previous version first, the deployed one second.
  const before = countColour(bitmap, overWhite(VERSION_COLOURS[0], 0.85));
  const deployed = countColour(bitmap, overWhite(VERSION_COLOURS[1], 0.85)) + countColour(bitmap, overWhite(VERSION_COLOURS[1], 0.4));
  const floorRed = countColour(bitmap, '#d0021b', 30);
  assert.ok(before > 20_000, `the previous version's band is a large area: ${before} px`);
  assert.ok(deployed > 1_000, `the deployed version's band shows: ${deployed} px`);
  assert.ok(floorRed > 100, `the floor line and its label are red: ${floorRed} px`);
});
