/**
 * A capacity amount as flags take it: a count (`3`) or a percentage (`25%`) of
 * the desired capacity at the start of a deploy. Shared by `--max-surge` and
 * `--min-healthy`.
 */
import { AsgDeployError } from './errors.js';

export type Amount = { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

export interface AmountLimits {
  /** Highest percentage accepted (inclusive). */
  maxPercent: number;
}

/**
 * Parses `"3"`, `3`, `"25%"` or `"12.5%"`. Counts are whole numbers ≥ 0;
 * percentages are ≥ 0 and ≤ `limits.maxPercent`. `option` names the flag in
 * the error message.
 *
 * @example parseAmount('25%', '--max-surge', { maxPercent: 1000 }) // { kind: 'percent', percent: 25 }
 */
export function parseAmount(input: string | number, option: string, limits: AmountLimits): Amount {
  const text = typeof input === 'number' ? String(input) : input.trim();
  const fail = (why: string) =>
    new AsgDeployError('BAD_INPUT', `invalid ${option} ${JSON.stringify(String(input))}: ${why}`, {
      hint: `pass a whole number of instances (e.g. ${option} 2) or a percentage of the desired capacity (e.g. ${option} 25%)`,
      details: { option, value: String(input) },
    });
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent !== null) {
    const value = Number(percent[1]);
    if (value > limits.maxPercent) throw fail(`at most ${limits.maxPercent}% is allowed`);
    return { kind: 'percent', percent: value };
  }
  if (/^-/.test(text)) throw fail('it cannot be negative');
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (!Number.isSafeInteger(count)) throw fail('it is too large');
    return { kind: 'count', count };
  }
  if (/^\d*\.\d+$/.test(text)) throw fail('a count must be a whole number');
  throw fail('expected a count or a percentage');
}

/** `3` or `25%`, the way the user would write it. */
export function formatAmount(amount: Amount): string {
  return amount.kind === 'count' ? String(amount.count) : `${amount.percent}%`;
}

/** `percent`% of `of`, rounded up, robust to floating-point noise (90% of 10 is 9, not 10). */
export function percentOfCeil(percent: number, of: number): number {
  return Math.ceil((percent * of) / 100 - 1e-9) + 0; // + 0 turns -0 into 0
}

/** `percent`% of `of`, rounded down, robust to floating-point noise. */
export function percentOfFloor(percent: number, of: number): number {
  return Math.floor((percent * of) / 100 + 1e-9) + 0;
}
