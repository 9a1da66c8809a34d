/**
 * How long a rolling deploy takes and how many AWS calls it makes, on the
 * emulator with realistic timings (deploys.md "Rolling", invariant 2: a deploy
 * takes about waves × (boot + ready + health checks + warmup) plus one drain).
 *
 * Per fleet size (20 and 200 instances; surge 25 %, min healthy 100 %), in
 * this process: the emulator and the deploy engine share one ScaledClock; new
 * instances boot in 30 s (`emulator:boot-seconds`), answer 20 s later
 * (`emulator:ready-seconds`); the target group checks every 30 s and calls a
 * target healthy after 5 passes (AWS's defaults), deregistration delay 30 s.
 * Reported:
 * - the simulated wall time of `roll()` against the lower bound, ratio ≤ 1.10;
 * - AWS calls (first attempts, from the AwsClients `onCall` hook) in total, per
 *   replaced instance and per operation; calls per fleet snapshot, which must
 *   be the same for 20 and 200 instances (1 + one per target group);
 * - the lowest serving count against the floor and the peak launching-or-serving
 *   count against the cap, replayed from the emulator's history;
 * - where the time went on the critical path (engine action → launch →
 *   InService → healthy in the target group → seen ready by the engine → next
 *   wave) and each launch batch.
 *
 * Real time spent inside AWS calls passes as simulated time too (× the clock
 * speed): at 50× a 3 ms emulator answer costs 0.15 s, about what real AWS
 * takes. The same deploys are then run again with the clock paused during
 * every call of the engine (AWS answering in no time), which separates the
 * engine's own overhead from call latency and from this machine's load.
 */
import type { AwsClients } from '../src/aws/index.js';
import type { AwsCallEvent } from '../src/aws/call.js';
import { ScaledClock } from '../src/clock/index.js';
import { healthCheckMs, resolveSurge, type Amount } from '../src/core/index.js';
import { DEFAULT_POLL_INTERVAL_MS, EventLog, roll, type DeployResult } from '../src/deploy/index.js';
import { servingTimeline, type HistoryEntry, type ServingPoint } from '../src/emulator/index.js';
import { startFleet, type TestFleet } from '../src/testing/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const ROLLING_SIZES = [20, 200] as const;
export const RATIO_GOAL = 1.1;

export interface RollingTimings {
  bootSeconds: number;
  readySeconds: number;
  healthCheckIntervalSeconds: number;
  healthyThresholdCount: number;
  deregistrationDelaySeconds: number;
  /** The engine's poll interval (DeployContext.pollIntervalMs). */
  pollSeconds: number;
}

export const REALISTIC_TIMINGS: RollingTimings = {
  bootSeconds: 30,
  readySeconds: 20,
  healthCheckIntervalSeconds: 30,
  healthyThresholdCount: 5,
  deregistrationDelaySeconds: 30,
  pollSeconds: DEFAULT_POLL_INTERVAL_MS / 1000,
};

export const DEFAULT_SPEED = 50;
/** The paused-calls runs are immune to call latency, so they can run faster. */
export const DEFAULT_PAUSED_SPEED = 200;

export interface RollingBenchOptions {
  sizes?: readonly number[];
  /** Simulated seconds per real second. Default 50. */
  speed?: number;
  /** Speed of the runs with the clock paused during the engine's calls; 0: skip them. Default 200. */
  pausedSpeed?: number;
  timings?: Partial<RollingTimings>;
  log?: (line: string) => void;
}

const SURGE: Amount = { kind: 'percent', percent: 25 };
const MIN_HEALTHY: Amount = { kind: 'percent', percent: 100 };
const GROUP = 'web';

/** One new instance as it happened, simulated seconds from the deploy's start. */
export interface InstanceTrace {
  id: string;
  /** The engine action that made room for it. */
  actionAt: number;
  joinedAt: number;
  inServiceAt: number;
  healthyAt: number;
  /** Reported ready by the engine. */
  readyAt: number;
}

/** One launch batch as it happened, times in simulated seconds from the deploy's start. */
export interface WaveTrace {
  /** The engine's action that made room (SetDesiredCapacity or the first TerminateInstanceInAutoScalingGroup). */
  actionAt: number;
  instances: number;
  /** First instance of the wave Pending in the group. */
  launchedAt: number;
  /** Last one InService. */
  inServiceAt: number;
  /** Last one `healthy` in the target group. */
  healthyAt: number;
  /** Last one reported ready by the engine. */
  seenReadyAt: number;
}

export interface SnapshotStats {
  count: number;
  /** Calls per snapshot, by operation, summed over all snapshots. */
  byOperation: Record<string, number>;
  minCalls: number;
  maxCalls: number;
  /** Real milliseconds per snapshot, mean. */
  meanRealMs: number;
}

export interface RollingRun {
  size: number;
  surge: number;
  floor: number;
  waves: number;
  result: DeployResult;
  /** Simulated seconds of the whole roll() call. */
  seconds: number;
  /** Until the engine saw every instance new and ready (before the final drain wait). */
  convergedSeconds: number;
  /** The final wait for the last old instances to drain and terminate. */
  finalDrainSeconds: number;
  /** waves × (boot + ready + health checks + warmup). */
  boundSeconds: number;
  drainSeconds: number;
  /** The exact minimum on the emulator: health checks start an interval after InService, so `ready` hides in the first interval. */
  emulatorMinWaveSeconds: number;
  expectedSeconds: number;
  calls: { total: number; retries: number; errors: number; byOperation: Record<string, number> };
  snapshots: SnapshotStats;
  lowestServing: number;
  peakLaunchingOrServing: number;
  cap: number;
  instanceTraces: InstanceTrace[];
  waveTraces: WaveTrace[];
  realSeconds: number;
  /** Real time inside the engine's AWS calls × clock speed: simulated seconds the calls took. */
  callSimSeconds: number;
  callTimes: Record<string, { calls: number; realMs: number }>;
}

export interface RollingBenchResult {
  speed: number;
  pausedSpeed: number;
  timings: RollingTimings;
  runs: RollingRun[];
  /** The same deploys with the clock paused during every engine call (empty when skipped). */
  pausedRuns: RollingRun[];
}

/** Counts calls (one per call, whatever its retries) and attributes those made inside a fleet snapshot. */
class CallCounter {
  counting = false;
  total = 0;
  retries = 0;
  errors = 0;
  readonly byOperation: Record<string, number> = {};
  /** Calls of the snapshot in progress, by operation (undefined outside snapshots). */
  inSnapshot: Record<string, number> | undefined;
  /** Called before a retry's backoff (the paused clock must run for it to end). */
  onRetry: () => void = () => {};

  readonly onCall = (e: AwsCallEvent): void => {
    if (e.outcome === 'retry') this.onRetry();
    if (!this.counting) return;
    if (e.outcome === 'retry') {
      this.retries++;
      return;
    }
    if (e.outcome === 'error') this.errors++;
    this.total++;
    this.byOperation[e.operation] = (this.byOperation[e.operation] ?? 0) + 1;
    if (this.inSnapshot) this.inSnapshot[e.operation] = (this.inSnapshot[e.operation] ?? 0) + 1;
  };
}

type BenchFleet = Pick<TestFleet, 'emu' | 'clock' | 'aws' | 'targetGroupArn' | 'close'> & { newImage(): Promise<string> };

/** The shared rehearsal fleet (src/testing/) with the bench's timings; MaxSize = desired, as most groups are. */
async function buildFleet(size: number, speed: number, t: RollingTimings, counter: CallCounter): Promise<BenchFleet> {
  const fleet = await startFleet({
    size,
    speed,
    seed: 7,
    name: GROUP,
    // The deploy must raise MaxSize for the surge and restore it.
    minSize: size,
    maxSize: size,
    bootSeconds: t.bootSeconds,
    readySeconds: t.readySeconds,
    deregistrationDelaySeconds: t.deregistrationDelaySeconds,
    healthCheck: { intervalSeconds: t.healthCheckIntervalSeconds, healthyThreshold: t.healthyThresholdCount, unhealthyThreshold: 2, gracePeriodSeconds: 300 },
    onCall: counter.onCall,
  });
  return { ...fleet, newImage: () => fleet.image() };
}

/**
 * Real time spent inside the engine's AWS calls (nested and parallel calls
 * counted once): on a scaled clock it passes as simulated time too, which real
 * AWS latency would also cost, but at this machine's speed and load.
 */
class CallTimer {
  private depth = 0;
  private since = 0;
  private paused = false;
  realMs = 0;
  readonly byOperation: Record<string, { calls: number; realMs: number }> = {};

  /** With `pause`, the clock stands still while any call is in flight, then runs on at `speed`. */
  constructor(
    private readonly clock: ScaledClock,
    private readonly pause: boolean,
    private readonly speed: number,
  ) {}

  async time<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.depth++ === 0) {
      this.since = performance.now();
      if (this.pause) {
        this.clock.setSpeed(0);
        this.paused = true;
      }
    }
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      const entry = (this.byOperation[operation] ??= { calls: 0, realMs: 0 });
      entry.calls++;
      entry.realMs += performance.now() - t0;
      if (--this.depth === 0) {
        this.realMs += performance.now() - this.since;
        this.resume();
      }
    }
  }

  /** Lets the clock run again (at the end of a call, or before a retry's backoff, which sleeps on it). */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.clock.setSpeed(this.speed);
  }
}

/** Wraps every method of a narrow API object so its calls are timed. */
function timedApi<T extends object>(api: T, timer: CallTimer): T {
  return new Proxy(api, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => timer.time(String(key), () => Promise.resolve(value.apply(target, args)));
    },
  });
}

/** The AwsClients the engine gets: the same, with every fleet snapshot counted and every call timed. */
function instrumented(aws: AwsClients, counter: CallCounter, stats: SnapshotStats, timer: CallTimer): AwsClients {
  let realMsTotal = 0;
  return {
    ...aws,
    autoscaling: timedApi(aws.autoscaling, timer),
    ec2: timedApi(aws.ec2, timer),
    elbv2: timedApi(aws.elbv2, timer),
    async snapshotFleet(name, options) {
      const calls: Record<string, number> = {};
      counter.inSnapshot = calls;
      const t0 = performance.now();
      try {
        return await timer.time('snapshotFleet', () => aws.snapshotFleet(name, options));
      } finally {
        counter.inSnapshot = undefined;
        realMsTotal += performance.now() - t0;
        if (counter.counting) {
          stats.count++;
          const n = Object.values(calls).reduce((a, b) => a + b, 0);
          stats.minCalls = Math.min(stats.minCalls, n);
          stats.maxCalls = Math.max(stats.maxCalls, n);
          for (const [op, k] of Object.entries(calls)) stats.byOperation[op] = (stats.byOperation[op] ?? 0) + k;
          stats.meanRealMs = realMsTotal / stats.count;
        }
      }
    },
  };
}

function peakSince(points: readonly ServingPoint[], from: number, to: number, key: 'serving' | 'launchingOrServing', pick: (a: number, b: number) => number, start: number): number {
  let current: number | undefined;
  let best = start;
  for (const p of points) {
    if (p.t <= from) {
      current = p[key];
      continue;
    }
    if (p.t > to) break;
    if (current !== undefined) best = pick(best, current);
    current = p[key];
  }
  return current === undefined ? best : pick(best, current);
}

/**
 * Follows every new instance through the history: the engine action that made
 * room for it (raising desired, or terminating old instances without the
 * decrement: the latest such action before it joined), when it joined the
 * group, went InService, became `healthy` in the target group, and when the
 * engine reported it ready.
 */
function traceInstances(entries: readonly HistoryEntry[], log: EventLog, targetGroupArn: string, startedAt: number): InstanceTrace[] {
  const newIds = new Set(log.of('instance-launched').map((e) => e.instanceId));
  const actions = [...log.of('wave-started').map((e) => e.t), ...log.of('instance-retiring').map((e) => e.t)].sort((a, b) => a - b);
  const ready = new Map(log.of('instance-ready').map((e) => [e.instanceId, e.t]));
  const joined = new Map<string, number>();
  const inService = new Map<string, number>();
  const healthy = new Map<string, number>();
  for (const e of entries) {
    if (e.t < startedAt) continue;
    if (e.type === 'lifecycle' && newIds.has(e.instanceId)) {
      if (e.from === null && !joined.has(e.instanceId)) joined.set(e.instanceId, e.t);
      if (e.to === 'InService' && !inService.has(e.instanceId)) inService.set(e.instanceId, e.t);
    } else if (e.type === 'target' && e.targetGroupArn === targetGroupArn && e.to === 'healthy' && newIds.has(e.instanceId) && !healthy.has(e.instanceId)) {
      healthy.set(e.instanceId, e.t);
    }
  }
  const s = (t: number | undefined) => (t === undefined ? NaN : (t - startedAt) / 1000);
  return [...joined.entries()].map(([id, t]) => {
    let action = actions[0] ?? startedAt;
    for (const a of actions) if (a <= t) action = a;
    return { id, actionAt: s(action), joinedAt: s(t), inServiceAt: s(inService.get(id)), healthyAt: s(healthy.get(id)), readyAt: s(ready.get(id)) };
  });
}

/** The instances grouped by the engine action that made room for them. */
function batchesOf(instances: readonly InstanceTrace[]): WaveTrace[] {
  const byAction = new Map<number, InstanceTrace[]>();
  for (const i of instances) byAction.set(i.actionAt, [...(byAction.get(i.actionAt) ?? []), i]);
  const max = (list: InstanceTrace[], pick: (i: InstanceTrace) => number) => Math.max(...list.map(pick));
  return [...byAction.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([actionAt, list]) => ({
      actionAt,
      instances: list.length,
      launchedAt: Math.min(...list.map((i) => i.joinedAt)),
      inServiceAt: max(list, (i) => i.inServiceAt),
      healthyAt: max(list, (i) => i.healthyAt),
      seenReadyAt: max(list, (i) => i.readyAt),
    }));
}

async function runOne(size: number, speed: number, t: RollingTimings, pauseInCalls: boolean, log: (line: string) => void): Promise<RollingRun> {
  const counter = new CallCounter();
  const real0 = performance.now();
  const fleet = await buildFleet(size, speed, t, counter);
  try {
    log(`  ${size} instances healthy after ${((performance.now() - real0) / 1000).toFixed(1)} s of setup; rolling…`);
    const image = await fleet.newImage();
    const snapshots: SnapshotStats = { count: 0, byOperation: {}, minCalls: Infinity, maxCalls: 0, meanRealMs: 0 };
    const events = new EventLog();
    const timer = new CallTimer(fleet.clock, pauseInCalls, speed);
    counter.onRetry = () => timer.resume();
    const ctx = { aws: instrumented(fleet.aws, counter, snapshots, timer), clock: fleet.clock, emit: events.sink, owner: 'bench:1', pollIntervalMs: t.pollSeconds * 1000 };
    const real1 = performance.now();
    const startedAt = fleet.clock.now();
    counter.counting = true;
    const result = await roll(ctx, { group: GROUP, image, maxSurge: SURGE, minHealthy: MIN_HEALTHY });
    counter.counting = false;
    const endedAt = fleet.clock.now();
    const realSeconds = (performance.now() - real1) / 1000;
    if (result.outcome !== 'succeeded') throw new Error(`the deploy of ${size} instances ended ${result.outcome}: ${result.reason ?? ''}`);
    const plan = result.plan!;
    const restoringAt = events.of('record-written').find((e) => e.phase === 'restoring')?.t ?? endedAt;
    const entries = fleet.emu.sim.history.entries;
    const timeline = servingTimeline(entries, { group: GROUP, targetGroupArns: [fleet.targetGroupArn] });
    const instanceTraces = traceInstances(entries, events, fleet.targetGroupArn, startedAt);
    const health = healthCheckMs(t.healthyThresholdCount, t.healthCheckIntervalSeconds) / 1000;
    const warmup = 0; // the group has a target group and no --warmup (deploys.md "ready")
    const firstPassingCheck = Math.max(1, Math.ceil(t.readySeconds / t.healthCheckIntervalSeconds));
    return {
      size,
      surge: resolveSurge(SURGE, size),
      floor: plan.floor,
      waves: plan.waveCount,
      result,
      seconds: (endedAt - startedAt) / 1000,
      convergedSeconds: (restoringAt - startedAt) / 1000,
      finalDrainSeconds: (endedAt - restoringAt) / 1000,
      boundSeconds: plan.waveCount * (t.bootSeconds + t.readySeconds + health + warmup),
      drainSeconds: t.deregistrationDelaySeconds,
      emulatorMinWaveSeconds: t.bootSeconds + (firstPassingCheck + t.healthyThresholdCount - 1) * t.healthCheckIntervalSeconds + warmup,
      expectedSeconds: (plan.expectedDurationMs ?? 0) / 1000,
      calls: { total: counter.total, retries: counter.retries, errors: counter.errors, byOperation: counter.byOperation },
      snapshots,
      lowestServing: peakSince(timeline, startedAt, endedAt, 'serving', Math.min, Infinity),
      peakLaunchingOrServing: peakSince(timeline, startedAt, endedAt, 'launchingOrServing', Math.max, 0),
      cap: size + resolveSurge(SURGE, size),
      instanceTraces,
      waveTraces: batchesOf(instanceTraces),
      realSeconds,
      callSimSeconds: pauseInCalls ? 0 : (timer.realMs * speed) / 1000,
      callTimes: timer.byOperation,
    };
  } finally {
    await fleet.close();
  }
}

export async function runRollingBench(options: RollingBenchOptions = {}): Promise<RollingBenchResult> {
  const speed = options.speed ?? DEFAULT_SPEED;
  const pausedSpeed = options.pausedSpeed ?? DEFAULT_PAUSED_SPEED;
  const timings = { ...REALISTIC_TIMINGS, ...options.timings };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sizes = options.sizes ?? ROLLING_SIZES;
  const series = async (clockSpeed: number, paused: boolean) => {
    const runs: RollingRun[] = [];
    for (const size of sizes) {
      log(`rolling deploy of ${size} instances (clock ${clockSpeed}×${paused ? ', paused during AWS calls' : ''})`);
      const run = await runOne(size, clockSpeed, timings, paused, log);
      log(`  done: ${run.seconds.toFixed(0)} simulated s in ${run.realSeconds.toFixed(1)} real s`);
      runs.push(run);
    }
    return runs;
  };
  const runs = await series(speed, false);
  const pausedRuns = pausedSpeed > 0 ? await series(pausedSpeed, true) : [];
  return { speed, pausedSpeed, timings, runs, pausedRuns };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The chain of new instances that ended last, each launched because the engine saw the previous one ready, summed by phase. */
interface CriticalPath {
  links: number;
  preflight: number;
  react: number;
  boot: number;
  health: number;
  seen: number;
  lastReady: number;
}

function criticalPath(run: RollingRun): CriticalPath {
  const all = run.instanceTraces;
  const path: CriticalPath = { links: 0, preflight: 0, react: 0, boot: 0, health: 0, seen: 0, lastReady: 0 };
  if (all.length === 0) return path;
  const latest = (list: InstanceTrace[]) => list.reduce((a, c) => (c.readyAt > a.readyAt ? c : a));
  let i: InstanceTrace | undefined = latest(all);
  path.lastReady = i.readyAt;
  while (i) {
    path.links++;
    path.react += i.joinedAt - i.actionAt;
    path.boot += i.inServiceAt - i.joinedAt;
    path.health += i.healthyAt - i.inServiceAt;
    path.seen += i.readyAt - i.healthyAt;
    // The action was the engine's answer to the poll that saw some instance ready at that instant.
    const action: number = i.actionAt;
    const before: InstanceTrace[] = all.filter((c) => c.readyAt <= action + 1e-6);
    if (before.length === 0) path.preflight = action;
    i = before.length === 0 ? undefined : latest(before);
  }
  return path;
}

const sec = (s: number) => (Number.isFinite(s) ? `${s.toFixed(0)} s` : '—');

export function formatRolling(r: RollingBenchResult): { text: string; met: boolean } {
  const t = r.timings;
  const runs = r.runs;
  const paused = r.pausedRuns;
  let met = true;
  const verdict = (ok: boolean) => {
    met &&= ok;
    return ok ? 'met' : 'MISSED';
  };
  const ratio = (x: RollingRun) => x.seconds / (x.boundSeconds + x.drainSeconds);
  const emulatorMin = (x: RollingRun) => x.waves * x.emulatorMinWaveSeconds + x.drainSeconds;

  const rows: string[][] = [['measure', ...runs.map((x) => `${x.size} instances`), 'goal', '']];
  const row = (label: string, values: string[], goal = '', status = '') => rows.push([label, ...values, goal, status]);
  row('waves (surge per wave)', runs.map((x) => `${x.waves} (${x.surge})`));
  row('simulated wall time of the deploy', runs.map((x) => sec(x.seconds)));
  row('  until every instance is new and ready', runs.map((x) => sec(x.convergedSeconds)));
  row('  then the last old ones drain and terminate', runs.map((x) => sec(x.finalDrainSeconds)));
  row('lower bound: waves × (boot + ready + health + warmup)', runs.map((x) => sec(x.boundSeconds)));
  row('  + one drain (deregistration delay)', runs.map((x) => sec(x.drainSeconds)));
  row('ratio: wall time / (lower bound + drain)', runs.map((x) => ratio(x).toFixed(3)), `≤ ${RATIO_GOAL.toFixed(2)}`, verdict(runs.every((x) => ratio(x) <= RATIO_GOAL)));
  row('  (info) spent inside AWS calls (real time × speed)', runs.map((x) => sec(x.callSimSeconds)));
  if (paused.length === runs.length) {
    row('  (info) wall time with the clock paused during calls', paused.map((x) => `${sec(x.seconds)} → ${ratio(x).toFixed(3)}`));
  }
  row('  (info) emulator minimum (ready hides in 1st interval)', runs.map((x) => `${sec(emulatorMin(x))} → ${(x.seconds / emulatorMin(x)).toFixed(3)}`));
  row('  (info) the plan’s estimate (expectedSeconds)', runs.map((x) => sec(x.expectedSeconds)));
  row('AWS calls in total (first attempts)', runs.map((x) => String(x.calls.total)));
  row('AWS calls per replaced instance', runs.map((x) => (x.calls.total / x.size).toFixed(2)));
  row('  retries / errors', runs.map((x) => `${x.calls.retries} / ${x.calls.errors}`), '0 / 0', verdict(runs.every((x) => x.calls.retries === 0 && x.calls.errors === 0)));
  row('fleet snapshots (polls)', runs.map((x) => String(x.snapshots.count)));
  const perPoll = (x: RollingRun) => (x.snapshots.minCalls === x.snapshots.maxCalls ? String(x.snapshots.minCalls) : `${x.snapshots.minCalls}–${x.snapshots.maxCalls}`);
  const flat = [...runs, ...paused].every((x) => x.snapshots.minCalls === 2 && x.snapshots.maxCalls === 2);
  row('calls per poll (DescribeASG + DescribeTargetHealth × 1 TG)', runs.map(perPoll), 'same at every size: 2', verdict(flat));
  row('  (info) real time per poll → simulated', runs.map((x) => `${x.snapshots.meanRealMs.toFixed(1)} ms → ${((x.snapshots.meanRealMs * r.speed) / 1000).toFixed(1)} s`));
  row('lowest serving vs floor (emulator history)', runs.map((x) => `${x.lowestServing} / ${x.floor}`), '≥ floor', verdict([...runs, ...paused].every((x) => x.lowestServing >= x.floor)));
  row('peak launching+serving vs cap (invariant 2)', runs.map((x) => `${x.peakLaunchingOrServing} / ${x.cap}`), '≤ cap', verdict([...runs, ...paused].every((x) => x.peakLaunchingOrServing <= x.cap)));

  const ops = [...new Set(runs.flatMap((x) => Object.keys(x.calls.byOperation)))].sort(
    (a, b) => (runs.at(-1)!.calls.byOperation[b] ?? 0) - (runs.at(-1)!.calls.byOperation[a] ?? 0) || a.localeCompare(b),
  );
  const opRows: string[][] = [['AWS calls by operation', ...runs.flatMap((x) => [`${x.size}: total`, 'per instance', 'in polls'])]];
  for (const op of ops) {
    opRows.push([
      op,
      ...runs.flatMap((x) => {
        const n = x.calls.byOperation[op] ?? 0;
        return [String(n), (n / x.size).toFixed(2), String(x.snapshots.byOperation[op] ?? 0)];
      }),
    ]);
  }

  // The critical path: the chain of instances that ended last, each launched
  // because the engine saw the previous one ready. The minimum column assumes
  // every size plans the same number of waves (20 and 200 do at 25 %).
  const all = [...runs, ...paused];
  const paths = all.map(criticalPath);
  const waves = runs[0]!.waves;
  const sameWaves = all.every((x) => x.waves === waves);
  const pathRows: string[][] = [['where the time went (critical path)', ...runs.map((x) => `${x.size}`), ...paused.map((x) => `${x.size}, paused`), 'minimum', '']];
  const pathRow = (label: string, pick: (p: CriticalPath, x: RollingRun) => number, min: string, note = '') =>
    pathRows.push([label, ...all.map((x, i) => sec(pick(paths[i]!, x))), sameWaves ? min : '', note]);
  pathRows.push(['waves on the path', ...paths.map((p) => String(p.links)), String(waves), '']);
  pathRow('start → first wave launched', (p) => p.preflight, '0 s', 'preflight, record, lock, suspend, raise max, pin: ~17 calls');
  pathRow('engine action → the group launches', (p) => p.react, '0 s', 'reconcile delay (1 s) + the sequential terminate loop');
  pathRow('launched → InService (boot)', (p) => p.boot, `${waves} × ${t.bootSeconds} s`);
  const healthMin = runs[0]!.emulatorMinWaveSeconds - t.bootSeconds;
  pathRow('InService → healthy in the target group', (p) => p.health, `${waves} × ${healthMin} s`, `first check 1 interval after registration: ready (${t.readySeconds} s) hides in it`);
  pathRow('healthy → seen ready by the engine', (p) => p.seen, '0 s', `poll lag: 0…${t.pollSeconds} s + the poll's own time, per wave`);
  pathRow('last ready → converged', (p, x) => x.convergedSeconds - p.lastReady, '0 s', 'the last retirements, one more poll');
  pathRow('final drain and terminate', (_, x) => x.finalDrainSeconds, `${t.deregistrationDelaySeconds} s`, 'deregistration delay + 5 s EC2 shutting-down + poll');
  pathRow('total', (_, x) => x.seconds, sec(waves * runs[0]!.emulatorMinWaveSeconds + t.deregistrationDelaySeconds));

  const waveRows: string[][] = [['launch batches (simulated s from the start)', 'new', 'action', 'launched', 'InService', 'TG healthy', 'engine ready', 'boot+spread', 'health', 'seen after']];
  for (const x of runs) {
    x.waveTraces.forEach((w, i) => {
      waveRows.push([
        `${x.size} instances, batch ${i + 1}`,
        String(w.instances),
        w.actionAt.toFixed(0),
        w.launchedAt.toFixed(0),
        w.inServiceAt.toFixed(0),
        w.healthyAt.toFixed(0),
        w.seenReadyAt.toFixed(0),
        sec(w.inServiceAt - w.launchedAt),
        sec(w.healthyAt - w.inServiceAt),
        sec(w.seenReadyAt - w.healthyAt),
      ]);
    });
  }

  const header =
    `surge 25 %, min healthy 100 %; boot ${t.bootSeconds} s, ready ${t.readySeconds} s, target group health check ` +
    `${t.healthyThresholdCount} × ${t.healthCheckIntervalSeconds} s, deregistration delay ${t.deregistrationDelaySeconds} s, ` +
    `engine poll ${t.pollSeconds} s; clock ${r.speed}× shared by engine and emulator` +
    (paused.length ? ` (paused runs: ${r.pausedSpeed}×, clock stopped during each engine call)` : '');
  const notes = [
    'A planned wave can split into launch batches: the engine retires old instances as soon as new ones are seen ready and',
    'the group launches replacements per reconcile pass, so instances of one wave seen ready on different polls (or launched',
    'on either side of a reconcile while the terminate loop runs) start the next wave a few seconds apart.',
  ];
  const text = [header, '', table(rows), '', table(opRows), '', table(pathRows), '', table(waveRows), '', ...notes].join('\n');
  return { text, met };
}
