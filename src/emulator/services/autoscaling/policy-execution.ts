/**
 * Scaling policies that act (docs/emulator-automation.md E-29): an alarm's
 * action or ExecutePolicy runs a simple, step or target tracking policy,
 * which changes the group's desired capacity; the controller then launches or
 * terminates, and the activity's Cause starts with AWS's wording, e.g.
 * "At 2026-01-01T12:05:00Z a monitor alarm cpu-high in state ALARM triggered
 * policy scale-out changing the desired capacity from 2 to 3."
 *
 * - Adjustment types and PercentChangeInCapacity rounding, MinAdjustmentMagnitude:
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html#as-scaling-adjustment
 * - Simple scaling waits for the scaling activity and then the cooldown (the
 *   policy's Cooldown, else the group's DefaultCooldown) before it answers
 *   another alarm: https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scaling-cooldowns.html
 * - Step scaling: the step whose bounds (relative to the alarm threshold)
 *   hold the breach; no cooldown, but instances still warming up count as
 *   already added, so a repeated alarm adds only what the new step asks beyond them.
 * - Target tracking: capacity × metric / target, rounded up (scale out from
 *   the AlarmHigh, scale in from the AlarmLow unless DisableScaleIn, and not
 *   while instances are still launching or terminating): https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html
 * - Nothing runs from an alarm while AlarmNotification is suspended (E-5).
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { ExecutePolicyType, StepAdjustment } from '@aws-sdk/client-auto-scaling';
import { validationError } from '../../aws-error.js';
import type { AlarmActionContext } from '../cloudwatch/alarm-actions.js';
import type { RegionState, RequestContext, Simulation } from '../../world.js';
import { causeTime, scalingActivityInProgress } from './activities.js';
import { isSuspended, requestReconcile } from './controller.js';
import { asgErrors } from './errors.js';
import { isPendingState, setDesiredCapacity } from './membership.js';
import { groupScopedKey, type AutoScalingGroupRecord, type ScalingPolicyRecord } from './state.js';

export type PolicyTrigger =
  | { kind: 'alarm'; alarmName: string; state: string; value?: number; threshold?: number }
  | { kind: 'user'; honorCooldown: boolean; metricValue?: number; breachThreshold?: number };

/** The capacity an adjustment asks for, before the group's min/max. */
export function adjustedCapacity(current: number, adjustmentType: string | undefined, adjustment: number, minAdjustmentMagnitude?: number): number {
  if (adjustmentType === 'ExactCapacity') return adjustment;
  if (adjustmentType === 'PercentChangeInCapacity') {
    const raw = (current * adjustment) / 100;
    // Between 0 and 1 → 1, between -1 and 0 → -1, otherwise towards zero (12.7 → 12, -6.67 → -6).
    let delta = raw === 0 ? 0 : Math.abs(raw) < 1 ? Math.sign(raw) : Math.trunc(raw);
    if (minAdjustmentMagnitude && delta !== 0 && Math.abs(delta) < minAdjustmentMagnitude) delta = Math.sign(delta) * minAdjustmentMagnitude;
    return current + delta;
  }
  return current + adjustment;
}

/**
 * The step for a breach of `value` over `threshold`: bounds are relative to
 * the threshold; above it the lower bound is inclusive and the upper
 * exclusive, below it the other way round (API_StepAdjustment).
 */
export function chooseStep(steps: readonly StepAdjustment[], value: number, threshold: number): StepAdjustment | undefined {
  const diff = value - threshold;
  return steps.find((s) => {
    const lo = s.MetricIntervalLowerBound ?? -Infinity;
    const hi = s.MetricIntervalUpperBound ?? Infinity;
    return diff >= 0 ? diff >= lo && diff < hi : diff > lo && diff <= hi;
  });
}

function warmingCount(group: AutoScalingGroupRecord, policy: ScalingPolicyRecord, now: number): number {
  const warmupMs = (policy.EstimatedInstanceWarmup ?? group.defaultInstanceWarmup ?? group.defaultCooldown) * 1000;
  let n = 0;
  for (const i of group.instances.values()) {
    if (isPendingState(i.lifecycleState) || (i.lifecycleState === 'InService' && i.inServiceAt !== undefined && now < i.inServiceAt + warmupMs)) n++;
  }
  return n;
}

function inCooldown(region: RegionState, group: AutoScalingGroupRecord, policy: ScalingPolicyRecord, now: number): boolean {
  if (scalingActivityInProgress(region, group.name)) return true;
  const cooldown = (policy.Cooldown ?? group.defaultCooldown) * 1000;
  return group.lastScalingActivityEnd !== undefined && now < group.lastScalingActivityEnd + cooldown;
}

/** The capacity the policy asks for now, or undefined when it asks for nothing. */
function targetCapacity(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, policy: ScalingPolicyRecord, trigger: PolicyTrigger): number | undefined {
  const from = group.desiredCapacity;
  switch (policy.PolicyType) {
    case 'SimpleScaling': {
      if (inCooldown(region, group, policy, sim.now)) {
        if (trigger.kind === 'alarm') return undefined;
        if (trigger.honorCooldown) throw asgErrors.activityInProgress(scalingActivityInProgress(region, group.name)?.ActivityId ?? 'cooldown');
      }
      return adjustedCapacity(from, policy.AdjustmentType, policy.ScalingAdjustment ?? 0, policy.MinAdjustmentMagnitude ?? policy.MinAdjustmentStep);
    }
    case 'StepScaling': {
      const value = trigger.kind === 'alarm' ? trigger.value : trigger.metricValue;
      const threshold = trigger.kind === 'alarm' ? trigger.threshold : trigger.breachThreshold;
      if (value === undefined || threshold === undefined) return undefined;
      const step = chooseStep(policy.StepAdjustments ?? [], value, threshold);
      if (!step) return undefined;
      const adjustment = step.ScalingAdjustment ?? 0;
      if (adjustment > 0 && policy.AdjustmentType !== 'ExactCapacity') {
        const warming = warmingCount(group, policy, sim.now);
        return Math.max(from, adjustedCapacity(from - warming, policy.AdjustmentType, adjustment, policy.MinAdjustmentMagnitude) );
      }
      return adjustedCapacity(from, policy.AdjustmentType, adjustment, policy.MinAdjustmentMagnitude);
    }
    case 'TargetTrackingScaling': {
      if (trigger.kind !== 'alarm' || trigger.value === undefined) return undefined;
      const target = policy.TargetTrackingConfiguration?.TargetValue;
      if (!target || target <= 0) return undefined;
      let inService = 0;
      let launching = 0;
      for (const i of group.instances.values()) {
        if (i.lifecycleState === 'InService') inService++;
        else if (isPendingState(i.lifecycleState)) launching++;
      }
      if (inService === 0) return undefined;
      const wanted = Math.ceil((inService * trigger.value) / target - 1e-9);
      if (trigger.alarmName.includes('-AlarmHigh-')) return Math.max(from, wanted);
      // Scale in gradually: not while instances launch or a launch/termination is still running (their
      // still-running, unloaded instances would pull the average down and ask for too deep a cut).
      if (policy.TargetTrackingConfiguration?.DisableScaleIn || launching > 0 || scalingActivityInProgress(region, group.name)) return undefined;
      return Math.min(from, wanted);
    }
    default:
      return undefined; // PredictiveScaling: stored only
  }
}

/**
 * Runs a policy; true when it changed the desired capacity. The cause is kept
 * on the group for the launch/termination activities that follow.
 */
export function executeScalingPolicy(sim: Simulation, region: RegionState, policy: ScalingPolicyRecord, trigger: PolicyTrigger): boolean {
  const group = region.autoscaling.groups.get(policy.AutoScalingGroupName);
  if (!group || group.deleting || !policy.Enabled) return false;
  if (trigger.kind === 'alarm' && isSuspended(group, 'AlarmNotification')) return false;
  const wanted = targetCapacity(sim, region, group, policy, trigger);
  if (wanted === undefined) return false;
  const from = group.desiredCapacity;
  const to = Math.min(group.maxSize, Math.max(group.minSize, wanted));
  if (to === from) return false;
  setDesiredCapacity(sim, region, group, to);
  const who =
    trigger.kind === 'alarm'
      ? `a monitor alarm ${trigger.alarmName} in state ${trigger.state} triggered policy ${policy.PolicyName}`
      : `a user request executed policy ${policy.PolicyName}`;
  group.capacityCause = `At ${causeTime(sim.now)} ${who} changing the desired capacity from ${from} to ${to}.`;
  requestReconcile(sim, region, group, 0);
  return true;
}

function findPolicyByArn(region: RegionState, arn: string): ScalingPolicyRecord | undefined {
  for (const p of region.autoscaling.policies.values()) if (p.PolicyARN === arn) return p;
  return undefined;
}

/** The alarm-action runner Auto Scaling registers with CloudWatch (E-28): policy ARNs run their policy. */
export function runPolicyFromAlarm(sim: Simulation, region: RegionState, actionArn: string, alarm: MetricAlarm, context: AlarmActionContext): boolean {
  if (!/^arn:aws[a-z-]*:autoscaling:[^:]*:[^:]*:scalingPolicy:/.test(actionArn)) return false;
  const policy = findPolicyByArn(region, actionArn);
  if (!policy) return false;
  executeScalingPolicy(sim, region, policy, { kind: 'alarm', alarmName: alarm.AlarmName!, state: context.state, value: context.value, threshold: alarm.Threshold });
  return true;
}

/**
 * ExecutePolicy (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_ExecutePolicy.html):
 * simple and step policies; step policies need MetricValue and BreachThreshold.
 */
export function executePolicy(ctx: RequestContext, input: ExecutePolicyType): Record<string, never> {
  const { sim, region } = ctx;
  const ref = input.PolicyName;
  if (!ref) throw asgErrors.missing('policyName');
  const policy = ref.startsWith('arn:')
    ? findPolicyByArn(region, ref)
    : input.AutoScalingGroupName
      ? region.autoscaling.policies.get(groupScopedKey(input.AutoScalingGroupName, ref))
      : undefined;
  if (!policy) throw validationError(`Policy ${ref} does not exist`);
  if (policy.PolicyType === 'TargetTrackingScaling' || policy.PolicyType === 'PredictiveScaling') {
    throw validationError(`ExecutePolicy is not supported for policy type ${policy.PolicyType}: only SimpleScaling and StepScaling policies can be executed.`);
  }
  if (policy.PolicyType === 'StepScaling' && (input.MetricValue === undefined || input.BreachThreshold === undefined)) {
    throw validationError('MetricValue and BreachThreshold are required when executing a StepScaling policy.');
  }
  executeScalingPolicy(sim, region, policy, {
    kind: 'user',
    honorCooldown: input.HonorCooldown ?? false,
    metricValue: input.MetricValue,
    breachThreshold: input.BreachThreshold,
  });
  return {};
}
