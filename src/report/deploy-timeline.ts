/**
 * One deploy's timeline, the data behind the report's chart: how many
 * instances of each version were launching, serving, in Standby or draining
 * at every moment, how many served against the floor, and the moments that
 * matter (waves, failures, checkpoints, alarms, the rollback, the end).
 *
 * It is built from the scaling activities (every launch and termination, with
 * its times) and the versions AWS still knows (instances in the group now),
 * and refined by the run's event log when this machine has it: the versions
 * each instance was launched on, the serving count as the engine measured it
 * (target-group health, not just InService), and the markers.
 */
import type { DeployEvent } from '../deploy/index.js';
import type { DeployHistoryEntry } from './deploy-history.js';
import type { InstanceState, InstanceTimeline } from './instance-timeline.js';

export type MarkerKind = 'wave' | 'failed' | 'rollback' | 'checkpoint' | 'alarm' | 'switch' | 'interrupted' | 'done' | 'warning';

export interface TimelineMarker {
  t: number;
  kind: MarkerKind;
  label: string;
}

export interface VersionCounts {
  launching: number;
  serving: number;
  /** Standby, draining: in the group, not serving. */
  idle: number;
}

export interface TimelineSample {
  t: number;
  byVersion: Record<string, VersionCounts>;
  /** Serving as the engine counted it (event log), else the InService instances (activities). */
  serving: number;
}

export interface TimelineInstance {
  id: string;
  version: string;
  launchedAt?: number;
  readyAt?: number;
  leftAt?: number;
  failed: boolean;
}

export interface DeployTimeline {
  deploy: DeployHistoryEntry;
  start: number;
  end: number;
  /** Versions in drawing order (the previous one first). `?` is an instance whose version nothing says. */
  versions: string[];
  samples: TimelineSample[];
  floor?: number;
  floorSource: 'record' | 'event-log' | 'assumed' | 'none';
  servingSource: 'event-log' | 'activities';
  markers: TimelineMarker[];
  instances: TimelineInstance[];
}

export interface TimelineInput {
  deploy: DeployHistoryEntry;
  instances: InstanceTimeline;
  /** Version of each instance in the group now (DescribeAutoScalingGroups). */
  currentVersions: ReadonlyMap<string, string>;
  events?: readonly DeployEvent[];
  now: number;
}

/** Lead-in before the deploy starts and tail after it ends (the last drains), so both edges show. */
const LEAD_MS = 20_000;
const TAIL_MS = 60_000;
/** Event codes of the checks beyond health (guardrail.ts): shown as checkpoint or alarm markers whatever their exact names. */
const ALARM_CODE = /alarm/i;
const CHECKPOINT_CODE = /checkpoint|guard|bake|pause|verdict/i;

function markerOf(e: DeployEvent): TimelineMarker | undefined {
  switch (e.code) {
    case 'wave-started':
      return { t: e.t, kind: 'wave', label: `wave ${e.wave}/${e.waves}` };
    case 'instance-failed':
      return { t: e.t, kind: 'failed', label: `${e.instanceId} failed (${e.failedLaunches}/${e.maxFailedLaunches})` };
    case 'rollback-started':
      return { t: e.t, kind: 'rollback', label: `rollback to ${e.toVersion}` };
    case 'traffic-switched':
      return { t: e.t, kind: 'switch', label: `traffic to ${e.live}` };
    case 'awaiting-decision':
      return { t: e.t, kind: 'checkpoint', label: 'awaiting finish/rollback' };
    case 'interrupted':
      return { t: e.t, kind: 'interrupted', label: `interrupted (${e.phase})` };
    case 'done':
      return { t: e.t, kind: 'done', label: e.outcome };
    case 'warning':
      return { t: e.t, kind: 'warning', label: e.message.slice(0, 40) };
    default: {
      const code = (e as { code: string }).code;
      if (ALARM_CODE.test(code)) return { t: e.t, kind: 'alarm', label: code };
      if (CHECKPOINT_CODE.test(code)) return { t: e.t, kind: 'checkpoint', label: code };
      return undefined;
    }
  }
}

/**
 * The timeline of one deploy.
 *
 * @example
 *   const timeline = buildTimeline({ deploy, instances: new InstanceTimeline(stateChanges(activities)), currentVersions, now });
 *   timeline.samples.at(-1)?.byVersion['7']?.serving;
 */
export function buildTimeline(input: TimelineInput): DeployTimeline {
  const { deploy, instances, events = [] } = input;
  const start = deploy.startedAt - LEAD_MS;
  const finished = deploy.endedAt ?? input.now;
  const end = Math.max(finished + TAIL_MS, start + 60_000);
  const from = deploy.fromVersion ?? '?';
  const to = deploy.toVersion ?? '?';

  // Versions: the event log's word, then AWS's (instances there now), then the deploy's shape.
  const logged = new Map<string, string>();
  for (const e of events) if ((e.code === 'instance-launched' || e.code === 'instance-retiring') && !logged.has(e.instanceId)) logged.set(e.instanceId, e.version);
  const rollbackAt = events.find((e) => e.code === 'rollback-started')?.t;
  const versionOf = (id: string): string => {
    const known = logged.get(id) ?? input.currentVersions.get(id);
    if (known) return known;
    const launched = instances.launchedAt(id);
    if (launched === undefined || launched < deploy.startedAt) return from;
    if (launched > finished + TAIL_MS) return '?';
    return rollbackAt !== undefined && launched >= rollbackAt ? from : to;
  };

  const relevant = instances.instances().filter((id) => {
    // The tail shows this deploy's last drains, not the next deploy's launches.
    const launched = instances.launchedAt(id);
    if (launched !== undefined && launched > finished + 5_000) return false;
    for (const t of [start, deploy.startedAt, finished, end]) if (instances.stateAt(id, t) !== undefined) return true;
    return instances.changes.some((c) => c.instanceId === id && c.t >= start && c.t <= end);
  });
  const version = new Map(relevant.map((id) => [id, versionOf(id)]));

  const times = new Set<number>([start, end]);
  for (const c of instances.changes) if (c.t > start && c.t < end) times.add(c.t);
  // A pair's progress events count one group at a time, so over two groups the activities' count is the truer line.
  const progress = deploy.groups.length > 1 ? [] : events.filter((e): e is Extract<DeployEvent, { code: 'progress' }> => e.code === 'progress');
  for (const p of progress) if (p.t > start && p.t < end) times.add(p.t);
  for (const e of events) if (e.code === 'instance-ready' && e.t > start && e.t < end) times.add(e.t);
  const sorted = [...times].sort((a, b) => a - b);

  const servingFromLog = (t: number): number | undefined => {
    if (progress.length === 0 || t < progress[0]!.t || t > finished) return undefined;
    let last = progress[0]!;
    for (const p of progress) if (p.t <= t) last = p;
    return last.serving;
  };
  // With the log, a new instance serves from its instance-ready event (healthy in every target group), not from
  // InService: a never-healthy instance is InService for the group but never served a request.
  const readyAt = new Map<string, number>();
  for (const e of events) if (e.code === 'instance-ready' && !readyAt.has(e.instanceId)) readyAt.set(e.instanceId, e.t);
  const stateAt = (id: string, t: number): InstanceState | undefined => {
    const state = instances.stateAt(id, t);
    if (state === 'serving' && logged.has(id) && instances.launchedAt(id) !== undefined) {
      const ready = readyAt.get(id);
      if (ready === undefined || t < ready) return 'launching';
    }
    return state;
  };
  const samples: TimelineSample[] = sorted.map((t) => {
    const byVersion: Record<string, VersionCounts> = {};
    let inService = 0;
    for (const id of relevant) {
      const state = stateAt(id, t);
      if (!state) continue;
      const v = version.get(id)!;
      const counts = (byVersion[v] ??= { launching: 0, serving: 0, idle: 0 });
      if (state === 'serving') {
        counts.serving++;
        inService++;
      } else if (state === 'launching') counts.launching++;
      else counts.idle++;
    }
    return { t, byVersion, serving: servingFromLog(t) ?? inService };
  });

  const plan = events.find((e): e is Extract<DeployEvent, { code: 'plan' }> => e.code === 'plan');
  const done = events.find((e): e is Extract<DeployEvent, { code: 'done' }> => e.code === 'done');
  let floor = deploy.floor;
  let floorSource: DeployTimeline['floorSource'] = floor !== undefined ? (deploy.sources.includes('record') ? 'record' : 'event-log') : 'none';
  if (plan || done) {
    floor = plan?.floor ?? done?.floor;
    floorSource = 'event-log';
  }
  if (floor === undefined) {
    // Nothing recorded it: the default --min-healthy is 100 % of the instances serving when the deploy began.
    const atStart = samples.find((s) => s.t >= deploy.startedAt) ?? samples[0];
    if (atStart) {
      floor = Object.values(atStart.byVersion).reduce((n, c) => n + c.serving, 0);
      floorSource = 'assumed';
    }
  }

  const markers = events.map(markerOf).filter((m): m is TimelineMarker => m !== undefined);
  if (!events.some((e) => e.code === 'done' || e.code === 'interrupted') && deploy.endedAt !== undefined) {
    markers.push({ t: deploy.endedAt, kind: deploy.outcome === 'interrupted' ? 'interrupted' : 'done', label: deploy.outcome });
  }
  if (events.length === 0) {
    // Without the log, failures show as instances that left after a failed launch or health check.
    for (const c of instances.changes) {
      if (c.failed && c.state === 'draining' && c.t >= start && c.t <= end) markers.push({ t: c.t, kind: 'failed', label: `${c.instanceId} unhealthy` });
    }
  }
  markers.sort((a, b) => a.t - b.t);

  const order = [from, to, ...[...new Set(version.values())].sort()].filter((v, i, all) => all.indexOf(v) === i);
  const present = new Set(samples.flatMap((s) => Object.keys(s.byVersion)));
  const versions = order.filter((v) => present.has(v));

  const timelineInstances: TimelineInstance[] = relevant.map((id) => {
    const changes = instances.changes.filter((c) => c.instanceId === id);
    return {
      id,
      version: version.get(id)!,
      launchedAt: instances.launchedAt(id),
      readyAt: changes.find((c) => c.state === 'serving')?.t,
      leftAt: changes.find((c) => c.state === 'draining' || c.state === 'gone')?.t,
      failed: events.length > 0 ? events.some((e) => e.code === 'instance-failed' && e.instanceId === id) : instances.failed(id),
    };
  });
  timelineInstances.sort((a, b) => (a.launchedAt ?? -Infinity) - (b.launchedAt ?? -Infinity) || a.id.localeCompare(b.id));

  return {
    deploy,
    start,
    end,
    versions,
    samples,
    floor,
    floorSource,
    servingSource: progress.length > 0 ? 'event-log' : 'activities',
    markers,
    instances: timelineInstances,
  };
}
