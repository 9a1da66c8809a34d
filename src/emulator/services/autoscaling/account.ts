/**
 * The describes that list fixed things: account limits, termination policy
 * types.
 */
import type {
  DescribeAccountLimitsAnswer,
  DescribeTerminationPolicyTypesAnswer,
} from '@aws-sdk/client-auto-scaling';
import type { RequestContext } from '../../world.js';
import { TERMINATION_POLICIES } from './termination-policy.js';

/** https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-quotas.html */
export const MAX_GROUPS = 500;
export const MAX_LAUNCH_CONFIGURATIONS = 200;

export function describeAccountLimits(ctx: RequestContext): DescribeAccountLimitsAnswer {
  const state = ctx.region.autoscaling;
  return {
    MaxNumberOfAutoScalingGroups: MAX_GROUPS,
    MaxNumberOfLaunchConfigurations: MAX_LAUNCH_CONFIGURATIONS,
    NumberOfAutoScalingGroups: state.groups.size,
    NumberOfLaunchConfigurations: state.launchConfigurations.size,
  };
}

export function describeTerminationPolicyTypes(): DescribeTerminationPolicyTypesAnswer {
  return { TerminationPolicyTypes: [...TERMINATION_POLICIES].sort() };
}
