/**
 * One envelope for every JSON line (issues 8 and 10): with --output json each
 * line any command prints — deploy events, status, history, report,
 * continue, iam-policy, rehearse, the emulator's first line, usage and AWS
 * errors — is an event of the registry, validates against the published
 * schema, and carries only declared fields. (The demo's lines are checked in
 * demo.test.ts, bake's and prune's in events-schema.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/context.js';
import { CLI_BIN, cliEnv, startFleet } from '../helpers/fleet.js';
import { useTestCredentials } from '../bake/harness.js';
import { schemaErrors, undeclaredFields } from './event-lines-valid.js';

interface Capture {
  io: CliIo;
  lines: string[];
  /** Resolves with the first line matching `pattern`. */
  line(pattern: RegExp): Promise<string>;
}

function capture(): Capture {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  const io: CliIo = {
    out(l) {
      lines.push(l);
      for (const w of [...waiters]) {
        if (w.pattern.test(l)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    },
    err() {},
    isTty: false,
  };
  return {
    io,
    lines,
    line: (pattern) => {
      const hit = lines.find((l) => pattern.test(l));
      return hit !== undefined ? Promise.resolve(hit) : new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

/** The emulator's first line: `asg-deploy --output json emulator --port 0`, stopped with SIGTERM. */
function emulatorFirstLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, '--output', 'json', 'emulator', '--port', '0'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no line from the emulator: ${out}`));
    }, 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        resolve(out.split('\n')[0]!);
      }
    });
  });
}

test('every JSON line of every command is a registry event that validates against the schema', { timeout: 180_000 }, async () => {
  useTestCredentials();
  const speed = 400;
  const fleet = await startFleet({ size: 2, speed });
  const dir = await mkdtemp(path.join(tmpdir(), 'asg-deploy-json-'));
  try {
    const target = ['--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--time-scale', String(speed), '--output', 'json'];
    const all: string[] = [];
    const run = async (args: string[], expectCode: number) => {
      const c = capture();
      const code = await exec([...target, ...args], c.io);
      assert.equal(code, expectCode, `${args.join(' ')}: exit ${code}\n${c.lines.join('\n')}`);
      all.push(...c.lines);
      return c.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    };

    const [status] = await run(['status', fleet.group], 0);
    assert.equal(status?.code, 'status');
    assert.equal(status?.group, fleet.group);
    assert.equal(status?.desiredCapacity, 2, 'the fields scripts read are still there');
    assert.ok(Array.isArray(status?.instances));

    const image = await fleet.image();
    const dry = await run(['roll', fleet.group, '--image', image, '--dry-run'], 0);
    assert.ok(dry.some((e) => e.code === 'plan'));

    // A roll paused at a checkpoint, and `continue` from "another machine".
    const roll = capture();
    const rolling = exec([...target, 'roll', fleet.group, '--image', image, '--checkpoints', '50%', '--checkpoint-pause', 'wait'], roll.io);
    await roll.line(/"code":"checkpoint-paused"/);
    const [signalled] = await run(['continue', fleet.group], 0);
    assert.equal(signalled?.code, 'continue-signalled');
    assert.equal(typeof signalled?.deployId, 'string');
    assert.equal(await rolling, 0, roll.lines.join('\n'));
    all.push(...roll.lines);
    assert.ok(roll.lines.some((l) => l.includes('"code":"checkpoint-continued"')));

    const history = await run(['history', fleet.group, '--activities'], 0);
    assert.ok(history.length >= 2 && history.every((e) => e.code === 'history'), JSON.stringify(history));
    assert.ok(history.some((e) => e.kind === 'deploy' && e.outcome === 'succeeded'), 'the kind and outcome scripts select on are still there');

    const [written] = await run(['report', fleet.group, '--out', path.join(dir, 'r.html')], 0);
    assert.equal(written?.code, 'report-written');
    assert.equal(written?.path, path.join(dir, 'r.html'));

    const [policy] = await run(['iam-policy', 'roll', '--group', fleet.group], 0);
    assert.equal(policy?.code, 'iam-policy');

    const rehearsal = await run(['rehearse', 'roll', fleet.group, '--image', image, '--runs', '1'], 0);
    assert.equal(rehearsal.at(-1)?.code, 'rehearsal');

    const [usage] = await run(['roll', fleet.group, '--no-such-flag'], 2);
    assert.equal(usage?.code, 'error');
    assert.equal(usage?.errorCode, 'BAD_INPUT');
    assert.match(String(usage?.message), /--no-such-flag/);
    const [missing] = await run(['status', 'no-such-group'], 2);
    assert.equal(missing?.errorCode, 'GROUP_NOT_FOUND');

    const listening = await emulatorFirstLine();
    all.push(listening);
    const first = JSON.parse(listening) as Record<string, unknown>;
    assert.equal(first.code, 'emulator-listening');
    assert.equal(first.event, 'emulator.listening', 'the old name is kept for scripts');
    assert.match(String(first.endpoint), /^http:\/\/127\.0\.0\.1:\d+$/);

    const codes = new Set(all.map((l) => (JSON.parse(l) as { code: string }).code));
    for (const code of ['status', 'plan', 'continue-signalled', 'history', 'report-written', 'iam-policy', 'rehearsal', 'error', 'emulator-listening', 'done']) assert.ok(codes.has(code), `printed ${code}`);
    assert.deepEqual(schemaErrors(all), []);
    assert.deepEqual(undeclaredFields(all), []);
    // The checks can fail: a line without the envelope, an undeclared field.
    assert.ok(schemaErrors([JSON.stringify({ event: 'emulator.listening', endpoint: 'x' })]).length > 0);
    assert.deepEqual(undeclaredFields([JSON.stringify({ ...status, bogus: 1 })]), ['status: bogus']);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await fleet.close();
  }
});
