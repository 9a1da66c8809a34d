/**
 * Which instances a scale-in removes (E-7), as a pure function so it can be
 * tested on its own.
 *
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-termination-policies.html
 * 1. The Availability Zone with the most instances (that has an instance not
 *    protected from scale in) loses one first, so scale-in keeps the zones
 *    balanced.
 * 2. Within it, the group's termination policies in order; each one only
 *    breaks the ties the previous left. `Default` is applied after any custom
 *    policies: instances not on the group's current launch template version
 *    (or launch configuration) first, the oldest version first; then the
 *    instance closest to its next billing hour; then at random (seeded).
 * Instances protected from scale in are never chosen.
 */

export const TERMINATION_POLICIES = [
  'Default',
  'AllocationStrategy',
  'OldestLaunchTemplate',
  'OldestLaunchConfiguration',
  'ClosestToNextInstanceHour',
  'NewestInstance',
  'OldestInstance',
] as const;
export type TerminationPolicy = (typeof TERMINATION_POLICIES)[number];

export function isTerminationPolicy(name: string): name is TerminationPolicy {
  return (TERMINATION_POLICIES as readonly string[]).includes(name);
}

export interface TerminationCandidate {
  instanceId: string;
  availabilityZone: string;
  /** Epoch ms. */
  launchTime: number;
  protectedFromScaleIn: boolean;
  launchTemplateId?: string;
  launchTemplateVersion?: number;
  launchConfigurationName?: string;
  /** Epoch ms the instance's launch configuration was created. */
  launchConfigurationCreatedTime?: number;
}

export interface TerminationContext {
  /** The group's TerminationPolicies, in order (empty means Default). */
  policies: readonly string[];
  /** Epoch ms. */
  now: number;
  /** What the group launches now: the reference for "oldest" / "not current". */
  current: { launchTemplateId?: string; launchTemplateVersion?: number; launchConfigurationName?: string };
  /** Uniform [0, 1): the last tie-breaker (pass the simulation's seeded rng). */
  random: () => number;
}

type Key = (c: TerminationCandidate) => number[];

const HOUR_MS = 3_600_000;

/**
 * Default's configuration criterion: instances not on the group's current
 * template version first (launch-configuration ones before template ones),
 * then the oldest version.
 */
function versionKey(ctx: TerminationContext): Key {
  return (c) => {
    const current =
      c.launchTemplateId !== undefined &&
      c.launchTemplateId === ctx.current.launchTemplateId &&
      (ctx.current.launchTemplateVersion === undefined || c.launchTemplateVersion === ctx.current.launchTemplateVersion);
    return [current ? 1 : 0, c.launchTemplateId !== undefined ? 1 : 0, c.launchTemplateVersion ?? -1];
  };
}

/**
 * OldestLaunchTemplate: "instances that use the noncurrent launch template are
 * terminated first, followed by instances that use the oldest version of the
 * current launch template".
 */
function oldestLaunchTemplateKey(ctx: TerminationContext): Key {
  return (c) => {
    const currentTemplate = c.launchTemplateId !== undefined && c.launchTemplateId === ctx.current.launchTemplateId;
    return currentTemplate ? [1, c.launchTemplateVersion ?? -1] : [0, 0];
  };
}

function launchConfigurationKey(ctx: TerminationContext): Key {
  return (c) => {
    const current = c.launchConfigurationName !== undefined && c.launchConfigurationName === ctx.current.launchConfigurationName;
    return [current ? 1 : 0, c.launchConfigurationCreatedTime ?? -1];
  };
}

/** Time left until the instance's next billing hour: the least first. */
function nextInstanceHourKey(ctx: TerminationContext): Key {
  return (c) => {
    const elapsed = Math.max(0, ctx.now - c.launchTime) % HOUR_MS;
    return [HOUR_MS - elapsed];
  };
}

/** The sort key of a candidate: the policies in order, then Default's criteria. */
function keysFor(ctx: TerminationContext): Key[] {
  const keys: Key[] = [];
  const defaultKeys = (): Key[] => {
    const configuration = ctx.current.launchConfigurationName !== undefined ? launchConfigurationKey(ctx) : versionKey(ctx);
    return [configuration, nextInstanceHourKey(ctx)];
  };
  let sawDefault = false;
  for (const policy of ctx.policies) {
    switch (policy) {
      case 'Default':
      case 'AllocationStrategy':
        keys.push(...defaultKeys());
        sawDefault = true;
        break;
      case 'OldestLaunchTemplate':
        keys.push(oldestLaunchTemplateKey(ctx));
        break;
      case 'OldestLaunchConfiguration':
        keys.push(launchConfigurationKey(ctx));
        break;
      case 'ClosestToNextInstanceHour':
        keys.push(nextInstanceHourKey(ctx));
        break;
      case 'OldestInstance':
        keys.push((c) => [c.launchTime]);
        break;
      case 'NewestInstance':
        keys.push((c) => [-c.launchTime]);
        break;
      default:
        break;
    }
    if (sawDefault) break;
  }
  if (!sawDefault) keys.push(...defaultKeys());
  return keys;
}

function compareTuples(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * The ids of `count` instances to terminate, in the order they are chosen.
 * `instances` are every instance that counts toward capacity (protected ones
 * too: they weigh in the AZ balance but are never chosen). Linear in the
 * number of instances plus a sort, so a 10,000-instance scale-in stays cheap.
 *
 * @example
 * chooseInstancesToTerminate(instances, 2, { policies: ['OldestInstance'], now, current: { launchTemplateId: 'lt-1', launchTemplateVersion: 3 }, random: () => rng.next() })
 * // ['i-0aaa…', 'i-0bbb…']
 */
export function chooseInstancesToTerminate(
  instances: readonly TerminationCandidate[],
  count: number,
  ctx: TerminationContext,
): string[] {
  if (count <= 0) return [];
  const keys = keysFor(ctx);
  const ranked = new Map<string, number[]>();
  const zoneCounts = new Map<string, number>();
  const byZone = new Map<string, TerminationCandidate[]>();
  for (const c of instances) {
    zoneCounts.set(c.availabilityZone, (zoneCounts.get(c.availabilityZone) ?? 0) + 1);
    if (c.protectedFromScaleIn) continue;
    const tuple: number[] = [];
    for (const key of keys) tuple.push(...key(c));
    tuple.push(ctx.random());
    ranked.set(c.instanceId, tuple);
    const list = byZone.get(c.availabilityZone);
    if (list) list.push(c);
    else byZone.set(c.availabilityZone, [c]);
  }
  const rank = (c: TerminationCandidate) => ranked.get(c.instanceId)!;
  for (const list of byZone.values()) list.sort((a, b) => compareTuples(rank(a), rank(b)));

  const next = new Map<string, number>();
  const chosen: string[] = [];
  while (chosen.length < count) {
    let bestZone: string | undefined;
    for (const [zone, list] of byZone) {
      const i = next.get(zone) ?? 0;
      if (i >= list.length) continue;
      if (bestZone === undefined) {
        bestZone = zone;
        continue;
      }
      const diff = zoneCounts.get(zone)! - zoneCounts.get(bestZone)!;
      if (diff > 0) bestZone = zone;
      else if (diff === 0) {
        // Equally loaded zones: the one whose best candidate ranks first.
        const mine = list[i]!;
        const theirs = byZone.get(bestZone)![next.get(bestZone) ?? 0]!;
        if (compareTuples(rank(mine), rank(theirs)) < 0) bestZone = zone;
      }
    }
    if (bestZone === undefined) break; // everything left is protected
    const i = next.get(bestZone) ?? 0;
    chosen.push(byZone.get(bestZone)![i]!.instanceId);
    next.set(bestZone, i + 1);
    zoneCounts.set(bestZone, zoneCounts.get(bestZone)! - 1);
  }
  return chosen;
}
