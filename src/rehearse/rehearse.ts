/**
 * `asg-deploy rehearse`: copy the live fleet's shape into an in-process
 * emulator and run the exact deploy there on a fast clock, a few times with
 * different seeds, to predict how long it takes, how low serving goes and what
 * will get in its way — before anything changes in the account.
 *
 * The live account is only read (Describe calls, see fleet-shape.ts). This
 * module wires the deploy half and the emulator together, as `demo` does; the
 * deploy it runs is the user's own, given as a function of a context.
 *
 * @example
 *   const report = await rehearse({
 *     live, region: 'us-east-1',
 *     deploy: { groups: ['web'], images: [image], createsTemplateVersion: true,
 *               run: (ctx, ids) => roll(ctx, { group: 'web', image: ids.image(image) }) },
 *   });
 *   report.predictedSeconds.median; report.problems;
 */
import type { AwsClients } from '../aws/index.js';
import { createAwsClients } from '../aws/index.js';
import { VirtualClock } from '../clock/index.js';
import { bootSecondsFromActivities, readySeconds } from '../core/rehearsal-timings.js';
import type { DeployContext, DeployEvent } from '../deploy/index.js';
import { lowestServing, servingTimeline, startEmulator, type HistoryEntry } from '../emulator/index.js';
import { readFleetShape, type FleetShape } from './fleet-shape.js';
import { dedupeProblems, runProblems, shapeProblems, type RehearsalProblem } from './problems.js';
import { addAutomation, replicateFleet } from './replicate.js';

/** The deploy to rehearse: which groups it touches and how to run it on a context. */
export interface RehearsalDeploy {
  /** Every group the deploy touches (a blue/green pair: both); the first is the one reported. */
  groups: readonly string[];
  /** Images the deploy names that no launch template names yet (`--image`). */
  images?: readonly string[];
  /** Instances prepared outside the group that the deploy puts in (`swap --instances`): copied too. */
  instances?: readonly string[];
  /** True when the deploy creates a launch template version (`--image`). */
  createsTemplateVersion: boolean;
  run(ctx: DeployContext, ids: RehearsalIds): Promise<RehearsedOutcome>;
}

/** Live ids translated to the copy's. */
export interface RehearsalIds {
  image(liveImageId: string): string;
  instance(liveInstanceId: string): string;
}

export interface RehearsedOutcome {
  outcome: string;
  reason?: string;
  floor?: number;
}

export interface RehearsalOptions {
  live: AwsClients;
  region: string;
  deploy: RehearsalDeploy;
  /** One rehearsal per seed (AZ ties, jitter, flaky checks); default 1, 2, 3. */
  seeds?: readonly number[];
  /** Boot-to-InService seconds, instead of the live scaling activities' median. */
  bootSeconds?: number;
  /** Seconds the application takes to answer health checks after boot (AWS does not record it). Default 20. */
  appReadySeconds?: number;
  /** The live account's present (epoch ms). Default Date.now(). */
  now?: number;
  /** Told before each step (reading, copying, each seed). */
  onProgress?: (message: string) => void;
  /** Sees every event of every rehearsed deploy. */
  onEvent?: (seed: number, event: DeployEvent) => void;
  /** After each run, while its copy still answers (e.g. to write `asg-deploy report` of it): the copy's clients and clock time. */
  afterRun?: (seed: number, copy: AwsClients, now: number) => Promise<void>;
}

export interface RehearsalRun {
  seed: number;
  outcome: string;
  reason?: string;
  simulatedSeconds: number;
  lowestServing: number;
  floor?: number;
  apiCalls: number;
}

export interface RehearsalTimings {
  bootSeconds: number;
  bootBasis: string;
  readySeconds: number;
  readyBasis: string;
}

export interface RehearsalReport {
  group: string;
  runs: RehearsalRun[];
  predictedSeconds: { median: number; min: number; max: number };
  lowestServing: number;
  floor?: number;
  apiCalls: number;
  problems: RehearsalProblem[];
  assumptions: string[];
  timings: RehearsalTimings;
  /** True when every rehearsed run succeeded (exit 0). */
  succeeded: boolean;
  /** The shape that was read (for `--output json` and the report). */
  shape: FleetShape;
}

const REHEARSAL_CREDENTIALS = { accessKeyId: 'rehearsal', secretAccessKey: 'rehearsal' };
/** The emulator builds the copy this long before the live present, so the deploy starts at the live instant (scheduled actions line up). */
const BUILD_LEAD_MS = 2 * 3600_000;

export async function rehearse(options: RehearsalOptions): Promise<RehearsalReport> {
  const now = options.now ?? Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const { deploy } = options;
  const group = deploy.groups[0]!;

  progress(`reading ${deploy.groups.join(', ')} from ${options.region} (read-only)`);
  const shape = await readFleetShape(options.live, { groups: deploy.groups, extraImages: deploy.images ?? [], preparedInstances: deploy.instances ?? [], now, region: options.region });
  const timings = estimateTimings(shape, options);
  const imageTags = { 'emulator:boot-seconds': String(timings.bootSeconds), 'emulator:ready-seconds': String(options.appReadySeconds ?? 20) };

  const runs: RehearsalRun[] = [];
  const found: RehearsalProblem[] = shapeProblems(shape, { createsTemplateVersion: deploy.createsTemplateVersion });
  let assumptions: string[] = [];
  for (const seed of options.seeds ?? [1, 2, 3]) {
    progress(`rehearsing on a copy (seed ${seed})`);
    const clock = new VirtualClock(now - BUILD_LEAD_MS);
    const emu = await startEmulator({ clock, seed });
    const aws = createAwsClients({ endpoint: emu.endpoint, region: options.region, credentials: REHEARSAL_CREDENTIALS, clock, retryBaseMs: 500, env: {} });
    try {
      const replica = await replicateFleet(shape, aws, { imageTags, clock });
      // Start the deploy at the live present, so a scheduled action due in the window fires in it.
      if (clock.now() < now) clock.advance(now - clock.now());
      await addAutomation(shape, aws, replica);
      assumptions = replica.assumptions;
      const events: DeployEvent[] = [];
      const started = clock.now();
      const historyStart = emu.sim.history.entries.length;
      const outcome = await deploy.run(
        {
          aws,
          clock,
          emit: (e) => {
            events.push(e);
            options.onEvent?.(seed, e);
          },
          owner: 'rehearsal',
        },
        { image: (id) => replica.imageIds.get(id) ?? id, instance: (id) => replica.instanceIds.get(id) ?? id },
      );
      const ended = clock.now();
      const entries = emu.sim.history.entries.slice(historyStart);
      const copiedTargetGroups = [...replica.targetGroupArns.values()];
      const timeline = servingTimeline(emu.sim.history.entries, { group: [...deploy.groups], targetGroupArns: copiedTargetGroups });
      const plan = events.find((e): e is Extract<DeployEvent, { code: 'plan' }> => e.code === 'plan');
      const live = shape.groups.find((g) => g.raw.AutoScalingGroupName === group)!;
      runs.push({
        seed,
        outcome: outcome.outcome,
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
        simulatedSeconds: Math.round((ended - started) / 1000),
        lowestServing: lowestServing(timeline, started, ended),
        ...(outcome.floor === undefined ? {} : { floor: outcome.floor }),
        apiCalls: entries.filter((e) => e.type === 'call').length,
      });
      await options.afterRun?.(seed, aws, clock.now());
      found.push(
        ...runProblems({
          group,
          maxSize: live.raw.MaxSize ?? 0,
          ...(plan === undefined ? {} : { maxSizeNeeded: plan.maxSizeNeeded }),
          hookHolds: hookHolds(entries, ended),
          outsideScaling: await outsideScaling(aws, deploy.groups, started, ended),
          outcome: outcome.outcome,
          ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
        }),
      );
    } finally {
      aws.destroy();
      await emu.close();
    }
  }
  const seconds = runs.map((r) => r.simulatedSeconds).sort((a, b) => a - b);
  const floor = runs.find((r) => r.floor !== undefined)?.floor;
  return {
    group,
    runs,
    predictedSeconds: { median: seconds[Math.floor(seconds.length / 2)] ?? 0, min: seconds[0] ?? 0, max: seconds[seconds.length - 1] ?? 0 },
    lowestServing: Math.min(...runs.map((r) => r.lowestServing)),
    ...(floor === undefined ? {} : { floor }),
    apiCalls: Math.round(runs.reduce((n, r) => n + r.apiCalls, 0) / Math.max(1, runs.length)),
    problems: dedupeProblems(found),
    assumptions: [...assumptions, ...timingAssumptions(timings)],
    timings,
    succeeded: runs.every((r) => r.outcome === 'succeeded' || r.outcome === 'nothing-to-do' || r.outcome === 'planned'),
    shape,
  };
}

function estimateTimings(shape: FleetShape, options: RehearsalOptions): RehearsalTimings {
  const group = shape.groups[0]!;
  const fromHistory = bootSecondsFromActivities(
    group.activities.map((a) => ({
      ...(a.Description === undefined ? {} : { description: a.Description }),
      ...(a.StatusCode === undefined ? {} : { statusCode: a.StatusCode }),
      ...(a.StartTime === undefined ? {} : { startTime: a.StartTime.getTime() }),
      ...(a.EndTime === undefined ? {} : { endTime: a.EndTime.getTime() }),
    })),
  );
  const boot =
    options.bootSeconds !== undefined
      ? { bootSeconds: options.bootSeconds, bootBasis: 'given with --boot-seconds' }
      : fromHistory
        ? { bootSeconds: fromHistory.seconds, bootBasis: `median of the group's last ${fromHistory.samples} launches` }
        : { bootSeconds: 30, bootBasis: 'assumed: the group has no recent launch to measure' };
  const tg = shape.targetGroups[0]?.raw;
  const appReady = options.appReadySeconds ?? 20;
  const ready = tg
    ? {
        readySeconds: readySeconds({ intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30, healthyThresholdCount: tg.HealthyThresholdCount ?? 5 }, appReady),
        readyBasis: `${options.appReadySeconds === undefined ? 'assumed' : 'given'} ${appReady} s for the application to answer, then ${tg.HealthyThresholdCount ?? 5} checks every ${tg.HealthCheckIntervalSeconds ?? 30} s (target group ${tg.TargetGroupName})`,
      }
    : { readySeconds: appReady, readyBasis: `${options.appReadySeconds === undefined ? 'assumed' : 'given'} ${appReady} s for the application to start (no target group)` };
  return { ...boot, ...ready };
}

function timingAssumptions(t: RehearsalTimings): string[] {
  return [`boot to InService: ${t.bootSeconds} s (${t.bootBasis})`, `InService to serving: ${t.readySeconds} s (${t.readyBasis}; --ready-seconds sets it)`];
}

/** Pending:Wait holds in the window: how many, and the longest (a hold still open at `end` counts until `end`). */
function hookHolds(entries: readonly HistoryEntry[], end: number): { count: number; longestSeconds: number } {
  const since = new Map<string, number>();
  let count = 0;
  let longest = 0;
  for (const e of entries) {
    if (e.type !== 'lifecycle') continue;
    if (e.to === 'Pending:Wait') {
      since.set(e.instanceId, e.t);
      count++;
    } else if (e.from === 'Pending:Wait') {
      const start = since.get(e.instanceId);
      if (start !== undefined) longest = Math.max(longest, e.t - start);
      since.delete(e.instanceId);
    }
  }
  for (const start of since.values()) longest = Math.max(longest, end - start);
  return { count, longestSeconds: Math.round(longest / 1000) };
}

/** The causes of scaling activities in the window that a policy, an alarm or a scheduled action started. */
async function outsideScaling(aws: AwsClients, groups: readonly string[], from: number, to: number): Promise<string[]> {
  const causes: string[] = [];
  for (const group of groups) {
    for (const a of await aws.autoscaling.describeScalingActivities(group, { limit: 200 })) {
      const t = a.StartTime?.getTime() ?? 0;
      if (t < from || t > to) continue;
      const cause = a.Cause ?? '';
      if (/scheduled action|policy|alarm/i.test(cause)) causes.push(cause);
    }
  }
  return [...new Set(causes)];
}
