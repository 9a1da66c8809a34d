/**
 * Lifecycle hooks (E-14): PutLifecycleHook, DescribeLifecycleHooks,
 * DeleteLifecycleHook, CompleteLifecycleAction,
 * RecordLifecycleActionHeartbeat, DescribeLifecycleHookTypes. The waiting
 * itself (Pending:Wait, Terminating:Wait, timeouts) is the controller's.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html
 */
import type {
  CompleteLifecycleActionType,
  DeleteLifecycleHookType,
  DescribeLifecycleHooksAnswer,
  DescribeLifecycleHooksType,
  DescribeLifecycleHookTypesAnswer,
  LifecycleHook,
  LifecycleHookSpecification,
  PutLifecycleHookType,
  RecordLifecycleActionHeartbeatType,
} from '@aws-sdk/client-auto-scaling';
import { AwsError, validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { completeLifecycleWait, extendLifecycleWait, findLifecycleWait } from './controller.js';
import { asgErrors } from './errors.js';
import { requireActiveGroup, requireGroup } from './lookup.js';
import { LAUNCHING_TRANSITION, TERMINATING_TRANSITION, type AutoScalingGroupRecord, type LifecycleHookRecord } from './state.js';

export const MAX_HOOKS_PER_GROUP = 50;
const DEFAULT_HEARTBEAT_TIMEOUT = 3600;
/** GlobalTimeout: 100 × HeartbeatTimeout or 48 hours, whichever is less. */
const MAX_GLOBAL_TIMEOUT = 172_800;

function isTransition(value: string | undefined): value is LifecycleHookRecord['LifecycleTransition'] {
  return value === LAUNCHING_TRANSITION || value === TERMINATING_TRANSITION;
}

/**
 * The hook a Put (or a group's LifecycleHookSpecificationList) makes: the
 * existing one updated, or a new one. Validates; stores nothing.
 */
export function putHook(
  group: AutoScalingGroupRecord,
  spec: PutLifecycleHookType | (LifecycleHookSpecification & { AutoScalingGroupName: string }),
  creatingGroup = false,
): LifecycleHookRecord {
  const name = spec.LifecycleHookName;
  if (!name) throw asgErrors.missing('lifecycleHookName');
  const existing = creatingGroup ? undefined : group.lifecycleHooks.get(name);
  const transition = spec.LifecycleTransition ?? existing?.LifecycleTransition;
  if (!transition) throw validationError('LifecycleTransition is required when creating a lifecycle hook.');
  if (!isTransition(transition)) {
    throw validationError(`Invalid Lifecycle Transition: ${transition}. Valid values are ${LAUNCHING_TRANSITION} and ${TERMINATING_TRANSITION}.`);
  }
  const heartbeat = spec.HeartbeatTimeout ?? existing?.HeartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT;
  if (heartbeat < 30 || heartbeat > 7200) throw validationError(`Heartbeat timeout ${heartbeat} must be between 30 and 7200 seconds.`);
  const defaultResult = spec.DefaultResult ?? existing?.DefaultResult ?? 'ABANDON';
  if (defaultResult !== 'CONTINUE' && defaultResult !== 'ABANDON') {
    throw validationError(`Invalid DefaultResult: ${defaultResult}. Valid values are CONTINUE and ABANDON.`);
  }
  if (!existing && group.lifecycleHooks.size >= MAX_HOOKS_PER_GROUP) {
    throw new AwsError('LimitExceeded', `Cannot have more than ${MAX_HOOKS_PER_GROUP} lifecycle hooks for one group.`);
  }
  return {
    LifecycleHookName: name,
    AutoScalingGroupName: group.name,
    LifecycleTransition: transition,
    NotificationTargetARN: spec.NotificationTargetARN ?? existing?.NotificationTargetARN,
    RoleARN: spec.RoleARN ?? existing?.RoleARN,
    NotificationMetadata: spec.NotificationMetadata ?? existing?.NotificationMetadata,
    HeartbeatTimeout: heartbeat,
    GlobalTimeout: Math.min(100 * heartbeat, MAX_GLOBAL_TIMEOUT),
    DefaultResult: defaultResult,
  };
}

export function putLifecycleHook(ctx: RequestContext, input: PutLifecycleHookType): Record<string, never> {
  const group = requireActiveGroup(ctx.region, input.AutoScalingGroupName);
  const hook = putHook(group, input);
  group.lifecycleHooks.set(hook.LifecycleHookName, hook);
  return {};
}

function renderHook(hook: LifecycleHookRecord): LifecycleHook {
  return { ...hook };
}

export function describeLifecycleHooks(ctx: RequestContext, input: DescribeLifecycleHooksType): DescribeLifecycleHooksAnswer {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const names = input.LifecycleHookNames;
  const hooks = [...group.lifecycleHooks.values()].filter((h) => !names?.length || names.includes(h.LifecycleHookName));
  return { LifecycleHooks: hooks.map(renderHook) };
}

/**
 * "If there are any outstanding lifecycle actions, they are completed first
 * (ABANDON for launching instances, CONTINUE for terminating instances)."
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteLifecycleHook.html
 */
export function deleteLifecycleHook(ctx: RequestContext, input: DeleteLifecycleHookType): Record<string, never> {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const name = input.LifecycleHookName;
  if (!name) throw asgErrors.missing('lifecycleHookName');
  const hook = group.lifecycleHooks.get(name);
  if (!hook) throw validationError(`No Lifecycle Hook found with name ${name} for group ${group.name}`);
  group.lifecycleHooks.delete(name);
  const result = hook.LifecycleTransition === LAUNCHING_TRANSITION ? 'ABANDON' : 'CONTINUE';
  for (const instance of [...group.instances.values()]) {
    if (instance.lifecycleAction?.waits.has(name)) completeLifecycleWait(ctx.sim, ctx.region, group, instance, name, result, 'hook-deleted');
  }
  return {};
}

export function completeLifecycleAction(ctx: RequestContext, input: CompleteLifecycleActionType): Record<string, never> {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  if (!input.LifecycleHookName) throw asgErrors.missing('lifecycleHookName');
  const result = input.LifecycleActionResult;
  if (result !== 'CONTINUE' && result !== 'ABANDON') {
    if (!result) throw asgErrors.missing('lifecycleActionResult');
    throw validationError(`Invalid LifecycleActionResult: ${result}. Valid values are CONTINUE and ABANDON.`);
  }
  if (!input.InstanceId && !input.LifecycleActionToken) throw validationError('Either InstanceId or LifecycleActionToken must be specified.');
  const found = findLifecycleWait(group, input.LifecycleHookName, input.InstanceId, input.LifecycleActionToken);
  if (!found) throw asgErrors.noActiveLifecycleAction(input.InstanceId, input.LifecycleActionToken);
  completeLifecycleWait(ctx.sim, ctx.region, group, found.instance, input.LifecycleHookName, result, 'call');
  return {};
}

export function recordLifecycleActionHeartbeat(ctx: RequestContext, input: RecordLifecycleActionHeartbeatType): Record<string, never> {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  if (!input.LifecycleHookName) throw asgErrors.missing('lifecycleHookName');
  if (!input.InstanceId && !input.LifecycleActionToken) throw validationError('Either InstanceId or LifecycleActionToken must be specified.');
  const found = findLifecycleWait(group, input.LifecycleHookName, input.InstanceId, input.LifecycleActionToken);
  if (!found) throw asgErrors.noActiveLifecycleAction(input.InstanceId, input.LifecycleActionToken);
  extendLifecycleWait(ctx.sim, ctx.region, group, found.instance, input.LifecycleHookName);
  return {};
}

export function describeLifecycleHookTypes(): DescribeLifecycleHookTypesAnswer {
  return { LifecycleHookTypes: [LAUNCHING_TRANSITION, TERMINATING_TRANSITION] };
}
