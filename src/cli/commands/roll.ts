import { Option, type Command } from 'commander';
import { parseSurge } from '../../core/index.js';
import { abort, resume, roll, type DeployResult } from '../../deploy/index.js';
import type { CliContext } from '../context.js';
import { deploySettings } from '../deploy-flags.js';
import { createRuntime } from '../deploy-context.js';
import { ExitCode } from '../exit-codes.js';
import { parseIntegerOption } from '../options.js';
import { withInventory, type AppFlags } from '../inventory.js';

export function exitCodeFor(result: DeployResult): number {
  switch (result.outcome) {
    case 'succeeded':
    case 'nothing-to-do':
    case 'planned':
    case 'aborted':
      return ExitCode.Success;
    case 'rolled-back':
      return ExitCode.RolledBack;
    case 'interrupted':
      return ExitCode.Interrupted;
    case 'failed':
      return ExitCode.Failed;
  }
}

interface RollFlags extends AppFlags {
  templateVersion?: string;
  image?: string;
  maxSurge?: string;
  minHealthy?: string;
  warmup?: string;
  timeout?: string;
  maxFailedLaunches?: number;
  rollback: boolean;
  dryRun?: boolean;
}

export function registerRollCommands(program: Command, ctx: CliContext): void {
  program
    .command('roll')
    .argument('[group]', 'the Auto Scaling group (or --app from asg-deploy.yaml)')
    .description('rolling replacement onto a launch template version: surge, real health gates, automatic rollback')
    .option('--template-version <n>', 'deploy this numeric launch template version of the group\'s template')
    .option('--image <ami>', 'deploy this AMI: creates a new template version from the current one with only ImageId changed')
    .option('--max-surge <n|%>', 'instances allowed above desired while rolling (count or % of desired; default 25%, at least 1)')
    .option('--min-healthy <n|%>', 'instances that must be serving at every instant (count or %; default 100%)')
    .option('--warmup <duration>', 'how long a new instance must stay healthy before it counts (default 0 with target groups)')
    .option('--timeout <duration>', 'give up (and roll back) when no new instance becomes ready for this long (default 20m)')
    .option('--max-failed-launches <n>', 'roll back after more new instances than this die before becoming ready (default 3)', parseIntegerOption('--max-failed-launches', 0, 10000))
    .option('--no-rollback', 'on failure, leave the group as it is (then `resume` or `abort`)')
    .option('--dry-run', 'print the plan and change nothing')
    .addOption(new Option('--app <name>', 'take the group and defaults from asg-deploy.yaml'))
    .addOption(new Option('--config <file>', 'inventory file (default ./asg-deploy.yaml)'))
    .addHelpText(
      'after',
      `
How it works: records the deploy and a lock as tags on the group, suspends only
AZRebalance, AlarmNotification and ScheduledActions, pins the group to the
version, then in waves raises desired by the surge, waits until the new
instances are InService, Healthy, healthy in every target group and warmed up,
and only then terminates as many old instances (draining first). Serving
capacity never drops below --min-healthy. If new instances keep failing it rolls
back the same way. Ctrl-C stops at a safe point.

Examples:
  asg-deploy roll web --image ami-0123456789abcdef0
  asg-deploy roll web --template-version 7 --max-surge 50% --dry-run
  asg-deploy --time-scale 60 roll web --image ami-… # against an emulator started with --speed 60`,
    )
    .action(async (groupArg: string | undefined, flags: RollFlags, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'roll');
      const runtime = createRuntime(ctx, command);
      try {
        const strategy = app?.strategy;
        const result = await roll(runtime.deploy, {
          group,
          ...deploySettings(flags, strategy),
          maxSurge: flags.maxSurge !== undefined ? parseSurge(flags.maxSurge) : strategy?.maxSurge,
        });
        if (result.outcome === 'planned' && ctx.output !== 'json') ctx.io.out('dry run: nothing was changed');
        ctx.exitCode = exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });

  for (const verb of ['resume', 'abort'] as const) {
    program
      .command(verb)
      .argument('[group]', 'the Auto Scaling group with an unfinished deploy')
      .description(
        verb === 'resume'
          ? 'finish an interrupted or failed deploy from the record on the group (from any machine)'
          : 'undo a deploy in progress or interrupted: back to the previous version under the floor, sizes and processes restored',
      )
      .option('--force', 'take over even though the lock has not expired (only when its holder is dead)')
      .addOption(new Option('--app <name>', 'take the group from asg-deploy.yaml'))
      .addOption(new Option('--config <file>', 'inventory file (default ./asg-deploy.yaml)'))
      .action(async (groupArg: string | undefined, flags: AppFlags & { force?: boolean }, command: Command) => {
        const { group } = await withInventory(groupArg, flags, verb);
        const runtime = createRuntime(ctx, command);
        try {
          const result = await (verb === 'resume' ? resume : abort)(runtime.deploy, { group, force: flags.force });
          ctx.exitCode = exitCodeFor(result);
        } finally {
          runtime.dispose();
        }
      });
  }
}
