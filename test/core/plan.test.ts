import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseInstancesToRetire,
  healthCheckMs,
  instancesPerZone,
  isAsgDeployError,
  isOnTargetVersion,
  newInstances,
  oldInstances,
  parseMinHealthy,
  parseSurge,
  parseTargetVersion,
  planRollingDeploy,
  zoneSpread,
  type Instance,
  type RollingPlan,
  type WaveTiming,
} from '../../src/core/index.js';
import { fleet, instance, prng } from './fleet-builder.js';

// ---------------------------------------------------------------------------
// Independent expectations, in integer arithmetic.

const SURGES = ['1', '25%', '100%'] as const;
const MIN_HEALTHY = ['100%', '90%', '0'] as const;

function expectedSurge(spec: (typeof SURGES)[number], n: number): number {
  if (spec === '1') return 1;
  if (spec === '25%') return Math.max(1, Math.floor((n + 3) / 4));
  return Math.max(1, n);
}

function expectedFloor(spec: (typeof MIN_HEALTHY)[number], n: number): number {
  if (spec === '100%') return n;
  if (spec === '90%') return Math.floor((9 * n + 9) / 10);
  return 0;
}

/**
 * Replays a plan on a toy fleet, wave by wave, in the order a rolling deploy
 * takes its steps, and checks invariants 1 and 2 at every step.
 */
function replay(plan: RollingPlan, oldCount: number): { serving: number; oldLeft: number; maxLaunchingOrServing: number; minServing: number } {
  let old = oldCount;
  let fresh = plan.desired - oldCount; // already on the target version
  let maxLaunchingOrServing = old + fresh;
  let minServing = old + fresh;
  const check = (pending: number) => {
    const serving = old + fresh;
    minServing = Math.min(minServing, serving);
    maxLaunchingOrServing = Math.max(maxLaunchingOrServing, serving + pending);
    assert.ok(serving >= plan.floor, `serving ${serving} < floor ${plan.floor}`);
    assert.ok(serving + pending <= plan.surgeCap, `launching+serving ${serving + pending} > cap ${plan.surgeCap}`);
  };
  for (const wave of plan.waves) {
    // take out the early retirements (the group replaces them), raise desired by the surge
    old -= wave.retireEarly;
    const pending = wave.retireEarly + wave.surgeLaunch;
    check(pending);
    // new instances ready
    fresh += pending;
    check(0);
    // retire as many old as surged
    old -= wave.surgeLaunch;
    check(0);
    assert.ok(old >= 0);
  }
  return { serving: old + fresh, oldLeft: old, maxLaunchingOrServing, minServing };
}

test('plan math: N = 1…30 × surge 1 / 25 % / 100 % × min-healthy 100 % / 90 % / 0', () => {
  let cases = 0;
  for (let n = 1; n <= 30; n++) {
    for (const surgeSpec of SURGES) {
      for (const minSpec of MIN_HEALTHY) {
        for (const oldCount of new Set([n, Math.floor(n / 2), 0])) {
          for (const maxSize of new Set([n, n + 2, 2 * n + 5])) {
            const label = `N=${n} surge=${surgeSpec} min=${minSpec} old=${oldCount} max=${maxSize}`;
            const plan = planRollingDeploy({ desired: n, maxSize, oldCount, maxSurge: parseSurge(surgeSpec), minHealthy: parseMinHealthy(minSpec) });
            const surge = expectedSurge(surgeSpec, n);
            const floor = expectedFloor(minSpec, n);
            const perWave = surge + (n - floor);
            assert.equal(plan.surge, surge, label);
            assert.equal(plan.floor, floor, label);
            assert.equal(plan.unavailable, n - floor, label);
            assert.equal(plan.surgeCap, n + surge, label);
            assert.equal(plan.waveCount, Math.floor((oldCount + perWave - 1) / perWave), label);
            assert.equal(plan.waves.length, plan.waveCount, label);
            assert.equal(plan.waveSize, Math.min(oldCount, perWave), label);
            assert.equal(plan.waves.reduce((sum, w) => sum + w.replace, 0), oldCount, label);
            plan.waves.forEach((w, i) => {
              assert.equal(w.index, i, label);
              assert.ok(w.replace >= 1 && w.replace <= perWave, label);
              assert.ok(w.surgeLaunch >= 1 && w.surgeLaunch <= surge, label);
              assert.ok(w.retireEarly >= 0 && w.retireEarly <= n - floor, label);
              assert.equal(w.surgeLaunch + w.retireEarly, w.replace, label);
              // the surge is used before any capacity is taken out
              if (w.retireEarly > 0) assert.equal(w.surgeLaunch, surge, label);
              // only the last wave may be smaller
              if (i < plan.waves.length - 1) assert.equal(w.replace, perWave, label);
            });
            const peak = n + Math.min(surge, oldCount);
            assert.equal(plan.peakDesired, peak, label);
            assert.deepEqual(plan.maxSize, { current: maxSize, required: Math.max(maxSize, peak), raise: peak > maxSize }, label);
            const after = replay(plan, oldCount);
            assert.equal(after.oldLeft, 0, label);
            assert.equal(after.serving, n, label);
            assert.ok(after.minServing >= floor, label);
            assert.ok(after.maxLaunchingOrServing <= n + surge, label);
            cases++;
          }
        }
      }
    }
  }
  assert.ok(cases > 2000, `ran ${cases} cases`);
});

test('plan spot checks', () => {
  const p = (n: number, surge: string, min: string, max = n, old = n) =>
    planRollingDeploy({ desired: n, maxSize: max, oldCount: old, maxSurge: parseSurge(surge), minHealthy: parseMinHealthy(min) });

  const tenDefault = p(10, '25%', '100%');
  assert.deepEqual(
    tenDefault.waves.map((w) => w.replace),
    [3, 3, 3, 1],
  );
  assert.deepEqual(tenDefault.maxSize, { current: 10, required: 13, raise: true });

  const tenNinety = p(10, '25%', '90%', 20);
  assert.equal(tenNinety.floor, 9);
  assert.deepEqual(
    tenNinety.waves.map((w) => [w.replace, w.surgeLaunch, w.retireEarly]),
    [
      [4, 3, 1],
      [4, 3, 1],
      [2, 2, 0],
    ],
  );
  assert.equal(tenNinety.maxSize.raise, false);

  const allAtOnce = p(6, '1', '0');
  assert.deepEqual(allAtOnce.waves, [{ index: 0, replace: 6, surgeLaunch: 1, retireEarly: 5 }]);

  const oneByOne = p(3, '1', '100%');
  assert.equal(oneByOne.waveCount, 3);
  assert.equal(oneByOne.peakDesired, 4);
});

test('edge: surge 0 means 0 (issue 8, flags mean what they say): refused with the floor at desired, retire-first waves below it', () => {
  assert.throws(() => planRollingDeploy({ desired: 4, maxSize: 4, oldCount: 4, maxSurge: parseSurge('0'), minHealthy: parseMinHealthy('100%') }), /can never progress/);
  const plan = planRollingDeploy({ desired: 4, maxSize: 4, oldCount: 4, maxSurge: parseSurge('0'), minHealthy: parseMinHealthy('75%') });
  assert.equal(plan.surge, 0);
  assert.equal(plan.waveCount, 4);
  assert.ok(plan.waves.every((w) => w.surgeLaunch === 0 && w.retireEarly === 1));
  assert.deepEqual(plan.maxSize, { current: 4, required: 4, raise: false });
});

test('edge: desired 0 plans nothing', () => {
  const plan = planRollingDeploy({ desired: 0, maxSize: 0, oldCount: 0, maxSurge: parseSurge('25%'), minHealthy: parseMinHealthy('100%') });
  assert.equal(plan.waveCount, 0);
  assert.deepEqual(plan.waves, []);
  assert.equal(plan.floor, 0);
  assert.equal(plan.surge, 1);
  assert.equal(plan.peakDesired, 0);
  assert.deepEqual(plan.maxSize, { current: 0, required: 0, raise: false });
  assert.equal(plan.waveSize, 0);
});

test('edge: nothing old (a re-run after success) plans nothing and keeps MaxSize', () => {
  const plan = planRollingDeploy({
    desired: 5,
    maxSize: 5,
    oldCount: 0,
    maxSurge: parseSurge('100%'),
    minHealthy: parseMinHealthy('100%'),
    timing: { bootMs: 1, readyMs: 1, healthCheckMs: 1, warmupMs: 1, drainMs: 1 },
  });
  assert.equal(plan.waveCount, 0);
  assert.equal(plan.maxSize.raise, false);
  assert.equal(plan.expectedDurationMs, 0);
});

test('edge: at-max group raises MaxSize by exactly the surge used', () => {
  for (let n = 1; n <= 30; n++) {
    const plan = planRollingDeploy({ desired: n, maxSize: n, oldCount: n, maxSurge: parseSurge('25%'), minHealthy: parseMinHealthy('100%') });
    assert.equal(plan.maxSize.required, n + plan.surge, `N=${n}`);
    assert.equal(plan.maxSize.raise, true);
  }
  // fewer old than the surge: only as many as there are old
  const partial = planRollingDeploy({ desired: 8, maxSize: 8, oldCount: 1, maxSurge: parseSurge('50%'), minHealthy: parseMinHealthy('100%') });
  assert.equal(partial.maxSize.required, 9);
});

test('plan refuses impossible numbers as a bug', () => {
  for (const bad of [
    { desired: -1, maxSize: 1, oldCount: 0 },
    { desired: 1.5, maxSize: 2, oldCount: 0 },
    { desired: 1, maxSize: 1, oldCount: Number.NaN },
  ]) {
    assert.throws(
      () => planRollingDeploy({ ...bad, maxSurge: parseSurge('1'), minHealthy: parseMinHealthy('100%') }),
      (e: unknown) => isAsgDeployError(e, 'INTERNAL'),
    );
  }
});

// ---------------------------------------------------------------------------
// Durations

const timing: WaveTiming = { bootMs: 30_000, readyMs: 20_000, healthCheckMs: healthCheckMs(3, 10), warmupMs: 0, drainMs: 300_000 };

test('expected duration: the one estimator (core/eta.ts) — lock, waves × (boot + ready + checks + stability), one poll, one drain', () => {
  assert.equal(healthCheckMs(3, 10), 30_000);
  assert.equal(healthCheckMs(-1, 10), 0);
  const plan = planRollingDeploy({ desired: 10, maxSize: 10, oldCount: 10, maxSurge: parseSurge('25%'), minHealthy: parseMinHealthy('100%'), timing });
  // 4 waves of 30 + 20 + 30 (checks) + 30 (stability: the checks) s.
  assert.equal(plan.expectedDurationMs, 1_000 + 4 * 110_000 + 5_000 + 300_000);
  assert.equal(plan.expectedWaves, 4);
  const noTiming = planRollingDeploy({ desired: 10, maxSize: 10, oldCount: 10, maxSurge: parseSurge('25%'), minHealthy: parseMinHealthy('100%') });
  assert.equal('expectedDurationMs' in noTiming, false);
});

test('the plan foresees the checkpoint pauses, the waves they split off, the bake time and the AZ evening', () => {
  const base = { desired: 6, maxSize: 8, oldCount: 6, maxSurge: parseSurge('2'), minHealthy: parseMinHealthy('100%'), timing };
  const plain = planRollingDeploy(base).expectedDurationMs!;
  const paused = planRollingDeploy({ ...base, schedule: { checkpoints: [50], pause: { kind: 'for', ms: 60_000 } } });
  assert.equal(paused.expectedWaves, 4, '2 + 1 | pause | 2 + 1');
  assert.equal(paused.expectedDurationMs! - plain, 110_000 + 60_000 + 5_000);
  const baked = planRollingDeploy({ ...base, schedule: { bakeMs: 900_000 } });
  assert.equal(baked.expectedDurationMs! - plain, 900_000 - 300_000, 'the drain runs during the bake time');
  const waiting = planRollingDeploy({ ...base, schedule: { checkpoints: [50], pause: { kind: 'wait' } } });
  assert.match(waiting.expectedUnknownBecause ?? '', /continue/);
  const zones = new Map([['a', { all: 4, old: 0 }], ['b', { all: 1, old: 1 }], ['c', { all: 1, old: 1 }]]);
  const uneven = planRollingDeploy({ ...base, oldCount: 2, zones });
  assert.equal(uneven.expectedWaves, 2, 'one wave for the two old, one to move an instance out of the full AZ');
});

// ---------------------------------------------------------------------------
// Target version and old instances

test('parseTargetVersion accepts positive numbers only', () => {
  assert.equal(parseTargetVersion('7'), 7);
  assert.equal(parseTargetVersion(12), 12);
  assert.equal(parseTargetVersion(' 3 '), 3);
  for (const bad of ['0', '-1', '1.5', 'abc', '', '$Latest', '$Default', 'v2']) {
    assert.throws(
      () => parseTargetVersion(bad),
      (e: unknown) => {
        assert.ok(isAsgDeployError(e, 'BAD_INPUT'), bad);
        assert.ok(e.message.includes(JSON.stringify(bad.trim())), e.message);
        return true;
      },
    );
  }
  assert.throws(() => parseTargetVersion('$Latest'), /pins a numeric launch template version, not \$Latest/);
});

test('old and new instances: by version, template, and lifecycle', () => {
  const target = { version: 3, launchTemplateId: 'lt-1' };
  const f = fleet([
    instance('i-new', { version: 3 }),
    instance('i-new-pending', { version: 3, lifecycleState: 'Pending' }),
    instance('i-old', { version: 2 }),
    instance('i-old-pending', { version: 2, lifecycleState: 'Pending:Wait' }),
    instance('i-latest', { version: '$Latest' }),
    instance('i-lc', { launchTemplate: undefined, launchConfigurationName: 'lc-1' }),
    instance('i-other-template', { launchTemplate: { id: 'lt-2', version: '3' } }),
    instance('i-old-standby', { version: 2, lifecycleState: 'Standby' }),
    instance('i-old-terminating', { version: 2, lifecycleState: 'Terminating' }),
  ]);
  assert.deepEqual(
    oldInstances(f, target).map((i) => i.id),
    ['i-old', 'i-old-pending', 'i-latest', 'i-lc', 'i-other-template'],
  );
  assert.deepEqual(
    newInstances(f, target).map((i) => i.id),
    ['i-new', 'i-new-pending'],
  );
  // without a template in the target, only the number matters
  assert.ok(isOnTargetVersion(instance('x', { launchTemplate: { id: 'lt-2', version: '3' } }), { version: 3 }));
  assert.equal(isOnTargetVersion(instance('x', { launchTemplate: { name: 'api', version: '3' } }), { version: 3, launchTemplateName: 'web' }), false);
  assert.ok(isOnTargetVersion(instance('x', { launchTemplate: { name: 'web', version: '3' } }), { version: 3, launchTemplateName: 'web' }));
});

// ---------------------------------------------------------------------------
// AZ balance

const AZS = ['a', 'b', 'c'];

function zoneFleet(spec: Record<string, { old: number; fresh: number }>, extra: Instance[] = []) {
  const instances: Instance[] = [...extra];
  for (const [az, { old, fresh }] of Object.entries(spec)) {
    for (let k = 0; k < old; k++) instances.push(instance(`i-${az}-old-${k}`, { availabilityZone: az, version: 1 }));
    for (let k = 0; k < fresh; k++) instances.push(instance(`i-${az}-new-${k}`, { availabilityZone: az, version: 2 }));
  }
  return fleet(instances, { group: { availabilityZones: Object.keys(spec) } });
}

test('retire from the fullest AZ first (uneven AZs)', () => {
  // a: 4 old, b: 2 old, c: 2 old + 3 new just launched in c
  const f = zoneFleet({ a: { old: 4, fresh: 0 }, b: { old: 2, fresh: 0 }, c: { old: 2, fresh: 3 } });
  assert.deepEqual(Object.fromEntries(instancesPerZone(f)), { a: 4, b: 2, c: 5 });
  const chosen = chooseInstancesToRetire(f, oldInstances(f, { version: 2 }), 3);
  const zones = chosen.map((i) => i.availabilityZone).sort();
  // c has 5: take one → 4,2,4; then a and c tie (a has more candidates) → 3,2,4 → c → 3,2,3
  assert.deepEqual(zones, ['a', 'c', 'c']);
  const after = new Map(instancesPerZone(f));
  for (const i of chosen) after.set(i.availabilityZone, after.get(i.availabilityZone)! - 1);
  assert.equal(zoneSpread(after), 1);
});

test('an AZ with no old instances is skipped; fewer candidates than asked returns them all', () => {
  const f = zoneFleet({ a: { old: 0, fresh: 5 }, b: { old: 1, fresh: 0 }, c: { old: 1, fresh: 1 } });
  const chosen = chooseInstancesToRetire(f, oldInstances(f, { version: 2 }), 5);
  assert.deepEqual(chosen.map((i) => i.id), ['i-c-old-0', 'i-b-old-0']);
  assert.deepEqual(chooseInstancesToRetire(f, [], 3), []);
  assert.deepEqual(chooseInstancesToRetire(f, oldInstances(f, { version: 2 }), 0), []);
});

test('within an AZ: not-serving first, then oldest version, then id', () => {
  const f = fleet(
    [
      instance('i-3', { availabilityZone: 'a', version: 2 }),
      instance('i-1', { availabilityZone: 'a', version: 2 }),
      instance('i-2', { availabilityZone: 'a', version: 1 }),
      instance('i-9', { availabilityZone: 'a', version: 2, healthStatus: 'Unhealthy' }),
      instance('i-8', { availabilityZone: 'a', version: 2 }),
    ],
    { group: { availabilityZones: ['a'], targetGroupArns: ['tg'] }, health: { tg: { 'i-8': 'unhealthy' } } },
  );
  const order = chooseInstancesToRetire(f, f.instances, 5).map((i) => i.id);
  assert.deepEqual(order, ['i-8', 'i-9', 'i-2', 'i-1', 'i-3']);
});

test('AZ choice is as balanced as any choice could be (brute force, seeded)', () => {
  const random = prng(42);
  for (let round = 0; round < 300; round++) {
    const spec: Record<string, { old: number; fresh: number }> = {};
    for (const az of AZS) spec[az] = { old: Math.floor(random() * 4), fresh: Math.floor(random() * 3) };
    const f = zoneFleet(spec);
    const candidates = oldInstances(f, { version: 2 });
    const count = Math.floor(random() * (candidates.length + 1));
    const chosen = chooseInstancesToRetire(f, candidates, count);
    assert.equal(chosen.length, count);
    assert.equal(new Set(chosen.map((i) => i.id)).size, count);
    const spreadAfter = (picked: Instance[]) => {
      const counts = new Map(instancesPerZone(f));
      for (const i of picked) counts.set(i.availabilityZone, counts.get(i.availabilityZone)! - 1);
      return zoneSpread(counts);
    };
    // best achievable: only how many per AZ matters
    let best = Infinity;
    const oldPer = AZS.map((az) => spec[az].old);
    for (let x = 0; x <= oldPer[0]; x++) {
      for (let y = 0; y <= oldPer[1]; y++) {
        const z = count - x - y;
        if (z < 0 || z > oldPer[2]) continue;
        const counts = new Map(AZS.map((az, k) => [az, spec[az].old + spec[az].fresh - [x, y, z][k]]));
        best = Math.min(best, zoneSpread(counts));
      }
    }
    assert.equal(spreadAfter(chosen), best, JSON.stringify({ spec, count }));
  }
});

test('zoneSpread', () => {
  assert.equal(zoneSpread(new Map()), 0);
  assert.equal(zoneSpread(new Map([['a', 3]])), 0);
  assert.equal(zoneSpread(new Map([['a', 3], ['b', 1], ['c', 2]])), 2);
});
