/**
 * What a checkpoint pause and the bake time write on the group, beside the
 * deployment record (architecture.md "State lives on the fleet"), so that any
 * machine can see a deploy is paused and where (`status`), and tell it to go
 * on or to stop (`asg-deploy continue GROUP`, `asg-deploy abort GROUP`):
 *
 * - `asg-deploy:checkpoint` = `id=DEPLOY;at=PERCENT;state=paused|continued;passed=PERCENT;since=ISO;until=ISO`
 *   — written by the paused deploy before it waits; `passed` is the highest
 *   checkpoint it had already gone past, so a resumed deploy knows where it is.
 * - `asg-deploy:signal` = `id=DEPLOY;action=continue|abort;at=PERCENT;by=OWNER;t=ISO`
 *   — written by `continue` (or `abort`) from any machine; the paused deploy
 *   reads it at its next poll and deletes it. The deploy id and the checkpoint
 *   in it keep a late or repeated `continue` from skipping a later checkpoint.
 * - `asg-deploy:bake` = `id=DEPLOY;since=ISO;until=ISO` while the bake time runs.
 *
 * Tags have no compare-and-swap (see store.ts), but here none is needed: one
 * writer per tag at a time (the deploy, or the people signalling it).
 */
import type { AutoScalingApi } from '../../aws/index.js';
import { AsgDeployError, type Group } from '../../core/index.js';
import { encodePairs, isTerminalPhase, parsePairs, TAG_PREFIX } from '../engine/record.js';
import { groupTagMap, readLock, readRecord } from '../engine/store.js';
import { guardrailTagKeys } from './stored-guardrails.js';

export const CHECKPOINT_TAG = `${TAG_PREFIX}checkpoint`;
export const SIGNAL_TAG = `${TAG_PREFIX}signal`;
export const BAKE_TAG = `${TAG_PREFIX}bake`;

export interface CheckpointMark {
  deployId: string;
  percent: number;
  state: 'paused' | 'continued';
  /** The highest checkpoint passed before this one (0 for none). */
  passed: number;
  since: number;
  /** When a timed pause ends (absent for `wait`). */
  until?: number;
}

export type SignalAction = 'continue' | 'abort';

export interface PauseSignal {
  deployId: string;
  action: SignalAction;
  /** The checkpoint it was given for. */
  percent?: number;
  by: string;
  at: number;
}

export interface BakeMark {
  deployId: string;
  since: number;
  until: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const time = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
const num = (s: string | undefined) => (s === undefined || s === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

function tag(group: Group, key: string): string | undefined {
  return group.tags.find((t) => t.key === key)?.value;
}

export function encodeCheckpointMark(m: CheckpointMark): string {
  return encodePairs({ id: m.deployId, at: m.percent, state: m.state, passed: m.passed, since: iso(m.since), until: m.until === undefined ? undefined : iso(m.until) });
}

export function decodeCheckpointMark(value: string | undefined): CheckpointMark | undefined {
  if (!value) return undefined;
  const p = parsePairs(value);
  const deployId = p.get('id');
  const percent = num(p.get('at'));
  const state = p.get('state');
  const since = time(p.get('since'));
  if (!deployId || percent === undefined || (state !== 'paused' && state !== 'continued') || since === undefined || Number.isNaN(since)) return undefined;
  const until = time(p.get('until'));
  return { deployId, percent, state, passed: num(p.get('passed')) ?? 0, since, ...(until === undefined || Number.isNaN(until) ? {} : { until }) };
}

export function encodeSignal(s: PauseSignal): string {
  return encodePairs({ id: s.deployId, action: s.action, at: s.percent, by: s.by, t: iso(s.at) });
}

export function decodeSignal(value: string | undefined): PauseSignal | undefined {
  if (!value) return undefined;
  const p = parsePairs(value);
  const deployId = p.get('id');
  const action = p.get('action');
  if (!deployId || (action !== 'continue' && action !== 'abort')) return undefined;
  const percent = num(p.get('at'));
  return { deployId, action, ...(percent === undefined ? {} : { percent }), by: p.get('by') ?? 'unknown', at: time(p.get('t')) ?? 0 };
}

export function encodeBakeMark(b: BakeMark): string {
  return encodePairs({ id: b.deployId, since: iso(b.since), until: iso(b.until) });
}

export function decodeBakeMark(value: string | undefined): BakeMark | undefined {
  if (!value) return undefined;
  const p = parsePairs(value);
  const deployId = p.get('id');
  const since = time(p.get('since'));
  const until = time(p.get('until'));
  if (!deployId || since === undefined || until === undefined || Number.isNaN(since) || Number.isNaN(until)) return undefined;
  return { deployId, since, until };
}

export const readCheckpointMark = (group: Group) => decodeCheckpointMark(tag(group, CHECKPOINT_TAG));
export const readSignal = (group: Group) => decodeSignal(tag(group, SIGNAL_TAG));
export const readBakeMark = (group: Group) => decodeBakeMark(tag(group, BAKE_TAG));

export async function writeTag(autoscaling: AutoScalingApi, group: string, key: string, value: string): Promise<void> {
  await autoscaling.createOrUpdateTags(group, [{ key, value, propagateAtLaunch: false }]);
}

/**
 * Removes what a deploy's pauses and bake wrote (the engine calls it when the
 * deploy ends, whatever the outcome), and its stored guardrail settings unless
 * told to keep them (`keepSettings`: the record stays for a resume, e.g. a
 * failure left as is with --no-rollback).
 */
export async function clearGuardrailTags(autoscaling: AutoScalingApi, group: Group, options: { keepSettings?: boolean } = {}): Promise<void> {
  const keys = [CHECKPOINT_TAG, SIGNAL_TAG, BAKE_TAG].filter((k) => tag(group, k) !== undefined);
  if (!options.keepSettings) keys.push(...guardrailTagKeys(groupTagMap(group)));
  if (keys.length > 0) await autoscaling.deleteTags(group.name, keys);
}

/** Where a deploy stands on its guardrails, from the group's tags alone (for `status`). */
export interface GuardrailStatus {
  paused?: { deployId: string; percent: number; since: number; until?: number };
  baking?: BakeMark;
  /** A continue or abort written and not yet picked up. */
  pendingSignal?: PauseSignal;
}

export function guardrailStatus(group: Group): GuardrailStatus {
  const mark = readCheckpointMark(group);
  const bake = readBakeMark(group);
  const signal = readSignal(group);
  return {
    ...(mark?.state === 'paused' ? { paused: { deployId: mark.deployId, percent: mark.percent, since: mark.since, ...(mark.until === undefined ? {} : { until: mark.until }) } } : {}),
    ...(bake ? { baking: bake } : {}),
    ...(signal ? { pendingSignal: signal } : {}),
  };
}

/**
 * `asg-deploy continue GROUP` (and `abort` on a paused deploy whose runner is
 * alive): writes the signal the paused deploy reads at its next poll. Refuses
 * (BAD_INPUT, exit 2) when no deploy on the group is paused, naming what it found.
 */
export async function signalPausedDeploy(
  autoscaling: AutoScalingApi,
  groupName: string,
  action: SignalAction,
  options: { by: string; now: number },
): Promise<{ signal: PauseSignal; mark: CheckpointMark }> {
  const { group } = await autoscaling.describeGroup(groupName);
  const record = readRecord(group);
  const mark = readCheckpointMark(group);
  const running = record !== undefined && !isTerminalPhase(record.phase);
  if (!running || mark === undefined || mark.state !== 'paused' || mark.deployId !== record.id) {
    const what = !running ? 'no deploy in progress' : `deploy ${record.id} in progress (phase ${record.phase}), not paused at a checkpoint`;
    throw new AsgDeployError('BAD_INPUT', `group ${groupName} has ${what}: nothing to ${action}`, {
      hint: `\`asg-deploy status ${groupName}\` shows the deploy and whether it is paused`,
      details: { group: groupName, ...(record ? { deployId: record.id, phase: record.phase } : {}) },
    });
  }
  const signal: PauseSignal = { deployId: mark.deployId, action, percent: mark.percent, by: options.by, at: options.now };
  await writeTag(autoscaling, groupName, SIGNAL_TAG, encodeSignal(signal));
  return { signal, mark };
}

/**
 * What `asg-deploy abort GROUP` does first: when the group's deploy is paused
 * at a checkpoint and its runner is alive (the lock is held and not expired),
 * taking over would fight that runner, so abort only asks it to roll back
 * (the signal) and returns it. Otherwise (not paused, or the runner is dead)
 * it returns undefined and abort takes over as usual.
 */
export async function requestAbortOfPausedDeploy(autoscaling: AutoScalingApi, groupName: string, options: { by: string; now: number }): Promise<PauseSignal | undefined> {
  const { group } = await autoscaling.describeGroup(groupName);
  const record = readRecord(group);
  const mark = readCheckpointMark(group);
  const lock = readLock(group);
  if (record === undefined || isTerminalPhase(record.phase) || mark?.state !== 'paused' || mark.deployId !== record.id) return undefined;
  if (lock === undefined || lock.deployId !== record.id || lock.expiresAt <= options.now) return undefined;
  const signal: PauseSignal = { deployId: record.id, action: 'abort', percent: mark.percent, by: options.by, at: options.now };
  await writeTag(autoscaling, groupName, SIGNAL_TAG, encodeSignal(signal));
  return signal;
}
