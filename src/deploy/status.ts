/**
 * What `status` shows (deploys.md "Seeing"): instances by version, lifecycle
 * state, group health and target health, and the deploy in progress read from
 * the record on the group.
 */
import { instanceVersion, isServing, type Fleet } from '../core/index.js';
import type { DeployContext } from './engine/context.js';
import type { DeployLock, DeploymentRecord } from './engine/record.js';
import { lastDeploy, readLock, readRecord } from './engine/store.js';
import { readState } from './engine/state.js';
import { guardrailStatus, type GuardrailStatus } from './guardrails/pause-tags.js';
import type { StoredGuardrails } from './guardrails/stored-guardrails.js';

/** A watched alarm as `status` shows it: CloudWatch's state, or MISSING when the alarm no longer exists. */
export interface WatchedAlarm {
  name: string;
  state: string;
  reason?: string;
  /** When it entered that state (epoch ms). */
  since?: number;
}

/** The deploy's guardrails (issue 9): what it stored on the group, where its pause and bake stand, and its alarms now. */
export interface GuardrailView extends GuardrailStatus {
  settings?: StoredGuardrails;
  alarms?: WatchedAlarm[];
  /** Why the alarm states could not be read (e.g. no cloudwatch:DescribeAlarms permission): status still answers. */
  alarmsError?: string;
}

export interface VersionCount {
  version: string;
  instances: number;
  serving: number;
  byState: Record<string, number>;
}

export interface FleetStatus {
  group: string;
  takenAt: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  launchTemplate?: { id?: string; name?: string; version: string };
  suspendedProcesses: string[];
  serving: number;
  versions: VersionCount[];
  instances: {
    id: string;
    az: string;
    version: string;
    lifecycleState: string;
    healthStatus: string;
    targetHealth: Record<string, string>;
    serving: boolean;
  }[];
  deploy?: DeploymentRecord & { lock?: DeployLock; ageSeconds: number; /** A blue/green, swap or shrink deploy's step (asg-deploy:state). */ state?: Record<string, string> };
  lastDeploy?: Record<string, string>;
  /** The deploy in progress's guardrails (absent when it has none and no pause, bake or signal is on the group). */
  guardrails?: GuardrailView;
}

export function fleetStatus(fleet: Fleet): FleetStatus {
  const group = fleet.group;
  const versions = new Map<string, VersionCount>();
  const instances = fleet.instances.map((i) => {
    const version = instanceVersion(i) !== undefined ? String(instanceVersion(i)) : (i.launchTemplate?.version ?? i.launchConfigurationName ?? '?');
    const serving = isServing(i, fleet);
    const entry = versions.get(version) ?? { version, instances: 0, serving: 0, byState: {} };
    entry.instances++;
    if (serving) entry.serving++;
    entry.byState[i.lifecycleState] = (entry.byState[i.lifecycleState] ?? 0) + 1;
    versions.set(version, entry);
    const targetHealth: Record<string, string> = {};
    for (const arn of group.targetGroupArns) targetHealth[arn] = fleet.targetHealth[arn]?.[i.id]?.state ?? 'not registered';
    return { id: i.id, az: i.availabilityZone, version, lifecycleState: i.lifecycleState, healthStatus: i.healthStatus, targetHealth, serving };
  });
  // Runs with and without --time-scale mix clocks (issue 10): a record stamped
  // by a scaled clock may lie in this clock's future; an age is never negative.
  const record = readRecord(group);
  const lock = readLock(group);
  return {
    group: group.name,
    takenAt: fleet.takenAt,
    minSize: group.minSize,
    maxSize: group.maxSize,
    desiredCapacity: group.desiredCapacity,
    launchTemplate: group.launchTemplate,
    suspendedProcesses: group.suspendedProcesses,
    serving: instances.filter((i) => i.serving).length,
    versions: [...versions.values()].sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true })),
    instances: instances.sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true }) || a.az.localeCompare(b.az) || a.id.localeCompare(b.id)),
    deploy: record ? { ...record, lock, ageSeconds: Math.max(0, Math.round((fleet.takenAt - record.startedAt) / 1000)), state: record.strategy === 'roll' ? undefined : readState(group) } : undefined,
    lastDeploy: lastDeploy(group),
    ...guardrailView(group, record),
  };
}

function guardrailView(group: Fleet['group'], record: DeploymentRecord | undefined): { guardrails?: GuardrailView } {
  const marks = guardrailStatus(group);
  const settings = record?.guardrails;
  if (settings === undefined && Object.keys(marks).length === 0) return {};
  return { guardrails: { ...marks, ...(settings === undefined ? {} : { settings }) } };
}

/**
 * The fleet and its deploy, with the watched alarms' states read from
 * CloudWatch (DescribeAlarms, through aws/) when the deploy stored alarms.
 * An alarm that no longer exists shows as MISSING; a refused read (no
 * permission) leaves `alarmsError` and the rest of the status intact.
 */
export async function describeFleetStatus(ctx: Pick<DeployContext, 'aws'>, groupName: string): Promise<FleetStatus> {
  const status = fleetStatus(await ctx.aws.snapshotFleet(groupName));
  const names = status.guardrails?.settings?.alarms ?? [];
  if (status.guardrails === undefined || names.length === 0) return status;
  try {
    const states = new Map((await ctx.aws.cloudwatch.describeAlarmStates(names)).map((a) => [a.name, a]));
    status.guardrails.alarms = names.map((name) => {
      const a = states.get(name);
      return a === undefined ? { name, state: 'MISSING' } : { name, state: a.state, ...(a.reason === undefined ? {} : { reason: a.reason }), ...(a.updatedAt === undefined ? {} : { since: a.updatedAt }) };
    });
  } catch (e) {
    status.guardrails.alarmsError = e instanceof Error ? e.message : String(e);
  }
  return status;
}
