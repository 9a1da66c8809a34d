/**
 * Helpers for the bake/prune tests: history filters, and running the CLI
 * in-process with `bake`/`prune` registered (through main's `exec` once
 * src/cli/main.ts wires registerBakeCommands; until then the same program
 * main builds, plus these commands, with main's exit-code rules).
 */
import { CommanderError } from 'commander';
import type { HistoryEntry } from '../../src/emulator/index.js';
import { buildProgram, exec } from '../../src/cli/main.js';
import { registerBakeCommands } from '../../src/cli/commands/bake.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import type { CliContext, CliIo } from '../../src/cli/context.js';

export type CallEntry = Extract<HistoryEntry, { type: 'call' }>;

/** Actions that change something (Describe*, Get*, List* do not). */
export const MUTATING = /^(Create|Update|Set|Terminate|Suspend|Resume|Delete|Put|Attach|Detach|Enter|Exit|Register|Deregister|Modify|Run|Start|Stop|Reboot|Copy|Enable|Disable)/;

export function callsSince(entries: readonly HistoryEntry[], from: number): CallEntry[] {
  return entries.filter((e): e is CallEntry => e.type === 'call' && e.t >= from);
}

export function mutatingCallsSince(entries: readonly HistoryEntry[], from: number): CallEntry[] {
  return callsSince(entries, from).filter((e) => MUTATING.test(e.action));
}

export interface CliRun {
  code: number;
  out: string[];
  err: string[];
  stdout: string;
  stderr: string;
}

function bakeIsWired(): boolean {
  const probe: CliContext = { io: { out() {}, err() {}, isTty: false }, output: 'text', exitCode: 0 };
  return buildProgram(probe).commands.some((c) => c.name() === 'bake');
}

/** main.ts's error → exit code rule, for the fallback path (kept in step with reportError there). */
function exitCodeForError(ctx: CliContext, e: unknown): number {
  const err = e as { code?: string; message?: string; fault?: string; hint?: string };
  if (ctx.output === 'json') ctx.io.out(JSON.stringify({ event: 'error', code: err.code ?? 'INTERNAL', message: err.message ?? String(e) }));
  else {
    ctx.io.err(`error: ${err.message ?? String(e)}`);
    if (err.hint) ctx.io.err(`  ${err.hint}`);
  }
  if (err.fault === 'user') return ExitCode.BadInput;
  if (err.fault === 'aws') return ExitCode.AwsError;
  if (typeof err.code === 'string' && err.fault) return ExitCode.Failed;
  return ExitCode.Internal;
}

/** Runs `asg-deploy ARGV` in this process and captures what it prints. */
export async function runCli(argv: string[], options: { isTty?: boolean } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: options.isTty ?? false };
  let code: number;
  if (bakeIsWired()) {
    code = await exec(argv, io);
  } else {
    const ctx: CliContext = { io, output: 'text', exitCode: ExitCode.Success };
    const program = buildProgram(ctx);
    registerBakeCommands(program, ctx);
    try {
      await program.parseAsync(argv, { from: 'user' });
      code = ctx.exitCode;
    } catch (e) {
      code = e instanceof CommanderError ? (e.exitCode === 0 ? ExitCode.Success : ExitCode.BadInput) : exitCodeForError(ctx, e);
    }
  }
  return { code, out, err, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Credentials and no config files for the in-process CLI (the SDK's default chain reads the environment). */
export function useTestCredentials(): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  delete process.env.ASG_DEPLOY_TIME_SCALE;
}
