/**
 * The simulated load (docs/emulator-automation.md E-25):
 * `POST /_emulator/load {"targetGroupArn", "requestsPerSecond"}` sets the
 * requests per second arriving at a target group (0 clears it); the minute
 * tick spreads them over the group's healthy targets.
 */
import type { Simulation } from '../world.js';

export class LoadError extends Error {}

/** Sets the load on a target group (region from its ARN); returns the loads now in force in that region. */
export function setLoad(sim: Simulation, targetGroupArn: unknown, requestsPerSecond: unknown): Record<string, number> {
  if (typeof targetGroupArn !== 'string' || !/^arn:aws[a-z-]*:elasticloadbalancing:[^:]+:\d{12}:targetgroup\/[^/]+\/[0-9a-f]+$/.test(targetGroupArn)) {
    throw new LoadError(`targetGroupArn must be a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID), got ${JSON.stringify(targetGroupArn)}`);
  }
  if (typeof requestsPerSecond !== 'number' || !Number.isFinite(requestsPerSecond) || requestsPerSecond < 0) {
    throw new LoadError(`requestsPerSecond must be a number ≥ 0 (0 clears the load), got ${JSON.stringify(requestsPerSecond)}`);
  }
  const regionName = targetGroupArn.split(':')[3]!;
  sim.catchUp();
  const region = sim.region(regionName);
  if (!region.elbv2.targetGroups.has(targetGroupArn)) throw new LoadError(`no target group ${targetGroupArn} in ${regionName}: create it first`);
  if (requestsPerSecond === 0) region.cloudwatch.load.delete(targetGroupArn);
  else region.cloudwatch.load.set(targetGroupArn, requestsPerSecond);
  return Object.fromEntries(region.cloudwatch.load);
}

/** Every load in force, by region. */
export function loadsView(sim: Simulation): Record<string, Record<string, number>> {
  return Object.fromEntries(sim.allRegions().map((r) => [r.region, Object.fromEntries(r.cloudwatch.load)]));
}
