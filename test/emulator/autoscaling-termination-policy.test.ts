/**
 * E-7, the pure choice: which instances a scale-in removes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseInstancesToTerminate,
  isTerminationPolicy,
  type TerminationCandidate,
  type TerminationContext,
} from '../../src/emulator/services/autoscaling/termination-policy.js';
import { Rng } from '../../src/emulator/rng.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function instance(id: string, zone: string, overrides: Partial<TerminationCandidate> = {}): TerminationCandidate {
  return {
    instanceId: id,
    availabilityZone: zone,
    launchTime: NOW - HOUR,
    protectedFromScaleIn: false,
    launchTemplateId: 'lt-1',
    launchTemplateVersion: 3,
    ...overrides,
  };
}

function context(policies: string[], overrides: Partial<TerminationContext> = {}): TerminationContext {
  const rng = new Rng(42);
  return { policies, now: NOW, current: { launchTemplateId: 'lt-1', launchTemplateVersion: 3 }, random: () => rng.next(), ...overrides };
}

test('the AZ with the most instances loses one first, whatever the policy prefers', () => {
  const instances = [
    instance('a1', 'a', { launchTime: NOW - 10 * HOUR }), // the oldest, but in the smaller AZ
    instance('b1', 'b', { launchTime: NOW - 2 * HOUR }),
    instance('b2', 'b', { launchTime: NOW - 3 * HOUR }),
  ];
  assert.deepEqual(chooseInstancesToTerminate(instances, 1, context(['OldestInstance'])), ['b2']);
  // Two out: one from b (now 1/1), then the oldest of the two AZs' best.
  assert.deepEqual(chooseInstancesToTerminate(instances, 2, context(['OldestInstance'])), ['b2', 'a1']);
});

test('scale-in keeps the AZs balanced over many picks', () => {
  const instances: TerminationCandidate[] = [];
  const counts = { a: 7, b: 4, c: 1 };
  for (const [zone, n] of Object.entries(counts)) for (let i = 0; i < n; i++) instances.push(instance(`${zone}${i}`, zone, { launchTime: NOW - i * 1000 }));
  const chosen = chooseInstancesToTerminate(instances, 6, context(['Default']));
  const removed = { a: 0, b: 0, c: 0 } as Record<string, number>;
  for (const id of chosen) removed[id[0]!]!++;
  assert.deepEqual(removed, { a: 4, b: 2, c: 0 }, 'a: 7→3, b: 4→2, c stays 1 — never more than one apart at the end');
});

test('OldestInstance and NewestInstance order by launch time', () => {
  const instances = [
    instance('mid', 'a', { launchTime: NOW - 2 * HOUR }),
    instance('old', 'a', { launchTime: NOW - 5 * HOUR }),
    instance('new', 'a', { launchTime: NOW - 1 * HOUR }),
  ];
  assert.deepEqual(chooseInstancesToTerminate(instances, 3, context(['OldestInstance'])), ['old', 'mid', 'new']);
  assert.deepEqual(chooseInstancesToTerminate(instances, 3, context(['NewestInstance'])), ['new', 'mid', 'old']);
});

test('Default: instances not on the current template version first, the oldest version first', () => {
  const instances = [
    instance('v3', 'a', { launchTemplateVersion: 3 }),
    instance('v2', 'a', { launchTemplateVersion: 2 }),
    instance('v4', 'a', { launchTemplateVersion: 4 }),
    instance('v1', 'a', { launchTemplateVersion: 1 }),
  ];
  assert.deepEqual(chooseInstancesToTerminate(instances, 3, context(['Default'])), ['v1', 'v2', 'v4']);
  // After a rollback pin to version 3, version 4 instances go before version 3 ones.
  assert.deepEqual(chooseInstancesToTerminate(instances.slice(0, 3), 1, context([], {})), ['v2']);
  assert.deepEqual(
    chooseInstancesToTerminate([instance('v3', 'a'), instance('v4', 'a', { launchTemplateVersion: 4 })], 1, context([])),
    ['v4'],
  );
});

test('OldestLaunchTemplate: another template (or a launch configuration) before old versions of the current one', () => {
  const instances = [
    instance('cur-v2', 'a', { launchTemplateVersion: 2 }),
    instance('other', 'a', { launchTemplateId: 'lt-9', launchTemplateVersion: 7 }),
    instance('lc', 'a', { launchTemplateId: undefined, launchTemplateVersion: undefined, launchConfigurationName: 'old-lc' }),
    instance('cur-v3', 'a'),
  ];
  const chosen = chooseInstancesToTerminate(instances, 4, context(['OldestLaunchTemplate']));
  assert.deepEqual(chosen.slice(0, 2).sort(), ['lc', 'other']);
  assert.deepEqual(chosen.slice(2), ['cur-v2', 'cur-v3']);
});

test('OldestLaunchConfiguration: instances not on the current configuration, the oldest configuration first', () => {
  const lcInstance = (id: string, name: string, created: number) =>
    instance(id, 'a', { launchTemplateId: undefined, launchTemplateVersion: undefined, launchConfigurationName: name, launchConfigurationCreatedTime: created });
  const instances = [lcInstance('cur', 'lc-3', NOW - HOUR), lcInstance('old', 'lc-1', NOW - 9 * HOUR), lcInstance('mid', 'lc-2', NOW - 5 * HOUR)];
  const ctx = context(['OldestLaunchConfiguration'], { current: { launchConfigurationName: 'lc-3' } });
  assert.deepEqual(chooseInstancesToTerminate(instances, 3, ctx), ['old', 'mid', 'cur']);
});

test('ClosestToNextInstanceHour: the least time left in the billing hour first', () => {
  const instances = [
    instance('10min-left', 'a', { launchTime: NOW - 50 * 60_000 }),
    instance('5min-left', 'a', { launchTime: NOW - (HOUR + 55 * 60_000) }),
    instance('40min-left', 'a', { launchTime: NOW - 20 * 60_000 }),
  ];
  assert.deepEqual(chooseInstancesToTerminate(instances, 3, context(['ClosestToNextInstanceHour'])), ['5min-left', '10min-left', '40min-left']);
});

test('policies apply in order: a later policy only breaks the ties the earlier left', () => {
  const instances = [
    instance('v2-new', 'a', { launchTemplateVersion: 2, launchTime: NOW - HOUR }),
    instance('v2-old', 'a', { launchTemplateVersion: 2, launchTime: NOW - 4 * HOUR }),
    instance('v3-oldest', 'a', { launchTime: NOW - 9 * HOUR }),
  ];
  assert.deepEqual(chooseInstancesToTerminate(instances, 3, context(['OldestLaunchTemplate', 'OldestInstance'])), ['v2-old', 'v2-new', 'v3-oldest']);
  assert.deepEqual(chooseInstancesToTerminate(instances, 3, context(['OldestInstance', 'OldestLaunchTemplate'])), ['v3-oldest', 'v2-old', 'v2-new']);
});

test('protected instances are never chosen, but still weigh in the AZ balance', () => {
  const instances = [
    instance('a1', 'a', { protectedFromScaleIn: true }),
    instance('a2', 'a', { protectedFromScaleIn: true }),
    instance('a3', 'a', { protectedFromScaleIn: true }),
    instance('b1', 'b'),
    instance('b2', 'b'),
  ];
  assert.deepEqual(chooseInstancesToTerminate(instances, 5, context(['Default'])).sort(), ['b1', 'b2']);
  assert.deepEqual(chooseInstancesToTerminate(instances, 0, context(['Default'])), []);
});

test('the last tie-breaker is random but seeded: the same seed chooses the same', () => {
  const instances = Array.from({ length: 20 }, (_, i) => instance(`i${i}`, 'a'));
  const first = chooseInstancesToTerminate(instances, 5, context(['Default']));
  const again = chooseInstancesToTerminate(instances, 5, context(['Default']));
  assert.deepEqual(first, again);
  const other = new Rng(7);
  const different = chooseInstancesToTerminate(instances, 5, context(['Default'], { random: () => other.next() }));
  assert.notDeepEqual(first, different);
});

test('a 10,000-instance scale-in stays fast', () => {
  const zones = ['a', 'b', 'c'];
  const instances = Array.from({ length: 10_000 }, (_, i) => instance(`i${i}`, zones[i % 3]!, { launchTime: NOW - i * 1000, launchTemplateVersion: 1 + (i % 4) }));
  const started = performance.now();
  const chosen = chooseInstancesToTerminate(instances, 9_000, context(['OldestLaunchTemplate', 'OldestInstance']));
  assert.equal(chosen.length, 9_000);
  assert.equal(new Set(chosen).size, 9_000);
  assert.ok(performance.now() - started < 1_000, 'well under a second');
});

test('termination policy names', () => {
  for (const name of ['Default', 'OldestInstance', 'NewestInstance', 'OldestLaunchTemplate', 'OldestLaunchConfiguration', 'ClosestToNextInstanceHour', 'AllocationStrategy']) {
    assert.ok(isTerminationPolicy(name), name);
  }
  assert.ok(!isTerminationPolicy('Oldest'));
});
