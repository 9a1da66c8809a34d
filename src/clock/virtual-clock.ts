/**
 * Time that runs as fast as the work allows: when nothing holds the clock and
 * someone sleeps, it jumps straight to the earliest wake-up. A deploy run on it
 * against an in-process emulator takes simulated minutes in real milliseconds,
 * and the result does not depend on how busy the machine is (a ScaledClock's
 * does: slow real work stretches simulated time). `rehearse` runs on it.
 *
 * Whoever waits on something that is not a sleep (an AWS call over HTTP, a child
 * process) holds the clock for that long ({@link hold}), so time does not jump
 * while an answer is on its way: `src/aws/call.ts` holds it around each attempt.
 *
 * @example
 *   const clock = new VirtualClock(Date.UTC(2026, 0, 1));
 *   await clock.sleep(60_000); // resolves at once; clock.now() is 60 s later
 */
import type { Clock } from './clock.js';

interface Sleeper {
  wakeAt: number;
  seq: number;
  resolve: () => void;
}

export class VirtualClock implements Clock {
  readonly speed = Infinity;
  private current: number;
  private sleepers: Sleeper[] = [];
  private holds = 0;
  private seq = 0;
  private ticking = false;

  constructor(start: number = Date.UTC(2026, 0, 1, 12)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('The operation was aborted', 'AbortError'));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal!.reason ?? new DOMException('The operation was aborted', 'AbortError'));
      };
      // A woken sleeper takes its abort listener with it: a deploy's signal lives
      // for the whole deploy and sees one sleep per poll (hundreds in a rehearsal).
      const sleeper: Sleeper = {
        wakeAt: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.schedule();
    });
  }

  /** Time stands still until the returned function is called (an answer is on its way). */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.schedule();
    };
  }

  /** Moves time forward by `ms` (the emulator's admin API), waking whoever is due. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`can only advance the clock forward, got ${ms} ms`);
    this.current += ms;
    this.wakeDue();
  }

  private schedule(): void {
    if (this.ticking) return;
    this.ticking = true;
    // Two turns of the event loop: whatever a woken sleeper or a finished call
    // starts next (another call holds the clock at once) runs before time jumps.
    setImmediate(() =>
      setImmediate(() => {
        this.ticking = false;
        if (this.holds > 0 || this.sleepers.length === 0) return;
        const next = Math.min(...this.sleepers.map((s) => s.wakeAt));
        if (next > this.current) this.current = next;
        this.wakeDue();
      }),
    );
  }

  private wakeDue(): void {
    const due = this.sleepers.filter((s) => s.wakeAt <= this.current).sort((a, b) => a.wakeAt - b.wakeAt || a.seq - b.seq);
    if (due.length === 0) return;
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.current);
    for (const s of due) s.resolve();
    this.schedule();
  }
}
