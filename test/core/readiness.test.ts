import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LIFECYCLE_STATES,
  countsTowardSurgeCap,
  isDraining,
  isReady,
  isServing,
  readyInstances,
  resolveWarmupMs,
  servingCount,
  surgeCapCount,
  targetHealthOf,
  updateServingSince,
  worseTargetHealth,
  instanceVersion,
  isTargetHealthState,
  TARGET_HEALTH_STATES,
  type TargetHealthState,
} from '../../src/core/index.js';
import { fleet, instance } from './fleet-builder.js';

const TGS = { targetGroupArns: ['tg-1', 'tg-2'] };

test('serving: only InService + Healthy counts, in every lifecycle state', () => {
  for (const state of LIFECYCLE_STATES) {
    for (const health of ['Healthy', 'Unhealthy'] as const) {
      const i = instance('i-1', { lifecycleState: state, healthStatus: health });
      assert.equal(isServing(i, fleet([i])), state === 'InService' && health === 'Healthy', `${state} ${health}`);
    }
  }
});

test('serving: healthy in every target group, for every target state', () => {
  for (const state of TARGET_HEALTH_STATES) {
    const i = instance('i-1');
    const inFirst = fleet([i], { group: TGS, health: { 'tg-1': { 'i-1': state } } });
    assert.equal(isServing(i, inFirst), state === 'healthy', `tg-1 ${state}`);
    const inSecond = fleet([i], { group: TGS, health: { 'tg-2': { 'i-1': state } } });
    assert.equal(isServing(i, inSecond), state === 'healthy', `tg-2 ${state}`);
  }
  // not registered in a target group → not serving
  const i = instance('i-1');
  const unregistered = fleet([i], { group: TGS, allHealthy: false, health: { 'tg-1': { 'i-1': 'healthy' } } });
  assert.equal(isServing(i, unregistered), false);
  // a target group missing from the snapshot → not serving
  const missing = { ...fleet([i], { group: TGS }), targetHealth: { 'tg-1': { 'i-1': { state: 'healthy' as const } } } };
  assert.equal(isServing(i, missing), false);
  // no target groups: InService + Healthy is serving
  assert.ok(isServing(i, fleet([i])));
});

test('servingCount', () => {
  const instances = [
    instance('i-1'),
    instance('i-2'),
    instance('i-3', { lifecycleState: 'Pending' }),
    instance('i-4', { healthStatus: 'Unhealthy' }),
    instance('i-5'),
  ];
  const f = fleet(instances, { group: TGS, health: { 'tg-2': { 'i-5': 'initial' } } });
  assert.equal(servingCount(f), 2);
  assert.equal(servingCount(fleet([])), 0);
});

test('surge cap counts launching and serving instances, not draining or leaving ones', () => {
  for (const state of LIFECYCLE_STATES) {
    const i = instance('i-1', { lifecycleState: state });
    const expected = ['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService'].includes(state);
    assert.equal(countsTowardSurgeCap(i, fleet([i], { group: TGS })), expected, state);
  }
  for (const state of TARGET_HEALTH_STATES) {
    const i = instance('i-1');
    const f = fleet([i], { group: TGS, health: { 'tg-1': { 'i-1': state } } });
    const draining = state === 'draining' || state === 'unhealthy.draining';
    assert.equal(isDraining(i, f), draining, state);
    assert.equal(countsTowardSurgeCap(i, f), !draining, state);
  }
  const f = fleet(
    [
      instance('i-1'),
      instance('i-2', { lifecycleState: 'Pending' }),
      instance('i-3', { lifecycleState: 'Terminating' }),
      instance('i-4'),
      instance('i-5', { lifecycleState: 'Standby' }),
      instance('i-6', { healthStatus: 'Unhealthy' }),
    ],
    { group: TGS, health: { 'tg-1': { 'i-4': 'draining' } } },
  );
  assert.equal(surgeCapCount(f), 3);
});

test('serving-since: kept while serving, set on first sight, dropped on a break', () => {
  const a = instance('i-a');
  const b = instance('i-b');
  const c = instance('i-c', { lifecycleState: 'Pending' });
  let since = updateServingSince(new Map(), fleet([a, b, c], { group: TGS, health: { 'tg-1': { 'i-b': 'initial' } } }), 1_000);
  assert.deepEqual([...since], [['i-a', 1_000]]);
  since = updateServingSince(since, fleet([a, b, c], { group: TGS }), 2_000);
  assert.deepEqual([...since], [['i-a', 1_000], ['i-b', 2_000]]);
  // a flaps: its warmup starts over; c never served
  since = updateServingSince(since, fleet([a, b, c], { group: TGS, health: { 'tg-2': { 'i-a': 'unhealthy' } } }), 3_000);
  assert.deepEqual([...since], [['i-b', 2_000]]);
  since = updateServingSince(since, fleet([a, b], { group: TGS }), 4_000);
  assert.deepEqual([...since], [['i-a', 4_000], ['i-b', 2_000]]);
  // an instance that left is forgotten
  since = updateServingSince(since, fleet([b], { group: TGS }), 5_000);
  assert.deepEqual([...since], [['i-b', 2_000]]);
});

test('ready: serving for at least the warmup', () => {
  const a = instance('i-a');
  const b = instance('i-b');
  const f = fleet([a, b], { group: TGS });
  const servingSince = new Map([['i-a', 10_000]]);
  assert.equal(isReady(a, f, { now: 39_999, warmupMs: 30_000, servingSince }), false);
  assert.equal(isReady(a, f, { now: 40_000, warmupMs: 30_000, servingSince }), true);
  assert.equal(isReady(b, f, { now: 99_000, warmupMs: 30_000, servingSince }), false, 'never seen serving');
  assert.equal(isReady(b, f, { now: 0, warmupMs: 0, servingSince }), true, 'no warmup');
  const notServing = fleet([a], { group: TGS, health: { 'tg-1': { 'i-a': 'unhealthy' } } });
  assert.equal(isReady(a, notServing, { now: 99_000, warmupMs: 0, servingSince }), false);
  assert.deepEqual(
    readyInstances(f, { now: 40_000, warmupMs: 30_000, servingSince }).map((i) => i.id),
    ['i-a'],
  );
});

test('warmup default follows deploys.md', () => {
  const base = { healthCheckGracePeriodMs: 300_000 };
  assert.equal(resolveWarmupMs({ ...base, explicitMs: 5_000, targetGroupCount: 2 }), 5_000);
  assert.equal(resolveWarmupMs({ ...base, explicitMs: 0, targetGroupCount: 0 }), 0);
  assert.equal(resolveWarmupMs({ ...base, targetGroupCount: 1, defaultInstanceWarmupMs: 60_000 }), 0);
  assert.equal(resolveWarmupMs({ ...base, targetGroupCount: 0, defaultInstanceWarmupMs: 60_000 }), 60_000);
  assert.equal(resolveWarmupMs({ ...base, targetGroupCount: 0 }), 300_000);
  assert.equal(resolveWarmupMs({ ...base, explicitMs: -5, targetGroupCount: 0 }), 0);
});

test('fleet helpers: worst target health, lookup, version', () => {
  const rank: TargetHealthState[] = ['healthy', 'initial', 'unused', 'unavailable', 'draining', 'unhealthy.draining', 'unhealthy'];
  for (let x = 0; x < rank.length; x++) {
    for (let y = 0; y < rank.length; y++) {
      assert.equal(worseTargetHealth({ state: rank[x] }, { state: rank[y] }).state, rank[Math.max(x, y)]);
    }
  }
  const i = instance('i-1');
  const f = fleet([i], { group: TGS, health: { 'tg-1': { 'i-1': 'initial' } } });
  assert.deepEqual(targetHealthOf(f, 'tg-1', 'i-1'), { state: 'initial' });
  assert.equal(targetHealthOf(f, 'tg-9', 'i-1'), undefined);
  assert.equal(targetHealthOf(f, 'tg-1', 'i-9'), undefined);
  assert.equal(instanceVersion(instance('x', { version: 12 })), 12);
  assert.equal(instanceVersion(instance('x', { version: '$Latest' })), undefined);
  assert.equal(instanceVersion(instance('x', { launchTemplate: undefined })), undefined);
  assert.ok(isTargetHealthState('unhealthy.draining'));
  assert.equal(isTargetHealthState('Healthy'), false);
});
