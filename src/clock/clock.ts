/**
 * Time, injected. Everything that waits takes a Clock (architecture.md "Time"):
 * the real one in production, a scaled one for demos and whole-deploy tests,
 * a manual one for unit tests. Nothing else calls Date.now or setTimeout to wait.
 */
export interface Clock {
  /** Simulated epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` simulated milliseconds; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Simulated seconds per real second (1 for the real clock, 0 when paused). */
  readonly speed: number;
  /**
   * Keep time still until the returned function is called: the caller waits
   * on something that is not a sleep (an AWS call in flight). Only a clock that
   * moves by itself when everyone sleeps (VirtualClock) needs it.
   */
  hold?(): () => void;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** Real time: `now()` is Date.now(). */
export class RealClock implements Clock {
  readonly speed = 1;
  now(): number {
    return Date.now();
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return realSleep(ms, signal);
  }
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `speed`× faster than real time from a starting instant. The speed can be
 * changed and the clock paused or advanced by hand (the emulator's admin API, E-2):
 * sleepers are re-timed whenever the rate or the offset changes.
 */
export class ScaledClock implements Clock {
  private simAtAnchor: number;
  private realAnchor: number;
  private rate: number;
  private sleepers = new Set<{ wakeAt: number; timer?: NodeJS.Timeout; fire: () => void }>();

  constructor(speed = 1, start = Date.now()) {
    if (!(speed >= 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed must be a finite number >= 0, got ${speed}`);
    this.rate = speed;
    this.simAtAnchor = start;
    this.realAnchor = Date.now();
  }

  get speed(): number {
    return this.rate;
  }

  now(): number {
    return this.simAtAnchor + (Date.now() - this.realAnchor) * this.rate;
  }

  /** Changes the rate from now on (0 pauses). */
  setSpeed(speed: number): void {
    if (!(speed >= 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed must be a finite number >= 0, got ${speed}`);
    this.reanchor();
    this.rate = speed;
    this.retime();
  }

  /** Jumps simulated time forward by `ms`. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`can only advance the clock forward, got ${ms} ms`);
    this.reanchor();
    this.simAtAnchor += ms;
    this.retime();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const sleeper = {
        wakeAt: this.now() + Math.max(0, ms),
        timer: undefined as NodeJS.Timeout | undefined,
        fire: () => {
          this.sleepers.delete(sleeper);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        clearTimeout(sleeper.timer);
        this.sleepers.delete(sleeper);
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.add(sleeper);
      this.arm(sleeper);
    });
  }

  private reanchor(): void {
    this.simAtAnchor = this.now();
    this.realAnchor = Date.now();
  }

  private arm(s: { wakeAt: number; timer?: NodeJS.Timeout; fire: () => void }): void {
    clearTimeout(s.timer);
    const remainingSim = s.wakeAt - this.now();
    if (remainingSim <= 0) {
      s.timer = setTimeout(s.fire, 0);
    } else if (this.rate > 0) {
      s.timer = setTimeout(s.fire, Math.ceil(remainingSim / this.rate));
    } else {
      s.timer = undefined; // paused: woken by advance() or setSpeed()
    }
  }

  private retime(): void {
    for (const s of this.sleepers) this.arm(s);
  }
}

/**
 * Moves only when told (`advance`, `set`): for unit tests and for an emulator
 * driven entirely through its admin API. Sleepers wake in order of their wake time.
 */
export class ManualClock implements Clock {
  readonly speed = 0;
  private current: number;
  private sleepers: { wakeAt: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const entry = {
        wakeAt: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== entry);
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(entry);
      if (ms <= 0) this.wakeDue();
    });
  }

  /** Moves time forward by `ms`, waking every sleeper that is due, in order. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`can only advance the clock forward, got ${ms} ms`);
    this.current += ms;
    this.wakeDue();
  }

  /** Number of pending sleepers (lets a test know the code under test is waiting). */
  get pending(): number {
    return this.sleepers.length;
  }

  private wakeDue(): void {
    const due = this.sleepers.filter((s) => s.wakeAt <= this.current).sort((a, b) => a.wakeAt - b.wakeAt || a.seq - b.seq);
    this.sleepers = this.sleepers.filter((s) => s.wakeAt > this.current);
    for (const s of due) s.resolve();
  }
}
