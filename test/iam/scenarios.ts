/**
 * One real run of each command against a fresh emulator fleet, through the
 * CLI's `exec` (in-process, the same code path as the binary) — what the
 * permission proof replays under a policy. Each scenario builds its world with
 * no policy in force, then the caller installs one and runs `args`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/context.js';
import type { HistoryEntry, RunningEmulator } from '../../src/emulator/index.js';
import { CLI_BIN, cliEnv, startFleet, waitFor, type TestFleet } from '../helpers/fleet.js';
import { prepareInstances, startPair } from '../helpers/pair.js';

export const SPEED = 200;

// The in-process CLI reads credentials as the binary would: give it the same fake ones cliEnv gives a child.
for (const k of Object.keys(process.env)) if (k.startsWith('AWS_') || k === 'ASG_DEPLOY_TIME_SCALE') delete process.env[k];
Object.assign(process.env, cliEnv());
// Deploy runs write their event logs under XDG_STATE_HOME (report reads them): keep them out of the user's home.
const stateHome = mkdtempSync(join(tmpdir(), 'asg-deploy-iam-state-'));
process.env.XDG_STATE_HOME = stateHome;

export interface Prepared {
  emu: RunningEmulator;
  /** The command line after the global flags. */
  args: string[];
  /** What `iam-policy` is told to scope to. */
  scope: { groups: string[]; templates: string[] };
  close(): Promise<void>;
}

export interface Scenario {
  command: string;
  prepare(): Promise<Prepared>;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs asg-deploy in this process against `endpoint` with the tool's clock at SPEED. */
export async function runCli(endpoint: string, args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  const code = await exec(['--endpoint-url', endpoint, '--region', 'us-east-1', '--time-scale', String(SPEED), ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function fromFleet(fleet: TestFleet, args: string[], groups = [fleet.group]): Prepared {
  return { emu: fleet.emu, args, scope: { groups, templates: [fleet.templateId] }, close: () => fleet.close() };
}

const small = { size: 2, speed: SPEED };

/** A roll of the fleet interrupted with SIGINT once it has started launching (the binary, as a user would stop it): resume/abort have a deploy to act on. */
async function interruptedRoll(fleet: TestFleet, extra: readonly string[] = []): Promise<void> {
  const image = await fleet.image();
  const from = fleet.emu.sim.now;
  const child = execFile(process.execPath, [CLI_BIN, '--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--time-scale', String(SPEED), 'roll', fleet.group, '--image', image, ...extra], { env: cliEnv() });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let done = false;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { done = true; resolve(code); }));
  await waitFor(fleet.clock, async () => done || fleet.history().some((e) => e.t >= from && e.type === 'lifecycle' && e.to === 'Pending'), 'the roll to launch', 7200);
  if (done) throw new Error(`the roll to interrupt ended by itself (exit ${await exited}): ${stderr}`);
  child.kill('SIGINT');
  const code = await exited;
  if (code !== 130) throw new Error(`the interrupted roll exited ${code}, expected 130: ${stderr}`);
}

export const SCENARIOS: readonly Scenario[] = [
  { command: 'status', prepare: async () => { const f = await startFleet(small); return fromFleet(f, ['status', f.group]); } },
  { command: 'roll', prepare: async () => { const f = await startFleet(small); return fromFleet(f, ['roll', f.group, '--image', await f.image()]); } },
  { command: 'resume', prepare: async () => { const f = await startFleet(small); await interruptedRoll(f); return fromFleet(f, ['resume', f.group]); } },
  { command: 'abort', prepare: async () => { const f = await startFleet(small); await interruptedRoll(f); return fromFleet(f, ['abort', f.group]); } },
  { command: 'shrink', prepare: async () => { const f = await startFleet(small); return fromFleet(f, ['shrink', f.group, '--image', await f.image()]); } },
  {
    command: 'swap',
    prepare: async () => {
      const f = await startFleet(small);
      const { ids } = await prepareInstances(f, 2, { image: await f.image() });
      return fromFleet(f, ['swap', f.group, '--instances', ids.join(',')]);
    },
  },
  {
    command: 'bluegreen',
    prepare: async () => {
      const p = await startPair(small);
      return { emu: p.fleet.emu, args: ['bluegreen', p.app, '--image', await p.fleet.image()], scope: { groups: [p.blue, p.green], templates: [p.fleet.templateId] }, close: () => p.close() };
    },
  },
  ...(['rollback', 'finish'] as const).map((verb) => ({
    command: verb,
    prepare: async (): Promise<Prepared> => {
      const p = await startPair(small);
      const deployed = await runCli(p.fleet.emu.endpoint, ['bluegreen', p.app, '--image', await p.fleet.image()]);
      if (deployed.code !== 0) throw new Error(`bluegreen before ${verb} exited ${deployed.code}: ${deployed.err}`);
      return { emu: p.fleet.emu, args: [verb, p.app], scope: { groups: [p.blue, p.green], templates: [p.fleet.templateId] }, close: () => p.close() };
    },
  })),
  ...(['history', 'report'] as const).map((command) => ({
    command,
    prepare: async (): Promise<Prepared> => {
      const f = await startFleet(small);
      const rolled = await runCli(f.emu.endpoint, ['roll', f.group, '--image', await f.image()]);
      if (rolled.code !== 0) throw new Error(`roll before ${command} exited ${rolled.code}: ${rolled.err}`);
      return fromFleet(f, command === 'history' ? ['history', f.group, '--activities'] : ['report', f.group, '--out', join(stateHome, `report-${Date.now()}.html`)]);
    },
  })),
  {
    command: 'rehearse',
    prepare: async () => {
      const f = await startFleet(small);
      return fromFleet(f, ['rehearse', 'roll', f.group, '--image', await f.image(), '--runs', '1']);
    },
  },
  {
    command: 'bake',
    prepare: async () => {
      const f = await startFleet(small);
      const { instances } = await f.aws.autoscaling.describeGroup(f.group);
      return fromFleet(f, ['bake', '--instance', instances[0]!.id, '--template', f.templateId]);
    },
  },
  {
    command: 'prune',
    prepare: async () => {
      const f = await startFleet(small);
      const { instances } = await f.aws.autoscaling.describeGroup(f.group);
      for (const name of ['web-20260101-000001', 'web-20260101-000002']) {
        const baked = await runCli(f.emu.endpoint, ['bake', '--instance', instances[0]!.id, '--template', f.templateId, '--name', name]);
        if (baked.code !== 0) throw new Error(`bake before prune exited ${baked.code}: ${baked.err}`);
      }
      return fromFleet(f, ['prune', '--template', f.templateId, '--keep', '0', '--yes'], []);
    },
  },
];

/**
 * Runs that reach a table's optional actions (the flag or the world that makes
 * them): under the command's printed policy they succeed, and `uses` were called.
 */
export interface Variant extends Scenario {
  name: string;
  /** Optional actions this run must make. */
  uses: string[];
  /** Actions this run must not make (the flag that avoids them). */
  avoids?: string[];
}

/** A roll watching an alarm (its name stored with the record), interrupted: status and resume read the alarm's state (issue 9). */
async function interruptedRollWatchingAlarm(fleet: TestFleet): Promise<void> {
  await fleet.aws.cloudwatch.putMetricAlarm({
    AlarmName: `${fleet.group}-5xx`,
    Namespace: 'AWS/ApplicationELB',
    MetricName: 'HTTPCode_Target_5XX_Count',
    Dimensions: [{ Name: 'TargetGroup', Value: fleet.targetGroupArn.slice(fleet.targetGroupArn.indexOf('targetgroup/')) }],
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 10,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
  });
  await interruptedRoll(fleet, ['--alarm', `${fleet.group}-5xx`]);
}

export const VARIANTS: readonly Variant[] = [
  {
    command: 'status',
    name: 'status of a deploy that watches an alarm shows its state',
    uses: ['cloudwatch:DescribeAlarms'],
    prepare: async () => {
      const f = await startFleet(small);
      await interruptedRollWatchingAlarm(f);
      return fromFleet(f, ['status', f.group]);
    },
  },
  {
    command: 'resume',
    name: 'resume of a deploy that stored an alarm watches it again',
    uses: ['cloudwatch:DescribeAlarms'],
    prepare: async () => {
      const f = await startFleet(small);
      await interruptedRollWatchingAlarm(f);
      return fromFleet(f, ['resume', f.group]);
    },
  },
  {
    command: 'roll',
    name: 'roll --alarm watches the alarm',
    uses: ['cloudwatch:DescribeAlarms'],
    prepare: async () => {
      const f = await startFleet(small);
      await f.aws.cloudwatch.putMetricAlarm({ AlarmName: 'roll-5xx', Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
      return fromFleet(f, ['roll', f.group, '--image', await f.image(), '--alarm', 'roll-5xx']);
    },
  },
  {
    command: 'swap',
    name: 'swap --keep-old detaches the old instances',
    uses: ['autoscaling:DetachInstances'],
    prepare: async () => {
      const f = await startFleet(small);
      const { ids } = await prepareInstances(f, 2, { image: await f.image() });
      return fromFleet(f, ['swap', f.group, '--instances', ids.join(','), '--keep-old']);
    },
  },
  {
    command: 'bake',
    name: 'bake --set-default makes the new version the default',
    uses: ['ec2:ModifyLaunchTemplate'],
    prepare: async () => {
      const f = await startFleet(small);
      const { instances } = await f.aws.autoscaling.describeGroup(f.group);
      return fromFleet(f, ['bake', '--instance', instances[0]!.id, '--template', f.templateId, '--set-default']);
    },
  },
  {
    command: 'roll',
    name: 'roll --template-version deploys an existing version: no new one',
    uses: [],
    avoids: ['ec2:CreateLaunchTemplateVersion'],
    prepare: async () => {
      const f = await startFleet(small);
      const version = await f.aws.ec2.createLaunchTemplateVersion({ template: { id: f.templateId }, sourceVersion: '1', data: { ImageId: await f.image() } });
      return fromFleet(f, ['roll', f.group, '--template-version', String(version.VersionNumber)]);
    },
  },
];

/** The IAM actions (prefix:Operation) of the calls recorded from `from` on, answered or refused. */
export function callsSince(entries: readonly HistoryEntry[], from: number): Set<string> {
  const prefix: Record<string, string> = { autoscaling: 'autoscaling', ec2: 'ec2', elbv2: 'elasticloadbalancing', cloudwatch: 'cloudwatch' };
  const out = new Set<string>();
  for (const e of entries) if (e.type === 'call' && e.t >= from) out.add(`${prefix[e.service] ?? e.service}:${e.action}`);
  return out;
}
