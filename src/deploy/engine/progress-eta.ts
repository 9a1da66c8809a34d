/**
 * The ETA of every progress event (issue 10 item 3), from the same estimator
 * as the plan (core/eta.ts estimateDeploy): the wave loop tells it when a wave
 * starts and what the fleet looks like; it answers `{ etaSeconds, etaReason }`.
 *
 * - The first progress event already has an ETA: one wave's time comes from
 *   the target group (health checks, deregistration delay) and the assumed
 *   boot and application start (preflight.ts estimateTiming), as in the plan;
 *   once a wave has been seen, its measured time (wave start to its instances
 *   counted) replaces the assumption.
 * - Checkpoint pauses and the bake time ahead are counted; a `wait` pause
 *   ahead makes the time left unknown: no number, and etaReason says why.
 * - The ETA only goes down while nothing goes wrong (EtaTracker); a failed
 *   launch, a pause or a wave to even out AZs that raise it say so.
 *
 * @example
 *   const eta = await progressEta(ctx, fleet.group, { perWave: 2, stabilityMs: 10_000 });
 *   eta.waveStarted(now, old);
 *   const reading = eta.reading(now, { old, onTarget, ready, total }, failedLaunches);  // { etaSeconds: 221 }
 */
import { checkpointReached, EtaTracker, estimateDeploy, formatDuration, type EstimateSchedule, type EstimateTiming, type EtaReading, type Group } from '../../core/index.js';
import type { Guardrail } from '../guardrail.js';
import type { DeployContext } from './context.js';
import { DEFAULT_POLL_INTERVAL_MS } from './context.js';
import { estimateTiming } from './preflight.js';
import type { CheckpointGuardrail } from '../guardrails/checkpoint-guardrail.js';

/** The checkpoint guardrail among a deploy's (the test wave-guards.ts makes; not imported from there: wave-guards.ts depends on the wave loop, which depends on this file). */
function isCheckpointGuardrail(g: unknown): g is CheckpointGuardrail {
  return typeof g === 'object' && g !== null && (g as { name?: string }).name === 'checkpoints' && typeof (g as CheckpointGuardrail).passed === 'function';
}

/** The guardrails that take time, read at each estimate (a checkpoint passed is no longer ahead). */
export type ScheduleSource = () => EstimateSchedule;

/**
 * The checkpoint pauses and bake time of a deploy's guardrails — the options
 * given to a strategy, or its run's (`{ guardrails: run.guards.set.guardrails,
 * bakeTimeMs: run.guards.bakeTimeMs }`) — as the estimator takes them.
 */
export function guardrailSchedule(options: { readonly guardrails?: readonly Guardrail[]; readonly bakeTimeMs?: number }): ScheduleSource {
  const checkpoints = options.guardrails?.find(isCheckpointGuardrail);
  const bakeMs = options.bakeTimeMs ?? 0;
  return () => ({
    ...(checkpoints === undefined ? {} : { checkpoints: checkpoints.checkpoints, pause: checkpoints.pause, passed: checkpoints.passed() }),
    ...(bakeMs > 0 ? { bakeMs } : {}),
  });
}

/** The estimator's `asg-deploy continue` with the group to continue. */
export function forGroup(text: string, group: string): string {
  return text.replace('`asg-deploy continue`', `\`asg-deploy continue ${group}\``);
}

export interface FleetProgress {
  /** Old instances still to replace. */
  old: number;
  /** Instances on the target version, launching or serving. */
  onTarget: number;
  /** Those of them counted ready. */
  ready: number;
  /** The fleet the deploy replaces (its start's desired capacity). */
  total: number;
}

export interface ProgressEtaSettings {
  timing: EstimateTiming;
  /** Instances replaced per wave: surge + desired − floor. */
  perWave: number;
  group: string;
  schedule?: ScheduleSource;
}

export class ProgressEta {
  private readonly tracker = new EtaTracker();
  private waveStartedAt: number | undefined;
  private learntWaveMs: number | undefined;
  private failedSeen = 0;
  private waveHadFailure = false;
  /** A wave started with no old instance left: AZs are evened out (the plan did not foresee it). */
  private evening = false;
  private eveningTold = false;

  constructor(private readonly settings: ProgressEtaSettings) {}

  /** A wave starts now (desired raised, or old instances retired for the group to replace). */
  waveStarted(now: number, old: number): void {
    this.waveStartedAt = now;
    this.waveHadFailure = false;
    if (old === 0) this.evening = true;
  }

  /** The ETA for a progress event; failedLaunches counts every failed launch of the deploy so far. */
  reading(now: number, fleet: FleetProgress, failedLaunches: number): EtaReading {
    if (this.waveStartedAt !== undefined && fleet.onTarget > 0 && fleet.onTarget === fleet.ready) {
      // The running wave is counted: its time is what the next waves will take (unless a failure stretched it).
      if (!this.waveHadFailure) this.learntWaveMs = now - this.waveStartedAt;
      this.waveStartedAt = undefined;
      this.waveHadFailure = false;
    }
    const setbacks: string[] = [];
    if (failedLaunches > this.failedSeen) {
      setbacks.push(`${failedLaunches - this.failedSeen} launch(es) failed; replacing them adds time`);
      // The group launches the replacement now: the running wave (or a new one) starts over from here.
      this.waveStartedAt = now;
      this.waveHadFailure = true;
    }
    this.failedSeen = Math.max(this.failedSeen, failedLaunches);
    if (this.evening && !this.eveningTold && this.waveStartedAt !== undefined) {
      setbacks.push('availability zones uneven after the waves; one more wave evens them out');
      this.eveningTold = true;
    }
    const estimate = this.estimate(now, fleet);
    if (estimate.unknownBecause !== undefined) return this.tracker.unknown(forGroup(estimate.unknownBecause, this.settings.group));
    return this.tracker.next(now, estimate.ms, setbacks.length > 0 ? setbacks.join('; ') : undefined);
  }

  /**
   * The ETA as the deploy holds at a checkpoint (before the pause starts):
   * a timed pause is counted (a rise says so); a `wait` pause makes it unknown.
   */
  pausing(now: number, fleet: FleetProgress): EtaReading {
    const schedule = this.settings.schedule?.();
    const percent = schedule?.checkpoints ? checkpointReached(schedule.checkpoints, { onTarget: fleet.onTarget, total: fleet.total }, schedule.passed ?? 0) : undefined;
    const where = percent === undefined ? 'a checkpoint' : `checkpoint ${percent}%`;
    if (schedule?.pause?.kind === 'wait') return this.tracker.unknown(`paused at ${where} until \`asg-deploy continue ${this.settings.group}\``);
    const pause = schedule?.pause?.kind === 'for' ? ` for ${formatDuration(schedule.pause.ms)}` : '';
    // The poll between the wave that reached it and the pause is spent now.
    const ms = this.estimate(now, fleet).ms - (this.settings.timing.pollMs ?? 0);
    return this.tracker.next(now, ms, `paused at ${where}${pause}`);
  }

  private estimate(now: number, fleet: FleetProgress) {
    const schedule = this.settings.schedule?.();
    return estimateDeploy({
      replace: fleet.old,
      total: fleet.total,
      perWave: this.settings.perWave,
      timing: this.settings.timing,
      ...(schedule === undefined ? {} : { schedule }),
      waveRunning: this.waveStartedAt !== undefined,
      inWaveMs: this.waveStartedAt === undefined ? 0 : now - this.waveStartedAt,
      ...(this.learntWaveMs === undefined ? {} : { learntWaveMs: this.learntWaveMs }),
    });
  }
}

/**
 * A ProgressEta for one leg of the wave loop. Without a `timing` from the
 * caller it reads the group's target groups (preflight.ts estimateTiming: one
 * DescribeTargetGroups and one DescribeTargetGroupAttributes per target
 * group), so a resumed deploy has an ETA from its first progress event too.
 */
export async function progressEta(
  ctx: DeployContext,
  group: Group,
  options: { perWave: number; stabilityMs: number; timing?: EstimateTiming; schedule?: ScheduleSource },
): Promise<ProgressEta> {
  const timing = options.timing ?? (await estimateTiming(ctx, group, options.stabilityMs));
  return new ProgressEta({
    timing: { ...timing, pollMs: timing.pollMs ?? ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS },
    perWave: options.perWave,
    group: group.name,
    ...(options.schedule === undefined ? {} : { schedule: options.schedule }),
  });
}
