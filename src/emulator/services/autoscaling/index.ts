/**
 * The Auto Scaling service: its operations (handlers taking the SDK v3 input
 * shape and returning the output shape), the controller that makes groups
 * behave (docs/emulator.md E-3 … E-16), and the admin dump.
 */
import type { ServiceHandlers } from '../../world.js';
import { describeAccountLimits, describeTerminationPolicyTypes } from './account.js';
import { describeScalingActivities } from './activities.js';
import {
  createAutoScalingGroup,
  deleteAutoScalingGroup,
  describeAutoScalingGroups,
  describeAutoScalingInstances,
  setDesiredCapacityHandler,
  updateAutoScalingGroup,
} from './groups.js';
import {
  attachInstances,
  detachInstances,
  enterStandby,
  exitStandby,
  setInstanceHealth,
  setInstanceProtection,
  terminateInstanceInAutoScalingGroup,
} from './instances.js';
import { createLaunchConfiguration, deleteLaunchConfiguration, describeLaunchConfigurations } from './launch-configurations.js';
import {
  completeLifecycleAction,
  deleteLifecycleHook,
  describeLifecycleHooks,
  describeLifecycleHookTypes,
  putLifecycleHook,
  recordLifecycleActionHeartbeat,
} from './lifecycle-hooks.js';
import {
  deletePolicy,
  deleteScheduledAction,
  describePolicies,
  describeScheduledActions,
  putScalingPolicy,
  putScheduledUpdateGroupAction,
} from './policies.js';
import { cancelInstanceRefresh, describeInstanceRefreshes, rollbackInstanceRefresh, startInstanceRefresh } from './instance-refresh.js';
import { describeMetricCollectionTypes, disableMetricsCollection, enableMetricsCollection } from './metrics-collection.js';
import { executePolicy } from './policy-execution.js';
import { describeScalingProcessTypes, resumeProcesses, suspendProcesses } from './processes.js';
import {
  deleteNotificationConfiguration,
  describeAdjustmentTypes,
  describeAutoScalingNotificationTypes,
  describeLoadBalancers,
  describeNotificationConfigurations,
  describeTrafficSources,
  putNotificationConfiguration,
} from './describe-extras.js';
import { deleteWarmPool, describeWarmPool, putWarmPool } from './warm-pool-handlers.js';
import { createOrUpdateTags, deleteTags, describeTags } from './tags.js';
import { attachLoadBalancerTargetGroups, describeLoadBalancerTargetGroups, detachLoadBalancerTargetGroups } from './target-groups.js';

export const autoscalingHandlers: ServiceHandlers = {
  CreateAutoScalingGroup: createAutoScalingGroup,
  UpdateAutoScalingGroup: updateAutoScalingGroup,
  DeleteAutoScalingGroup: deleteAutoScalingGroup,
  DescribeAutoScalingGroups: describeAutoScalingGroups,
  DescribeAutoScalingInstances: describeAutoScalingInstances,
  SetDesiredCapacity: setDesiredCapacityHandler,
  TerminateInstanceInAutoScalingGroup: terminateInstanceInAutoScalingGroup,
  AttachInstances: attachInstances,
  DetachInstances: detachInstances,
  EnterStandby: enterStandby,
  ExitStandby: exitStandby,
  SuspendProcesses: suspendProcesses,
  ResumeProcesses: resumeProcesses,
  SetInstanceHealth: setInstanceHealth,
  SetInstanceProtection: setInstanceProtection,
  CreateOrUpdateTags: createOrUpdateTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
  DescribeScalingActivities: describeScalingActivities,
  AttachLoadBalancerTargetGroups: attachLoadBalancerTargetGroups,
  DetachLoadBalancerTargetGroups: detachLoadBalancerTargetGroups,
  DescribeLoadBalancerTargetGroups: describeLoadBalancerTargetGroups,
  PutLifecycleHook: putLifecycleHook,
  DescribeLifecycleHooks: describeLifecycleHooks,
  DeleteLifecycleHook: deleteLifecycleHook,
  CompleteLifecycleAction: completeLifecycleAction,
  RecordLifecycleActionHeartbeat: recordLifecycleActionHeartbeat,
  PutScalingPolicy: putScalingPolicy,
  DescribePolicies: describePolicies,
  DeletePolicy: deletePolicy,
  PutScheduledUpdateGroupAction: putScheduledUpdateGroupAction,
  DescribeScheduledActions: describeScheduledActions,
  DeleteScheduledAction: deleteScheduledAction,
  CreateLaunchConfiguration: createLaunchConfiguration,
  DescribeLaunchConfigurations: describeLaunchConfigurations,
  DeleteLaunchConfiguration: deleteLaunchConfiguration,
  DescribeScalingProcessTypes: describeScalingProcessTypes,
  DescribeTerminationPolicyTypes: describeTerminationPolicyTypes,
  DescribeLifecycleHookTypes: describeLifecycleHookTypes,
  DescribeAccountLimits: describeAccountLimits,
  DescribeInstanceRefreshes: describeInstanceRefreshes,
  StartInstanceRefresh: startInstanceRefresh,
  CancelInstanceRefresh: cancelInstanceRefresh,
  RollbackInstanceRefresh: rollbackInstanceRefresh,
  PutWarmPool: putWarmPool,
  DescribeWarmPool: describeWarmPool,
  DeleteWarmPool: deleteWarmPool,
  DescribeAdjustmentTypes: describeAdjustmentTypes,
  DescribeAutoScalingNotificationTypes: describeAutoScalingNotificationTypes,
  PutNotificationConfiguration: putNotificationConfiguration,
  DeleteNotificationConfiguration: deleteNotificationConfiguration,
  DescribeNotificationConfigurations: describeNotificationConfigurations,
  DescribeLoadBalancers: describeLoadBalancers,
  DescribeTrafficSources: describeTrafficSources,
  // docs/emulator-automation.md (E-24, E-29)
  ExecutePolicy: executePolicy,
  EnableMetricsCollection: enableMetricsCollection,
  DisableMetricsCollection: disableMetricsCollection,
  DescribeMetricCollectionTypes: describeMetricCollectionTypes,
};

export { startAutoScalingController, rehydrateAutoScaling } from './controller.js';
export { resumeInstanceRefreshes, startInstanceRefreshEngine } from './instance-refresh-engine.js';
export { resumeWarmPools, startWarmPools } from './warm-pool.js';
export { dumpAutoScalingState } from './dump.js';
export { runPolicyFromAlarm } from './policy-execution.js';
export { fireDueScheduledActions } from './scheduled-action-runner.js';
