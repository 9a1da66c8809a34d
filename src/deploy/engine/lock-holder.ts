/**
 * Who holds a deploy's lock: host, process id and process start time
 * (issue 8). With them, `resume`/`abort` on the holder's own machine can tell
 * that the process which took the lock no longer runs (killed, crashed, the
 * laptop rebooted) and take the lock over without `--force`; from another
 * machine nobody can tell, and the refusal says so and names `--force`.
 *
 * The start time guards against pid reuse: a pid that runs again, but was
 * started at another time, is another process.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { DeployLock } from './record.js';

export interface LockHolder {
  host: string;
  pid: number;
  /** Epoch ms (wall clock) the process started. */
  processStartedAt: number;
}

/** The start time of a running process (epoch ms), or undefined when no such process runs. */
export type ProcessProbe = (pid: number) => number | undefined;

/** Start times read from /proc and from our own uptime can differ by clock-tick rounding. */
const START_TOLERANCE_MS = 2_000;

export type HolderState = 'gone' | 'running' | 'unknown';

/**
 * Whether the process holding `lock` is gone, judged from `host`. Pure:
 * `probe` answers for this machine's processes. `unknown` when the lock was
 * taken on another host, or written without a pid (a lock from before issue 8).
 *
 * @example
 *   lockHolderState({ …lock, host: 'ci-7', pid: 4242, processStartedAt: t }, 'ci-7', () => undefined) // 'gone'
 */
export function lockHolderState(lock: DeployLock, host: string, probe: ProcessProbe): HolderState {
  if (lock.host === undefined || lock.pid === undefined || lock.host !== host.slice(0, 63)) return 'unknown';
  const started = probe(lock.pid);
  if (started === undefined) return 'gone';
  if (lock.processStartedAt !== undefined && Math.abs(started - lock.processStartedAt) > START_TOLERANCE_MS) return 'gone';
  return 'running';
}

let bootTimeMs: number | undefined;

function readBootTimeMs(): number | undefined {
  if (bootTimeMs !== undefined) return bootTimeMs;
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('btime '));
    if (line) bootTimeMs = Number(line.slice(6)) * 1000;
  } catch {
    // Not Linux: fall back to the signal-0 probe below.
  }
  return bootTimeMs;
}

/** USER_HZ on Linux (sysconf(_SC_CLK_TCK)); 100 on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The start time of a process on this machine: from /proc/PID/stat (field 22,
 * `starttime` in clock ticks after boot; proc(5)) where there is one, else
 * whether `kill(pid, 0)` finds it (then its start time is unknown, reported
 * as `Number.NaN`: a running process whose start cannot be compared, so only
 * a missing process reads as gone).
 */
export const probeProcess: ProcessProbe = (pid) => {
  const boot = readBootTimeMs();
  if (boot !== undefined) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) is in parentheses and may hold spaces: split after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[19]);
      return boot + (ticks / CLOCK_TICKS_PER_SECOND) * 1000;
    } catch {
      return undefined;
    }
  }
  try {
    process.kill(pid, 0);
    return Number.NaN;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? Number.NaN : undefined;
  }
};

/** This process as a lock holder. */
export function currentHolder(): LockHolder {
  const own = probeProcess(process.pid);
  return {
    host: hostname(),
    pid: process.pid,
    processStartedAt: own !== undefined && Number.isFinite(own) ? own : Date.now() - process.uptime() * 1000,
  };
}
