/**
 * A small seeded PRNG (mulberry32), so that the same seed and the same calls
 * give the same ids, jitter and flaky health checks (E-2).
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The generator's position, to save with the state (E-23): the same calls then give the same ids after a load. */
  get position(): number {
    return this.state;
  }

  /** Continues from a saved position. */
  static at(position: number): Rng {
    const rng = new Rng(0);
    rng.state = position >>> 0;
    return rng;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** `length` lowercase hex digits, e.g. for `i-0123456789abcdef0`. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.int(0x10000).toString(16).padStart(4, '0');
    return out.slice(0, length);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}
