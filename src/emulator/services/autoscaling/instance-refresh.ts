/**
 * Instance Refresh operations (E-32 … E-36): StartInstanceRefresh,
 * DescribeInstanceRefreshes, CancelInstanceRefresh, RollbackInstanceRefresh.
 * The replacing itself is the engine's (instance-refresh-engine.ts).
 *
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
import type {
  CancelInstanceRefreshAnswer,
  CancelInstanceRefreshType,
  DescribeInstanceRefreshesAnswer,
  DescribeInstanceRefreshesType,
  InstanceRefresh,
  RollbackInstanceRefreshAnswer,
  RollbackInstanceRefreshType,
  StartInstanceRefreshAnswer,
  StartInstanceRefreshType,
} from '@aws-sdk/client-auto-scaling';
import { AwsError, validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { resolveLaunchTemplate } from '../ec2/index.js';
import { newUuid } from './activities.js';
import { countsTowardCapacity } from './membership.js';
import {
  activeRefresh,
  matchesConfiguration,
  resolveGroupTarget,
  scheduleStep,
  startRollback,
} from './instance-refresh-engine.js';
import type { InstanceRefreshRecord, ProtectedInstancesChoice, ResolvedRefreshPreferences, StandbyInstancesChoice } from './instance-refresh-state.js';
import { requireActiveGroup, requireGroup } from './lookup.js';
import { paginate } from './pagination.js';
import type { AutoScalingGroupRecord } from './state.js';

/** "Understand the default values for an instance refresh" (AWS CLI / SDK column). */
export const REFRESH_DEFAULTS = {
  minHealthyPercentage: 90,
  maxHealthyPercentage: 100,
  checkpointDelay: 3600,
  bakeTime: 0,
  scaleInProtectedInstances: 'Wait',
  standbyInstances: 'Wait',
} as const;

/** How long a new refresh stays Pending before its first step. */
export const REFRESH_START_DELAY_MS = 1_000;

export const refreshErrors = {
  inProgress(): AwsError {
    return new AwsError('InstanceRefreshInProgress', 'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.');
  },
  noActive(group: string): AwsError {
    return new AwsError('ActiveInstanceRefreshNotFound', `No in progress or pending Instance Refresh found for Auto Scaling group ${group}`);
  },
  irreversible(why: string): AwsError {
    return new AwsError('IrreversibleInstanceRefresh', why);
  },
};

function range(member: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
  }
}

/** Validates the preferences and fills in AWS's defaults (API_RefreshPreferences). */
export function resolvePreferences(input: StartInstanceRefreshType, group: AutoScalingGroupRecord, ctx: RequestContext): ResolvedRefreshPreferences {
  const p = input.Preferences ?? {};
  range('preferences.minHealthyPercentage', p.MinHealthyPercentage, 0, 100);
  range('preferences.maxHealthyPercentage', p.MaxHealthyPercentage, 100, 200);
  range('preferences.checkpointDelay', p.CheckpointDelay, 0, 172800);
  range('preferences.bakeTime', p.BakeTime, 0, 172800);
  if (p.InstanceWarmup !== undefined && (!Number.isInteger(p.InstanceWarmup) || p.InstanceWarmup < 0)) {
    throw validationError(`1 validation error detected: Value '${p.InstanceWarmup}' at 'preferences.instanceWarmup' failed to satisfy constraint: Member must have value greater than or equal to 0`);
  }
  const min = p.MinHealthyPercentage ?? REFRESH_DEFAULTS.minHealthyPercentage;
  const max = p.MaxHealthyPercentage ?? REFRESH_DEFAULTS.maxHealthyPercentage;
  // "the difference between them cannot be greater than 100" (API_InstanceMaintenancePolicy).
  if (max - min > 100) throw validationError(`The difference between MaxHealthyPercentage (${max}) and MinHealthyPercentage (${min}) cannot be greater than 100.`);
  const checkpoints = p.CheckpointPercentages ?? [];
  for (let i = 0; i < checkpoints.length; i++) {
    const cp = checkpoints[i]!;
    range(`preferences.checkpointPercentages.${i + 1}`, cp, 1, 100);
    if (i > 0 && cp <= checkpoints[i - 1]!) throw validationError('CheckpointPercentages must be unique and in ascending order.');
  }
  // "if you specify a value for it, you must also specify a value for CheckpointPercentages"
  if (p.CheckpointDelay !== undefined && checkpoints.length === 0) throw validationError('CheckpointDelay requires CheckpointPercentages.');
  const alarms = p.AlarmSpecification?.Alarms ?? [];
  if (alarms.length > 10) throw validationError('You can specify up to 10 alarms in the AlarmSpecification.');
  for (const name of alarms) {
    if (!ctx.region.cloudwatch.alarms.has(name)) throw validationError(`The alarm ${name} does not exist.`);
  }
  if (p.AutoRollback) checkRollbackPossible(input.DesiredConfiguration !== undefined, group);
  if (p.SkipMatching && !input.DesiredConfiguration && !group.launchTemplate && !group.mixedInstancesPolicy) {
    throw validationError('SkipMatching is only supported for Auto Scaling groups that use a launch template.');
  }
  return {
    minHealthyPercentage: min,
    maxHealthyPercentage: max,
    instanceWarmup: p.InstanceWarmup,
    checkpointPercentages: checkpoints,
    checkpointDelay: p.CheckpointDelay ?? REFRESH_DEFAULTS.checkpointDelay,
    skipMatching: p.SkipMatching ?? false,
    autoRollback: p.AutoRollback ?? false,
    alarms,
    bakeTime: p.BakeTime ?? REFRESH_DEFAULTS.bakeTime,
    scaleInProtectedInstances: (p.ScaleInProtectedInstances ?? REFRESH_DEFAULTS.scaleInProtectedInstances) as ProtectedInstancesChoice,
    standbyInstances: (p.StandbyInstances ?? REFRESH_DEFAULTS.standbyInstances) as StandbyInstancesChoice,
  };
}

/**
 * "A rollback is not supported … There is no desired configuration …; The
 * Auto Scaling group uses the launch template's $Latest or $Default version."
 * (API_RefreshPreferences, AutoRollback)
 */
function checkRollbackPossible(hasDesiredConfiguration: boolean, group: AutoScalingGroupRecord): void {
  if (!hasDesiredConfiguration) {
    throw refreshErrors.irreversible('A rollback is not possible: the instance refresh was started without a desired configuration.');
  }
  const version = (group.launchTemplate ?? group.mixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification)?.Version ?? '$Default';
  if (!group.launchConfigurationName && (version === '$Latest' || version === '$Default')) {
    throw refreshErrors.irreversible(
      `A rollback is not possible: the Auto Scaling group ${group.name} uses the launch template version ${version}; use a specific version number.`,
    );
  }
}

export function startInstanceRefresh(ctx: RequestContext, input: StartInstanceRefreshType): StartInstanceRefreshAnswer {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  if (input.Strategy !== undefined && input.Strategy !== 'Rolling') {
    throw validationError(`The strategy ${input.Strategy} is not supported by the emulator; use Rolling.`);
  }
  if (activeRefresh(region, group.name)) throw refreshErrors.inProgress();
  const preferences = resolvePreferences(input, group, ctx);

  let target = resolveGroupTarget(region, group);
  const desiredTemplate = input.DesiredConfiguration?.LaunchTemplate ?? input.DesiredConfiguration?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  if (desiredTemplate) {
    // Resolved now: the refresh launches one version (AWS resolves $Latest / $Default at start as well).
    const ref = desiredTemplate.LaunchTemplateId
      ? { LaunchTemplateId: desiredTemplate.LaunchTemplateId, Version: desiredTemplate.Version }
      : { LaunchTemplateName: desiredTemplate.LaunchTemplateName, Version: desiredTemplate.Version };
    const resolved = resolveLaunchTemplate(region, ref);
    target = { LaunchTemplateId: resolved.templateId, LaunchTemplateName: resolved.templateName, Version: String(resolved.versionNumber) };
  }

  const toReplace: string[] = [];
  const ignored: string[] = [];
  for (const instance of group.instances.values()) {
    if (instance.removal && instance.lifecycleState !== 'Standby') continue;
    const standby = instance.lifecycleState === 'Standby';
    if (!standby && !countsTowardCapacity(instance.lifecycleState)) continue;
    const skip =
      (preferences.skipMatching && matchesConfiguration(instance, target, group.launchConfigurationName)) ||
      (standby && preferences.standbyInstances === 'Ignore') ||
      (!standby && instance.protectedFromScaleIn && preferences.scaleInProtectedInstances === 'Ignore');
    (skip ? ignored : toReplace).push(instance.instanceId);
  }

  const record: InstanceRefreshRecord = {
    InstanceRefreshId: newUuid(sim),
    AutoScalingGroupName: group.name,
    Status: 'Pending',
    StartTime: sim.now,
    Preferences: input.Preferences ?? {},
    DesiredConfiguration: input.DesiredConfiguration,
    preferences,
    target,
    previous: {
      launchTemplate: group.launchTemplate,
      mixedInstancesPolicy: group.mixedInstancesPolicy,
      launchConfigurationName: group.launchConfigurationName,
    },
    toReplace,
    ignored,
    total: toReplace.length,
    consecutiveFailures: 0,
    nextCheckpoint: 0,
    cancelRequested: false,
    PercentageComplete: toReplace.length ? 0 : 100,
    InstancesToUpdate: toReplace.length,
  };
  let list = region.autoscaling.instanceRefreshes.get(group.name);
  if (!list) region.autoscaling.instanceRefreshes.set(group.name, (list = []));
  list.push(record);
  group.instanceRefreshLaunch = { target, surge: 0 };
  // Pending while it initialises ("The operation goes into Pending status while it's initializing. The
  // status should then quickly change to InProgress", check-status-instance-refresh): one second here.
  scheduleStep(sim, region, record, sim.now + REFRESH_START_DELAY_MS);
  return { InstanceRefreshId: record.InstanceRefreshId };
}

export function renderInstanceRefresh(record: InstanceRefreshRecord): InstanceRefresh {
  const live = { PercentageComplete: record.PercentageComplete, InstancesToUpdate: record.InstancesToUpdate };
  return {
    InstanceRefreshId: record.InstanceRefreshId,
    AutoScalingGroupName: record.AutoScalingGroupName,
    Status: record.Status,
    StatusReason: record.StatusReason,
    StartTime: new Date(record.StartTime),
    EndTime: record.EndTime !== undefined ? new Date(record.EndTime) : undefined,
    PercentageComplete: record.PercentageComplete,
    InstancesToUpdate: record.InstancesToUpdate,
    ProgressDetails: { LivePoolProgress: live },
    Preferences: record.Preferences,
    DesiredConfiguration: record.DesiredConfiguration,
    RollbackDetails: record.rollback
      ? {
          RollbackReason: record.rollback.RollbackReason,
          RollbackStartTime: new Date(record.rollback.RollbackStartTime),
          PercentageCompleteOnRollback: record.rollback.PercentageCompleteOnRollback,
          InstancesToUpdateOnRollback: record.rollback.InstancesToUpdateOnRollback,
          ProgressDetailsOnRollback: {
            LivePoolProgress: {
              PercentageComplete: record.rollback.PercentageCompleteOnRollback,
              InstancesToUpdate: record.rollback.InstancesToUpdateOnRollback,
            },
          },
        }
      : undefined,
    Strategy: 'Rolling',
  };
}

/** DescribeInstanceRefreshes: newest first, 50 a page by default (MaxRecords ≤ 100). */
export function describeInstanceRefreshes(ctx: RequestContext, input: DescribeInstanceRefreshesType): DescribeInstanceRefreshesAnswer {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  let records = [...(ctx.region.autoscaling.instanceRefreshes.get(group.name) ?? [])].reverse();
  if (input.InstanceRefreshIds?.length) {
    const ids = new Set(input.InstanceRefreshIds);
    records = records.filter((r) => ids.has(r.InstanceRefreshId));
  }
  const page = paginate(records, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 100 });
  return { InstanceRefreshes: page.items.map(renderInstanceRefresh), NextToken: page.nextToken };
}

/**
 * CancelInstanceRefresh: Cancelling, then Cancelled once the replacements
 * under way are done; what was replaced stays ("Cancellation does not roll
 * back any replacements that have already been completed").
 */
export function cancelInstanceRefresh(ctx: RequestContext, input: CancelInstanceRefreshType): CancelInstanceRefreshAnswer {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const record = activeRefresh(ctx.region, group.name);
  if (!record || record.Status === 'Cancelling' || record.Status === 'RollbackInProgress') throw refreshErrors.noActive(group.name);
  record.cancelRequested = true;
  const from = record.Status;
  record.Status = 'Cancelling';
  record.StatusReason = 'Cancelling the instance refresh: replacements under way finish, no new ones start.';
  ctx.sim.history.record({ t: ctx.sim.now, type: 'group', region: ctx.region.region, group: group.name, field: 'InstanceRefreshStatus', from, to: 'Cancelling' });
  scheduleStep(ctx.sim, ctx.region, record);
  return { InstanceRefreshId: record.InstanceRefreshId };
}

/** RollbackInstanceRefresh: only while the refresh is in progress, and only when a rollback is possible (E-35). */
export function rollbackInstanceRefresh(ctx: RequestContext, input: RollbackInstanceRefreshType): RollbackInstanceRefreshAnswer {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const record = activeRefresh(ctx.region, group.name);
  if (!record || record.Status === 'Cancelling' || record.Status === 'RollbackInProgress') throw refreshErrors.noActive(group.name);
  checkRollbackPossible(record.DesiredConfiguration !== undefined, group);
  startRollback(ctx.sim, ctx.region, record, 'Rollback started by a user request (RollbackInstanceRefresh).');
  return { InstanceRefreshId: record.InstanceRefreshId };
}
