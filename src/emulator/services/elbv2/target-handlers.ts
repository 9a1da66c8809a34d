/**
 * Targets and their health: RegisterTargets, DeregisterTargets,
 * DescribeTargetHealth (E-1, E-18). The states themselves move in
 * health-checks.ts.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RegisterTargets.html
 */
import type {
  DeregisterTargetsInput,
  DeregisterTargetsOutput,
  DescribeTargetHealthInput,
  DescribeTargetHealthOutput,
  RegisterTargetsInput,
  RegisterTargetsOutput,
  TargetDescription,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsError, validationError } from '../../aws-error.js';
import type { RegionState, RequestContext } from '../../world.js';
import { findInstance } from '../ec2/index.js';
import { deregisterTarget, NOT_REGISTERED, registerTarget, type ReportedHealth } from './health-checks.js';
import { targetKey, type Target, type TargetGroup } from './state.js';
import { requireTargetGroup } from './target-group-handlers.js';
import { integerInRange, required } from './validation.js';

function invalidTargets(): AwsError {
  return new AwsError('InvalidTarget', 'The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.');
}

/** `Targets` as (id, port) pairs, the port defaulting to the group's. */
function targetsOf(tg: TargetGroup, targets: TargetDescription[] | undefined): { id: string; port: number; portGiven: boolean }[] {
  const list = required(targets, 'Targets');
  if (list.length === 0) throw validationError('1 validation error detected: Value \'[]\' at \'targets\' failed to satisfy constraint: Member must have length greater than or equal to 1');
  return list.map((t) => ({
    id: required(t.Id, 'Targets.member.Id'),
    port: integerInRange(t.Port, 'Port', 1, 65535) ?? tg.port,
    portGiven: t.Port !== undefined,
  }));
}

/**
 * Instances must exist in the group's VPC and be running when registered
 * ("If the target is an EC2 instance, it must be in the running state when you
 * register it"). All are checked before any is registered.
 */
export function registerTargets(ctx: RequestContext, input: RegisterTargetsInput): RegisterTargetsOutput {
  const { sim, region } = ctx;
  const tg = requireTargetGroup(region, input.TargetGroupArn);
  const targets = targetsOf(tg, input.Targets);
  const notRunning: string[] = [];
  for (const { id } of targets) {
    const instance = findInstance(region, id);
    if (!instance || instance.state === 'terminated' || instance.vpcId !== tg.vpcId) throw invalidTargets();
    if (instance.state !== 'running') notRunning.push(id);
  }
  if (notRunning.length > 0) {
    throw new AwsError('InvalidTarget', `The following targets are not in a running state and cannot be registered: ${notRunning.map((id) => `'${id}'`).join(', ')}`);
  }
  for (const { id, port } of targets) registerTarget(sim, region, tg, id, port);
  return {};
}

/** Deregistering starts draining; a target that is not registered (or already draining) is left alone. */
export function deregisterTargets(ctx: RequestContext, input: DeregisterTargetsInput): DeregisterTargetsOutput {
  const { sim, region } = ctx;
  const tg = requireTargetGroup(region, input.TargetGroupArn);
  const targets = targetsOf(tg, input.Targets);
  for (const { id, port } of targets) {
    if (!tg.targets.has(targetKey(id, port)) && !findInstance(region, id)) throw invalidTargets();
  }
  for (const { id, port } of targets) {
    const target = tg.targets.get(targetKey(id, port));
    if (target) deregisterTarget(sim, region, tg, target);
  }
  return {};
}

function healthCheckPortOf(tg: TargetGroup, port: number): string {
  return tg.healthCheck.port === 'traffic-port' ? String(port) : tg.healthCheck.port;
}

function describeHealth(tg: TargetGroup, id: string, port: number, health: ReportedHealth): TargetHealthDescription {
  return {
    Target: { Id: id, Port: port },
    HealthCheckPort: healthCheckPortOf(tg, port),
    TargetHealth: {
      State: health.state,
      Reason: health.reason as NonNullable<TargetHealthDescription['TargetHealth']>['Reason'],
      Description: health.description,
    },
  };
}

function describeTarget(tg: TargetGroup, target: Target): TargetHealthDescription {
  return describeHealth(tg, target.id, target.port, target);
}

/** The registrations of `id` in `tg` (on `port`, or on any port when none was asked for). */
function registrationsOf(tg: TargetGroup, id: string, port: number, portGiven: boolean): Target[] {
  if (portGiven) {
    const target = tg.targets.get(targetKey(id, port));
    return target ? [target] : [];
  }
  return [...tg.targets.values()].filter((t) => t.id === id);
}

/**
 * Without `Targets`: every registered target (draining ones included). With
 * `Targets`: each one asked for, `unused`/`Target.NotRegistered` when it is
 * not registered.
 */
export function describeTargetHealth(ctx: RequestContext, input: DescribeTargetHealthInput): DescribeTargetHealthOutput {
  const { region } = ctx;
  const tg = requireTargetGroup(region, input.TargetGroupArn);
  if (!input.Targets || input.Targets.length === 0) {
    return { TargetHealthDescriptions: [...tg.targets.values()].map((t) => describeTarget(tg, t)) };
  }
  const descriptions: TargetHealthDescription[] = [];
  for (const { id, port, portGiven } of targetsOf(tg, input.Targets)) {
    const registered = registrationsOf(tg, id, port, portGiven);
    if (registered.length > 0) {
      for (const t of registered) descriptions.push(describeTarget(tg, t));
    } else {
      if (!instanceKnown(region, id)) throw invalidTargets();
      descriptions.push(describeHealth(tg, id, port, NOT_REGISTERED));
    }
  }
  return { TargetHealthDescriptions: descriptions };
}

function instanceKnown(region: RegionState, id: string): boolean {
  return findInstance(region, id) !== undefined;
}
