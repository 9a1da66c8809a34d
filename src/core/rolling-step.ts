/**
 * One step of a rolling deploy, decided from a fleet snapshot alone.
 *
 * The engine does not count waves in memory: every poll it looks at the group
 * and asks this function what to do next. That makes the deploy resumable from
 * any machine (invariant 5: the snapshot plus the record on the group is all
 * the state there is) and correct when the group replaces an instance behind
 * our back mid-wave (a replacement is just another new instance).
 *
 * The rule (deploys.md "Rolling", invariants 1–2):
 * - retire old instances that are not serving first: they hold up nothing;
 * - retire serving old instances only while serving − 1 ≥ floor, counting new
 *   instances only once they are *ready* (serving + warmup), so the floor is
 *   held with margin and a new instance that never gets healthy never lets an
 *   old one go;
 * - then launch: desired = what remains + as many new as still needed, but
 *   never more launching-or-serving than start desired + surge.
 *
 * @example
 *   const step = decideRollingStep(fleet, { target, startDesired: 6, surge: 2, floor: 6, readiness });
 *   for (const i of step.retire) await terminate(i.id, { decrement: true });
 *   if (step.desired !== fleet.group.desiredCapacity) await setDesired(step.desired);
 */
import { planBalancedMove, type BalanceMove } from './az-balance.js';
import type { Fleet, Instance } from './fleet.js';
import { isLaunchingOrServing } from './lifecycle.js';
import { chooseInstancesToRetire, instancesPerZone, isOnTargetVersion, zoneSpread, type TargetVersion } from './plan.js';
import { isReady, isServing, type ReadinessContext } from './readiness.js';

export interface RollingStepInput {
  target: TargetVersion;
  /** Desired capacity when the deploy started (the capacity to end with). */
  startDesired: number;
  /** Resolved --max-surge (≥ 1). */
  surge: number;
  /** Resolved --min-healthy: serving instances at every instant. */
  floor: number;
  readiness: ReadinessContext;
  /** Once every instance is new, launch one extra at a time to even out the AZs (default true). */
  rebalance?: boolean;
  /**
   * Plan balanced waves (core/az-balance.ts) when the fleet is small enough
   * for the search (default true; false: the fullest-AZ rule alone). Off with
   * `rebalance: false` too: the planner's last moves are an evening-out.
   */
  balance?: boolean;
}

export interface RollingStep {
  /** Old instances to terminate now, with ShouldDecrementDesiredCapacity. */
  retire: Instance[];
  /** The desired capacity to set once they are retired. */
  desired: number;
  /** Every launching/serving instance is on the target version, ready, and desired is back at the start. */
  done: boolean;
  counts: {
    old: number;
    oldServing: number;
    /** On the target version, launching or serving. */
    onTarget: number;
    ready: number;
    serving: number;
    /** Launching or serving (invariant 2's count) after this step. */
    launchingOrServing: number;
  };
  /** What the AZ-balance planner decided (absent: the fullest-AZ rule decided). */
  balance?: BalanceMove | { kind: 'owed'; launches: number };
}

export function decideRollingStep(fleet: Fleet, input: RollingStepInput): RollingStep {
  const { target, startDesired, surge, floor, readiness } = input;
  const active = fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState));
  const old = active.filter((i) => !isOnTargetVersion(i, target));
  const onTarget = active.filter((i) => isOnTargetVersion(i, target));
  const oldServing = old.filter((i) => isServing(i, fleet));
  const oldIdle = old.filter((i) => !isServing(i, fleet));
  const ready = onTarget.filter((i) => isReady(i, fleet, readiness));
  const serving = active.filter((i) => isServing(i, fleet)).length;

  const cap = startDesired + surge;
  if (input.balance !== false && input.rebalance !== false) {
    const balanced = balancedStep(fleet, input, { active, old, onTarget, oldServing, oldIdle, ready, serving });
    if (balanced) return balanced;
  }
  if (old.length === 0) {
    // Every instance is new. Settle the count and the AZ balance ourselves
    // rather than leave it to the group: lowering desired lets the group pick
    // victims, and an AZ imbalance left behind would make AZRebalance (resumed
    // at the end) terminate a serving instance before its replacement passes
    // its target-group health checks.
    const settled = ready.length === onTarget.length;
    let retire: Instance[] = [];
    let desired = fleet.group.desiredCapacity;
    const readyIds = new Set(ready.map((i) => i.id));
    const launchingSurplus = onTarget.filter((i) => !readyIds.has(i.id)).slice(0, Math.max(0, onTarget.length - startDesired));
    if (input.rebalance === false && launchingSurplus.length > 0) {
      // Evening stopped (an AZ cannot launch): an evening launch still under
      // way serves no one; retire it now rather than wait for it to be ready.
      retire = launchingSurplus;
      desired = Math.max(startDesired, onTarget.length - retire.length);
    } else if (settled && onTarget.length > startDesired) {
      retire = chooseInstancesToRetire(fleet, ready, onTarget.length - startDesired);
      desired = startDesired;
    } else if (settled && input.rebalance !== false && zoneSpread(instancesPerZone(fleet)) > 1 && onTarget.length < cap) {
      desired = onTarget.length + 1; // the group launches it in the smallest AZ
    } else if (settled) {
      desired = startDesired;
    }
    const done = settled && retire.length === 0 && desired === startDesired && onTarget.length === startDesired && fleet.group.desiredCapacity === startDesired;
    return {
      retire,
      desired,
      done,
      counts: { old: 0, oldServing: 0, onTarget: onTarget.length, ready: ready.length, serving, launchingOrServing: onTarget.length - retire.length },
    };
  }

  // Old instances that serve nobody go at once. Serving ones go only while the
  // instances that would remain serving (old still serving + new *ready*) stay
  // at or above the floor.
  const spare = Math.max(0, oldServing.length + ready.length - floor);
  const retire = [...oldIdle, ...chooseInstancesToRetire(fleet, oldServing, Math.min(spare, oldServing.length))];

  const remainingOld = old.length - retire.length;
  const stillNeeded = Math.max(0, startDesired - onTarget.length);
  const room = Math.max(0, cap - remainingOld - onTarget.length);
  const desired = remainingOld + onTarget.length + Math.min(room, stillNeeded);
  const done = false;
  return {
    retire,
    desired,
    done,
    counts: {
      old: old.length,
      oldServing: oldServing.length,
      onTarget: onTarget.length,
      ready: ready.length,
      serving,
      launchingOrServing: remainingOld + onTarget.length,
    },
  };
}

interface Partition {
  active: Instance[];
  old: Instance[];
  onTarget: Instance[];
  oldServing: Instance[];
  oldIdle: Instance[];
  ready: Instance[];
  serving: number;
}

/**
 * The step the AZ-balance planner (core/az-balance.ts) takes, or undefined
 * when it cannot plan this fleet (too large for its search, or no move can
 * balance it): the caller then uses the fullest-AZ rule.
 *
 * - The group still owes launches (desired above what launches or serves: it
 *   has not placed them yet): wait, so the next move sees where they went.
 * - A batch: old instances retired from the AZs the planner names (old ones
 *   that serve nobody go at once, as always), desired raised so the group
 *   launches the batch.
 * - Done: the new instances hold an even spread of the start size; retire the
 *   old ones left and any surplus new ones from the fullest AZs.
 */
function balancedStep(fleet: Fleet, input: RollingStepInput, p: Partition): RollingStep | undefined {
  const { startDesired, surge, floor } = input;
  const zones = [...new Set([...fleet.group.availabilityZones, ...p.active.map((i) => i.availabilityZone)])];
  if (zones.length === 0) return undefined;
  const counts = (instance: Instance) => instance.availabilityZone;
  const readyIds = new Set(p.ready.map((i) => i.id));
  const remaining = p.active.length - p.oldIdle.length;
  const base = {
    old: p.old.length,
    oldServing: p.oldServing.length,
    onTarget: p.onTarget.length,
    ready: p.ready.length,
    serving: p.serving,
  };
  const owed = fleet.group.desiredCapacity - p.active.length;
  if (owed > 0) {
    // Launches asked for and not placed yet: the next look shows where they went.
    return {
      retire: [...p.oldIdle],
      desired: Math.max(startDesired, fleet.group.desiredCapacity - p.oldIdle.length),
      done: false,
      counts: { ...base, launchingOrServing: remaining },
      balance: { kind: 'owed', launches: owed },
    };
  }
  const move = planBalancedMove({
    zones: zones.map((zone) => ({
      zone,
      old: p.oldServing.filter((i) => counts(i) === zone).length,
      ready: p.ready.filter((i) => counts(i) === zone).length,
      launching: p.onTarget.filter((i) => counts(i) === zone && !readyIds.has(i.id)).length,
    })),
    size: startDesired,
    floor,
    // Never ask for more than the group's MaxSize (roll raises it to start + surge; a blue/green
    // group coming up from 0 keeps its own).
    cap: Math.min(startDesired + surge, fleet.group.maxSize),
  });
  if (move === undefined) return undefined;
  if (move.kind === 'done') {
    // Every old instance goes, and the surplus new ones from the fullest AZs
    // (chooseInstancesToRetire takes from the AZ with the most instances first).
    const surplus = Math.max(0, p.onTarget.length - startDesired);
    const oldLeft = fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState) && !p.onTarget.includes(i));
    const afterOld: Fleet = { ...fleet, instances: fleet.instances.filter((i) => !oldLeft.includes(i)) };
    const retire = [...oldLeft, ...chooseInstancesToRetire(afterOld, p.ready, surplus)];
    const done = retire.length === 0 && fleet.group.desiredCapacity === startDesired && p.onTarget.length === startDesired;
    return {
      retire,
      desired: startDesired,
      done,
      counts: { ...base, launchingOrServing: p.active.length - retire.length },
      balance: move,
    };
  }
  const retire = [...p.oldIdle];
  if (move.kind === 'batch') {
    for (const zone of zones) {
      const n = move.retire[zone] ?? 0;
      if (n > 0) retire.push(...chooseInstancesToRetire(fleet, p.oldServing.filter((i) => counts(i) === zone), n));
    }
  }
  const launch = move.kind === 'batch' ? move.launch : 0;
  // Never below the start (and so never below MinSize): an idle old instance
  // retired under it is replaced by the group, and the planner sees where.
  const desired = Math.max(startDesired, p.active.length - retire.length + launch);
  return {
    retire,
    desired,
    done: false,
    counts: { ...base, launchingOrServing: desired },
    balance: move,
  };
}
