/**
 * Durations as people type them (`90s`, `5m`, `1h30m`, `2d`, `250ms`) → milliseconds,
 * and milliseconds → the same compact form for humans.
 *
 * @example
 *   parseDuration('1h30m')          // 5_400_000
 *   parseDuration('0')              // 0
 *   formatDuration(5_400_000)       // '1h30m'
 *   formatDuration(1_500)           // '1.5s'
 */
import { AsgDeployError } from './errors.js';

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
/** Units from largest to smallest; a duration lists each at most once, in this order. */
const UNIT_ORDER: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];
const PART = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/y;

function durationError(input: string, what: string | undefined, why: string): AsgDeployError {
  const subject = what === undefined ? 'duration' : `duration for ${what}`;
  return new AsgDeployError('BAD_INPUT', `invalid ${subject} ${JSON.stringify(input)}: ${why}`, {
    hint: 'write a number with a unit (ms, s, m, h, d), largest unit first: 90s, 5m, 1h30m, 2d',
    details: { value: input, ...(what === undefined ? {} : { option: what }) },
  });
}

/**
 * Parses a duration into milliseconds. `what` names the option in the error
 * message (e.g. `--warmup`). A bare `0` is accepted; any other bare number is
 * refused, since `90` could mean seconds or minutes.
 * Throws an AsgDeployError BAD_INPUT naming the bad value.
 */
export function parseDuration(input: string, what?: string): number {
  const text = input.trim().toLowerCase();
  if (text === '') throw durationError(input, what, 'it is empty');
  if (/^0+(\.0+)?$/.test(text)) return 0;
  if (/^\d+(\.\d+)?$/.test(text)) throw durationError(input, what, 'it has no unit');
  if (text.startsWith('-')) throw durationError(input, what, 'a duration cannot be negative');
  let total = 0;
  let position = 0;
  let lastUnitIndex = -1;
  while (position < text.length) {
    PART.lastIndex = position;
    const match = PART.exec(text);
    if (match === null) {
      throw durationError(input, what, `cannot read ${JSON.stringify(text.slice(position))}`);
    }
    const unit = match[2] as Unit;
    const unitIndex = UNIT_ORDER.indexOf(unit);
    if (unitIndex <= lastUnitIndex) {
      throw durationError(input, what, `unit "${unit}" is repeated or out of order`);
    }
    lastUnitIndex = unitIndex;
    total += Number(match[1]) * UNIT_MS[unit];
    position = PART.lastIndex;
  }
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) throw durationError(input, what, 'it is too long');
  return ms;
}

/**
 * Formats milliseconds compactly: `0s`, `250ms`, `1.5s` (under a minute, one
 * decimal at most), `45s`, `1m30s`, `1h30m`, `2d3h`. From a minute up, the value
 * is rounded to whole seconds and zero parts are left out. The result parses
 * back with {@link parseDuration} (to the second from a minute up).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0s';
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) {
    const tenths = Math.round(ms / 100) / 10;
    if (tenths < 60) return `${tenths}s`;
  }
  let rest = Math.round(ms / 1_000) * 1_000;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    rest -= count * UNIT_MS[unit];
    if (count > 0) out += `${count}${unit}`;
  }
  return out;
}
