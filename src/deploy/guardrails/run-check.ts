/**
 * Runs the user's `--check` command once, through `/bin/sh -c` (so quoting,
 * pipes and `&&` work as typed), with the instance it judges in the
 * environment. Its time limit waits on the injected Clock, and the deploy's
 * AbortSignal (Ctrl-C) ends it: in both cases the whole process group is
 * killed, so a `curl` the shell started does not outlive the check.
 *
 * @example
 *   const r = await runCheck({ command: 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health', env, clock, timeoutMs: 30_000 });
 *   if (!r.ok) console.log(r.output.join('\n'));
 */
import { spawn } from 'node:child_process';
import type { Clock } from '../../clock/index.js';
import { OutputTail } from '../../core/output-tail.js';

export interface RunCheckInput {
  command: string;
  /** Added to this process's environment. */
  env: Readonly<Record<string, string>>;
  clock: Clock;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Lines of output kept for the verdict. Default 20. */
  tailLines?: number;
  /** After SIGTERM, how long (on the clock) before SIGKILL. Default 5 s. */
  killGraceMs?: number;
}

export interface CheckRun {
  ok: boolean;
  /** The exit code, when the command exited by itself. */
  exitCode?: number;
  /** The signal that ended it (ours on a timeout or abort, or another). */
  signal?: string;
  timedOut: boolean;
  aborted: boolean;
  /** Last lines of stdout and stderr, interleaved as they came. */
  output: string[];
  durationMs: number;
  /** Why it could not start (e.g. no /bin/sh). */
  spawnError?: string;
}

export async function runCheck(input: RunCheckInput): Promise<CheckRun> {
  const { clock } = input;
  const started = clock.now();
  const tail = new OutputTail(input.tailLines ?? 20);
  if (input.signal?.aborted) {
    return { ok: false, timedOut: false, aborted: true, output: [], durationMs: 0 };
  }
  const child = spawn('/bin/sh', ['-c', input.command], {
    env: { ...process.env, ...input.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a kill reaches what the shell started.
    detached: true,
  });
  child.stdout.setEncoding('utf8').on('data', (s: string) => tail.push(s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => tail.push(s));

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    // 'close' waits for the pipes to drain, so the tail holds the last lines.
    child.once('close', (code, signal) => resolve({ code, signal }));
  });

  const stop = new AbortController();
  let timedOut = false;
  let aborted = false;
  const kill = (sig: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  const terminate = async () => {
    kill('SIGTERM');
    try {
      await clock.sleep(input.killGraceMs ?? 5_000, stop.signal);
      kill('SIGKILL');
    } catch {
      /* it exited within the grace */
    }
  };
  const onAbort = () => {
    aborted = true;
    void terminate();
  };
  input.signal?.addEventListener('abort', onAbort, { once: true });
  clock.sleep(input.timeoutMs, stop.signal).then(
    () => {
      timedOut = true;
      void terminate();
    },
    () => {
      /* the command ended first */
    },
  );

  const end = await exited;
  stop.abort();
  input.signal?.removeEventListener('abort', onAbort);
  if (end.error) tail.push(`\n${end.error.message}`);
  const signal = end.signal ?? undefined;
  return {
    ok: end.code === 0 && !timedOut && !aborted && end.error === undefined,
    ...(end.code === null ? {} : { exitCode: end.code }),
    ...(signal === undefined ? {} : { signal }),
    timedOut,
    aborted,
    output: tail.lines(),
    durationMs: clock.now() - started,
    ...(end.error ? { spawnError: end.error.message } : {}),
  };
}
