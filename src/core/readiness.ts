/**
 * Serving and ready, as deploys.md defines them.
 *
 * - *serving*: InService and Healthy in the group and `healthy` in every target
 *   group of the group (the floor counts these; invariant 1).
 * - *ready*: serving, and serving continuously for at least the warmup (a new
 *   instance counts toward a wave only when ready). The group saying InService
 *   is not enough (seed 003).
 *
 * The AWS APIs do not say when an instance became healthy, so the poller keeps
 * a `ServingSince` map (instance id → first time it was seen serving, without a
 * break) with {@link updateServingSince} on every snapshot.
 *
 * @example
 *   let since: ServingSince = new Map();
 *   since = updateServingSince(since, fleet, clock.now());
 *   const ready = readyInstances(fleet, { now: clock.now(), warmupMs: 30_000, servingSince: since });
 */
import type { Fleet, Instance } from './fleet.js';
import { isInService, isLaunchingOrServing } from './lifecycle.js';

/** Instance id → when it was first seen serving (epoch ms), continuously since. */
export type ServingSince = ReadonlyMap<string, number>;

/** True when the instance is InService, Healthy, and `healthy` in every target group of the group. */
export function isServing(instance: Instance, fleet: Fleet): boolean {
  if (!isInService(instance.lifecycleState) || instance.healthStatus !== 'Healthy') return false;
  return fleet.group.targetGroupArns.every((arn) => fleet.targetHealth[arn]?.[instance.id]?.state === 'healthy');
}

/** How many instances are serving (the number invariant 1 compares with the floor). */
export function servingCount(fleet: Fleet): number {
  return fleet.instances.filter((instance) => isServing(instance, fleet)).length;
}

/** True when any of the group's target groups reports the instance draining (deregistered). */
export function isDraining(instance: Instance, fleet: Fleet): boolean {
  return fleet.group.targetGroupArns.some((arn) => {
    const state = fleet.targetHealth[arn]?.[instance.id]?.state;
    return state === 'draining' || state === 'unhealthy.draining';
  });
}

/**
 * Whether the instance counts toward invariant 2's cap (start desired + surge):
 * launching or serving (`Pending*`, `InService`), and not draining out of a
 * target group. Old instances being drained or terminated do not count, so the
 * next wave may launch while they drain (deploys.md invariant 2).
 */
export function countsTowardSurgeCap(instance: Instance, fleet: Fleet): boolean {
  return isLaunchingOrServing(instance.lifecycleState) && !isDraining(instance, fleet);
}

/** The number of instances counted against invariant 2's cap. */
export function surgeCapCount(fleet: Fleet): number {
  return fleet.instances.filter((instance) => countsTowardSurgeCap(instance, fleet)).length;
}

/**
 * The next `ServingSince` map: instances serving now keep their first-seen time
 * (or get `now`), instances that stopped serving or left are dropped, so their
 * warmup starts again if they come back.
 */
export function updateServingSince(previous: ServingSince, fleet: Fleet, now: number): Map<string, number> {
  const next = new Map<string, number>();
  for (const instance of fleet.instances) {
    if (isServing(instance, fleet)) next.set(instance.id, previous.get(instance.id) ?? now);
  }
  return next;
}

export interface ReadinessContext {
  now: number;
  warmupMs: number;
  servingSince: ServingSince;
}

/** Serving, and serving since at least `warmupMs` ago. With a warmup of 0, serving is ready. */
export function isReady(instance: Instance, fleet: Fleet, context: ReadinessContext): boolean {
  if (!isServing(instance, fleet)) return false;
  if (context.warmupMs <= 0) return true;
  const since = context.servingSince.get(instance.id);
  return since !== undefined && context.now - since >= context.warmupMs;
}

export function readyInstances(fleet: Fleet, context: ReadinessContext): Instance[] {
  return fleet.instances.filter((instance) => isReady(instance, fleet, context));
}

export interface WarmupInput {
  /** `--warmup` when the user gave it. */
  explicitMs?: number;
  /** The group's target groups. */
  targetGroupCount: number;
  /** The group's `DefaultInstanceWarmup`, when set. */
  defaultInstanceWarmupMs?: number;
  healthCheckGracePeriodMs: number;
}

/**
 * The warmup to wait after an instance starts serving (deploys.md "ready"):
 * `--warmup` if given; 0 when the group has target groups (their health is the
 * real signal); otherwise the group's DefaultInstanceWarmup, else its grace period.
 */
export function resolveWarmupMs(input: WarmupInput): number {
  if (input.explicitMs !== undefined) return Math.max(0, input.explicitMs);
  if (input.targetGroupCount > 0) return 0;
  return Math.max(0, input.defaultInstanceWarmupMs ?? input.healthCheckGracePeriodMs);
}
