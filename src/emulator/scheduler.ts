/**
 * The emulator's event queue on simulated time. State that takes time in AWS
 * (E-1) changes in events scheduled here; `runUntil` fires them in order of
 * (time, insertion), each with the simulation's time set to its own due time,
 * so recorded history carries exact simulated instants whatever the real
 * pacing of the pump was.
 */
export interface ScheduledEvent {
  readonly at: number;
  readonly label: string;
  cancelled: boolean;
}

interface QueueEntry extends ScheduledEvent {
  seq: number;
  run: () => void;
}

export class Scheduler {
  private heap: QueueEntry[] = [];
  private seq = 0;
  private current: number;
  private running = false;

  constructor(start: number) {
    this.current = start;
  }

  /** The simulation's present instant (ms). Never goes backwards. */
  get now(): number {
    return this.current;
  }

  /** Runs `run` at simulated instant `at` (or at once, in order, if `at` is past). */
  at(at: number, label: string, run: () => void): ScheduledEvent {
    const entry: QueueEntry = { at: Math.max(at, this.current), label, cancelled: false, seq: this.seq++, run };
    this.push(entry);
    return entry;
  }

  /** Runs `run` after `delayMs` of simulated time. */
  after(delayMs: number, label: string, run: () => void): ScheduledEvent {
    return this.at(this.current + Math.max(0, delayMs), label, run);
  }

  cancel(event: ScheduledEvent | undefined): void {
    if (event) event.cancelled = true;
  }

  /** Number of events still queued (cancelled ones included until popped). */
  get size(): number {
    return this.heap.length;
  }

  /** The instant of the next live event, if any. */
  nextAt(): number | undefined {
    while (this.heap.length && this.heap[0]!.cancelled) this.pop();
    return this.heap[0]?.at;
  }

  /**
   * Fires every event due at or before `target`, then sets the present to
   * `target`. Re-entrant calls (an event handler asking to run) are ignored.
   */
  runUntil(target: number): void {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.heap[0];
        if (!next || next.at > target) break;
        this.pop();
        if (next.cancelled) continue;
        this.current = Math.max(this.current, next.at);
        next.run();
      }
      this.current = Math.max(this.current, target);
    } finally {
      this.running = false;
    }
  }

  clear(start: number): void {
    this.heap = [];
    this.current = start;
  }

  private less(a: QueueEntry, b: QueueEntry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(entry: QueueEntry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): QueueEntry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
