/** Finding what a request names, with AWS's errors when it is not there. */
import type { RegionState } from '../../world.js';
import { asgErrors } from './errors.js';
import type { AutoScalingGroupRecord } from './state.js';

export function requireGroup(region: RegionState, name: string | undefined): AutoScalingGroupRecord {
  if (!name) throw asgErrors.missing('autoScalingGroupName');
  const group = region.autoscaling.groups.get(name);
  if (!group) throw asgErrors.groupNotFound(name);
  return group;
}

/** A group that is not being deleted (ForceDelete under way refuses further changes). */
export function requireActiveGroup(region: RegionState, name: string | undefined): AutoScalingGroupRecord {
  const group = requireGroup(region, name);
  if (group.deleting) throw asgErrors.pendingDelete(group.name);
  return group;
}

/** The ids of a request's InstanceIds, each at most once, refusing more than `max`. */
export function instanceIdsOf(ids: readonly string[] | undefined, max: number, member = 'instanceIds'): string[] {
  const unique = [...new Set(ids ?? [])];
  if (unique.length > max) {
    throw asgErrors.tooLong(member, unique, max);
  }
  return unique;
}
