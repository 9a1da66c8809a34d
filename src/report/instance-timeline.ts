/**
 * What each instance of a group did over time, reconstructed from the group's
 * scaling activities alone (what AWS keeps, about six weeks of them:
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScalingActivities.html
 * "If you omit this property, all activities for the past six weeks are described").
 *
 * Activity descriptions follow the wording Auto Scaling uses ("Launching a new
 * EC2 instance: i-…", "Terminating EC2 instance: i-…", "Moving EC2 instance to
 * Standby: i-…", "Moving EC2 instance out of Standby: i-…", "Attaching an
 * existing EC2 instance: i-…", "Detaching EC2 instance: i-…"; Amazon EC2 Auto
 * Scaling User Guide, "Verify a scaling activity for an Auto Scaling group").
 * An activity's StartTime is when the move began and EndTime when it finished
 * (API_Activity.html): a launch ends Successful once the instance is
 * InService, a termination once it is gone.
 */
import type { Activity } from '../aws/index.js';

/** What an instance is doing, as far as serving goes. */
export type InstanceState = 'launching' | 'serving' | 'standby' | 'draining' | 'gone';

export interface StateChange {
  t: number;
  instanceId: string;
  state: InstanceState;
  /** A launch that failed, or a termination that followed a failed health check. */
  failed?: boolean;
}

export interface ActivityKind {
  kind: 'launch' | 'launch-failed' | 'terminate' | 'detach' | 'standby-enter' | 'standby-exit' | 'attach' | 'other';
  instanceId?: string;
}

const PATTERNS: [RegExp, ActivityKind['kind']][] = [
  [/^Launching a new EC2 instance: (i-[0-9a-z]+)/, 'launch'],
  [/^Launching a new EC2 instance\b/, 'launch-failed'],
  [/^Terminating EC2 instance: (i-[0-9a-z]+)/, 'terminate'],
  [/^Detaching EC2 instance: (i-[0-9a-z]+)/, 'detach'],
  [/^Moving EC2 instance to Standby: (i-[0-9a-z]+)/, 'standby-enter'],
  [/^Moving EC2 instance out of Standby: (i-[0-9a-z]+)/, 'standby-exit'],
  [/^Attaching an existing EC2 instance: (i-[0-9a-z]+)/, 'attach'],
];

export function activityKind(a: Pick<Activity, 'Description'>): ActivityKind {
  for (const [re, kind] of PATTERNS) {
    const m = re.exec(a.Description ?? '');
    if (m) return m[1] ? { kind, instanceId: m[1] } : { kind };
  }
  return { kind: 'other' };
}

/** Whether a person (or a tool on their behalf) caused it, rather than a policy, a health check or rebalancing. */
export function isUserRequest(a: Pick<Activity, 'Cause'>): boolean {
  return /user request/i.test(a.Cause ?? '');
}

const ms = (d: Date | undefined) => (d ? d.getTime() : undefined);
const finishedOk = (a: Activity) => a.StatusCode === 'Successful';
const finished = (a: Activity) => a.StatusCode === 'Successful' || a.StatusCode === 'Failed' || a.StatusCode === 'Cancelled';

/** Every state change the activities show, oldest first. */
export function stateChanges(activities: readonly Activity[]): StateChange[] {
  const changes: StateChange[] = [];
  for (const a of activities) {
    const { kind, instanceId } = activityKind(a);
    const start = ms(a.StartTime);
    if (!instanceId || start === undefined) continue;
    const end = finished(a) ? ms(a.EndTime) : undefined;
    const healthCheck = /health check/i.test(a.Cause ?? '');
    const add = (t: number | undefined, state: InstanceState, failed?: boolean) => {
      if (t !== undefined) changes.push(failed ? { t, instanceId, state, failed } : { t, instanceId, state });
    };
    switch (kind) {
      case 'launch':
      case 'attach':
      case 'standby-exit':
        add(start, 'launching');
        if (end !== undefined) add(end, finishedOk(a) ? 'serving' : 'gone', a.StatusCode === 'Failed');
        break;
      case 'terminate':
      case 'detach':
        add(start, 'draining', healthCheck);
        add(end, 'gone', healthCheck);
        break;
      case 'standby-enter':
        add(start, 'standby');
        break;
      default:
        break;
    }
  }
  // Stable by time; at one instant a launch's start sorts before its end.
  return changes.map((c, i) => ({ c, i })).sort((x, y) => x.c.t - y.c.t || x.i - y.i).map(({ c }) => c);
}

/**
 * Each instance's state over time. An instance whose first known change is not
 * a launch (or that has no change but is in the group now) was serving before
 * the oldest activity.
 */
export class InstanceTimeline {
  private readonly byInstance = new Map<string, StateChange[]>();

  constructor(
    readonly changes: readonly StateChange[],
    currentInstances: readonly string[] = [],
  ) {
    for (const c of changes) {
      let list = this.byInstance.get(c.instanceId);
      if (!list) this.byInstance.set(c.instanceId, (list = []));
      list.push(c);
    }
    for (const id of currentInstances) if (!this.byInstance.has(id)) this.byInstance.set(id, []);
  }

  instances(): string[] {
    return [...this.byInstance.keys()];
  }

  /** undefined: not in the group at `t` (not launched yet, or gone). */
  stateAt(instanceId: string, t: number): InstanceState | undefined {
    const list = this.byInstance.get(instanceId) ?? [];
    let state: InstanceState | undefined = list.length === 0 || list[0]!.state !== 'launching' ? 'serving' : undefined;
    for (const c of list) {
      if (c.t > t) break;
      state = c.state;
    }
    return state === 'gone' ? undefined : state;
  }

  /** When it was first seen launching (undefined: before the activities begin). */
  launchedAt(instanceId: string): number | undefined {
    const first = this.byInstance.get(instanceId)?.[0];
    return first?.state === 'launching' ? first.t : undefined;
  }

  /** Whether it left after a failed launch or a failed health check. */
  failed(instanceId: string): boolean {
    return (this.byInstance.get(instanceId) ?? []).some((c) => c.failed);
  }

  /** Instances in state `state` at `t`. */
  count(t: number, state: InstanceState, filter: (id: string) => boolean = () => true): number {
    let n = 0;
    for (const id of this.byInstance.keys()) if (filter(id) && this.stateAt(id, t) === state) n++;
    return n;
  }

  /** The lowest number serving over [from, to], from every change in between. */
  lowestServing(from: number, to: number): number {
    let lowest = this.count(from, 'serving');
    for (const c of this.changes) if (c.t > from && c.t <= to) lowest = Math.min(lowest, this.count(c.t, 'serving'));
    return lowest;
  }
}
