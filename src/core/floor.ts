/**
 * `--min-healthy`: the floor, the number of instances that must be serving at
 * every instant (deploys.md "Words", invariant 1): a count or a percentage of
 * the desired capacity at the start, default 100 %. A percentage is rounded up
 * (ceil(minHealthy % × desired)), so 90 % of 5 is 5, never 4.
 *
 * @example
 *   resolveFloor(parseMinHealthy('90%'), 10) // 9
 *   resolveFloor(parseMinHealthy('90%'), 5)  // 5
 */
import { parseAmount, percentOfCeil, type Amount } from './amount.js';

export const DEFAULT_MIN_HEALTHY: Amount = { kind: 'percent', percent: 100 };

export function parseMinHealthy(input: string | number, option = '--min-healthy'): Amount {
  return parseAmount(input, option, { maxPercent: 100 });
}

/**
 * The floor in instances for a group whose desired capacity at the start is
 * `desired`. A count above the desired capacity is clamped to it: more than
 * the desired capacity could never be serving before the deploy starts.
 */
export function resolveFloor(minHealthy: Amount, desired: number): number {
  const start = Math.max(0, desired);
  const raw = minHealthy.kind === 'count' ? minHealthy.count : percentOfCeil(minHealthy.percent, start);
  return Math.min(start, Math.max(0, raw));
}

/** How many instances may be out of service at once: desired at start − floor. */
export function unavailableAllowance(desired: number, floor: number): number {
  return Math.max(0, desired - floor);
}

/** How many more serving instances can be taken out right now without dropping below the floor. */
export function headroomAboveFloor(serving: number, floor: number): number {
  return Math.max(0, serving - floor);
}
