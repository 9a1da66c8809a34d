/**
 * `shrink`: double and shrink (deploys.md "Double and shrink", seed 004's
 * simple way). Record and lock → suspend the processes that fight a deploy →
 * raise MaxSize → pin the target version → raise desired by the number of old
 * instances (twice the group when all are old) → wait until the new half is
 * ready → protect it from scale-in and set the termination policy to
 * `OldestLaunchTemplate` (or `OldestInstance`) → restore desired, so the
 * group itself removes the old half → restore the termination policies,
 * protection, sizes and processes.
 *
 * Scale-in protection of the new half is what makes "the group removes
 * exactly the old half" hold even when the AZs are unevenly filled: Auto
 * Scaling balances AZs before it applies termination policies, and would
 * otherwise take a new instance out of a crowded AZ. A failure rolls back
 * through the wave loop (converge.ts) to the previous version, under the
 * same floor.
 */
import {
  AsgDeployError,
  DEFAULT_MIN_HEALTHY,
  isLaunchingOrServing,
  isOnTargetVersion,
  oldInstances,
  resolveFloor,
  servingCount,
  type Amount,
  type TargetVersion,
} from '../../core/index.js';
import type { DeployContext } from '../engine/context.js';
import { asInterruption, converge, Interrupted, waitForRetired } from '../engine/wave-loop.js';
import { pollUntil, waitUntilReady } from '../engine/readiness-wait.js';
import { newDeployId, type DeploymentRecord, type DeployPhase } from '../engine/record.js';
import { DEFAULT_MAX_FAILED_LAUNCHES, DEFAULT_TIMEOUT_MS, FIGHTING_PROCESSES, type DeployResult } from '../engine/types.js';
import {
  acquireAll,
  emit,
  emitDone,
  failedResult,
  finishAll,
  interruptedResult,
  linkMembers,
  newMember,
  recordForTakeOver,
  resultOf,
  setPhase,
  type Member,
  type StrategyRun,
} from '../engine/run.js';
import { thisHost } from '../engine/store.js';
import { assertDeployable, checkVersionOptions, warmupAndTiming, launchToReadyMs, pinGroup, resolveTarget } from '../engine/preflight.js';
import { readIds, writeStateAndIds } from '../engine/state.js';
import { stateCodec, undoOutcome } from '../engine/state-codec.js';
import { abortWith, resumeWith, runLeg, type Resumption, type Strategy } from '../engine/strategy.js';
import type { TakeOverOptions } from '../engine/types.js';
import { z } from 'zod';
import { groupTemplateKey } from '../engine/target.js';
import type { GuardrailOptions, GuardVerdict } from '../guardrail.js';
import { guardrailRun, type GuardrailRun } from '../guardrails/guardrail-run.js';
import { guardrailsForRecord } from '../guardrails/guardrails-for-record.js';
import { readyGuards, refuseCheckpoints } from '../engine/wave-guards.js';

export type ShrinkTerminationPolicy = 'OldestLaunchTemplate' | 'OldestInstance';

export interface ShrinkOptions extends GuardrailOptions {
  group: string;
  /** Exactly one of templateVersion and image. */
  templateVersion?: number;
  image?: string;
  minHealthy?: Amount;
  warmupMs?: number;
  timeoutMs?: number;
  maxFailedLaunches?: number;
  /** Default true: roll back when the new half fails. */
  rollback?: boolean;
  /** The policy that picks the old half. Default OldestLaunchTemplate. */
  terminationPolicy?: ShrinkTerminationPolicy;
  dryRun?: boolean;
}

export interface ShrinkTakeOverOptions extends GuardrailOptions {
  group: string;
  force?: boolean;
}

const STEPS = ['prepare', 'double', 'shrink', 'bake', 'restore', 'back'] as const;
type ShrinkStep = (typeof STEPS)[number];
/**
 * The shrink's state tag: its step, the termination policy it sets for the
 * shrink (`policy`), the group's own policies to put back (`tp`, comma
 * separated), and how an undo in progress ends (`undo`).
 */
const ShrinkState = z.object({
  step: z.enum(STEPS),
  policy: z.enum(['OldestLaunchTemplate', 'OldestInstance']).optional(),
  tp: z.string().optional(),
  undo: undoOutcome.optional(),
});
type ShrinkState = z.output<typeof ShrinkState>;
const shrinkState = stateCodec('shrink', ShrinkState);
const PHASE_OF: Record<ShrinkStep, DeployPhase> = { prepare: 'preparing', double: 'rolling', shrink: 'rolling', bake: 'baking', restore: 'restoring', back: 'rolling-back' };

interface ShrinkRun extends StrategyRun<ShrinkState> {
  m: Member<ShrinkState>;
  rollbackAllowed: boolean;
  /** The deploy's guardrails: watch and admit while the new half comes up and the old half goes, bake before the restore. */
  guards: GuardrailRun;
}

function guardsFor(ctx: DeployContext, m: Member, options: GuardrailOptions): GuardrailRun {
  return guardrailRun(ctx, { group: m.name, deployId: m.record.id, targetVersion: m.record.toVersion }, options);
}

/** Ends the guardrails on every outcome but an interruption. */
async function endGuards(run: ShrinkRun, out: DeployResult): Promise<DeployResult> {
  if (out.outcome !== 'interrupted') await run.guards.finish();
  return out;
}

const commandsFor = (group: string) => ({ resume: `asg-deploy resume ${group}`, abort: `asg-deploy abort ${group}` });

function stepOf(run: ShrinkRun): ShrinkStep {
  return run.m.state.step;
}

async function setStep(run: ShrinkRun, s: ShrinkStep, reason?: string): Promise<void> {
  await setPhase(run, PHASE_OF[s], s, reason);
}

function targetOf(record: DeploymentRecord, version: string): TargetVersion {
  return { version: Number(version), launchTemplateId: record.templateId };
}

/** The group's termination policies before the deploy (recorded in the state tag). */
function originalPolicies(m: Member<ShrinkState>): string[] {
  return (m.state.tp ?? 'Default').split(',').filter(Boolean);
}

async function suspendAndMakeRoom(run: ShrinkRun): Promise<void> {
  const { ctx, m } = run;
  if (m.record.suspendedByUs.length > 0) {
    await ctx.aws.autoscaling.suspendProcesses(m.name, m.record.suspendedByUs);
    emit(run, m, { code: 'processes-suspended', processes: m.record.suspendedByUs });
  }
  const { group } = await ctx.aws.autoscaling.describeGroup(m.name);
  const peak = m.record.original.desired + m.record.settings.surge;
  if (group.maxSize < peak) {
    await ctx.aws.autoscaling.updateGroup(m.name, { maxSize: peak });
    emit(run, m, { code: 'max-size-raised', from: group.maxSize, to: peak });
  }
}

async function pin(run: ShrinkRun, version: string): Promise<void> {
  const { group } = await run.ctx.aws.autoscaling.describeGroup(run.m.name);
  if (group.launchTemplate?.version === version && (group.launchTemplate.id ?? run.m.record.templateId) === run.m.record.templateId) return;
  await pinGroup(run.ctx, group, { id: run.m.record.templateId, version }, run.m.record.id);
}

/** Puts back the termination policies and unprotects what the deploy protected. Idempotent. */
async function restorePoliciesAndProtection(run: ShrinkRun): Promise<void> {
  const { ctx, m } = run;
  const { group, instances } = await ctx.aws.autoscaling.describeGroup(m.name);
  const policies = originalPolicies(m);
  if (group.terminationPolicies.join(',') !== policies.join(',')) {
    await ctx.aws.autoscaling.updateGroup(m.name, { terminationPolicies: policies });
    emit(run, m, { code: 'termination-policies-set', policies });
  }
  const recorded = new Set(readIds(group));
  const toUnprotect = instances.filter((i) => recorded.has(i.id) && i.protectedFromScaleIn && !i.lifecycleState.startsWith('Terminat')).map((i) => i.id);
  if (toUnprotect.length > 0) {
    await ctx.aws.autoscaling.setInstanceProtection(m.name, toUnprotect, false);
    emit(run, m, { code: 'scale-in-protection', instanceIds: toUnprotect, protectedFromScaleIn: false });
  }
}

async function restoreSizesAndProcesses(run: ShrinkRun): Promise<void> {
  const { ctx, m } = run;
  const { group } = await ctx.aws.autoscaling.describeGroup(m.name);
  const o = m.record.original;
  if (group.minSize !== o.min || group.maxSize !== o.max || group.desiredCapacity !== o.desired) {
    await ctx.aws.autoscaling.updateGroup(m.name, { minSize: o.min, maxSize: o.max, desiredCapacity: o.desired });
  }
  const toResume = m.record.suspendedByUs.filter((p) => group.suspendedProcesses.includes(p));
  if (toResume.length > 0) {
    await ctx.aws.autoscaling.resumeProcesses(m.name, toResume);
    emit(run, m, { code: 'processes-resumed', processes: toResume });
  }
  emit(run, m, { code: 'restored', min: o.min, max: o.max, desired: o.desired });
}

// ---------------------------------------------------------------------------
// Forward

async function driveForward(run: ShrinkRun): Promise<DeployResult> {
  const { ctx, m } = run;
  const n = m.record.original.desired;
  const target = targetOf(m.record, m.record.toVersion);
  const timeoutMs = m.record.settings.timeoutSeconds * 1000;
  try {
    // A resume past the double suspends again what the run holds suspended (a hand-over resumed the
    // fighting processes, and AZRebalance would terminate serving instances of the new half meanwhile).
    if (STEPS.indexOf(stepOf(run)) >= STEPS.indexOf('shrink')) await suspendAndMakeRoom(run);
    if (STEPS.indexOf(stepOf(run)) < STEPS.indexOf('shrink')) {
      await setStep(run, 'double');
      await suspendAndMakeRoom(run);
      await pin(run, m.record.toVersion);
      const peak = n + m.record.settings.surge;
      const { group } = await ctx.aws.autoscaling.describeGroup(m.name);
      if (group.desiredCapacity < peak) {
        emit(run, m, { code: 'wave-started', wave: 1, waves: 1, launching: peak - group.desiredCapacity, desired: peak });
        await ctx.aws.autoscaling.setDesiredCapacity(m.name, peak);
      }
      const ready = await waitUntilReady(ctx, m.store, m.record, {
        groups: [m.name],
        isNew: (i) => isOnTargetVersion(i, target),
        want: () => n,
        warmupMs: m.record.settings.warmupSeconds * 1000,
        timeoutMs,
        maxFailedLaunches: m.record.settings.maxFailedLaunches,
        phase: 'shrink',
        version: m.record.toVersion,
        floor: m.record.settings.floor,
        startDesired: n,
        // A refused instance goes; the group launches another try.
        ...(readyGuards(run.guards, m.record, true) === undefined ? {} : { guards: readyGuards(run.guards, m.record, true)! }),
      });
      run.lowestServing = Math.min(run.lowestServing, ready.lowestServing);
      if (ready.kind === 'interrupted') return await interruptedResult(run, commandsFor(m.name));
      if (ready.kind === 'failed') {
        if (run.rollbackAllowed) return await goBack(run, ready.reason, 'rolled-back');
        return await failedResult(run, m.record.toVersion, ready.reason);
      }
    }

    if (stepOf(run) !== 'restore') {
      // Protect the new half (recorded first, so the protection can be taken off after any crash).
      const { group, instances } = await ctx.aws.autoscaling.describeGroup(m.name);
      const fresh = instances.filter((i) => isOnTargetVersion(i, target) && isLaunchingOrServing(i.lifecycleState) && !i.protectedFromScaleIn).map((i) => i.id);
      m.state.step = 'shrink';
      const recorded = [...new Set([...readIds(group), ...fresh])];
      await writeStateAndIds(ctx.aws.autoscaling, group, m.codec.encode(m.state), recorded);
      await setStep(run, 'shrink');
      if (fresh.length > 0) {
        await ctx.aws.autoscaling.setInstanceProtection(m.name, fresh, true);
        emit(run, m, { code: 'scale-in-protection', instanceIds: fresh, protectedFromScaleIn: true });
      }
      const policy = m.state.policy ?? 'OldestLaunchTemplate';
      if (group.terminationPolicies.join(',') !== policy) {
        await ctx.aws.autoscaling.updateGroup(m.name, { terminationPolicies: [policy] });
        emit(run, m, { code: 'termination-policies-set', policies: [policy] });
      }
      if (group.desiredCapacity !== n) {
        await ctx.aws.autoscaling.setDesiredCapacity(m.name, n);
        emit(run, m, { code: 'group-sized', min: group.minSize, max: group.maxSize, desired: n, why: `the group removes the ${group.desiredCapacity - n} old instance(s) (${policy}; the new half is protected)` });
      }
      let stopped: Extract<GuardVerdict, { ok: false }> | undefined;
      const gone = await pollUntil(
        ctx,
        m.store,
        m.record,
        async () => {
          const verdict = await run.guards.watch('forward');
          if (!verdict.ok) {
            stopped = verdict;
            return true;
          }
          const fleet = await ctx.aws.snapshotFleet(m.name);
          run.lowestServing = Math.min(run.lowestServing, servingCount(fleet));
          return !fleet.instances.some((i) => !isOnTargetVersion(i, target));
        },
        timeoutMs,
      );
      if (stopped !== undefined) {
        if (run.rollbackAllowed) return await goBack(run, stopped.reason, 'rolled-back');
        return await failedResult(run, m.record.toVersion, stopped.reason);
      }
      if (!gone) {
        const why = `the group did not remove its old instances within ${Math.round(timeoutMs / 1000)}s`;
        if (run.rollbackAllowed) return await goBack(run, why, 'rolled-back');
        return await failedResult(run, m.record.toVersion, why);
      }
    }

    if (run.guards.bakeTimeMs > 0 && stepOf(run) !== 'restore') {
      // Bake (docs/guardrails.md): before the termination policies are restored; a failure rolls back.
      m.state.step = 'bake';
      await setStep(run, 'bake');
      const baked = await asInterruption(ctx, () => run.guards.bake(async () => {
        const v = await run.guards.watch('forward');
        if (!v.ok) return v;
        await m.store.heartbeat(m.record);
        const serving = servingCount(await ctx.aws.snapshotFleet(m.name));
        run.lowestServing = Math.min(run.lowestServing, serving);
        if (serving < m.record.settings.floor) return { ok: false, code: 'floor', reason: `only ${serving} instance(s) of ${m.name} serve on version ${m.record.toVersion}, below the floor of ${m.record.settings.floor}` };
        return { ok: true };
      }));
      if (baked?.kind === 'stopped') {
        const reason = `${baked.verdict.reason} (during the bake time, ${Math.round(baked.afterMs / 1000)}s after the old half left)`;
        if (run.rollbackAllowed) return await goBack(run, reason, 'rolled-back');
        return await failedResult(run, m.record.toVersion, reason);
      }
    }
    await setStep(run, 'restore');
    await restorePoliciesAndProtection(run);
    // The new half was launched to even out the zones *with* the old one: alone it may be uneven, and
    // AZRebalance (resumed next) would then terminate a serving instance before its replacement is
    // healthy. The wave loop settles count and zones on the target version (a no-op when balanced).
    const settle = await converge(ctx, m.store, m.record, {
      target,
      startDesired: n,
      surge: m.record.settings.surge,
      floor: m.record.settings.floor,
      warmupMs: m.record.settings.warmupSeconds * 1000,
      timeoutMs,
      maxFailedLaunches: m.record.settings.maxFailedLaunches,
      phase: 'restoring',
      plannedWaves: 0,
    });
    run.lowestServing = Math.min(run.lowestServing, settle.lowestServing);
    if (settle.kind === 'interrupted') return await interruptedResult(run, commandsFor(m.name));
    if (settle.kind === 'failed') return await failedResult(run, m.record.toVersion, `settling the zones after the shrink failed: ${settle.reason}`);
    await waitForRetired(ctx, m.name, target, timeoutMs);
    await restoreSizesAndProcesses(run);
    await finishAll(run, 'done');
    emitDone(run, 'succeeded', m.record.toVersion);
    return resultOf(run, 'succeeded');
  } catch (e) {
    if (e instanceof Interrupted) return interruptedResult(run, commandsFor(m.name));
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Back: the previous version through the wave loop

async function goBack(run: ShrinkRun, reason: string, outcome: 'rolled-back' | 'aborted'): Promise<DeployResult> {
  const { ctx, m } = run;
  const s = m.record.settings;
  try {
    m.state.undo = outcome;
    await setStep(run, 'back', reason);
    emit(run, m, { code: 'rollback-started', reason, toVersion: m.record.fromVersion });
    await suspendAndMakeRoom(run);
    await restorePoliciesAndProtection(run);
    await pin(run, m.record.fromVersion);
    const back = await converge(ctx, m.store, m.record, {
      target: targetOf(m.record, m.record.fromVersion),
      startDesired: m.record.original.desired,
      surge: s.surge,
      floor: s.floor,
      warmupMs: s.warmupSeconds * 1000,
      timeoutMs: s.timeoutSeconds * 1000,
      maxFailedLaunches: Infinity,
      phase: 'rolling-back',
      plannedWaves: 1,
    });
    run.lowestServing = Math.min(run.lowestServing, back.lowestServing);
    if (back.kind === 'interrupted') return await interruptedResult(run, commandsFor(m.name));
    if (back.kind === 'failed') return await failedResult(run, m.record.fromVersion, `${reason}; then the rollback failed: ${back.reason}`);
    await waitForRetired(ctx, m.name, targetOf(m.record, m.record.fromVersion), s.timeoutSeconds * 1000);
    await restoreSizesAndProcesses(run);
    await finishAll(run, outcome, reason);
    emitDone(run, outcome, m.record.fromVersion, reason);
    return resultOf(run, outcome, reason);
  } catch (e) {
    if (e instanceof Interrupted) return interruptedResult(run, commandsFor(m.name));
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Entry points

/**
 * Double-and-shrink deploy of `options.group` to a launch template version.
 *
 * ```ts
 * const result = await shrink(ctx, { group: 'web', image: 'ami-0123456789abcdef0' });
 * ```
 */
export async function shrink(ctx: DeployContext, options: ShrinkOptions): Promise<DeployResult> {
  const started = ctx.clock.now();
  checkVersionOptions('shrink', options);
  const policy = options.terminationPolicy ?? 'OldestLaunchTemplate';
  if (policy !== 'OldestLaunchTemplate' && policy !== 'OldestInstance') {
    throw new AsgDeployError('BAD_INPUT', `invalid --termination-policy ${JSON.stringify(policy)}: expected OldestLaunchTemplate or OldestInstance`);
  }
  const name = options.group;
  const { group } = await ctx.aws.autoscaling.describeGroup(name);
  await assertDeployable(ctx, group);
  groupTemplateKey(group);
  const userSuspended = ['Launch', 'Terminate'].filter((p) => group.suspendedProcesses.includes(p));
  if (userSuspended.length > 0) {
    throw new AsgDeployError('BAD_INPUT', `group ${name} has ${userSuspended.join(' and ')} suspended; shrink needs the group to launch and to scale in`, {
      hint: `resume them (\`aws autoscaling resume-processes --auto-scaling-group-name ${name} --scaling-processes ${userSuspended.join(' ')}\`) or use \`asg-deploy roll\``,
    });
  }
  const resolved = await resolveTarget(ctx, group, group, options);
  const { target } = resolved;
  const fleet = await ctx.aws.snapshotFleet(name);
  const targetVersion: TargetVersion = { version: target.version, launchTemplateId: target.templateId };
  const old = resolved.wouldCreate ? fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState)) : oldInstances(fleet, targetVersion);
  const protectedOld = old.filter((i) => i.protectedFromScaleIn);
  if (protectedOld.length > 0) {
    throw new AsgDeployError('BAD_INPUT', `${protectedOld.map((i) => i.id).join(', ')} ${protectedOld.length === 1 ? 'is' : 'are'} protected from scale-in, so the group could not remove the old half`, {
      hint: `remove the protection (\`aws autoscaling set-instance-protection --no-protected-from-scale-in\`) or use \`asg-deploy roll\`, which terminates old instances itself`,
    });
  }
  const n = group.desiredCapacity;
  const k = old.length;
  const floor = resolveFloor(options.minHealthy ?? DEFAULT_MIN_HEALTHY, n);
  const { warmupMs, timing } = await warmupAndTiming(ctx, group, options.warmupMs);
  const fromVersion = String(resolved.current.version);
  ctx.emit({
    t: ctx.clock.now(),
    group: name,
    code: 'plan',
    strategy: 'shrink',
    fromVersion,
    toVersion: resolved.toVersion,
    templateId: target.templateId,
    desired: n,
    floor,
    surge: k,
    waves: k > 0 ? 1 : 0,
    expectedSeconds: Math.round((launchToReadyMs(timing) + timing.drainMs) / 1000),
    replace: k,
    maxSizeNeeded: Math.max(group.maxSize, n + k),
  });
  const pinned = group.launchTemplate?.version === String(target.version) && (group.launchTemplate?.id ?? target.templateId) === target.templateId;
  const base: DeployResult = { outcome: 'planned', group: name, fromVersion, toVersion: resolved.toVersion, seconds: 0, floor };
  if (k === 0 && pinned) {
    ctx.emit({ t: ctx.clock.now(), group: name, code: 'nothing-to-do', reason: `every instance of ${name} already runs version ${target.version}` });
    return { ...base, outcome: 'nothing-to-do' };
  }
  refuseCheckpoints(options, 'shrink');
  // Preflight (also for --dry-run): before any record or lock; a throw is exit 2.
  const deployId = newDeployId(ctx.clock.now());
  await guardrailRun(ctx, { group: name, deployId, targetVersion: String(target.version) }, options).preflight();
  if (options.dryRun) return base;
  if (k === 0 || n === 0) {
    await pinGroup(ctx, group, { id: target.templateId, version: String(target.version) });
    return { ...base, outcome: 'succeeded', seconds: Math.round((ctx.clock.now() - started) / 1000) };
  }

  const now = ctx.clock.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const record: DeploymentRecord = {
    id: deployId,
    strategy: 'shrink',
    phase: 'preparing',
    startedAt: now,
    updatedAt: now,
    templateId: target.templateId,
    fromVersion,
    toVersion: String(target.version),
    original: { min: group.minSize, max: group.maxSize, desired: n },
    suspendedByUs: FIGHTING_PROCESSES.filter((p) => !group.suspendedProcesses.includes(p)),
    settings: {
      surge: k,
      floor,
      warmupSeconds: Math.round(warmupMs / 1000),
      maxFailedLaunches: options.maxFailedLaunches ?? DEFAULT_MAX_FAILED_LAUNCHES,
      timeoutSeconds: Math.round(timeoutMs / 1000),
    },
    ...guardrailsForRecord(options), // the guardrails go on the group with the record (issue 9)
  };
  const m = newMember(ctx, name, record, shrinkState, { step: 'prepare', policy, tp: (group.terminationPolicies.length > 0 ? group.terminationPolicies : ['Default']).join(',') });
  const run: ShrinkRun = { ctx, members: [m], m, started, lowestServing: Infinity, rollbackAllowed: options.rollback !== false, guards: guardsFor(ctx, m, options) };
  linkMembers(run.members);
  await acquireAll(run, true);
  return runLeg(shrinkStrategy, run, () => driveForward(run));
}

async function takeOver(ctx: DeployContext, options: TakeOverOptions, verb: string): Promise<ShrinkRun> {
  const { group } = await ctx.aws.autoscaling.describeGroup(options.group);
  const record = recordForTakeOver(group, 'shrink', verb, ctx.clock.now(), options.force, thisHost(ctx.holder));
  const m = newMember(ctx, group.name, record, shrinkState, shrinkState.decode(group));
  const run: ShrinkRun = { ctx, members: [m], m, started: ctx.clock.now(), lowestServing: Infinity, rollbackAllowed: options.rollback !== false, guards: guardsFor(ctx, m, options) };
  linkMembers(run.members);
  await acquireAll(run, false);
  return run;
}

/**
 * Double and shrink as a plug-in of the engine: forward = double (new half
 * ready), shrink (the group removes the old half, the new one protected),
 * bake, restore; back = the previous version through the wave loop.
 */
export const shrinkStrategy = {
  name: 'shrink',
  state: shrinkState,
  steps: STEPS.filter((s) => s !== 'back'),
  backSteps: ['back'],
  plan: (ctx, options) => shrink(ctx, { ...options, dryRun: true }),
  start: shrink,
  takeOver: (ctx, options, verb) => takeOver(ctx, options, verb),
  resumeAt: async (run): Promise<Resumption> => {
    if (stepOf(run) === 'back') return { way: 'back', reason: run.m.record.reason ?? 'resumed rollback', outcome: run.m.state.undo ?? 'rolled-back' };
    await run.guards.preflight();
    return { way: 'forward' };
  },
  assertCanGoBack: () => undefined,
  forward: driveForward,
  back: goBack,
  interrupted: (run) => interruptedResult(run, commandsFor(run.m.name)),
  commands: (run) => commandsFor(run.m.name),
  end: endGuards,
} satisfies Strategy<ShrinkState, ShrinkOptions, ShrinkRun>;

/** Resume for the record dispatch (strategy `shrink`): finishes the deploy, or the rollback in progress. */
export function resumeShrink(ctx: DeployContext, options: ShrinkTakeOverOptions): Promise<DeployResult> {
  return resumeWith(shrinkStrategy, ctx, options);
}

/** Abort for the record dispatch (strategy `shrink`): back to the previous version under the floor, everything restored. */
export function abortShrink(ctx: DeployContext, options: ShrinkTakeOverOptions): Promise<DeployResult> {
  return abortWith(shrinkStrategy, ctx, options);
}
