/**
 * `asg-deploy history` from a fresh machine (a new empty HOME: no event log,
 * no local state) after a success, a rollback and an interrupted deploy: the
 * built CLI as a user runs it, against the emulator in this process.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { CLI_BIN, cliEnv } from '../helpers/fleet.js';
import { TEST_REGION } from '../helpers/emulator.js';
import { freshHome, threeDeploys, type Scenario } from './scenario.js';

let s: Scenario;
before(async () => {
  s = await threeDeploys();
});
after(async () => {
  await s?.fleet.close();
});

function cli(args: string[], home: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = cliEnv({ HOME: home });
  delete env.XDG_STATE_HOME;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI_BIN, '--endpoint-url', s.fleet.emu.endpoint, '--region', TEST_REGION, ...args], { env, cwd: home, timeout: 60_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error?.killed) return reject(new Error(`timed out: ${stderr}`));
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

type Row = Record<string, unknown> & { kind: string; id?: string; outcome?: string; startedAt: number };

/** Who ran the deploys in this process (deploy-ring.ts currentUserAtHost). */
const ME = `${userInfo().username}@${hostname()}`;

test('history --output json lists the three deploys newest first, reconstructed from the group alone', async () => {
  assert.equal(s.success.outcome, 'succeeded');
  assert.equal(s.rolledBack.outcome, 'rolled-back');
  assert.equal(s.interrupted.outcome, 'interrupted');
  const r = await cli(['history', s.fleet.group, '--output', 'json'], freshHome());
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);
  const why = JSON.stringify(rows, null, 1);
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.startedAt >= rows[i]!.startedAt, `newest first: ${why}`);

  // The interrupted one: the record is still on the group, the lock released.
  const [first, second] = rows.filter((x) => x.kind === 'deploy');
  assert.equal(first?.id, s.interrupted.deployId, why);
  assert.equal(first?.outcome, 'interrupted', why);
  assert.equal(first?.strategy, 'roll');
  assert.equal(first?.fromVersion, s.interrupted.fromVersion);
  assert.equal(first?.toVersion, s.interrupted.toVersion);
  assert.equal(first?.toImage, s.images.third, why);
  assert.equal(first?.floor, 4, 'the floor comes from the record');
  assert.equal(first?.startedBy, ME, 'who: user@host, kept in the record');

  // The rolled-back one: the last deploy's summary tag and the ring, its activities.
  assert.equal(second?.id, s.rolledBack.deployId, why);
  assert.equal(second?.outcome, 'rolled-back');
  assert.equal(second?.fromVersion, s.rolledBack.fromVersion);
  assert.equal(second?.toVersion, s.rolledBack.toVersion);
  assert.equal(second?.toImage, s.images.bad);
  assert.ok(typeof second?.reason === 'string' && second.reason.length > 0, why);
  assert.ok(Number(second?.terminated) >= 3, `the failed new instances were terminated: ${why}`);
  assert.equal(typeof second?.durationSeconds, 'number');
  assert.ok(Number(second?.durationSeconds) > 60, why);
  assert.equal(second?.lowestServingEstimated, false, 'the ring keeps the lowest serving the run counted');
  assert.equal(second?.lowestServing, 4, why);
  assert.equal(second?.floor, 4, why);
  assert.equal(second?.startedBy, ME, why);

  // The success: the newer deploys' summaries did not push it out of the ring.
  const earlier = rows.find((x) => x.kind === 'deploy' && x.id === s.success.deployId);
  assert.ok(earlier, `the successful deploy is still listed with its summary: ${why}`);
  assert.equal(earlier.outcome, 'succeeded');
  assert.equal(earlier.fromVersion, s.success.fromVersion);
  assert.equal(earlier.toVersion, s.success.toVersion);
  assert.equal(earlier.toImage, s.images.good);
  assert.equal(earlier.startedBy, ME);
  assert.equal(earlier.floor, 4);
  assert.equal(earlier.lowestServing, 4);
  assert.ok(Number(earlier.launched) >= 4 && Number(earlier.terminated) >= 4, why);
  assert.ok(Number(earlier.startedAt) < Number(second?.startedAt));
  assert.ok(!rows.some((x) => x.kind === 'unrecorded' && x.toVersion === s.success.toVersion), `not also an unrecorded change: ${why}`);
});

test('history (text) names each deploy, its outcome and versions; --activities interleaves the group\'s other activities', async () => {
  const home = freshHome();
  const r = await cli(['history', s.fleet.group], home);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`${s.interrupted.deployId}\\s+roll\\s+INTERRUPTED\\s+version ${s.interrupted.fromVersion} → ${s.interrupted.toVersion}`), r.stdout);
  assert.match(r.stdout, new RegExp(`${s.rolledBack.deployId}\\s+roll\\s+ROLLED BACK`), r.stdout);
  assert.match(r.stdout, new RegExp(`${s.success.deployId}\\s+roll\\s+succeeded`), r.stdout);
  assert.match(r.stdout, /lowest serving 4 \(floor 4\)/, r.stdout);
  assert.doesNotMatch(r.stdout, /Launching a new EC2 instance/, 'no raw activities without --activities');
  const withActivities = await cli(['history', s.fleet.group, '--activities'], home);
  assert.equal(withActivities.code, 0, withActivities.stderr);
  assert.match(withActivities.stdout, /· web: Launching a new EC2 instance: i-[0-9a-f]+ \(Successful\)/, withActivities.stdout);
  const lines = withActivities.stdout.split('\n');
  assert.ok(lines.length > r.stdout.split('\n').length, 'activities add lines');
});

test('history of a group that does not exist says so (exit 2)', async () => {
  const r = await cli(['history', 'no-such-group'], freshHome());
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /no-such-group/);
});
