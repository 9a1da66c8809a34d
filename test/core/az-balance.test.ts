/**
 * The balanced-waves planner (core/az-balance.ts), exhaustively: for every
 * fleet of 3–12 instances across 3 AZs with a surge of 1–3 (floor 100 %), the
 * planner, played against every way the group can break ties, ends with the
 * AZs even after exactly ceil(n / surge) waves, never retires below the floor
 * and never asks for more than start desired + surge.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsEvenSpread, placements, planBalancedMove, worstCaseWaves, type ZoneCounts } from '../../src/core/index.js';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

test('placements: whole levels fill first, the last partial level goes to any subset of the tied AZs', () => {
  assert.deepEqual(placements([2, 2, 2], 0), [[0, 0, 0]]);
  // One strict minimum: deterministic.
  assert.deepEqual(placements([3, 3, 1], 2), [[0, 0, 2]]);
  // [3,3,2] + 2: the first to the 2, then the three are tied at 3: any one of them.
  assert.deepEqual(
    placements([3, 3, 2], 2).map((p) => p.join('')).sort(),
    ['002', '011', '101'],
  );
  // Exact fill to a level is deterministic.
  assert.deepEqual(placements([1, 2, 3], 3), [[2, 1, 0]]);
  assert.equal(placements([2, 2, 2], 1).length, 3);
  assert.equal(placements([2, 2, 2], 2).length, 3);
});

test('holdsEvenSpread: the new instances contain an even spread of the start size', () => {
  assert.equal(holdsEvenSpread([2, 2, 2], 6), true);
  assert.equal(holdsEvenSpread([3, 2, 1], 6), false);
  assert.equal(holdsEvenSpread([3, 3, 1], 6), false);
  assert.equal(holdsEvenSpread([3, 2, 2], 6), true, 'a surplus new one in the fullest AZ is retired at the end');
  assert.equal(holdsEvenSpread([3, 3, 2], 7), true);
  assert.equal(holdsEvenSpread([4, 2, 1], 7), false);
});

test('worst case for every n 3–12 × surge 1–3 across 3 AZs: exactly ceil(n / surge) waves (printed)', () => {
  const rows: string[] = [];
  for (let n = 3; n <= 12; n++) {
    const cells: string[] = [];
    for (let s = 1; s <= 3; s++) {
      const worst = worstCaseWaves(n, s);
      assert.ok(worst, `n=${n} s=${s}: the search must finish`);
      assert.equal(worst.rounds, Math.ceil(n / s), `n=${n} s=${s}: worst-case waves`);
      // At most one extra look inside a wave (a second batch once the first one's launches show).
      assert.ok(worst.batches <= worst.rounds + 1, `n=${n} s=${s}: ${worst.batches} batches`);
      cells.push(`s=${s}: ${worst.rounds} waves, ${worst.batches} batches`);
    }
    rows.push(`n=${n}  ${cells.join('  ')}`);
  }
  console.log(rows.join('\n'));
});

/** Plays the planner against every tie-break of the group; returns the most rounds any play took. */
function playAll(size: number, surge: number): number {
  const floor = size;
  const cap = size + surge;
  const start: ZoneCounts[] = ZONES.map((zone, i) => ({ zone, old: Math.floor(size / 3) + (i < size % 3 ? 1 : 0), ready: 0, launching: 0 }));
  let worst = 0;
  const seen = new Map<string, number>();
  const play = (zones: ZoneCounts[], rounds: number): void => {
    const key = `${JSON.stringify(zones)}|${rounds}`;
    if (seen.has(key)) return;
    seen.set(key, rounds);
    assert.ok(rounds <= Math.ceil(size / surge) + 1, `n=${size} s=${surge}: runaway play ${JSON.stringify(zones)}`);
    const move = planBalancedMove({ zones, size, floor, cap });
    assert.ok(move, `n=${size} s=${surge}: no move from ${JSON.stringify(zones)}`);
    if (move.kind === 'done') {
      const ready = zones.map((z) => z.ready);
      assert.ok(holdsEvenSpread(ready, size), `done only when even: ${JSON.stringify(zones)}`);
      worst = Math.max(worst, rounds);
      return;
    }
    if (move.kind === 'wait') {
      play(zones.map((z) => ({ ...z, ready: z.ready + z.launching, launching: 0 })), rounds + 1);
      return;
    }
    const serving = zones.reduce((n, z) => n + z.old + z.ready, 0);
    const retired = Object.values(move.retire).reduce((a, b) => a + b, 0);
    assert.ok(serving - retired >= floor, `floor: ${serving} serving, retiring ${retired}`);
    const after = zones.map((z) => ({ ...z, old: z.old - (move.retire[z.zone] ?? 0) }));
    for (const z of after) assert.ok(z.old >= 0, `retires only old instances it has: ${JSON.stringify(move)}`);
    const active = after.reduce((n, z) => n + z.old + z.ready + z.launching, 0);
    assert.ok(active + move.launch <= cap, `cap: ${active} + ${move.launch} > ${cap}`);
    const counts = after.map((z) => z.old + z.ready + z.launching);
    for (const added of placements(counts, move.launch)) {
      play(after.map((z, i) => ({ ...z, launching: z.launching + added[i]! })), rounds);
    }
  };
  play(start, 0);
  return worst;
}

test('planBalancedMove played against every tie-break: ceil(n / surge) waves, floor and cap held, AZs even at the end', () => {
  for (let n = 3; n <= 12; n++) {
    for (let s = 1; s <= 3; s++) {
      assert.equal(playAll(n, s), Math.ceil(n / s), `n=${n} s=${s}`);
    }
  }
});

test('planBalancedMove: the move is given in the AZs as named, whatever their order', () => {
  // 2 new ready in a and b (first wave done), c has only old instances: replace in place.
  const zones: ZoneCounts[] = [
    { zone: 'c', old: 2, ready: 0, launching: 0 },
    { zone: 'a', old: 2, ready: 1, launching: 0 },
    { zone: 'b', old: 2, ready: 1, launching: 0 },
  ];
  const move = planBalancedMove({ zones, size: 6, floor: 6, cap: 8 });
  assert.ok(move && move.kind === 'batch', JSON.stringify(move));
  assert.deepEqual(Object.keys(move.retire).sort(), ['a', 'b', 'c']);
  assert.equal(Object.values(move.retire).reduce((a, b) => a + b, 0) <= 2, true, 'never below the floor');
  assert.equal(move.worstRounds, 2, 'two waves left after the first, whatever the group does');
});

test('planBalancedMove: done once nothing launches and the new instances hold an even spread; wait while launches are under way', () => {
  assert.deepEqual(planBalancedMove({ zones: ZONES.map((zone) => ({ zone, old: 1, ready: 2, launching: 0 })), size: 6, floor: 6, cap: 8 }), { kind: 'done' });
  const waiting = planBalancedMove({ zones: ZONES.map((zone, i) => ({ zone, old: i < 2 ? 2 : 2, ready: 0, launching: i < 2 ? 1 : 0 })), size: 6, floor: 6, cap: 8 });
  assert.ok(waiting && waiting.kind === 'wait', JSON.stringify(waiting));
});

test('planBalancedMove: a fleet too large for the search says so (undefined) quickly, and remembers it', () => {
  const zones = ZONES.map((zone, i) => ({ zone, old: 67 - (i === 2 ? 1 : 0), ready: 0, launching: 0 }));
  const first = Date.now();
  assert.equal(planBalancedMove({ zones, size: 200, floor: 200, cap: 250, maxWork: 20_000 }), undefined);
  const again = Date.now();
  assert.equal(planBalancedMove({ zones, size: 200, floor: 200, cap: 250, maxWork: 20_000 }), undefined);
  assert.ok(Date.now() - again <= Math.max(5, (again - first) / 4), 'the second answer comes from the remembered verdict');
});
