/**
 * `bluegreen`, `rollback` and `finish` (deploys.md "Blue/green"), and the one
 * function that registers them with `swap` and `shrink`:
 * {@link registerStrategyCommands}. Thin: flags → library call → exit code.
 */
import { Option, type Command } from 'commander';
import { loadInventory, resolveApp, type AppConfig } from '../../config/index.js';
import { AsgDeployError } from '../../core/index.js';
import { bluegreen, finishBlueGreen, rollbackBlueGreen, type BlueGreenResult } from '../../deploy/index.js';
import type { DeployEvent, DeployResult } from '../../deploy/index.js';
import type { CliContext } from '../context.js';
import { deploySettings } from '../deploy-flags.js';
import { createRuntime } from '../deploy-context.js';
import { ExitCode } from '../exit-codes.js';
import { parseIntegerOption } from '../options.js';
import { exitCodeFor } from './roll.js';
import { registerShrinkCommand } from './shrink.js';
import { registerSwapCommand } from './swap.js';

/** One human line for the events blue/green, swap and shrink add (render.ts can call this for codes it does not know). */
export function describeStrategyEvent(e: DeployEvent): string | undefined {
  switch (e.code) {
    case 'pair':
      return `pair ${e.app}: ${e.live} is live (desired ${e.liveDesired}), ${e.idle} is idle`;
    case 'group-sized':
      return `${e.group}: min ${e.min}, max ${e.max}, desired ${e.desired} — ${e.why}`;
    case 'version-tagged':
      return `${e.group}: tag ${e.key}=${e.value} (copied to new instances)`;
    case 'policies-moved': {
      const what = [`${e.policies.length} scaling polic${e.policies.length === 1 ? 'y' : 'ies'}`, `${e.scheduledActions.length} scheduled action(s)`];
      if (e.alarms.length > 0) what.push(`alarm(s) ${e.alarms.join(', ')} re-pointed`);
      return `${e.copyOnly ? 'copied' : 'moved'} ${what.join(', ')} from ${e.from} to ${e.to}`;
    }
    case 'standby-entered':
      return `${e.group}: ${e.instanceIds.length} instance(s) into Standby (desired ${e.desired})`;
    case 'standby-exited':
      return `${e.group}: ${e.instanceIds.length} instance(s) out of Standby (desired ${e.desired})`;
    case 'traffic-switched':
      return `switched: ${e.live} serves (${e.serving} serving, floor ${e.floor}); ${e.standby} keeps the old fleet warm in Standby`;
    case 'awaiting-decision':
      return `the old fleet (${e.standbyInstances} instance(s) of ${e.standby}) waits in Standby: keep the new version with \`${e.finishCommand}\`, or go back with \`${e.rollbackCommand}\``;
    case 'instances-attached':
      return `${e.group}: attached ${e.instanceIds.join(', ')} (desired ${e.desired})`;
    case 'instances-detached':
      return `${e.group}: detached ${e.instanceIds.join(', ')} (they keep running; desired ${e.desired})`;
    case 'termination-policies-set':
      return `${e.group}: termination policies ${e.policies.join(', ')}`;
    case 'scale-in-protection':
      return `${e.group}: ${e.protectedFromScaleIn ? 'protected' : 'unprotected'} ${e.instanceIds.length} instance(s) from scale-in`;
    default:
      return undefined;
  }
}

interface PairFlags {
  app?: string;
  config?: string;
  blue?: string;
  green?: string;
}

/** The app and its pair: the argument or --app (asg-deploy.yaml's `bluegreen:`), else tags / names. */
async function pairQuery(appArg: string | undefined, flags: PairFlags, command: string): Promise<{ app: string; pair?: { blue: string; green: string }; config?: AppConfig }> {
  if ((flags.blue === undefined) !== (flags.green === undefined)) {
    throw new AsgDeployError('BAD_INPUT', 'give both --blue and --green, or neither', { hint: `e.g. \`asg-deploy ${command} web --blue web-a --green web-b\`` });
  }
  const explicit = flags.blue !== undefined ? { blue: flags.blue, green: flags.green! } : undefined;
  if (flags.app === undefined) {
    if (!appArg) {
      throw new AsgDeployError('BAD_INPUT', `${command} needs an app name (or --app NAME)`, {
        hint: `e.g. \`asg-deploy ${command} web\`: the groups tagged asg-deploy:app=web, or named web-blue and web-green`,
      });
    }
    return { app: appArg, ...(explicit ? { pair: explicit } : {}) };
  }
  const config = resolveApp(await loadInventory({ file: flags.config }), flags.app);
  if (config.group && !config.bluegreen && !explicit) {
    throw new AsgDeployError('BAD_INPUT', `app ${config.name} in ${config.source.file} deploys onto one group (${config.group}), not a blue/green pair`, {
      hint: `use \`asg-deploy roll --app ${config.name}\`, or set \`bluegreen: true\` under ${config.source.path}`,
    });
  }
  if (config.region && !process.env.AWS_REGION) process.env.AWS_REGION = config.region;
  if (config.profile && !process.env.AWS_PROFILE) process.env.AWS_PROFILE = config.profile;
  const pair = explicit ?? config.bluegreen;
  return { app: appArg ?? config.app, ...(pair ? { pair } : {}), config };
}

function pairOptions(command: Command): Command {
  return command
    .option('--blue <group>', 'the blue group (else found by tags asg-deploy:app / asg-deploy:color, or the names APP-blue / APP-green)')
    .option('--green <group>', 'the green group')
    .addOption(new Option('--app <name>', 'take the pair and defaults from asg-deploy.yaml'))
    .addOption(new Option('--config <file>', 'inventory file (default ./asg-deploy.yaml)'));
}

/** Exit code of a rollback the user asked for: back on the old fleet is success. */
function rollbackExitCode(result: DeployResult): number {
  return result.outcome === 'rolled-back' || result.outcome === 'aborted' ? ExitCode.Success : exitCodeFor(result);
}

interface BlueGreenFlags extends PairFlags {
  templateVersion?: string;
  image?: string;
  minHealthy?: string;
  warmup?: string;
  timeout?: string;
  maxFailedLaunches?: number;
  rollback: boolean;
  dryRun?: boolean;
}

function registerBlueGreenCommands(program: Command, cli: CliContext): void {
  pairOptions(
    program
      .command('bluegreen')
      .argument('[app]', 'the app whose blue/green pair to deploy')
      .description('deploy onto the idle group of a blue/green pair, then switch: the old fleet stays warm in Standby for an instant rollback')
      .option('--template-version <n>', 'deploy this numeric launch template version')
      .option('--image <ami>', 'deploy this AMI: a new template version from the live one with only ImageId changed')
      .option('--min-healthy <n|%>', 'instances that must be serving across both groups at every instant (default 100%)')
      .option('--warmup <duration>', 'how long a new instance must stay healthy before it counts (default 0 with target groups)')
      .option('--timeout <duration>', 'give up when no new instance becomes ready for this long (default 20m)')
      .option('--max-failed-launches <n>', 'give up after more new instances than this die before becoming ready (default 3)', parseIntegerOption('--max-failed-launches', 0, 10000))
      .option('--no-rollback', 'on failure, leave the new group as it is (then `resume` or `rollback`)')
      .option('--dry-run', 'print the plan and change nothing'),
  )
    .addHelpText(
      'after',
      `
How it works (seed 004): finds the pair by tags or names; the idle group (desired 0)
is pinned to the version and tagged ${'asg-deploy:version'} (copied to its instances),
gets the live group's sizes, scaling policies and scheduled actions, and scales up
while the live group keeps serving untouched. Once every new instance is healthy
in the shared target groups (and the live group's scale-outs meanwhile are
matched), the live instances go into Standby: they leave the load balancer but
stay running. Then \`asg-deploy finish APP\` terminates them, or
\`asg-deploy rollback APP\` brings them back in about one health-check cycle.

Examples:
  asg-deploy bluegreen web --image ami-0123456789abcdef0
  asg-deploy bluegreen --app web --template-version 7 --dry-run`,
    )
    .action(async (appArg: string | undefined, flags: BlueGreenFlags, command: Command) => {
      const { app, pair, config } = await pairQuery(appArg, flags, 'bluegreen');
      const runtime = createRuntime(cli, command);
      try {
        const strategy = config?.strategy;
        const result = await bluegreen(runtime.deploy, {
          app,
          ...(pair ? { pair } : {}),
          ...deploySettings(flags, strategy),
        });
        if (result.outcome === 'planned' && cli.output !== 'json') cli.io.out('dry run: nothing was changed');
        cli.exitCode = exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });

  for (const verb of ['rollback', 'finish'] as const) {
    pairOptions(
      program
        .command(verb)
        .argument('[app]', 'the app whose blue/green pair to act on')
        .description(
          verb === 'rollback'
            ? 'blue/green: bring the old fleet out of Standby, wait until it serves, return the new group to idle and move policies back (undoes a deploy in progress too)'
            : 'blue/green: keep the new version: terminate the old fleet waiting in Standby; its group stays idle at 0',
        )
        .option('--force', 'take over even though the lock has not expired (only when its holder is dead)'),
    ).action(async (appArg: string | undefined, flags: PairFlags & { force?: boolean }, command: Command) => {
      const { app, pair } = await pairQuery(appArg, flags, verb);
      const runtime = createRuntime(cli, command);
      try {
        const options = { app, ...(pair ? { pair } : {}), force: flags.force };
        const result: BlueGreenResult = verb === 'rollback' ? await rollbackBlueGreen(runtime.deploy, options) : await finishBlueGreen(runtime.deploy, options);
        cli.exitCode = verb === 'rollback' ? rollbackExitCode(result) : exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });
  }
}

/**
 * Registers `bluegreen`, `rollback`, `finish`, `swap` and `shrink`.
 *
 * ```ts
 * registerStrategyCommands(program, ctx); // in buildProgram (main.ts)
 * ```
 */
export function registerStrategyCommands(program: Command, cli: CliContext): void {
  registerBlueGreenCommands(program, cli);
  registerSwapCommand(program, cli);
  registerShrinkCommand(program, cli);
}
