/**
 * A ring of compact deploy summaries kept in tags on the group (issue 10
 * deliver 1: "at least the last 20", from any machine with credentials, no
 * local state): `asg-deploy:last-1` holds the newest summaries, `last-2` the
 * ones before, and so on. The newest deploy is also in `asg-deploy:last`
 * (record.ts encodeLast: its longer reason, read by `status`).
 *
 * Room (Amazon EC2 Auto Scaling user guide, "Tag Auto Scaling groups and
 * instances", tag restrictions: at most 50 tags per group,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-tagging.html;
 * API Reference, Tag: a value is at most 256 characters). asg-deploy's other tags at their most, on one
 * group at one time: the record and lock (deploy, versions, original,
 * settings, lock: 5), `last` (1), the strategy state and up to 10 instance-id
 * tags (state.ts: 11), the checkpoint, signal and bake marks (pause-tags.ts:
 * 3), a blue/green pair's app, color and version (3), the stored guardrails
 * (guardrails/stored-guardrails.ts: at most 4) — 27. The ring takes
 * {@link RING_TAG_COUNT} more, leaving the user 17 of the 50 for their own tags.
 *
 * One summary is at most {@link MAX_SUMMARY_CHARS} characters, so four fit in
 * a tag (4 × 63 + 3 separators = 255) and the ring always holds 24 deploys:
 * `ID,S,FROM>TO,O,SECONDS,FLOOR,LOWEST,BY,REASON` with deploys separated by
 * `|`, where ID is the deploy id (d-20261122T040000-ab12) written short: its
 * start time in seconds, base 36, and its suffix (`tovxs0-ab12`; an id of
 * another form is written as it is), S the strategy (r roll, b bluegreen, w swap, s shrink), O the outcome
 * (d done, r rolled-back, f failed, a aborted), BY `user@host` of the machine
 * that started it, and REASON what is left of the reason (BY and REASON are
 * cut to fit; commas and bars in them are blanked).
 *
 * @example
 *   encodeSummary({ id: 'd-20261122T040000-ab12', strategy: 'roll', fromVersion: '3', toVersion: '4',
 *     outcome: 'done', seconds: 226, floor: 6, lowestServing: 6, by: 'alice@ci-7' })
 *   // 'tovxs0-ab12,r,3>4,d,226,6,6,alice@ci-7,'
 */
import { hostname, userInfo } from 'node:os';
import type { Group } from '../../core/index.js';
import { TAG_PREFIX, type DeployPhase, type DeployStrategy, type DeploymentRecord } from './record.js';

/** `asg-deploy:last-1` … `asg-deploy:last-6`. */
export const RING_TAG_PREFIX = `${TAG_PREFIX}last-`;
export const RING_TAG_COUNT = 6;
export const MAX_SUMMARY_CHARS = 63;
const MAX_TAG_VALUE = 256;
const MAX_BY_CHARS = 20;
/** A reason keeps at least this much of the room (who is cut first, down to MIN_BY_CHARS). */
const MIN_REASON_CHARS = 24;
const MIN_BY_CHARS = 10;
const ENTRY_SEPARATOR = '|';

export type SummaryOutcome = Extract<DeployPhase, 'done' | 'rolled-back' | 'failed' | 'aborted'>;

/** One finished deploy, as the ring keeps it. */
export interface DeploySummary {
  id: string;
  strategy: DeployStrategy;
  fromVersion: string;
  toVersion: string;
  outcome: SummaryOutcome;
  /** From the deploy id (to the second); undefined for an id of another form. */
  startedAt?: number;
  seconds: number;
  floor?: number;
  lowestServing?: number;
  /** `user@host` of the machine that started it. */
  by?: string;
  reason?: string;
}

const STRATEGY_CODE: Record<DeployStrategy, string> = { roll: 'r', bluegreen: 'b', swap: 'w', shrink: 's' };
const OUTCOME_CODE: Record<SummaryOutcome, string> = { done: 'd', 'rolled-back': 'r', failed: 'f', aborted: 'a' };
const invert = <K extends string>(m: Record<K, string>) => new Map(Object.entries(m).map(([k, v]) => [v as string, k as K]));
const STRATEGY_OF = invert(STRATEGY_CODE);
const OUTCOME_OF = invert(OUTCOME_CODE);

/** `user@host` of this process (the user `unknown` where the OS has no name for it, e.g. a container without a passwd entry). */
export function currentUserAtHost(host: string = hostname()): string {
  let user = 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry: keep `unknown`.
  }
  return `${user}@${host}`;
}

/** The start time a deploy id holds (record.ts newDeployId: d-YYYYMMDDTHHMMSS-xxxx), ms. */
export function deployIdTime(id: string): number | undefined {
  const m = /^d-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})-/.exec(id);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** A deploy id written short: `d-20261122T040000-ab12` → `tovxs0-ab12` (the start in base-36 seconds). */
export function shortDeployId(id: string): string {
  const t = deployIdTime(id);
  const suffix = /-([0-9a-f]+)$/.exec(id)?.[1];
  return t === undefined || suffix === undefined ? id : `${(t / 1000).toString(36)}-${suffix}`;
}

/** The deploy id back from its short form (record.ts newDeployId's format). */
export function longDeployId(short: string): string {
  const m = /^([0-9a-z]{5,8})-([0-9a-f]{4})$/.exec(short);
  if (!m) return short;
  const stamp = new Date(parseInt(m[1]!, 36) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `d-${stamp}-${m[2]}`;
}

/** The summary of a finished deploy: its record, and the lowest serving count the run saw. */
export function summaryOf(record: DeploymentRecord, extra: { lowestServing?: number; by?: string } = {}): DeploySummary | undefined {
  const outcome = record.phase;
  if (outcome !== 'done' && outcome !== 'rolled-back' && outcome !== 'failed' && outcome !== 'aborted') return undefined;
  const by = record.startedBy ?? extra.by;
  return {
    id: record.id,
    strategy: record.strategy,
    fromVersion: record.fromVersion,
    toVersion: record.toVersion,
    outcome,
    startedAt: record.startedAt,
    seconds: Math.max(0, Math.round((record.updatedAt - record.startedAt) / 1000)),
    floor: record.settings.floor,
    ...(extra.lowestServing !== undefined && Number.isFinite(extra.lowestServing) ? { lowestServing: extra.lowestServing } : {}),
    ...(by === undefined ? {} : { by }),
    ...(record.reason === undefined ? {} : { reason: record.reason }),
  };
}

const clean = (text: string) => text.replace(/[,|\r\n\t]/g, ' ').trim();

/** `text` in at most `max` characters: cut after a whole word and marked with `…`, so a cut reason never reads as a whole one. */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '';
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

/** One summary in at most MAX_SUMMARY_CHARS characters (BY, then REASON, cut to fit). */
export function encodeSummary(s: DeploySummary): string {
  const fixed = [
    shortDeployId(s.id),
    STRATEGY_CODE[s.strategy],
    `${clean(s.fromVersion)}>${clean(s.toVersion)}`,
    OUTCOME_CODE[s.outcome],
    String(s.seconds),
    s.floor === undefined ? '' : String(s.floor),
    s.lowestServing === undefined ? '' : String(s.lowestServing),
  ].join(',');
  const room = Math.max(0, MAX_SUMMARY_CHARS - fixed.length - 2);
  const why = clean(s.reason ?? '');
  const byRoom = why === '' ? room : Math.max(MIN_BY_CHARS, room - Math.min(why.length, MIN_REASON_CHARS));
  const by = clean(s.by ?? '').slice(0, Math.min(MAX_BY_CHARS, byRoom, room));
  const reason = cutAtWord(why, Math.max(0, room - by.length));
  return `${fixed},${by},${reason}`.slice(0, MAX_SUMMARY_CHARS);
}

const count = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

/** A summary back from its text; undefined when it is not one (a hand-edited tag). */
export function decodeSummary(text: string): DeploySummary | undefined {
  const [rawId, s, versions, o, seconds, floor, lowest, by, ...rest] = text.split(',');
  const strategy = STRATEGY_OF.get(s ?? '');
  const outcome = OUTCOME_OF.get(o ?? '');
  const arrow = versions?.indexOf('>') ?? -1;
  if (!rawId || !strategy || !outcome || arrow < 0 || count(seconds) === undefined) return undefined;
  const id = longDeployId(rawId);
  const reason = rest.join(',').trim();
  const startedAt = deployIdTime(id);
  return {
    id,
    strategy,
    fromVersion: versions!.slice(0, arrow),
    toVersion: versions!.slice(arrow + 1),
    outcome,
    ...(startedAt === undefined ? {} : { startedAt }),
    seconds: count(seconds)!,
    ...(count(floor) === undefined ? {} : { floor: count(floor)! }),
    ...(count(lowest) === undefined ? {} : { lowestServing: count(lowest)! }),
    ...(by ? { by } : {}),
    ...(reason ? { reason } : {}),
  };
}

/**
 * The ring's tags for `summaries` (newest first): four a tag, as many as
 * RING_TAG_COUNT tags hold; older ones fall off. Tags past the last used one
 * get no value (the caller deletes them).
 */
export function encodeRing(summaries: readonly DeploySummary[]): { tags: Record<string, string>; unused: string[] } {
  const tags: Record<string, string> = {};
  let index = 1;
  let current = '';
  for (const s of summaries) {
    const text = encodeSummary(s);
    if (current !== '' && current.length + ENTRY_SEPARATOR.length + text.length > MAX_TAG_VALUE) {
      tags[`${RING_TAG_PREFIX}${index}`] = current;
      index++;
      current = '';
      if (index > RING_TAG_COUNT) break;
    }
    current = current === '' ? text : `${current}${ENTRY_SEPARATOR}${text}`;
  }
  if (current !== '' && index <= RING_TAG_COUNT) tags[`${RING_TAG_PREFIX}${index}`] = current;
  const used = Object.keys(tags).length;
  const unused = Array.from({ length: RING_TAG_COUNT - used }, (_, i) => `${RING_TAG_PREFIX}${used + i + 1}`);
  return { tags, unused };
}

/** The summaries in a group's ring tags, newest first (one id once; unreadable entries skipped). */
export function decodeRing(tags: ReadonlyMap<string, string>): DeploySummary[] {
  const keys = [...tags.keys()].filter((k) => k.startsWith(RING_TAG_PREFIX) && /^\d+$/.test(k.slice(RING_TAG_PREFIX.length)));
  keys.sort((a, b) => Number(a.slice(RING_TAG_PREFIX.length)) - Number(b.slice(RING_TAG_PREFIX.length)));
  const seen = new Set<string>();
  const out: DeploySummary[] = [];
  for (const key of keys) {
    for (const text of tags.get(key)!.split(ENTRY_SEPARATOR)) {
      const s = decodeSummary(text);
      if (s === undefined || seen.has(s.id)) continue;
      seen.add(s.id);
      out.push(s);
    }
  }
  return out;
}

/** The deploys summarised on a group, newest first. */
export function readDeployRing(group: Group): DeploySummary[] {
  return decodeRing(new Map(group.tags.map((t) => [t.key, t.value])));
}
