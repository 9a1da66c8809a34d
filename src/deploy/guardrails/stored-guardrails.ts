/**
 * A deploy's guardrail settings as tags on the group, beside the deployment
 * record (architecture.md "State lives on the fleet"): a deploy interrupted
 * and resumed from another machine keeps its alarms, checkpoints, bake time,
 * check and --no-rollback instead of silently running without them (issue 9).
 *
 * Auto Scaling tag values hold at most 256 characters ("Tag" in the Auto
 * Scaling API reference: Value "Length Constraints: Maximum length of 256",
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Tag.html) and a
 * group at most 50 tags (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html),
 * shared with the user's own tags and the record, lock, state and pause tags.
 * So the settings are one `key=value;…` text split over at most
 * {@link GUARDRAIL_TAGS_MAX} tags: `asg-deploy:guardrails` (which starts with
 * `n=PARTS;`) then `asg-deploy:guardrails:2` …; settings that cannot fit are
 * refused before any change, naming the limit — never dropped silently.
 *
 * Values are escaped (`%`, `;`, `,`, `=` as `%25`, `%3B`, `%2C`, `%3D`) so an
 * alarm name or a check command round-trips exactly. The text carries the
 * deploy id: tags another deploy left behind are never read as this one's.
 *
 * @example
 *   encodeStoredGuardrails('d-1', { alarms: ['web-5xx'], bakeTimeMs: 600_000 })
 *   // { 'asg-deploy:guardrails': 'n=1;id=d-1;alarms=web-5xx;bake=600000' }
 */
import { AsgDeployError, type CheckpointPause } from '../../core/index.js';

export const GUARDRAILS_TAG = 'asg-deploy:guardrails';
/** At most this many tags hold the settings (4 × 256 characters): room is kept for the user's tags. */
export const GUARDRAIL_TAGS_MAX = 4;
/** Auto Scaling's limit for one tag value. */
export const TAG_VALUE_MAX = 256;

/** What a deploy's guardrails are, as stored on the group (and shown by `status`). */
export interface StoredGuardrails {
  /** CloudWatch alarms watched (empty: none). */
  alarms: string[];
  checkpoints?: number[];
  checkpointPause?: CheckpointPause;
  bakeTimeMs?: number;
  /** The user's check command; on a resume it runs on the resuming machine. */
  check?: string;
  checkTimeoutMs?: number;
  /** Started with --no-rollback. */
  noRollback?: boolean;
  /** Guardrails given to the library as objects that cannot be written down: a resume runs without them and says so. */
  unstored?: string[];
  /** Set when the tags are there but cannot be read (hand-edited, a part missing): a resume refuses rather than run without them. */
  unreadable?: string;
}

/** True when there is nothing to store. */
export function isEmptyGuardrails(g: StoredGuardrails): boolean {
  return (
    g.alarms.length === 0 &&
    g.checkpoints === undefined &&
    g.bakeTimeMs === undefined &&
    g.check === undefined &&
    g.noRollback !== true &&
    (g.unstored ?? []).length === 0
  );
}

const escape = (v: string) => v.replace(/[%;,=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
const unescape = (v: string) => v.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
const list = (items: readonly (string | number)[]) => items.map((i) => escape(String(i))).join(',');

/** The settings as one text (before it is split into tags). */
export function guardrailsText(deployId: string, g: StoredGuardrails): string {
  const fields: [string, string | undefined][] = [
    ['id', escape(deployId)],
    ['alarms', g.alarms.length > 0 ? list(g.alarms) : undefined],
    ['cp', g.checkpoints === undefined ? undefined : list(g.checkpoints)],
    ['pause', g.checkpointPause === undefined ? undefined : g.checkpointPause.kind === 'wait' ? 'wait' : String(g.checkpointPause.ms)],
    ['bake', g.bakeTimeMs === undefined ? undefined : String(g.bakeTimeMs)],
    ['checkTimeout', g.checkTimeoutMs === undefined ? undefined : String(g.checkTimeoutMs)],
    ['rollback', g.noRollback ? 'no' : undefined],
    ['unstored', (g.unstored ?? []).length > 0 ? list(g.unstored!) : undefined],
    // Last: the longest and the one most likely to be cut, so a reader of the console sees the rest whole.
    ['check', g.check === undefined ? undefined : escape(g.check)],
  ];
  return fields
    .filter((f): f is [string, string] => f[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
}

/** Splits text into pieces of at most `size` UTF-16 units without cutting a surrogate pair. */
function split(text: string, firstSize: number, size: number): string[] {
  const parts: string[] = [];
  let at = 0;
  let room = firstSize;
  while (at < text.length) {
    let end = Math.min(text.length, at + room);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    parts.push(text.slice(at, end));
    at = end;
    room = size;
  }
  return parts;
}

function partKey(i: number): string {
  return i === 0 ? GUARDRAILS_TAG : `${GUARDRAILS_TAG}:${i + 1}`;
}

/**
 * The tags that hold `g` for deploy `deployId` (values only; the store writes
 * them with PropagateAtLaunch false). Throws BAD_INPUT when they need more
 * than {@link GUARDRAIL_TAGS_MAX} tags, naming the limit and what to shorten.
 */
export function encodeStoredGuardrails(deployId: string, g: StoredGuardrails): Record<string, string> {
  const text = guardrailsText(deployId, g);
  // The head tag starts with `n=P;` (one digit: P ≤ 9).
  const head = 'n=0;'.length;
  const parts = split(text, TAG_VALUE_MAX - head, TAG_VALUE_MAX);
  if (parts.length > GUARDRAIL_TAGS_MAX) {
    const room = GUARDRAIL_TAGS_MAX * TAG_VALUE_MAX - head;
    const check = g.check === undefined ? '' : `; the --check command alone is ${g.check.length}`;
    throw new AsgDeployError(
      'BAD_INPUT',
      `the guardrails do not fit on the group: written down they take ${text.length} characters${check}, and asg-deploy keeps them in at most ${GUARDRAIL_TAGS_MAX} tags of ${TAG_VALUE_MAX} characters (${room} characters; Auto Scaling's limit for a tag value is ${TAG_VALUE_MAX})`,
      {
        hint:
          g.check !== undefined && g.check.length > room / 2
            ? "put the check in a script and pass its path, e.g. --check '/opt/checks/smoke.sh' (on a resume it runs on the resuming machine, so install it there too)"
            : 'watch fewer alarms (a composite alarm can stand for several), or shorten the check command',
        details: { option: g.check !== undefined && g.check.length > room / 2 ? '--check' : '--alarm', characters: text.length, limit: room },
      },
    );
  }
  const out: Record<string, string> = {};
  parts.forEach((part, i) => (out[partKey(i)] = i === 0 ? `n=${parts.length};${part}` : part));
  return out;
}

function unreadable(why: string): StoredGuardrails {
  return { alarms: [], unreadable: why };
}

function numberOf(v: string | undefined, key: string): number | undefined | Error {
  if (v === undefined) return undefined;
  const n = Number(v);
  return v !== '' && Number.isFinite(n) && n >= 0 ? n : new Error(`"${key}" is not a number (${JSON.stringify(v)})`);
}

/**
 * Reads the settings of deploy `deployId` back from a group's tags: undefined
 * when there are none for it (none stored, or another deploy's), else the
 * settings, or `{ unreadable }` saying what is wrong with them.
 */
export function decodeStoredGuardrails(tags: ReadonlyMap<string, string>, deployId: string): StoredGuardrails | undefined {
  const head = tags.get(GUARDRAILS_TAG);
  if (head === undefined) return undefined;
  const m = /^n=(\d);/.exec(head);
  if (!m) return unreadable(`tag ${GUARDRAILS_TAG} does not start with n=PARTS; (value ${JSON.stringify(head.slice(0, 60))})`);
  const count = Number(m[1]);
  let text = head.slice(m[0].length);
  for (let i = 1; i < count; i++) {
    const part = tags.get(partKey(i));
    if (part === undefined) return unreadable(`tag ${partKey(i)} (part ${i + 1} of ${count}) is missing`);
    text += part;
  }
  const fields = new Map<string, string>();
  for (const item of text.split(';')) {
    const eq = item.indexOf('=');
    if (eq > 0) fields.set(item.slice(0, eq), item.slice(eq + 1));
  }
  if (fields.get('id') === undefined || unescape(fields.get('id')!) !== deployId) return undefined;
  const items = (key: string) => (fields.get(key) ?? '').split(',').filter((x) => x !== '').map(unescape);
  const checkpoints = fields.has('cp') ? items('cp').map(Number) : undefined;
  if (checkpoints?.some((c) => !(c > 0 && c < 100))) return unreadable(`tag ${GUARDRAILS_TAG}: checkpoints ${JSON.stringify(fields.get('cp'))} are not percentages`);
  const pause = fields.get('pause');
  const pauseMs = pause === undefined || pause === 'wait' ? undefined : numberOf(pause, 'pause');
  const bake = numberOf(fields.get('bake'), 'bake');
  const checkTimeout = numberOf(fields.get('checkTimeout'), 'checkTimeout');
  for (const v of [pauseMs, bake, checkTimeout]) if (v instanceof Error) return unreadable(`tag ${GUARDRAILS_TAG}: ${v.message}`);
  const g: StoredGuardrails = { alarms: items('alarms') };
  if (checkpoints !== undefined) g.checkpoints = checkpoints;
  if (pause === 'wait') g.checkpointPause = { kind: 'wait' };
  else if (typeof pauseMs === 'number') g.checkpointPause = { kind: 'for', ms: pauseMs };
  if (typeof bake === 'number') g.bakeTimeMs = bake;
  if (fields.has('check')) g.check = unescape(fields.get('check')!);
  if (typeof checkTimeout === 'number') g.checkTimeoutMs = checkTimeout;
  if (fields.get('rollback') === 'no') g.noRollback = true;
  if (fields.has('unstored')) g.unstored = items('unstored');
  return g;
}

/** Every guardrail-settings tag key on a group (to remove them). */
export function guardrailTagKeys(tags: ReadonlyMap<string, string>): string[] {
  return [...tags.keys()].filter((k) => k === GUARDRAILS_TAG || k.startsWith(`${GUARDRAILS_TAG}:`));
}

/**
 * The guardrail-settings tags on a group that are not deploy `deployId`'s
 * current ones: another deploy's, left by an end that could not clear them,
 * or parts past the count. The store removes them when a deploy takes its lock.
 */
export function staleGuardrailTagKeys(tags: ReadonlyMap<string, string>, deployId: string): string[] {
  const keys = guardrailTagKeys(tags);
  const head = tags.get(GUARDRAILS_TAG);
  const mine = head !== undefined && decodeStoredGuardrails(tags, deployId) !== undefined;
  if (!mine) return keys;
  const count = Number(/^n=(\d);/.exec(head)?.[1] ?? 1);
  const current = new Set(Array.from({ length: count }, (_, i) => partKey(i)));
  return keys.filter((k) => !current.has(k));
}
