/**
 * `rehearse roll|bluegreen|shrink|swap GROUP …`: the same arguments as the deploy,
 * run on a copy of the live fleet in the embedded emulator (src/rehearse/).
 * The live account is only read. Exit 0 when every rehearsed run succeeded,
 * 1 when the deploy would fail.
 */
import { Option, type Command } from 'commander';
import type { AppConfig } from '../../config/index.js';
import type { Amount } from '../../core/index.js';
import { formatDuration } from '../../core/duration.js';
import type { RehearsalDeploy, RehearsalReport } from '../../rehearse/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { addAppFlags, addDeployFlags, deploySettings, type DeployFlags, type DeploySettingsFromFlags } from '../flags.js';
import { withInventory } from '../inventory.js';
import { parseIntegerOption } from '../options.js';
import { createRuntime, type CommandRuntime } from '../runtime.js';
import { toJsonLine } from '../../events/index.js';

interface RehearsalFlags extends DeployFlags {
  runs: number;
  readySeconds?: number;
  bootSeconds?: number;
  report?: string;
}

const EXAMPLES = `
Examples:
  asg-deploy rehearse roll web --image ami-0123456789abcdef0 --max-surge 2
  asg-deploy rehearse bluegreen shop --template-version 8 --report rehearsal.html
  asg-deploy rehearse roll web --image ami-… --ready-seconds 45 --output json

What it reads (Describe calls only, never a write): the group(s) with sizes, AZs,
health checks, termination policies, suspended processes, protection, tags,
launch template versions, lifecycle hooks, warm pool, scaling policies and their
alarms, scheduled actions; the target groups and their load balancers; the
group's recent scaling activities (how long a launch takes, recent launch
failures). It runs the deploy on that copy a few times (different AZ tie-breaks
and jitter) and prints the predicted duration, how low serving went against the
floor, the API calls, and every problem it met with its fix.

Exit codes: 0 the rehearsal succeeded · 1 the deploy would fail (see the problems) ·
2 bad input · 5 AWS refused a read.`;

function addRehearsalFlags(command: Command): Command {
  return command
    .addOption(new Option('--runs <n>', 'rehearse this many times, each with another seed (the range of durations comes from them)').argParser(parseIntegerOption('--runs', 1, 20)).default(3))
    .addOption(new Option('--ready-seconds <s>', 'seconds your application takes to answer health checks once the instance is up (AWS does not record it; default 20)').argParser(parseIntegerOption('--ready-seconds', 0, 3600)))
    .addOption(new Option('--boot-seconds <s>', "seconds from launch to InService (default: the median of the group's recent launches)").argParser(parseIntegerOption('--boot-seconds', 0, 3600)))
    .option('--report <file>', 'also write the HTML report (as `asg-deploy report`) of the first rehearsed run');
}

/** The deploy settings a rehearsal uses: the real ones, never a dry run (the copy is the rehearsal's to change). */
function rehearsedSettings(flags: RehearsalFlags, app: AppConfig | undefined): Omit<DeploySettingsFromFlags, 'dryRun'> {
  const { dryRun: _ignored, ...settings } = deploySettings(flags, app?.strategy);
  return settings;
}

async function run(cli: CliContext, command: Command, flags: RehearsalFlags, app: AppConfig | undefined, build: (runtime: CommandRuntime) => Promise<RehearsalDeploy>): Promise<void> {
  const runtime = await createRuntime(cli, command, app);
  try {
    const [{ rehearse }, { writeDeployReport }] = await Promise.all([import('../../rehearse/index.js'), import('../../report/index.js')]);
    const deploy = await build(runtime);
    const region = await runtime.aws.resolveRegion();
    let reportPath: string | undefined;
    const report = await rehearse({
      live: runtime.aws,
      region,
      deploy,
      seeds: Array.from({ length: flags.runs }, (_, i) => i + 1),
      ...(flags.readySeconds === undefined ? {} : { appReadySeconds: flags.readySeconds }),
      ...(flags.bootSeconds === undefined ? {} : { bootSeconds: flags.bootSeconds }),
      onProgress: (message) => {
        if (cli.output !== 'json') cli.io.err(message);
      },
      ...(flags.report === undefined
        ? {}
        : {
            afterRun: async (seed, copy, now) => {
              if (seed !== 1) return;
              reportPath = (await writeDeployReport(copy, deploy.groups[0]!, { now, out: flags.report })).path;
            },
          }),
    });
    if (cli.output === 'json') {
      const { shape: _shape, ...rest } = report;
      cli.io.out(toJsonLine({ code: 'rehearsal', t: runtime.clock.now(), ...rest, ...(reportPath ? { reportPath } : {}) }));
    } else {
      for (const line of formatRehearsal(report)) cli.io.out(line);
      if (reportPath) cli.io.out(`report of the first run: ${reportPath}`);
    }
    // 1, as for a deploy that failed and was rolled back: nothing changed in the account either way.
    cli.exitCode = report.succeeded ? ExitCode.Success : ExitCode.RolledBack;
  } finally {
    runtime.dispose();
  }
}

export function formatRehearsal(r: RehearsalReport): string[] {
  const lines: string[] = [];
  const { median, min, max } = r.predictedSeconds;
  const range = min === max ? '' : ` (${formatDuration(min * 1000)}–${formatDuration(max * 1000)} over ${r.runs.length} runs)`;
  lines.push(`rehearsal of ${r.group}: ${r.succeeded ? 'the deploy succeeded' : 'the deploy would FAIL'} on the copy`);
  lines.push(`  predicted duration  ${formatDuration(median * 1000)}${range}`);
  lines.push(`  lowest serving      ${r.lowestServing}${r.floor === undefined ? '' : ` (floor ${r.floor})`}`);
  lines.push(`  AWS calls           about ${r.apiCalls}`);
  for (const run of r.runs) if (run.outcome !== 'succeeded') lines.push(`  run ${run.seed}: ${run.outcome}${run.reason ? `: ${run.reason}` : ''}`);
  if (r.problems.length === 0) lines.push('  problems            none found');
  else {
    lines.push(`  problems (${r.problems.length}):`);
    for (const p of r.problems) {
      lines.push(`    - ${p.message}`);
      lines.push(`      fix: ${p.fix}`);
    }
  }
  lines.push('  assumptions:');
  for (const a of r.assumptions) lines.push(`    - ${a}`);
  return lines;
}

export function registerRehearseCommand(program: Command, cli: CliContext): void {
  const rehearse = program
    .command('rehearse')
    .description('run a deploy on a copy of the live fleet in the embedded emulator, at speed: predicted duration, lowest serving, API calls and every problem it meets, each with its fix (the live account is only read)')
    .addHelpText('after', EXAMPLES);

  const roll = rehearse.command('roll').argument('[group]', 'the Auto Scaling group (or --app)').description('rehearse `asg-deploy roll` with the same arguments');
  addRehearsalFlags(addAppFlags(addDeployFlags(roll, { surge: true }))).addHelpText('after', EXAMPLES).action(async (groupArg: string | undefined, flags: RehearsalFlags, command: Command) => {
    const { group, app } = await withInventory(groupArg, flags, 'rehearse roll');
    const { parseSurge } = await import('../../core/index.js');
    const maxSurge: Amount | undefined = flags.maxSurge !== undefined ? parseSurge(flags.maxSurge) : app?.strategy?.maxSurge;
    const settings = rehearsedSettings(flags, app);
    await run(cli, command, flags, app, async () => ({
      groups: [group],
      ...(settings.image === undefined ? {} : { images: [settings.image] }),
      createsTemplateVersion: settings.image !== undefined,
      run: async (ctx, ids) => {
        const { roll: rollDeploy } = await import('../../deploy/index.js');
        return rollDeploy(ctx, { group, ...settings, ...(settings.image === undefined ? {} : { image: ids.image(settings.image) }), maxSurge });
      },
    }));
  });

  const shrink = rehearse.command('shrink').argument('[group]', 'the Auto Scaling group (or --app)').description('rehearse `asg-deploy shrink` with the same arguments');
  addRehearsalFlags(addAppFlags(addDeployFlags(shrink)))
    .addOption(new Option('--termination-policy <policy>', 'the policy that picks the old half').choices(['OldestLaunchTemplate', 'OldestInstance']).default('OldestLaunchTemplate'))
    .action(async (groupArg: string | undefined, flags: RehearsalFlags & { terminationPolicy?: 'OldestLaunchTemplate' | 'OldestInstance' }, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'rehearse shrink');
      const settings = rehearsedSettings(flags, app);
      await run(cli, command, flags, app, async () => ({
        groups: [group],
        ...(settings.image === undefined ? {} : { images: [settings.image] }),
        createsTemplateVersion: settings.image !== undefined,
        run: async (ctx, ids) => {
          const { shrink: shrinkDeploy } = await import('../../deploy/index.js');
          return shrinkDeploy(ctx, { group, ...settings, ...(settings.image === undefined ? {} : { image: ids.image(settings.image) }), terminationPolicy: flags.terminationPolicy });
        },
      }));
    });

  const swap = rehearse.command('swap').argument('[group]', 'the Auto Scaling group (or --app)').description('rehearse `asg-deploy swap` with the same arguments (the prepared instances are copied too)');
  addRehearsalFlags(addAppFlags(addDeployFlags(swap, { version: false, maxFailedLaunches: false })))
    .requiredOption('--instances <ids>', "the prepared instances, comma-separated: running, in the group's AZs, in no group")
    .option('--keep-old', 'detach the old instances (they keep running) instead of terminating them')
    .action(async (groupArg: string | undefined, flags: RehearsalFlags & { instances: string; keepOld?: boolean }, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'rehearse swap');
      const settings = rehearsedSettings(flags, app);
      const instances = flags.instances.split(',').map((i) => i.trim()).filter(Boolean);
      await run(cli, command, flags, app, async () => ({
        groups: [group],
        instances,
        createsTemplateVersion: false,
        run: async (ctx, ids) => {
          const { swap: swapDeploy } = await import('../../deploy/index.js');
          return swapDeploy(ctx, { group, ...settings, instances: instances.map((i) => ids.instance(i)), ...(flags.keepOld === undefined ? {} : { keepOld: flags.keepOld }) });
        },
      }));
    });

  const bluegreen = rehearse.command('bluegreen').argument('<app>', 'the app whose blue/green pair to rehearse').description('rehearse `asg-deploy bluegreen` with the same arguments');
  addRehearsalFlags(addAppFlags(addDeployFlags(bluegreen))).action(async (appArg: string, flags: RehearsalFlags, command: Command) => {
    const settings = rehearsedSettings(flags, undefined);
    await run(cli, command, flags, undefined, async (runtime) => {
      const { findPair } = await import('../../deploy/index.js');
      const pair = await findPair(runtime.aws, { app: appArg });
      return {
        groups: [pair.blue.group.name, pair.green.group.name],
        ...(settings.image === undefined ? {} : { images: [settings.image] }),
        createsTemplateVersion: settings.image !== undefined,
        run: async (ctx, ids) => {
          const { bluegreen: deployBlueGreen } = await import('../../deploy/index.js');
          const result = await deployBlueGreen(ctx, { app: appArg, pair: { blue: pair.blue.group.name, green: pair.green.group.name }, ...settings, ...(settings.image === undefined ? {} : { image: ids.image(settings.image) }) });
          return result;
        },
      };
    });
  });
}
