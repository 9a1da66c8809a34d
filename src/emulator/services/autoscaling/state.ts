/**
 * Auto Scaling's part of a region's state: groups (each holding its
 * instances, lifecycle hooks and the controller's bookkeeping), scaling
 * activities (kept past a group's deletion, for `IncludeDeletedGroups`),
 * launch configurations, scaling policies and scheduled actions.
 *
 * Entities are plain data (maps, strings, epoch milliseconds); the only
 * non-data members are the scheduler handles the controller keeps so it can
 * cancel a pending reconcile or lifecycle-hook timeout.
 */
import type {
  LaunchTemplateSpecification,
  MixedInstancesPolicy,
  StepAdjustment,
  TargetTrackingConfiguration,
  PredictiveScalingConfiguration,
  BlockDeviceMapping,
  InstanceMonitoring,
  InstanceMetadataOptions,
} from '@aws-sdk/client-auto-scaling';
import type { ScheduledEvent } from '../../scheduler.js';
import type { InstanceRefreshRecord, RefreshTarget } from './instance-refresh-state.js';

/**
 * An instance's lifecycle in a group, as `Instance.LifecycleState` reports it.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html
 */
export type LifecycleState =
  | 'Pending'
  | 'Pending:Wait'
  | 'Pending:Proceed'
  | 'InService'
  | 'EnteringStandby'
  | 'Standby'
  | 'Terminating'
  | 'Terminating:Wait'
  | 'Terminating:Proceed'
  | 'Terminated'
  | 'Detaching'
  | 'Detached';

export type HealthStatus = 'Healthy' | 'Unhealthy';

/** The process types of SuspendProcesses / ResumeProcesses (E-5). */
export const SCALING_PROCESSES = [
  'Launch',
  'Terminate',
  'AddToLoadBalancer',
  'AlarmNotification',
  'AZRebalance',
  'HealthCheck',
  'InstanceRefresh',
  'ReplaceUnhealthy',
  'ScheduledActions',
  'RemoveFromLoadBalancerLowPriority',
] as const;
export type ScalingProcess = (typeof SCALING_PROCESSES)[number];

export const LAUNCHING_TRANSITION = 'autoscaling:EC2_INSTANCE_LAUNCHING';
export const TERMINATING_TRANSITION = 'autoscaling:EC2_INSTANCE_TERMINATING';
export type LifecycleTransition = typeof LAUNCHING_TRANSITION | typeof TERMINATING_TRANSITION;

/** What a removal (drain first) ends in: EC2 termination, a detached instance, or Standby. */
export type RemovalExit = 'terminate' | 'detach' | 'standby' | 'warm-pool';

/** One hook holding one instance (E-14): its own token and timeout. */
export interface LifecycleWait {
  hookName: string;
  token: string;
  /** Epoch ms the heartbeat timeout fires (moved by RecordLifecycleActionHeartbeat). */
  deadline: number;
  /** Epoch ms after which no heartbeat extends the wait (GlobalTimeout). */
  globalDeadline: number;
  timeout?: ScheduledEvent;
}

export interface LifecycleAction {
  transition: LifecycleTransition;
  /** Hooks still waiting, by hook name. */
  waits: Map<string, LifecycleWait>;
  /** Set when a launching action was abandoned (by a call or by a timeout's default result). */
  abandonedReason?: string;
}

export interface GroupInstance {
  readonly instanceId: string;
  readonly availabilityZone: string;
  readonly subnetId?: string;
  lifecycleState: LifecycleState;
  healthStatus: HealthStatus;
  protectedFromScaleIn: boolean;
  /** The concrete launch-template version the instance launched from (E-12). */
  launchTemplate?: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string };
  launchConfigurationName?: string;
  imageId?: string;
  instanceType?: string;
  /** EC2 launch time (epoch ms): the termination policies' age. */
  launchTime: number;
  /** When it last entered InService: the health-check grace period starts here (E-6). */
  inServiceAt?: number;
  /** The activity tracking the transition under way (launch, attach, termination, detach, standby). */
  activityId?: string;
  /** Set while Terminating / Detaching / EnteringStandby: where the removal ends. */
  removal?: {
    exit: RemovalExit;
    /** Target groups the instance is draining from; the removal waits until each reports it gone. */
    draining: string[];
    /** ForceDelete: no draining wait, no hooks. */
    force: boolean;
  };
  /** EC2 TerminateInstances has been asked for. */
  terminateRequested?: boolean;
  /** Attached or back from Standby: no launching hooks on the way to InService. */
  skipLaunchHooks?: boolean;
  lifecycleAction?: LifecycleAction;
  /** Why it was marked Unhealthy (for the replacement's cause). */
  unhealthyCause?: 'ec2' | 'elb' | 'user';
  /** Re-check of ELB health when the grace period ends (E-6). */
  graceCheck?: ScheduledEvent;
}

export interface LifecycleHookRecord {
  LifecycleHookName: string;
  AutoScalingGroupName: string;
  LifecycleTransition: LifecycleTransition;
  NotificationTargetARN?: string;
  RoleARN?: string;
  NotificationMetadata?: string;
  /** Seconds. */
  HeartbeatTimeout: number;
  /** Seconds. */
  GlobalTimeout: number;
  DefaultResult: 'CONTINUE' | 'ABANDON';
}

export interface GroupTag {
  value: string;
  propagateAtLaunch: boolean;
}

export interface AutoScalingGroupRecord {
  readonly name: string;
  readonly arn: string;
  readonly createdTime: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  /** Seconds. */
  defaultCooldown: number;
  availabilityZones: string[];
  vpcZoneIdentifier?: string;
  /** AZ → subnet ids of VPCZoneIdentifier in that AZ. */
  subnetsByZone: Map<string, string[]>;
  launchTemplate?: LaunchTemplateSpecification;
  mixedInstancesPolicy?: MixedInstancesPolicy;
  launchConfigurationName?: string;
  targetGroupArns: string[];
  /** Target groups detached while instances still drain from them (DescribeLoadBalancerTargetGroups: Removing). */
  removingTargetGroupArns: Set<string>;
  loadBalancerNames: string[];
  healthCheckType: string;
  /** Seconds. */
  healthCheckGracePeriod: number;
  defaultInstanceWarmup?: number;
  terminationPolicies: string[];
  newInstancesProtectedFromScaleIn: boolean;
  maxInstanceLifetime?: number;
  capacityRebalance: boolean;
  serviceLinkedRoleArn: string;
  placementGroup?: string;
  context?: string;
  desiredCapacityType?: string;
  /** Process → SuspensionReason (E-5). */
  suspendedProcesses: Map<string, string>;
  tags: Map<string, GroupTag>;
  /** By instance id, in the order they joined. */
  instances: Map<string, GroupInstance>;
  lifecycleHooks: Map<string, LifecycleHookRecord>;
  /** DeleteAutoScalingGroup with ForceDelete while instances remain (E-16). */
  deleting: boolean;
  // --- controller bookkeeping ---
  /** The user request behind the capacity change being carried out (prefix of the activities' Cause). */
  capacityCause?: string;
  /** Set while AZRebalance has launched an extra instance and waits for it before terminating one in the largest AZ. */
  rebalancingSince?: number;
  /** Consecutive launch failures not tied to one AZ, and when the next attempt may run (E-12 backoff). */
  launchBackoff: { failures: number; nextAttemptAt: number };
  /** Per AZ: consecutive launch failures there and until when the AZ is skipped. */
  zoneBackoff: Map<string, { failures: number; until: number }>;
  /** End of the last launch/termination activity (DefaultCooldown, E-11 HonorCooldown). */
  lastScalingActivityEnd?: number;
  /** How many launches used each MixedInstancesPolicy override, round robin. */
  launchCounter: number;
  reconcileEvent?: ScheduledEvent;
  /**
   * Set while an instance refresh runs (E-32): the template version it
   * launches (replacements of unhealthy instances too) and how many instances
   * above DesiredCapacity it holds (MaxHealthyPercentage > 100).
   */
  instanceRefreshLaunch?: { target?: RefreshTarget; surge: number };
  // --- automation (docs/emulator-automation.md) ---
  /** EnableMetricsCollection: the group metrics published each minute (E-24). */
  enabledMetrics?: string[];
}

// Warm pools (E-37, warm-pool.ts): plain data beside the group.
export type WarmPoolState = 'Stopped' | 'Running' | 'Hibernated';
export type WarmedLifecycleState = 'Warmed:Pending' | 'Warmed:Stopped' | 'Warmed:Running' | 'Warmed:Hibernated' | 'Warmed:Terminating';

export interface WarmPoolInstanceRecord {
  instance: GroupInstance;
  lifecycleState: WarmedLifecycleState;
}

export interface WarmPoolRecord {
  groupName: string;
  MaxGroupPreparedCapacity?: number;
  MinSize: number;
  PoolState: WarmPoolState;
  ReuseOnScaleIn: boolean;
  /** DeleteWarmPool: the pool empties, then goes. */
  Status?: 'PendingDelete';
  /** By instance id. */
  instances: Map<string, WarmPoolInstanceRecord>;
}

/** A scaling activity, stored with epoch-ms times and rendered as the SDK's `Activity`. */
export interface ActivityRecord {
  ActivityId: string;
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime?: number;
  StatusCode: string;
  StatusMessage?: string;
  Progress: number;
  Details: string;
  /** Order of creation: activities are listed newest first. */
  seq: number;
  /** A launch or termination: these start the cooldown and block HonorCooldown while running. */
  scaling: boolean;
}

export interface LaunchConfigurationRecord {
  LaunchConfigurationName: string;
  LaunchConfigurationARN: string;
  ImageId: string;
  InstanceType: string;
  KeyName?: string;
  SecurityGroups: string[];
  UserData?: string;
  KernelId?: string;
  RamdiskId?: string;
  BlockDeviceMappings: BlockDeviceMapping[];
  InstanceMonitoring: InstanceMonitoring;
  SpotPrice?: string;
  IamInstanceProfile?: string;
  EbsOptimized: boolean;
  AssociatePublicIpAddress?: boolean;
  PlacementTenancy?: string;
  MetadataOptions?: InstanceMetadataOptions;
  CreatedTime: number;
}

export interface ScalingPolicyRecord {
  AutoScalingGroupName: string;
  PolicyName: string;
  PolicyARN: string;
  PolicyType: string;
  AdjustmentType?: string;
  MinAdjustmentStep?: number;
  MinAdjustmentMagnitude?: number;
  ScalingAdjustment?: number;
  Cooldown?: number;
  StepAdjustments?: StepAdjustment[];
  MetricAggregationType?: string;
  EstimatedInstanceWarmup?: number;
  TargetTrackingConfiguration?: TargetTrackingConfiguration;
  PredictiveScalingConfiguration?: PredictiveScalingConfiguration;
  Enabled: boolean;
  /** Alarms that point at the policy (set by CloudWatch PutMetricAlarm, when it lands). */
  Alarms: { AlarmName: string; AlarmARN: string }[];
}

export interface ScheduledActionRecord {
  AutoScalingGroupName: string;
  ScheduledActionName: string;
  ScheduledActionARN: string;
  /** Epoch ms. */
  StartTime?: number;
  EndTime?: number;
  Recurrence?: string;
  MinSize?: number;
  MaxSize?: number;
  DesiredCapacity?: number;
  TimeZone?: string;
  /** Epoch ms the action fires next (E-30); undefined once it has nothing left to do. */
  nextFireAt?: number;
}

export interface AutoScalingState {
  groups: Map<string, AutoScalingGroupRecord>;
  /** Instance id → the name of the group it is in (for the history feed and DescribeAutoScalingInstances). */
  instanceGroups: Map<string, string>;
  /** Group name → its activities, oldest first; kept after the group is deleted. */
  activities: Map<string, ActivityRecord[]>;
  activityById: Map<string, ActivityRecord>;
  activitySeq: number;
  launchConfigurations: Map<string, LaunchConfigurationRecord>;
  /** Keyed `${group}\u0000${policy}`. */
  policies: Map<string, ScalingPolicyRecord>;
  /** Keyed `${group}\u0000${action}`. */
  scheduledActions: Map<string, ScheduledActionRecord>;
  /** Group name → its instance refreshes, oldest first (E-32). */
  instanceRefreshes: Map<string, InstanceRefreshRecord[]>;
  /** Group name → its warm pool (E-37). */
  warmPools: Map<string, WarmPoolRecord>;
  /** PutNotificationConfiguration, keyed `${group}\u0000${topicArn}` (E-39): stored and described; nothing is published. */
  notificationConfigurations: Map<string, { AutoScalingGroupName: string; TopicARN: string; NotificationTypes: string[] }>;
}

export function createAutoScalingState(): AutoScalingState {
  return {
    groups: new Map(),
    instanceGroups: new Map(),
    activities: new Map(),
    activityById: new Map(),
    activitySeq: 0,
    launchConfigurations: new Map(),
    policies: new Map(),
    scheduledActions: new Map(),
    instanceRefreshes: new Map(),
    warmPools: new Map(),
    notificationConfigurations: new Map(),
  };
}

/** Key of a policy or scheduled action in its map. */
export function groupScopedKey(group: string, name: string): string {
  return `${group}\u0000${name}`;
}
