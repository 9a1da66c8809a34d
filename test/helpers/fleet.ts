/**
 * A realistic fleet on an in-process emulator sharing one scaled clock with
 * the deploy engine: a load balancer and target group (fast health checks), a
 * launch template, and a group across 3 AZs, healthy. For whole-deploy tests.
 */
import { EC2Client, RegisterImageCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import { createAwsClients, type AwsClients } from '../../src/aws/index.js';
import { ScaledClock } from '../../src/clock/index.js';
import { EventLog, type DeployContext } from '../../src/deploy/index.js';
import { startEmulator, servingTimeline, type RunningEmulator, type ServingPoint, type HistoryEntry } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from './emulator.js';

export interface FleetOptions {
  size: number;
  /** Simulated seconds per real second. */
  speed?: number;
  maxSize?: number;
  minSize?: number;
  seed?: number;
  name?: string;
  /** Seconds; defaults keep a wave around 60 simulated seconds. */
  bootSeconds?: number;
  readySeconds?: number;
  deregistrationDelaySeconds?: number;
}

export interface TestFleet {
  emu: RunningEmulator;
  clock: ScaledClock;
  aws: AwsClients;
  ec2: EC2Client;
  group: string;
  targetGroupArn: string;
  templateId: string;
  baseImage: string;
  /** A new available image with the given behaviour tags (E-19). */
  image(tags?: Record<string, string>): Promise<string>;
  context(extra?: Partial<DeployContext>): { ctx: DeployContext; log: EventLog };
  serving(): ServingPoint[];
  history(): HistoryEntry[];
  close(): Promise<void>;
}

export async function waitFor<T>(clock: ScaledClock, check: () => Promise<T | undefined | false>, what: string, maxSimSeconds = 3600): Promise<T> {
  const until = clock.now() + maxSimSeconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (clock.now() > until) throw new Error(`timed out after ${maxSimSeconds} simulated seconds waiting for ${what}`);
    await clock.sleep(2000);
  }
}

export async function startFleet(options: FleetOptions): Promise<TestFleet> {
  const clock = new ScaledClock(options.speed ?? 200, Date.UTC(2026, 0, 1, 12));
  const emu = await startEmulator({ clock, seed: options.seed ?? 11 });
  const aws = createAwsClients({ endpoint: emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, clock, retryBaseMs: 500 });
  const ec2 = new EC2Client({ endpoint: emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  const name = options.name ?? 'web';
  const network = await aws.provision.defaultNetwork();

  const image = async (tags: Record<string, string> = {}) => {
    const out = await ec2.send(
      new RegisterImageCommand({
        Name: `${name}-${Object.values(tags).join('-') || 'ok'}-${Math.floor(clock.now() / 1000)}-${Math.random().toString(16).slice(2, 6)}`,
        Architecture: 'x86_64',
        RootDeviceName: '/dev/xvda',
        TagSpecifications: [
          {
            ResourceType: 'image',
            Tags: Object.entries({
              'emulator:image-seconds': '0',
              'emulator:boot-seconds': String(options.bootSeconds ?? 20),
              'emulator:ready-seconds': String(options.readySeconds ?? 10),
              ...tags,
            }).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      }),
    );
    const id = out.ImageId!;
    await waitFor(clock, async () => (await ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images?.[0]?.State === 'available', `image ${id}`);
    return id;
  };
  const baseImage = await image();
  const targetGroupArn = await aws.provision.createTargetGroup({
    name: `${name}-tg`,
    vpcId: network.vpcId,
    healthCheckIntervalSeconds: 5,
    healthyThresholdCount: 2,
    unhealthyThresholdCount: 2,
    deregistrationDelaySeconds: options.deregistrationDelaySeconds ?? 10,
  });
  await aws.provision.createLoadBalancer(`${name}-lb`, network.subnets.map((s) => s.subnetId), targetGroupArn);
  const lt = await aws.provision.createLaunchTemplate(`${name}-lt`, { ImageId: baseImage, InstanceType: 't3.micro' });
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
    healthCheckGracePeriodSeconds: 30,
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
    ec2,
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
      ec2.destroy();
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

// ---------------------------------------------------------------------------
// History checks and the built CLI, shared by test/deploy/ and test/cli/.

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

/** The built CLI entry point (dist/src/cli/bin.js), resolved from this compiled file (dist/test/helpers/). */
export const CLI_BIN = new URL('../../src/cli/bin.js', import.meta.url).pathname;

/**
 * The environment for an asg-deploy child process: this one's without any
 * AWS_* variable (no profile or real credentials leak in), fake credentials
 * (never printed), no config files, and the SDK's Node-version warning off.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'ASG_DEPLOY_TIME_SCALE') env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}
