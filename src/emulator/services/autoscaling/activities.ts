/**
 * Scaling activities (E-3): one per launch, termination, attach, detach or
 * standby move, with AWS's Description / Cause wording and a StatusCode that
 * moves InProgress → … → Successful / Failed / Cancelled on simulated time.
 * Every change is recorded in the history as an 'activity' entry.
 *
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Activity.html
 */
import type { Activity, ActivitiesType, DescribeScalingActivitiesType } from '@aws-sdk/client-auto-scaling';
import type { RegionState, RequestContext, Simulation } from '../../world.js';
import { paginate } from './pagination.js';
import type { ActivityRecord, AutoScalingGroupRecord, GroupInstance } from './state.js';

/** `2026-01-01T12:00:00Z`: how activity causes and suspension reasons write instants (no milliseconds). */
export function causeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A UUID (v4 layout) from the simulation's seeded rng, so ids repeat with the seed (E-2). */
export function newUuid(sim: Simulation): string {
  const h = sim.rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[sim.rng.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function activityDetails(instance: Pick<GroupInstance, 'availabilityZone' | 'subnetId'> | { availabilityZone: string; subnetId?: string }): string {
  const details: Record<string, string> = {};
  if (instance.subnetId) details['Subnet ID'] = instance.subnetId;
  details['Availability Zone'] = instance.availabilityZone;
  return JSON.stringify(details);
}

export interface NewActivity {
  description: string;
  cause: string;
  details?: string;
  /** Launches and terminations start the cooldown (E-11). */
  scaling: boolean;
  statusCode?: string;
  statusMessage?: string;
  progress?: number;
  /** Already over (a failed launch): EndTime = StartTime. */
  ended?: boolean;
}

function recordActivity(sim: Simulation, region: RegionState, a: ActivityRecord): void {
  sim.history.record({
    t: sim.now,
    type: 'activity',
    region: region.region,
    group: a.AutoScalingGroupName,
    activityId: a.ActivityId,
    status: a.StatusCode,
    description: a.Description,
  });
}

export function startActivity(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, spec: NewActivity): ActivityRecord {
  const state = region.autoscaling;
  const activity: ActivityRecord = {
    ActivityId: newUuid(sim),
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    Description: spec.description,
    Cause: spec.cause,
    StartTime: sim.now,
    EndTime: spec.ended ? sim.now : undefined,
    StatusCode: spec.statusCode ?? 'InProgress',
    StatusMessage: spec.statusMessage,
    Progress: spec.progress ?? (spec.ended ? 100 : 0),
    Details: spec.details ?? '{}',
    seq: state.activitySeq++,
    scaling: spec.scaling,
  };
  let list = state.activities.get(group.name);
  if (!list) state.activities.set(group.name, (list = []));
  list.push(activity);
  state.activityById.set(activity.ActivityId, activity);
  if (spec.ended && spec.scaling) group.lastScalingActivityEnd = sim.now;
  recordActivity(sim, region, activity);
  return activity;
}

const FINAL_STATUS = new Set(['Successful', 'Failed', 'Cancelled']);

/**
 * A launch that EC2 refused, recorded as AWS records it: a Failed activity whose
 * description carries the status reason ("Launching a new EC2 instance.  Status
 * Reason: …. Launching EC2 instance failed."). `into` names where it was going
 * (" into warm pool"); a warm-pool launch is not a scaling activity.
 */
export function recordFailedLaunch(
  sim: Simulation,
  region: RegionState,
  group: AutoScalingGroupRecord,
  spec: { zone: string; cause: string; error: unknown; into?: string; scaling?: boolean },
): string {
  const message = (spec.error as Error)?.message ?? String(spec.error);
  startActivity(sim, region, group, {
    description: `Launching a new EC2 instance${spec.into ?? ''}.  Status Reason: ${message.replace(/\.$/, '')}. Launching EC2 instance failed.`,
    cause: spec.cause,
    details: activityDetails({ availabilityZone: spec.zone }),
    scaling: spec.scaling ?? true,
    statusCode: 'Failed',
    statusMessage: message,
    ended: true,
  });
  return message;
}

export function isActivityOver(a: ActivityRecord): boolean {
  return FINAL_STATUS.has(a.StatusCode);
}

/**
 * Moves an activity on (no-op once it is over, or when nothing changes).
 * A final StatusCode sets EndTime and Progress 100.
 */
export function updateActivity(
  sim: Simulation,
  region: RegionState,
  activityId: string | undefined,
  change: { statusCode: string; progress?: number; statusMessage?: string; description?: string },
): void {
  if (!activityId) return;
  const a = region.autoscaling.activityById.get(activityId);
  if (!a || isActivityOver(a)) return;
  if (a.StatusCode === change.statusCode && change.statusMessage === undefined && change.description === undefined) return;
  a.StatusCode = change.statusCode;
  if (change.statusMessage !== undefined) a.StatusMessage = change.statusMessage;
  if (change.description !== undefined) a.Description = change.description;
  if (FINAL_STATUS.has(change.statusCode)) {
    a.EndTime = sim.now;
    a.Progress = 100;
    if (a.scaling) {
      const group = region.autoscaling.groups.get(a.AutoScalingGroupName);
      if (group) group.lastScalingActivityEnd = sim.now;
    }
  } else if (change.progress !== undefined) {
    a.Progress = change.progress;
  }
  recordActivity(sim, region, a);
}

/** A launch or termination of the group still running (HonorCooldown, DeleteAutoScalingGroup). */
export function scalingActivityInProgress(region: RegionState, groupName: string): ActivityRecord | undefined {
  const list = region.autoscaling.activities.get(groupName);
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const a = list[i]!;
    if (a.scaling && !isActivityOver(a)) return a;
  }
  return undefined;
}

/** The newest launch or termination of the group, running or not. */
export function lastScalingActivity(region: RegionState, groupName: string): ActivityRecord | undefined {
  const list = region.autoscaling.activities.get(groupName);
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.scaling) return list[i];
  return undefined;
}

export function renderActivity(a: ActivityRecord): Activity {
  return {
    ActivityId: a.ActivityId,
    AutoScalingGroupName: a.AutoScalingGroupName,
    AutoScalingGroupARN: a.AutoScalingGroupARN,
    Description: a.Description,
    Cause: a.Cause,
    StartTime: new Date(a.StartTime),
    EndTime: a.EndTime !== undefined ? new Date(a.EndTime) : undefined,
    StatusCode: a.StatusCode as Activity['StatusCode'],
    StatusMessage: a.StatusMessage,
    Progress: a.Progress,
    Details: a.Details,
  };
}

/** DescribeScalingActivities: newest first, 100 a page (max 100). */
export function describeScalingActivities(ctx: RequestContext, input: DescribeScalingActivitiesType): ActivitiesType {
  const state = ctx.region.autoscaling;
  let activities: ActivityRecord[];
  if (input.ActivityIds?.length) {
    activities = input.ActivityIds.map((id) => state.activityById.get(id)).filter((a): a is ActivityRecord => a !== undefined);
    if (input.AutoScalingGroupName) activities = activities.filter((a) => a.AutoScalingGroupName === input.AutoScalingGroupName);
  } else if (input.AutoScalingGroupName) {
    activities = [...(state.activities.get(input.AutoScalingGroupName) ?? [])];
  } else {
    activities = [...state.activities.values()].flat();
  }
  if (!input.IncludeDeletedGroups) activities = activities.filter((a) => state.groups.has(a.AutoScalingGroupName));
  for (const filter of input.Filters ?? []) {
    const values = new Set(filter.Values ?? []);
    if (filter.Name === 'StatusCode') activities = activities.filter((a) => values.has(a.StatusCode));
  }
  activities.sort((a, b) => b.StartTime - a.StartTime || b.seq - a.seq);
  const page = paginate(activities, input.MaxRecords, input.NextToken, { defaultSize: 100, maxSize: 100 });
  return { Activities: page.items.map(renderActivity), NextToken: page.nextToken };
}
