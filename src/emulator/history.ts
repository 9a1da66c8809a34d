/**
 * The recorded history (E-20): every API call and every state change with its
 * simulated instant, so a test can prove what the fleet's capacity was at
 * every instant rather than from a final snapshot.
 *
 * Kept in a bounded ring (E-41): a long-running emulator under load would
 * otherwise grow without bound (21,000 entries after one load test, issue 12).
 * The oldest entries go first and are counted in `dropped`, which the admin
 * API reports next to the entries, so a consumer can tell a short history
 * from a cut one.
 */
import { badInput } from '../core/errors.js';

export type HistoryEntry =
  | { t: number; type: 'call'; region: string; service: string; action: string; ok: boolean; code?: string }
  /** EC2 instance state: pending, running, shutting-down, terminated, stopping, stopped. */
  | { t: number; type: 'instance'; region: string; instanceId: string; from: string | null; to: string }
  /** Auto Scaling lifecycle state of an instance in a group (null when it joins / leaves the group). */
  | { t: number; type: 'lifecycle'; region: string; group: string; instanceId: string; from: string | null; to: string | null }
  /** Auto Scaling health status of an instance in a group: Healthy / Unhealthy. */
  | { t: number; type: 'health'; region: string; group: string; instanceId: string; from: string | null; to: string }
  /** Target health in a target group (null `to` when the target is gone). */
  | { t: number; type: 'target'; region: string; targetGroupArn: string; instanceId: string; from: string | null; to: string | null; reason?: string }
  | { t: number; type: 'image'; region: string; imageId: string; from: string | null; to: string }
  /** A group's size or configuration changed (desired, min, max, launch template, …). */
  | { t: number; type: 'group'; region: string; group: string; field: string; from: unknown; to: unknown }
  | { t: number; type: 'activity'; region: string; group: string; activityId: string; status: string; description: string };

export type HistoryEntryOf<T extends HistoryEntry['type']> = Extract<HistoryEntry, { type: T }>;

/**
 * Default ring size. A 200-instance rolling deploy (bench/rolling.ts, surge
 * 25 %) records 6,376 entries from the fleet's creation to the deploy's end
 * (state changes plus every AWS call: docs/emulator-state.md E-41 has the
 * measurement); 200,000 keeps about 31 such runs whole.
 */
export const DEFAULT_HISTORY_SIZE = 200_000;

/** Bounds of `--history-size` / `historySize`. */
export const MIN_HISTORY_SIZE = 100;
export const MAX_HISTORY_SIZE = 10_000_000;

export class History {
  private ring: HistoryEntry[] = [];
  /** Index in `ring` of the oldest entry once the ring is full. */
  private head = 0;
  private capacityValue: number;
  private droppedCount = 0;
  private listeners: ((entry: HistoryEntry) => void)[] = [];

  constructor(capacity = DEFAULT_HISTORY_SIZE) {
    this.capacityValue = checkCapacity(capacity);
  }

  /** The most entries kept; older ones are dropped. */
  get capacity(): number {
    return this.capacityValue;
  }

  /** Entries dropped from the front of the ring since the last clear. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Entries held now. */
  get size(): number {
    return this.ring.length;
  }

  /** Every entry still held, oldest first (a copy: safe to keep and filter). */
  get entries(): HistoryEntry[] {
    if (this.head === 0) return this.ring.slice();
    return this.ring.slice(this.head).concat(this.ring.slice(0, this.head));
  }

  record(entry: HistoryEntry): void {
    if (this.ring.length < this.capacityValue) {
      this.ring.push(entry);
    } else {
      this.ring[this.head] = entry;
      this.head = (this.head + 1) % this.capacityValue;
      this.droppedCount++;
    }
    for (const listener of this.listeners) listener(entry);
  }

  /** Called for every entry as it is recorded (the controllers react to each other's changes through this). */
  subscribe(listener: (entry: HistoryEntry) => void): void {
    this.listeners.push(listener);
  }

  since(t: number): HistoryEntry[] {
    return this.entries.filter((e) => e.t >= t);
  }

  /** Changes the ring's size, keeping the newest entries that fit. */
  resize(capacity: number): void {
    const all = this.entries;
    this.capacityValue = checkCapacity(capacity);
    const cut = Math.max(0, all.length - this.capacityValue);
    this.droppedCount += cut;
    this.ring = all.slice(cut);
    this.head = 0;
  }

  /**
   * Puts back entries saved with the state (E-23), oldest first, with the count
   * dropped before them. Listeners are not told: these changes already happened.
   */
  restore(entries: readonly HistoryEntry[], dropped: number): void {
    const cut = Math.max(0, entries.length - this.capacityValue);
    this.ring = entries.slice(cut);
    this.head = 0;
    this.droppedCount = dropped + cut;
  }

  clear(): void {
    this.ring = [];
    this.head = 0;
    this.droppedCount = 0;
  }
}

function checkCapacity(n: number): number {
  if (!Number.isInteger(n) || n < MIN_HISTORY_SIZE || n > MAX_HISTORY_SIZE) {
    throw badInput(`history size must be a whole number between ${MIN_HISTORY_SIZE} and ${MAX_HISTORY_SIZE}, got ${n}`, {
      hint: `pass e.g. --history-size ${DEFAULT_HISTORY_SIZE} (the default)`,
    });
  }
  return n;
}
