import { InvalidArgumentError } from 'commander';

/** A commander parser for an integer in [min, max] whose error names the flag and the bad value. */
export function parseIntegerOption(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}, got "${value}".`);
    }
    return n;
  };
}

/** A commander parser for a number in [min, max]. */
export function parseNumberOption(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max}, got "${value}".`);
    }
    return n;
  };
}
