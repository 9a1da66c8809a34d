/**
 * Waiting until a set of instances is *ready* (deploys.md "Words"), for the
 * steps the wave loop (converge.ts) does not cover because nothing is retired
 * meanwhile: a swap's attached instances, the new half of a shrink, a
 * blue/green rollback's instances coming out of Standby. It follows the
 * instances the way converge does — the same core predicates, the same
 * `instance-launched` / `instance-ready` / `instance-failed` / `progress`
 * events — and counts serving capacity across every group it watches (a
 * blue/green pair shares its target groups, so the floor spans both).
 */
import { isAsgDeployError, isGone, isLaunchingOrServing, isLeaving, isReady, servingCount, updateServingSince, type Fleet, type Instance } from '../../core/index.js';
import type { GuardVerdict } from '../guardrail.js';
import { DEFAULT_POLL_INTERVAL_MS, type DeployContext } from './context.js';
import { pause, Interrupted } from './wave-loop.js';
import type { DeploymentRecord } from './record.js';
import type { DeployStore } from './store.js';

export interface ReadyWaitSettings {
  /** The groups to look at every poll (serving is counted across all of them). */
  groups: readonly string[];
  /** The instances being waited for. */
  isNew: (instance: Instance, fleet: Fleet) => boolean;
  /** How many of them must be ready; asked every poll, so it may follow the fleet. */
  want: (fleets: readonly Fleet[]) => number;
  warmupMs: number;
  /** Fail when no instance became ready for this long. */
  timeoutMs: number;
  /** Fail after more instances than this were lost before becoming ready (Infinity: never). */
  maxFailedLaunches: number;
  /** For progress events. */
  phase: string;
  version: string;
  floor: number;
  startDesired: number;
  /**
   * Instances already ready at the first look are known, not news (no
   * `instance-launched`/`instance-ready` events), as converge treats them:
   * for a wait that may find its instances serving already (a rollback before
   * anything moved). Default false: every one is announced.
   */
  knownAtFirstLook?: boolean;
  /**
   * The deploy's guardrails (docs/guardrails.md): `watch` every poll (a
   * failing verdict ends the wait as failed), `admit` each new instance once
   * ready (a failing verdict is a failed launch; only admitted ones count).
   */
  guards?: {
    watch(): Promise<GuardVerdict>;
    admit?(instance: Instance): Promise<GuardVerdict>;
    /** Terminate a refused instance (without the decrement, so the group launches another try). Default false. */
    terminateRefused?: boolean;
  };
  /** How the instances join, when not by launch: announced as attached or leaving Standby (issue 10: not "launching"). */
  via?: 'attach' | 'standby';
}

export type ReadyWaitOutcome =
  | { kind: 'ready'; lowestServing: number; ready: string[] }
  | { kind: 'failed'; reason: string; lowestServing: number }
  | { kind: 'interrupted'; lowestServing: number };

/** Serving instances across several fleets (an instance counts in the fleet of its own group). */
export function servingAcross(fleets: readonly Fleet[]): number {
  return fleets.reduce((n, f) => n + servingCount(f), 0);
}

/**
 * Polls until `want` of the `isNew` instances are ready, the launches failed
 * too often, the timeout passed, or the context's signal stopped it.
 *
 * @example
 *   const out = await waitUntilReady(ctx, store, record, { groups: ['web'], isNew: (i) => ids.has(i.id), want: () => ids.size, … });
 */
export async function waitUntilReady(ctx: DeployContext, store: DeployStore, record: DeploymentRecord, settings: ReadyWaitSettings): Promise<ReadyWaitOutcome> {
  const poll = ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const seen = new Map<string, number>();
  const ready = new Set<string>();
  const failed = new Set<string>();
  const since = new Map<string, Map<string, number>>();
  let lowestServing = Infinity;
  let lastProgressAt = ctx.clock.now();
  let lastCounts = '';
  let firstLook = true;
  const eventGroup = settings.groups[0];

  for (;;) {
    if (ctx.signal?.aborted) return { kind: 'interrupted', lowestServing };
    const guards = settings.guards;
    const fleets = await Promise.all(settings.groups.map((g) => ctx.aws.snapshotFleet(g, guards?.admit ? { ec2: true } : undefined)));
    const now = ctx.clock.now();
    if (guards) {
      const verdict = await guards.watch();
      if (!verdict.ok) return { kind: 'failed', reason: verdict.reason, lowestServing };
    }
    lowestServing = Math.min(lowestServing, servingAcross(fleets));
    const present = new Map<string, { instance: Instance; fleet: Fleet }>();
    let readyNow = 0;
    let launching = 0;
    let others = 0;
    for (const fleet of fleets) {
      const s = updateServingSince(since.get(fleet.group.name) ?? new Map(), fleet, now);
      since.set(fleet.group.name, s);
      const readiness = { now, warmupMs: settings.warmupMs, servingSince: s };
      for (const i of fleet.instances) {
        present.set(i.id, { instance: i, fleet });
        if (!settings.isNew(i, fleet)) {
          if (isLaunchingOrServing(i.lifecycleState)) others++;
          continue;
        }
        if (!isLaunchingOrServing(i.lifecycleState)) continue;
        if (!seen.has(i.id)) {
          seen.set(i.id, now);
          if (firstLook && settings.knownAtFirstLook && isReady(i, fleet, readiness)) ready.add(i.id);
          else ctx.emit({ t: now, deployId: record.id, group: fleet.group.name, code: 'instance-launched', instanceId: i.id, version: settings.version, az: i.availabilityZone, ...(settings.via ? { via: settings.via } : {}) });
        }
        if (failed.has(i.id)) continue;
        if (isReady(i, fleet, readiness)) {
          if (!ready.has(i.id) && guards?.admit) {
            let verdict: GuardVerdict;
            try {
              verdict = await guards.admit(i);
            } catch (e) {
              // Ctrl-C during a check is an interruption, not a failed launch.
              if (ctx.signal?.aborted) return { kind: 'interrupted', lowestServing };
              throw e;
            }
            if (!verdict.ok) {
              failed.add(i.id);
              ctx.emit({ t: now, deployId: record.id, group: fleet.group.name, code: 'instance-failed', instanceId: i.id, reason: verdict.reason, failedLaunches: failed.size, maxFailedLaunches: settings.maxFailedLaunches });
              if (guards.terminateRefused) {
                try {
                  await ctx.aws.autoscaling.terminateInstance(i.id, false);
                } catch (e) {
                  if (!isAsgDeployError(e, 'NOT_FOUND')) throw e;
                }
              }
              continue;
            }
          }
          readyNow++;
          if (!ready.has(i.id)) {
            ready.add(i.id);
            lastProgressAt = now;
            ctx.emit({ t: now, deployId: record.id, group: fleet.group.name, code: 'instance-ready', instanceId: i.id, version: settings.version, afterSeconds: Math.round((now - seen.get(i.id)!) / 1000) });
          }
        } else launching++;
      }
    }
    firstLook = false;
    for (const [id] of seen) {
      // As converge does: once ready, an instance is no longer a launch that can fail.
      if (failed.has(id) || ready.has(id)) continue;
      const entry = present.get(id);
      const i = entry?.instance;
      const lost = !i || isLeaving(i.lifecycleState) || isGone(i.lifecycleState) || i.healthStatus === 'Unhealthy';
      if (!lost) continue;
      failed.add(id);
      ctx.emit({
        t: now,
        deployId: record.id,
        group: entry?.fleet.group.name ?? eventGroup,
        code: 'instance-failed',
        instanceId: id,
        reason: i ? `${i.lifecycleState}, ${i.healthStatus}` : 'left the group',
        failedLaunches: failed.size,
        maxFailedLaunches: settings.maxFailedLaunches,
      });
    }
    if (failed.size > settings.maxFailedLaunches) {
      return { kind: 'failed', reason: `${failed.size} instance(s) failed before becoming ready (limit ${settings.maxFailedLaunches})`, lowestServing };
    }

    const want = settings.want(fleets);
    const serving = servingAcross(fleets);
    const counts = JSON.stringify([readyNow, launching, others, serving, want]);
    if (counts !== lastCounts) {
      lastCounts = counts;
      ctx.emit({
        t: now,
        deployId: record.id,
        group: eventGroup,
        code: 'progress',
        phase: settings.phase,
        targetVersion: settings.version,
        onTarget: readyNow + launching,
        old: others,
        serving,
        floor: settings.floor,
        startDesired: want,
        desired: fleets.reduce((n, f) => n + f.group.desiredCapacity, 0),
        launching,
      });
    }
    if (readyNow >= want) return { kind: 'ready', lowestServing, ready: [...ready].filter((id) => present.has(id)) };
    if (now - lastProgressAt > settings.timeoutMs) {
      return { kind: 'failed', reason: `no instance became ready in ${Math.round(settings.timeoutMs / 1000)}s (--timeout)`, lowestServing };
    }
    await store.heartbeat(record);
    try {
      await pause(ctx, poll);
    } catch (e) {
      if (e instanceof Interrupted) return { kind: 'interrupted', lowestServing };
      throw e;
    }
  }
}

/**
 * Polls `check` (true when done) on the clock, renewing the lock, until it
 * holds or `timeoutMs` passes (then returns false). Throws Interrupted on Ctrl-C.
 */
export async function pollUntil(ctx: DeployContext, store: DeployStore, record: DeploymentRecord, check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const poll = ctx.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const until = ctx.clock.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (ctx.clock.now() >= until) return false;
    await store.heartbeat(record);
    await pause(ctx, poll);
  }
}
