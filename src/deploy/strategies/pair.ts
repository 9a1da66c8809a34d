/**
 * Finding an app's blue/green pair (deploys.md "Blue/green", seed 004): two
 * groups tagged `asg-deploy:app=APP` and `asg-deploy:color=blue|green`, or
 * else named `APP-blue` and `APP-green`, or named explicitly (the inventory's
 * `bluegreen: { blue, green }`). Which one is live is read from the groups:
 * the idle one has desired 0 and no instances.
 */
import type { AwsClients, GroupDescription } from '../../aws/index.js';
import { AsgDeployError, isLaunchingOrServing, isStandby, isEnteringStandby, type Group } from '../../core/index.js';
import { TAG_PREFIX } from '../engine/record.js';

export const APP_TAG = `${TAG_PREFIX}app`;
export const COLOR_TAG = `${TAG_PREFIX}color`;
export const COLORS = ['blue', 'green'] as const;
export type Color = (typeof COLORS)[number];

export interface PairQuery {
  app: string;
  /** The two groups by name (from asg-deploy.yaml); else found by tags, then by names. */
  pair?: { blue: string; green: string };
}

export interface FoundPair {
  app: string;
  blue: GroupDescription;
  green: GroupDescription;
  /** How they were found, for messages. */
  foundBy: 'tags' | 'names' | 'inventory';
}

function tagValue(group: Group, key: string): string | undefined {
  return group.tags.find((t) => t.key === key)?.value;
}

function colorOf(group: Group, app: string): Color | undefined {
  const tagged = tagValue(group, COLOR_TAG)?.toLowerCase();
  if (tagged === 'blue' || tagged === 'green') return tagged;
  if (group.name === `${app}-blue`) return 'blue';
  if (group.name === `${app}-green`) return 'green';
  return undefined;
}

/**
 * The two groups of `app`. Refuses when there are not exactly one blue and one green.
 *
 * @example
 *   const { blue, green } = await findPair(aws, { app: 'web' });
 */
export async function findPair(aws: AwsClients, query: PairQuery): Promise<FoundPair> {
  const { app } = query;
  if (query.pair) {
    const found = await aws.autoscaling.describeGroups({ names: [query.pair.blue, query.pair.green] });
    const blue = found.find((d) => d.group.name === query.pair!.blue);
    const green = found.find((d) => d.group.name === query.pair!.green);
    if (!blue || !green) {
      const missing = [!blue ? query.pair.blue : undefined, !green ? query.pair.green : undefined].filter(Boolean).join(' and ');
      throw new AsgDeployError('GROUP_NOT_FOUND', `the blue/green pair of ${app} is incomplete: no group ${missing}`, {
        hint: 'create it like its twin (same launch template, subnets and target groups, desired 0), or fix bluegreen: in asg-deploy.yaml',
      });
    }
    return { app, blue, green, foundBy: 'inventory' };
  }

  let foundBy: FoundPair['foundBy'] = 'tags';
  let candidates = await aws.autoscaling.describeGroups({ filters: [{ Name: `tag:${APP_TAG}`, Values: [app] }] });
  if (candidates.length === 0) {
    foundBy = 'names';
    candidates = await aws.autoscaling.describeGroups({ names: [`${app}-blue`, `${app}-green`] });
  }
  if (candidates.length === 0) {
    throw new AsgDeployError('GROUP_NOT_FOUND', `no blue/green pair for ${app}: no groups tagged ${APP_TAG}=${app}, and no groups named ${app}-blue or ${app}-green`, {
      hint: `tag the two groups ${APP_TAG}=${app} and ${COLOR_TAG}=blue / green, or name them ${app}-blue and ${app}-green`,
    });
  }
  const byColor = new Map<Color, GroupDescription[]>();
  const uncolored: string[] = [];
  for (const d of candidates) {
    const color = colorOf(d.group, app);
    if (!color) uncolored.push(d.group.name);
    else byColor.set(color, [...(byColor.get(color) ?? []), d]);
  }
  for (const color of COLORS) {
    const list = byColor.get(color) ?? [];
    if (list.length > 1) {
      throw new AsgDeployError('BAD_INPUT', `the blue/green pair of ${app} is ambiguous: ${list.map((d) => d.group.name).join(' and ')} are both ${color}`, {
        hint: `keep one group per color: fix the ${COLOR_TAG} tags`,
      });
    }
  }
  const blue = byColor.get('blue')?.[0];
  const green = byColor.get('green')?.[0];
  if (!blue || !green) {
    const have = (blue ?? green)?.group.name;
    const lacking = blue ? 'green' : 'blue';
    throw new AsgDeployError('GROUP_NOT_FOUND', `the blue/green pair of ${app} is incomplete: found ${have ?? uncolored.join(', ')} but no ${lacking} group${uncolored.length > 0 && have ? ` (${uncolored.join(', ')} has no ${COLOR_TAG} tag)` : ''}`, {
      hint: `create ${app}-${lacking} like its twin (same launch template, subnets and target groups, desired 0) and tag it ${APP_TAG}=${app}, ${COLOR_TAG}=${lacking}`,
    });
  }
  return { app, blue, green, foundBy };
}

/** What a group of a pair is doing: serving, idle (desired 0, no instances), parked (Standby instances), or still emptying. */
export type PairRole = 'live' | 'idle' | 'parked' | 'draining';

export function pairRole(d: GroupDescription): PairRole {
  const counted = d.instances.filter((i) => isLaunchingOrServing(i.lifecycleState)).length;
  if (d.group.desiredCapacity > 0 || counted > 0) return 'live';
  if (d.instances.some((i) => isStandby(i.lifecycleState) || isEnteringStandby(i.lifecycleState))) return 'parked';
  if (d.instances.length > 0) return 'draining';
  return 'idle';
}

/**
 * Which group is live and which idle, for a new deploy. Refuses (clearly)
 * when that is not one of each: both live, both idle, or a group still holding
 * the Standby fleet of an unfinished deploy.
 */
export function liveAndIdle(pair: FoundPair): { live: GroupDescription; idle: GroupDescription } {
  const roles = { blue: pairRole(pair.blue), green: pairRole(pair.green) };
  const describe = (d: GroupDescription, role: PairRole) => `${d.group.name} (${role}, desired ${d.group.desiredCapacity}, ${d.instances.length} instance(s))`;
  const both = `${describe(pair.blue, roles.blue)} and ${describe(pair.green, roles.green)}`;
  for (const color of COLORS) {
    const d = pair[color];
    if (roles[color] === 'parked') {
      throw new AsgDeployError('LOCKED', `${d.group.name} still holds Standby instances of an unfinished blue/green deploy of ${pair.app}`, {
        hint: `finish it with \`asg-deploy finish ${pair.app}\` (terminates them) or go back with \`asg-deploy rollback ${pair.app}\``,
      });
    }
    if (roles[color] === 'draining') {
      throw new AsgDeployError('CONFLICT', `${d.group.name} is idle but still has ${d.instances.length} instance(s) leaving`, { hint: 'wait until they are gone, then run again' });
    }
  }
  if (roles.blue === 'live' && roles.green === 'live') {
    throw new AsgDeployError('BAD_INPUT', `the blue/green pair of ${pair.app} is ambiguous: both groups are live: ${both}`, {
      hint: 'a blue/green deploy needs one idle group (desired 0, no instances); scale one of them to 0, or use `asg-deploy roll` on a single group',
    });
  }
  if (roles.blue === 'idle' && roles.green === 'idle') {
    throw new AsgDeployError('BAD_INPUT', `the blue/green pair of ${pair.app} is ambiguous: neither group is live: ${both}`, {
      hint: 'scale the group that should serve to its capacity first (e.g. `aws autoscaling set-desired-capacity`)',
    });
  }
  return roles.blue === 'live' ? { live: pair.blue, idle: pair.green } : { live: pair.green, idle: pair.blue };
}
