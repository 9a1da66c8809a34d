/**
 * A group's deploys, reconstructed from what AWS keeps, so `history` works
 * from any machine with credentials and no local state:
 *
 * - the record on the group (`asg-deploy:deploy`/`versions`/`settings`, while a
 *   deploy runs or was left failed or interrupted) and its lock (who holds it);
 * - the summary of the last finished deploy (`asg-deploy:last`), and the ring
 *   of compact summaries of the ones before (`asg-deploy:last-1`…, at least
 *   the last 20: deploy-ring.ts) — who, versions, outcome, floor, lowest
 *   serving, for deploys the record no longer covers;
 * - the group's scaling activities (about six weeks), which date every launch
 *   and termination: they give each deploy its launches, failed launches and
 *   an estimate of the lowest serving count, and show changes no record
 *   covers any more (earlier deploys, manual scaling) as unrecorded changes.
 *
 * When this machine ran a deploy and kept its event log (event-log.ts), the
 * log fills in what the tags do not hold: who ran it, the exact lowest serving
 * and floor, the images.
 */
import type { Activity } from '../aws/index.js';
import type { DeployEvent, DeployLock, DeploymentRecord, DeploySummary } from '../deploy/index.js';
import { activityKind, InstanceTimeline, isUserRequest, stateChanges } from './instance-timeline.js';

export type HistoryOutcome = 'succeeded' | 'rolled-back' | 'failed' | 'aborted' | 'in-progress' | 'awaiting-decision' | 'interrupted' | 'unknown';

/** Where a fact came from; shown so a reader knows what is exact and what is estimated. */
export type HistorySource = 'record' | 'lock' | 'last' | 'ring' | 'event-log' | 'activities';

export interface DeployHistoryEntry {
  kind: 'deploy' | 'unrecorded';
  /** The deploy id (absent for an unrecorded change seen only in the activities). */
  id?: string;
  groups: string[];
  strategy?: string;
  templateId?: string;
  fromVersion?: string;
  toVersion?: string;
  fromImage?: string;
  toImage?: string;
  /** `host:pid` or `user@host` of the machine that held the lock. */
  startedBy?: string;
  startedAt: number;
  endedAt?: number;
  durationSeconds?: number;
  outcome: HistoryOutcome;
  reason?: string;
  /** The lowest serving count during the deploy, and whether it was counted by the engine or estimated from activities. */
  lowestServing?: number;
  lowestServingEstimated?: boolean;
  floor?: number;
  launched: number;
  terminated: number;
  failedLaunches: number;
  sources: HistorySource[];
}

export interface ActivityRow {
  kind: 'activity';
  group: string;
  activityId: string;
  startedAt: number;
  endedAt?: number;
  status: string;
  description: string;
  cause: string;
}

/** What the history is made from, for one group. */
export interface GroupHistorySources {
  group: string;
  now: number;
  record?: DeploymentRecord;
  /** The strategy's step tag (strategy-state.ts): blue/green waits at `switched` for finish or rollback. */
  strategyStep?: string;
  lock?: DeployLock;
  last?: Record<string, string>;
  /** The ring of the last deploys' summaries (`asg-deploy:last-N`), newest first. */
  ring?: readonly DeploySummary[];
  activities: readonly Activity[];
  /** Instance ids in the group now (they were serving before the oldest activity if no launch of theirs is kept). */
  currentInstances: readonly string[];
  /** Event logs on this machine, by deploy id. */
  logs?: ReadonlyMap<string, readonly DeployEvent[]>;
  /** The versions of the group's launch template (EC2 keeps them until deleted): images, and who made each one when. */
  templateVersions?: readonly TemplateVersionFact[];
}

export interface TemplateVersionFact {
  version: string;
  createdAt: number;
  /** The IAM identity that created it (DescribeLaunchTemplateVersions `CreatedBy`). */
  createdBy?: string;
  description?: string;
  imageId?: string;
}

/** A template version `roll --image` made for a deploy starting at `t` (target.ts writes "asg-deploy: IMAGE (from version N)"). */
const MADE_FOR_DEPLOY_BEFORE_MS = 10 * 60_000;
function versionMadeFor(t: number, versions: readonly TemplateVersionFact[] | undefined, toVersion?: string): TemplateVersionFact | undefined {
  const candidates = (versions ?? []).filter((v) => /^asg-deploy:/.test(v.description ?? '') && v.createdAt <= t + 60_000 && v.createdAt >= t - MADE_FOR_DEPLOY_BEFORE_MS);
  if (toVersion !== undefined) return candidates.find((v) => v.version === toVersion);
  return candidates.sort((a, b) => b.createdAt - a.createdAt)[0];
}

const OUTCOME_OF_PHASE: Record<string, HistoryOutcome> = { done: 'succeeded', 'rolled-back': 'rolled-back', failed: 'failed', aborted: 'aborted' };
/** Activities this close to a deploy's window belong to it (the last drains end after the record is released). */
const WINDOW_SLACK_MS = 2 * 60_000;
/** Unrecorded activities further apart than this are separate changes. */
const EPISODE_GAP_MS = 10 * 60_000;
/** The cause of the launches that fill a new group (API_Activity.html examples: "a user request created an AutoScalingGroup"). */
const CREATED = /created an AutoScalingGroup/i;

const time = (v: string | undefined) => {
  const t = Date.parse(v ?? '');
  return Number.isFinite(t) ? t : undefined;
};
const numberOf = (v: string | undefined) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

interface Draft extends Omit<DeployHistoryEntry, 'launched' | 'terminated' | 'failedLaunches' | 'sources'> {
  sources: Set<HistorySource>;
}

function fromLog(id: string, events: readonly DeployEvent[], group: string): Draft | undefined {
  const mine = events.filter((e) => e.deployId === id || e.deployId === undefined);
  if (mine.length === 0) return undefined;
  const draft: Draft = { kind: 'deploy', id, groups: [group], startedAt: mine[0]!.t, outcome: 'unknown', sources: new Set(['event-log']) };
  for (const e of mine) {
    switch (e.code) {
      case 'plan':
        Object.assign(draft, { strategy: e.strategy, fromVersion: e.fromVersion, toVersion: e.toVersion, templateId: e.templateId, floor: e.floor });
        break;
      case 'template-version-created':
        draft.toImage = e.imageId;
        break;
      case 'locked':
        draft.startedBy = e.lockOwner;
        break;
      case 'interrupted':
        draft.outcome = 'interrupted';
        draft.endedAt = e.t;
        break;
      case 'rollback-started':
        draft.reason = e.reason;
        break;
      case 'done':
        draft.outcome = e.outcome;
        draft.endedAt = e.t;
        draft.lowestServing = e.lowestServing;
        draft.lowestServingEstimated = false;
        draft.floor = e.floor;
        if (e.reason) draft.reason = e.reason;
        if (!draft.toVersion) draft.toVersion = e.version;
        break;
      default:
        break;
    }
  }
  return draft;
}

function merge(into: Draft, from: Partial<Draft>): void {
  for (const [k, v] of Object.entries(from)) {
    if (v === undefined) continue;
    if (k === 'sources') for (const s of v as Set<HistorySource>) into.sources.add(s);
    else if ((into as unknown as Record<string, unknown>)[k] === undefined || k === 'outcome' && into.outcome === 'unknown') (into as unknown as Record<string, unknown>)[k] = v;
  }
}

/**
 * The deploys of one group, newest first, with the unrecorded changes the
 * activities show between them; and the activities that belong to no deploy.
 */
export function reconstructHistory(src: GroupHistorySources): { entries: DeployHistoryEntry[]; otherActivities: ActivityRow[] } {
  const drafts = new Map<string, Draft>();
  const draftFor = (id: string, startedAt: number) => {
    let d = drafts.get(id);
    if (!d) drafts.set(id, (d = { kind: 'deploy', id, groups: [src.group], startedAt, outcome: 'unknown', sources: new Set() }));
    return d;
  };

  // The record (exact, but only while a deploy is unsettled) comes first: its facts win.
  if (src.record) {
    const r = src.record;
    const d = draftFor(r.id, r.startedAt);
    const lockHeld = src.lock && src.lock.deployId === r.id && src.lock.expiresAt > src.now;
    const awaiting = r.strategy === 'bluegreen' && src.strategyStep === 'switched';
    const outcome: HistoryOutcome = OUTCOME_OF_PHASE[r.phase] ?? (lockHeld ? 'in-progress' : awaiting ? 'awaiting-decision' : 'interrupted');
    merge(d, {
      strategy: r.strategy,
      templateId: r.templateId,
      fromVersion: r.fromVersion,
      toVersion: r.toVersion,
      outcome,
      reason: r.reason,
      floor: r.settings.floor,
      endedAt: outcome === 'in-progress' || outcome === 'awaiting-decision' ? undefined : r.updatedAt,
      startedBy: r.startedBy ?? (src.lock?.deployId === r.id ? src.lock.owner : undefined),
      sources: new Set<HistorySource>(src.lock?.deployId === r.id ? ['record', 'lock'] : ['record']),
    });
  }
  if (src.last?.id) {
    const l = src.last;
    const started = time(l.started) ?? time(l.finished) ?? src.now;
    const d = draftFor(l.id!, started);
    merge(d, {
      strategy: l.strategy,
      fromVersion: l.from,
      toVersion: l.to,
      outcome: OUTCOME_OF_PHASE[l.outcome ?? ''] ?? 'unknown',
      endedAt: time(l.finished),
      reason: l.reason,
      // Keys a later record format may add (see the report to the lead): read them when present.
      startedBy: l.by ?? l.owner,
      floor: numberOf(l.floor),
      templateId: l.template,
      sources: new Set<HistorySource>(['last']),
    });
    const low = numberOf(l.lowest ?? l.low);
    if (low !== undefined && d.lowestServing === undefined) {
      d.lowestServing = low;
      d.lowestServingEstimated = false;
    }
  }
  // The ring after `last`: `last` keeps the newest one's longer reason; the ring adds who, floor and lowest serving.
  for (const s of src.ring ?? []) {
    const endedAt = s.startedAt === undefined ? undefined : s.startedAt + s.seconds * 1000;
    const d = draftFor(s.id, s.startedAt ?? src.now);
    merge(d, {
      strategy: s.strategy,
      fromVersion: s.fromVersion,
      toVersion: s.toVersion,
      outcome: OUTCOME_OF_PHASE[s.outcome] ?? 'unknown',
      endedAt,
      reason: s.reason,
      startedBy: s.by,
      floor: s.floor,
      sources: new Set<HistorySource>(['ring']),
    });
    if (s.lowestServing !== undefined && d.lowestServing === undefined) {
      d.lowestServing = s.lowestServing;
      d.lowestServingEstimated = false;
    }
  }
  for (const [id, events] of src.logs ?? []) {
    const logged = fromLog(id, events, src.group);
    if (!logged) continue;
    const d = draftFor(id, logged.startedAt);
    if (logged.startedAt < d.startedAt) d.startedAt = logged.startedAt;
    // The last-deploy tag cuts the reason short (a tag value holds 256 characters); the log has it whole.
    if (d.reason && logged.reason && logged.reason.length > d.reason.length && logged.reason.replace(/[;=]/g, ' ').startsWith(d.reason)) d.reason = logged.reason;
    merge(d, logged);
  }

  const timeline = new InstanceTimeline(stateChanges(src.activities), src.currentInstances);
  const sorted = [...src.activities].filter((a) => a.StartTime).sort((a, b) => a.StartTime!.getTime() - b.StartTime!.getTime());
  // Each activity belongs to at most one deploy: the latest that started (less a little slack) before it,
  // if it falls before that deploy's end plus the slack (the last drains finish after the record is gone).
  const windows = [...drafts.values()].map((d) => ({ d, from: d.startedAt - WINDOW_SLACK_MS / 4, to: (d.endedAt ?? src.now) + WINDOW_SLACK_MS })).sort((a, b) => a.from - b.from);
  const ownerOf = (t: number) => {
    let owner: (typeof windows)[number] | undefined;
    for (const w of windows) if (w.from <= t) owner = w;
    return owner && t <= owner.to ? owner : undefined;
  };
  const inWindow = ownerOf;
  const owned = new Map<Draft, Activity[]>();
  for (const a of sorted) {
    const w = ownerOf(a.StartTime!.getTime());
    if (w) owned.set(w.d, [...(owned.get(w.d) ?? []), a]);
  }

  const entries: DeployHistoryEntry[] = [];
  for (const { d } of windows) {
    const own = owned.get(d) ?? [];
    const counts = countActivities(own);
    if (d.lowestServing === undefined && own.length > 0) {
      d.lowestServing = timeline.lowestServing(d.startedAt, d.endedAt ?? src.now);
      d.lowestServingEstimated = true;
    }
    if (own.length > 0) d.sources.add('activities');
    const made = versionMadeFor(d.startedAt, src.templateVersions, d.toVersion);
    if (made && !d.startedBy && made.createdBy) d.startedBy = made.createdBy;
    entries.push(finish(d, counts, src.templateVersions));
  }

  // Changes no record covers: user-requested launches and terminations outside every deploy, grouped by time.
  const others: ActivityRow[] = [];
  let episode: Activity[] = [];
  const closeEpisode = () => {
    if (episode.length === 0) return;
    const startedAt = episode[0]!.StartTime!.getTime();
    const endedAt = Math.max(...episode.map((a) => (a.EndTime ?? a.StartTime)!.getTime()));
    // A template version asg-deploy made just before says which versions and image, and the IAM identity behind it.
    const created = episode.some((a) => CREATED.test(a.Cause ?? ''));
    const made = created ? undefined : versionMadeFor(startedAt, src.templateVersions);
    const from = /\(from version (\d+)\)/.exec(made?.description ?? '')?.[1];
    entries.push({
      kind: 'unrecorded',
      groups: [src.group],
      ...(made ? { toVersion: made.version, toImage: made.imageId, startedBy: made.createdBy } : {}),
      ...(from ? { fromVersion: from, fromImage: src.templateVersions?.find((v) => v.version === from)?.imageId } : {}),
      startedAt,
      endedAt,
      durationSeconds: Math.round((endedAt - startedAt) / 1000),
      outcome: 'unknown',
      reason: created
        ? 'the group was created'
        : made
        ? 'an earlier asg-deploy deploy, older than the summaries the group keeps (the last 24): versions from the launch template, outcome unknown'
        : episode.some(isUserRequest)
        ? 'launches and terminations by user request that no asg-deploy record covers (an earlier deploy, or a change by hand)'
        : 'launches and terminations by the group itself (scaling policies, health replacements, rebalancing)',
      ...(created ? {} : { lowestServing: timeline.lowestServing(startedAt, endedAt), lowestServingEstimated: true }),
      ...countActivities(episode),
      sources: ['activities'],
    });
    episode = [];
  };
  for (const a of sorted) {
    const t = a.StartTime!.getTime();
    if (inWindow(t)) continue;
    others.push(activityRow(src.group, a));
    const { kind } = activityKind(a);
    if (kind === 'other') continue;
    // A new change after a quiet gap, and the group's creation apart from what followed it.
    const previous = episode[episode.length - 1];
    if (previous && (t - previous.StartTime!.getTime() > EPISODE_GAP_MS || CREATED.test(previous.Cause ?? '') !== CREATED.test(a.Cause ?? ''))) closeEpisode();
    episode.push(a);
  }
  closeEpisode();

  entries.sort((a, b) => b.startedAt - a.startedAt);
  others.sort((a, b) => b.startedAt - a.startedAt);
  return { entries, otherActivities: others };
}

function countActivities(activities: readonly Activity[]): { launched: number; terminated: number; failedLaunches: number } {
  let launched = 0;
  let terminated = 0;
  let failedLaunches = 0;
  for (const a of activities) {
    const { kind } = activityKind(a);
    if (kind === 'launch') {
      // AWS marks a failed launch attempt Failed or Cancelled (API_DescribeScalingActivities.html); a launch
      // cut short on purpose (the deploy terminating an instance still launching) is Cancelled too, so only
      // Failed counts here: the instances that failed their health checks show in the event log and the chart.
      if (a.StatusCode === 'Failed') failedLaunches++;
      else launched++;
    } else if (kind === 'launch-failed') failedLaunches++;
    else if (kind === 'terminate') terminated++;
  }
  return { launched, terminated, failedLaunches };
}

function finish(d: Draft, counts: ReturnType<typeof countActivities>, versions?: readonly TemplateVersionFact[]): DeployHistoryEntry {
  const images = new Map((versions ?? []).filter((v) => v.imageId).map((v) => [v.version, v.imageId!]));
  const { sources, ...rest } = d;
  const entry: DeployHistoryEntry = { ...rest, ...counts, sources: [...sources] };
  if (entry.endedAt !== undefined) entry.durationSeconds = Math.max(0, Math.round((entry.endedAt - entry.startedAt) / 1000));
  if (!entry.fromImage && entry.fromVersion) entry.fromImage = images.get(entry.fromVersion);
  if (!entry.toImage && entry.toVersion) entry.toImage = images.get(entry.toVersion);
  return entry;
}

export function activityRow(group: string, a: Activity): ActivityRow {
  return {
    kind: 'activity',
    group,
    activityId: a.ActivityId ?? '',
    startedAt: a.StartTime!.getTime(),
    endedAt: a.EndTime?.getTime(),
    status: String(a.StatusCode ?? ''),
    description: a.Description ?? '',
    cause: a.Cause ?? '',
  };
}

/**
 * The deploys of several groups (a blue/green pair) as one list: a deploy
 * that touched both (one id) is one entry naming both groups.
 */
export function mergeGroupHistories(histories: readonly { entries: DeployHistoryEntry[]; otherActivities: ActivityRow[] }[]): { entries: DeployHistoryEntry[]; otherActivities: ActivityRow[] } {
  const byId = new Map<string, DeployHistoryEntry>();
  const entries: DeployHistoryEntry[] = [];
  for (const h of histories) {
    for (const e of h.entries) {
      const seen = e.id ? byId.get(e.id) : undefined;
      if (!seen) {
        const copy = { ...e, groups: [...e.groups], sources: [...e.sources] };
        if (e.id) byId.set(e.id, copy);
        entries.push(copy);
        continue;
      }
      seen.groups.push(...e.groups.filter((g) => !seen.groups.includes(g)));
      seen.launched += e.launched;
      seen.terminated += e.terminated;
      seen.failedLaunches += e.failedLaunches;
      for (const s of e.sources) if (!seen.sources.includes(s)) seen.sources.push(s);
      for (const [k, v] of Object.entries(e)) {
        if (v !== undefined && (seen as unknown as Record<string, unknown>)[k] === undefined) (seen as unknown as Record<string, unknown>)[k] = v;
      }
      seen.startedAt = Math.min(seen.startedAt, e.startedAt);
      if (e.endedAt !== undefined && seen.endedAt !== undefined) seen.endedAt = Math.max(seen.endedAt, e.endedAt);
      if (seen.endedAt !== undefined) seen.durationSeconds = Math.round((seen.endedAt - seen.startedAt) / 1000);
    }
  }
  entries.sort((a, b) => b.startedAt - a.startedAt);
  const otherActivities = histories.flatMap((h) => h.otherActivities).sort((a, b) => b.startedAt - a.startedAt);
  return { entries, otherActivities };
}
