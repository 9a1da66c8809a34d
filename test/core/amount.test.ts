import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_SURGE,
  DEFAULT_MIN_HEALTHY,
  formatAmount,
  headroomAboveFloor,
  isAsgDeployError,
  maxSizeNeed,
  parseAmount,
  parseMinHealthy,
  parseSurge,
  percentOfCeil,
  percentOfFloor,
  resolveFloor,
  resolveSurge,
  unavailableAllowance,
} from '../../src/core/index.js';

test('parseAmount reads counts and percentages', () => {
  const limits = { maxPercent: 100 };
  assert.deepEqual(parseAmount('3', '--x', limits), { kind: 'count', count: 3 });
  assert.deepEqual(parseAmount(3, '--x', limits), { kind: 'count', count: 3 });
  assert.deepEqual(parseAmount(' 0 ', '--x', limits), { kind: 'count', count: 0 });
  assert.deepEqual(parseAmount('25%', '--x', limits), { kind: 'percent', percent: 25 });
  assert.deepEqual(parseAmount('12.5%', '--x', limits), { kind: 'percent', percent: 12.5 });
  assert.deepEqual(parseAmount('100 %', '--x', limits), { kind: 'percent', percent: 100 });
  assert.deepEqual(parseAmount('0%', '--x', limits), { kind: 'percent', percent: 0 });
});

test('parseAmount refuses bad amounts, naming the flag and the value', () => {
  const cases: [string | number, RegExp][] = [
    ['-1', /negative/],
    [-1, /negative/],
    ['1.5', /whole number/],
    [1.5, /whole number/],
    ['abc', /count or a percentage/],
    ['', /count or a percentage/],
    ['%', /count or a percentage/],
    ['101%', /at most 100%/],
    ['25%%', /count or a percentage/],
    ['-5%', /negative|count or a percentage/],
    ['99999999999999999999', /too large/],
  ];
  for (const [input, why] of cases) {
    assert.throws(
      () => parseAmount(input, '--min-healthy', { maxPercent: 100 }),
      (e: unknown) => {
        assert.ok(isAsgDeployError(e, 'BAD_INPUT'), String(input));
        assert.ok(e.message.startsWith(`invalid --min-healthy ${JSON.stringify(String(input))}: `), e.message);
        assert.match(e.message, why);
        assert.match(e.hint ?? '', /--min-healthy 25%/);
        return true;
      },
    );
  }
});

test('formatAmount', () => {
  assert.equal(formatAmount({ kind: 'count', count: 2 }), '2');
  assert.equal(formatAmount({ kind: 'percent', percent: 12.5 }), '12.5%');
  assert.equal(formatAmount(DEFAULT_MAX_SURGE), '25%');
  assert.equal(formatAmount(DEFAULT_MIN_HEALTHY), '100%');
});

test('percentOf rounding is immune to floating-point noise', () => {
  // 0.7 * 10 = 7.000000000000001 and 0.9 * 10 = 9.000000000000002 in floating point
  for (let p = 0; p <= 100; p++) {
    for (let n = 0; n <= 50; n++) {
      const exact = p * n; // integer; the true value is exact / 100
      assert.equal(percentOfCeil(p, n), Math.floor((exact + 99) / 100), `ceil ${p}% of ${n}`);
      assert.equal(percentOfFloor(p, n), Math.floor(exact / 100), `floor ${p}% of ${n}`);
    }
  }
  // integer percentages are exact when multiplied first; decimal ones are not: 4.4 × 750 / 100 = 33.00000000000001
  assert.equal(percentOfCeil(4.4, 750), 33);
  assert.equal(percentOfFloor(4.4, 750), 33);
  assert.equal(percentOfCeil(12.5, 8), 1);
  assert.equal(percentOfCeil(12.5, 9), 2);
});

test('surge: count or percent of desired, rounded up; an explicit 0 stays 0 (1 only for a percentage of an empty group)', () => {
  // Flags mean what they say (issue 8): 0 is honoured, never raised to 1.
  assert.equal(resolveSurge(parseSurge('0'), 10), 0);
  assert.equal(resolveSurge(parseSurge('0%'), 10), 0);
  assert.equal(resolveSurge(parseSurge('1'), 10), 1);
  assert.equal(resolveSurge(parseSurge('25%'), 10), 3);
  assert.equal(resolveSurge(parseSurge('25%'), 4), 1);
  assert.equal(resolveSurge(parseSurge('25%'), 5), 2);
  assert.equal(resolveSurge(parseSurge('100%'), 7), 7);
  assert.equal(resolveSurge(parseSurge('200%'), 7), 14);
  assert.equal(resolveSurge(parseSurge('25%'), 0), 1);
  assert.equal(resolveSurge(parseSurge('5'), 2), 5);
  assert.equal(resolveSurge(DEFAULT_MAX_SURGE, 20), 5);
  assert.throws(() => parseSurge('1001%'), /invalid --max-surge "1001%": at most 1000% is allowed/);
  assert.throws(() => parseSurge('x', '--surge'), /invalid --surge "x"/);
});

test('floor: ceil(minHealthy% × desired), counts clamped to desired', () => {
  assert.equal(resolveFloor(parseMinHealthy('100%'), 10), 10);
  assert.equal(resolveFloor(parseMinHealthy('90%'), 10), 9);
  assert.equal(resolveFloor(parseMinHealthy('90%'), 5), 5);
  assert.equal(resolveFloor(parseMinHealthy('90%'), 20), 18);
  assert.equal(resolveFloor(parseMinHealthy('50%'), 3), 2);
  assert.equal(resolveFloor(parseMinHealthy('0'), 10), 0);
  assert.equal(resolveFloor(parseMinHealthy('0%'), 10), 0);
  assert.equal(resolveFloor(parseMinHealthy('4'), 10), 4);
  assert.equal(resolveFloor(parseMinHealthy('12'), 10), 10);
  assert.equal(resolveFloor(parseMinHealthy('100%'), 0), 0);
  assert.equal(resolveFloor(DEFAULT_MIN_HEALTHY, 7), 7);
  assert.throws(() => parseMinHealthy('150%'), /invalid --min-healthy "150%": at most 100% is allowed/);
});

test('allowances and MaxSize need', () => {
  assert.equal(unavailableAllowance(10, 9), 1);
  assert.equal(unavailableAllowance(10, 10), 0);
  assert.equal(unavailableAllowance(3, 5), 0);
  assert.equal(headroomAboveFloor(8, 9), 0);
  assert.equal(headroomAboveFloor(11, 9), 2);
  assert.deepEqual(maxSizeNeed(10, 13), { current: 10, required: 13, raise: true });
  assert.deepEqual(maxSizeNeed(20, 13), { current: 20, required: 20, raise: false });
  assert.deepEqual(maxSizeNeed(13, 13), { current: 13, required: 13, raise: false });
});
