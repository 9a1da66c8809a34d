/**
 * The deployment record and lock, kept as tags on the Auto Scaling group
 * (architecture.md "State lives on the fleet"): whatever a deploy needs to
 * finish, roll back or undo is written there before each step that changes
 * the group, so any machine with credentials can `status`, `resume` or `abort`.
 *
 * Tag values are at most 256 characters (Auto Scaling tag restrictions), so
 * the record is split over a few tags of `key=value;…` pairs that stay
 * readable in the console. PropagateAtLaunch is always false.
 */
import type { StoredGuardrails } from '../guardrails/stored-guardrails.js';

export const TAG_PREFIX = 'asg-deploy:';
export const RECORD_TAGS = {
  deploy: `${TAG_PREFIX}deploy`,
  versions: `${TAG_PREFIX}versions`,
  original: `${TAG_PREFIX}original`,
  settings: `${TAG_PREFIX}settings`,
  lock: `${TAG_PREFIX}lock`,
  last: `${TAG_PREFIX}last`,
} as const;

export type DeployStrategy = 'roll' | 'bluegreen' | 'swap' | 'shrink';

/**
 * Phases in order. `rolling-back` and the terminal phases can follow any of
 * the working ones.
 */
export const PHASES = ['preparing', 'suspended', 'pinned', 'rolling', 'baking', 'restoring', 'rolling-back', 'done', 'rolled-back', 'failed', 'aborted'] as const;
export type DeployPhase = (typeof PHASES)[number];

export function isTerminalPhase(phase: DeployPhase): boolean {
  return phase === 'done' || phase === 'rolled-back' || phase === 'failed' || phase === 'aborted';
}

export interface DeploymentRecord {
  id: string;
  strategy: DeployStrategy;
  phase: DeployPhase;
  startedAt: number;
  updatedAt: number;
  templateId: string;
  /** The version the group pointed at before (a number, or `$Latest`/`$Default` as the user had it). */
  fromVersion: string;
  /** The numeric version being deployed. */
  toVersion: string;
  original: { min: number; max: number; desired: number };
  /** Processes this deploy suspended (and so must resume): never the user's own. */
  suspendedByUs: string[];
  settings: { surge: number; floor: number; warmupSeconds: number; maxFailedLaunches: number; timeoutSeconds: number };
  /** Why a deploy stopped, for failed / rolled-back. */
  reason?: string;
  /** `user@host` of the machine that started it (deploy-ring.ts; absent in records written before). */
  startedBy?: string;
  /**
   * The deploy's guardrails (alarms, checkpoints, bake time, check, --no-rollback),
   * kept in their own tags (guardrails/stored-guardrails.ts; DeployStore writes and
   * reads them) so a resume on another machine runs with them.
   */
  guardrails?: StoredGuardrails;
}

export interface DeployLock {
  deployId: string;
  owner: string;
  /** Epoch ms after which the lock is stale (renewed by the holder's heartbeat). */
  expiresAt: number;
  /** When the holder last renewed it. */
  renewedAt: number;
  /** The holder's host, process id and process start time (epoch ms, wall clock): absent in locks written before issue 8. */
  host?: string;
  pid?: number;
  processStartedAt?: number;
}

/** `k=v;k=v` with `;` and `=` in values blanked; empty values left out. Shared by every asg-deploy tag. */
export function encodePairs(entries: Record<string, string | number | undefined>): string {
  return Object.entries(entries)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v).replace(/[;=]/g, ' ')}`)
    .join(';');
}

function pairs(entries: Record<string, string | number | undefined>): string {
  const out = encodePairs(entries);
  if (out.length > 256) throw new Error(`deployment record tag too long (${out.length} > 256 characters): ${out.slice(0, 60)}…`);
  return out;
}

export function parsePairs(value: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (value ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) map.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return map;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The tags that hold a record (values only; the caller writes them with PropagateAtLaunch false). */
export function encodeRecord(r: DeploymentRecord): Record<string, string> {
  return {
    [RECORD_TAGS.deploy]: pairs({ id: r.id, strategy: r.strategy, phase: r.phase, started: iso(r.startedAt), updated: iso(r.updatedAt), reason: r.reason?.slice(0, 110) }),
    [RECORD_TAGS.versions]: pairs({ template: r.templateId, from: r.fromVersion, to: r.toVersion, by: r.startedBy?.slice(0, 64) }),
    [RECORD_TAGS.original]: pairs({ min: r.original.min, max: r.original.max, desired: r.original.desired, suspended: r.suspendedByUs.join(',') }),
    [RECORD_TAGS.settings]: pairs({
      surge: r.settings.surge,
      floor: r.settings.floor,
      warmup: r.settings.warmupSeconds,
      maxFailed: r.settings.maxFailedLaunches,
      timeout: r.settings.timeoutSeconds,
    }),
  };
}

export class RecordDecodeError extends Error {}

function num(map: Map<string, string>, key: string, tag: string): number {
  const v = Number(map.get(key));
  if (map.get(key) === undefined || !Number.isFinite(v)) {
    throw new RecordDecodeError(`tag ${tag} has no valid "${key}" (value: ${JSON.stringify([...map].map(([k, x]) => `${k}=${x}`).join(';'))})`);
  }
  return v;
}

function time(map: Map<string, string>, key: string, tag: string): number {
  const v = Date.parse(map.get(key) ?? '');
  if (!Number.isFinite(v)) throw new RecordDecodeError(`tag ${tag} has no valid time "${key}"`);
  return v;
}

/** Reads a record back from a group's tags; undefined when the group has none. Throws RecordDecodeError when it is damaged. */
export function decodeRecord(tags: ReadonlyMap<string, string>): DeploymentRecord | undefined {
  const deployTag = tags.get(RECORD_TAGS.deploy);
  if (deployTag === undefined) return undefined;
  const d = parsePairs(deployTag);
  const v = parsePairs(tags.get(RECORD_TAGS.versions));
  const o = parsePairs(tags.get(RECORD_TAGS.original));
  const s = parsePairs(tags.get(RECORD_TAGS.settings));
  const phase = d.get('phase') as DeployPhase;
  if (!PHASES.includes(phase)) throw new RecordDecodeError(`tag ${RECORD_TAGS.deploy} has an unknown phase ${JSON.stringify(phase)}`);
  const strategy = d.get('strategy') as DeployStrategy;
  if (!['roll', 'bluegreen', 'swap', 'shrink'].includes(strategy)) throw new RecordDecodeError(`tag ${RECORD_TAGS.deploy} has an unknown strategy ${JSON.stringify(strategy)}`);
  const id = d.get('id');
  if (!id) throw new RecordDecodeError(`tag ${RECORD_TAGS.deploy} has no id`);
  const templateId = v.get('template');
  const fromVersion = v.get('from');
  const toVersion = v.get('to');
  if (!templateId || !fromVersion || !toVersion) throw new RecordDecodeError(`tag ${RECORD_TAGS.versions} needs template, from and to`);
  return {
    id,
    strategy,
    phase,
    startedAt: time(d, 'started', RECORD_TAGS.deploy),
    updatedAt: time(d, 'updated', RECORD_TAGS.deploy),
    reason: d.get('reason'),
    ...(v.get('by') ? { startedBy: v.get('by')! } : {}),
    templateId,
    fromVersion,
    toVersion,
    original: { min: num(o, 'min', RECORD_TAGS.original), max: num(o, 'max', RECORD_TAGS.original), desired: num(o, 'desired', RECORD_TAGS.original) },
    suspendedByUs: (o.get('suspended') ?? '').split(',').filter(Boolean),
    settings: {
      surge: num(s, 'surge', RECORD_TAGS.settings),
      floor: num(s, 'floor', RECORD_TAGS.settings),
      warmupSeconds: num(s, 'warmup', RECORD_TAGS.settings),
      maxFailedLaunches: num(s, 'maxFailed', RECORD_TAGS.settings),
      timeoutSeconds: num(s, 'timeout', RECORD_TAGS.settings),
    },
  };
}

export function encodeLock(lock: DeployLock): string {
  return pairs({
    id: lock.deployId,
    owner: lock.owner,
    renewed: iso(lock.renewedAt),
    expires: iso(lock.expiresAt),
    host: lock.host?.slice(0, 63),
    pid: lock.pid,
    pstart: lock.processStartedAt === undefined ? undefined : iso(lock.processStartedAt),
  });
}

export function decodeLock(value: string | undefined): DeployLock | undefined {
  if (!value) return undefined;
  const m = parsePairs(value);
  const expiresAt = Date.parse(m.get('expires') ?? '');
  const renewedAt = Date.parse(m.get('renewed') ?? '');
  if (!m.get('id') || !Number.isFinite(expiresAt)) return undefined;
  const pid = Number(m.get('pid'));
  const processStartedAt = Date.parse(m.get('pstart') ?? '');
  return {
    deployId: m.get('id')!,
    owner: m.get('owner') ?? 'unknown',
    expiresAt,
    renewedAt: Number.isFinite(renewedAt) ? renewedAt : expiresAt,
    ...(m.get('host') ? { host: m.get('host')! } : {}),
    ...(Number.isInteger(pid) && pid > 0 ? { pid } : {}),
    ...(Number.isFinite(processStartedAt) ? { processStartedAt } : {}),
  };
}

/** The summary of the last finished deploy, kept for `history` and `status`. */
export function encodeLast(r: DeploymentRecord): string {
  return pairs({ id: r.id, strategy: r.strategy, outcome: r.phase, from: r.fromVersion, to: r.toVersion, started: iso(r.startedAt), finished: iso(r.updatedAt), reason: r.reason?.slice(0, 80) });
}

export function decodeLast(value: string | undefined): Record<string, string> | undefined {
  return value ? Object.fromEntries(parsePairs(value)) : undefined;
}

/** A deploy id that sorts by time and is unique enough across machines: d-20261122T040000-ab12. */
export function newDeployId(now: number, random: () => number = Math.random): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  const suffix = Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return `d-${stamp}-${suffix}`;
}
