/**
 * `bluegreen`, `rollback` and `finish`: blue/green deploys over two Auto
 * Scaling groups that share their target groups (deploys.md "Blue/green",
 * seed 004, invariants 1–6).
 *
 * Deploy: record and lock both groups → pin the idle group to the target
 * version and write the version tag (PropagateAtLaunch) → copy the live
 * group's scaling policies and scheduled actions onto it → scale it to the
 * live group's capacity with the wave loop (converge.ts) while the live group
 * keeps serving and scaling, untouched → once the new fleet is ready, freeze
 * the live group, match any scale-out it made meanwhile (seed 004's trap) →
 * lower its MinSize and put every live instance into Standby with the
 * decrement → move the policies (alarms re-pointed) and actions over. The old
 * fleet stays warm in Standby; the record stays on both groups, unlocked,
 * until `finish` (terminate the Standby fleet) or `rollback` (exit Standby,
 * wait ready, return the new group to idle and move the configuration back).
 *
 * Serving capacity is counted across both groups (an instance serves when it
 * is InService and Healthy in its group and healthy in every target group of
 * that group): the switch happens only when the new group alone holds the
 * floor, and a rollback retires the new fleet only once the old one serves.
 */
import type { GroupDescription } from '../../aws/index.js';
import {
  AsgDeployError,
  DEFAULT_MIN_HEALTHY,
  isEnteringStandby,
  isInService,
  isLaunchingOrServing,
  isPending,
  isStandby,
  oldInstances,
  resolveFloor,
  type Amount,
  type Group,
  type LaunchTemplateRef,
  type TargetVersion,
} from '../../core/index.js';
import type { DeployContext } from '../engine/context.js';
import { asInterruption, converge, Interrupted } from '../engine/wave-loop.js';
import { findPair, liveAndIdle, pairRole, type FoundPair, type PairQuery } from './pair.js';
import { moveScalingConfiguration, removeCopies, type MoveReport } from './policies.js';
import { pollUntil, servingAcross, waitUntilReady } from '../engine/readiness-wait.js';
import { newDeployId, TAG_PREFIX, type DeploymentRecord, type DeployPhase } from '../engine/record.js';
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
  releaseAll,
  resultOf,
  setPhase,
  type Member,
  type StrategyRun,
} from '../engine/run.js';
import { assertDeployable, checkVersionOptions, warmupAndTiming, launchToReadyMs, pinGroup, resolveTarget } from '../engine/preflight.js';
import { readState } from '../engine/state.js';
import { flagYes, stateCodec, undoOutcome } from '../engine/state-codec.js';
import { abortWith, resumeWith, runLeg, type Resumption, type Strategy } from '../engine/strategy.js';
import type { TakeOverOptions } from '../engine/types.js';
import { z } from 'zod';
import type { GuardrailOptions, GuardVerdict } from '../guardrail.js';
import { guardrailRun, type GuardrailRun } from '../guardrails/guardrail-run.js';
import { guardrailsForRecord } from '../guardrails/guardrails-for-record.js';
import { refuseCheckpoints, waveGuards } from '../engine/wave-guards.js';
import { readRecord, thisHost } from '../engine/store.js';
import { groupTemplateKey } from '../engine/target.js';

/** The tag the new group carries, propagated to its instances at launch (seed 004 writes `docker:image:version`). */
export const VERSION_TAG = `${TAG_PREFIX}version`;

/** Strategy steps kept in the state tag (the record's phase is the coarse view `status` shows). */
const STEP_ORDER = ['prepare', 'scale', 'switch', 'bake', 'switched', 'finish', 'back'] as const;
export type BlueGreenStep = (typeof STEP_ORDER)[number];
/**
 * The state tag each group of the pair carries: the step, its role (`old`:
 * live at the start, `new`: deployed onto), the other group (`pair`), the app,
 * the new group's version tag and template before the deploy (`vtag`, `lt`),
 * how an undo in progress ends (`undo`), and whether the switch had begun
 * when it started (`moved=yes`: the configuration moves back).
 */
const BlueGreenState = z.object({
  step: z.enum(STEP_ORDER),
  role: z.enum(['old', 'new']),
  pair: z.string().min(1),
  app: z.string().optional(),
  vtag: z.string().optional(),
  lt: z.string().optional(),
  undo: undoOutcome.optional(),
  moved: flagYes.optional(),
});
type BlueGreenState = z.output<typeof BlueGreenState>;
const blueGreenState = stateCodec('bluegreen', BlueGreenState);
/** The record phase shown for each step. `suspended`: the old fleet is parked in Standby, awaiting finish or rollback. */
const PHASE_OF: Record<BlueGreenStep, DeployPhase> = {
  prepare: 'preparing',
  scale: 'rolling',
  switch: 'rolling',
  bake: 'baking',
  switched: 'suspended',
  finish: 'restoring',
  back: 'rolling-back',
};

export interface BlueGreenOptions extends PairQuery, GuardrailOptions {
  /** Exactly one of templateVersion and image. */
  templateVersion?: number;
  image?: string;
  minHealthy?: Amount;
  warmupMs?: number;
  timeoutMs?: number;
  maxFailedLaunches?: number;
  /** Default true: when the new fleet fails, return its group to idle (the live group was never touched). */
  rollback?: boolean;
  dryRun?: boolean;
}

export interface PairTakeOverOptions extends PairQuery {
  /** Take over even though the lock has not expired (its holder is known to be dead). */
  force?: boolean;
}

export interface GroupTakeOverOptions extends GuardrailOptions {
  /** Either group of the pair. */
  group: string;
  force?: boolean;
}

export type BlueGreenResult = DeployResult & {
  app?: string;
  /** The group serving at the end. */
  live?: string;
  /** The group holding the old fleet in Standby (after a deploy, until finish or rollback). */
  standby?: string;
};

/** The deploy's two groups: the one live at the start (`old`) and the one it deploys onto (`new`). */
interface PairRun extends StrategyRun<BlueGreenState> {
  app: string;
  oldM: Member<BlueGreenState>;
  newM: Member<BlueGreenState>;
  rollbackAllowed: boolean;
  /** The deploy's guardrails, on the new group (alarms, checks while it comes up; the bake after the switch). */
  guards: GuardrailRun;
}

function guardsFor(ctx: DeployContext, newM: Member, options: GuardrailOptions): GuardrailRun {
  return guardrailRun(ctx, { group: newM.name, deployId: newM.record.id, targetVersion: newM.record.toVersion }, options);
}

/** The checks of the bake: every guardrail's watch, both locks' heartbeat, and the new group holding the floor. */
async function watchAll(run: PairRun): Promise<GuardVerdict> {
  const v = await run.guards.watch('forward');
  if (!v.ok) return v;
  await run.newM.store.heartbeat(run.newM.record);
  await run.oldM.store.heartbeat(run.oldM.record);
  const serving = servingAcross([await run.ctx.aws.snapshotFleet(run.newM.name)]);
  run.lowestServing = Math.min(run.lowestServing, serving);
  const floor = run.oldM.record.settings.floor;
  if (serving < floor) return { ok: false, code: 'floor', reason: `only ${serving} instance(s) of ${run.newM.name} serve on version ${run.newM.record.toVersion}, below the floor of ${floor}` };
  return { ok: true };
}

/** Ends the guardrails on every outcome but an interruption (a resume bakes again). */
async function endGuards(run: PairRun, out: BlueGreenResult): Promise<BlueGreenResult> {
  if (out.outcome !== 'interrupted') await run.guards.finish();
  return out;
}

/** `resume` takes a group of the pair (either carries the record), `rollback` the app. */
const commandsFor = (run: PairRun) => ({ resume: `asg-deploy resume ${run.newM.name}`, abort: `asg-deploy rollback ${run.app}` });

function targetOf(run: PairRun): TargetVersion {
  return { version: Number(run.newM.record.toVersion), launchTemplateId: run.newM.record.templateId };
}

function step(run: PairRun): BlueGreenStep {
  // Both groups carry the step; a crash between the two writes leaves the later one on one group.
  const steps = [run.oldM.state.step, run.newM.state.step];
  return steps.sort((a, b) => STEP_ORDER.indexOf(b) - STEP_ORDER.indexOf(a))[0]!;
}

async function setStep(run: PairRun, s: BlueGreenStep, reason?: string): Promise<void> {
  await setPhase(run, PHASE_OF[s], s, reason);
}

function pairResult(run: PairRun, result: DeployResult, live: string, standby?: string): BlueGreenResult {
  return { ...result, group: run.newM.name, app: run.app, live, ...(standby === undefined ? {} : { standby }) };
}

async function describe(ctx: DeployContext, name: string): Promise<GroupDescription> {
  return ctx.aws.autoscaling.describeGroup(name);
}

function checkInterrupted(ctx: DeployContext): void {
  if (ctx.signal?.aborted) throw new Interrupted('interrupted');
}

async function suspend(run: PairRun, m: Member): Promise<void> {
  if (m.record.suspendedByUs.length === 0) return;
  await run.ctx.aws.autoscaling.suspendProcesses(m.name, m.record.suspendedByUs);
  emit(run, m, { code: 'processes-suspended', processes: m.record.suspendedByUs });
}

async function resumeProcesses(run: PairRun, m: Member): Promise<void> {
  if (m.record.suspendedByUs.length === 0) return;
  const { group } = await describe(run.ctx, m.name);
  const toResume = m.record.suspendedByUs.filter((p) => group.suspendedProcesses.includes(p));
  if (toResume.length === 0) return;
  await run.ctx.aws.autoscaling.resumeProcesses(m.name, toResume);
  emit(run, m, { code: 'processes-resumed', processes: toResume });
}

function reportMove(run: PairRun, m: Member, report: MoveReport, copyOnly: boolean): void {
  emit(run, m, { code: 'policies-moved', from: report.from, to: report.to, policies: report.policies, scheduledActions: report.scheduledActions, alarms: report.alarms, skipped: report.skipped, copyOnly });
  for (const s of report.skipped) emit(run, m, { code: 'warning', message: `scheduled action not copied: ${s}` });
}

/** Samples serving across the pair into the run's lowest (the history is the proof; this is the report). */
async function sampleServing(run: PairRun): Promise<number> {
  const fleets = await Promise.all([run.ctx.aws.snapshotFleet(run.oldM.name), run.ctx.aws.snapshotFleet(run.newM.name)]);
  const serving = servingAcross(fleets);
  run.lowestServing = Math.min(run.lowestServing, serving);
  return serving;
}

// ---------------------------------------------------------------------------
// Forward: configure, scale, switch

async function configureNewGroup(run: PairRun): Promise<void> {
  const { ctx, newM, oldM } = run;
  await setStep(run, 'scale');
  const { group } = await describe(ctx, newM.name);
  const ref: LaunchTemplateRef = { id: newM.record.templateId, version: newM.record.toVersion };
  if (group.launchTemplate?.version !== ref.version || (group.launchTemplate?.id !== undefined && group.launchTemplate.id !== ref.id)) {
    await pinGroup(ctx, group, ref, newM.record.id);
  }
  if (group.tags.find((t) => t.key === VERSION_TAG)?.value !== newM.record.toVersion) {
    await ctx.aws.autoscaling.createOrUpdateTags(newM.name, [{ key: VERSION_TAG, value: newM.record.toVersion, propagateAtLaunch: true }]);
    emit(run, newM, { code: 'version-tagged', key: VERSION_TAG, value: newM.record.toVersion });
  }
  await suspend(run, newM);
  reportMove(run, newM, await moveScalingConfiguration(ctx, oldM.name, newM.name, { copyOnly: true }), true);
}

/**
 * Scales the new group to the live group's capacity and waits until all of it
 * is ready; then freezes the live group and repeats while it had scaled out
 * meanwhile. Returns a failure reason, or undefined when the new group can take over.
 */
async function scaleNewGroup(run: PairRun): Promise<{ kind: 'ready' } | { kind: 'failed'; reason: string } | { kind: 'interrupted' }> {
  const { ctx, newM, oldM } = run;
  const s = newM.record.settings;
  let frozen = false;
  const guards = waveGuards(run.guards, 'forward', newM.store, newM.record);
  for (;;) {
    checkInterrupted(ctx);
    const [live, fresh] = await Promise.all([describe(ctx, oldM.name), describe(ctx, newM.name)]);
    const want = Math.max(live.group.desiredCapacity, fresh.group.desiredCapacity);
    const max = Math.max(live.group.maxSize, want);
    if (fresh.group.maxSize < max) {
      await ctx.aws.autoscaling.updateGroup(newM.name, { maxSize: max });
      emit(run, newM, { code: 'group-sized', min: fresh.group.minSize, max, desired: fresh.group.desiredCapacity, why: `room for ${oldM.name}'s capacity of ${want}` });
    }
    const out = await converge(ctx, newM.store, newM.record, {
      target: targetOf(run),
      startDesired: want,
      surge: want,
      floor: 0,
      warmupMs: s.warmupSeconds * 1000,
      timeoutMs: s.timeoutSeconds * 1000,
      maxFailedLaunches: s.maxFailedLaunches,
      phase: 'bluegreen',
      plannedWaves: 1,
      // Watch and admit while the idle group comes up (no checkpoints: it is scaled up in one step).
      ...(guards === undefined ? {} : { guards }),
      servingAlso: { groups: [oldM.name], floor: oldM.record.settings.floor },
    });
    if (out.kind !== 'converged') return out.kind === 'failed' ? { kind: 'failed', reason: out.reason } : { kind: 'interrupted' };
    // A stop asked for meanwhile is honoured before the live group is touched.
    checkInterrupted(ctx);
    if (!frozen) {
      // From here the live group must hold still until it is switched off: no alarms, schedules or rebalancing.
      await suspend(run, oldM);
      frozen = true;
    }
    const again = await describe(ctx, oldM.name);
    if (again.group.desiredCapacity > want) {
      emit(run, newM, { code: 'warning', message: `${oldM.name} scaled out to ${again.group.desiredCapacity} during the deploy; matching it` });
      continue;
    }
    if (again.instances.some((i) => isPending(i.lifecycleState))) {
      // A launch already under way in the live group: wait for it to finish so it can go to Standby too.
      await pollUntil(ctx, newM.store, newM.record, async () => !(await describe(ctx, oldM.name)).instances.some((i) => isPending(i.lifecycleState)), s.timeoutSeconds * 1000);
      continue;
    }
    // MinSize as the live group had it at the start (by now it may be lowered for the switch).
    const minSize = oldM.record.original.min;
    const { group: now } = await describe(ctx, newM.name);
    if (now.minSize !== minSize && minSize <= now.desiredCapacity) {
      await ctx.aws.autoscaling.updateGroup(newM.name, { minSize });
      emit(run, newM, { code: 'group-sized', min: minSize, max: now.maxSize, desired: now.desiredCapacity, why: `copied from ${oldM.name}` });
    }
    return { kind: 'ready' };
  }
}

/** Lowers the live group's MinSize and puts every instance it has into Standby with the decrement, holding the floor. */
async function switchTraffic(run: PairRun): Promise<{ kind: 'switched' } | { kind: 'rescale' }> {
  const { ctx, newM, oldM } = run;
  const floor = oldM.record.settings.floor;
  await setStep(run, 'switch');
  for (;;) {
    checkInterrupted(ctx);
    const [oldFleet, newFleet] = await Promise.all([ctx.aws.snapshotFleet(oldM.name), ctx.aws.snapshotFleet(newM.name)]);
    run.lowestServing = Math.min(run.lowestServing, servingAcross([oldFleet, newFleet]));
    const counted = oldFleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState));
    if (counted.length === 0) break;
    const newServing = servingAcross([newFleet]);
    // The new group alone must hold the floor and the live group's capacity before any live instance leaves.
    const needed = Math.max(floor, oldFleet.group.desiredCapacity);
    if (newServing < needed) return { kind: 'rescale' };
    if (oldFleet.group.minSize > 0) {
      await ctx.aws.autoscaling.updateGroup(oldM.name, { minSize: 0 });
      emit(run, oldM, { code: 'group-sized', min: 0, max: oldFleet.group.maxSize, desired: oldFleet.group.desiredCapacity, why: `so its instances can enter Standby (MinSize ${oldM.record.original.min} is recorded)` });
    }
    const inService = counted.filter((i) => isInService(i.lifecycleState));
    if (inService.length < counted.length) {
      await pollUntil(ctx, oldM.store, oldM.record, async () => !(await describe(ctx, oldM.name)).instances.some((i) => isPending(i.lifecycleState)), oldM.record.settings.timeoutSeconds * 1000);
      continue;
    }
    const ids = inService.map((i) => i.id);
    await ctx.aws.autoscaling.enterStandby(oldM.name, ids, true);
    emit(run, oldM, { code: 'standby-entered', instanceIds: ids, desired: oldFleet.group.desiredCapacity - ids.length });
  }
  const serving = await sampleServing(run);
  emit(run, newM, { code: 'traffic-switched', live: newM.name, standby: oldM.name, serving, floor });
  // The old fleet drains out of the target groups, then waits in Standby.
  await pollUntil(ctx, oldM.store, oldM.record, async () => !(await describe(ctx, oldM.name)).instances.some((i) => isEnteringStandby(i.lifecycleState)), oldM.record.settings.timeoutSeconds * 1000);
  reportMove(run, newM, await moveScalingConfiguration(ctx, oldM.name, newM.name), false);
  await resumeProcesses(run, newM);
  await resumeProcesses(run, oldM);
  return { kind: 'switched' };
}

async function driveForward(run: PairRun): Promise<BlueGreenResult> {
  const { ctx, newM, oldM } = run;
  try {
    if (STEP_ORDER.indexOf(step(run)) < STEP_ORDER.indexOf('switch')) await configureNewGroup(run);
    // A resume at the switch or later suspends the new group's processes again (a hand-over resumed them).
    else await suspend(run, newM);
    for (;;) {
      const scaled = await scaleNewGroup(run);
      if (scaled.kind === 'interrupted') return pairResult(run, await interruptedResult(run, commandsFor(run)), oldM.name);
      if (scaled.kind === 'failed') {
        if (run.rollbackAllowed) return await goBack(run, scaled.reason, 'rolled-back');
        return pairResult(run, await failedResult(run, newM.record.toVersion, scaled.reason), oldM.name);
      }
      const switched = await switchTraffic(run);
      if (switched.kind === 'switched') break;
    }
    if (run.guards.bakeTimeMs > 0) {
      // Bake after the switch (docs/guardrails.md, wiring 7): a failure rolls back from Standby, no launch.
      await setStep(run, 'bake');
      const baked = await asInterruption(ctx, () => run.guards.bake(() => watchAll(run)));
      if (baked?.kind === 'stopped') {
        const reason = `${baked.verdict.reason} (during the bake time, ${Math.round(baked.afterMs / 1000)}s after the switch)`;
        if (run.rollbackAllowed) return await goBack(run, reason, 'rolled-back');
        return pairResult(run, await failedResult(run, newM.record.toVersion, reason), newM.name, oldM.name);
      }
    }
    await setStep(run, 'switched');
    await releaseAll(run);
    emitDone(run, 'succeeded', newM.record.toVersion);
    const { instances } = await describe(ctx, oldM.name);
    const standby = instances.filter((i) => isStandby(i.lifecycleState)).length;
    emit(run, newM, { code: 'awaiting-decision', live: newM.name, standby: oldM.name, standbyInstances: standby, finishCommand: `asg-deploy finish ${run.app}`, rollbackCommand: `asg-deploy rollback ${run.app}` });
    return pairResult(run, resultOf(run, 'succeeded'), newM.name, oldM.name);
  } catch (e) {
    if (e instanceof Interrupted) return pairResult(run, await interruptedResult(run, commandsFor(run)), oldM.name);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Back: the old fleet serves again, the new group returns to idle

/**
 * Undoes the deploy from wherever it is: the old group's Standby instances
 * exit Standby and must be ready before the new group is touched; then the
 * scaling configuration moves back, the new group returns to its original
 * sizes, version and tag, and both groups' processes are resumed.
 */
async function goBack(run: PairRun, reason: string, outcome: 'rolled-back' | 'aborted'): Promise<BlueGreenResult> {
  const { ctx, newM, oldM } = run;
  const at = step(run);
  // Whether the switch began: the live group may be frozen and its configuration moved (kept in the state across resumes).
  const wasSwitching = at === 'back' ? oldM.state.moved === true || newM.state.moved === true : STEP_ORDER.indexOf(at) >= STEP_ORDER.indexOf('switch');
  try {
    for (const m of [oldM, newM]) {
      m.state.undo = outcome;
      if (wasSwitching) m.state.moved = true;
    }
    await setStep(run, 'back', reason);
    emit(run, newM, { code: 'rollback-started', reason, toVersion: oldM.record.fromVersion });
    // The old group is touched only if the switch had begun; before that it kept serving as it was.
    if (wasSwitching) await suspend(run, oldM);
    await suspend(run, newM);
    const timeoutMs = oldM.record.settings.timeoutSeconds * 1000;

    // 1. The old fleet back in service.
    await pollUntil(ctx, oldM.store, oldM.record, async () => !(await describe(ctx, oldM.name)).instances.some((i) => isEnteringStandby(i.lifecycleState)), timeoutMs);
    let old = await describe(ctx, oldM.name);
    const parked = old.instances.filter((i) => isStandby(i.lifecycleState)).map((i) => i.id);
    if (parked.length > 0) {
      if (old.group.desiredCapacity + parked.length > old.group.maxSize) {
        await ctx.aws.autoscaling.updateGroup(oldM.name, { maxSize: old.group.desiredCapacity + parked.length });
      }
      await ctx.aws.autoscaling.exitStandby(oldM.name, parked);
      emit(run, oldM, { code: 'standby-exited', instanceIds: parked, desired: old.group.desiredCapacity + parked.length });
    }
    old = await describe(ctx, oldM.name);
    const fresh = await describe(ctx, newM.name);
    // Serve at least what the new group serves now (it may have scaled out since the switch), and MinSize.
    const newLive = wasSwitching ? fresh.group.desiredCapacity : 0;
    const desired = Math.max(old.group.desiredCapacity, newLive, oldM.record.original.min);
    const maxSize = Math.max(old.group.maxSize, desired);
    if (old.group.minSize !== oldM.record.original.min || old.group.desiredCapacity !== desired || old.group.maxSize !== maxSize) {
      await ctx.aws.autoscaling.updateGroup(oldM.name, { minSize: oldM.record.original.min, maxSize, desiredCapacity: desired });
      emit(run, oldM, { code: 'group-sized', min: oldM.record.original.min, max: maxSize, desired, why: 'serving again' });
    }
    const ready = await waitUntilReady(ctx, oldM.store, oldM.record, {
      groups: [oldM.name, newM.name],
      isNew: (_i, fleet) => fleet.group.name === oldM.name,
      want: (fleets) => fleets.find((f) => f.group.name === oldM.name)?.group.desiredCapacity ?? desired,
      warmupMs: oldM.record.settings.warmupSeconds * 1000,
      timeoutMs,
      maxFailedLaunches: Infinity,
      phase: 'rolling-back',
      version: oldM.record.fromVersion,
      floor: oldM.record.settings.floor,
      startDesired: desired,
      knownAtFirstLook: true,
      via: 'standby',
    });
    run.lowestServing = Math.min(run.lowestServing, ready.lowestServing);
    if (ready.kind === 'interrupted') return pairResult(run, await interruptedResult(run, commandsFor(run)), oldM.name);
    if (ready.kind === 'failed') {
      return pairResult(run, await failedResult(run, oldM.record.fromVersion, `${reason}; then the way back failed: ${ready.reason}`), oldM.name);
    }

    // 2. Scaling policies and scheduled actions back on the old group.
    const report = wasSwitching ? await moveScalingConfiguration(ctx, newM.name, oldM.name, { overwrite: false }) : await removeCopies(ctx, oldM.name, newM.name);
    reportMove(run, oldM, report, false);

    // 3. The new group back to what it was: sizes (its instances go), version, tag.
    const { group: ng } = await describe(ctx, newM.name);
    const o = newM.record.original;
    if (ng.minSize !== o.min || ng.maxSize !== o.max || ng.desiredCapacity !== o.desired) {
      await ctx.aws.autoscaling.updateGroup(newM.name, { minSize: o.min, maxSize: o.max, desiredCapacity: o.desired });
      emit(run, newM, { code: 'group-sized', min: o.min, max: o.max, desired: o.desired, why: 'back to idle' });
    }
    const previous: LaunchTemplateRef = { id: newM.state.lt ?? newM.record.templateId, version: newM.record.fromVersion };
    if (ng.launchTemplate?.version !== previous.version || (ng.launchTemplate.id !== undefined && ng.launchTemplate.id !== previous.id)) await pinGroup(ctx, ng, previous, newM.record.id);
    const tag = ng.tags.find((t) => t.key === VERSION_TAG);
    if (newM.state.vtag !== undefined && tag?.value !== newM.state.vtag) {
      await ctx.aws.autoscaling.createOrUpdateTags(newM.name, [{ key: VERSION_TAG, value: newM.state.vtag, propagateAtLaunch: true }]);
    } else if (newM.state.vtag === undefined && tag) await ctx.aws.autoscaling.deleteTags(newM.name, [VERSION_TAG]);
    await pollUntil(ctx, newM.store, newM.record, async () => (await describe(ctx, newM.name)).instances.length <= o.desired, timeoutMs);

    // 4. Sizes and processes as they were.
    old = await describe(ctx, oldM.name);
    if (old.group.maxSize !== oldM.record.original.max && old.group.desiredCapacity <= oldM.record.original.max) {
      await ctx.aws.autoscaling.updateGroup(oldM.name, { maxSize: oldM.record.original.max });
    }
    await resumeProcesses(run, oldM);
    await resumeProcesses(run, newM);
    old = await describe(ctx, oldM.name);
    ctx.emit({ t: ctx.clock.now(), deployId: oldM.record.id, group: oldM.name, code: 'restored', min: old.group.minSize, max: old.group.maxSize, desired: old.group.desiredCapacity });
    await sampleServing(run);
    await finishAll(run, outcome, reason);
    emitDone(run, outcome, oldM.record.fromVersion, reason);
    return pairResult(run, resultOf(run, outcome, reason), oldM.name);
  } catch (e) {
    if (e instanceof Interrupted) return pairResult(run, await interruptedResult(run, commandsFor(run)), oldM.name);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Finish: the Standby fleet goes

async function finishSwitch(run: PairRun): Promise<BlueGreenResult> {
  const { ctx, newM, oldM } = run;
  try {
    await setStep(run, 'finish');
    const timeoutMs = oldM.record.settings.timeoutSeconds * 1000;
    await pollUntil(ctx, oldM.store, oldM.record, async () => !(await describe(ctx, oldM.name)).instances.some((i) => isEnteringStandby(i.lifecycleState)), timeoutMs);
    const { instances } = await describe(ctx, oldM.name);
    const retired = instances.filter((x) => isStandby(x.lifecycleState)).length;
    for (const i of instances.filter((x) => isStandby(x.lifecycleState))) {
      emit(run, oldM, { code: 'instance-retiring', instanceId: i.id, version: i.launchTemplate?.version ?? '?', az: i.availabilityZone });
      // Standby instances are outside the desired capacity: nothing to decrement, nothing replaces them.
      await ctx.aws.autoscaling.terminateInstance(i.id, false);
    }
    await pollUntil(ctx, oldM.store, oldM.record, async () => (await describe(ctx, oldM.name)).instances.length === 0, timeoutMs);
    const { group } = await describe(ctx, oldM.name);
    if (group.minSize !== 0 || group.desiredCapacity !== 0 || group.maxSize !== oldM.record.original.max) {
      await ctx.aws.autoscaling.updateGroup(oldM.name, { minSize: 0, desiredCapacity: 0, maxSize: oldM.record.original.max });
    }
    ctx.emit({ t: ctx.clock.now(), deployId: oldM.record.id, group: oldM.name, code: 'restored', min: 0, max: oldM.record.original.max, desired: 0 });
    await sampleServing(run);
    await finishAll(run, 'done');
    emitDone(run, 'succeeded', newM.record.toVersion, undefined, `finished: terminated ${retired} Standby instance(s) of ${oldM.name}; version ${newM.record.toVersion} stays live on ${newM.name}`);
    return pairResult(run, resultOf(run, 'succeeded'), newM.name);
  } catch (e) {
    if (e instanceof Interrupted) return pairResult(run, await interruptedResult(run, { resume: `asg-deploy finish ${run.app}`, abort: `asg-deploy rollback ${run.app}` }), newM.name, oldM.name);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Entry points

function settingsFor(options: BlueGreenOptions) {
  return {
    minHealthy: options.minHealthy ?? DEFAULT_MIN_HEALTHY,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxFailedLaunches: options.maxFailedLaunches ?? DEFAULT_MAX_FAILED_LAUNCHES,
  };
}

/**
 * A blue/green deploy of `options.app` to a launch template version. On
 * success the new group serves and the old fleet waits in Standby until
 * {@link finishBlueGreen} or {@link rollbackBlueGreen}.
 *
 * ```ts
 * const result = await bluegreen(ctx, { app: 'web', image: 'ami-0123456789abcdef0' });
 * // result.live === 'web-green', result.standby === 'web-blue'
 * ```
 */
export async function bluegreen(ctx: DeployContext, options: BlueGreenOptions): Promise<BlueGreenResult> {
  const started = ctx.clock.now();
  checkVersionOptions('bluegreen', options);
  const settings = settingsFor(options);
  const pair = await findPair(ctx.aws, options);
  const { live, idle } = liveAndIdle(pair);
  for (const d of [live, idle]) {
    groupTemplateKey(d.group);
    await assertDeployable(ctx, d.group);
  }
  const sharedTargets = sameSet(live.group.targetGroupArns, idle.group.targetGroupArns);
  ctx.emit({ t: ctx.clock.now(), group: live.group.name, code: 'pair', app: pair.app, live: live.group.name, idle: idle.group.name, liveDesired: live.group.desiredCapacity, targetGroups: live.group.targetGroupArns });
  if (!sharedTargets) {
    ctx.emit({ t: ctx.clock.now(), group: idle.group.name, code: 'warning', message: `${live.group.name} and ${idle.group.name} are not in the same target groups; traffic moves only if your load balancer routes to both` });
  }

  const resolved = await resolveTarget(ctx, idle.group, live.group, options);
  const { target } = resolved;
  const liveTarget: TargetVersion = { version: target.version, launchTemplateId: target.templateId };
  const fleet = await ctx.aws.snapshotFleet(live.group.name);
  const stale = oldInstances(fleet, liveTarget);
  const liveOnTarget = !resolved.wouldCreate && live.group.launchTemplate?.version === String(target.version) && (live.group.launchTemplate?.id ?? target.templateId) === target.templateId;

  const desired = live.group.desiredCapacity;
  const floor = resolveFloor(settings.minHealthy, desired);
  const { warmupMs, timing } = await warmupAndTiming(ctx, idle.group, options.warmupMs);
  const fromVersion = live.group.launchTemplate!.version;
  ctx.emit({
    t: ctx.clock.now(),
    group: idle.group.name,
    code: 'plan',
    strategy: 'bluegreen',
    fromVersion,
    toVersion: resolved.toVersion,
    templateId: target.templateId,
    desired,
    floor,
    surge: desired,
    waves: 1,
    expectedSeconds: Math.round((launchToReadyMs(timing) + timing.drainMs) / 1000),
    replace: fleet.instances.filter((i) => isLaunchingOrServing(i.lifecycleState)).length,
    maxSizeNeeded: live.group.maxSize,
  });
  const base: BlueGreenResult = { outcome: 'planned', group: idle.group.name, app: pair.app, live: live.group.name, fromVersion, toVersion: resolved.toVersion, seconds: 0, floor };
  if (liveOnTarget && stale.length === 0) {
    ctx.emit({ t: ctx.clock.now(), group: live.group.name, code: 'nothing-to-do', reason: `${live.group.name} already serves version ${target.version}` });
    return { ...base, outcome: 'nothing-to-do' };
  }
  refuseCheckpoints(options, 'bluegreen');
  // Preflight (also for --dry-run): before any record or lock; a throw is exit 2.
  const id = newDeployId(ctx.clock.now());
  await guardrailRun(ctx, { group: idle.group.name, deployId: id, targetVersion: String(target.version) }, options).preflight();
  if (options.dryRun) return base;

  const now = ctx.clock.now();
  const common = {
    id,
    strategy: 'bluegreen' as const,
    phase: 'preparing' as const,
    startedAt: now,
    updatedAt: now,
    toVersion: String(target.version),
    settings: {
      surge: desired,
      floor,
      warmupSeconds: Math.round(warmupMs / 1000),
      maxFailedLaunches: settings.maxFailedLaunches,
      timeoutSeconds: Math.round(settings.timeoutMs / 1000),
    },
  };
  const sizes = (g: Group) => ({ min: g.minSize, max: g.maxSize, desired: g.desiredCapacity });
  const suspendedByUs = (g: Group) => FIGHTING_PROCESSES.filter((p) => !g.suspendedProcesses.includes(p));
  const oldRecord: DeploymentRecord = {
    ...common,
    templateId: live.group.launchTemplate!.id ?? target.templateId,
    fromVersion,
    original: sizes(live.group),
    suspendedByUs: suspendedByUs(live.group),
  };
  const newRecord: DeploymentRecord = {
    ...common,
    templateId: target.templateId,
    fromVersion: idle.group.launchTemplate!.version,
    original: sizes(idle.group),
    suspendedByUs: suspendedByUs(idle.group),
    ...guardrailsForRecord(options), // the guardrails go on the new group with its record (issue 9)
  };
  const previousTag = idle.group.tags.find((t) => t.key === VERSION_TAG)?.value;
  const idleTemplate = idle.group.launchTemplate!.id;
  const oldM = newMember(ctx, live.group.name, oldRecord, blueGreenState, { step: 'prepare', role: 'old', pair: idle.group.name, app: pair.app });
  const newM = newMember(ctx, idle.group.name, newRecord, blueGreenState, {
    step: 'prepare',
    role: 'new',
    pair: live.group.name,
    app: pair.app,
    ...(previousTag === undefined ? {} : { vtag: previousTag }),
    ...(idleTemplate !== undefined && idleTemplate !== target.templateId ? { lt: idleTemplate } : {}),
  });
  const run: PairRun = { ctx, app: pair.app, members: [newM, oldM], oldM, newM, started, lowestServing: Infinity, rollbackAllowed: options.rollback !== false, guards: guardsFor(ctx, newM, options) };
  linkMembers(run.members);
  await acquireAll(run, true);
  return runLeg(blueGreenStrategy, run, () => driveForward(run));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Loads both groups' records of a blue/green deploy from either group and takes both locks. */
async function takeOverPair(ctx: DeployContext, groupName: string, verb: string, force: boolean | undefined, guardrails: GuardrailOptions = {}): Promise<PairRun> {
  const now = ctx.clock.now();
  const first = await describe(ctx, groupName);
  const firstRecord = recordForTakeOver(first.group, 'bluegreen', verb, now, force, thisHost(ctx.holder));
  // Refused with the tag, its value and the fix when it does not name its pair and role (state.ts stateCodec).
  const firstState = blueGreenState.decode(first.group);
  const second = await describe(ctx, firstState.pair);
  let secondRecord = readRecord(second.group);
  let secondState: BlueGreenState | undefined;
  if (!secondRecord || secondRecord.id !== firstRecord.id) {
    // The deploy died between writing the two records: nothing changed the second group yet, so it is as it was.
    if (STEP_ORDER.indexOf(firstState.step) > STEP_ORDER.indexOf('prepare')) {
      throw new AsgDeployError('BAD_INPUT', `group ${second.group.name} lacks the record of deploy ${firstRecord.id} that ${groupName} carries`, {
        hint: 'inspect both groups with `asg-deploy status`',
      });
    }
    secondRecord = {
      ...firstRecord,
      templateId: second.group.launchTemplate?.id ?? firstRecord.templateId,
      fromVersion: second.group.launchTemplate?.version ?? firstRecord.fromVersion,
      original: { min: second.group.minSize, max: second.group.maxSize, desired: second.group.desiredCapacity },
      suspendedByUs: FIGHTING_PROCESSES.filter((p) => !second.group.suspendedProcesses.includes(p)),
    };
    secondState = { step: firstState.step, role: firstState.role === 'old' ? 'new' : 'old', pair: groupName, ...(firstState.app === undefined ? {} : { app: firstState.app }) };
  } else {
    recordForTakeOver(second.group, 'bluegreen', verb, now, force, thisHost(ctx.holder));
    secondState = blueGreenState.decode(second.group);
  }
  const a = newMember(ctx, first.group.name, firstRecord, blueGreenState, firstState);
  const b = newMember(ctx, second.group.name, secondRecord, blueGreenState, secondState);
  const [oldM, newM] = firstState.role === 'old' ? [a, b] : [b, a];
  const run: PairRun = { ctx, app: firstState.app || oldM.state.app || newM.state.app || groupName, members: [newM, oldM], oldM, newM, started: ctx.clock.now(), lowestServing: Infinity, rollbackAllowed: guardrails.rollback !== false, guards: guardsFor(ctx, newM, guardrails) };
  linkMembers(run.members);
  await acquireAll(run, false);
  return run;
}

/** The group of the pair that carries an unfinished blue/green record, or undefined. */
function pairRecordGroup(pair: FoundPair): string | undefined {
  for (const d of [pair.blue, pair.green]) {
    const r = readRecord(d.group);
    if (r && r.strategy === 'bluegreen' && (r.phase === 'failed' || !['done', 'rolled-back', 'aborted'].includes(r.phase))) return d.group.name;
  }
  return undefined;
}

/**
 * `asg-deploy rollback APP`: back to the old fleet. After a deploy (old fleet
 * in Standby) it exits Standby, waits until it serves, then returns the new
 * group to idle and moves the scaling configuration back — no instance is
 * launched when the capacity did not change. During a deploy it undoes it.
 */
export async function rollbackBlueGreen(ctx: DeployContext, options: PairTakeOverOptions): Promise<BlueGreenResult> {
  const pair = await findPair(ctx.aws, options);
  const holder = pairRecordGroup(pair);
  if (!holder) {
    throw new AsgDeployError('BAD_INPUT', `nothing to roll back: no blue/green deploy of ${pair.app} is in progress or awaiting finish on ${pair.blue.group.name} / ${pair.green.group.name}`, {
      hint: `\`asg-deploy status ${pair.blue.group.name}\` shows the last deploy; a finished deploy is undone by deploying the previous version`,
    });
  }
  const run = await takeOverPair(ctx, holder, 'rollback', options.force);
  if (step(run) === 'finish') {
    await releaseAll(run);
    throw new AsgDeployError('CONFLICT', `the old fleet of ${run.app} is being terminated by \`finish\`; it cannot come back`, { hint: `complete it with \`asg-deploy finish ${run.app}\`` });
  }
  const reason = step(run) === 'back' ? (run.oldM.record.reason ?? 'rollback requested') : 'rollback requested';
  return runLeg(blueGreenStrategy, run, () => goBack(run, reason, step(run) === 'back' && run.oldM.state.undo === 'aborted' ? 'aborted' : 'rolled-back'));
}

/** `asg-deploy finish APP`: terminates the Standby fleet; the new group stays live, the old one idle at 0. */
export async function finishBlueGreen(ctx: DeployContext, options: PairTakeOverOptions): Promise<BlueGreenResult> {
  const pair = await findPair(ctx.aws, options);
  const holder = pairRecordGroup(pair);
  const nothing = () =>
    new AsgDeployError('BAD_INPUT', `nothing to finish: no blue/green deploy of ${pair.app} is awaiting finish on ${pair.blue.group.name} / ${pair.green.group.name}`, {
      hint: `deploy with \`asg-deploy bluegreen ${pair.app} --image AMI\` first; \`asg-deploy status ${pair.blue.group.name}\` shows the last deploy`,
    });
  if (!holder) throw nothing();
  const record = readRecord((holder === pair.blue.group.name ? pair.blue : pair.green).group)!;
  const state = blueGreenState.decode((holder === pair.blue.group.name ? pair.blue : pair.green).group);
  if (state.step !== 'switched' && state.step !== 'finish') {
    if (state.step === 'back') throw new AsgDeployError('CONFLICT', `a rollback of ${pair.app} is in progress (deploy ${record.id})`, { hint: `complete it with \`asg-deploy rollback ${pair.app}\`` });
    throw new AsgDeployError('BAD_INPUT', `nothing to finish yet: the deploy ${record.id} of ${pair.app} has not switched traffic (phase ${record.phase})`, {
      hint: `complete it with \`asg-deploy resume ${holder}\`, or undo it with \`asg-deploy rollback ${pair.app}\``,
    });
  }
  const run = await takeOverPair(ctx, holder, 'finish', options.force);
  return runLeg({ ...blueGreenStrategy, commands: (r: PairRun) => ({ resume: `asg-deploy finish ${r.app}`, abort: `asg-deploy rollback ${r.app}` }) }, run, () => finishSwitch(run));
}

/**
 * Blue/green as a plug-in of the engine: forward = prepare the idle group,
 * scale it (the wave loop), switch (old fleet to Standby), bake, switched —
 * then `finish` terminates the Standby fleet; back = the old fleet out of
 * Standby and ready, the configuration moved back, the new group to idle.
 */
export const blueGreenStrategy = {
  name: 'bluegreen',
  state: blueGreenState,
  steps: STEP_ORDER.filter((s) => s !== 'back'),
  backSteps: ['back'],
  plan: (ctx, options) => bluegreen(ctx, { ...options, dryRun: true }),
  start: bluegreen,
  takeOver: (ctx, options, verb) => takeOverPair(ctx, options.group, verb, options.force, verb === 'resume' ? options : {}),
  resumeAt: async (run): Promise<Resumption> => {
    const s = step(run);
    if (s === 'back') return { way: 'back', reason: run.oldM.record.reason ?? 'resumed rollback', outcome: run.oldM.state.undo ?? 'rolled-back' };
    if (s === 'switched') {
      throw new AsgDeployError('BAD_INPUT', `nothing to resume: ${run.newM.name} serves and ${run.oldM.name} holds the old fleet in Standby`, {
        hint: `keep the new version with \`asg-deploy finish ${run.app}\`, or go back with \`asg-deploy rollback ${run.app}\``,
      });
    }
    if (s !== 'finish') await run.guards.preflight();
    return { way: 'forward' };
  },
  assertCanGoBack: (run) => {
    if (step(run) === 'finish') {
      throw new AsgDeployError('CONFLICT', `the old fleet of ${run.app} is being terminated by \`finish\`; it cannot come back`, { hint: `complete it with \`asg-deploy finish ${run.app}\`` });
    }
  },
  // A finish interrupted or handed over goes on with the finish.
  forward: (run) => (step(run) === 'finish' ? finishSwitch(run) : driveForward(run)),
  back: goBack,
  interrupted: async (run) => pairResult(run, await interruptedResult(run, commandsFor(run)), run.oldM.name),
  commands: (run) => commandsFor(run),
  end: endGuards,
} satisfies Strategy<BlueGreenState, BlueGreenOptions, PairRun, BlueGreenResult>;

/**
 * Resume for the record dispatch (`resume` on a group whose record says
 * strategy `bluegreen`): continues the deploy, a finish or a rollback from
 * either group. A deploy that already switched has nothing to resume.
 */
export function resumeBlueGreen(ctx: DeployContext, options: GroupTakeOverOptions): Promise<BlueGreenResult> {
  return resumeWith(blueGreenStrategy, ctx, options);
}

/**
 * Abort for the record dispatch (`abort` on a bluegreen record): undoes the
 * deploy from wherever it is (the same as `rollback`). Refused while `finish`
 * terminates the old fleet.
 */
export function abortBlueGreen(ctx: DeployContext, options: GroupTakeOverOptions): Promise<BlueGreenResult> {
  return abortWith(blueGreenStrategy, ctx, options);
}

/** What `status` can show for a group of a pair: its role and the deploy step (undefined when it carries no blue/green state). */
export function blueGreenStatus(d: GroupDescription): { role?: string; pair?: string; step?: string; app?: string; pairRole: string } | undefined {
  const state = readState(d.group);
  const record = readRecord(d.group);
  if (!record || record.strategy !== 'bluegreen') return state.pair ? { ...state, pairRole: pairRole(d) } : undefined;
  return { role: state.role, pair: state.pair, step: state.step, app: state.app, pairRole: pairRole(d) };
}
