/**
 * `npm run bench race`: the same fleet replaced three ways, side by side on one
 * emulator and one clock — `asg-deploy roll`, the emulated Instance Refresh with
 * the closest preferences (MinHealthyPercentage 100, MaxHealthyPercentage
 * 100 + the surge, the default warmup), and Ansible's `autoscaling_group` with
 * `replace_all_instances` and the same batch (when `ansible-playbook` is
 * installed). Each tool gets its own region of the one emulator, so its fleet,
 * its serving history and its AWS calls are its own.
 *
 * For each: the simulated duration, the lowest serving count against the floor
 * (from the emulator's history), and the AWS calls it made. Goal (issue 11): our
 * duration ≤ 0.8 × Instance Refresh's, at 100 % of the floor.
 *
 * Ansible waits 10 real seconds between its polls whatever the clock, so the
 * race runs in real time by default (about five minutes); RACE_SPEED=K runs it
 * K× faster, and then Ansible's polls are K × 10 simulated seconds apart.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeInstanceRefreshesCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { createAwsClients, type AwsClients } from '../src/aws/index.js';
import { ScaledClock } from '../src/clock/index.js';
import { roll } from '../src/deploy/index.js';
import { lowestServing, servingTimeline, startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { availableImage } from '../src/testing/index.js';

/** The issue's realistic timings: boot 30 s, ready 20 s, health checks 2 × 5 s, drain 10 s. */
const FLEET = { size: 6, surge: 2, bootSeconds: 30, readySeconds: 20, intervalSeconds: 5, healthyThreshold: 2, drainSeconds: 10, graceSeconds: 60 };
const CREDENTIALS = { accessKeyId: 'race', secretAccessKey: 'race' };
const REGIONS = { ours: 'us-east-1', refresh: 'us-east-2', ansible: 'us-west-2' } as const;

interface RaceFleet {
  region: string;
  group: string;
  targetGroupArn: string;
  templateId: string;
  subnetIds: string[];
  newVersion: string;
}

export interface RaceEntry {
  tool: string;
  ran: boolean;
  why?: string;
  seconds: number;
  lowestServing: number;
  floor: number;
  calls: number;
  outcome: string;
}

export interface RaceResult {
  speed: number;
  lowerBoundSeconds: number;
  entries: RaceEntry[];
}

async function waitUntil(clock: ScaledClock, check: () => Promise<boolean>, what: string, maxSimSeconds = 3600): Promise<void> {
  const until = clock.now() + maxSimSeconds * 1000;
  while (!(await check())) {
    if (clock.now() > until) throw new Error(`timed out waiting for ${what}`);
    await clock.sleep(2000);
  }
}

/** One fleet in one region: a load balancer, a target group, a template with versions 1 (running) and 2 (to deploy), a group of 6 across 3 AZs. */
async function buildFleet(emu: RunningEmulator, clock: ScaledClock, region: string, group: string): Promise<RaceFleet> {
  const aws = createAwsClients({ endpoint: emu.endpoint, region, credentials: CREDENTIALS, clock, env: {} });
  const behaviour = { 'emulator:boot-seconds': String(FLEET.bootSeconds), 'emulator:ready-seconds': String(FLEET.readySeconds) };
  try {
    const network = await aws.provision.defaultNetwork();
    const subnetIds = network.subnets.map((s) => s.subnetId);
    const v1 = await availableImage(aws, clock, `${group}-1`, behaviour);
    const v2 = await availableImage(aws, clock, `${group}-2`, behaviour);
    const targetGroupArn = await aws.provision.createTargetGroup({
      name: `${group}-tg`,
      vpcId: network.vpcId,
      healthCheckIntervalSeconds: FLEET.intervalSeconds,
      healthyThresholdCount: FLEET.healthyThreshold,
      unhealthyThresholdCount: 2,
      deregistrationDelaySeconds: FLEET.drainSeconds,
    });
    await aws.provision.createLoadBalancer(`${group}-lb`, subnetIds, targetGroupArn);
    const lt = await aws.provision.createLaunchTemplate(`${group}-lt`, { ImageId: v1, InstanceType: 't3.micro' });
    const next = await aws.ec2.createLaunchTemplateVersion({ template: { id: lt.id }, sourceVersion: String(lt.version), data: { ImageId: v2 } });
    await aws.provision.createGroup({
      name: group,
      launchTemplateId: lt.id,
      version: String(lt.version),
      minSize: FLEET.size,
      maxSize: FLEET.size + FLEET.surge,
      desiredCapacity: FLEET.size,
      subnetIds,
      targetGroupArns: [targetGroupArn],
      healthCheckType: 'ELB',
      healthCheckGracePeriodSeconds: FLEET.graceSeconds,
    });
    await waitUntil(clock, async () => {
      const fleet = await aws.snapshotFleet(group);
      return Object.values(fleet.targetHealth[targetGroupArn] ?? {}).filter((t) => t.state === 'healthy').length === FLEET.size;
    }, `${group} to serve`);
    return { region, group, targetGroupArn, templateId: lt.id, subnetIds, newVersion: String(next.VersionNumber) };
  } finally {
    aws.destroy();
  }
}

function callsIn(emu: RunningEmulator, region: string, from: number, to: number): number {
  return emu.sim.history.entries.filter((e) => e.type === 'call' && e.region === region && e.t >= from && e.t <= to).length;
}

function measure(emu: RunningEmulator, fleet: RaceFleet, tool: string, from: number, to: number, outcome: string): RaceEntry {
  const timeline = servingTimeline(emu.sim.history.entries, { group: fleet.group, targetGroupArns: [fleet.targetGroupArn], region: fleet.region });
  return { tool, ran: true, seconds: Math.round((to - from) / 1000), lowestServing: lowestServing(timeline, from, to), floor: FLEET.size, calls: callsIn(emu, fleet.region, from, to), outcome };
}

async function raceOurs(emu: RunningEmulator, clock: ScaledClock, fleet: RaceFleet): Promise<RaceEntry> {
  const aws: AwsClients = createAwsClients({ endpoint: emu.endpoint, region: fleet.region, credentials: CREDENTIALS, clock, env: {} });
  try {
    const from = clock.now();
    const result = await roll(
      { aws, clock, emit: () => undefined, owner: 'race' },
      { group: fleet.group, templateVersion: Number(fleet.newVersion), maxSurge: { kind: 'count', count: FLEET.surge } },
    );
    return measure(emu, fleet, 'asg-deploy roll', from, clock.now(), result.outcome);
  } finally {
    aws.destroy();
  }
}

async function raceInstanceRefresh(emu: RunningEmulator, clock: ScaledClock, fleet: RaceFleet): Promise<RaceEntry> {
  const asg = new AutoScalingClient({ endpoint: emu.endpoint, region: fleet.region, credentials: CREDENTIALS });
  try {
    const from = clock.now();
    let out;
    try {
      out = await asg.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: fleet.group,
          DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: fleet.templateId, Version: fleet.newVersion } },
          // The closest to our defaults: never below 100 %, a surge of the same size; the warmup left at its default (the grace period).
          Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 100 + Math.ceil((FLEET.surge / FLEET.size) * 100) },
        }),
      );
    } catch (e) {
      return { tool: 'Instance Refresh', ran: false, why: `the emulator does not run it: ${(e as Error).name}`, seconds: 0, lowestServing: 0, floor: FLEET.size, calls: 0, outcome: 'not run' };
    }
    let status = 'Pending';
    while (!['Successful', 'Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'].includes(status)) {
      await clock.sleep(15_000);
      const refreshes = await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: fleet.group, InstanceRefreshIds: [out.InstanceRefreshId!] }));
      status = refreshes.InstanceRefreshes?.[0]?.Status ?? 'Failed';
    }
    return measure(emu, fleet, 'Instance Refresh', from, clock.now(), status);
  } finally {
    asg.destroy();
  }
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: String(stdout) });
    });
  });
}

async function raceAnsible(emu: RunningEmulator, clock: ScaledClock, fleet: RaceFleet): Promise<RaceEntry> {
  const which = await run('sh', ['-c', 'command -v ansible-playbook'], process.env);
  if (which.code !== 0) return { tool: 'Ansible replace_all_instances', ran: false, why: 'ansible-playbook is not installed', seconds: 0, lowestServing: 0, floor: FLEET.size, calls: 0, outcome: 'not run' };
  const dir = await mkdtemp(join(tmpdir(), 'asg-deploy-race-'));
  try {
    const playbook = join(dir, 'replace.yml');
    await writeFile(
      playbook,
      [
        '- hosts: localhost',
        '  gather_facts: false',
        '  tasks:',
        '    - amazon.aws.autoscaling_group:',
        `        name: ${fleet.group}`,
        `        region: ${fleet.region}`,
        `        endpoint_url: ${emu.endpoint}`,
        `        aws_access_key: ${CREDENTIALS.accessKeyId}`,
        `        aws_secret_key: ${CREDENTIALS.secretAccessKey}`,
        '        launch_template:',
        `          launch_template_id: ${fleet.templateId}`,
        `          version: "${fleet.newVersion}"`,
        `        min_size: ${FLEET.size}`,
        `        max_size: ${FLEET.size + FLEET.surge}`,
        `        desired_capacity: ${FLEET.size}`,
        `        vpc_zone_identifier: [${fleet.subnetIds.join(', ')}]`,
        `        target_group_arns: [${fleet.targetGroupArn}]`,
        '        health_check_type: ELB',
        `        health_check_period: ${FLEET.graceSeconds}`,
        '        replace_all_instances: true',
        `        replace_batch_size: ${FLEET.surge}`,
        '        wait_for_instances: true',
        '        wait_timeout: 3600',
        '',
      ].join('\n'),
    );
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
    Object.assign(env, { ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
    const from = clock.now();
    const result = await run('ansible-playbook', [playbook], env);
    const failure = /fatal: .*?"msg": "([^"]*)"/s.exec(result.stdout)?.[1];
    return measure(emu, fleet, 'Ansible replace_all_instances', from, clock.now(), result.code === 0 ? 'succeeded' : `failed: ${failure ?? `exit ${result.code}`}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runRaceBench(speed = Number(process.env.RACE_SPEED ?? 1)): Promise<RaceResult> {
  const clock = new ScaledClock(speed, Date.UTC(2026, 0, 1, 12));
  const emu = await startEmulator({ clock, seed: 7 });
  try {
    process.stderr.write(`race: building three identical fleets of ${FLEET.size} (clock ${speed}×)\n`);
    const [ours, refresh, ansible] = await Promise.all([
      buildFleet(emu, clock, REGIONS.ours, 'race'),
      buildFleet(emu, clock, REGIONS.refresh, 'race'),
      buildFleet(emu, clock, REGIONS.ansible, 'race'),
    ]);
    process.stderr.write('race: replacing them side by side\n');
    const entries = await Promise.all([raceOurs(emu, clock, ours), raceInstanceRefresh(emu, clock, refresh), raceAnsible(emu, clock, ansible)]);
    const waves = Math.ceil(FLEET.size / FLEET.surge);
    const lowerBoundSeconds = waves * (FLEET.bootSeconds + FLEET.readySeconds + FLEET.intervalSeconds * FLEET.healthyThreshold) + FLEET.drainSeconds;
    return { speed, lowerBoundSeconds, entries };
  } finally {
    await emu.close();
  }
}

export function formatRace(result: RaceResult): { text: string; met: boolean } {
  const rows = [['tool', 'outcome', 'duration', 'vs lower bound', 'lowest serving / floor', 'AWS calls']];
  for (const e of result.entries) {
    if (!e.ran) {
      rows.push([e.tool, `not run: ${e.why}`, '', '', '', '']);
      continue;
    }
    rows.push([e.tool, e.outcome, `${e.seconds} s`, (e.seconds / result.lowerBoundSeconds).toFixed(2), `${e.lowestServing} / ${e.floor}`, String(e.calls)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const table = rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
  const ours = result.entries.find((e) => e.tool === 'asg-deploy roll')!;
  const refresh = result.entries.find((e) => e.tool === 'Instance Refresh')!;
  const lines = [table, '', `lower bound: ${result.lowerBoundSeconds} s (waves × (boot + ready + health checks) + one drain); clock ${result.speed}×`];
  let met = ours.ran && ours.outcome === 'succeeded' && ours.lowestServing >= ours.floor;
  if (refresh.ran) {
    const ratio = ours.seconds / refresh.seconds;
    const ok = ratio <= 0.8;
    met &&= ok;
    lines.push(`asg-deploy / Instance Refresh duration: ${ratio.toFixed(2)} (goal ≤ 0.80: ${ok ? 'met' : 'MISSED'})`);
  } else {
    met = false;
    lines.push('asg-deploy / Instance Refresh duration: not measured (MISSED)');
  }
  lines.push(`asg-deploy lowest serving / floor: ${ours.lowestServing} / ${ours.floor} (goal 100 %: ${ours.lowestServing >= ours.floor ? 'met' : 'MISSED'})`);
  return { text: lines.join('\n'), met };
}
