/**
 * Auto Scaling's errors in AWS's own words (codes from the service model:
 * AlreadyExists, ResourceInUse, ScalingActivityInProgress, ResourceContention,
 * InvalidNextToken, LimitExceeded; everything else is ValidationError).
 */
import { AwsError, validationError } from '../../aws-error.js';

export const asgErrors = {
  groupNotFound(name: string | undefined): AwsError {
    return validationError(`AutoScalingGroup name not found - AutoScalingGroup '${name ?? 'null'}' not found`);
  },
  groupExists(name: string): AwsError {
    return new AwsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
  },
  pendingDelete(name: string): AwsError {
    return validationError(`AutoScalingGroup ${name} is pending delete.`);
  },
  /** E-4 */
  desiredOutOfRange(desired: number, min: number, max: number): AwsError {
    return validationError(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  },
  /** E-4 */
  minAboveMax(min: number, max: number): AwsError {
    return validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  },
  /** E-9 (attach), E-8 (standby), E-10 (detach): the sizes do not allow moving N instances. */
  sizesDoNotAllow(group: { name: string; minSize: number; maxSize: number; desiredCapacity: number }, verb: string, count: number): AwsError {
    return validationError(
      `AutoScalingGroup ${group.name} has min-size=${group.minSize}, max-size=${group.maxSize}, and desired-size=${group.desiredCapacity}. ` +
        `To ${verb} ${count} instance(s), please update the AutoScalingGroup sizes appropriately.`,
    );
  },
  /** E-16 */
  deleteWithInstances(): AwsError {
    return new AwsError(
      'ResourceInUse',
      'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.',
    );
  },
  deleteWithActivities(): AwsError {
    return new AwsError('ScalingActivityInProgress', 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.');
  },
  /** E-11 HonorCooldown */
  activityInProgress(activityId: string): AwsError {
    return new AwsError('ScalingActivityInProgress', `Scaling activity ${activityId} is in progress and blocks this action`);
  },
  noManagedInstance(instanceId: string): AwsError {
    return validationError(`Instance Id not found - No managed instance found for instance ID: ${instanceId}`);
  },
  notPartOfGroup(instanceId: string, group: string): AwsError {
    return validationError(`The instance ${instanceId} is not part of Auto Scaling group ${group}.`);
  },
  /** E-10 */
  notInServiceOrStandby(instanceId: string): AwsError {
    return validationError(`The instance ${instanceId} is not in InService or Standby.`);
  },
  /** E-8 */
  notInService(instanceId: string): AwsError {
    return validationError(`The instance ${instanceId} is not in InService.`);
  },
  notInStandby(instanceId: string): AwsError {
    return validationError(`The instance ${instanceId} is not in Standby.`);
  },
  /** E-11: terminating with the decrement at min size. */
  terminateBelowMin(min: number): AwsError {
    return validationError(
      `Currently, desiredSize equals minSize (${min}). Terminating instance without replacement will violate group's min size constraint. ` +
        `Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
    );
  },
  /** A required member the protocol layer let through (it knows only the shapes, not every rule). */
  missing(member: string): AwsError {
    return validationError(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  },
  tooMany(member: string, value: number, max: number): AwsError {
    return validationError(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
    );
  },
  tooFew(member: string, value: number, min: number): AwsError {
    return validationError(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
    );
  },
  tooLong(member: string, values: readonly string[], max: number): AwsError {
    return validationError(
      `1 validation error detected: Value '[${values.join(', ')}]' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  },
  invalidNextToken(token: string): AwsError {
    return new AwsError('InvalidNextToken', `The token '${token}' is invalid.`);
  },
  launchConfigurationNotFound(name: string): AwsError {
    return validationError(`Launch configuration name not found - Launch configuration ${name} not found`);
  },
  noActiveLifecycleAction(instanceId: string | undefined, token: string | undefined): AwsError {
    return validationError(
      instanceId
        ? `No active Lifecycle Action found with instance ID ${instanceId}`
        : `No active Lifecycle Action found with token ${token ?? 'null'}`,
    );
  },
};
