/**
 * `exec(argv) → exit code`: the whole CLI, callable from tests and other
 * programs. Commands are registered in one place (commands/index.ts); each
 * parses its flags, calls the library (loaded when the command runs), and
 * renders its typed events. Errors end as one `error` event in the same
 * envelope as every other (NDJSON with --output json).
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { errorEvent, toJsonLine } from '../events/registry.js';
import { COMMANDS } from './commands/index.js';
import { processIo, type CliContext, type CliIo, type OutputFormat } from './context.js';
import { EXIT_CODES_HELP, ExitCode, exitCodeForError } from './exit-codes.js';
import { parseEndpointUrl, parseTimeScale } from './runtime.js';
import { iamPolicyCommandFor } from '../permissions/policy-command-hint.js';

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
    .option('--endpoint-url <url>', 'send every AWS call here, e.g. the local emulator (else AWS_ENDPOINT_URL)', (v) => parseEndpointUrl(v, '--endpoint-url'))
    .option('--time-scale <k>', 'run the tool\'s clock k× fast to match an emulator started with --speed k (else ASG_DEPLOY_TIME_SCALE)', (v) => parseTimeScale(v, '--time-scale'))
    .option('-v, --verbose', 'show every event')
    .option('--no-color', 'no colour on a terminal (also NO_COLOR=1); plain lines and JSON never have any')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.io.out(s.replace(/\n$/, '')),
      writeErr: (s) => ctx.io.err(s.replace(/\n$/, '')),
    })
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP)
    .hook('preAction', (thisCommand) => {
      ctx.output = thisCommand.opts().output as OutputFormat;
      ctx.color = thisCommand.opts().color !== false;
    });
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

export async function exec(argv: string[], io: CliIo = processIo): Promise<number> {
  const ctx: CliContext = { io, output: 'text', exitCode: ExitCode.Success };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    // A flag parser's error surfaces before preAction: read --output from argv then.
    if (argv.some((a, i) => a === '--output=json' || a === '-ojson' || ((a === '-o' || a === '--output') && argv[i + 1] === 'json'))) ctx.output = 'json';
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (e.exitCode === 0) return ExitCode.Success;
      // Commander printed its usage error on stderr; scripts reading stdout get it as an `error` event too.
      if (ctx.output === 'json') {
        ctx.io.out(toJsonLine(errorEvent({ code: 'BAD_INPUT', fault: 'user', message: e.message.replace(/^error: /, ''), hint: 'see `asg-deploy --help` or `asg-deploy COMMAND --help`', details: { commanderCode: e.code } }, ExitCode.BadInput, Date.now())));
      }
      return ExitCode.BadInput;
    }
    return reportError(ctx, withPolicyHint(e, argv));
  }
}

/** A command stopped by a denied call also names the `iam-policy` command that prints the policy it needs. */
function withPolicyHint(e: unknown, argv: string[]): unknown {
  const err = e as { code?: string; hint?: string } | undefined;
  const printIt = err?.code === 'ACCESS_DENIED' ? iamPolicyCommandFor(argv) : undefined;
  if (printIt) (err as { hint?: string }).hint = `print the policy this command needs: ${printIt}${err!.hint ? `\n  ${err!.hint}` : ''}`;
  return e;
}

/** Prints the error (an `error` event with --output json, else a line and its hint) and returns its exit code. */
export function reportError(ctx: CliContext, e: unknown): number {
  const exitCode = exitCodeForError(e);
  const err = (typeof e === 'object' && e !== null ? e : { message: String(e) }) as { code?: string; message?: string; fault?: string; hint?: string; details?: Readonly<Record<string, unknown>> };
  const event = errorEvent(exitCode === ExitCode.Internal ? { ...err, code: 'INTERNAL', fault: 'system' } : err, exitCode, Date.now());
  if (ctx.output === 'json') {
    ctx.io.out(toJsonLine(event));
  } else {
    // Ctrl-C is a clean stop at a safe point, not a failure.
    ctx.io.err(`${exitCode === ExitCode.Interrupted ? 'stopped' : 'error'}: ${event.message}`);
    if (event.hint) ctx.io.err(`  ${event.hint}`);
    if (exitCode === ExitCode.Internal) ctx.io.err((e as Error)?.stack ?? '');
  }
  return exitCode;
}
