/**
 * The one ETA estimator (issue 10 item 3): what is left of a deploy, from the
 * waves still to run and the time one wave takes, and a tracker that keeps the
 * estimate honest — it only goes down while nothing goes wrong, and when it
 * must go up (a failed launch to replace, a pause, a deploy slower than the
 * estimate) it says why. Pure: time comes in as numbers.
 *
 * @example
 *   const eta = new EtaTracker();
 *   eta.next(0, remainingMs({ left: 6, perWave: 2, waveMs: 70_000, drainMs: 0, inWaveMs: 0 }));
 *   // { etaSeconds: 210 }
 */

export interface RemainingInput {
  /** Instances still to replace (old ones, plus failed launches to redo). */
  left: number;
  /** Instances replaced per wave (the plan's wave size; at least 1). */
  perWave: number;
  /** Launch-to-ready time of one wave (core/plan.ts waveDurationMs). */
  waveMs: number;
  /** The last wave's drain (deregistration delay), once at the end. */
  drainMs: number;
  /** Time already spent in the current wave (0 when none runs). */
  inWaveMs: number;
}

/** Waves still to run for `left` instances at `perWave` a wave. */
export function wavesLeft(left: number, perWave: number): number {
  if (left <= 0) return 0;
  return Math.ceil(left / Math.max(1, perWave));
}

/**
 * Time left: the waves still to run, less what the current one already spent
 * (never below nothing), plus the final drain when anything remains.
 */
export function remainingMs(input: RemainingInput): number {
  const waves = wavesLeft(input.left, input.perWave);
  if (waves === 0) return 0;
  return Math.max(0, waves * input.waveMs - Math.max(0, input.inWaveMs)) + Math.max(0, input.drainMs);
}

/** The expected duration of a whole deploy, for the plan: the same arithmetic from the start. */
export function plannedMs(replace: number, perWave: number, waveMs: number, drainMs: number): number {
  return remainingMs({ left: replace, perWave, waveMs, drainMs, inWaveMs: 0 });
}

export interface EtaReading {
  etaSeconds: number;
  /** Set only when etaSeconds went up since the last reading: why. */
  etaReason?: string;
}

/**
 * Keeps an ETA that does not jump: between readings the previous estimate
 * counts down with the clock, and a new raw estimate may only lower it — unless
 * a setback is named (then it may rise, with that reason), or the countdown ran
 * out while work remains (then it rises to the raw estimate: "slower than
 * estimated").
 */
export class EtaTracker {
  private last?: { at: number; ms: number };

  /**
   * @param now  the clock, ms
   * @param rawMs  the estimator's time left now
   * @param setback  what went wrong since the last reading, if anything
   */
  next(now: number, rawMs: number, setback?: string): EtaReading {
    const raw = Math.max(0, rawMs);
    if (this.last === undefined) return this.keep(now, raw);
    const countdown = Math.max(0, this.last.ms - Math.max(0, now - this.last.at));
    if (raw <= countdown) return this.keep(now, raw);
    if (setback !== undefined) return this.keep(now, raw, setback);
    if (countdown <= 0 && raw > 0) return this.keep(now, raw, 'slower than estimated');
    return this.keep(now, countdown);
  }

  private keep(now: number, ms: number, reason?: string): EtaReading {
    const previous = this.last === undefined ? undefined : Math.round(Math.max(0, this.last.ms - (now - this.last.at)) / 1000);
    this.last = { at: now, ms };
    const etaSeconds = Math.round(ms / 1000);
    return reason !== undefined && previous !== undefined && etaSeconds > previous ? { etaSeconds, etaReason: reason } : { etaSeconds };
  }
}
