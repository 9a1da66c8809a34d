/**
 * Scaling policies and scheduled actions (E-15): stored and described here;
 * they act through policy-execution.ts (alarms, ExecutePolicy),
 * target-tracking.ts (the policy's own alarms) and scheduled-action-runner.ts
 * (the clock); docs/emulator-automation.md E-29, E-30.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html
 */
import type {
  DeletePolicyType,
  DeleteScheduledActionType,
  DescribePoliciesType,
  DescribeScheduledActionsType,
  PoliciesType,
  PolicyARNType,
  PutScalingPolicyType,
  PutScheduledUpdateGroupActionType,
  ScalingPolicy,
  ScheduledActionsType,
  ScheduledUpdateGroupAction,
} from '@aws-sdk/client-auto-scaling';
import { AwsError, validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { newUuid } from './activities.js';
import { asgErrors } from './errors.js';
import { requireActiveGroup, requireGroup } from './lookup.js';
import { paginate } from './pagination.js';
import { isTimeZone, parseCron } from './recurrence.js';
import { firstFireTime } from './scheduled-action-runner.js';
import { deleteTargetTrackingAlarms, forgetPolicyAlarms, syncTargetTrackingAlarms, trackedMetric } from './target-tracking.js';
import { groupScopedKey, type ScalingPolicyRecord, type ScheduledActionRecord } from './state.js';

const POLICY_TYPES = new Set(['SimpleScaling', 'StepScaling', 'TargetTrackingScaling', 'PredictiveScaling']);
const ADJUSTMENT_TYPES = new Set(['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity']);
const MAX_POLICIES_PER_GROUP = 50;
const MAX_SCHEDULED_ACTIONS_PER_GROUP = 125;

function byName<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function toMs(value: Date | string | number | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw validationError(`Invalid time: ${String(value)}`);
  return ms;
}

// ---------------------------------------------------------------------------
// Scaling policies

export function putScalingPolicy(ctx: RequestContext, input: PutScalingPolicyType): PolicyARNType {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  const name = input.PolicyName;
  if (!name) throw asgErrors.missing('policyName');
  const type = input.PolicyType ?? 'SimpleScaling';
  if (!POLICY_TYPES.has(type)) throw validationError(`Invalid policy type ${type}. Valid values are ${[...POLICY_TYPES].join(', ')}.`);
  if (type === 'SimpleScaling' || type === 'StepScaling') {
    if (!input.AdjustmentType) throw validationError(`AdjustmentType is required for policy type ${type}.`);
    if (!ADJUSTMENT_TYPES.has(input.AdjustmentType)) throw validationError(`Invalid adjustment type ${input.AdjustmentType}.`);
  }
  if (type === 'SimpleScaling' && (input.ScalingAdjustment === undefined || input.ScalingAdjustment === null)) {
    throw validationError('ScalingAdjustment is required for policy type SimpleScaling.');
  }
  if (type === 'StepScaling' && !input.StepAdjustments?.length) throw validationError('StepAdjustments is required for policy type StepScaling.');
  if (type === 'TargetTrackingScaling' && !input.TargetTrackingConfiguration) {
    throw validationError('TargetTrackingConfiguration is required for policy type TargetTrackingScaling.');
  }
  if (type === 'PredictiveScaling' && !input.PredictiveScalingConfiguration) {
    throw validationError('PredictiveScalingConfiguration is required for policy type PredictiveScaling.');
  }
  const key = groupScopedKey(group.name, name);
  const existing = region.autoscaling.policies.get(key);
  if (!existing) {
    let count = 0;
    for (const p of region.autoscaling.policies.values()) if (p.AutoScalingGroupName === group.name) count++;
    if (count >= MAX_POLICIES_PER_GROUP) throw new AwsError('LimitExceeded', `Cannot have more than ${MAX_POLICIES_PER_GROUP} scaling policies for one group.`);
  }
  const arn =
    existing?.PolicyARN ??
    `arn:aws:autoscaling:${region.region}:${region.accountId}:scalingPolicy:${newUuid(sim)}:autoScalingGroupName/${group.name}:policyName/${name}`;
  const policy: ScalingPolicyRecord = {
    AutoScalingGroupName: group.name,
    PolicyName: name,
    PolicyARN: arn,
    PolicyType: type,
    AdjustmentType: input.AdjustmentType,
    MinAdjustmentStep: input.MinAdjustmentStep,
    MinAdjustmentMagnitude: input.MinAdjustmentMagnitude,
    ScalingAdjustment: input.ScalingAdjustment,
    Cooldown: input.Cooldown,
    StepAdjustments: input.StepAdjustments ? structuredClone(input.StepAdjustments) : undefined,
    MetricAggregationType: input.MetricAggregationType ?? (type === 'StepScaling' ? 'Average' : undefined),
    EstimatedInstanceWarmup: input.EstimatedInstanceWarmup,
    TargetTrackingConfiguration: input.TargetTrackingConfiguration ? structuredClone(input.TargetTrackingConfiguration) : undefined,
    PredictiveScalingConfiguration: input.PredictiveScalingConfiguration ? structuredClone(input.PredictiveScalingConfiguration) : undefined,
    Enabled: input.Enabled ?? true,
    Alarms: existing?.Alarms ?? [],
  };
  if (type === 'TargetTrackingScaling') trackedMetric(policy); // refuses a bad metric before anything is stored
  region.autoscaling.policies.set(key, policy);
  if (type === 'TargetTrackingScaling') syncTargetTrackingAlarms(sim, region, policy);
  else if (existing?.PolicyType === 'TargetTrackingScaling') deleteTargetTrackingAlarms(region, sim.now, policy);
  return { PolicyARN: arn, Alarms: policy.Alarms.map((a) => ({ ...a })) };
}

function renderPolicy(p: ScalingPolicyRecord): ScalingPolicy {
  const { Alarms, ...rest } = structuredClone(p);
  return { ...rest, Alarms: Alarms.map((a) => ({ ...a })) };
}

/** DescribePolicies: by group and name, 50 a page (max 50). */
export function describePolicies(ctx: RequestContext, input: DescribePoliciesType): PoliciesType {
  const state = ctx.region.autoscaling;
  if (input.AutoScalingGroupName && !state.groups.has(input.AutoScalingGroupName)) throw asgErrors.groupNotFound(input.AutoScalingGroupName);
  const names = input.PolicyNames?.length ? new Set(input.PolicyNames) : undefined;
  const types = input.PolicyTypes?.length ? new Set(input.PolicyTypes) : undefined;
  const policies = [...state.policies.values()]
    .filter((p) => !input.AutoScalingGroupName || p.AutoScalingGroupName === input.AutoScalingGroupName)
    .filter((p) => !names || names.has(p.PolicyName) || names.has(p.PolicyARN))
    .filter((p) => !types || types.has(p.PolicyType))
    .sort(byName((p) => `${p.AutoScalingGroupName}\u0000${p.PolicyName}`));
  const page = paginate(policies, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 50 });
  return { ScalingPolicies: page.items.map(renderPolicy), NextToken: page.nextToken };
}

export function deletePolicy(ctx: RequestContext, input: DeletePolicyType): Record<string, never> {
  const state = ctx.region.autoscaling;
  const ref = input.PolicyName;
  if (!ref) throw asgErrors.missing('policyName');
  // Deleting a policy deletes the alarm actions that name it (not the alarms),
  // and a target tracking policy's own alarms (API_DeletePolicy).
  const forget = (key: string, p: ScalingPolicyRecord) => {
    forgetPolicyAlarms(ctx.region, ctx.sim.now, p);
    state.policies.delete(key);
  };
  if (ref.startsWith('arn:')) {
    for (const [key, p] of state.policies) if (p.PolicyARN === ref) forget(key, p);
    return {};
  }
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const key = groupScopedKey(group.name, ref);
  const policy = state.policies.get(key);
  if (policy) forget(key, policy);
  return {};
}

// ---------------------------------------------------------------------------
// Scheduled actions

export function putScheduledUpdateGroupAction(ctx: RequestContext, input: PutScheduledUpdateGroupActionType): Record<string, never> {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  const name = input.ScheduledActionName;
  if (!name) throw asgErrors.missing('scheduledActionName');
  const startTime = toMs(input.StartTime ?? input.Time);
  const endTime = toMs(input.EndTime);
  if (startTime !== undefined && startTime < sim.now) throw validationError('Given start time is in the past');
  if (startTime !== undefined && endTime !== undefined && endTime <= startTime) throw validationError('End time must be after start time');
  if (input.MinSize === undefined && input.MaxSize === undefined && input.DesiredCapacity === undefined) {
    throw validationError('At least one of MinSize, MaxSize or DesiredCapacity must be specified.');
  }
  if (input.MinSize !== undefined && input.MaxSize !== undefined && input.MinSize > input.MaxSize) throw asgErrors.minAboveMax(input.MinSize, input.MaxSize);
  if (startTime === undefined && !input.Recurrence) throw validationError('Either StartTime or Recurrence must be specified.');
  if (input.Recurrence !== undefined && !parseCron(input.Recurrence)) throw validationError(`Given recurrence string '${input.Recurrence}' is not a valid cron expression (minute hour day-of-month month day-of-week).`);
  if (input.TimeZone !== undefined && !isTimeZone(input.TimeZone)) throw validationError(`Invalid TimeZone '${input.TimeZone}': use an IANA time zone name such as Europe/Paris.`);
  const key = groupScopedKey(group.name, name);
  const existing = region.autoscaling.scheduledActions.get(key);
  if (!existing) {
    let count = 0;
    for (const a of region.autoscaling.scheduledActions.values()) if (a.AutoScalingGroupName === group.name) count++;
    if (count >= MAX_SCHEDULED_ACTIONS_PER_GROUP) {
      throw new AwsError('LimitExceeded', `Cannot have more than ${MAX_SCHEDULED_ACTIONS_PER_GROUP} scheduled actions for one group.`);
    }
  }
  const action: ScheduledActionRecord = {
    AutoScalingGroupName: group.name,
    ScheduledActionName: name,
    ScheduledActionARN:
      existing?.ScheduledActionARN ??
      `arn:aws:autoscaling:${region.region}:${region.accountId}:scheduledUpdateGroupAction:${newUuid(sim)}:autoScalingGroupName/${group.name}:scheduledActionName/${name}`,
    StartTime: startTime,
    EndTime: endTime,
    Recurrence: input.Recurrence,
    MinSize: input.MinSize,
    MaxSize: input.MaxSize,
    DesiredCapacity: input.DesiredCapacity,
    TimeZone: input.TimeZone,
  };
  action.nextFireAt = firstFireTime(action, sim.now);
  region.autoscaling.scheduledActions.set(key, action);
  return {};
}

function renderScheduledAction(a: ScheduledActionRecord): ScheduledUpdateGroupAction {
  return {
    AutoScalingGroupName: a.AutoScalingGroupName,
    ScheduledActionName: a.ScheduledActionName,
    ScheduledActionARN: a.ScheduledActionARN,
    Time: a.StartTime !== undefined ? new Date(a.StartTime) : undefined,
    StartTime: a.StartTime !== undefined ? new Date(a.StartTime) : undefined,
    EndTime: a.EndTime !== undefined ? new Date(a.EndTime) : undefined,
    Recurrence: a.Recurrence,
    MinSize: a.MinSize,
    MaxSize: a.MaxSize,
    DesiredCapacity: a.DesiredCapacity,
    TimeZone: a.TimeZone,
  };
}

/** DescribeScheduledActions: by group and name, filtered by names and start/end time, 50 a page (max 100). */
export function describeScheduledActions(ctx: RequestContext, input: DescribeScheduledActionsType): ScheduledActionsType {
  const state = ctx.region.autoscaling;
  if (input.AutoScalingGroupName && !state.groups.has(input.AutoScalingGroupName)) throw asgErrors.groupNotFound(input.AutoScalingGroupName);
  const names = input.ScheduledActionNames?.length ? new Set(input.ScheduledActionNames) : undefined;
  const from = toMs(input.StartTime);
  const to = toMs(input.EndTime);
  const actions = [...state.scheduledActions.values()]
    .filter((a) => !input.AutoScalingGroupName || a.AutoScalingGroupName === input.AutoScalingGroupName)
    .filter((a) => !names || names.has(a.ScheduledActionName))
    .filter((a) => from === undefined || a.StartTime === undefined || a.StartTime >= from)
    .filter((a) => to === undefined || a.StartTime === undefined || a.StartTime <= to)
    .sort(byName((a) => `${a.AutoScalingGroupName}\u0000${a.ScheduledActionName}`));
  const page = paginate(actions, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 100 });
  return { ScheduledUpdateGroupActions: page.items.map(renderScheduledAction), NextToken: page.nextToken };
}

export function deleteScheduledAction(ctx: RequestContext, input: DeleteScheduledActionType): Record<string, never> {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const name = input.ScheduledActionName;
  if (!name) throw asgErrors.missing('scheduledActionName');
  if (!ctx.region.autoscaling.scheduledActions.delete(groupScopedKey(group.name, name))) throw validationError('Scheduled action name not found');
  return {};
}
