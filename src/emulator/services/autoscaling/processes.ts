/**
 * SuspendProcesses / ResumeProcesses / DescribeScalingProcessTypes (E-5).
 * No list means every process. The controller consults the suspended set at
 * every step (launch, scale-in, health checks, replacement, registration).
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-suspend-resume-processes.html
 */
import type { ProcessesType, ScalingProcessQuery } from '@aws-sdk/client-auto-scaling';
import { validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { causeTime } from './activities.js';
import { requestReconcile } from './controller.js';
import { requireActiveGroup } from './lookup.js';
import { recordGroupChange } from './membership.js';
import { SCALING_PROCESSES, type ScalingProcess } from './state.js';

function processesOf(input: ScalingProcessQuery): ScalingProcess[] {
  const names = input.ScalingProcesses;
  if (!names?.length) return [...SCALING_PROCESSES];
  for (const name of names) {
    if (!(SCALING_PROCESSES as readonly string[]).includes(name)) {
      throw validationError(`Unknown scaling process ${name}. Valid processes are ${SCALING_PROCESSES.join(', ')}.`);
    }
  }
  return [...new Set(names)] as ScalingProcess[];
}

function suspendedList(suspended: Map<string, string>): string[] {
  return [...suspended.keys()].sort();
}

export function suspendProcesses(ctx: RequestContext, input: ScalingProcessQuery): Record<string, never> {
  const group = requireActiveGroup(ctx.region, input.AutoScalingGroupName);
  const processes = processesOf(input);
  const before = suspendedList(group.suspendedProcesses);
  const reason = `User suspended at ${causeTime(ctx.sim.now)}`;
  for (const process of processes) if (!group.suspendedProcesses.has(process)) group.suspendedProcesses.set(process, reason);
  recordGroupChange(ctx.sim, ctx.region, group.name, 'SuspendedProcesses', before, suspendedList(group.suspendedProcesses));
  return {};
}

export function resumeProcesses(ctx: RequestContext, input: ScalingProcessQuery): Record<string, never> {
  const group = requireActiveGroup(ctx.region, input.AutoScalingGroupName);
  const processes = processesOf(input);
  const before = suspendedList(group.suspendedProcesses);
  for (const process of processes) group.suspendedProcesses.delete(process);
  recordGroupChange(ctx.sim, ctx.region, group.name, 'SuspendedProcesses', before, suspendedList(group.suspendedProcesses));
  // Whatever was held back (launches, scale-in, health checks, replacements) happens now.
  requestReconcile(ctx.sim, ctx.region, group);
  return {};
}

export function describeScalingProcessTypes(): ProcessesType {
  return { Processes: SCALING_PROCESSES.map((ProcessName) => ({ ProcessName })) };
}
