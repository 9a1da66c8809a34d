/**
 * The group's health checks (E-6), as a check with no side effects.
 *
 * - EC2: an instance whose EC2 state is not `pending` or `running` is
 *   unhealthy at once (grace period or not, as AWS does for a stopped or
 *   terminated instance).
 * - ELB: also unhealthy when any of the group's target groups reports the
 *   target `unhealthy` once `HealthCheckGracePeriod` has passed since the
 *   instance entered InService.
 * Only Pending and InService instances are checked: Standby, Terminating and
 * Detaching ones get no health checks (E-8).
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-health-checks.html
 */
import type { RegionState } from '../../world.js';
import { findInstance } from '../ec2/index.js';
import { targetState } from '../elbv2/index.js';
import { countsTowardCapacity } from './membership.js';
import type { AutoScalingGroupRecord, GroupInstance } from './state.js';

export type HealthCheckFailure = 'ec2' | 'elb';

/** When the ELB health check starts to count for this instance (epoch ms), if it does. */
export function gracePeriodEnd(group: AutoScalingGroupRecord, instance: GroupInstance): number | undefined {
  if (instance.inServiceAt === undefined) return undefined;
  return instance.inServiceAt + group.healthCheckGracePeriod * 1000;
}

/** `ELB` (or a list with ELB in it, e.g. `ELB,EBS`). */
export function usesElbHealthCheck(group: AutoScalingGroupRecord): boolean {
  return group.healthCheckType.split(',').some((t) => t.trim() === 'ELB');
}

/** Which check the instance fails now, if any. */
export function failedHealthCheck(region: RegionState, group: AutoScalingGroupRecord, instance: GroupInstance, now: number): HealthCheckFailure | undefined {
  if (!countsTowardCapacity(instance.lifecycleState)) return undefined;
  const ec2 = findInstance(region, instance.instanceId);
  if (!ec2 || (ec2.state !== 'pending' && ec2.state !== 'running')) return 'ec2';
  if (usesElbHealthCheck(group) && instance.lifecycleState === 'InService') {
    const graceEnd = gracePeriodEnd(group, instance);
    if (graceEnd !== undefined && now >= graceEnd) {
      for (const arn of group.targetGroupArns) if (targetState(region, arn, instance.instanceId) === 'unhealthy') return 'elb';
    }
  }
  return undefined;
}

/** The phrase AWS puts in the replacement's cause. */
export function healthFailureCause(failure: GroupInstance['unhealthyCause']): string {
  switch (failure) {
    case 'elb':
      return 'an ELB system health check failure';
    case 'user':
      return 'a user health-check';
    default:
      return 'an EC2 health check indicating it has been terminated or stopped';
  }
}
