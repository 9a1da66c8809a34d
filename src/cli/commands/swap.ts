/** `swap GROUP --instances ID,ID…` (deploys.md "Swap prepared instances"). */
import { Option, type Command } from 'commander';
import { swap } from '../../deploy/index.js';
import type { CliContext } from '../context.js';
import { deploySettings } from '../deploy-flags.js';
import { createRuntime } from '../deploy-context.js';
import { withInventory, type AppFlags } from '../inventory.js';
import { exitCodeFor } from './roll.js';

interface SwapFlags extends AppFlags {
  instances: string;
  keepOld?: boolean;
  minHealthy?: string;
  warmup?: string;
  timeout?: string;
  rollback: boolean;
  dryRun?: boolean;
}

export function registerSwapCommand(program: Command, cli: CliContext): void {
  program
    .command('swap')
    .argument('[group]', 'the Auto Scaling group (or --app from asg-deploy.yaml)')
    .description('put instances you prepared into a group in place of as many old ones, never dropping below the floor')
    .requiredOption('--instances <ids>', 'the prepared instances, comma-separated: running, in the group\'s AZs, in no group')
    .option('--keep-old', 'detach the old instances (they keep running) instead of terminating them')
    .option('--min-healthy <n|%>', 'instances that must be serving at every instant (default 100%)')
    .option('--warmup <duration>', 'how long an attached instance must stay healthy before it counts (default 0 with target groups)')
    .option('--timeout <duration>', 'give up (and detach them again) when the attached instances are not ready after this long (default 20m)')
    .option('--no-rollback', 'on failure, leave the attached instances in the group (then `resume` or `abort`)')
    .option('--dry-run', 'check the instances, print the plan and change nothing')
    .addOption(new Option('--app <name>', 'take the group from asg-deploy.yaml'))
    .addOption(new Option('--config <file>', 'inventory file (default ./asg-deploy.yaml)'))
    .addHelpText(
      'after',
      `
How it works (seed 000, without its outage): suspends Launch, Terminate,
AZRebalance, AlarmNotification, ScheduledActions and ReplaceUnhealthy so the group
cannot fight back, raises MaxSize, attaches the instances, waits until each is
healthy in every target group, then terminates (or detaches) as many old
instances, AZ-balanced, with the decrement; restores the sizes and resumes
exactly what it suspended.

Example:
  asg-deploy swap web --instances i-0123456789abcdef0,i-0fedcba9876543210`,
    )
    .action(async (groupArg: string | undefined, flags: SwapFlags, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'swap');
      const runtime = createRuntime(cli, command);
      try {
        const result = await swap(runtime.deploy, {
          group,
          instances: flags.instances.split(','),
          keepOld: flags.keepOld,
          ...deploySettings(flags, app?.strategy),
        });
        if (result.outcome === 'planned' && cli.output !== 'json') cli.io.out('dry run: nothing was changed');
        cli.exitCode = exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });
}
