/**
 * Every exit code `asg-deploy --help` documents, on the paths a user meets,
 * running the built binary (issue 8: "exit codes match --help on every path").
 * 70 (a bug) cannot be caused from outside on purpose: its rule is tested on
 * exitCodeForError, with the classification of network failures no test can
 * stage without a real network (host unreachable, timed out).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toAsgDeployError } from '../../src/aws/index.js';
import { ERROR_EXIT, EXIT_CODES_HELP, ExitCode, exitCodeFor, exitCodeForError } from '../../src/cli/exit-codes.js';
import { AsgDeployError, ERROR_CODES } from '../../src/core/index.js';
import { runCli, showRun, startCli } from '../helpers/cli.js';
import { cliEnv, startFleet } from '../helpers/fleet.js';

/** Nothing listens on port 9 (discard): connections are refused at once. */
const REFUSED = ['--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1', '--time-scale', '1000'];
const noStack = (r: { stderr: string }) => assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace: ${r.stderr}`);

describe('exit codes without an emulator', { concurrency: true }, () => {
  const rows: { name: string; args: string[]; env?: NodeJS.ProcessEnv; code: number; says: RegExp }[] = [
    { name: '--help', args: ['--help'], code: ExitCode.Success, says: /Exit codes:/ },
    { name: '--version', args: ['--version'], code: ExitCode.Success, says: /asg-deploy \d+\.\d+\.\d+ on Node/ },
    { name: 'a bad flag value', args: [...REFUSED, 'roll', 'web', '--image', 'ami-0123456789abcdef0', '--max-surge', 'banana'], code: ExitCode.BadInput, says: /banana/ },
    { name: 'an unknown command', args: ['rol'], code: ExitCode.BadInput, says: /roll/ },
    { name: 'a malformed --endpoint-url', args: ['--endpoint-url', 'not a url', '--region', 'us-east-1', 'status', 'web'], code: ExitCode.BadInput, says: /--endpoint-url "not a url"/ },
    { name: 'an --endpoint-url that is not http(s)', args: ['--endpoint-url', 'ftp://127.0.0.1:9', '--region', 'us-east-1', 'status', 'web'], code: ExitCode.BadInput, says: /ftp:\/\// },
    { name: 'a malformed AWS_ENDPOINT_URL', args: ['--region', 'us-east-1', 'status', 'web'], env: cliEnv({ AWS_ENDPOINT_URL: 'localhost:4545' }), code: ExitCode.BadInput, says: /AWS_ENDPOINT_URL "localhost:4545"/ },
    { name: 'a refused connection', args: [...REFUSED, 'status', 'web'], code: ExitCode.AwsError, says: /could not reach aws.*ECONNREFUSED 127\.0\.0\.1:9/ },
    { name: 'a host that does not resolve', args: ['--endpoint-url', 'http://asg-deploy-test.invalid', '--region', 'us-east-1', 'status', 'web'], code: ExitCode.AwsError, says: /could not reach aws.*asg-deploy-test\.invalid/ },
    { name: 'an unknown profile', args: [...REFUSED, '--profile', 'no-such-profile', 'status', 'web'], code: ExitCode.AwsError, says: /profile "no-such-profile" not found/ },
    { name: 'an unknown AWS_PROFILE', args: [...REFUSED, 'status', 'web'], env: cliEnv({ AWS_PROFILE: 'ghost' }), code: ExitCode.AwsError, says: /profile "ghost" not found/ },
    {
      name: 'missing credentials',
      args: [...REFUSED, 'status', 'web'],
      env: Object.fromEntries(Object.entries(cliEnv()).filter(([k]) => k !== 'AWS_ACCESS_KEY_ID' && k !== 'AWS_SECRET_ACCESS_KEY')),
      code: ExitCode.AwsError,
      says: /credentials were missing/,
    },
  ];
  for (const row of rows) {
    test(`${row.name} → ${row.code}`, async () => {
      const r = await runCli(row.args, row.env ? { env: row.env } : {});
      assert.equal(r.code, row.code, showRun(r));
      assert.match(r.stdout + r.stderr, row.says, showRun(r));
      noStack(r);
    });
  }

  test('--output json: the error is one NDJSON event with the exit code', async () => {
    const r = await runCli(['--output', 'json', ...REFUSED, '--profile', 'nope', 'status', 'web']);
    assert.equal(r.code, ExitCode.AwsError, showRun(r));
    const event = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
    assert.equal(event.code, 'error');
    assert.equal(event.level, 'error');
    assert.equal(event.errorCode, 'NO_CREDENTIALS');
    assert.equal(event.exitCode, 5);
    assert.equal(typeof event.time, 'string');
  });
});

test('the rules behind the table: every error code and outcome has its exit code, and --help documents each', () => {
  assert.deepEqual(Object.keys(ERROR_EXIT).sort(), Object.keys(ERROR_CODES).sort());
  for (const code of new Set(Object.values(ExitCode))) assert.match(EXIT_CODES_HELP, new RegExp(`^\\s+${code}\\s+\\S`, 'm'), `--help documents ${code}`);
  assert.equal(exitCodeForError(new Error('boom')), ExitCode.Internal);
  assert.equal(exitCodeForError(new TypeError('x is undefined')), ExitCode.Internal);
  assert.equal(exitCodeForError(new AsgDeployError('INTERNAL', 'an assumption did not hold')), ExitCode.Internal);
  assert.equal(exitCodeForError(new AsgDeployError('LOCKED', 'locked')), ExitCode.Locked);
  for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNREFUSED', 'ENOTFOUND']) {
    const e = toAsgDeployError(Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code }), { service: 'autoscaling', operation: 'DescribeAutoScalingGroups' });
    assert.equal(e.code, 'NETWORK', code);
    assert.equal(exitCodeForError(e), ExitCode.AwsError, code);
  }
  assert.equal(exitCodeFor({ outcome: 'rolled-back' }), ExitCode.RolledBack);
  assert.equal(exitCodeFor({ outcome: 'failed' }), ExitCode.Failed);
  assert.equal(exitCodeFor({ outcome: 'interrupted' }), ExitCode.Interrupted);
});

test('against the emulator: 0, 2 (unknown group), 1 (rolled back), 3 (--no-rollback), 4 (locked), 130 (Ctrl-C)', { timeout: 240_000 }, async () => {
  const speed = 200;
  const fleet = await startFleet({ size: 2, speed });
  try {
    const target = ['--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--time-scale', String(speed)];
    const ok = await runCli([...target, 'status', fleet.group]);
    assert.equal(ok.code, ExitCode.Success, showRun(ok));
    const missing = await runCli([...target, 'status', 'no-such-group']);
    assert.equal(missing.code, ExitCode.BadInput, showRun(missing));
    assert.match(missing.stderr, /no-such-group/);
    noStack(missing);

    const bad = await fleet.image({ 'emulator:health': 'unhealthy' });
    const rolledBack = await runCli([...target, 'roll', fleet.group, '--image', bad, '--max-failed-launches', '1']);
    assert.equal(rolledBack.code, ExitCode.RolledBack, showRun(rolledBack));
    const leftAsIs = await runCli([...target, 'roll', fleet.group, '--image', bad, '--max-failed-launches', '1', '--no-rollback']);
    assert.equal(leftAsIs.code, ExitCode.Failed, showRun(leftAsIs));
    const aborted = await runCli([...target, 'abort', fleet.group, '--force']);
    assert.equal(aborted.code, ExitCode.Success, showRun(aborted));

    // A slow but healthy release holds the lock long enough for a second deploy to be refused, then Ctrl-C stops it.
    const slow = await fleet.image({ 'emulator:boot-seconds': '900' });
    const first = startCli([...target, '--output', 'json', 'roll', fleet.group, '--image', slow]);
    try {
      await first.line(/"code":"wave-started"/);
      const second = await runCli([...target, 'roll', fleet.group, '--image', slow]);
      assert.equal(second.code, ExitCode.Locked, showRun(second));
      noStack(second);
      first.child.kill('SIGINT');
      const stopped = await first.exited;
      assert.equal(stopped.code, ExitCode.Interrupted, showRun(stopped));
      assert.match(stopped.stdout, /"code":"interrupted"/, showRun(stopped));
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  } finally {
    await fleet.close();
  }
});
