/**
 * The recorded history (E-20): every API call and every state change with its
 * simulated instant, so a test can prove what the fleet's capacity was at
 * every instant rather than from a final snapshot.
 */
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

export class History {
  readonly entries: HistoryEntry[] = [];
  private listeners: ((entry: HistoryEntry) => void)[] = [];

  record(entry: HistoryEntry): void {
    this.entries.push(entry);
    for (const listener of this.listeners) listener(entry);
  }

  /** Called for every entry as it is recorded (the controllers react to each other's changes through this). */
  subscribe(listener: (entry: HistoryEntry) => void): void {
    this.listeners.push(listener);
  }

  since(t: number): HistoryEntry[] {
    return this.entries.filter((e) => e.t >= t);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
