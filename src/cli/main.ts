/**
 * `exec(argv) → exit code`: the whole CLI, callable from tests and other
 * programs. Commands are thin: they parse flags, call the library, and render
 * its typed events.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerReportCommand } from './commands/report.js';
import { registerRollCommands } from './commands/roll.js';
import { registerStatusCommand } from './commands/status.js';
import { registerBakeCommands } from './commands/bake.js';
import { registerIamPolicyCommand } from './commands/iam-policy.js';
import { registerStrategyCommands } from './commands/bluegreen.js';
import { parseTimeScale } from './deploy-context.js';
import { processIo, type CliContext, type CliIo, type OutputFormat } from './context.js';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes.js';

function packageVersion(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      /* try the next layout (src/ vs dist/src/) */
    }
  }
  return 'unknown';
}

function versionText(): string {
  const major = Number(process.versions.node.split('.')[0]);
  const note = major < 22 ? ' (Node < 22: supported; the AWS SDK\'s end-of-support warning is silenced)' : '';
  return `asg-deploy ${packageVersion()} on Node ${process.versions.node}${note}`;
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('asg-deploy')
    .description('zero-downtime, observable, undoable deploys onto EC2 Auto Scaling groups, with a local AWS emulator to rehearse them')
    .version(versionText(), '-V, --version')
    .addOption(new Option('-o, --output <format>', 'text for people, json for scripts (one JSON object per line)').choices(['text', 'json']).default('text'))
    .option('--region <region>', 'AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile\'s)')
    .option('--profile <name>', 'AWS profile from ~/.aws/config (else AWS_PROFILE)')
    .option('--endpoint-url <url>', 'send every AWS call here, e.g. the local emulator (else AWS_ENDPOINT_URL)')
    .option('--time-scale <k>', 'run the tool\'s clock k× fast to match an emulator started with --speed k (else ASG_DEPLOY_TIME_SCALE)', (v) => parseTimeScale(v, '--time-scale'))
    .option('-v, --verbose', 'show every event')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.io.out(s.replace(/\n$/, '')),
      writeErr: (s) => ctx.io.err(s.replace(/\n$/, '')),
    })
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP)
    .hook('preAction', (thisCommand) => {
      ctx.output = thisCommand.opts().output as OutputFormat;
    });
  registerEmulatorCommand(program, ctx);
  registerRollCommands(program, ctx);
  registerStrategyCommands(program, ctx);
  registerStatusCommand(program, ctx);
  registerBakeCommands(program, ctx);
  registerDemoCommand(program, ctx);
  registerIamPolicyCommand(program, ctx);
  registerHistoryCommand(program, ctx);
  registerReportCommand(program, ctx);
  return program;
}

export async function exec(argv: string[], io: CliIo = processIo): Promise<number> {
  const ctx: CliContext = { io, output: 'text', exitCode: ExitCode.Success };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? ExitCode.Success : ExitCode.BadInput;
    }
    return reportError(ctx, e);
  }
}

function reportError(ctx: CliContext, e: unknown): number {
  const err = e as { code?: string; message?: string; fault?: string; hint?: string };
  if (ctx.output === 'json') {
    ctx.io.out(JSON.stringify({ event: 'error', code: err.code ?? 'INTERNAL', message: err.message ?? String(e) }));
  } else {
    ctx.io.err(`error: ${err.message ?? String(e)}`);
    if (err.hint) ctx.io.err(`  ${err.hint}`);
  }
  if (err.code === 'INTERRUPTED') return ExitCode.Interrupted;
  if (err.code === 'LOCKED') return ExitCode.Locked;
  if (err.fault === 'user') return ExitCode.BadInput;
  if (err.fault === 'aws') return ExitCode.AwsError;
  if (typeof err.code === 'string' && err.fault) return ExitCode.Failed;
  if (!err.fault && ctx.output !== 'json') ctx.io.err((e as Error)?.stack ?? '');
  return ExitCode.Internal;
}
