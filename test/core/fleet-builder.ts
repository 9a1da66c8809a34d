/** Small builders for core Fleet snapshots in tests. */
import type { Fleet, Group, Instance, TargetHealthState } from '../../src/core/index.js';

export function group(overrides: Partial<Group> = {}): Group {
  return {
    name: 'web',
    minSize: 0,
    maxSize: 10,
    desiredCapacity: 3,
    availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    targetGroupArns: [],
    loadBalancerNames: [],
    healthCheckType: 'ELB',
    healthCheckGracePeriodMs: 300_000,
    mixedInstancesPolicy: false,
    suspendedProcesses: [],
    terminationPolicies: ['Default'],
    tags: [],
    ...overrides,
  };
}

export function instance(id: string, overrides: Partial<Instance> & { version?: number | string } = {}): Instance {
  const { version = 1, ...rest } = overrides;
  return {
    id,
    availabilityZone: 'us-east-1a',
    lifecycleState: 'InService',
    healthStatus: 'Healthy',
    launchTemplate: { id: 'lt-1', name: 'web', version: String(version) },
    protectedFromScaleIn: false,
    ...rest,
  };
}

/**
 * A fleet; `health` gives each target group's state per instance id. Every
 * instance not listed in `health` is `healthy` in every target group when
 * `allHealthy` is true (the default).
 */
export function fleet(
  instances: Instance[],
  options: { group?: Partial<Group>; health?: Record<string, Record<string, TargetHealthState>>; allHealthy?: boolean; takenAt?: number } = {},
): Fleet {
  const g = group(options.group);
  const targetHealth: Fleet['targetHealth'] = {};
  for (const arn of g.targetGroupArns) {
    targetHealth[arn] = {};
    for (const i of instances) {
      const state = options.health?.[arn]?.[i.id] ?? (options.allHealthy === false ? undefined : 'healthy');
      if (state !== undefined) targetHealth[arn][i.id] = { state };
    }
  }
  return { group: g, instances, targetHealth, takenAt: options.takenAt ?? 0 };
}

/** Deterministic PRNG (mulberry32) for property-style tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
