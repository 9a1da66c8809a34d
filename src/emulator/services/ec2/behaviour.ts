/**
 * Scenario control through tags (E-19): `emulator:*` tags on an AMI decide how
 * instances launched from it behave; the same tag on the instance itself wins.
 *
 * - `emulator:boot-seconds`  — `pending` → `running` (default 30)
 * - `emulator:ready-seconds` — from running until the application answers (default 20)
 * - `emulator:health`        — `healthy` | `unhealthy` | `flaky:P` | `crash-after:S`
 *
 * Under load (docs/emulator-automation.md E-25):
 * - `emulator:error-rate`       — share (0–1) of requests answered 5xx; health checks unaffected
 * - `emulator:latency-ms`       — response time of each request (default 10)
 * - `emulator:cpu-per-request`  — CPU % per request/s (default 1), on an idle 2 %, capped at 100
 * - `emulator:cpu`              — a fixed CPU %, whatever the load
 */
import type { Rng } from '../../rng.js';
import type { Ec2Image, Ec2Instance, ImageBehaviourTags } from './state.js';

export const BOOT_SECONDS_TAG = 'emulator:boot-seconds';
export const READY_SECONDS_TAG = 'emulator:ready-seconds';
export const HEALTH_TAG = 'emulator:health';
/** Not in E-19 but in its spirit: how long CreateImage/RegisterImage stay `pending` (default 60 s, E-1). */
export const IMAGE_SECONDS_TAG = 'emulator:image-seconds';

export const ERROR_RATE_TAG = 'emulator:error-rate';
export const LATENCY_MS_TAG = 'emulator:latency-ms';
export const CPU_PER_REQUEST_TAG = 'emulator:cpu-per-request';
export const CPU_TAG = 'emulator:cpu';

export const DEFAULT_BOOT_SECONDS = 30;
export const DEFAULT_LATENCY_MS = 10;
export const DEFAULT_CPU_PER_REQUEST = 1;
/** CPU % of an instance with no load. */
export const IDLE_CPU = 2;
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
  const errorRate = image.tags.get(ERROR_RATE_TAG);
  const latencyMs = image.tags.get(LATENCY_MS_TAG);
  const cpuPerRequest = image.tags.get(CPU_PER_REQUEST_TAG);
  const cpu = image.tags.get(CPU_TAG);
  if (errorRate !== undefined) out.errorRate = errorRate;
  if (latencyMs !== undefined) out.latencyMs = latencyMs;
  if (cpuPerRequest !== undefined) out.cpuPerRequest = cpuPerRequest;
  if (cpu !== undefined) out.cpu = cpu;
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

/** A finite number from a tag value, clamped to [min, max]; the fallback when absent or unparsable. */
function parseBounded(value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.trim());
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** `emulator:error-rate`: the share of requests the application answers 5xx (0 by default). */
export function errorRateOf(instance: Ec2Instance): number {
  return parseBounded(instance.tags.get(ERROR_RATE_TAG) ?? instance.imageBehaviour.errorRate, 0, 0, 1);
}

/** `emulator:latency-ms`: how long each request takes, in ms (10 by default). */
export function latencyMsOf(instance: Ec2Instance): number {
  return parseBounded(instance.tags.get(LATENCY_MS_TAG) ?? instance.imageBehaviour.latencyMs, DEFAULT_LATENCY_MS, 0, Number.MAX_VALUE);
}

/**
 * CPU % of a running instance serving `requestsPerSecond`: `emulator:cpu` when
 * set, else the idle 2 % plus `emulator:cpu-per-request` (default 1) per
 * request/s, capped at 100.
 */
export function cpuOf(instance: Ec2Instance, requestsPerSecond: number): number {
  const fixed = instance.tags.get(CPU_TAG) ?? instance.imageBehaviour.cpu;
  if (fixed !== undefined) {
    const n = Number(fixed.trim());
    if (Number.isFinite(n)) return Math.min(100, Math.max(0, n));
  }
  const perRequest = parseBounded(instance.tags.get(CPU_PER_REQUEST_TAG) ?? instance.imageBehaviour.cpuPerRequest, DEFAULT_CPU_PER_REQUEST, 0, Number.MAX_VALUE);
  return Math.min(100, IDLE_CPU + perRequest * requestsPerSecond);
}
