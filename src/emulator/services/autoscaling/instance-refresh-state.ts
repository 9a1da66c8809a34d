/**
 * An instance refresh as plain data (E-32 … E-36), kept in the region's
 * Auto Scaling state so a saved state carries it. Times are epoch ms; the
 * engine's timer is not stored here (re-armed by `resumeInstanceRefreshes`).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstanceRefresh.html
 */
import type { DesiredConfiguration, LaunchTemplateSpecification, MixedInstancesPolicy, RefreshPreferences } from '@aws-sdk/client-auto-scaling';

/** AWS's status names (API_InstanceRefresh, `Status`). */
export type InstanceRefreshStatus =
  | 'Pending'
  | 'InProgress'
  | 'Successful'
  | 'Failed'
  | 'Cancelling'
  | 'Cancelled'
  | 'RollbackInProgress'
  | 'RollbackFailed'
  | 'RollbackSuccessful'
  | 'Baking';

export type ProtectedInstancesChoice = 'Refresh' | 'Ignore' | 'Wait';
export type StandbyInstancesChoice = 'Terminate' | 'Ignore' | 'Wait';

/** The preferences with AWS's defaults filled in ("Understand the default values for an instance refresh"). */
export interface ResolvedRefreshPreferences {
  minHealthyPercentage: number;
  maxHealthyPercentage: number;
  /** Seconds; the group's DefaultInstanceWarmup, else its HealthCheckGracePeriod, when not given. */
  instanceWarmup?: number;
  checkpointPercentages: number[];
  /** Seconds. */
  checkpointDelay: number;
  skipMatching: boolean;
  autoRollback: boolean;
  alarms: string[];
  /** Seconds. */
  bakeTime: number;
  scaleInProtectedInstances: ProtectedInstancesChoice;
  standbyInstances: StandbyInstancesChoice;
}

/** What the group launched from before the refresh (what a rollback goes back to). */
export interface LaunchConfigurationOfGroup {
  launchTemplate?: LaunchTemplateSpecification;
  mixedInstancesPolicy?: MixedInstancesPolicy;
  launchConfigurationName?: string;
}

/** A concrete launch template version the refresh launches and compares instances with. */
export interface RefreshTarget {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  /** A version number, as a string (what instances report). */
  Version: string;
}

export interface InstanceRefreshRecord {
  InstanceRefreshId: string;
  AutoScalingGroupName: string;
  Status: InstanceRefreshStatus;
  StatusReason?: string;
  StartTime: number;
  EndTime?: number;
  /** As given, for DescribeInstanceRefreshes. */
  Preferences: RefreshPreferences;
  DesiredConfiguration?: DesiredConfiguration;
  preferences: ResolvedRefreshPreferences;
  /** What the refresh launches now (the desired configuration; the previous one while rolling back). */
  target?: RefreshTarget;
  previous: LaunchConfigurationOfGroup;
  /** Instances to replace, fixed when the refresh (or its rollback) starts. */
  toReplace: string[];
  /** Instances left alone (Ignore for scale-in protected or Standby instances). */
  ignored: string[];
  /** `toReplace.length` when the refresh (or rollback) started. */
  total: number;
  /** Replacements that failed (launch failed, or the new instance turned Unhealthy) since the last one that succeeded. */
  consecutiveFailures: number;
  /** Index in `preferences.checkpointPercentages` of the next checkpoint. */
  nextCheckpoint: number;
  /** Epoch ms a checkpoint's delay ends. */
  checkpointUntil?: number;
  /** Epoch ms the bake time ends. */
  bakeUntil?: number;
  /** Epoch ms since when only instances the refresh must wait for (protected, Standby) are left. */
  waitingSince?: number;
  cancelRequested: boolean;
  rollback?: {
    RollbackReason: string;
    RollbackStartTime: number;
    PercentageCompleteOnRollback: number;
    InstancesToUpdateOnRollback: number;
  };
  /** PercentageComplete and InstancesToUpdate as of the last step (final values once it ended). */
  PercentageComplete: number;
  InstancesToUpdate: number;
}
