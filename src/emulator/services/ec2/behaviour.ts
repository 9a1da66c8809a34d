/**
 * Scenario control through tags (E-19): `emulator:*` tags on an AMI decide how
 * instances launched from it behave; the same tag on the instance itself wins.
 *
 * - `emulator:boot-seconds`  — `pending` → `running` (default 30)
 * - `emulator:ready-seconds` — from running until the application answers (default 20)
 * - `emulator:health`        — `healthy` | `unhealthy` | `flaky:P` | `crash-after:S`
 */
import type { Rng } from '../../rng.js';
import type { Ec2Image, Ec2Instance, ImageBehaviourTags } from './state.js';

export const BOOT_SECONDS_TAG = 'emulator:boot-seconds';
export const READY_SECONDS_TAG = 'emulator:ready-seconds';
export const HEALTH_TAG = 'emulator:health';
/** Not in E-19 but in its spirit: how long CreateImage/RegisterImage stay `pending` (default 60 s, E-1). */
export const IMAGE_SECONDS_TAG = 'emulator:image-seconds';

export const DEFAULT_BOOT_SECONDS = 30;
export const DEFAULT_READY_SECONDS = 20;
export const DEFAULT_IMAGE_SECONDS = 60;

export type HealthBehaviour =
  | { kind: 'healthy' }
  | { kind: 'unhealthy' }
  /** Each check fails with probability `failureRate`. */
  | { kind: 'flaky'; failureRate: number }
  /** Passes, then fails every check from `seconds` after the application became ready. */
  | { kind: 'crash-after'; seconds: number };

/** The behaviour tags an instance inherits from its AMI, copied at launch. */
export function imageBehaviourOf(image: Ec2Image): ImageBehaviourTags {
  const out: ImageBehaviourTags = {};
  const boot = image.tags.get(BOOT_SECONDS_TAG);
  const ready = image.tags.get(READY_SECONDS_TAG);
  const health = image.tags.get(HEALTH_TAG);
  if (boot !== undefined) out.bootSeconds = boot;
  if (ready !== undefined) out.readySeconds = ready;
  if (health !== undefined) out.health = health;
  return out;
}

/** A non-negative number of seconds from a tag value, or the default when absent or unparsable. */
export function parseSeconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.trim());
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function bootSecondsOf(instance: Ec2Instance): number {
  return parseSeconds(instance.tags.get(BOOT_SECONDS_TAG) ?? instance.imageBehaviour.bootSeconds, DEFAULT_BOOT_SECONDS);
}

export function readySecondsOf(instance: Ec2Instance): number {
  return parseSeconds(instance.tags.get(READY_SECONDS_TAG) ?? instance.imageBehaviour.readySeconds, DEFAULT_READY_SECONDS);
}

/** Parses an `emulator:health` value; anything unrecognised counts as healthy. */
export function parseHealth(value: string | undefined): HealthBehaviour {
  const text = (value ?? 'healthy').trim().toLowerCase();
  if (text === 'unhealthy') return { kind: 'unhealthy' };
  const flaky = /^flaky:\s*([0-9.]+)$/.exec(text);
  if (flaky) {
    const p = Number(flaky[1]);
    if (Number.isFinite(p)) return { kind: 'flaky', failureRate: Math.min(1, Math.max(0, p)) };
  }
  const crash = /^crash-after:\s*([0-9.]+)$/.exec(text);
  if (crash) {
    const s = Number(crash[1]);
    if (Number.isFinite(s)) return { kind: 'crash-after', seconds: s };
  }
  return { kind: 'healthy' };
}

export function healthOf(instance: Ec2Instance): HealthBehaviour {
  return parseHealth(instance.tags.get(HEALTH_TAG) ?? instance.imageBehaviour.health);
}

/**
 * Whether one health check of a ready application passes at `now`. Flaky
 * behaviour draws from the simulation's seeded RNG, so the same seed and the
 * same sequence of checks give the same answers (E-2).
 */
export function healthCheckPasses(behaviour: HealthBehaviour, readyAt: number, now: number, rng: Rng): boolean {
  switch (behaviour.kind) {
    case 'healthy':
      return true;
    case 'unhealthy':
      return false;
    case 'flaky':
      return rng.next() >= behaviour.failureRate;
    case 'crash-after':
      return now < readyAt + behaviour.seconds * 1000;
  }
}
