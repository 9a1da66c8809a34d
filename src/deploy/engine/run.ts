/**
 * The record-and-lock flow of rolling.ts, for the strategies that touch one
 * group in ways the wave loop does not (swap, shrink) or two groups at once
 * (blue/green): every member group carries its own deployment record (its own
 * original sizes and suspended processes, the same deploy id) plus a strategy
 * state tag (strategy-state.ts), written before each step; each holds the
 * lock; a heartbeat on one renews all.
 */
import { AsgDeployError, type Group } from '../../core/index.js';
import type { DeployContext } from './context.js';
import type { DeployEvent } from '../events.js';
import { isTerminalPhase, RECORD_TAGS, type DeploymentRecord, type DeployPhase, type DeployStrategy } from './record.js';
import { deployResult, type DeployOutcome, type DeployResult } from './types.js';
import { clearState, writeState } from './state.js';
import type { StateCodec } from './state-codec.js';
import { assertLockTakeable, DeployStore, readLock, readRecord, thisHost, type TakeOverHost } from './store.js';

/** A DeployStore whose heartbeat also renews the other members' locks (converge and the waits renew only the one store they are given). */
export class LinkedStore extends DeployStore {
  partners: { store: LinkedStore; record: DeploymentRecord }[] = [];

  /** Renews this store's lock only (what DeployStore.heartbeat does). */
  renew(record: DeploymentRecord): Promise<void> {
    return super.heartbeat(record);
  }

  override async heartbeat(record: DeploymentRecord): Promise<void> {
    await this.renew(record);
    for (const p of this.partners) await p.store.renew(p.record);
  }
}

/** One group of a run: its record, lock and typed strategy state (written through the strategy's codec). */
export interface Member<S = unknown> {
  name: string;
  store: LinkedStore;
  record: DeploymentRecord;
  state: S;
  codec: StateCodec<S>;
}

export interface StrategyRun<S = unknown> {
  ctx: DeployContext;
  /** The first member is the one results and `done` events name. */
  members: Member<S>[];
  started: number;
  lowestServing: number;
}

export function newMember<S>(ctx: DeployContext, name: string, record: DeploymentRecord, codec: StateCodec<S>, state: NoInfer<S>): Member<S> {
  return { name, store: new LinkedStore(ctx.aws.autoscaling, ctx.clock, name, ctx.owner, ctx.holder), record, state, codec };
}

/** Links the members' heartbeats together. */
export function linkMembers<S>(members: Member<S>[]): void {
  for (const m of members) m.store.partners = members.filter((o) => o !== m).map((o) => ({ store: o.store, record: o.record }));
}

/** An event without the fields `emit` fills in. */
export type EventBody = DeployEvent extends infer E ? (E extends DeployEvent ? Omit<E, 't' | 'deployId' | 'group'> : never) : never;

export function emit<S>(run: StrategyRun<S>, member: Member<S>, event: EventBody): void {
  run.ctx.emit({ t: run.ctx.clock.now(), deployId: member.record.id, group: member.name, ...event } as DeployEvent);
}

/** Writes one member's state tag, then its record and lock (before the step they describe). */
export async function writeMember<S>(run: StrategyRun<S>, m: Member<S>): Promise<void> {
  await writeState(run.ctx.aws.autoscaling, m.name, m.codec.encode(m.state));
  await m.store.write(m.record);
  emit(run, m, { code: 'record-written', phase: m.record.phase });
}

/** Sets the phase (and strategy step) on every member and writes them. */
export async function setPhase<S extends { step: string }>(run: StrategyRun<S>, phase: DeployPhase, step?: S['step'], reason?: string): Promise<void> {
  for (const m of run.members) {
    m.record.phase = phase;
    if (step !== undefined) m.state.step = step;
    if (reason !== undefined) m.record.reason = reason;
    await writeMember(run, m);
  }
}

/**
 * Takes the lock on every member (a new deploy, or resume/abort). If another
 * deploy wins one of them, the records this run already wrote for a new deploy
 * are removed again and the error is raised.
 */
export async function acquireAll<S>(run: StrategyRun<S>, fresh: boolean): Promise<void> {
  const taken: Member<S>[] = [];
  try {
    for (const m of run.members) {
      await writeState(run.ctx.aws.autoscaling, m.name, m.codec.encode(m.state));
      await m.store.acquire(m.record, async () => (await run.ctx.aws.autoscaling.describeGroup(m.name)).group);
      taken.push(m);
      emit(run, m, { code: 'locked', lockOwner: run.ctx.owner });
    }
  } catch (e) {
    for (const m of taken) {
      if (fresh) await run.ctx.aws.autoscaling.deleteTags(m.name, [RECORD_TAGS.deploy, RECORD_TAGS.versions, RECORD_TAGS.original, RECORD_TAGS.settings, RECORD_TAGS.lock]);
      else await m.store.release(m.record);
    }
    throw e;
  }
}

export function emitDone<S>(run: StrategyRun<S>, outcome: 'succeeded' | 'rolled-back' | 'failed' | 'aborted', version: string, reason?: string, summary?: string): void {
  const m = run.members[0]!;
  const now = run.ctx.clock.now();
  emit(run, m, {
    code: 'done',
    outcome,
    seconds: Math.round((now - run.started) / 1000),
    version,
    lowestServing: Number.isFinite(run.lowestServing) ? run.lowestServing : 0,
    floor: m.record.settings.floor,
    ...(reason === undefined ? {} : { reason }),
    ...(summary === undefined ? {} : { summary }),
  });
}

export function resultOf<S>(run: StrategyRun<S>, outcome: DeployOutcome, reason?: string): DeployResult {
  const m = run.members[0]!;
  return runResult({ ...run, group: m.name, record: m.record }, outcome, reason);
}

/** The result of a run on `group` from its record, its start and the lowest serving it saw (every strategy's). */
export function runResult(
  run: { ctx: DeployContext; started: number; lowestServing: number; group: string; record: DeploymentRecord },
  outcome: DeployOutcome,
  reason?: string,
): DeployResult {
  return deployResult(
    {
      group: run.group,
      deployId: run.record.id,
      fromVersion: run.record.fromVersion,
      toVersion: run.record.toVersion,
      seconds: Math.round((run.ctx.clock.now() - run.started) / 1000),
      lowestServing: Number.isFinite(run.lowestServing) ? run.lowestServing : undefined,
      floor: run.record.settings.floor,
    },
    outcome,
    reason,
  );
}

/** Ends the deploy on every member: the `last` summary stays, the record, state and lock go. */
export async function finishAll<S>(run: StrategyRun<S>, phase: 'done' | 'rolled-back' | 'aborted', reason?: string): Promise<void> {
  for (const m of run.members) {
    m.record.phase = phase;
    if (reason !== undefined) m.record.reason = reason;
    await m.store.finish(m.record, { lowestServing: run.lowestServing });
    await clearState(run.ctx.aws.autoscaling, (await run.ctx.aws.autoscaling.describeGroup(m.name)).group);
    emit(run, m, { code: 'unlocked' });
  }
}

/** Leaves the records for resume/abort and drops the locks. */
export async function releaseAll<S>(run: StrategyRun<S>): Promise<void> {
  for (const m of run.members) {
    await writeState(run.ctx.aws.autoscaling, m.name, m.codec.encode(m.state));
    await m.store.release(m.record);
  }
}

/** Stopped at a safe point (Ctrl-C): records stay, locks go, the user is told how to go on. */
export async function interruptedResult<S>(run: StrategyRun<S>, commands: { resume: string; abort: string }): Promise<DeployResult> {
  await releaseAll(run);
  const m = run.members[0]!;
  emit(run, m, { code: 'interrupted', phase: m.record.phase, resumeCommand: commands.resume, abortCommand: commands.abort });
  return resultOf(run, 'interrupted', 'interrupted at a safe point');
}

/** Failed and left as is (--no-rollback, or the way back failed too): the records say why. */
export async function failedResult<S>(run: StrategyRun<S>, version: string, reason: string): Promise<DeployResult> {
  for (const m of run.members) {
    m.record.phase = 'failed';
    m.record.reason = reason;
  }
  await releaseAll(run);
  emitDone(run, 'failed', version, reason);
  return resultOf(run, 'failed', reason);
}

/**
 * The unfinished record of `strategy` on a group, checked for a takeover
 * (resume, abort, rollback, finish): it must exist, not be over, and its lock
 * must have expired unless `force`.
 */
export function recordForTakeOver(group: Group, strategy: DeployStrategy, verb: string, now: number, force: boolean | undefined, here?: TakeOverHost): DeploymentRecord {
  const record = readRecord(group);
  if (!record || (isTerminalPhase(record.phase) && record.phase !== 'failed')) {
    throw new AsgDeployError('BAD_INPUT', `group ${group.name} has no unfinished deploy to ${verb}`, {
      hint: `\`asg-deploy status ${group.name}\` shows the group and its last deploy`,
    });
  }
  if (record.strategy !== strategy) {
    throw new AsgDeployError('BAD_INPUT', `the deploy on group ${group.name} is a ${record.strategy} deploy, not ${strategy}`, {
      hint: `use \`asg-deploy ${verb === 'abort' ? 'abort' : 'resume'} ${group.name}\``,
    });
  }
  assertLockTakeable(group.name, record, readLock(group), now, force, here ?? thisHost());
  return record;
}

