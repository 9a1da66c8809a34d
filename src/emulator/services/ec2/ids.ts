/**
 * EC2 resource ids: `i-` + 17 hex digits and friends.
 *
 * Ids of what a client creates come from the simulation's seeded RNG (same
 * seed and calls → same ids, E-2). Ids of what every region starts with (the
 * default VPC, base images) are derived from a hash of the region and a name,
 * so they do not depend on the order regions are first touched and do not
 * disturb the RNG sequence.
 */
import type { Simulation } from '../../world.js';

export type Ec2IdPrefix = 'i' | 'ami' | 'snap' | 'vol' | 'lt' | 'vpc' | 'subnet' | 'sg' | 'r' | 'key' | 'igw' | 'acl' | 'rtb';

/** A fresh id from the seeded RNG, e.g. `i-0a1b2c3d4e5f60718`. */
export function newEc2Id(sim: Simulation, prefix: Ec2IdPrefix): string {
  return `${prefix}-${sim.rng.hex(17)}`;
}

/** A stable id for a seeded resource: the same region and name always give the same id. */
export function stableEc2Id(prefix: Ec2IdPrefix, ...parts: string[]): string {
  return `${prefix}-${stableHex(parts.join('/'), 17)}`;
}

/** `length` hex digits from FNV-1a over the text, re-mixed for as many rounds as needed. */
export function stableHex(text: string, length: number): string {
  let out = '';
  let round = 0;
  while (out.length < length) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
    out += (h >>> 0).toString(16).padStart(8, '0');
    round++;
  }
  return out.slice(0, length);
}

const ID_PATTERNS: Record<string, RegExp> = {
  i: /^i-[0-9a-f]{8}([0-9a-f]{9})?$/,
  ami: /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/,
  snap: /^snap-[0-9a-f]{8}([0-9a-f]{9})?$/,
  lt: /^lt-[0-9a-f]{17}$/,
  vpc: /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/,
  subnet: /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/,
  sg: /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/,
};

/** Whether `id` is well-formed for its kind (AWS accepts the old 8-digit and the new 17-digit forms). */
export function isWellFormedId(prefix: keyof typeof ID_PATTERNS & string, id: string): boolean {
  return ID_PATTERNS[prefix]?.test(id) ?? false;
}

/**
 * The resources `ids` name, in order and once each; a malformed id throws at
 * once, and every id not found is listed in one NotFound error, as EC2 does.
 */
export function requireByIds<T>(
  ids: readonly string[],
  prefix: keyof typeof ID_PATTERNS & string,
  items: ReadonlyMap<string, T>,
  errors: { malformed(id: string): Error; notFound(ids: string[]): Error },
): T[] {
  const found = new Map<string, T>();
  const missing = new Set<string>();
  for (const id of ids) {
    if (!isWellFormedId(prefix, id)) throw errors.malformed(id);
    const item = items.get(id);
    if (item) found.set(id, item);
    else missing.add(id);
  }
  if (missing.size) throw errors.notFound([...missing]);
  return [...found.values()];
}
