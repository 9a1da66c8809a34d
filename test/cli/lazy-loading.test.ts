/**
 * The quick start (issue 11) as a property that does not depend on the
 * machine's speed: which modules a fresh `asg-deploy` process loads.
 * `--help` and `--version` load commander and the CLI's own small modules,
 * no AWS SDK, no deploy engine, no emulator; `status` on a missing group loads
 * the Auto Scaling client alone of the SDK's clients. (The timings are
 * measured by `npm run bench startup`.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startEmulator } from '../../src/emulator/index.js';
import { CLI_BIN, cliEnv } from '../helpers/fleet.js';

/** Every module URL a fresh `node bin.js ARGS` loads through the ESM loader (CommonJS packages show as their entry). */
function loadedBy(args: string[]): Promise<string[]> {
  const hook = 'data:text/javascript,export async function load(url, context, next) { process.stderr.write("LOADED " + url + "\\n"); return next(url, context); }';
  // Asynchronously: an emulator in this process must keep answering.
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--no-warnings', '--experimental-loader', hook, CLI_BIN, ...args], { env: cliEnv(), timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error && error.killed) return reject(error);
      resolve(stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length)));
    });
  });
}

const sdkClients = (modules: string[]) => [...new Set(modules.map((m) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(m)?.[1]).filter((m): m is string => m !== undefined))].sort();
const ours = (modules: string[], folder: string) => modules.filter((m) => m.includes(`/dist/src/${folder}/`));

test('--help and --version load no AWS SDK, no deploy engine, no emulator', async () => {
  for (const args of [['--help'], ['--version'], ['roll', '--help']]) {
    const modules = await loadedBy(args);
    assert.ok(modules.some((m) => m.endsWith('/dist/src/cli/main.js')), `${args.join(' ')}: the hook saw the CLI load`);
    assert.deepEqual(modules.filter((m) => m.includes('/node_modules/@aws-sdk/')), [], `${args.join(' ')} loads no SDK`);
    for (const folder of ['deploy', 'emulator', 'aws', 'bake', 'config', 'report']) assert.deepEqual(ours(modules, folder), [], `${args.join(' ')} loads nothing of src/${folder}`);
  }
});

test('status on a missing group loads the Auto Scaling client alone of the SDK\'s clients, and no emulator', async () => {
  const emu = await startEmulator({ port: 0 });
  try {
    const modules = await loadedBy(['--endpoint-url', emu.endpoint, '--region', 'us-east-1', 'status', 'no-such-group']);
    assert.deepEqual(sdkClients(modules), ['client-auto-scaling']);
    assert.deepEqual(ours(modules, 'emulator'), []);
    // It reads the record on the group: not the strategies, the wave loop or zod (their codecs).
    assert.deepEqual(ours(modules, 'deploy/strategies'), [], 'status loads no strategy');
    assert.deepEqual(ours(modules, 'deploy/engine').filter((m) => /wave-loop|strategy|state-codec/.test(m)), [], 'status loads no wave loop or codec');
    assert.deepEqual(modules.filter((m) => m.includes('/node_modules/zod/')), [], 'status loads no zod');
  } finally {
    await emu.close();
  }
});
