/**
 * A blue/green pair on the emulator for whole-deploy tests: `APP-blue` is the
 * live group of startFleet (behind its target group), `APP-green` its idle
 * twin (same launch template, subnets and target group, desired 0), both
 * tagged `asg-deploy:app` / `asg-deploy:color` unless `byName`. Serving is
 * replayed from the history across both groups (they share the target group,
 * so the floor spans both), and scaling configuration can be put on the live
 * group to watch it move.
 */
import { PutMetricAlarmCommand, CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { DeployContext, DeployEvent, EventLog } from '../../src/deploy/index.js';
import { servingTimeline, type HistoryEntry, type ServingPoint } from '../../src/emulator/index.js';
import { startFleet, waitFor, type FleetOptions, type TestFleet } from './fleet.js';
import { TEST_CREDENTIALS, TEST_REGION } from './emulator.js';

export interface PairOptions extends Omit<FleetOptions, 'name'> {
  app?: string;
  /** Leave the groups untagged: the pair is found by the names APP-blue / APP-green. */
  byName?: boolean;
}

export interface TestPair {
  fleet: TestFleet;
  app: string;
  blue: string;
  green: string;
  cloudwatch: CloudWatchClient;
  /** Serving and launching-or-serving across both groups (an instance serves in its own group and healthy in the target group). */
  serving(): ServingPoint[];
  close(): Promise<void>;
}

/**
 * The idle twin of a live group: same template version, subnets and target
 * groups, desired 0, min 0, the same max. What `demo` needs to build a pair
 * too (ProvisionApi.createGroup).
 */
export async function createIdleTwin(fleet: TestFleet, name: string, tags: Record<string, string>): Promise<void> {
  const { group } = await fleet.aws.autoscaling.describeGroup(fleet.group);
  const network = await fleet.aws.provision.defaultNetwork();
  await fleet.aws.provision.createGroup({
    name,
    launchTemplateId: group.launchTemplate!.id!,
    version: group.launchTemplate!.version,
    minSize: 0,
    maxSize: group.maxSize,
    desiredCapacity: 0,
    subnetIds: network.subnets.map((s) => s.subnetId),
    targetGroupArns: group.targetGroupArns,
    healthCheckType: 'ELB',
    healthCheckGracePeriodSeconds: group.healthCheckGracePeriodMs / 1000,
    tags,
  });
}

/** Serving over time across several groups (the emulator's servingTimeline over the pair). */
export function pairServingTimeline(entries: readonly HistoryEntry[], groups: readonly string[], targetGroupArns: readonly string[]): ServingPoint[] {
  return servingTimeline(entries, { group: groups, targetGroupArns });
}

/** A live `APP-blue` of `size` instances and an idle `APP-green`, sharing one target group. */
export async function startPair(options: PairOptions): Promise<TestPair> {
  const app = options.app ?? 'web';
  const blue = `${app}-blue`;
  const green = `${app}-green`;
  const fleet = await startFleet({ ...options, name: blue });
  try {
    const tags = (color: string): Record<string, string> => (options.byName ? {} : { 'asg-deploy:app': app, 'asg-deploy:color': color });
    if (!options.byName) {
      await fleet.aws.autoscaling.createOrUpdateTags(
        blue,
        Object.entries(tags('blue')).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
      );
    }
    await createIdleTwin(fleet, green, tags('green'));
    const cloudwatch = new CloudWatchClient({ endpoint: fleet.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
    return {
      fleet,
      app,
      blue,
      green,
      cloudwatch,
      serving: () => pairServingTimeline(fleet.history(), [blue, green], [fleet.targetGroupArn]),
      async close() {
        cloudwatch.destroy();
        await fleet.close();
      },
    };
  } catch (e) {
    await fleet.close();
    throw e;
  }
}

/** A simple-scaling policy driven by a CPU alarm on the group's metric, a target-tracking policy and a recurring scheduled action on `group`. */
export async function addScalingConfiguration(pair: TestPair, group: string): Promise<{ policyArn: string; alarmName: string }> {
  const { autoscaling } = pair.fleet.aws;
  const out = await autoscaling.putScalingPolicy({ AutoScalingGroupName: group, PolicyName: 'scale-out', PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 2, Cooldown: 120 });
  const alarmName = `${group}-cpu-high`;
  await pair.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: alarmName,
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/EC2',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 70,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: group }],
      AlarmActions: [out.policyArn!],
    }),
  );
  await autoscaling.putScalingPolicy({
    AutoScalingGroupName: group,
    PolicyName: 'cpu-50',
    PolicyType: 'TargetTrackingScaling',
    // No scale-in: the emulator's groups idle at 2 % CPU, and AlarmLow would shrink the fleet under the test's floor after 15 minutes.
    TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50, DisableScaleIn: true },
  });
  await autoscaling.putScheduledUpdateGroupAction({ AutoScalingGroupName: group, ScheduledActionName: 'nightly', Recurrence: '0 2 * * *', MinSize: 1 });
  return { policyArn: out.policyArn!, alarmName };
}

/** Policy and scheduled action names of a group, sorted. */
export async function scalingConfigurationOf(pair: TestPair, group: string): Promise<{ policies: string[]; actions: string[] }> {
  const { autoscaling } = pair.fleet.aws;
  return {
    policies: (await autoscaling.describePolicies(group)).map((p) => p.PolicyName!).sort(),
    actions: (await autoscaling.describeScheduledActions(group)).map((a) => a.ScheduledActionName!).sort(),
  };
}

/** A compact trace of events for assertion messages (progress and record writes left out). */
export function traceOf(events: readonly DeployEvent[], max = 80): string {
  const lines = events
    .filter((e) => e.code !== 'progress' && e.code !== 'record-written')
    .map((e) => {
      const { t, group, deployId: _d, code, ...rest } = e as DeployEvent & Record<string, unknown>;
      return `${new Date(t).toISOString().slice(11, 19)} ${group ?? ''} ${code} ${JSON.stringify(rest)}`;
    });
  return lines.length > max ? [...lines.slice(0, max / 2), '…', ...lines.slice(-max / 2)].join('\n') : lines.join('\n');
}

/** Changes the deploy made to a group's configuration or instances from `from` on, other than tags (its record). */
export function groupTouchedSince(entries: readonly HistoryEntry[], group: string, from: number): HistoryEntry[] {
  return entries.filter(
    (e) =>
      e.t >= from &&
      ((e.type === 'group' && e.group === group && !e.field.startsWith('Tag:')) || ((e.type === 'lifecycle' || e.type === 'health') && e.group === group)),
  );
}

/** EC2 instances that came into existence from `from` on (launches of any kind). */
export function launchesSince(entries: readonly HistoryEntry[], from: number): string[] {
  return entries.filter((e) => e.type === 'instance' && e.from === null && e.t >= from).map((e) => (e as { instanceId: string }).instanceId);
}

/** The first instant at or after `from` when `group` alone serves at least `count` (its own serving timeline), or undefined. */
export function firstServingAtLeast(entries: readonly HistoryEntry[], group: string, targetGroupArns: readonly string[], from: number, count: number): number | undefined {
  const points = pairServingTimeline(entries, [group], targetGroupArns);
  let current = 0;
  for (const p of points) {
    if (p.t <= from) {
      current = p.serving;
      continue;
    }
    if (current >= count) return from;
    if (p.serving >= count) return p.t;
    current = p.serving;
  }
  return current >= count ? from : undefined;
}

/**
 * Instances "prepared" outside the group (seed 000): launched with RunInstances
 * from the fleet's template at a new version with `image`, one per subnet in
 * turn (or in `zones`), and waited on until running unless `running: false`.
 */
export async function prepareInstances(fleet: TestFleet, count: number, options: { image: string; zones?: string[]; running?: boolean }): Promise<{ ids: string[]; version: number }> {
  const version = await fleet.aws.ec2.createLaunchTemplateVersion({ template: { id: fleet.templateId }, sourceVersion: '1', data: { ImageId: options.image } });
  const network = await fleet.aws.provision.defaultNetwork();
  const subnets = network.subnets.filter((s) => !options.zones || options.zones.includes(s.availabilityZone));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const out = await fleet.ec2.send(
      new RunInstancesCommand({
        MinCount: 1,
        MaxCount: 1,
        LaunchTemplate: { LaunchTemplateId: fleet.templateId, Version: String(version.VersionNumber) },
        SubnetId: subnets[i % subnets.length]!.subnetId,
      }),
    );
    ids.push(out.Instances![0]!.InstanceId!);
  }
  if (options.running !== false) {
    await waitFor(
      fleet.clock,
      async () => {
        const described = await fleet.aws.ec2.describeInstances(ids);
        return described.length === ids.length && described.every((i) => i.State?.Name === 'running');
      },
      `${count} prepared instance(s) running`,
    );
  }
  return { ids, version: version.VersionNumber! };
}

/** EC2 state of each instance (undefined when EC2 no longer knows it). */
export async function ec2States(fleet: TestFleet, ids: readonly string[]): Promise<Record<string, string | undefined>> {
  const described = new Map((await fleet.aws.ec2.describeInstances(ids)).map((i) => [i.InstanceId!, i.State?.Name]));
  return Object.fromEntries(ids.map((id) => [id, described.get(id)]));
}

/** Thrown out of the engine by {@link crashAt}: the deploy dies at that instruction, leaving its record and lock as they are. */
export class SimulatedCrash extends Error {}

/**
 * A context whose deploy dies when `at` says so (the emit throws: no safe
 * point, no cleanup, the lock stays held), or, with `{ abort: true }`, is
 * stopped through its AbortSignal (Ctrl-C: it stops at the next safe point).
 */
export function stopAt(fleet: TestFleet, at: (e: DeployEvent) => boolean, how: { abort?: boolean; owner?: string } = {}): { ctx: DeployContext; log: EventLog; fired: () => boolean } {
  const controller = new AbortController();
  const { ctx, log } = fleet.context({ owner: how.owner ?? 'test:doomed', signal: controller.signal });
  let fired = false;
  ctx.emit = (e) => {
    log.sink(e);
    if (fired || !at(e)) return;
    fired = true;
    if (how.abort) controller.abort(new Error('interrupted'));
    else throw new SimulatedCrash(`crashed at ${e.code}`);
  };
  return { ctx, log, fired: () => fired };
}

/** Runs `deploy` and expects it to die by {@link SimulatedCrash}. */
export async function expectCrash(deploy: Promise<unknown>): Promise<void> {
  const outcome = await deploy.then(
    (r) => r,
    (e: unknown) => e,
  );
  if (!(outcome instanceof SimulatedCrash)) throw new Error(`expected the deploy to crash, got ${outcome instanceof Error ? outcome.stack : JSON.stringify(outcome)}`);
}

/** Fails with the first dips below `floor` after `from` and the history around the first one. */
export function assertServingAtLeast(points: readonly ServingPoint[], entries: readonly HistoryEntry[], from: number, floor: number, what = 'serving'): void {
  const dips = points.filter((p) => p.t > from && p.serving < floor);
  const before = points.filter((p) => p.t <= from).at(-1);
  if (before && before.serving < floor) dips.unshift({ ...before, t: from });
  if (dips.length === 0) return;
  const at = dips[0]!.t;
  const around = entries
    .filter((e) => e.t >= at - 15_000 && e.t <= at + 2_000 && e.type !== 'activity' && e.type !== 'image')
    .map((e) => `${((e.t - from) / 1000).toFixed(1)}s ${JSON.stringify({ ...e, t: undefined, region: undefined })}`);
  throw new Error(`${what} dropped below ${floor}: ${dips.slice(0, 5).map((p) => `+${((p.t - from) / 1000).toFixed(1)}s:${p.serving}`).join(', ')}\n${around.join('\n')}`);
}
