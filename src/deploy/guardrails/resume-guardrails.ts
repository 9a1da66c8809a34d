/**
 * What `resume` does with a deploy's guardrails (issue 9): it reads the
 * settings the deploy stored on its group with the record
 * (stored-guardrails.ts), lays what the resume's own command line gives over
 * them (`--alarm` adds an alarm; every other flag replaces its setting), and
 * hands the strategy the GuardrailOptions they make — so a deploy whose runner
 * died and is resumed from another machine keeps its alarms, checkpoints,
 * bake time, check and --no-rollback. The `--check` command then runs on the
 * resuming machine; the `guardrails-resumed` event says which command.
 *
 * @example
 *   const options = await withStoredGuardrails(ctx, { group: 'web', guardrailOverrides: { alarms: ['web-latency'] } });
 *   await STRATEGIES[strategy].resume(ctx, options);
 */
import { AsgDeployError, formatCheckpoints, formatDuration, type Group } from '../../core/index.js';
import type { DeployContext } from '../engine/context.js';
import { isTerminalPhase, type DeploymentRecord } from '../engine/record.js';
import { readState } from '../engine/state.js';
import { assertLockTakeable, groupTagMap, readLock, readRecord, thisHost } from '../engine/store.js';
import type { TakeOverOptions } from '../engine/types.js';
import type { Guardrail, GuardrailOptions } from '../guardrail.js';
import { guardrailsFromSettings } from './guardrails-from-settings.js';
import { encodeStoredGuardrails, guardrailTagKeys, isEmptyGuardrails, type StoredGuardrails } from './stored-guardrails.js';

/**
 * Settings given to `resume` itself (its flags), the stored fields each
 * optional: `alarms` are added to the stored ones, the rest replace them;
 * `noRollback` false is `--rollback` (undoes a stored --no-rollback).
 */
export type GuardrailOverrides = Partial<Omit<StoredGuardrails, 'unstored' | 'unreadable'>>;

export interface ResumeGuardrailOptions {
  guardrailOverrides?: GuardrailOverrides;
}

/** The flag each override came from, for the event and the messages. */
const FLAG_OF: Record<keyof GuardrailOverrides, string> = {
  alarms: '--alarm',
  checkpoints: '--checkpoints',
  checkpointPause: '--checkpoint-pause',
  bakeTimeMs: '--bake-time',
  check: '--check',
  checkTimeoutMs: '--check-timeout',
  noRollback: '--no-rollback',
};

/** The stored settings with the resume's flags laid over them; refuses a pause without checkpoints, a timeout without a check. */
export function mergeGuardrailSettings(stored: StoredGuardrails | undefined, overrides: GuardrailOverrides = {}): StoredGuardrails {
  const base: StoredGuardrails = stored ? { ...stored, alarms: [...stored.alarms] } : { alarms: [] };
  delete base.unreadable;
  const merged: StoredGuardrails = {
    ...base,
    alarms: [...base.alarms, ...(overrides.alarms ?? []).map((a) => a.trim()).filter((a) => a !== '' && !base.alarms.includes(a))],
  };
  if (overrides.checkpoints !== undefined) merged.checkpoints = overrides.checkpoints;
  if (overrides.checkpointPause !== undefined) merged.checkpointPause = overrides.checkpointPause;
  if (overrides.bakeTimeMs !== undefined) {
    if (overrides.bakeTimeMs > 0) merged.bakeTimeMs = overrides.bakeTimeMs;
    else delete merged.bakeTimeMs;
  }
  if (overrides.check !== undefined) merged.check = overrides.check;
  if (overrides.checkTimeoutMs !== undefined) merged.checkTimeoutMs = overrides.checkTimeoutMs;
  if (overrides.noRollback !== undefined) {
    if (overrides.noRollback) merged.noRollback = true;
    else delete merged.noRollback;
  }
  if (merged.checkpointPause !== undefined && merged.checkpoints === undefined) {
    throw new AsgDeployError('BAD_INPUT', '--checkpoint-pause needs checkpoints: the deploy has none stored and none were given', {
      hint: 'add the shares of the fleet to pause at, e.g. --checkpoints 10%,50%',
      details: { option: '--checkpoint-pause' },
    });
  }
  if (merged.checkTimeoutMs !== undefined && merged.check === undefined) {
    throw new AsgDeployError('BAD_INPUT', '--check-timeout needs a check: the deploy has none stored and no --check was given', {
      hint: "add the command, e.g. --check 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health'",
      details: { option: '--check-timeout' },
    });
  }
  return merged;
}

function given(overrides: GuardrailOverrides): (keyof GuardrailOverrides)[] {
  return (Object.keys(FLAG_OF) as (keyof GuardrailOverrides)[]).filter((k) => overrides[k] !== undefined && !(k === 'alarms' && overrides.alarms!.length === 0));
}

/**
 * The record `resume` names and the group its guardrails live on: that group,
 * or for blue/green the new group of the pair (the deploy stores them there
 * only, so nothing is left on the old group when the deploy ends).
 */
async function recordOf(ctx: DeployContext, groupName: string): Promise<{ record?: DeploymentRecord; group: Group; holder: string; pair?: string }> {
  const { group } = await ctx.aws.autoscaling.describeGroup(groupName);
  const record = readRecord(group);
  if (record === undefined || record.strategy !== 'bluegreen' || record.guardrails !== undefined) return { ...(record === undefined ? {} : { record }), group, holder: groupName };
  const state = readState(group);
  if (!state.pair) return { record, group, holder: groupName };
  const { group: other } = await ctx.aws.autoscaling.describeGroup(state.pair);
  const pairRecord = readRecord(other);
  const holder = state.role === 'new' ? groupName : state.pair;
  const guardrails = pairRecord?.id === record.id ? pairRecord.guardrails : undefined;
  return { record: guardrails === undefined ? record : { ...record, guardrails }, group, holder, pair: state.pair };
}

/**
 * The options a strategy's resume gets: the stored guardrails, the resume's
 * flags over them, and the Guardrail objects a library caller passed (they
 * replace the stored guardrail of the same name). Unchanged when the group has
 * no unfinished deploy (the strategy's take-over explains). Refuses
 * (BAD_INPUT) stored settings that cannot be read: running without them would
 * drop the deploy's safety silently.
 */
export async function withStoredGuardrails<O extends TakeOverOptions & ResumeGuardrailOptions>(ctx: DeployContext, options: O): Promise<O & GuardrailOptions & { rollback?: boolean }> {
  const { record, holder, group: described } = await recordOf(ctx, options.group);
  if (record === undefined || (isTerminalPhase(record.phase) && record.phase !== 'failed')) return options;
  const stored = record.guardrails;
  const overrides = options.guardrailOverrides ?? {};
  const fromFlags = given(overrides);
  if (stored?.unreadable !== undefined && fromFlags.length === 0) {
    throw new AsgDeployError('BAD_INPUT', `the guardrails stored with deploy ${record.id} on group ${options.group} cannot be read: ${stored.unreadable}`, {
      hint: `inspect them with \`aws autoscaling describe-tags --filters Name=auto-scaling-group,Values=${options.group}\`; give them again on the command line (e.g. \`asg-deploy resume ${options.group} --alarm NAME --bake-time 10m\`), or undo the deploy with \`asg-deploy abort ${options.group}\``,
      details: { group: options.group, deployId: record.id },
    });
  }
  const merged = mergeGuardrailSettings(stored?.unreadable === undefined ? stored : undefined, overrides);

  if (fromFlags.length > 0) {
    // Store what the flags changed before the take-over rewrites the record, so a later resume keeps them too.
    // Only a group this resume may take over: a live runner's deploy is not edited under it.
    assertLockTakeable(options.group, record, readLock(described), ctx.clock.now(), options.force, thisHost(ctx.holder));
    const values = encodeStoredGuardrails(record.id, merged);
    const { group } = await ctx.aws.autoscaling.describeGroup(holder);
    const keys = guardrailTagKeys(groupTagMap(group)).filter((k) => !(k in values));
    if (keys.length > 0) await ctx.aws.autoscaling.deleteTags(holder, keys);
    await ctx.aws.autoscaling.createOrUpdateTags(holder, Object.entries(values).map(([key, value]) => ({ key, value, propagateAtLaunch: false })));
  }

  const built = guardrailsFromSettings(merged).guardrails ?? [];
  const explicit: readonly Guardrail[] = options.guardrails ?? [];
  const guardrails = [...built.filter((g) => !explicit.some((e) => e.name === g.name)), ...explicit];
  const bakeTimeMs = options.bakeTimeMs ?? merged.bakeTimeMs;

  if (!isEmptyGuardrails(merged) || explicit.length > 0) {
    const pause = merged.checkpointPause;
    ctx.emit({
      t: ctx.clock.now(),
      deployId: record.id,
      group: options.group,
      code: 'guardrails-resumed',
      alarms: merged.alarms,
      ...(merged.checkpoints === undefined ? {} : { checkpoints: formatCheckpoints(merged.checkpoints) }),
      ...(pause === undefined ? {} : { checkpointPause: pause.kind === 'wait' ? 'wait' : formatDuration(pause.ms) }),
      ...(bakeTimeMs === undefined ? {} : { bakeSeconds: bakeTimeMs / 1000 }),
      ...(merged.check === undefined ? {} : { check: merged.check }),
      ...(merged.checkTimeoutMs === undefined ? {} : { checkTimeoutSeconds: merged.checkTimeoutMs / 1000 }),
      noRollback: merged.noRollback === true,
      fromFlags: fromFlags.map((k) => (k === 'noRollback' && overrides.noRollback === false ? '--rollback' : FLAG_OF[k])),
      unstored: (merged.unstored ?? []).filter((n) => !explicit.some((e) => e.name === n)),
    });
  }
  const missing = (merged.unstored ?? []).filter((n) => !explicit.some((e) => e.name === n));
  if (missing.length > 0) {
    ctx.emit({
      t: ctx.clock.now(),
      deployId: record.id,
      group: options.group,
      code: 'warning',
      message: `the deploy was started with guardrail${missing.length > 1 ? 's' : ''} ${missing.join(', ')} given to the library as objects, which cannot be stored on the group: this resume runs without ${missing.length > 1 ? 'them' : 'it'} unless passed again`,
    });
  }
  return {
    ...options,
    ...(guardrails.length > 0 ? { guardrails } : {}),
    ...(bakeTimeMs === undefined ? {} : { bakeTimeMs }),
    ...(merged.noRollback ? { rollback: false } : {}),
  };
}
