/**
 * The built binary, run as a user would (`node dist/src/cli/bin.js …`), with
 * the async execFile so the emulator in this process keeps answering.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { CLI_BIN, cliEnv, startFleet } from '../helpers/fleet.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI_BIN, ...args], { env: cliEnv(), timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && error.killed) return reject(new Error(`asg-deploy ${args.join(' ')} timed out; stderr: ${stderr}`));
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Nothing listens here: a command that should fail before any AWS call cannot reach AWS by accident. */
const NOWHERE = ['--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1'];

const show = (r: Run) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

// These four start no emulator: run them side by side.
describe('help and usage errors', { concurrency: true }, () => {
  test('--help lists the commands and the exit codes', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0, show(r));
    for (const command of ['roll', 'resume', 'abort', 'status', 'emulator', 'demo']) {
      assert.match(r.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), `lists ${command}: ${show(r)}`);
    }
    assert.match(r.stdout, /Exit codes:/, show(r));
    for (const code of ['0', '1', '2', '3', '4', '5', '70', '130']) {
      assert.match(r.stdout, new RegExp(`^\\s+${code}\\s+\\S`, 'm'), `documents exit code ${code}: ${show(r)}`);
    }
    assert.match(r.stdout, /rolled back/, show(r));
    assert.doesNotMatch(r.stdout + r.stderr, /NodeVersionSupportWarning/, 'no SDK warning spray');
  });

  test('roll --help teaches: the flags (--max-surge, --dry-run, …), how it works, and examples', async () => {
    const r = await cli(['roll', '--help']);
    assert.equal(r.code, 0, show(r));
    for (const flag of ['--max-surge', '--min-healthy', '--dry-run', '--image', '--template-version', '--no-rollback', '--timeout']) {
      assert.ok(r.stdout.includes(flag), `mentions ${flag}: ${show(r)}`);
    }
    assert.match(r.stdout, /Examples:/, show(r));
    assert.match(r.stdout, /asg-deploy roll \S+ --image ami-/, show(r));
    assert.match(r.stdout, /--dry-run/, show(r));
    assert.match(r.stdout, /floor|--min-healthy/, show(r));
  });

  test('a bad flag value (--max-surge banana) exits 2 with a message naming the value', async () => {
    const r = await cli([...NOWHERE, 'roll', 'web', '--image', 'ami-0123456789abcdef0', '--max-surge', 'banana']);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /banana/, show(r));
    assert.match(r.stderr, /--max-surge/, show(r));
    assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace for a user error: ${show(r)}`);
  });

  test('roll with both --template-version and --image exits 2 and says to pick one', async () => {
    const r = await cli([...NOWHERE, 'roll', 'web', '--template-version', '7', '--image', 'ami-0123456789abcdef0']);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /--template-version/, show(r));
    assert.match(r.stderr, /--image/, show(r));
    assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace for a user error: ${show(r)}`);
  });
});

test('status prints the instances by version; --output json roll --dry-run prints NDJSON with a plan and changes nothing', async () => {
  const fleet = await startFleet({ size: 3 });
  try {
    const target = ['--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1'];
    const status = await cli([...target, 'status', fleet.group]);
    assert.equal(status.code, 0, show(status));
    assert.match(status.stdout, /desired 3/, show(status));
    assert.match(status.stdout, /version 1: 3 instance\(s\), 3 serving \(3 InService\)/, show(status));
    const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    for (const i of instances) assert.ok(status.stdout.includes(i.id), `lists ${i.id}: ${show(status)}`);

    const image = await fleet.image();
    const from = fleet.clock.now();
    const dry = await cli([...target, '--output', 'json', 'roll', fleet.group, '--image', image, '--dry-run']);
    assert.equal(dry.code, 0, show(dry));
    const lines = dry.stdout.split('\n').filter((l) => l.trim() !== '');
    assert.ok(lines.length >= 1, show(dry));
    const events = lines.map((l) => {
      try {
        return JSON.parse(l) as { code: string; [k: string]: unknown };
      } catch {
        return assert.fail(`not a JSON line: ${JSON.stringify(l)}\n${show(dry)}`);
      }
    });
    const plan = events.find((e) => e.code === 'plan');
    assert.ok(plan, show(dry));
    assert.equal(plan.desired, 3);
    assert.equal(plan.replace, 3);
    assert.equal(plan.fromVersion, '1');
    assert.ok(events.every((e) => typeof e.code === 'string' && typeof e.time === 'string'), show(dry));
    assert.doesNotMatch(dry.stdout, /dry run: nothing was changed/, 'JSON output stays pure NDJSON');
    const mutating = fleet.history().filter((h) => h.type === 'call' && h.t >= from && /^(Create|Update|Set|Terminate|Suspend|Resume|Delete|Put)/.test(h.action));
    assert.deepEqual(mutating, [], 'the dry run changed nothing');

    const text = await cli([...target, 'roll', fleet.group, '--image', image, '--dry-run']);
    assert.equal(text.code, 0, show(text));
    assert.match(text.stdout, /^plan: /m, show(text));
    assert.match(text.stdout, /dry run: nothing was changed/, show(text));
  } finally {
    await fleet.close();
  }
});

test('a deploy of a never-healthy image is rolled back: exit code 1, and the fleet serves the previous version', async () => {
  const speed = 200;
  const fleet = await startFleet({ size: 3, speed });
  try {
    const bad = await fleet.image({ 'emulator:health': 'unhealthy' });
    const r = await cli(['--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--time-scale', String(speed), 'roll', fleet.group, '--image', bad]);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stdout, /rolling back to version 1/, show(r));
    assert.match(r.stdout, /rolled back to version 1/, show(r));
    const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(group.launchTemplate?.version, '1');
    const inService = instances.filter((i) => i.lifecycleState === 'InService');
    assert.equal(inService.length, 3);
    assert.ok(inService.every((i) => i.launchTemplate?.version === '1'), show(r));
  } finally {
    await fleet.close();
  }
});
