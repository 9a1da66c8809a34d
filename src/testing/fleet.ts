/**
 * The one builder of rehearsal fleets, shared by the tests, the benchmarks and
 * the demo: an emulator (started on a scaled clock, or the one you give) and,
 * on it, a load balancer and target group with fast health checks, a launch
 * template, and a group across 3 AZs, healthy. AWS is reached only through
 * the client factory (src/aws/), over HTTP, as production does.
 *
 * @example
 *   import { startFleet } from 'asg-deploy/testing';
 *   const fleet = await startFleet({ size: 6, speed: 200 });
 *   const bad = await fleet.image({ 'emulator:health': 'unhealthy' });
 *   const { ctx, log } = fleet.context();
 *   await roll(ctx, { group: fleet.group, image: bad });
 *   await fleet.close();
 */
import { createAwsClients, type AwsCallEvent, type AwsClients, type RequestLaunchTemplateData } from '../aws/index.js';
import { ScaledClock } from '../clock/index.js';
import { EventLog, type DeployContext } from '../deploy/index.js';
import { servingTimeline, startEmulator, type HistoryEntry, type RunningEmulator, type ServingPoint } from '../emulator/index.js';

export const FLEET_REGION = 'us-east-1';
export const FLEET_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' };

/** The target group's health checks and the group's grace period (defaults keep a wave around 60 simulated seconds). */
export interface FleetHealthCheck {
  /** HealthCheckIntervalSeconds. Default 5. */
  intervalSeconds?: number;
  /** HealthyThresholdCount. Default 2. */
  healthyThreshold?: number;
  /** UnhealthyThresholdCount. Default 2. */
  unhealthyThreshold?: number;
  /** The group's HealthCheckGracePeriod. Default 30. */
  gracePeriodSeconds?: number;
}

export interface FleetOptions {
  size: number;
  /** Simulated seconds per real second when the builder makes the clock. Default 200. */
  speed?: number;
  /** A clock to share (else a ScaledClock at `speed`, starting 2026-01-01T12:00Z). */
  clock?: ScaledClock;
  maxSize?: number;
  minSize?: number;
  seed?: number;
  /** The group's name (and the prefix of its load balancer, target group and template). Default `web`. */
  name?: string;
  /** Seconds; defaults keep a wave around 60 simulated seconds. */
  bootSeconds?: number;
  readySeconds?: number;
  deregistrationDelaySeconds?: number;
  healthCheck?: FleetHealthCheck;
  instanceType?: string;
  /** Sees every attempt of every AWS call the fleet's clients make (call counts, timings). */
  onCall?: (event: AwsCallEvent) => void;
  /** First backoff window of the clients' retries, in ms. Default 500. */
  retryBaseMs?: number;
}

export interface TestFleet {
  emu: RunningEmulator;
  clock: ScaledClock;
  aws: AwsClients;
  group: string;
  targetGroupArn: string;
  templateId: string;
  baseImage: string;
  /** A new available image with the given behaviour tags (E-19). */
  image(tags?: Record<string, string>): Promise<string>;
  /** A deploy context on the fleet's clients and clock, and the log of its events. */
  context(extra?: Partial<DeployContext>): { ctx: DeployContext; log: EventLog };
  serving(): ServingPoint[];
  history(): HistoryEntry[];
  close(): Promise<void>;
}

/** Polls `check` every 2 simulated seconds until it returns a truthy value. */
export async function waitFor<T>(clock: ScaledClock, check: () => Promise<T | undefined | false>, what: string, maxSimSeconds = 3600): Promise<T> {
  const until = clock.now() + maxSimSeconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (clock.now() > until) throw new Error(`timed out after ${maxSimSeconds} simulated seconds waiting for ${what}`);
    await clock.sleep(2000);
  }
}

/**
 * Registers an image whose instances behave as `tags` say (emulator rule E-19:
 * `emulator:boot-seconds`, `emulator:ready-seconds`, `emulator:health`…) and
 * waits until it is available (at once: `emulator:image-seconds` 0).
 */
export async function availableImage(aws: AwsClients, clock: ScaledClock, name: string, tags: Readonly<Record<string, string>> = {}): Promise<string> {
  const id = await aws.provision.registerImage(name, { 'emulator:image-seconds': '0', ...tags });
  await waitFor(clock, async () => (await aws.ec2.describeImages({ imageIds: [id] }))[0]?.State === 'available', `image ${id}`);
  return id;
}

export async function startFleet(options: FleetOptions): Promise<TestFleet> {
  const clock = options.clock ?? new ScaledClock(options.speed ?? 200, Date.UTC(2026, 0, 1, 12));
  const emu = await startEmulator({ clock, seed: options.seed ?? 11 });
  const aws = createAwsClients({
    endpoint: emu.endpoint,
    region: FLEET_REGION,
    credentials: FLEET_CREDENTIALS,
    clock,
    retryBaseMs: options.retryBaseMs ?? 500,
    ...(options.onCall === undefined ? {} : { onCall: options.onCall }),
  });
  const name = options.name ?? 'web';
  const health = options.healthCheck ?? {};
  const network = await aws.provision.defaultNetwork();

  const image = (tags: Record<string, string> = {}) =>
    availableImage(aws, clock, `${name}-${Object.values(tags).join('-') || 'ok'}-${Math.floor(clock.now() / 1000)}-${Math.random().toString(16).slice(2, 6)}`, {
      'emulator:boot-seconds': String(options.bootSeconds ?? 20),
      'emulator:ready-seconds': String(options.readySeconds ?? 10),
      ...tags,
    });
  const baseImage = await image();
  const targetGroupArn = await aws.provision.createTargetGroup({
    name: `${name}-tg`,
    vpcId: network.vpcId,
    healthCheckIntervalSeconds: health.intervalSeconds ?? 5,
    healthyThresholdCount: health.healthyThreshold ?? 2,
    unhealthyThresholdCount: health.unhealthyThreshold ?? 2,
    deregistrationDelaySeconds: options.deregistrationDelaySeconds ?? 10,
  });
  await aws.provision.createLoadBalancer(`${name}-lb`, network.subnets.map((s) => s.subnetId), targetGroupArn);
  const lt = await aws.provision.createLaunchTemplate(`${name}-lt`, { ImageId: baseImage, InstanceType: (options.instanceType ?? 't3.micro') as RequestLaunchTemplateData['InstanceType'] });
  await aws.provision.createGroup({
    name,
    launchTemplateId: lt.id,
    version: String(lt.version),
    minSize: options.minSize ?? options.size,
    maxSize: options.maxSize ?? options.size * 2,
    desiredCapacity: options.size,
    subnetIds: network.subnets.map((s) => s.subnetId),
    targetGroupArns: [targetGroupArn],
    healthCheckType: 'ELB',
    healthCheckGracePeriodSeconds: health.gracePeriodSeconds ?? 30,
  });
  await waitFor(
    clock,
    async () => {
      const fleet = await aws.snapshotFleet(name);
      const healthy = Object.values(fleet.targetHealth[targetGroupArn] ?? {}).filter((t) => t.state === 'healthy').length;
      return healthy === options.size && fleet.instances.every((i) => i.lifecycleState === 'InService');
    },
    `group ${name} of ${options.size} to be healthy`,
  );

  return {
    emu,
    clock,
    aws,
    group: name,
    targetGroupArn,
    templateId: lt.id,
    baseImage,
    image,
    context(extra = {}) {
      const log = new EventLog();
      return { log, ctx: { aws, clock, emit: log.sink, owner: 'test:1', pollIntervalMs: 5000, ...extra } };
    },
    serving: () => servingTimeline(emu.sim.history.entries, { group: name, targetGroupArns: [targetGroupArn] }),
    history: () => emu.sim.history.entries,
    async close() {
      aws.destroy();
      await emu.close();
    },
  };
}

/** The lowest serving count from `from` (simulated ms) to the end of the history. */
export function lowestServingSince(points: readonly ServingPoint[], from: number): number {
  let current = 0;
  let lowest = Infinity;
  for (const p of points) {
    if (p.t <= from) current = p.serving;
    else {
      lowest = Math.min(lowest, current);
      current = p.serving;
    }
  }
  return Math.min(lowest, current);
}

/** The highest launching-or-serving count from `from` on (invariant 2). */
export function peakLaunchingOrServingSince(points: readonly ServingPoint[], from: number): number {
  let current = 0;
  let peak = 0;
  for (const p of points) {
    if (p.t <= from) current = p.launchingOrServing;
    else {
      peak = Math.max(peak, current);
      current = p.launchingOrServing;
    }
  }
  return Math.max(peak, current);
}

/** API actions that change something (deploys.md: a re-run or a dry run makes none of them). */
export const MUTATING_ACTION = /^(Create|Update|Set|Terminate|Suspend|Resume|Delete|Put|Attach|Detach|Enter|Exit|Register|Deregister|Modify|Run|Start|Stop|Reboot)/;

/** Every API call (answered or refused) in [from, to] whose action mutates. */
export function mutatingCallsBetween(entries: readonly HistoryEntry[], from: number, to = Infinity): Extract<HistoryEntry, { type: 'call' }>[] {
  return entries.filter((e): e is Extract<HistoryEntry, { type: 'call' }> => e.type === 'call' && e.t >= from && e.t <= to && MUTATING_ACTION.test(e.action));
}

/** The recorded changes of one group field (MaxSize, DesiredCapacity, SuspendedProcesses, LaunchTemplate…) from `from` on. */
export function groupFieldChanges(entries: readonly HistoryEntry[], group: string, field: string, from = 0): Extract<HistoryEntry, { type: 'group' }>[] {
  return entries.filter((e): e is Extract<HistoryEntry, { type: 'group' }> => e.type === 'group' && e.group === group && e.field === field && e.t >= from);
}
