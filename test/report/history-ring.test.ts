/**
 * `history` of many deploys from any machine (issue 10 deliver 1, "at least
 * the last 20"): the ring of compact summaries on the group
 * (src/deploy/engine/deploy-ring.ts), its encoding within AWS's tag limits,
 * the old one-tag format still read, and 22 deploys listed by the built CLI
 * from a fresh HOME with who, outcome, floor and lowest serving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { VirtualClock } from '../../src/clock/index.js';
import type { ScaledClock } from '../../src/clock/index.js';
import { decodeRing, decodeSummary, encodeRing, encodeSummary, MAX_SUMMARY_CHARS, RING_TAG_COUNT, type DeploySummary } from '../../src/deploy/engine/deploy-ring.js';
import { decodeRecord, encodeRecord, roll, type DeploymentRecord } from '../../src/deploy/index.js';
import { reconstructHistory } from '../../src/report/deploy-history.js';
import { CLI_BIN, cliEnv, startFleet } from '../helpers/fleet.js';
import { TEST_REGION } from '../helpers/emulator.js';
import { freshHome } from './scenario.js';

const summary = (n: number, extra: Partial<DeploySummary> = {}): DeploySummary => ({
  id: `d-20260101T12${String(n).padStart(2, '0')}00-ab${String(n).padStart(2, '0')}`,
  strategy: 'roll',
  fromVersion: String(n),
  toVersion: String(n + 1),
  outcome: 'done',
  startedAt: Date.UTC(2026, 0, 1, 12, n),
  seconds: 226,
  floor: 6,
  lowestServing: 6,
  by: 'alice@ci-runner-7',
  ...extra,
});

test('a summary round-trips in at most 63 characters; who and the reason are cut to fit, never the facts', () => {
  const s = summary(1, { outcome: 'rolled-back', reason: 'alarm web-5xx is in ALARM' });
  const text = encodeSummary(s);
  assert.ok(text.length <= MAX_SUMMARY_CHARS, text);
  // Who is cut first (down to 10 characters), so the reason keeps its start.
  assert.equal(text, `${(Date.UTC(2026, 0, 1, 12, 1) / 1000).toString(36)}-ab01,r,1>2,r,226,6,6,alice@ci-r,alarm web-5xx is in…`); // cut after a whole word, marked
  assert.deepEqual(decodeSummary(text), { ...s, by: 'alice@ci-r', reason: 'alarm web-5xx is in…' });
  const { reason: _reason, ...noReason } = s;
  assert.deepEqual(decodeSummary(encodeSummary(noReason)), noReason, 'without a reason, who is whole');
  const cramped = encodeSummary({ ...s, reason: 'new instances on version 2 failed their health checks' });
  assert.ok(cramped.length <= MAX_SUMMARY_CHARS);
  assert.match(cramped, /,alice@ci-r,new instances on…$/, 'who is cut first, so the reason keeps its start');

  const long = summary(2, { strategy: 'bluegreen', fromVersion: '1234', toVersion: '1235', outcome: 'aborted', seconds: 99_999, floor: 200, lowestServing: 199, by: 'a-very-long-user-name@a-very-long-host-name.example.internal', reason: 'x,y|z' });
  const cut = encodeSummary(long);
  assert.ok(cut.length <= MAX_SUMMARY_CHARS, `${cut.length}: ${cut}`);
  const decoded = decodeSummary(cut)!;
  assert.equal(decoded.id, long.id);
  assert.equal(decoded.strategy, 'bluegreen');
  assert.equal(decoded.outcome, 'aborted');
  assert.equal(decoded.seconds, 99_999);
  assert.equal(decoded.lowestServing, 199);
  assert.ok(long.by!.startsWith(decoded.by!), 'who, cut');
  assert.equal(decodeSummary('not,a,summary'), undefined, 'a hand-edited entry is skipped, not misread');
});

test('the ring: four summaries a tag, at most six tags of at most 256 characters, newest first; older ones fall off', () => {
  const summaries = Array.from({ length: 30 }, (_, i) => summary(30 - i, { reason: 'new instances failed their health checks' }));
  const { tags, unused } = encodeRing(summaries);
  assert.equal(Object.keys(tags).length, RING_TAG_COUNT);
  assert.deepEqual(unused, []);
  for (const [key, value] of Object.entries(tags)) assert.ok(value.length <= 256, `${key}: ${value.length}`);
  const back = decodeRing(new Map(Object.entries(tags)));
  assert.equal(back.length, 24, 'the last 24 deploys');
  assert.deepEqual(back.map((s) => s.id), summaries.slice(0, 24).map((s) => s.id));
  const few = encodeRing(summaries.slice(0, 5));
  assert.deepEqual(Object.keys(few.tags), ['asg-deploy:last-1', 'asg-deploy:last-2']);
  assert.deepEqual(few.unused, ['asg-deploy:last-3', 'asg-deploy:last-4', 'asg-deploy:last-5', 'asg-deploy:last-6']);
});

test('the old formats are still read: a record without who, and a group with only asg-deploy:last', () => {
  const record: DeploymentRecord = {
    id: 'd-20260101T120000-ab12', strategy: 'roll', phase: 'rolling', startedAt: Date.UTC(2026, 0, 1, 12), updatedAt: Date.UTC(2026, 0, 1, 12, 1),
    templateId: 'lt-0123456789abcdef0', fromVersion: '3', toVersion: '4', original: { min: 6, max: 6, desired: 6 }, suspendedByUs: [],
    settings: { surge: 2, floor: 6, warmupSeconds: 10, maxFailedLaunches: 3, timeoutSeconds: 1200 },
  };
  const old = decodeRecord(new Map(Object.entries(encodeRecord(record))))!;
  assert.equal(old.startedBy, undefined);
  assert.equal(decodeRecord(new Map(Object.entries(encodeRecord({ ...record, startedBy: 'bob@laptop' }))))!.startedBy, 'bob@laptop');
  // The longest deploy tag (a blue/green rollback with a long reason) stays within 256 characters.
  const longest = encodeRecord({ ...record, strategy: 'bluegreen', phase: 'rolling-back', reason: 'x'.repeat(300), startedBy: 'u'.repeat(100) });
  for (const [key, value] of Object.entries(longest)) assert.ok(value.length <= 256, `${key}: ${value.length}`);

  const { entries } = reconstructHistory({
    group: 'web',
    now: Date.UTC(2026, 0, 2),
    last: { id: 'd-20260101T120000-ab12', strategy: 'roll', outcome: 'done', from: '3', to: '4', started: '2026-01-01T12:00:00.000Z', finished: '2026-01-01T12:04:00.000Z' },
    activities: [],
    currentInstances: [],
  });
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.id, 'd-20260101T120000-ab12');
  assert.equal(entries[0]!.outcome, 'succeeded');
  assert.equal(entries[0]!.durationSeconds, 240);
  assert.deepEqual(entries[0]!.sources, ['last']);
});

test('22 deploys (two rolled back) → history --output json from a fresh HOME lists at least the last 20, each with who, outcome, floor and lowest serving', async () => {
  // startFleet takes a ScaledClock; it only calls now() and sleep(), which a VirtualClock has.
  const fleet = await startFleet({ size: 2, clock: new VirtualClock(Date.UTC(2026, 0, 1, 12)) as unknown as ScaledClock });
  try {
    const deploys: { id: string; outcome: string }[] = [];
    for (let i = 0; i < 22; i++) {
      const bad = i === 5 || i === 15;
      const image = await fleet.image(bad ? { 'emulator:health': 'unhealthy' } : {});
      const { ctx } = fleet.context();
      const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 }, ...(bad ? { maxFailedLaunches: 0 } : {}) });
      assert.equal(result.outcome, bad ? 'rolled-back' : 'succeeded', JSON.stringify(result));
      deploys.push({ id: result.deployId!, outcome: result.outcome });
      await fleet.clock.sleep(60_000);
    }
    const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    const ours = group.tags.filter((t) => t.key.startsWith('asg-deploy:'));
    assert.ok(ours.length <= 1 + RING_TAG_COUNT, `after the deploys only last and the ring remain: ${ours.map((t) => t.key).join(', ')}`);
    assert.ok(group.tags.length <= 50, 'within the 50 tags of a group');

    const home = freshHome();
    const env = cliEnv({ HOME: home });
    delete env.XDG_STATE_HOME;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [CLI_BIN, '--endpoint-url', fleet.emu.endpoint, '--region', TEST_REGION, 'history', fleet.group, '--output', 'json', '--limit', '30'], { env, cwd: home, timeout: 60_000, killSignal: 'SIGKILL' }, (error, out, err) => {
        if (error) return reject(new Error(`history failed: ${error.message}\n${err}`));
        resolve(out);
      });
    });
    const rows = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const listed = rows.filter((r) => r.kind === 'deploy');
    const why = JSON.stringify(listed.map((r) => [r.id, r.outcome, r.startedBy, r.floor, r.lowestServing]));
    assert.ok(listed.length >= 20, `${listed.length} deploys listed: ${why}`);
    const newest = deploys.slice(-20).reverse();
    assert.deepEqual(listed.slice(0, 20).map((r) => r.id), newest.map((d) => d.id), 'the last 20, newest first');
    const me = `${userInfo().username}@${hostname()}`;
    for (const [i, d] of newest.entries()) {
      const row = listed[i]!;
      assert.equal(row.outcome, d.outcome === 'succeeded' ? 'succeeded' : 'rolled-back', why);
      assert.equal(row.startedBy, me, why);
      assert.equal(row.floor, 2, why);
      assert.equal(typeof row.lowestServing, 'number', why);
      assert.equal(row.lowestServingEstimated, false, `counted by the run, not estimated: ${why}`);
      assert.ok(Number(row.lowestServing) >= 2, `the floor held: ${why}`);
      assert.equal(typeof row.durationSeconds, 'number', why);
    }
    assert.equal(listed.filter((r) => r.outcome === 'rolled-back').length, 2, why);
    assert.ok(listed.filter((r) => r.outcome === 'rolled-back').every((r) => typeof r.reason === 'string' && r.reason.length > 0), `a rollback keeps a short reason: ${why}`);
  } finally {
    await fleet.close();
  }
});
