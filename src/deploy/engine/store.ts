/**
 * Reads and writes a group's deployment record and lock (record.ts) through
 * the narrow Auto Scaling client. Every write goes out before the step it
 * describes (invariants 5 and 6).
 *
 * The lock is a tag, and tags have no compare-and-swap: two deploys that read
 * "unlocked" at the same instant can both write their lock. We narrow that
 * window by writing, then reading back after a short pause and yielding if
 * another id won — a read-after-write check, not a true mutex. AWS has no
 * conditional tag write to do better (documented in the README).
 */
import type { AutoScalingApi } from '../../aws/index.js';
import type { Clock } from '../../clock/index.js';
import { AsgDeployError } from '../../core/index.js';
import type { Group } from '../../core/index.js';
import { currentHolder, lockHolderState, probeProcess, type LockHolder, type ProcessProbe } from './lock-holder.js';
import { currentUserAtHost, encodeRing, readDeployRing, summaryOf } from './deploy-ring.js';
import {
  RECORD_TAGS,
  decodeLast,
  decodeLock,
  decodeRecord,
  encodeLast,
  encodeLock,
  encodeRecord,
  isTerminalPhase,
  RecordDecodeError,
  type DeployLock,
  type DeploymentRecord,
} from './record.js';
import { decodeStoredGuardrails, encodeStoredGuardrails, staleGuardrailTagKeys } from '../guardrails/stored-guardrails.js';

/** How long a lock lives without a heartbeat. */
export const LOCK_TTL_MS = 10 * 60_000;
/** Renew when this much of the TTL has passed. */
const RENEW_AFTER_MS = LOCK_TTL_MS / 3;

export function groupTagMap(group: Group): Map<string, string> {
  return new Map(group.tags.map((t) => [t.key, t.value]));
}

export function readRecord(group: Group): DeploymentRecord | undefined {
  try {
    const tags = groupTagMap(group);
    const record = decodeRecord(tags);
    // The guardrails are read apart: damaged ones make a resume refuse (StoredGuardrails.unreadable), never the abort.
    const guardrails = record === undefined ? undefined : decodeStoredGuardrails(tags, record.id);
    return guardrails === undefined ? record : { ...record!, guardrails };
  } catch (e) {
    if (e instanceof RecordDecodeError) {
      throw new AsgDeployError('BAD_INPUT', `the deployment record on group ${group.name} is damaged: ${e.message}`, {
        hint: `inspect it with \`aws autoscaling describe-tags --filters Name=auto-scaling-group,Values=${group.name}\`; remove the asg-deploy:* tags by hand only if no deploy is running`,
      });
    }
    throw e;
  }
}

export function readLock(group: Group): DeployLock | undefined {
  return decodeLock(groupTagMap(group).get(RECORD_TAGS.lock));
}

export function lastDeploy(group: Group): Record<string, string> | undefined {
  return decodeLast(groupTagMap(group).get(RECORD_TAGS.last));
}

function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

/**
 * Refuses a new deploy on a group that another one holds, naming the holder and
 * its age, or that has an unfinished record (which `resume`/`abort` must settle).
 */
export function assertGroupFree(group: Group, now: number): void {
  const lock = readLock(group);
  const record = readRecord(group);
  if (lock && lock.expiresAt > now) {
    throw new AsgDeployError('LOCKED', `group ${group.name} is locked by deploy ${lock.deployId} (${lock.owner}), renewed ${ageText(now - lock.renewedAt)} ago`, {
      hint: `wait for it to finish, watch it with \`asg-deploy status ${group.name}\`, or stop it with \`asg-deploy abort ${group.name}\``,
      details: { deployId: lock.deployId, owner: lock.owner, renewedAgoMs: now - lock.renewedAt },
    });
  }
  if (record && !isTerminalPhase(record.phase)) {
    throw new AsgDeployError('LOCKED', `group ${group.name} has an unfinished deploy ${record.id} (phase ${record.phase}, started ${ageText(now - record.startedAt)} ago)`, {
      hint: `finish it with \`asg-deploy resume ${group.name}\` or undo it with \`asg-deploy abort ${group.name}\``,
      details: { deployId: record.id, phase: record.phase },
    });
  }
  if (record && record.phase === 'failed') {
    throw new AsgDeployError('LOCKED', `group ${group.name} has a failed deploy ${record.id} that was left as is (${record.reason ?? 'no reason recorded'})`, {
      hint: `retry it with \`asg-deploy resume ${group.name}\` or go back with \`asg-deploy abort ${group.name}\``,
      details: { deployId: record.id, phase: record.phase },
    });
  }
}

/** The record and lock of one deploy on one group. */
export class DeployStore {
  private lockRenewedAt = 0;

  private readonly holder: LockHolder;

  constructor(
    private readonly autoscaling: AutoScalingApi,
    private readonly clock: Clock,
    readonly groupName: string,
    readonly owner: string,
    holder?: LockHolder,
  ) {
    this.holder = holder ?? currentHolder();
  }

  private tags(values: Record<string, string>) {
    return Object.entries(values).map(([key, value]) => ({ key, value, propagateAtLaunch: false }));
  }

  /** Writes the record (stamping updatedAt) and renews the lock in the same call. */
  async write(record: DeploymentRecord): Promise<void> {
    record.updatedAt = this.clock.now();
    record.startedBy ??= currentUserAtHost(this.holder.host);
    const now = this.clock.now();
    const values = encodeRecord(record);
    // The guardrails go with the record, before the first change (issue 9); unreadable ones are left as found.
    if (record.guardrails !== undefined && record.guardrails.unreadable === undefined) Object.assign(values, encodeStoredGuardrails(record.id, record.guardrails));
    values[RECORD_TAGS.lock] = encodeLock({ deployId: record.id, owner: this.owner, renewedAt: now, expiresAt: now + LOCK_TTL_MS, ...this.holder });
    await this.autoscaling.createOrUpdateTags(this.groupName, this.tags(values));
    this.lockRenewedAt = now;
  }

  /**
   * Takes the lock for `record` (a new deploy, or resume/abort of this one):
   * writes it, re-reads the group and fails if another deploy's lock is there.
   */
  async acquire(record: DeploymentRecord, read: () => Promise<Group>): Promise<void> {
    await this.write(record);
    await this.clock.sleep(1000);
    const group = await read();
    const lock = readLock(group);
    if (lock && lock.deployId !== record.id) {
      throw new AsgDeployError('LOCKED', `group ${this.groupName} was locked by deploy ${lock.deployId} (${lock.owner}) at the same moment`, {
        hint: `let that deploy finish; \`asg-deploy status ${this.groupName}\` shows it`,
      });
    }
    // Guardrail settings an earlier deploy left (an end that could not clear them) take tag room: drop them now.
    const stale = staleGuardrailTagKeys(groupTagMap(group), record.id);
    if (stale.length > 0) await this.autoscaling.deleteTags(this.groupName, stale);
  }

  /** Renews the lock if a third of its life has passed (called on every poll). */
  async heartbeat(record: DeploymentRecord): Promise<void> {
    if (this.clock.now() - this.lockRenewedAt >= RENEW_AFTER_MS) await this.write(record);
  }

  /**
   * Ends the deploy: keeps its summary for `status`/`history` — in `last` and
   * at the head of the ring of the last deploys (deploy-ring.ts) — and drops
   * the record and the lock. `lowestServing`: the lowest the run counted.
   */
  async finish(record: DeploymentRecord, run: { lowestServing?: number } = {}): Promise<void> {
    record.updatedAt = this.clock.now();
    const summary = summaryOf(record, { ...run, by: currentUserAtHost(this.holder.host) });
    const { group } = await this.autoscaling.describeGroup(this.groupName);
    const ring = encodeRing([...(summary ? [summary] : []), ...readDeployRing(group).filter((s) => s.id !== record.id)]);
    await this.autoscaling.createOrUpdateTags(this.groupName, this.tags({ [RECORD_TAGS.last]: encodeLast(record), ...ring.tags }));
    const stale = ring.unused.filter((key) => group.tags.some((t) => t.key === key));
    if (stale.length > 0) await this.autoscaling.deleteTags(this.groupName, stale);
    await this.autoscaling.deleteTags(this.groupName, [RECORD_TAGS.deploy, RECORD_TAGS.versions, RECORD_TAGS.original, RECORD_TAGS.settings, RECORD_TAGS.lock]);
  }

  /** Leaves the record (phase failed, or interrupted) for resume/abort, and drops only the lock. */
  async release(record: DeploymentRecord): Promise<void> {
    await this.write(record);
    await this.autoscaling.deleteTags(this.groupName, [RECORD_TAGS.lock]);
  }
}

/** Where a take-over runs: this machine's name and a way to look at its processes. */
export interface TakeOverHost {
  host: string;
  probe: ProcessProbe;
}

export function thisHost(holder?: LockHolder): TakeOverHost {
  return { host: holder?.host ?? currentHolder().host, probe: probeProcess };
}

/**
 * Whether `resume`/`abort` may take the lock of `record` now: yes when there
 * is none, it expired, `force` is given, or it was taken on this machine by a
 * process that no longer runs (then `'holder-gone'`, for a warning). Otherwise
 * LOCKED, saying whether the holder still runs here or why only `--force` can
 * tell from another machine.
 */
export function assertLockTakeable(
  groupName: string,
  record: DeploymentRecord,
  lock: DeployLock | undefined,
  now: number,
  force: boolean | undefined,
  here: TakeOverHost,
): 'free' | 'holder-gone' {
  if (!lock || lock.expiresAt <= now || force) return 'free';
  const state = lockHolderState(lock, here.host, here.probe);
  if (state === 'gone') return 'holder-gone';
  const age = Math.round((now - lock.renewedAt) / 1000);
  const expiresIn = Math.round((lock.expiresAt - now) / 1000);
  if (state === 'running') {
    throw new AsgDeployError('LOCKED', `deploy ${record.id} on ${groupName} is held by ${lock.owner}, a process that still runs on this machine (pid ${lock.pid}), renewed ${age}s ago`, {
      hint: `stop it with Ctrl-C (it stops at a safe point and releases the lock), then run this again`,
    });
  }
  const where = lock.host === undefined ? 'a process that did not record its host' : `a process on another machine (${lock.host})`;
  throw new AsgDeployError('LOCKED', `deploy ${record.id} on ${groupName} is held by ${lock.owner}, ${where}, renewed ${age}s ago: from here asg-deploy cannot tell whether it still runs`, {
    hint: `if that process is still running, stop it with Ctrl-C there; if you know it is dead, pass --force, or wait until the lock expires in ${expiresIn}s`,
  });
}
