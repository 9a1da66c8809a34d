/**
 * The AWS layer: the only folder that imports @aws-sdk/*. Domain code imports
 * from here, never from the SDK; SDK shapes it passes through unchanged
 * (scaling policies, images, launch template versions…) are re-exported as types.
 */
export { createAwsClients, regionSetting, endpointSettings, silenceSdkNodeVersionWarning, nodeSupportNote } from './clients.js';
export type { AwsClients, AwsClientsOptions, AwsCredentials, AwsEndpoints } from './clients.js';
export type { AutoScalingApi, GroupDescription, GroupChanges, LaunchConfigurationSummary } from './autoscaling.js';
export type { Ec2Api, LaunchTemplateKey, CreateImageInput, CreateLaunchTemplateVersionInput, DeleteVersionsResult } from './ec2.js';
export type { Elbv2Api, TargetRef } from './elbv2.js';
export type { CloudWatchApi, DescribeAlarmsQuery, AlarmState } from './cloudwatch.js';
export type { ProvisionApi, DefaultNetwork, TargetGroupSpec, GroupSpec } from './provision.js';
export type { TargetHealthEntry } from './map.js';
export { profileNames, profileFiles } from './profiles.js';
export type { ProfileFiles } from './profiles.js';
export { snapshotFleet } from './fleet-snapshot.js';
export type { SnapshotOptions } from './fleet-snapshot.js';
export type { AwsCallEvent, CallSpec, Caller } from './call.js';
export { collectPages, pages, chunk } from './paginate.js';
export type { Page, PaginateOptions } from './paginate.js';
export { withRetry, backoffDelayMs, retryableFor, DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS } from './retry.js';
export type { BackoffPolicy, RetryOptions, RetryEvent } from './retry.js';
export {
  awsErrorCode,
  isThrottling,
  isServerFault,
  isNetworkError,
  isUnresolvedHost,
  isTransient,
  isNotFound,
  isGroupNotFound,
  isValidation,
  isAccessDenied,
  isCredentialsError,
  isRegionMissing,
  isConflict,
  isLimitExceeded,
  isAborted,
  parseAccessDenied,
  toAsgDeployError,
} from './classify.js';
export type { ErrorLike, AccessDeniedParts, AwsService, ErrorContext } from './classify.js';

// SDK shapes passed through the narrow clients.
export type {
  Activity,
  Alarm,
  Filter as AutoScalingFilter,
  InstanceRefresh,
  PutScalingPolicyCommandInput as PutScalingPolicyInput,
  PutScheduledUpdateGroupActionCommandInput as PutScheduledUpdateGroupActionInput,
  ScalingPolicy,
  ScheduledUpdateGroupAction,
} from '@aws-sdk/client-auto-scaling';
export type {
  Filter as Ec2Filter,
  Image,
  Instance as Ec2Instance,
  LaunchTemplate,
  LaunchTemplateVersion,
  RequestLaunchTemplateData,
  Snapshot,
} from '@aws-sdk/client-ec2';
export type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
export type { MetricAlarm, PutMetricAlarmInput, Dimension as MetricDimension } from '@aws-sdk/client-cloudwatch';
