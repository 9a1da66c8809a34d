/** `emulator` (run the local AWS until Ctrl-C) and `demo` (the product on the embedded emulator). Both load the emulator only when they run. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { badInput } from '../../core/errors.js';
import { ExitCode } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { parseIntegerOption, parseNumberOption } from '../options.js';
import { toJsonLine } from '../../events/index.js';

export const DEFAULT_EMULATOR_PORT = 4545;

export function registerEmulatorCommands(program: Command, ctx: CliContext): void {
  program
    .command('emulator')
    .description('run the local AWS emulator (Auto Scaling, EC2, ELBv2, CloudWatch) until Ctrl-C')
    .option('--host <address>', 'interface to listen on (loopback unless you say otherwise)', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 picks a free one)', parseIntegerOption('--port', 0, 65535), DEFAULT_EMULATOR_PORT)
    .option('--speed <k>', 'simulated seconds per real second (60 makes a 30 s boot take half a second)', parseNumberOption('--speed', 0.001, 100000), 1)
    .option('--seed <n>', 'seed for ids, boot jitter and flaky health checks (same seed + same calls = same state)', parseIntegerOption('--seed', 0, 2 ** 32 - 1), 1)
    .option('--state <file>', 'keep the emulated world in FILE: loaded at start (created if missing), saved every 30 s and on Ctrl-C/SIGTERM')
    // The emulator checks the bounds (100 … 10,000,000) when it starts: nothing of it loads before the command runs.
    .option('--history-size <n>', 'entries of recorded history kept, oldest dropped first and counted in /_emulator/history (default 200000)', parseIntegerOption('--history-size', 1, Number.MAX_SAFE_INTEGER))
    .option('--iam-policy <file>', 'enforce this IAM policy document on every AWS call, as IAM would (AccessDenied / UnauthorizedOperation); see `asg-deploy iam-policy`')
    .addHelpText(
      'after',
      `
Then, in another shell, point any AWS client at it:
  export AWS_ENDPOINT_URL=http://127.0.0.1:${DEFAULT_EMULATOR_PORT} AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \\
         AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
  aws autoscaling describe-auto-scaling-groups

Steer it through its admin API (see the README), e.g. jump 5 simulated minutes:
  curl -X POST http://127.0.0.1:${DEFAULT_EMULATOR_PORT}/_emulator/clock -d '{"advanceSeconds":300}'`,
    )
    .action(async (opts: { host: string; port: number; speed: number; seed: number; state?: string; historySize?: number; iamPolicy?: string }, command: Command) => {
      const iamPolicy = opts.iamPolicy === undefined ? undefined : await readPolicyFile(opts.iamPolicy);
      // A seed given with --state would not be the saved world's: the file's own seed wins unless the flag was typed.
      const seed = opts.state && command.getOptionValueSource('seed') === 'default' ? undefined : opts.seed;
      const { startEmulator } = await import('../../emulator/index.js');
      const emu = await startEmulator({
        host: opts.host,
        port: opts.port,
        speed: opts.speed,
        seed,
        stateFile: opts.state,
        historySize: opts.historySize,
        ...(iamPolicy === undefined ? {} : { iamPolicy }),
      });
      const exportLine =
        `export AWS_ENDPOINT_URL=${emu.endpoint} AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 ` +
        `AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`;
      if (ctx.output === 'json') {
        ctx.io.out(toJsonLine({ code: 'emulator-listening', t: Date.now(), event: 'emulator.listening', endpoint: emu.endpoint, speed: opts.speed, seed: emu.sim.seed, exportLine, ...(opts.state ? { stateFile: opts.state, now: new Date(emu.sim.now).toISOString() } : {}) }));
      } else {
        ctx.io.out(`asg-deploy emulator listening on ${emu.endpoint} (speed ${opts.speed}×, seed ${emu.sim.seed})`);
        if (opts.state) ctx.io.out(`State kept in ${opts.state} (simulated time ${new Date(emu.sim.now).toISOString()})`);
        if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
          ctx.io.err(`warning: listening on ${opts.host}, not loopback: anyone who can reach this address can drive the emulator`);
        }
        ctx.io.out('Point AWS clients at it (paste into another shell):');
        ctx.io.out(`  ${exportLine}`);
        ctx.io.out(`Admin API: ${emu.endpoint}/_emulator/  (clock, faults, history, state). Ctrl-C stops it.`);
        if (opts.iamPolicy !== undefined) ctx.io.out(`Enforcing the IAM policy in ${opts.iamPolicy} (lift it: curl -X DELETE ${emu.endpoint}/_emulator/iam-policy)`);
      }
      const signal = await waitForStop();
      await emu.close();
      if (ctx.output !== 'json') ctx.io.err(`emulator stopped (${signal})`);
      ctx.exitCode = ExitCode.Success;
    });

  program
    .command('demo')
    .description('the product in under a minute on the embedded emulator: build a fleet, roll it, roll a broken release and watch it roll back, then blue/green with an instant rollback')
    .option('--speed <k>', 'simulated seconds per real second', parseNumberOption('--speed', 1, 10000), 40)
    .option('--size <n>', 'instances in the group', parseIntegerOption('--size', 1, 200), 6)
    .option('--seed <n>', 'emulator seed', parseIntegerOption('--seed', 0, 2 ** 32 - 1), 1)
    .action(async (opts: { speed: number; size: number; seed: number }) => {
      const { runDemo } = await import('../demo/demo.js');
      const acts = await runDemo(ctx, opts);
      const expected = ['succeeded', 'rolled-back', 'succeeded', 'rolled-back'];
      const ok = acts.map((a) => a.outcome).join() === expected.join() && acts.every((a) => a.lowestServing >= a.floor);
      ctx.exitCode = ok ? ExitCode.Success : ExitCode.Failed;
    });
}

/** The policy file's text, checked as IAM would check it, or a BAD_INPUT naming the file. */
async function readPolicyFile(file: string): Promise<string> {
  const { parsePolicyDocument, PolicyDocumentError } = await import('../../emulator/iam/index.js');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw badInput(`--iam-policy ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { hint: 'write one with `asg-deploy iam-policy roll --group NAME > policy.json`' });
  }
  try {
    parsePolicyDocument(text);
  } catch (e) {
    if (e instanceof PolicyDocumentError) throw badInput(`--iam-policy ${file}: ${e.message}`);
    throw e;
  }
  return text;
}

function waitForStop(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}
