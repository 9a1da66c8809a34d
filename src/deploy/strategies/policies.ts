/**
 * Moving a group's scaling configuration — scaling policies, the CloudWatch
 * alarms that drive them, and scheduled actions — to the other group of a
 * blue/green pair (deploys.md "Blue/green"; seed 004's
 * `move_scaling_policies` / `move_scheduled_actions_from`).
 *
 * - Simple and step scaling policies are driven by alarms that name the
 *   policy's ARN in their actions (and usually the group in the metric's
 *   `AutoScalingGroupName` dimension). Moving one re-points its alarms: the
 *   policy's ARN becomes the copy's, the dimension names the other group, and
 *   an alarm whose name contains the group's name is renamed to match.
 * - Target tracking (and predictive) policies own alarms that AWS creates and
 *   deletes with them; they are copied as configuration only (a customized
 *   metric's group dimension re-pointed).
 * - Scheduled actions are copied; a one-time action whose time has passed is
 *   skipped (AWS refuses start times in the past), a recurring one loses its
 *   past start time.
 *
 * Every function is idempotent, so a deploy that died half-way through a move
 * can run it again: what was already moved is found moved.
 *
 * Policies: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html
 * Alarms: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
import type { MetricAlarm, PutMetricAlarmInput, PutScalingPolicyInput, PutScheduledUpdateGroupActionInput, ScalingPolicy, ScheduledUpdateGroupAction } from '../../aws/index.js';
import type { DeployContext } from '../engine/context.js';

export interface MoveReport {
  from: string;
  to: string;
  policies: string[];
  scheduledActions: string[];
  /** Alarms re-pointed (their names after the move). */
  alarms: string[];
  /** Scheduled actions not copied, with why. */
  skipped: string[];
}

export interface MoveOptions {
  /**
   * Copy only: the policies and actions land on `to` (without alarms) and stay
   * on `from`. Used when a deploy starts, so the new group is configured before
   * it goes live while the live group keeps scaling.
   */
  copyOnly?: boolean;
  /** Re-put policies and actions that already exist on `to` (refresh a copy). Default true. */
  overwrite?: boolean;
}

/** Policy types whose alarms AWS manages itself. */
const MANAGED_ALARM_TYPES = new Set(['TargetTrackingScaling', 'PredictiveScaling']);

/** Replaces `AutoScalingGroupName=from` dimensions anywhere in a structure (alarm, metric math, customized metric). */
export function repointDimensions<T>(value: T, from: string, to: string): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object' || node instanceof Date) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    if (out.Name === 'AutoScalingGroupName' && out.Value === from) out.Value = to;
    return out;
  };
  return walk(value) as T;
}

/** The PutScalingPolicy input that recreates `policy` on `group` (only the fields its type allows). */
export function policyInput(policy: ScalingPolicy, from: string, to: string): PutScalingPolicyInput {
  const type = policy.PolicyType ?? 'SimpleScaling';
  const input: PutScalingPolicyInput = { AutoScalingGroupName: to, PolicyName: policy.PolicyName!, PolicyType: type };
  if (policy.Enabled !== undefined) input.Enabled = policy.Enabled;
  const set = <K extends keyof PutScalingPolicyInput>(key: K, value: PutScalingPolicyInput[K] | undefined) => {
    if (value !== undefined && value !== null) input[key] = value;
  };
  switch (type) {
    case 'SimpleScaling':
      set('AdjustmentType', policy.AdjustmentType);
      set('ScalingAdjustment', policy.ScalingAdjustment);
      set('Cooldown', policy.Cooldown);
      set('MinAdjustmentMagnitude', policy.MinAdjustmentMagnitude);
      break;
    case 'StepScaling':
      set('AdjustmentType', policy.AdjustmentType);
      set('StepAdjustments', policy.StepAdjustments && structuredClone(policy.StepAdjustments));
      set('MetricAggregationType', policy.MetricAggregationType);
      set('EstimatedInstanceWarmup', policy.EstimatedInstanceWarmup);
      set('MinAdjustmentMagnitude', policy.MinAdjustmentMagnitude);
      break;
    case 'TargetTrackingScaling':
      set('TargetTrackingConfiguration', policy.TargetTrackingConfiguration && repointDimensions(policy.TargetTrackingConfiguration, from, to));
      set('EstimatedInstanceWarmup', policy.EstimatedInstanceWarmup);
      break;
    case 'PredictiveScaling':
      set('PredictiveScalingConfiguration', policy.PredictiveScalingConfiguration && repointDimensions(policy.PredictiveScalingConfiguration, from, to));
      break;
  }
  return input;
}

/** Read-only fields of a described alarm that PutMetricAlarm does not take. */
const ALARM_READ_ONLY = ['AlarmArn', 'AlarmConfigurationUpdatedTimestamp', 'StateValue', 'StateReason', 'StateReasonData', 'StateUpdatedTimestamp', 'EvaluationState', 'StateTransitionedTimestamp'];

/** An alarm's name after moving from group `from` to `to`: the group's name in it replaced. */
export function movedAlarmName(name: string, from: string, to: string): string {
  return name.includes(from) ? name.split(from).join(to) : name;
}

/** The PutMetricAlarm input of `alarm` re-pointed from one policy (and group) to the other. */
export function alarmInput(alarm: MetricAlarm, fromArn: string, toArn: string, from: string, to: string): PutMetricAlarmInput {
  const copy = structuredClone(alarm) as Record<string, unknown>;
  for (const key of ALARM_READ_ONLY) delete copy[key];
  const swap = (list: unknown) => (Array.isArray(list) ? [...new Set(list.map((a) => (a === fromArn ? toArn : a)))] : list);
  copy.AlarmActions = swap(copy.AlarmActions);
  copy.OKActions = swap(copy.OKActions);
  copy.InsufficientDataActions = swap(copy.InsufficientDataActions);
  copy.AlarmName = movedAlarmName(alarm.AlarmName!, from, to);
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  return repointDimensions(copy, from, to) as unknown as PutMetricAlarmInput;
}

/** The PutScheduledUpdateGroupAction input recreating `action` on `to`, or why it cannot be. */
export function scheduledActionInput(action: ScheduledUpdateGroupAction, to: string, now: number): PutScheduledUpdateGroupActionInput | { skip: string } {
  const start = action.StartTime ?? action.Time;
  const startMs = start === undefined ? undefined : new Date(start).getTime();
  const endMs = action.EndTime === undefined ? undefined : new Date(action.EndTime).getTime();
  const name = action.ScheduledActionName!;
  if (endMs !== undefined && endMs <= now) return { skip: `${name}: its end time has passed` };
  if (!action.Recurrence && (startMs === undefined || startMs <= now)) return { skip: `${name}: a one-time action whose time has passed` };
  const input: PutScheduledUpdateGroupActionInput = { AutoScalingGroupName: to, ScheduledActionName: name };
  // A recurring action whose first run is past keeps only its recurrence (AWS refuses past start times).
  if (startMs !== undefined && startMs > now) input.StartTime = new Date(startMs);
  if (endMs !== undefined) input.EndTime = new Date(endMs);
  if (action.Recurrence) input.Recurrence = action.Recurrence;
  if (action.MinSize !== undefined) input.MinSize = action.MinSize;
  if (action.MaxSize !== undefined) input.MaxSize = action.MaxSize;
  if (action.DesiredCapacity !== undefined) input.DesiredCapacity = action.DesiredCapacity;
  if (action.TimeZone) input.TimeZone = action.TimeZone;
  return input;
}

/** The alarms that drive a simple or step scaling policy: those it lists, and those naming its ARN in their actions. */
async function alarmsOf(ctx: DeployContext, policy: ScalingPolicy): Promise<MetricAlarm[]> {
  const byName = new Map<string, MetricAlarm>();
  for (const a of await ctx.aws.cloudwatch.describeAlarms({ actionPrefix: policy.PolicyARN! })) byName.set(a.AlarmName!, a);
  const listed = (policy.Alarms ?? []).map((a) => a.AlarmName!).filter((n) => n && !byName.has(n));
  if (listed.length > 0) for (const a of await ctx.aws.cloudwatch.describeAlarms({ names: listed })) byName.set(a.AlarmName!, a);
  const arn = policy.PolicyARN!;
  return [...byName.values()].filter((a) => [...(a.AlarmActions ?? []), ...(a.OKActions ?? []), ...(a.InsufficientDataActions ?? [])].includes(arn));
}

/**
 * Moves (or with `copyOnly` copies) the scaling policies, their alarms and the
 * scheduled actions of group `from` to group `to`.
 *
 * @example
 *   await moveScalingConfiguration(ctx, 'web-blue', 'web-green', { copyOnly: true }); // before the switch
 *   await moveScalingConfiguration(ctx, 'web-blue', 'web-green');                     // at the switch
 */
export async function moveScalingConfiguration(ctx: DeployContext, from: string, to: string, options: MoveOptions = {}): Promise<MoveReport> {
  const { autoscaling, cloudwatch } = ctx.aws;
  const overwrite = options.overwrite ?? true;
  const report: MoveReport = { from, to, policies: [], scheduledActions: [], alarms: [], skipped: [] };

  const sourcePolicies = await autoscaling.describePolicies(from);
  const targetPolicies = new Map((await autoscaling.describePolicies(to)).map((p) => [p.PolicyName!, p]));
  for (const policy of sourcePolicies) {
    const name = policy.PolicyName!;
    let targetArn = targetPolicies.get(name)?.PolicyARN;
    if (targetArn === undefined || overwrite) {
      targetArn = (await autoscaling.putScalingPolicy(policyInput(policy, from, to))).policyArn ?? targetArn;
    }
    report.policies.push(name);
    if (options.copyOnly || MANAGED_ALARM_TYPES.has(policy.PolicyType ?? '')) continue;
    if (targetArn === undefined) {
      // AWS always answers with the ARN; without it the alarms could not be re-pointed, so keep the source as it is.
      report.skipped.push(`${name}: no policy ARN for the copy on ${to}; its alarms still point at ${from}`);
      continue;
    }
    for (const alarm of await alarmsOf(ctx, policy)) {
      const input = alarmInput(alarm, policy.PolicyARN!, targetArn, from, to);
      await cloudwatch.putMetricAlarm(input);
      if (input.AlarmName !== alarm.AlarmName) await cloudwatch.deleteAlarms([alarm.AlarmName!]);
      report.alarms.push(input.AlarmName!);
    }
  }

  const now = ctx.clock.now();
  const targetActions = new Set((await autoscaling.describeScheduledActions(to)).map((a) => a.ScheduledActionName!));
  const sourceActions = await autoscaling.describeScheduledActions(from);
  for (const action of sourceActions) {
    const name = action.ScheduledActionName!;
    if (!targetActions.has(name) || overwrite) {
      const input = scheduledActionInput(action, to, now);
      if ('skip' in input) report.skipped.push(input.skip);
      else {
        await autoscaling.putScheduledUpdateGroupAction(input);
        report.scheduledActions.push(name);
      }
    } else report.scheduledActions.push(name);
  }

  if (!options.copyOnly) {
    for (const policy of sourcePolicies) await autoscaling.deletePolicy(from, policy.PolicyName!);
    for (const action of sourceActions) await autoscaling.deleteScheduledAction(from, action.ScheduledActionName!);
  }
  return report;
}

/**
 * Deletes from `holder` the copies of `owner`'s policies and scheduled actions
 * (same names), leaving `owner` untouched: undoing a `copyOnly` move.
 */
export async function removeCopies(ctx: DeployContext, owner: string, holder: string): Promise<MoveReport> {
  const { autoscaling } = ctx.aws;
  const report: MoveReport = { from: holder, to: owner, policies: [], scheduledActions: [], alarms: [], skipped: [] };
  const ownerPolicies = new Set((await autoscaling.describePolicies(owner)).map((p) => p.PolicyName!));
  for (const p of await autoscaling.describePolicies(holder)) {
    if (!ownerPolicies.has(p.PolicyName!)) continue;
    await autoscaling.deletePolicy(holder, p.PolicyName!);
    report.policies.push(p.PolicyName!);
  }
  const ownerActions = new Set((await autoscaling.describeScheduledActions(owner)).map((a) => a.ScheduledActionName!));
  for (const a of await autoscaling.describeScheduledActions(holder)) {
    if (!ownerActions.has(a.ScheduledActionName!)) continue;
    await autoscaling.deleteScheduledAction(holder, a.ScheduledActionName!);
    report.scheduledActions.push(a.ScheduledActionName!);
  }
  return report;
}
