/**
 * Polls when something is due (issue 11): the wave loop looks at the group at
 * the earliest moment its state can change — right after it asked the group to
 * act, at a new instance's expected boot end, at its target group's next health
 * check, when its stability window ends, when a drain ends — and never later
 * than a ceiling (the poll interval, 5 s by default), so a failure nobody
 * predicted is still seen within the ceiling.
 *
 * Health checks run every HealthCheckIntervalSeconds from the target's
 * registration, which happens when the instance enters InService ("Health
 * checks for your target groups", Elastic Load Balancing User Guide:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html);
 * a target turns healthy on the check that makes HealthyThresholdCount passes
 * in a row. So once the moment an instance went InService is known (to within
 * a second), the checks that can change its state are known too.
 *
 * @example
 *   nextPollDelayMs({ now: 10_000, ceilingMs: 5_000, minMs: 500, due: [11_200, 40_000] }); // 1_200
 */

export interface PollDueInput {
  now: number;
  /** The longest wait between two looks (the poll interval). */
  ceilingMs: number;
  /** The shortest (a moment already past, or due within it, is looked at after this). */
  minMs: number;
  /** Moments at which something is expected to change (past ones count as due now). */
  due: readonly number[];
}

/** How long to wait before the next look: until the earliest due moment, within [minMs, ceilingMs]. */
export function nextPollDelayMs(input: PollDueInput): number {
  const { now, ceilingMs, minMs } = input;
  let earliest = Infinity;
  for (const t of input.due) if (Number.isFinite(t)) earliest = Math.min(earliest, t);
  const wait = earliest - now;
  return Math.max(Math.min(minMs, ceilingMs), Math.min(ceilingMs, Number.isFinite(wait) ? wait : ceilingMs));
}

/** The first moment after `now` of a schedule that runs every `intervalMs` from `anchor` (plus `lagMs`, for the check's own time). */
export function nextTick(anchor: number, intervalMs: number, now: number, lagMs = 0): number {
  if (!(intervalMs > 0)) return Infinity;
  const k = Math.max(1, Math.floor((now - anchor - lagMs) / intervalMs) + 1);
  return anchor + k * intervalMs + lagMs;
}

/** What the wave loop knows of one new instance that is not ready yet. */
export interface LaunchingInstanceTimes {
  /** First seen in the group (Pending). */
  firstSeen: number;
  /** First seen InService (not yet serving), when it has been. */
  inServiceSeen?: number;
  /** First seen serving (InService, Healthy, healthy in every target group), when it has been. */
  servingSince?: number;
}

export interface InstanceDueSettings {
  /** The expected Pending → InService time. */
  bootMs: number;
  /** The target groups' HealthCheckIntervalSeconds, in ms (the shortest; undefined without target groups). */
  healthCheckIntervalMs?: number;
  /** The stability window: a serving new instance is ready this long after it was first seen serving. */
  readyWindowMs: number;
  /** Around the expected boot end, look this often until InService is seen (so the health-check ticks are known). */
  bootStepMs: number;
  /** How long after the expected boot end to keep looking that often. */
  bootSlackMs: number;
}

/** The next moment one launching instance's state can change (Infinity: nothing predictable; the ceiling applies). */
export function instanceDueAt(times: LaunchingInstanceTimes, now: number, settings: InstanceDueSettings): number {
  if (times.servingSince !== undefined) {
    const readyAt = times.servingSince + settings.readyWindowMs;
    return readyAt > now ? readyAt : Infinity;
  }
  if (times.inServiceSeen !== undefined) {
    // A small lag so the check at the tick has run when we look.
    return settings.healthCheckIntervalMs === undefined ? Infinity : nextTick(times.inServiceSeen, settings.healthCheckIntervalMs, now, 100);
  }
  const bootEnd = times.firstSeen + settings.bootMs;
  if (now < bootEnd) return bootEnd;
  if (now < bootEnd + settings.bootSlackMs) return now + settings.bootStepMs;
  return Infinity;
}
