/** Helpers for the bake/prune tests: history filters, and running the CLI in-process. */
import type { HistoryEntry } from '../../src/emulator/index.js';
import { exec } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/context.js';

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

/** Runs `asg-deploy ARGV` in this process (main's `exec`) and captures what it prints. */
export async function runCli(argv: string[], options: { isTty?: boolean } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: options.isTty ?? false };
  const code = await exec(argv, io);
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
