/**
 * The one estimator of a rolling deploy's time (issue 10 item 3), used by the
 * plan (`plan.expectedSeconds`, core/plan.ts) and by every progress event
 * (`progress.etaSeconds`, deploy/engine/progress-eta.ts): what is left, from
 * the waves still to run — split at the checkpoints still ahead, plus the
 * evening of uneven AZs the plan can foresee — the time one wave takes, the
 * pauses and the bake time still ahead, and the final drain. And a tracker
 * that keeps the estimate honest: it only goes down while nothing goes wrong,
 * and when it must go up (a failed launch to replace, a pause, a deploy
 * slower than the estimate) it says why. Pure: time comes in as numbers.
 *
 * Where the time of a rolling deploy goes (wave-loop.ts, measured on the
 * emulator with the race timings: about 1 + 3 × 67 + 3 + 10 = 214 s for 6
 * instances at a surge of 2; this estimate says 226 s):
 * - the lock's read-back before the first change (store.ts `acquire`: 1 s);
 * - each wave: boot, the application starting, the target group's health
 *   checks (HealthyThresholdCount × HealthCheckIntervalSeconds: ELBv2 "Health
 *   checks for your target groups"), then the stability window a new instance
 *   must keep serving before it counts (roll.ts: the longer of the warmup and
 *   those health checks) — the loop polls when something is due
 *   (core/poll-due.ts), so it sees each step as it happens;
 * - each checkpoint pause (`--checkpoint-pause`), which starts one poll after
 *   the wave that reached it (the old instances retired first);
 * - after the last wave, at most one poll to see it done, then the old instances'
 *   drain (the deregistration delay) — which runs during the bake time when
 *   there is one (roll.ts bakes before it waits for the drained instances).
 *
 * @example
 *   const timing = { bootMs: 30_000, readyMs: 20_000, healthCheckMs: 10_000, warmupMs: 0, drainMs: 10_000, pollMs: 5_000 };
 *   estimateDeploy({ replace: 6, total: 6, perWave: 2, timing, beforeLock: true }).ms   // 1 000 + 3 × 70 000 + 5 000 + 10 000 = 226 000
 *   const eta = new EtaTracker();
 *   eta.next(0, 226_000);                                             // { etaSeconds: 226 }
 */
import { percentOfCeil } from './amount.js';
import type { CheckpointPause } from './checkpoints.js';

/** The lock is written, then read back after this long (deploy/engine/store.ts `acquire`). */
export const LOCK_READ_BACK_MS = 1_000;
/** The wave loop's poll when none is given (deploy/engine/context.ts DEFAULT_POLL_INTERVAL_MS). */
export const ESTIMATE_POLL_MS = 5_000;

/** What one wave and the end of a deploy take (the fields of core/plan.ts WaveTiming). */
export interface EstimateTiming {
  /** EC2 `pending` → `running`, plus the group's Pending → InService. */
  bootMs: number;
  /** From running until the application answers health checks. */
  readyMs: number;
  /** HealthyThresholdCount × HealthCheckIntervalSeconds of the target group (the longest). */
  healthCheckMs: number;
  /** The warmup after it is healthy; the stability window is the longer of this and healthCheckMs. */
  warmupMs: number;
  /** The target groups' deregistration delay (the longest). */
  drainMs: number;
  /** Per-wave overhead (API calls). Default 0. */
  overheadMs?: number;
  /** The wave loop's poll interval. Default 5 s. */
  pollMs?: number;
}

/** The guardrails that take time (docs/guardrails.md): checkpoint pauses and the bake time. */
export interface EstimateSchedule {
  /** Ascending checkpoint percentages (`--checkpoints`). */
  checkpoints?: readonly number[];
  /** `--checkpoint-pause`: a duration, or `wait` (until `asg-deploy continue`: not estimable). */
  pause?: CheckpointPause;
  /** The highest checkpoint already paused at (0 for none). */
  passed?: number;
  /** `--bake-time` after the last replacement. */
  bakeMs?: number;
}

/** The poll interval the estimate assumes. */
export function pollMsOf(timing: EstimateTiming): number {
  return timing.pollMs ?? ESTIMATE_POLL_MS;
}

/**
 * One wave, from raising desired until its new instances count: boot, ready,
 * health checks, and the stability window (roll.ts readyWindowMs: the longer
 * of the warmup and the health checks). The wave loop looks when something is
 * due (core/poll-due.ts), so no poll delay is added. The first passing check
 * often comes sooner than a whole interval after the application is ready, so
 * this is an upper bound by up to one interval: an ETA that errs high counts
 * down, one that errs low must rise.
 */
export function waveMs(timing: EstimateTiming): number {
  const stabilityMs = Math.max(timing.warmupMs, timing.healthCheckMs);
  return timing.bootMs + timing.readyMs + timing.healthCheckMs + stabilityMs + (timing.overheadMs ?? 0);
}

/** Waves still to run for `left` instances at `perWave` a wave. */
export function wavesLeft(left: number, perWave: number): number {
  if (left <= 0) return 0;
  return Math.ceil(left / Math.max(1, perWave));
}

/**
 * The checkpoints still ahead of a deploy at `done` of `total` replaced, as
 * instance counts: each one's share of the fleet, rounded up as the engine
 * rounds it (core/checkpoints.ts), in order. A checkpoint reached but not yet
 * paused at (above `passed`) is still ahead.
 */
export function checkpointsAhead(schedule: EstimateSchedule | undefined, total: number): number[] {
  if (!schedule?.checkpoints || !schedule.pause || total <= 0) return [];
  const passed = schedule.passed ?? 0;
  return schedule.checkpoints.filter((p) => p > passed).map((p) => Math.max(1, percentOfCeil(p, total)));
}

/**
 * Waves for `left` more replacements when every checkpoint ahead caps the wave
 * that reaches it (the engine never launches past a checkpoint before its
 * pause: wave-loop.ts capLaunches), e.g. 6 at 2 a wave with a checkpoint at
 * 50 % run 2 + 1 | pause | 2 + 1: four waves, not three.
 */
export function wavesWithCheckpoints(left: number, total: number, perWave: number, thresholds: readonly number[]): number {
  let done = Math.max(0, total - left);
  let waves = 0;
  for (const at of [...thresholds.filter((t) => t < total), total]) {
    if (at <= done) continue;
    waves += wavesLeft(at - done, perWave);
    done = at;
  }
  return waves;
}

/**
 * Extra one-wave rounds the plan foresees to even out AZs that are uneven at
 * the start. The group keeps "an equal number of instances across enabled
 * Availability Zones" (Amazon EC2 Auto Scaling user guide, "Auto Scaling group
 * Availability Zone distribution",
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html),
 * so it launches each new instance where there are fewest, and the deploy retires old instances from the fullest AZs first
 * (core/plan.ts chooseInstancesToRetire), so every old instance in an AZ above
 * its even share moves one instance for free; what the old instances cannot
 * move takes extra waves of `perWave`.
 *
 * @param zones per AZ: every launching or serving instance, and the old ones among them
 */
export function foreseenEveningWaves(zones: ReadonlyMap<string, { all: number; old: number }>, perWave: number): number {
  if (zones.size === 0) return 0;
  const total = [...zones.values()].reduce((n, z) => n + z.all, 0);
  const share = Math.ceil(total / zones.size);
  let stuck = 0;
  for (const z of zones.values()) {
    const excess = Math.max(0, z.all - share);
    stuck += Math.max(0, excess - z.old);
  }
  return wavesLeft(stuck, perWave);
}

export interface DeployEstimateInput {
  /** Instances still to replace (old ones, plus failed launches to redo). */
  replace: number;
  /** The fleet the deploy replaces (the start's desired capacity): the checkpoints' base. */
  total: number;
  /** Instances replaced per wave (surge + desired − floor; at least 1). */
  perWave: number;
  timing: EstimateTiming;
  schedule?: EstimateSchedule;
  /** Waves the plan adds to even out AZs (foreseenEveningWaves). Default 0. */
  eveningWaves?: number;
  /** Time already spent in the wave that runs now (0 when none runs). */
  inWaveMs?: number;
  /** A wave runs now (an evening wave with no old instance left counts as one). */
  waveRunning?: boolean;
  /** Measured time of one wave (wave start to its instances counted), once a wave was seen. */
  learntWaveMs?: number;
  /** True before the deploy took its lock (the plan): the lock's read-back is ahead. Default false. */
  beforeLock?: boolean;
}

export interface DeployEstimate {
  /** Time left, ms, not counting `wait` pauses (see unknownBecause). */
  ms: number;
  /** Waves ahead, including the one running and those the checkpoints split off. */
  waves: number;
  /** Checkpoint pauses ahead (timed or `wait`). */
  pauses: number;
  /**
   * Set when a `wait` checkpoint is ahead: nobody can say when someone runs
   * `asg-deploy continue`, so the time left is unknown (ms counts the rest).
   */
  unknownBecause?: string;
}

/**
 * The time left of a rolling deploy — for the plan (everything ahead) and for
 * each progress event (what remains) alike.
 */
export function estimateDeploy(input: DeployEstimateInput): DeployEstimate {
  const { timing, schedule } = input;
  const poll = pollMsOf(timing);
  const thresholds = checkpointsAhead(schedule, input.total);
  const replaceWaves = wavesWithCheckpoints(input.replace, input.total, input.perWave, thresholds);
  const waves = replaceWaves + (input.eveningWaves ?? 0) + (replaceWaves === 0 && input.waveRunning ? 1 : 0);
  const pauses = thresholds.length;
  const waits = schedule?.pause?.kind === 'wait' ? pauses : 0;
  const pauseMs = schedule?.pause?.kind === 'for' ? schedule.pause.ms : 0;
  const wave = input.learntWaveMs ?? waveMs(timing);
  const wavesMs = Math.max(0, waves * wave - (input.waveRunning ? Math.max(0, input.inWaveMs ?? 0) : 0));
  // The end: one poll to see the last wave done, then the drain — during the bake time when there is one.
  const endMs = poll + Math.max(Math.max(0, timing.drainMs), Math.max(0, schedule?.bakeMs ?? 0));
  const ms = (input.beforeLock ? LOCK_READ_BACK_MS : 0) + wavesMs + pauses * poll + (pauses - waits) * pauseMs + endMs;
  return {
    ms,
    waves,
    pauses,
    ...(waits > 0 ? { unknownBecause: `${waits === 1 ? 'a checkpoint pause ahead waits' : `${waits} checkpoint pauses ahead wait`} for \`asg-deploy continue\`` } : {}),
  };
}

export interface EtaReading {
  /** Absent when the time left is unknown (a `wait` pause ahead); etaReason then says why. */
  etaSeconds?: number;
  /** Set when etaSeconds went up since the last reading, or is unknown: why. */
  etaReason?: string;
}

/**
 * Keeps an ETA that does not jump: between readings the previous estimate
 * counts down with the clock, and a new raw estimate may only lower it — unless
 * a setback is named (then it may rise, with that reason), or the countdown ran
 * out while work remains (then it rises to the raw estimate: "slower than
 * estimated"). An unknown estimate (a `wait` pause) breaks the countdown: the
 * next number starts afresh.
 */
export class EtaTracker {
  private last?: { at: number; ms: number };

  /**
   * @param now  the clock, ms
   * @param rawMs  the estimator's time left now
   * @param setback  what went wrong (or paused) since the last reading, if anything
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

  /** The time left cannot be told (why: a `wait` pause): no number, and the next one starts afresh. */
  unknown(why: string): EtaReading {
    this.last = undefined;
    return { etaReason: why };
  }

  private keep(now: number, ms: number, reason?: string): EtaReading {
    const previous = this.last === undefined ? undefined : Math.round(Math.max(0, this.last.ms - (now - this.last.at)) / 1000);
    this.last = { at: now, ms };
    const etaSeconds = Math.round(ms / 1000);
    return reason !== undefined && previous !== undefined && etaSeconds > previous ? { etaSeconds, etaReason: reason } : { etaSeconds };
  }
}
