/**
 * The plan of a rolling deploy (deploys.md "Rolling"): which instances are old,
 * how many are replaced per wave, how many waves, the MaxSize the surge needs,
 * how long it should take (core/eta.ts, the one estimator), and which old instances to retire so the AZs stay
 * balanced. Pure arithmetic over numbers and fleet snapshots.
 *
 * A wave replaces up to `surge + (desired − floor)` old instances:
 * - `surgeLaunch` (≤ surge) new instances are launched above the desired
 *   capacity (raise desired by that much); once ready, as many old ones are
 *   retired with the decrement;
 * - `retireEarly` (≤ desired − floor) old instances may be taken out at the
 *   wave's start, within the min-healthy allowance, e.g. terminated without the
 *   decrement so the group launches their replacements on the target version.
 * Launching + serving then never exceeds desired + surge (invariant 2) and
 * serving never drops below the floor (invariant 1).
 *
 * @example
 *   const plan = planRollingDeploy({ desired: 10, maxSize: 10, oldCount: 10,
 *     maxSurge: parseSurge('25%'), minHealthy: parseMinHealthy('100%') });
 *   plan.surge        // 3
 *   plan.waveCount    // 4 (3 + 3 + 3 + 1)
 *   plan.maxSize      // { current: 10, required: 13, raise: true }
 */
import type { Amount } from './amount.js';
import { AsgDeployError } from './errors.js';
import { estimateDeploy, foreseenEveningWaves, type EstimateSchedule, type EstimateTiming } from './eta.js';
import { instanceVersion, type Fleet, type Instance } from './fleet.js';
import { unavailableAllowance, resolveFloor } from './floor.js';
import { isLaunchingOrServing } from './lifecycle.js';
import { isServing } from './readiness.js';
import { assertSurgeCanProgress, maxSizeNeed, resolveSurge, type MaxSizeNeed } from './surge.js';

// ---------------------------------------------------------------------------
// Target version and old instances

/** The launch template version a deploy pins the group to: always a number (deploys.md "target version"). */
export interface TargetVersion {
  version: number;
  /** When given, an instance from another template is old even on the same version number. */
  launchTemplateId?: string;
  launchTemplateName?: string;
}

/**
 * Parses a target version: a positive whole number. `$Latest`/`$Default` are
 * refused: a deploy pins a number so rollback has a real version to return to.
 */
export function parseTargetVersion(input: string | number, option = '--version'): number {
  const text = String(input).trim();
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) return Number(text);
  const symbolic = text === '$Latest' || text === '$Default';
  throw new AsgDeployError(
    'BAD_INPUT',
    symbolic
      ? `invalid ${option} ${JSON.stringify(text)}: a deploy pins a numeric launch template version, not ${text}`
      : `invalid ${option} ${JSON.stringify(text)}: expected a launch template version number (1, 2, …)`,
    {
      hint: 'find the number with `aws ec2 describe-launch-template-versions --launch-template-id lt-…`',
      details: { option, value: text },
    },
  );
}

/** True when the instance was launched from the target template and version. */
export function isOnTargetVersion(instance: Instance, target: TargetVersion): boolean {
  if (instanceVersion(instance) !== target.version) return false;
  const template = instance.launchTemplate;
  if (target.launchTemplateId !== undefined && template?.id !== undefined && template.id !== target.launchTemplateId) return false;
  if (target.launchTemplateName !== undefined && template?.name !== undefined && template.name !== target.launchTemplateName) {
    return false;
  }
  return true;
}

/**
 * The old instances a rolling deploy must replace: launching or serving and not
 * on the target version. Standby, terminating and detached instances are not
 * part of the capacity and are not replaced.
 */
export function oldInstances(fleet: Fleet, target: TargetVersion): Instance[] {
  return fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState) && !isOnTargetVersion(i, target));
}

/** Launching or serving instances already on the target version. */
export function newInstances(fleet: Fleet, target: TargetVersion): Instance[] {
  return fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState) && isOnTargetVersion(i, target));
}

// ---------------------------------------------------------------------------
// AZ-balanced choice

/** Launching or serving instances per AZ (every AZ of the group appears, possibly with 0). */
export function instancesPerZone(fleet: Fleet): Map<string, number> {
  const counts = new Map<string, number>(fleet.group.availabilityZones.map((az) => [az, 0]));
  for (const instance of fleet.instances) {
    if (isLaunchingOrServing(instance.lifecycleState)) {
      counts.set(instance.availabilityZone, (counts.get(instance.availabilityZone) ?? 0) + 1);
    }
  }
  return counts;
}

/** Max minus min of the per-AZ counts (0 when balanced as well as it can be with equal counts). */
export function zoneSpread(counts: ReadonlyMap<string, number>): number {
  if (counts.size === 0) return 0;
  const values = [...counts.values()];
  return Math.max(...values) - Math.min(...values);
}

/**
 * Chooses `count` of the `candidates` (old instances) to retire so the AZs
 * stay balanced: one at a time, from the AZ that has the most launching or
 * serving instances (new ones included) among the AZs that still have a
 * candidate; ties go to the AZ with more candidates left, then by AZ name.
 * Within an AZ, prefer an instance that is not serving (retiring it costs no
 * capacity), then the oldest version, then the lowest id, so the choice is
 * deterministic. Returns fewer than `count` when there are fewer candidates.
 */
export function chooseInstancesToRetire(fleet: Fleet, candidates: readonly Instance[], count: number): Instance[] {
  const counts = instancesPerZone(fleet);
  const byZone = new Map<string, Instance[]>();
  for (const candidate of candidates) {
    const list = byZone.get(candidate.availabilityZone) ?? [];
    list.push(candidate);
    byZone.set(candidate.availabilityZone, list);
    if (!counts.has(candidate.availabilityZone)) counts.set(candidate.availabilityZone, 0);
  }
  const rank = (i: Instance) => [isServing(i, fleet) ? 1 : 0, instanceVersion(i) ?? -1] as const;
  for (const list of byZone.values()) {
    list.sort((a, b) => {
      const [sa, va] = rank(a);
      const [sb, vb] = rank(b);
      return sa - sb || va - vb || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
  }
  const chosen: Instance[] = [];
  while (chosen.length < count) {
    let bestZone: string | undefined;
    for (const [zone, list] of byZone) {
      if (list.length === 0) continue;
      if (bestZone === undefined) {
        bestZone = zone;
        continue;
      }
      const a = counts.get(zone) ?? 0;
      const b = counts.get(bestZone) ?? 0;
      const la = list.length;
      const lb = byZone.get(bestZone)!.length;
      if (a > b || (a === b && (la > lb || (la === lb && zone < bestZone)))) bestZone = zone;
    }
    if (bestZone === undefined) break;
    const instance = byZone.get(bestZone)!.shift()!;
    chosen.push(instance);
    counts.set(bestZone, (counts.get(bestZone) ?? 0) - (isLaunchingOrServing(instance.lifecycleState) ? 1 : 0));
  }
  return chosen;
}

// ---------------------------------------------------------------------------
// Waves and duration

/**
 * What one wave and the end of a deploy take, for the plan's estimate: the
 * one estimator's input (core/eta.ts EstimateTiming).
 */
export type WaveTiming = EstimateTiming;

/**
 * Per AZ of the group: launching or serving instances, and the old ones among
 * them — what the plan needs to foresee the waves that even uneven AZs out
 * (core/eta.ts foreseenEveningWaves).
 */
export function zoneLoad(fleet: Fleet, old: readonly Instance[]): Map<string, { all: number; old: number }> {
  const zones = new Map<string, { all: number; old: number }>();
  for (const [az, all] of instancesPerZone(fleet)) zones.set(az, { all, old: 0 });
  for (const i of old) {
    if (!isLaunchingOrServing(i.lifecycleState)) continue;
    const z = zones.get(i.availabilityZone) ?? { all: 0, old: 0 };
    z.old++;
    zones.set(i.availabilityZone, z);
  }
  return zones;
}

/** HealthyThresholdCount × HealthCheckIntervalSeconds, in ms. */
export function healthCheckMs(healthyThresholdCount: number, intervalSeconds: number): number {
  return Math.max(0, healthyThresholdCount) * Math.max(0, intervalSeconds) * 1000;
}

export interface WavePlan {
  /** 0-based. */
  index: number;
  /** Old instances replaced in this wave. */
  replace: number;
  /** New instances launched above desired (raise desired by this much). */
  surgeLaunch: number;
  /** Old instances that may be retired at the wave's start, within the min-healthy allowance. */
  retireEarly: number;
}

export interface RollingPlanInput {
  /** Desired capacity at the start. */
  desired: number;
  /** The group's MaxSize now. */
  maxSize: number;
  /** How many old instances there are to replace (see oldInstances). */
  oldCount: number;
  /** `--max-surge` (default 25 %). */
  maxSurge: Amount;
  /** `--min-healthy` (default 100 %). */
  minHealthy: Amount;
  /** When given, the plan carries an expected duration (core/eta.ts estimateDeploy, the same estimator as every progress event). */
  timing?: WaveTiming;
  /** Checkpoint pauses and bake time the estimate includes. */
  schedule?: EstimateSchedule;
  /** Per AZ, launching or serving instances and the old ones among them: the plan foresees the waves that even uneven AZs out. */
  zones?: ReadonlyMap<string, { all: number; old: number }>;
}

export interface RollingPlan {
  desired: number;
  oldCount: number;
  /** Resolved `--max-surge`, ≥ 1. */
  surge: number;
  /** Resolved `--min-healthy`: serving instances at every instant. */
  floor: number;
  /** desired − floor: how many may be out of service at once. */
  unavailable: number;
  /** Invariant 2's cap: launching + serving ≤ desired + surge. */
  surgeCap: number;
  /** Old instances replaced per wave (the first wave's size; the last may be smaller). */
  waveSize: number;
  waveCount: number;
  waves: WavePlan[];
  /** The highest desired capacity the deploy sets. */
  peakDesired: number;
  maxSize: MaxSizeNeed;
  /** The estimate with `timing`: the whole deploy, lock to drain, not counting `wait` pauses. */
  expectedDurationMs?: number;
  /** Every wave the plan foresees: the replacement's, split at checkpoints, plus the AZ evening (with `timing`). */
  expectedWaves?: number;
  /** Why expectedDurationMs is not the whole story (a `wait` checkpoint pause ahead). */
  expectedUnknownBecause?: string;
}

/**
 * Plans a rolling deploy. Nothing to replace (including desired 0) means no
 * waves and no MaxSize change; a re-run after success plans nothing.
 */
export function planRollingDeploy(input: RollingPlanInput): RollingPlan {
  for (const [name, value] of [
    ['desired capacity', input.desired],
    ['max size', input.maxSize],
    ['old instance count', input.oldCount],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new AsgDeployError('INTERNAL', `cannot plan a deploy with ${name} ${value}: expected a whole number ≥ 0`);
    }
  }
  const desired = input.desired;
  const surge = resolveSurge(input.maxSurge, desired);
  const floor = resolveFloor(input.minHealthy, desired);
  assertSurgeCanProgress(input.maxSurge, floor, desired); // surge 0 with the floor at desired: no wave could ever replace one
  const unavailable = unavailableAllowance(desired, floor);
  const perWave = surge + unavailable;
  const waveSize = Math.min(input.oldCount, perWave);
  const waves: WavePlan[] = [];
  for (let left = input.oldCount; left > 0; left -= perWave) {
    const replace = Math.min(left, perWave);
    const surgeLaunch = Math.min(replace, surge);
    waves.push({ index: waves.length, replace, surgeLaunch, retireEarly: replace - surgeLaunch });
  }
  const peakDesired = desired + Math.max(0, ...waves.map((w) => w.surgeLaunch));
  const plan: RollingPlan = {
    desired,
    oldCount: input.oldCount,
    surge,
    floor,
    unavailable,
    surgeCap: desired + surge,
    waveSize,
    waveCount: waves.length,
    waves,
    peakDesired,
    maxSize: maxSizeNeed(input.maxSize, peakDesired),
  };
  if (input.timing !== undefined) {
    if (waves.length === 0) {
      plan.expectedDurationMs = 0;
      plan.expectedWaves = 0;
    } else {
      const estimate = estimateDeploy({
        replace: input.oldCount,
        total: desired,
        perWave,
        timing: input.timing,
        beforeLock: true,
        ...(input.schedule === undefined ? {} : { schedule: input.schedule }),
        eveningWaves: input.zones === undefined ? 0 : foreseenEveningWaves(input.zones, perWave),
      });
      plan.expectedDurationMs = estimate.ms;
      plan.expectedWaves = estimate.waves;
      if (estimate.unknownBecause !== undefined) plan.expectedUnknownBecause = estimate.unknownBecause;
    }
  }
  return plan;
}
