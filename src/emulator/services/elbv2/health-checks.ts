/**
 * Target health on the simulated clock (E-1, E-18).
 *
 * Each target that is being checked has exactly one queued event, its next
 * health check, `HealthCheckIntervalSeconds` after the previous one; whether a
 * check passes is the EC2 service's call (`answersHealthCheck`: readiness,
 * `emulator:health`, AZ outages, E-19). The verdict moves as AWS documents it:
 * `initial` → `healthy` after `HealthyThresholdCount` consecutive passes,
 * → `unhealthy` after `UnhealthyThresholdCount` consecutive failures, and back.
 *
 * What DescribeTargetHealth reports is the verdict unless something overrides
 * it (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html):
 * `draining` while deregistering, `unused`/`Target.InvalidState` when the
 * instance is not running, `unused`/`Target.NotInUse` when no listener forwards
 * to the group or the instance's zone is not enabled on its load balancer.
 * Checks run only while nothing overrides the verdict; when they stop the
 * verdict goes back to `initial`, so a target that comes back into use starts
 * over, as on AWS. Every change of the reported state is recorded in the
 * history (type 'target'), which is how Auto Scaling hears of it (E-6).
 */
import type { RegionState, Simulation } from '../../world.js';
import { answersHealthCheck, findInstance } from '../ec2/index.js';
import { targetKey, type Target, type TargetGroup, type TargetHealthState } from './state.js';

export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

/** A reported health: `TargetHealth` { State, Reason, Description }. */
export interface ReportedHealth {
  state: TargetHealthState;
  reason?: string;
  description?: string;
}

const DRAINING: ReportedHealth = { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' };
const NOT_IN_USE: ReportedHealth = { state: 'unused', reason: 'Target.NotInUse', description: 'Target group is not configured to receive traffic from the load balancer' };
const ZONE_NOT_ENABLED: ReportedHealth = { state: 'unused', reason: 'Target.NotInUse', description: 'Target is in an Availability Zone that is not enabled for the load balancer' };
const REGISTERING: ReportedHealth = { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' };
const INITIAL_CHECKING: ReportedHealth = { state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' };
const FAILED_CHECKS = { reason: 'Target.FailedHealthChecks', description: 'Health checks failed' };
const TIMED_OUT = { reason: 'Target.Timeout', description: 'Request timed out' };
export const NOT_REGISTERED: ReportedHealth = { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' };

/** A target group is in use while a listener forwards to it. */
export function isInUse(tg: TargetGroup): boolean {
  return tg.listenerArns.size > 0;
}

/** The zones enabled on the load balancers whose listeners forward to `tg`. */
function enabledZones(region: RegionState, tg: TargetGroup): Set<string> {
  const zones = new Set<string>();
  for (const listenerArn of tg.listenerArns) {
    const listener = region.elbv2.listeners.get(listenerArn);
    const lb = listener && region.elbv2.loadBalancers.get(listener.loadBalancerArn);
    for (const az of lb?.availabilityZones ?? []) zones.add(az.zoneName);
  }
  return zones;
}

/**
 * The reported health when something other than the checks decides it, or
 * undefined when the target is being checked. `instanceState` overrides the
 * EC2 service's view (for the instance change being recorded right now).
 */
function overriddenHealth(region: RegionState, tg: TargetGroup, target: Target, instanceState?: string): ReportedHealth | undefined {
  if (target.drainingUntil !== undefined) return DRAINING;
  const instance = findInstance(region, target.id);
  // An instance EC2 no longer knows is as good as terminated.
  const state = instanceState ?? instance?.state ?? 'terminated';
  if (state !== 'running' && state !== 'pending') {
    return { state: 'unused', reason: 'Target.InvalidState', description: `Target is in the ${state} state` };
  }
  if (!isInUse(tg)) return NOT_IN_USE;
  const zone = instance?.availabilityZone;
  if (zone && !enabledZones(region, tg).has(zone)) return ZONE_NOT_ENABLED;
  // Registered before it was running (Auto Scaling may do so): checks start when it runs.
  if (state === 'pending') return REGISTERING;
  return undefined;
}

function healthFromVerdict(target: Target): ReportedHealth {
  switch (target.verdict) {
    case 'healthy':
      return { state: 'healthy' };
    case 'unhealthy':
      return { state: 'unhealthy', ...(target.failure ?? FAILED_CHECKS) };
    default:
      return target.checked ? INITIAL_CHECKING : REGISTERING;
  }
}

/** Sets the reported health and records a change of state in the history. */
function report(sim: Simulation, region: RegionState, target: Target, next: ReportedHealth, from: TargetHealthState | null): void {
  target.state = next.state;
  target.reason = next.reason;
  target.description = next.description;
  if (from !== next.state) {
    sim.history.record({
      t: sim.now,
      type: 'target',
      region: region.region,
      targetGroupArn: target.targetGroupArn,
      instanceId: target.id,
      from,
      to: next.state,
      ...(next.reason ? { reason: next.reason } : {}),
    });
  }
}

/** Stops checking and forgets the verdict: checking starts over from `initial`. */
function stopChecking(sim: Simulation, target: Target): void {
  sim.scheduler.cancel(target.nextCheck);
  target.nextCheck = undefined;
  target.verdict = 'initial';
  target.checked = false;
  target.failure = undefined;
  target.consecutivePasses = 0;
  target.consecutiveFailures = 0;
}

function scheduleCheck(sim: Simulation, region: RegionState, tg: TargetGroup, target: Target): void {
  const delayMs = tg.healthCheck.intervalSeconds * 1000;
  target.nextCheck = sim.scheduler.after(delayMs, 'elbv2 health check', () => runCheck(sim, region, tg, target));
}

function isCurrent(region: RegionState, tg: TargetGroup, target: Target): boolean {
  return region.elbv2.targetGroups.get(tg.arn) === tg && tg.targets.get(targetKey(target.id, target.port)) === target;
}

function runCheck(sim: Simulation, region: RegionState, tg: TargetGroup, target: Target): void {
  target.nextCheck = undefined;
  if (!isCurrent(region, tg, target)) return;
  if (overriddenHealth(region, tg, target)) return syncTarget(sim, region, tg, target);
  const { healthyThresholdCount, unhealthyThresholdCount } = tg.healthCheck;
  target.checked = true;
  if (answersHealthCheck(sim, region, target.id)) {
    target.consecutivePasses += 1;
    target.consecutiveFailures = 0;
    if (target.verdict !== 'healthy' && target.consecutivePasses >= healthyThresholdCount) {
      target.verdict = 'healthy';
      target.failure = undefined;
    }
  } else {
    target.consecutiveFailures += 1;
    target.consecutivePasses = 0;
    const zone = findInstance(region, target.id)?.availabilityZone;
    target.failure = zone && sim.faults.azOutages.has(zone) ? TIMED_OUT : FAILED_CHECKS;
    if (target.verdict !== 'unhealthy' && target.consecutiveFailures >= unhealthyThresholdCount) target.verdict = 'unhealthy';
  }
  scheduleCheck(sim, region, tg, target);
  report(sim, region, target, healthFromVerdict(target), target.state);
}

/**
 * Brings a target's checking and reported health in line with the world:
 * starts or stops its health checks and records any change of state. Call it
 * after anything that may change what overrides the verdict (registration,
 * listeners, instance state).
 */
export function syncTarget(sim: Simulation, region: RegionState, tg: TargetGroup, target: Target, instanceState?: string, from: TargetHealthState | null = target.state): void {
  const overridden = overriddenHealth(region, tg, target, instanceState);
  if (overridden) {
    if (target.nextCheck || target.checked || target.verdict !== 'initial') stopChecking(sim, target);
  } else if (!target.nextCheck) {
    scheduleCheck(sim, region, tg, target);
  }
  report(sim, region, target, overridden ?? healthFromVerdict(target), from);
}

/** Re-evaluates every target of a group (a listener now forwards to it, or no longer does). */
export function syncTargetGroup(sim: Simulation, region: RegionState, tg: TargetGroup): void {
  for (const target of tg.targets.values()) syncTarget(sim, region, tg, target);
}

function indexTarget(region: RegionState, target: Target): void {
  let set = region.elbv2.targetsByInstance.get(target.id);
  if (!set) region.elbv2.targetsByInstance.set(target.id, (set = new Set()));
  set.add(target);
}

function unindexTarget(region: RegionState, target: Target): void {
  const set = region.elbv2.targetsByInstance.get(target.id);
  if (!set) return;
  set.delete(target);
  if (set.size === 0) region.elbv2.targetsByInstance.delete(target.id);
}

/**
 * Registers `id:port` with `tg`. Already registered and not draining: nothing
 * changes. Draining: registered again, back to `initial`.
 */
export function registerTarget(sim: Simulation, region: RegionState, tg: TargetGroup, id: string, port: number): Target {
  const existing = tg.targets.get(targetKey(id, port));
  if (existing) {
    if (existing.drainingUntil === undefined) return existing;
    sim.scheduler.cancel(existing.drainEnd);
    existing.drainEnd = undefined;
    existing.drainingUntil = undefined;
    existing.registeredAt = sim.now;
    stopChecking(sim, existing);
    syncTarget(sim, region, tg, existing);
    return existing;
  }
  const target: Target = {
    targetGroupArn: tg.arn,
    id,
    port,
    registeredAt: sim.now,
    state: 'initial',
    verdict: 'initial',
    checked: false,
    consecutivePasses: 0,
    consecutiveFailures: 0,
  };
  tg.targets.set(targetKey(id, port), target);
  indexTarget(region, target);
  syncTarget(sim, region, tg, target, undefined, null);
  return target;
}

/** The group's `deregistration_delay.timeout_seconds` in seconds. */
export function deregistrationDelaySeconds(tg: TargetGroup): number {
  const value = Number(tg.attributes.get('deregistration_delay.timeout_seconds'));
  return Number.isFinite(value) ? value : DEFAULT_DEREGISTRATION_DELAY_SECONDS;
}

/** Starts deregistration: `draining` for the deregistration delay, then gone. Draining targets are left alone. */
export function deregisterTarget(sim: Simulation, region: RegionState, tg: TargetGroup, target: Target): void {
  if (target.drainingUntil !== undefined) return;
  stopChecking(sim, target);
  target.drainingUntil = sim.now + deregistrationDelaySeconds(tg) * 1000;
  target.drainEnd = sim.scheduler.at(target.drainingUntil, 'elbv2 deregistration', () => removeTarget(sim, region, tg, target));
  syncTarget(sim, region, tg, target);
}

/** The target is gone (drained, or its group deleted): recorded with `to: null`. */
export function removeTarget(sim: Simulation, region: RegionState, tg: TargetGroup, target: Target): void {
  const key = targetKey(target.id, target.port);
  if (tg.targets.get(key) !== target) return;
  tg.targets.delete(key);
  unindexTarget(region, target);
  sim.scheduler.cancel(target.nextCheck);
  sim.scheduler.cancel(target.drainEnd);
  target.nextCheck = undefined;
  target.drainEnd = undefined;
  sim.history.record({ t: sim.now, type: 'target', region: region.region, targetGroupArn: tg.arn, instanceId: target.id, from: target.state, to: null });
}

/**
 * An instance changed state (an 'instance' history entry): its targets follow.
 * An instance being terminated is deregistered (draining, then gone) as AWS
 * does for instance targets; a stopped one stays registered as `unused`.
 */
export function onInstanceStateChange(sim: Simulation, region: RegionState, instanceId: string, instanceState: string): void {
  const targets = region.elbv2.targetsByInstance.get(instanceId);
  if (!targets) return;
  for (const target of [...targets]) {
    const tg = region.elbv2.targetGroups.get(target.targetGroupArn);
    if (!tg) continue;
    if (instanceState === 'shutting-down' || instanceState === 'terminated') deregisterTarget(sim, region, tg, target);
    else syncTarget(sim, region, tg, target, instanceState);
  }
}

/**
 * After a state file is loaded (E-23): every target's pending work is armed
 * again at the instant it was due — its next health check (the restored handle
 * in `nextCheck` still names the instant) and the end of its draining
 * (`drainingUntil`).
 */
export function rehydrateTargetGroup(sim: Simulation, region: RegionState, tg: TargetGroup): void {
  for (const target of tg.targets.values()) {
    const check = target.nextCheck;
    target.nextCheck = undefined;
    target.drainEnd = undefined;
    if (target.drainingUntil !== undefined) {
      target.drainEnd = sim.scheduler.at(target.drainingUntil, 'elbv2 deregistration', () => removeTarget(sim, region, tg, target));
    } else if (check && !check.cancelled) {
      target.nextCheck = sim.scheduler.at(check.at, 'elbv2 health check', () => runCheck(sim, region, tg, target));
    }
  }
}
