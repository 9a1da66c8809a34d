/**
 * Assertions shared by the rolling-deploy tests: the group's shape before and
 * after, the fleet on one version, the record and lock, and the invariants
 * (deploys.md 1–3) proven from the emulator's recorded history.
 */
import assert from 'node:assert/strict';
import { RECORD_TAGS, readRecord, type DeploymentRecord } from '../../src/deploy/index.js';
import type { DeployEvent } from '../../src/deploy/index.js';
import { lowestServing } from '../../src/emulator/index.js';
import { groupFieldChanges, peakLaunchingOrServingSince, type TestFleet } from '../helpers/fleet.js';

/** What a deploy must leave as it found it (invariant 3). */
export interface GroupShape {
  min: number;
  max: number;
  desired: number;
  terminationPolicies: string[];
  suspended: string[];
}

export async function groupShape(fleet: TestFleet): Promise<GroupShape> {
  const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
  return {
    min: group.minSize,
    max: group.maxSize,
    desired: group.desiredCapacity,
    terminationPolicies: [...group.terminationPolicies],
    suspended: [...group.suspendedProcesses].sort(),
  };
}

/** The version the group launches now (its launch template reference). */
export async function pinnedVersion(fleet: TestFleet): Promise<string | undefined> {
  const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
  return group.launchTemplate?.version;
}

/** Every InService instance runs `version`, and there are exactly `count` of them. */
export async function assertAllOn(fleet: TestFleet, version: string, count: number): Promise<void> {
  const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
  const inService = instances.filter((i) => i.lifecycleState === 'InService');
  const summary = instances.map((i) => `${i.id}:${i.launchTemplate?.version}:${i.lifecycleState}:${i.healthStatus}`).join(' ');
  assert.equal(inService.length, count, `InService instances: ${summary}`);
  assert.ok(
    inService.every((i) => i.launchTemplate?.version === version),
    `every InService instance should run version ${version}: ${summary}`,
  );
}

/** No record, no lock; `asg-deploy:last` names the deploy and how it ended. */
export async function assertReleased(fleet: TestFleet, lastOutcome: string, deployId?: string): Promise<void> {
  const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
  const keys = group.tags.map((t) => t.key);
  for (const key of [RECORD_TAGS.deploy, RECORD_TAGS.versions, RECORD_TAGS.original, RECORD_TAGS.settings, RECORD_TAGS.lock]) {
    assert.ok(!keys.includes(key), `tag ${key} should be gone; tags: ${keys.join(', ')}`);
  }
  const last = group.tags.find((t) => t.key === RECORD_TAGS.last)?.value ?? '';
  assert.match(last, new RegExp(`(^|;)outcome=${lastOutcome}(;|$)`), `asg-deploy:last = ${last}`);
  if (deployId) assert.match(last, new RegExp(`(^|;)id=${deployId}(;|$)`), `asg-deploy:last = ${last}`);
}

/** The unfinished record on the group (throws when there is none). */
export async function recordOnGroup(fleet: TestFleet): Promise<DeploymentRecord> {
  const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
  const record = readRecord(group);
  assert.ok(record, `a deployment record on ${fleet.group}; tags: ${group.tags.map((t) => `${t.key}=${t.value}`).join(' | ')}`);
  return record;
}

/**
 * Invariant 1 from the history: serving never below `floor` in [from, to]
 * (simulated ms; `to` defaults to now). Pass the deploy's start and end: what
 * the group does after the deploy handed it back is not the deploy's doing.
 */
export function assertFloorHeld(fleet: TestFleet, from: number, floor: number, to = fleet.clock.now(), what = 'serving'): void {
  const points = fleet.serving();
  const lowest = lowestServing(points, from, to);
  if (lowest < floor) {
    const dips = points.filter((p) => p.t > from && p.t <= to && p.serving < floor).slice(0, 5);
    // What led to the first dip: the calls, group changes and instance moves of the 20 s before it.
    const at = dips[0]!.t;
    const rel = (t: number) => `+${Math.round((t - from) / 1000)}s`;
    const context = fleet
      .history()
      .filter((h) => h.t >= at - 20_000 && h.t <= at)
      .filter((h) => (h.type === 'call' && h.action !== 'DescribeAutoScalingGroups' && !h.action.startsWith('Describe')) || (h.type === 'group' && !h.field.startsWith('Tag:')) || (h.type === 'lifecycle' && h.to !== null) || h.type === 'target')
      .map((h) => {
        switch (h.type) {
          case 'call':
            return `${rel(h.t)} call ${h.action}${h.ok ? '' : ` (${h.code})`}`;
          case 'group':
            return `${rel(h.t)} group ${h.field} ${JSON.stringify(h.from)} → ${JSON.stringify(h.to)}`;
          case 'lifecycle':
            return `${rel(h.t)} ${h.instanceId} ${h.from} → ${h.to}`;
          case 'target':
            return `${rel(h.t)} ${h.instanceId} target ${h.from} → ${h.to}`;
          default:
            return '';
        }
      });
    assert.fail(
      `${what} dropped to ${lowest} (floor ${floor}) at ${dips.map((p) => `${rel(p.t)}:${p.serving}`).join(', ')}\n` +
        `history before the first dip:\n  ${context.slice(-40).join('\n  ')}`,
    );
  }
}

/** Invariant 2 from the history: launching + serving never above `cap` in [from, to] (`to` defaults to now). */
export function assertSurgeCapHeld(fleet: TestFleet, from: number, cap: number, to = fleet.clock.now()): void {
  const points = fleet.serving();
  const peak = peakLaunchingOrServingSince(
    points.filter((p) => p.t <= to),
    from,
  );
  if (peak > cap) {
    const over = points.filter((p) => p.t > from && p.t <= to && p.launchingOrServing > cap).slice(0, 5);
    assert.fail(`launching+serving peaked at ${peak} (cap ${cap}) at ${over.map((p) => `+${Math.round((p.t - from) / 1000)}s:${p.launchingOrServing}`).join(', ')}`);
  }
}

/** deploys.md "Rolling": old instances are chosen so the AZs stay balanced (InService per AZ differ by at most one). */
export async function assertAzBalanced(fleet: TestFleet): Promise<void> {
  const { group, instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
  const perAz = new Map(group.availabilityZones.map((az) => [az, 0]));
  for (const i of instances) if (i.lifecycleState === 'InService') perAz.set(i.availabilityZone, (perAz.get(i.availabilityZone) ?? 0) + 1);
  const counts = [...perAz.values()];
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `AZs unbalanced after the deploy: ${JSON.stringify(Object.fromEntries(perAz))}`);
}

/** The MaxSize values the history recorded from `from` on. */
export function maxSizeChanges(fleet: TestFleet, from: number): { from: unknown; to: unknown }[] {
  return groupFieldChanges(fleet.history(), fleet.group, 'MaxSize', from).map((e) => ({ from: e.from, to: e.to }));
}

/** A compact trace of events for assertion messages. */
export function trace(events: readonly DeployEvent[], max = 60): string {
  const lines = events
    .filter((e) => e.code !== 'progress' && e.code !== 'record-written')
    .map((e) => {
      const { t: _t, group: _g, deployId: _d, code, ...rest } = e as DeployEvent & Record<string, unknown>;
      return `${code} ${JSON.stringify(rest)}`;
    });
  return lines.length > max ? [...lines.slice(0, max / 2), '…', ...lines.slice(-max / 2)].join('\n') : lines.join('\n');
}

/**
 * Processes the deploy suspended are resumed only once the fleet is back at
 * the floor with nothing launching (AZRebalance and the others act on the
 * fleet as they find it): checked at each ResumeProcesses call in [from, to].
 */
export function assertResumedAtFloor(fleet: TestFleet, from: number, floor: number, to = fleet.clock.now()): void {
  const points = fleet.serving();
  const at = (t: number) => points.filter((p) => p.t <= t).at(-1) ?? { t, serving: 0, launchingOrServing: 0 };
  const resumes = fleet.history().filter((h) => h.type === 'call' && h.action === 'ResumeProcesses' && h.ok && h.t >= from && h.t <= to);
  assert.ok(resumes.length > 0, 'the deploy resumed the processes it suspended');
  for (const call of resumes) {
    const p = at(call.t);
    assert.ok(p.serving >= floor, `ResumeProcesses at +${Math.round((call.t - from) / 1000)}s with ${p.serving} serving (floor ${floor})`);
    assert.equal(p.launchingOrServing, p.serving, `ResumeProcesses at +${Math.round((call.t - from) / 1000)}s with ${p.launchingOrServing - p.serving} instance(s) launching or not yet serving`);
  }
}
