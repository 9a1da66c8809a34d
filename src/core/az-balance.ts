/**
 * Balanced waves (issue 11): which old instances to retire, and how many new
 * ones to ask for, so that a rolling deploy ends with its Availability Zones
 * even after ceil(n / surge) waves — without a fourth "even out" wave.
 *
 * The group, not the tool, decides where a launch goes. AWS documents the rule
 * ("Auto Scaling group Availability Zone distribution", EC2 Auto Scaling User
 * Guide, https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html):
 * "Auto Scaling maintains an equal number of instances across enabled
 * Availability Zones. If launch attempts fail in an Availability Zone, Auto
 * Scaling attempts to launch instances in another healthy Availability Zone"
 * (balanced-best-effort, the default) — so a launch goes to an AZ with the
 * fewest instances; terminating and draining instances no longer count (the
 * emulator's pickZone does the same). Which of several AZs tied for the fewest
 * gets a launch is not documented, so the planner treats ties as chosen by an
 * adversary: a move is judged by its worst outcome.
 *
 * The model, per AZ: old instances (serving), new instances ready, new
 * instances launching. A *round* is one wave: launches made together become
 * ready together. A *batch* is one move inside a round: retire some old
 * instances (never below the floor), then let the group launch `launch` more
 * (never above start desired + surge). After a batch the engine looks again
 * (the launches show as Pending at once) before the next, so a second batch in
 * the same round sees where the first one's launches went: that is what makes
 * every fleet of 3–12 instances with a surge of 1–3 reach ceil(n / surge)
 * waves (see test/core/az-balance.test.ts, which checks every case). A deploy
 * is over when nothing launches and the new instances hold an even spread of
 * the start size (max − min ≤ 1 across AZs); old instances and any surplus new
 * ones are then retired with the decrement, the surplus from the fullest AZs.
 *
 * The search is a memoised minimax over that small state space, cost =
 * worst-case rounds, then worst-case batches. It is bounded: a fleet whose
 * state space is too large for it returns `undefined` and the caller falls
 * back to retiring from the fullest AZ (chooseInstancesToRetire).
 *
 * @example
 *   const move = planBalancedMove({ zones: [{ zone: 'a', old: 2, ready: 0, launching: 0 }, …], size: 6, floor: 6, cap: 8 });
 *   // { kind: 'batch', retire: { a: 0, b: 0, c: 0 }, launch: 2, worstRounds: 3, worstBatches: 4 }
 */

/** One AZ's counts for the planner. */
export interface ZoneCounts {
  zone: string;
  /** Old instances, serving (old ones that do not serve are retired at once, outside the planner). */
  old: number;
  /** New instances ready (counted toward the floor). */
  ready: number;
  /** New instances launching or not ready yet. */
  launching: number;
}

export interface BalanceInput {
  zones: readonly ZoneCounts[];
  /** The size the deploy ends at (start desired). */
  size: number;
  /** Serving instances at every instant (invariant 1). */
  floor: number;
  /** Launching + serving never above this (start desired + surge, invariant 2). */
  cap: number;
  /** Search budget in evaluated states (default 200 000). */
  maxStates?: number;
  /** Search budget in moves tried (default 250 000, under a second). */
  maxWork?: number;
}

export type BalanceMove =
  /** Retire `retire[zone]` old instances per AZ, then raise desired so the group launches `launch`. */
  | { kind: 'batch'; retire: Record<string, number>; launch: number; worstRounds: number; worstBatches: number }
  /** Let the launching instances get ready (nothing to do before the round ends). */
  | { kind: 'wait'; worstRounds: number; worstBatches: number }
  /** Nothing launches and the new instances hold an even spread: retire the rest (settleBalanced). */
  | { kind: 'done' };

const ROUND = 1_000;
const INFINITE = 1_000_000_000;
const DEFAULT_MAX_STATES = 200_000;
const DEFAULT_MAX_WORK = 250_000;

class SearchTooLarge extends Error {}

/** Memo tables of the last few fleet shapes searched (size/floor/cap/zones → state → value). */
const memos = new Map<string, Map<string, Best>>();
const MEMO_FLEETS = 8;
/** Fleet shapes whose search went past its budget: not tried again with that budget or a smaller one. */
const tooLarge = new Map<string, number>();

type State = readonly (readonly [old: number, ready: number, launching: number])[];

/** Whether `ready` new instances per AZ contain an even spread of `size` (each AZ ≥ ⌊size/Z⌋, enough room at ⌈size/Z⌉). */
export function holdsEvenSpread(ready: readonly number[], size: number): boolean {
  const zones = ready.length;
  if (zones === 0) return size === 0;
  const lo = Math.floor(size / zones);
  const hi = Math.ceil(size / zones);
  return ready.every((n) => n >= lo) && ready.reduce((sum, n) => sum + Math.min(n, hi), 0) >= size;
}

/**
 * Every way `launch` launches can land when each goes to an AZ with the fewest
 * instances (`counts`), ties to any of them: whole levels fill, then the last
 * partial level goes to any subset of the tied AZs.
 */
export function placements(counts: readonly number[], launch: number): number[][] {
  const c = [...counts];
  const added = c.map(() => 0);
  let left = launch;
  for (;;) {
    if (left === 0) return [added];
    const min = Math.min(...c);
    const tied = c.flatMap((n, i) => (n === min ? [i] : []));
    const above = c.filter((n) => n > min);
    const step = above.length === 0 ? Infinity : Math.min(...above) - min;
    if (step * tied.length <= left) {
      for (const i of tied) {
        c[i]! += step;
        added[i]! += step;
      }
      left -= step * tied.length;
      continue;
    }
    const whole = Math.floor(left / tied.length);
    for (const i of tied) added[i]! += whole;
    const rest = left - whole * tied.length;
    const out: number[][] = [];
    for (const subset of combinations(tied, rest)) {
      const a = [...added];
      for (const i of subset) a[i]! += 1;
      out.push(a);
    }
    return out;
  }
}

function combinations(items: readonly number[], k: number): number[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, k - 1).map((c) => [first!, ...c]), ...combinations(rest, k)];
}

/** Every retirement vector r with r[i] ≤ old[i] and least ≤ Σr ≤ budget. */
function retirements(old: readonly number[], budget: number, least = 0): number[][] {
  const out: number[][] = [];
  const r = old.map(() => 0);
  // What the AZs after i can still retire at most, so a branch that cannot reach `least` is never walked.
  const after = old.map((_, i) => old.slice(i + 1).reduce((a, b) => a + b, 0));
  const walk = (i: number, left: number, taken: number) => {
    if (i === old.length) {
      if (taken >= least) out.push([...r]);
      return;
    }
    for (let k = Math.min(old[i]!, left); k >= 0; k--) {
      if (taken + k + after[i]! < least) break;
      r[i] = k;
      walk(i + 1, left - k, taken + k);
    }
    r[i] = 0;
  };
  walk(0, budget, 0);
  return out;
}

/** Sorts the AZs (the model is symmetric in them); returns the sorted state and each sorted slot's original index. */
function canonical(state: State): { state: State; order: number[] } {
  const order = state.map((_, i) => i).sort((a, b) => {
    const x = state[a]!;
    const y = state[b]!;
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  return { state: order.map((i) => state[i]!), order };
}

interface Best {
  cost: number;
  /** Index space of the canonical state. */
  move?: { retire: number[]; launch: number };
}

/**
 * The best next move for a rolling deploy's AZ balance, judged by its worst
 * case; `undefined` when the fleet is too large for the search (or no move can
 * ever balance it: an AZ cannot get enough instances under the cap).
 */
export function planBalancedMove(input: BalanceInput): BalanceMove | undefined {
  const { size, floor, cap } = input;
  const zones = input.zones;
  const state: State = zones.map((z) => [z.old, z.ready, z.launching] as const);
  if (zones.every((z) => z.launching === 0) && holdsEvenSpread(zones.map((z) => z.ready), size)) return { kind: 'done' };
  // Mid-wave, with nothing to retire and no room, the only move is to wait: no search (most polls).
  const servingNow = zones.reduce((n, z) => n + z.old + z.ready, 0);
  const activeNow = zones.reduce((n, z) => n + z.old + z.ready + z.launching, 0);
  if (servingNow <= floor && activeNow >= cap && zones.some((z) => z.launching > 0)) return { kind: 'wait', worstRounds: 1, worstBatches: 0 };
  const maxStates = input.maxStates ?? DEFAULT_MAX_STATES;
  const maxWork = input.maxWork ?? DEFAULT_MAX_WORK;
  // The values depend only on (state, size, floor, cap): one deploy's polls share them.
  const cacheKey = `${size}/${floor}/${cap}/${zones.length}`;
  if ((tooLarge.get(cacheKey) ?? -1) >= maxStates + maxWork) return undefined;
  let memo = memos.get(cacheKey);
  if (!memo) {
    memo = new Map<string, Best>();
    memos.set(cacheKey, memo);
    while (memos.size > MEMO_FLEETS) memos.delete(memos.keys().next().value!);
  }
  const searched = memo.size;
  let work = 0;

  // Each AZ as one number (every count is at most the cap), sorted: the AZs are symmetric in the model.
  const base = Math.max(cap, size, ...zones.map((z) => z.old + z.ready + z.launching)) + 1;
  const value = (raw: State): Best => {
    const codes = raw.map(([o, w, p]) => (o * base + w) * base + p).sort((a, b) => a - b);
    const k = codes.join(',');
    const s: State = codes.map((c) => [Math.floor(c / (base * base)), Math.floor(c / base) % base, c % base] as const);
    const known = memo!.get(k);
    if (known) return known;
    if (memo!.size - searched >= maxStates) throw new SearchTooLarge();
    // Placeholder against re-entry (the graph is acyclic: every move launches or ends a round).
    memo!.set(k, { cost: INFINITE });
    let best: Best;
    try {
      best = search(s);
    } catch (e) {
      memo!.delete(k);
      throw e;
    }
    memo!.set(k, best);
    return best;
  };

  // Every round launches at most cap − floor (what may be retired at a round's start, plus the room).
  const perRound = Math.max(1, cap - floor);
  /** A lower bound on a state's cost: the rounds still needed at perRound launches each (admissible, so pruning by it keeps values exact). */
  const lowerBound = (s: State): number => {
    const ready = s.reduce((a, z) => a + z[1], 0);
    const launching = s.reduce((a, z) => a + z[2], 0);
    if (launching === 0 && holdsEvenSpread(s.map((z) => z[1]), size)) return 0;
    const need = Math.max(0, size - ready - launching);
    if (launching > 0) {
      const later = Math.ceil(Math.max(0, need - perRound) / perRound);
      return (1 + later) * ROUND + later;
    }
    const rounds = Math.max(1, Math.ceil(need / perRound));
    return rounds * ROUND + rounds;
  };

  const search = (s: State): Best => {
    const old = s.map((z) => z[0]);
    const ready = s.map((z) => z[1]);
    const launching = s.map((z) => z[2]);
    const launchingTotal = launching.reduce((a, b) => a + b, 0);
    if (launchingTotal === 0 && holdsEvenSpread(ready, size)) return { cost: 0 };
    const floorCost = lowerBound(s);
    let best: Best = { cost: INFINITE };
    if (launchingTotal > 0) {
      const next: State = s.map(([o, r, l]) => [o, r + l, 0] as const);
      const after = value(next).cost;
      if (after < INFINITE) best = { cost: ROUND + after };
      if (best.cost <= floorCost) return best;
    }
    const serving = old.reduce((a, b) => a + b, 0) + ready.reduce((a, b) => a + b, 0);
    const active = serving + launchingTotal;
    const budget = Math.max(0, serving - floor);
    // Most progress first (retire the most, launch the most): the best move is usually among the first.
    // Only moves within a few instances of the most (zones − 1 fewer at most): holding back more never
    // helps the placement more than it costs (checked exhaustively for 3–12 × 1–3 against the full search).
    const slack = s.length;
    const moves = retirements(old, budget, Math.min(budget, old.reduce((x, y) => x + y, 0)) - slack).sort((a, b) => b.reduce((x, y) => x + y, 0) - a.reduce((x, y) => x + y, 0));
    for (const r of moves) {
      const retired = r.reduce((a, b) => a + b, 0);
      // Launch no more new instances than the deploy ends with: a surplus would have to be retired
      // again, and every case of 3–12 × 1–3 reaches ceil(n/surge) waves without one (the unit test).
      const newSoFar = ready.reduce((a, b) => a + b, 0) + launchingTotal;
      const room = Math.min(cap - (active - retired), size - newSoFar);
      const counts = s.map(([o, w, p], i) => o - r[i]! + w + p);
      for (let launch = room; launch >= Math.max(1, room - slack); launch--) {
        work++;
        if (work > maxWork) throw new SearchTooLarge();
        let worst = 0;
        for (const added of placements(counts, launch)) {
          const next: State = s.map(([o, w, p], i) => [o - r[i]!, w, p + added[i]!] as const);
          if (1 + lowerBound(next) >= best.cost) {
            worst = best.cost;
            break;
          }
          worst = Math.max(worst, 1 + value(next).cost);
          if (worst >= best.cost) break;
        }
        if (worst < best.cost) {
          best = { cost: worst, move: { retire: r, launch } };
          if (best.cost <= floorCost) return best;
        }
      }
    }
    return best;
  };

  let root: Best;
  try {
    root = value(state);
  } catch (e) {
    if (e instanceof SearchTooLarge) {
      // Forget the partial search (its placeholders are not values) and remember the verdict.
      memos.delete(cacheKey);
      tooLarge.set(cacheKey, maxStates + maxWork);
      return undefined;
    }
    throw e;
  }
  if (root.cost >= INFINITE) return undefined;
  const worstRounds = Math.floor(root.cost / ROUND);
  const worstBatches = root.cost % ROUND;
  if (!root.move) return { kind: 'wait', worstRounds, worstBatches };
  // Map the canonical move back onto the AZs as given.
  const { order } = canonical(state);
  const retire: Record<string, number> = {};
  for (const z of zones) retire[z.zone] = 0;
  order.forEach((original, slot) => {
    retire[zones[original]!.zone] = root.move!.retire[slot]!;
  });
  return { kind: 'batch', retire, launch: root.move.launch, worstRounds, worstBatches };
}

/**
 * The worst-case rounds and batches of a whole deploy under the planner, from
 * a fleet of `size` old instances spread evenly over `zones` AZs (a test and
 * bench helper: the figure the issue asks to print for every n × surge).
 */
export function worstCaseWaves(size: number, surge: number, zones = 3, floor = size): { rounds: number; batches: number } | undefined {
  const counts: ZoneCounts[] = Array.from({ length: zones }, (_, i) => ({ zone: String(i), old: Math.floor(size / zones) + (i < size % zones ? 1 : 0), ready: 0, launching: 0 }));
  const move = planBalancedMove({ zones: counts, size, floor, cap: size + surge, maxStates: 2_000_000 });
  if (move === undefined) return undefined;
  if (move.kind === 'done') return { rounds: 0, batches: 0 };
  return { rounds: move.worstRounds, batches: move.worstBatches };
}
