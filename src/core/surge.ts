/**
 * `--max-surge`: how many instances may exist above the desired capacity at
 * the start of a deploy (deploys.md "Words"): a count or a percentage, default
 * 25 %, rounded up, and at least 1 (a surge of 0 could never replace anything
 * without dipping, so it means 1).
 *
 * @example
 *   resolveSurge(parseSurge('25%'), 10) // 3
 *   resolveSurge(parseSurge('0'), 10)   // 1
 */
import { parseAmount, percentOfCeil, type Amount } from './amount.js';

export const DEFAULT_MAX_SURGE: Amount = { kind: 'percent', percent: 25 };

/** Largest surge percentage accepted (10× the group). */
export const MAX_SURGE_PERCENT = 1000;

export function parseSurge(input: string | number, option = '--max-surge'): Amount {
  return parseAmount(input, option, { maxPercent: MAX_SURGE_PERCENT });
}

/** The surge in instances for a group whose desired capacity at the start is `desired`; always ≥ 1. */
export function resolveSurge(surge: Amount, desired: number): number {
  const raw = surge.kind === 'count' ? surge.count : percentOfCeil(surge.percent, Math.max(0, desired));
  return Math.max(1, raw);
}

export interface MaxSizeNeed {
  /** The group's MaxSize now. */
  current: number;
  /** The MaxSize the deploy needs at its peak (never lower than `current`). */
  required: number;
  /** True when the deploy must raise MaxSize (and restore it after). */
  raise: boolean;
}

/**
 * The MaxSize a deploy needs when desired capacity will peak at `peakDesired`:
 * raise it temporarily when the surge does not fit (deploys.md "Words").
 */
export function maxSizeNeed(currentMaxSize: number, peakDesired: number): MaxSizeNeed {
  const required = Math.max(currentMaxSize, peakDesired);
  return { current: currentMaxSize, required, raise: required > currentMaxSize };
}
