/**
 * `asg-deploy rehearse` as a user runs it: the built CLI against a "live"
 * emulator; only reads reach it; exit 0 when the deploy would succeed and 1
 * (with the failure named) when it would not; --report writes the HTML report.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { CLI_BIN, cliEnv, startFleet } from '../helpers/fleet.js';
import { runChild } from '../interop/child-process.js';
import { prepareInstances } from '../helpers/pair.js';

test('rehearse roll from the CLI: read-only, exit 0 for a good release and 1 for one that never gets healthy, --report written', { timeout: 300_000 }, async () => {
  const fleet = await startFleet({ size: 3, speed: 20 });
  try {
    const good = await fleet.image();
    const broken = await fleet.image({ 'emulator:health': 'unhealthy' });
    const before = fleet.history().length;
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-cli-'));
    const report = join(dir, 'rehearsal.html');
    const env = cliEnv();
    const base = ['--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--output', 'json', 'rehearse', 'roll', fleet.group, '--runs', '2'];

    const ok = await runChild(process.execPath, [CLI_BIN, ...base, '--image', good, '--report', report], { env, timeoutMs: 240_000 });
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    const okReport = JSON.parse(ok.stdout.trim().split('\n').pop()!) as { code: string; succeeded: boolean; runs: unknown[]; predictedSeconds: { median: number }; lowestServing: number; floor: number; reportPath: string };
    assert.equal(okReport.code, 'rehearsal');
    assert.equal(okReport.succeeded, true);
    assert.equal(okReport.runs.length, 2);
    assert.ok(okReport.predictedSeconds.median > 0);
    assert.ok(okReport.lowestServing >= okReport.floor, `floor held on the copy: ${okReport.lowestServing} / ${okReport.floor}`);
    assert.ok(existsSync(report) && readFileSync(report, 'utf8').includes('<svg'), 'the report of the first run was written');

    const bad = await runChild(process.execPath, [CLI_BIN, ...base, '--image', broken, '--timeout', '3m'], { env, timeoutMs: 240_000 });
    assert.equal(bad.code, 1, bad.stderr + bad.stdout);
    const badReport = JSON.parse(bad.stdout.trim().split('\n').pop()!) as { succeeded: boolean; problems: { code: string; message: string; fix: string }[] };
    assert.equal(badReport.succeeded, false);
    const failed = badReport.problems.find((p) => p.code === 'deploy-failed');
    assert.ok(failed, JSON.stringify(badReport.problems));
    assert.match(failed.message, /rolled-back|failed/);

    const writes = fleet
      .history()
      .slice(before)
      .filter((e) => e.type === 'call' && !/^(Describe|Get|List)/.test(e.action));
    assert.deepEqual(writes, [], 'the live fleet was only read');
  } finally {
    await fleet.close();
  }
});

test('rehearse swap from the CLI: the prepared instances are copied, the swap succeeds on the copy, the live fleet is only read', { timeout: 300_000 }, async () => {
  const fleet = await startFleet({ size: 2, speed: 20 });
  try {
    const image = await fleet.image();
    const { ids } = await prepareInstances(fleet, 2, { image });
    const before = fleet.history().length;
    const run = await runChild(
      process.execPath,
      [CLI_BIN, '--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--output', 'json', 'rehearse', 'swap', fleet.group, '--instances', ids.join(','), '--runs', '1'],
      { env: cliEnv(), timeoutMs: 240_000 },
    );
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as { succeeded: boolean; runs: { outcome: string }[]; lowestServing: number; floor: number };
    assert.equal(report.succeeded, true);
    assert.equal(report.runs[0]!.outcome, 'succeeded');
    assert.ok(report.lowestServing >= report.floor, `floor held on the copy: ${report.lowestServing} / ${report.floor}`);
    const writes = fleet
      .history()
      .slice(before)
      .filter((e) => e.type === 'call' && !/^(Describe|Get|List)/.test(e.action));
    assert.deepEqual(writes, [], 'the live fleet was only read');
  } finally {
    await fleet.close();
  }
});
