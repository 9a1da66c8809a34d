/** Polls when something is due (core/poll-due.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instanceDueAt, nextPollDelayMs, nextTick } from '../../src/core/index.js';

test('nextPollDelayMs: until the earliest due moment, never below the minimum nor above the ceiling', () => {
  assert.equal(nextPollDelayMs({ now: 10_000, ceilingMs: 5_000, minMs: 500, due: [11_200, 40_000] }), 1_200);
  assert.equal(nextPollDelayMs({ now: 10_000, ceilingMs: 5_000, minMs: 500, due: [40_000] }), 5_000, 'ceiling');
  assert.equal(nextPollDelayMs({ now: 10_000, ceilingMs: 5_000, minMs: 500, due: [] }), 5_000, 'nothing due: the ceiling');
  assert.equal(nextPollDelayMs({ now: 10_000, ceilingMs: 5_000, minMs: 500, due: [9_000] }), 500, 'already due: the minimum');
  assert.equal(nextPollDelayMs({ now: 10_000, ceilingMs: 5_000, minMs: 500, due: [Infinity] }), 5_000);
  assert.equal(nextPollDelayMs({ now: 0, ceilingMs: 200, minMs: 500, due: [] }), 200, 'a ceiling below the minimum wins');
});

test('nextTick: the next moment of a schedule every interval from an anchor', () => {
  assert.equal(nextTick(30_000, 5_000, 30_000), 35_000);
  assert.equal(nextTick(30_000, 5_000, 34_999), 35_000);
  assert.equal(nextTick(30_000, 5_000, 35_000), 40_000);
  assert.equal(nextTick(30_000, 5_000, 35_050, 100), 35_100, 'with a lag, the tick at 35 s is looked at 35.1 s');
  assert.equal(nextTick(30_000, 5_000, 35_100, 100), 40_100);
  assert.equal(nextTick(0, 0, 10), Infinity);
});

const settings = { bootMs: 30_000, healthCheckIntervalMs: 5_000, readyWindowMs: 10_000, bootStepMs: 1_000, bootSlackMs: 5_000 };

test('instanceDueAt: boot end, then every second for a few seconds, then the health-check ticks, then the end of the stability window', () => {
  assert.equal(instanceDueAt({ firstSeen: 1_000 }, 2_000, settings), 31_000, 'expected boot end');
  assert.equal(instanceDueAt({ firstSeen: 1_000 }, 31_000, settings), 32_000, 'each second after it');
  assert.equal(instanceDueAt({ firstSeen: 1_000 }, 40_000, settings), Infinity, 'past the slack: the ceiling applies');
  assert.equal(instanceDueAt({ firstSeen: 1_000, inServiceSeen: 32_000 }, 33_000, settings), 37_100, 'the next health check after InService');
  assert.equal(instanceDueAt({ firstSeen: 1_000, inServiceSeen: 32_000, servingSince: 57_100 }, 57_100, settings), 67_100, 'stability window end');
  assert.equal(instanceDueAt({ firstSeen: 1_000, inServiceSeen: 32_000, servingSince: 57_100 }, 70_000, settings), Infinity, 'window over: nothing predicted');
  const { healthCheckIntervalMs: _none, ...noTargetGroups } = settings;
  assert.equal(instanceDueAt({ firstSeen: 1_000, inServiceSeen: 32_000 }, 33_000, noTargetGroups), Infinity, 'no target group: nothing predicted');
});
