/**
 * Serving capacity over time, replayed from the recorded history (E-20): the
 * evidence for deploy invariant 1 ("serving capacity never drops below the
 * floor", deploys.md). An instance serves when it is InService and Healthy in
 * the group and `healthy` in every one of the group's target groups.
 */
import type { HistoryEntry } from './history.js';

export interface ServingPoint {
  /** Simulated instant (ms). */
  t: number;
  /** Instances serving from this instant on. */
  serving: number;
  /** Instances Pending or InService in the group (invariant 2's count). */
  launchingOrServing: number;
}

export interface ServingQuery {
  /** One group, or several that share target groups (a blue/green pair: the floor spans both). */
  group: string | readonly string[];
  /** Target groups an instance must be healthy in; empty: group state alone decides. */
  targetGroupArns: readonly string[];
  region?: string;
}

/**
 * One point per instant at which either count changed, in time order. Several
 * entries at the same instant are folded into one point (the state after all of
 * them), so a swap that happens atomically in one event never shows a false dip.
 */
export function servingTimeline(entries: readonly HistoryEntry[], query: ServingQuery): ServingPoint[] {
  const lifecycle = new Map<string, string>();
  const health = new Map<string, string>();
  const targets = new Map<string, Map<string, string>>(); // instanceId → tgArn → state
  const tgSet = new Set(query.targetGroupArns);
  const points: ServingPoint[] = [];
  const groups = new Set(typeof query.group === 'string' ? [query.group] : query.group);

  const isServing = (id: string) => {
    if (lifecycle.get(id) !== 'InService' || health.get(id) === 'Unhealthy') return false;
    const states = targets.get(id);
    for (const tg of tgSet) if (states?.get(tg) !== 'healthy') return false;
    return true;
  };
  const counts = () => {
    let serving = 0;
    let launchingOrServing = 0;
    for (const [id, state] of lifecycle) {
      if (state === 'InService' || state.startsWith('Pending')) launchingOrServing++;
      if (isServing(id)) serving++;
    }
    return { serving, launchingOrServing };
  };

  let i = 0;
  while (i < entries.length) {
    const t = entries[i]!.t;
    let touched = false;
    for (; i < entries.length && entries[i]!.t === t; i++) {
      const e = entries[i]!;
      if (query.region && 'region' in e && e.region !== query.region) continue;
      if (e.type === 'lifecycle' && groups.has(e.group)) {
        if (e.to === null) {
          lifecycle.delete(e.instanceId);
          health.delete(e.instanceId);
        } else lifecycle.set(e.instanceId, e.to);
        touched = true;
      } else if (e.type === 'health' && groups.has(e.group)) {
        health.set(e.instanceId, e.to);
        touched = true;
      } else if (e.type === 'target' && tgSet.has(e.targetGroupArn)) {
        let states = targets.get(e.instanceId);
        if (!states) targets.set(e.instanceId, (states = new Map()));
        if (e.to === null) states.delete(e.targetGroupArn);
        else states.set(e.targetGroupArn, e.to);
        touched = true;
      }
    }
    if (!touched) continue;
    const c = counts();
    const last = points[points.length - 1];
    if (!last || last.serving !== c.serving || last.launchingOrServing !== c.launchingOrServing) points.push({ t, ...c });
  }
  return points;
}

/** The lowest serving count in [from, to] (inclusive), from a timeline. */
export function lowestServing(timeline: readonly ServingPoint[], from: number, to = Infinity): number {
  let current = 0;
  let lowest = Infinity;
  for (const p of timeline) {
    if (p.t <= from) {
      current = p.serving;
      continue;
    }
    if (p.t > to) break;
    lowest = Math.min(lowest, current);
    current = p.serving;
  }
  return Math.min(lowest, current);
}
