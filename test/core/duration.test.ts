import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, isAsgDeployError, parseDuration } from '../../src/core/index.js';

test('parses single units', () => {
  const cases: [string, number][] = [
    ['250ms', 250],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['0', 0],
    ['0s', 0],
    ['1.5s', 1_500],
    ['0.5h', 1_800_000],
    [' 30S ', 30_000],
  ];
  for (const [input, ms] of cases) assert.equal(parseDuration(input), ms, input);
});

test('parses compound durations, largest unit first', () => {
  const cases: [string, number][] = [
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['1d2h', 93_600_000],
    ['2m500ms', 120_500],
    ['1m1s1ms', 61_001],
  ];
  for (const [input, ms] of cases) assert.equal(parseDuration(input), ms, input);
});

test('refuses bad durations with a message that names the value', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['90', /no unit/],
    ['5x', /cannot read "5x"|cannot read "x"/],
    ['-5s', /negative/],
    ['1m1h', /out of order/],
    ['5s5s', /repeated/],
    ['abc', /cannot read/],
    ['1h 30m', /cannot read/],
    ['s', /cannot read/],
  ];
  for (const [input, why] of cases) {
    assert.throws(
      () => parseDuration(input, '--warmup'),
      (e: unknown) => {
        assert.ok(isAsgDeployError(e, 'BAD_INPUT'), input);
        assert.ok(e.message.includes(JSON.stringify(input)), `message names ${JSON.stringify(input)}: ${e.message}`);
        assert.ok(e.message.includes('--warmup'), e.message);
        assert.match(e.message, why);
        assert.match(e.message, /^invalid duration for --warmup /);
        assert.match(e.hint ?? '', /90s/);
        assert.deepEqual(e.details, { value: input, option: '--warmup' });
        return true;
      },
    );
  }
});

test('error without an option name', () => {
  assert.throws(() => parseDuration('7'), /^AsgDeployError: invalid duration "7": it has no unit$/);
});

test('formats for humans', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ms'],
    [250, '250ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [45_000, '45s'],
    [59_960, '1m'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [3_600_000, '1h'],
    [93_600_000, '1d2h'],
    [90_061_000, '1d1h1m1s'],
    [-90_000, '-1m30s'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
});

test('format → parse round-trips to the second', () => {
  for (let s = 0; s < 200_000; s += 997) {
    const ms = s * 1000;
    assert.equal(parseDuration(formatDuration(ms)), ms, formatDuration(ms));
  }
});
