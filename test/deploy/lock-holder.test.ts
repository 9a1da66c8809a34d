/**
 * The lock records host, pid and process start time (issue 8), and the pure
 * check of whether its process is gone, judged from a host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLock, encodeLock, type DeployLock } from '../../src/deploy/index.js';
import { currentHolder, lockHolderState, probeProcess } from '../../src/deploy/engine/lock-holder.js';

const base: DeployLock = { deployId: 'd-1', owner: 'ci-7:4242', renewedAt: Date.UTC(2026, 0, 1), expiresAt: Date.UTC(2026, 0, 1, 0, 10) };
const held: DeployLock = { ...base, host: 'ci-7', pid: 4242, processStartedAt: Date.UTC(2025, 11, 31) };

test('a lock round-trips host, pid and process start time; an old lock without them still decodes', () => {
  assert.deepEqual(decodeLock(encodeLock(held)), held);
  assert.deepEqual(decodeLock(encodeLock(base)), base);
  assert.deepEqual(decodeLock('id=d-1;owner=ci-7:4242;renewed=2026-01-01T00:00:00.000Z;expires=2026-01-01T00:10:00.000Z'), base);
});

test('lockHolderState: gone when the pid no longer runs on the same host, or runs but started at another time (pid reused)', () => {
  assert.equal(lockHolderState(held, 'ci-7', () => undefined), 'gone');
  assert.equal(lockHolderState(held, 'ci-7', () => held.processStartedAt! + 60_000), 'gone');
  assert.equal(lockHolderState(held, 'ci-7', () => held.processStartedAt! + 500), 'running');
  assert.equal(lockHolderState(held, 'ci-7', () => Number.NaN), 'running', 'start time unknown: a running pid is not taken over');
});

test('lockHolderState: unknown from another host or for a lock without a pid', () => {
  assert.equal(lockHolderState(held, 'laptop', () => undefined), 'unknown');
  assert.equal(lockHolderState(base, 'ci-7', () => undefined), 'unknown');
});

test('the probe sees this process running since it started, and a pid that does not exist as gone', () => {
  const me = currentHolder();
  assert.equal(me.pid, process.pid);
  assert.equal(lockHolderState({ ...base, ...me }, me.host, probeProcess), 'running');
  assert.equal(probeProcess(2 ** 22 + 12345), undefined);
});
