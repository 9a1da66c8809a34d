/**
 * The emulator's Elastic Load Balancing v2 service: its API handlers, its
 * reaction to instance state changes, and the functions Auto Scaling calls to
 * register and watch its instances in target groups (E-1, E-6, E-18).
 */
import { AwsError } from '../../aws-error.js';
import type { Handler, RegionState, ServiceHandlers, Simulation } from '../../world.js';
import { deregisterTarget, onInstanceStateChange, registerTarget, rehydrateTargetGroup } from './health-checks.js';
import {
  createListener,
  createLoadBalancer,
  deleteListener,
  deleteLoadBalancer,
  describeListeners,
  describeLoadBalancerAttributes,
  describeLoadBalancers,
  rehydrateLoadBalancer,
} from './load-balancer-handlers.js';
import { targetKey, type Target, type TargetGroup, type TargetHealthState } from './state.js';
import { describeRules } from './rule-handlers.js';
import { addTagsHandler, describeTags, removeTags } from './tag-handlers.js';
import {
  createTargetGroup,
  deleteTargetGroup,
  describeTargetGroupAttributes,
  describeTargetGroups,
  loadBalancerArnsOf,
  modifyTargetGroup,
  modifyTargetGroupAttributes,
  targetGroupNotFound,
} from './target-group-handlers.js';
import { deregisterTargets, describeTargetHealth, registerTargets } from './target-handlers.js';
import { resourceKindOf } from './validation.js';

export { LOAD_BALANCER_PROVISIONING_SECONDS } from './load-balancer-handlers.js';
export type { Elbv2State, TargetHealthState } from './state.js';

const operations: Record<string, Handler> = {
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  ModifyTargetGroup: modifyTargetGroup,
  DeleteTargetGroup: deleteTargetGroup,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
  RegisterTargets: registerTargets,
  DeregisterTargets: deregisterTargets,
  DescribeTargetHealth: describeTargetHealth,
  CreateLoadBalancer: createLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
  DeleteLoadBalancer: deleteLoadBalancer,
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  DeleteListener: deleteListener,
  DescribeTags: describeTags,
  AddTags: addTagsHandler,
  RemoveTags: removeTags,
  DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
  DescribeRules: describeRules,
};

/** Operation name → handler, for the HTTP adapter (emulator.ts); a request without members gets `{}`. */
export const elbv2Handlers: ServiceHandlers = Object.freeze(
  Object.fromEntries(Object.entries(operations).map(([name, handler]): [string, Handler] => [name, (ctx, input) => handler(ctx, input ?? {})])),
);

/**
 * Starts the service on a simulation: targets follow their instances' EC2
 * state (a stopped instance's target is `unused`, a terminated one's is
 * deregistered, a running one's is checked).
 */
export function startElbv2(sim: Simulation): void {
  sim.history.subscribe((entry) => {
    if (entry.type !== 'instance') return;
    const region = sim.allRegions().find((r) => r.region === entry.region);
    if (region) onInstanceStateChange(sim, region, entry.instanceId, entry.to);
  });
}

/** The group an ARN names: ValidationError when malformed, TargetGroupNotFound when missing. */
function targetGroupFor(region: RegionState, targetGroupArn: string): TargetGroup {
  if (resourceKindOf(targetGroupArn) !== 'target group') {
    throw new AwsError('ValidationError', `'${targetGroupArn}' is not a valid target group ARN`);
  }
  const tg = region.elbv2.targetGroups.get(targetGroupArn);
  if (!tg) throw targetGroupNotFound();
  return tg;
}

/**
 * Registers an instance on the group's port (as Auto Scaling does for its
 * group's target groups). Already registered and not draining: nothing
 * changes; draining: back to `initial`.
 *
 * @example
 * registerInstance(sim, region, tgArn, 'i-0abc…'); // DescribeTargetHealth: initial, Elb.RegistrationInProgress
 */
export function registerInstance(sim: Simulation, region: RegionState, targetGroupArn: string, instanceId: string): void {
  const tg = targetGroupFor(region, targetGroupArn);
  registerTarget(sim, region, tg, instanceId, tg.port);
}

/** The instance's registration on the group's port, else any of its registrations. */
function registrationOf(tg: TargetGroup, instanceId: string): Target | undefined {
  const onGroupPort = tg.targets.get(targetKey(instanceId, tg.port));
  if (onGroupPort) return onGroupPort;
  for (const target of tg.targets.values()) if (target.id === instanceId) return target;
  return undefined;
}

/** Starts deregistration (draining, then gone after the deregistration delay). No-op when not registered. */
export function deregisterInstance(sim: Simulation, region: RegionState, targetGroupArn: string, instanceId: string): void {
  const tg = region.elbv2.targetGroups.get(targetGroupArn);
  const target = tg && registrationOf(tg, instanceId);
  if (tg && target) deregisterTarget(sim, region, tg, target);
}

/** The target's current state, or undefined when not registered (or fully drained). */
export function targetState(region: RegionState, targetGroupArn: string, instanceId: string): TargetHealthState | undefined {
  const tg = region.elbv2.targetGroups.get(targetGroupArn);
  return tg && registrationOf(tg, instanceId)?.state;
}

export function targetGroupExists(region: RegionState, targetGroupArn: string): boolean {
  return region.elbv2.targetGroups.has(targetGroupArn);
}

/** A JSON-able summary of the region's load balancers and target groups, for the admin state dump (E-20). */
export function dumpElbv2State(region: RegionState): unknown {
  const { elbv2 } = region;
  return {
    loadBalancers: [...elbv2.loadBalancers.values()].map((lb) => ({
      arn: lb.arn,
      name: lb.name,
      type: lb.type,
      scheme: lb.scheme,
      state: lb.state,
      dnsName: lb.dnsName,
      availabilityZones: lb.availabilityZones.map((az) => az.zoneName),
      listeners: [...lb.listenerArns].map((arn) => {
        const listener = elbv2.listeners.get(arn);
        return { arn, port: listener?.port, protocol: listener?.protocol, targetGroupArns: listener?.targetGroupArns ?? [] };
      }),
    })),
    targetGroups: [...elbv2.targetGroups.values()].map((tg) => ({
      arn: tg.arn,
      name: tg.name,
      protocol: tg.protocol,
      port: tg.port,
      vpcId: tg.vpcId,
      loadBalancerArns: loadBalancerArnsOf(region, tg),
      healthCheck: tg.healthCheck,
      attributes: Object.fromEntries(tg.attributes),
      targets: [...tg.targets.values()].map((t) => ({
        id: t.id,
        port: t.port,
        state: t.state,
        reason: t.reason,
        registeredAt: new Date(t.registeredAt).toISOString(),
        ...(t.drainingUntil !== undefined ? { drainingUntil: new Date(t.drainingUntil).toISOString() } : {}),
        ...(t.nextCheck ? { nextCheckAt: new Date(t.nextCheck.at).toISOString() } : {}),
      })),
    })),
    tags: Object.fromEntries([...elbv2.tags].map(([arn, tags]) => [arn, Object.fromEntries(tags)])),
  };
}

/** After a state file is loaded (E-23): health checks, draining and load balancer activation are armed again when they were due. */
export function rehydrateElbv2(sim: Simulation, region: RegionState): void {
  for (const tg of region.elbv2.targetGroups.values()) rehydrateTargetGroup(sim, region, tg);
  for (const lb of region.elbv2.loadBalancers.values()) rehydrateLoadBalancer(sim, region, lb);
}
