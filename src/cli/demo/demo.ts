/**
 * `asg-deploy demo`: the whole product in under a minute, on the embedded
 * emulator. It builds a realistic fleet (load balancer, target group, launch
 * template, a group of 6 across 3 AZs), bakes an image from a running
 * instance, rolls the fleet to it with the live view, rolls to a bad image
 * and shows the automatic rollback, then deploys blue/green onto an idle twin
 * and rolls back instantly from Standby. The summary's lowest serving capacity
 * comes from the emulator's recorded history, not from the tool's own polls.
 */
import type { AwsClients } from '../../aws/index.js';
import { ScaledClock } from '../../clock/index.js';
import { formatDuration } from '../../core/index.js';
import { bluegreen, rollbackBlueGreen, roll, APP_TAG, COLOR_TAG, type DeployEvent, type DeployResult } from '../../deploy/index.js';
import { lowestServing, servingTimeline } from '../../emulator/index.js';
import { startFleet } from '../../testing/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatHistory, loadHistory, writeDeployReport } from '../../report/index.js';
import type { CliContext } from '../context.js';
import { createRenderer } from '../render.js';
import { toJsonLine } from '../../events/index.js';

export interface DemoOptions {
  /** Simulated seconds per real second. */
  speed: number;
  size: number;
  seed?: number;
  /** Where each act's report goes (default a new directory under the system's temp dir). */
  reportDir?: string;
}

export interface DemoAct {
  name: string;
  outcome: string;
  simulatedSeconds: number;
  lowestServing: number;
  floor: number;
  apiCalls: number;
  /** The act's HTML report, if it could be written. */
  report?: string;
}

const GROUP = 'shop-web';

async function until(clock: ScaledClock, check: () => Promise<boolean>, what: string, maxSeconds = 1800): Promise<void> {
  const deadline = clock.now() + maxSeconds * 1000;
  while (!(await check())) {
    if (clock.now() > deadline) throw new Error(`demo: ${what} did not happen within ${maxSeconds} simulated seconds`);
    await clock.sleep(2000);
  }
}

/** Bakes an image from one of the group's running instances (seed 001), tagged, and waits until it is available. */
async function bake(aws: AwsClients, clock: ScaledClock, name: string, tags: Record<string, string>): Promise<string> {
  const { instances } = await aws.autoscaling.describeGroup(GROUP);
  const source = instances.find((i) => i.lifecycleState === 'InService')!;
  const imageId = await aws.ec2.createImage({ instanceId: source.id, name, tags: { app: GROUP, ...tags } });
  await until(clock, async () => (await aws.ec2.describeImages({ imageIds: [imageId] }))[0]?.State === 'available', `image ${imageId} to become available`);
  return imageId;
}

export async function runDemo(cli: CliContext, options: DemoOptions): Promise<DemoAct[]> {
  const say = (line: string) => {
    if (cli.output !== 'json') cli.io.out(line);
  };
  const clock = new ScaledClock(options.speed);
  let calls = 0;
  const renderer = createRenderer(cli.io, cli.output, { now: () => clock.now(), color: cli.color !== false && cli.io.color === true });
  const acts: DemoAct[] = [];
  say(`asg-deploy demo: an emulated AWS, its clock ${options.speed}× real time`);
  say('');
  say(`1. Building the fleet: a load balancer, a target group, a launch template and ${GROUP}, ${options.size} instances across 3 AZs`);
  const bootStart = clock.now();
  // The shared rehearsal fleet (src/testing/), with the demo's realistic timings: 30 s boot, 20 s until ready, checks every 10 s.
  const fleet = await startFleet({
    size: options.size,
    clock,
    seed: options.seed ?? 1,
    name: GROUP,
    bootSeconds: 30,
    readySeconds: 20,
    deregistrationDelaySeconds: 30,
    healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2, gracePeriodSeconds: 30 },
    instanceType: 't3.small',
    onCall: (e) => {
      if (e.attempt === 1) calls++;
    },
  });
  const { emu, aws } = fleet;
  const tg = fleet.targetGroupArn;
  try {
    const network = await aws.provision.defaultNetwork();
    say(`   ${options.size} instances booted, InService and healthy in the target group after ${formatDuration(clock.now() - bootStart)} (simulated), on ${emu.endpoint}`);

    const act = async (name: string, run: () => Promise<DeployResult>, groups: string[] = [GROUP]): Promise<DeployResult> => {
      const startCalls = calls;
      const start = clock.now();
      const events: DeployEvent[] = [];
      actEvents = events;
      const result = await run();
      actEvents = undefined;
      const timeline = servingTimeline(emu.sim.history.entries, { group: groups, targetGroupArns: [tg] });
      acts.push({
        name,
        outcome: result.outcome,
        simulatedSeconds: Math.round((clock.now() - start) / 1000),
        lowestServing: lowestServing(timeline, start, clock.now()),
        floor: result.floor ?? options.size,
        apiCalls: calls - startCalls,
      });
      // One report per act, from the act's own events (nothing written under the user's state directory).
      const file = join(reportDir ??= options.reportDir ?? mkdtempSync(join(tmpdir(), 'asg-deploy-demo-')), `${acts.length}-${name.replace(/[^a-z0-9]+/gi, '-')}.html`);
      try {
        const { path } = await writeDeployReport(aws, GROUP, { now: clock.now(), deployId: result.deployId, out: file, events, env: false });
        acts[acts.length - 1]!.report = path;
        say(`   report: ${path}`);
      } catch (e) {
        say(`   (no report for this act: ${(e as Error).message})`);
      }
      return result;
    };
    let reportDir: string | undefined;
    let actEvents: DeployEvent[] | undefined;
    const ctx = {
      aws,
      clock,
      owner: 'demo',
      emit: (e: DeployEvent) => {
        renderer.event(e);
        actEvents?.push(e);
      },
    };

    say('');
    say('2. Baking release 2 from a running instance (CreateImage, no reboot) and rolling the fleet to it');
    const good = await bake(aws, clock, `${GROUP}-release-2`, { release: '2' });
    await act('roll to release 2', () => roll(ctx, { group: GROUP, image: good }));
    renderer.close();

    say('');
    say('3. Baking release 3, which is broken (its instances never pass the health check), and rolling to it');
    const bad = await bake(aws, clock, `${GROUP}-release-3`, { release: '3', 'emulator:health': 'unhealthy' });
    await act('roll to broken release 3', () => roll(ctx, { group: GROUP, image: bad, maxFailedLaunches: 2 }));
    renderer.close();

    say('');
    say('4. Blue/green: an idle twin group behind the same target group, release 4 deployed onto it, then an instant rollback');
    const twin = `${GROUP}-green`;
    await aws.autoscaling.createOrUpdateTags(GROUP, [
      { key: APP_TAG, value: GROUP, propagateAtLaunch: false },
      { key: COLOR_TAG, value: 'blue', propagateAtLaunch: false },
    ]);
    const { group: live } = await aws.autoscaling.describeGroup(GROUP);
    await aws.provision.createGroup({
      name: twin,
      launchTemplateId: live.launchTemplate!.id!,
      version: live.launchTemplate!.version,
      minSize: 0,
      maxSize: live.maxSize,
      desiredCapacity: 0,
      subnetIds: network.subnets.map((s) => s.subnetId),
      targetGroupArns: [tg],
      healthCheckType: 'ELB',
      healthCheckGracePeriodSeconds: 30,
      tags: { [APP_TAG]: GROUP, [COLOR_TAG]: 'green' },
    });
    const release4 = await bake(aws, clock, `${GROUP}-release-4`, { release: '4' });
    await act('blue/green to release 4', () => bluegreen(ctx, { app: GROUP, image: release4 }), [GROUP, twin]);
    renderer.close();
    say('   release 4 serves from the green group; the blue fleet waits in Standby. Rolling back:');
    const rollbackStart = clock.now();
    await act('blue/green rollback', () => rollbackBlueGreen(ctx, { app: GROUP }), [GROUP, twin]);
    renderer.close();
    // When the blue group alone served the full fleet again (from the history).
    const blueBack = servingTimeline(emu.sim.history.entries, { group: GROUP, targetGroupArns: [tg] }).find((p) => p.t >= rollbackStart && p.serving >= options.size);
    const rollingBack = acts.find((a) => a.name === 'roll to broken release 3')!;
    if (blueBack) {
      say(`   the previous release served the whole fleet again ${formatDuration(blueBack.t - rollbackStart)} after the rollback began, with no instance launched;`);
      say(`   the rolling rollback of act 3 needed ${formatDuration(rollingBack.simulatedSeconds * 1000)} and new instances`);
    }

    say('');
    say('Summary (simulated time; serving capacity from the emulator\'s recorded history):');
    for (const a of acts) {
      const held = a.lowestServing >= a.floor ? 'held' : 'BROKEN';
      say(`  ${a.name.padEnd(26)} ${a.outcome.padEnd(12)} ${formatDuration(a.simulatedSeconds * 1000).padEnd(8)} lowest serving ${a.lowestServing} (floor ${a.floor}, ${held})  ${a.apiCalls} API calls`);
    }
    if (cli.output === 'json') cli.io.out(toJsonLine({ code: 'demo-summary', t: clock.now(), acts }));
    // What `history` reads from AWS alone (the tags on the groups and their
    // scaling activities), so a person sees the four acts as any machine would.
    if (cli.output !== 'json') {
      say('');
      say(`What \`asg-deploy history ${GROUP}\` prints for these acts, from the groups' tags and scaling activities alone:`);
      const history = await loadHistory(aws, GROUP, { now: clock.now() });
      for (const line of formatHistory(history, { limit: 20, activities: false })) say(`  ${line}`);
    }
    say('');
    say('Next: `asg-deploy emulator` runs this emulator for your own scripts (AWS CLI, boto3, Terraform…);');
    say('      `asg-deploy roll --help` shows the options used above.');
    return acts;
  } finally {
    renderer.close();
    await fleet.close();
  }
}
