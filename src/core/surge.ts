/**
 * `--max-surge`: how many instances may exist above the desired capacity at
 * the start of a deploy (deploys.md "Words"): a count or a percentage, default
 * 25 %, rounded up. A surge of 0 means 0 (issue 8, "flags mean what they
 * say"): the deploy retires an old instance first, then launches its
 * replacement, always within the floor — so it needs a floor below desired,
 * and `assertSurgeCanProgress` refuses it with the floor at desired.
 *
 * @example
 *   resolveSurge(parseSurge('25%'), 10) // 3
 *   resolveSurge(parseSurge('0'), 10)   // 0 (retire first, then launch)
 */
import { AsgDeployError } from './errors.js';
import { parseAmount, percentOfCeil, type Amount } from './amount.js';

export const DEFAULT_MAX_SURGE: Amount = { kind: 'percent', percent: 25 };

/** Largest surge percentage accepted (10× the group). */
export const MAX_SURGE_PERCENT = 1000;

export function parseSurge(input: string | number, option = '--max-surge'): Amount {
  return parseAmount(input, option, { maxPercent: MAX_SURGE_PERCENT });
}

/**
 * The surge in instances for a group whose desired capacity at the start is
 * `desired`. Never clamped: an explicit 0 stays 0. Only an empty group, where
 * a percentage has nothing to be a share of, gets 1 (nothing is replaced).
 */
export function resolveSurge(surge: Amount, desired: number): number {
  const raw = surge.kind === 'count' ? surge.count : percentOfCeil(surge.percent, Math.max(0, desired));
  if (desired === 0 && surge.kind === 'percent') return Math.max(1, raw);
  return raw;
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

/**
 * Flags mean what they say (issue 8): a surge of 0 with a floor at the whole
 * group can never replace an instance — nothing may launch above desired and
 * nothing may leave — so it is refused with the reason rather than clamped.
 *
 * @example
 *   assertSurgeCanProgress({ kind: 'count', count: 0 }, 6, 6) // throws BAD_INPUT
 */
export function assertSurgeCanProgress(surge: Amount, floor: number, desired: number): void {
  const raw = surge.kind === 'count' ? surge.count : percentOfCeil(surge.percent, Math.max(0, desired));
  if (raw > 0 || desired === 0 || floor < desired) return;
  throw new AsgDeployError('BAD_INPUT', `--max-surge ${surge.kind === 'count' ? surge.count : `${surge.percent}%`} with a floor of ${floor} of ${desired} instances can never progress: no new instance may launch above desired and no old one may leave`, {
    hint: 'allow a surge (e.g. --max-surge 1) or lower the floor (e.g. --min-healthy 75%)',
  });
}
