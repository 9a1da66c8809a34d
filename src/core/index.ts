/** The pure domain of asg-deploy: no I/O, no AWS SDK. */
export { AsgDeployError, ERROR_CODES, isAsgDeployError, badInput } from './errors.js';
export type { ErrorCode, Fault, AsgDeployErrorOptions } from './errors.js';

export {
  LIFECYCLE_STATES,
  TARGET_HEALTH_STATES,
  worseTargetHealth,
  targetHealthOf,
  instanceVersion,
  isLifecycleState,
  isTargetHealthState,
} from './fleet.js';
export type {
  Fleet,
  Group,
  GroupTag,
  Instance,
  Ec2Details,
  LaunchTemplateRef,
  LifecycleState,
  HealthStatus,
  TargetHealth,
  TargetHealthState,
  TargetHealthByGroup,
} from './fleet.js';

export {
  LifecycleStatus,
  isPending,
  isInService,
  isStandby,
  isEnteringStandby,
  isTerminating,
  isReplacingRootVolume,
  isTerminated,
  isDetaching,
  isDetached,
  isQuarantined,
  isWarmPool,
  isLaunchingOrServing,
  isLeaving,
  isGone,
} from './lifecycle.js';

export { parseAmount, formatAmount, percentOfCeil, percentOfFloor } from './amount.js';
export type { Amount, AmountLimits } from './amount.js';
export { DEFAULT_MAX_SURGE, MAX_SURGE_PERCENT, parseSurge, resolveSurge, maxSizeNeed, assertSurgeCanProgress } from './surge.js';
export type { MaxSizeNeed } from './surge.js';
export { safeDesiredLowering } from './desired-lowering.js';
export type { DesiredLowering } from './desired-lowering.js';
export { DEFAULT_MIN_HEALTHY, parseMinHealthy, resolveFloor, unavailableAllowance, headroomAboveFloor } from './floor.js';

export {
  isServing,
  servingCount,
  isDraining,
  countsTowardSurgeCap,
  surgeCapCount,
  updateServingSince,
  isReady,
  readyInstances,
  resolveWarmupMs,
} from './readiness.js';
export type { ServingSince, ReadinessContext, WarmupInput } from './readiness.js';

export {
  parseTargetVersion,
  isOnTargetVersion,
  oldInstances,
  newInstances,
  instancesPerZone,
  zoneSpread,
  chooseInstancesToRetire,
  healthCheckMs,
  zoneLoad,
  planRollingDeploy,
} from './plan.js';
export { planBalancedMove, placements, holdsEvenSpread, worstCaseWaves } from './az-balance.js';
export type { ZoneCounts, BalanceInput, BalanceMove } from './az-balance.js';
export type { TargetVersion, WaveTiming, WavePlan, RollingPlanInput, RollingPlan } from './plan.js';

export { parseDuration, formatDuration } from './duration.js';
export { decideRollingStep } from './rolling-step.js';
export { nextPollDelayMs, nextTick, instanceDueAt } from './poll-due.js';
export type { PollDueInput, LaunchingInstanceTimes, InstanceDueSettings } from './poll-due.js';
export type { RollingStep, RollingStepInput } from './rolling-step.js';
export { OutputTail } from './output-tail.js';
export { parseCheckpoints, parseCheckpointPause, formatCheckpoints, checkpointReached, replacementsBeforeCheckpoint, DEFAULT_CHECKPOINT_PAUSE } from './checkpoints.js';
export type { CheckpointPause, CheckpointProgress } from './checkpoints.js';
export { DEFAULT_CHECK_TIMEOUT_MS } from './guardrail-defaults.js';
export { EtaTracker, estimateDeploy, waveMs, wavesLeft, wavesWithCheckpoints, checkpointsAhead, foreseenEveningWaves, pollMsOf, LOCK_READ_BACK_MS, ESTIMATE_POLL_MS } from './eta.js';
export type { EtaReading, EstimateTiming, EstimateSchedule, DeployEstimate, DeployEstimateInput } from './eta.js';
