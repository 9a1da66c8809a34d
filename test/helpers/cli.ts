/**
 * The built binary run as a user would (`node dist/src/cli/bin.js …`), with
 * the async execFile so an emulator in this process keeps answering.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { CLI_BIN, cliEnv } from './fleet.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { env: options.env ?? cliEnv(), timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && error.killed) return reject(new Error(`asg-deploy ${args.join(' ')} timed out; stderr: ${stderr}`));
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A running asg-deploy whose stdout lines can be awaited (for signals and races). */
export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<CliRun>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): CliProcess {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const w of [...waiters]) {
      const hit = stdout.split('\n').find((l) => w.pattern.test(l));
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<CliRun>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return {
    child,
    exited,
    line(pattern) {
      const hit = stdout.split('\n').find((l) => pattern.test(l));
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then((r) => reject(new Error(`asg-deploy exited ${r.code} before printing ${pattern}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)));
      });
    },
  };
}

export const showRun = (r: CliRun) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
