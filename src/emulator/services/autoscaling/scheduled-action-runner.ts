/**
 * Scheduled actions that fire (docs/emulator-automation.md E-30): at
 * `StartTime` (once) or on `Recurrence` (cron in `TimeZone`, from StartTime
 * when given, until EndTime), each sets the group's min, max and desired
 * capacity; a one-time action is deleted once run. While `ScheduledActions`
 * is suspended, actions that come due are skipped, not deferred
 * ("Suspend and resume processes", E-5). Actions fire on the minute tick, at
 * the first whole minute at or after their time (cron times are whole
 * minutes anyway).
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html
 */
import type { RegionState, Simulation } from '../../world.js';
import { causeTime } from './activities.js';
import { isSuspended, requestReconcile } from './controller.js';
import { recordGroupChange, setDesiredCapacity } from './membership.js';
import { nextCronTime } from './recurrence.js';
import { groupScopedKey, type ScheduledActionRecord } from './state.js';

/** When an action fires first, from `now` (its StartTime, else its recurrence's next time). */
export function firstFireTime(action: ScheduledActionRecord, now: number): number | undefined {
  if (action.StartTime !== undefined) return action.StartTime;
  if (action.Recurrence) return nextCronTime(action.Recurrence, action.TimeZone, now - 1);
  return undefined;
}

function nextFireTime(action: ScheduledActionRecord, firedAt: number): number | undefined {
  if (!action.Recurrence) return undefined;
  const next = nextCronTime(action.Recurrence, action.TimeZone, firedAt);
  if (next === undefined || (action.EndTime !== undefined && next > action.EndTime)) return undefined;
  return next;
}

/** Applies one action to its group: new min/max, desired as given or kept inside the new bounds. */
function applyAction(sim: Simulation, region: RegionState, action: ScheduledActionRecord): void {
  const group = region.autoscaling.groups.get(action.AutoScalingGroupName);
  if (!group || group.deleting) return;
  const min = action.MinSize ?? group.minSize;
  const max = action.MaxSize ?? group.maxSize;
  if (min > max) return;
  const from = group.desiredCapacity;
  const desired = Math.min(max, Math.max(min, action.DesiredCapacity ?? from));
  recordGroupChange(sim, region, group.name, 'MinSize', group.minSize, min);
  recordGroupChange(sim, region, group.name, 'MaxSize', group.maxSize, max);
  group.minSize = min;
  group.maxSize = max;
  if (desired === from) return;
  setDesiredCapacity(sim, region, group, desired);
  group.capacityCause =
    `At ${causeTime(sim.now)} a scheduled action update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired} ` +
    `changing the desired capacity from ${from} to ${desired}.`;
  requestReconcile(sim, region, group, 0);
}

/** Fires (or skips, while suspended) every action of the region that has come due. */
export function fireDueScheduledActions(sim: Simulation, region: RegionState): void {
  const actions = region.autoscaling.scheduledActions;
  for (const [key, action] of [...actions]) {
    if (action.nextFireAt === undefined || action.nextFireAt > sim.now) continue;
    const group = region.autoscaling.groups.get(action.AutoScalingGroupName);
    if (group && !isSuspended(group, 'ScheduledActions')) applyAction(sim, region, action);
    const next = nextFireTime(action, Math.max(sim.now, action.nextFireAt));
    if (next === undefined) {
      if (actions.get(key) === action && !action.Recurrence) actions.delete(groupScopedKey(action.AutoScalingGroupName, action.ScheduledActionName));
      else action.nextFireAt = undefined;
    } else {
      action.nextFireAt = next;
    }
  }
}
