/** `shrink GROUP` (deploys.md "Double and shrink"). */
import { Option, type Command } from 'commander';
import { shrink } from '../../deploy/index.js';
import type { CliContext } from '../context.js';
import { deploySettings } from '../deploy-flags.js';
import { createRuntime } from '../deploy-context.js';
import { withInventory, type AppFlags } from '../inventory.js';
import { parseIntegerOption } from '../options.js';
import { exitCodeFor } from './roll.js';

interface ShrinkFlags extends AppFlags {
  templateVersion?: string;
  image?: string;
  minHealthy?: string;
  warmup?: string;
  timeout?: string;
  maxFailedLaunches?: number;
  terminationPolicy?: 'OldestLaunchTemplate' | 'OldestInstance';
  rollback: boolean;
  dryRun?: boolean;
}

export function registerShrinkCommand(program: Command, cli: CliContext): void {
  program
    .command('shrink')
    .argument('[group]', 'the Auto Scaling group (or --app from asg-deploy.yaml)')
    .description('double and shrink: launch a whole new half, wait until it is ready, let the group remove the old half')
    .option('--template-version <n>', 'deploy this numeric launch template version of the group\'s template')
    .option('--image <ami>', 'deploy this AMI: creates a new template version from the current one with only ImageId changed')
    .option('--min-healthy <n|%>', 'instances that must be serving at every instant (default 100%)')
    .option('--warmup <duration>', 'how long a new instance must stay healthy before it counts (default 0 with target groups)')
    .option('--timeout <duration>', 'give up (and roll back) when no new instance becomes ready for this long (default 20m)')
    .option('--max-failed-launches <n>', 'roll back after more new instances than this die before becoming ready (default 3)', parseIntegerOption('--max-failed-launches', 0, 10000))
    .addOption(new Option('--termination-policy <policy>', 'the policy that picks the old half').choices(['OldestLaunchTemplate', 'OldestInstance']).default('OldestLaunchTemplate'))
    .option('--no-rollback', 'on failure, leave the group as it is (then `resume` or `abort`)')
    .option('--dry-run', 'print the plan and change nothing')
    .addOption(new Option('--app <name>', 'take the group and defaults from asg-deploy.yaml'))
    .addOption(new Option('--config <file>', 'inventory file (default ./asg-deploy.yaml)'))
    .addHelpText(
      'after',
      `
How it works (seed 004's simple way): raises desired by the number of old
instances (MaxSize too if needed), waits until the new half is healthy in every
target group, protects it from scale-in, sets the termination policy and
restores desired so the group removes the old half; then restores the
termination policies, protection, sizes and processes. Cheap to explain; a
rollback is a full redeploy of the previous version.

Example:
  asg-deploy shrink web --image ami-0123456789abcdef0`,
    )
    .action(async (groupArg: string | undefined, flags: ShrinkFlags, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'shrink');
      const runtime = createRuntime(cli, command);
      try {
        const strategy = app?.strategy;
        const result = await shrink(runtime.deploy, {
          group,
          ...deploySettings(flags, strategy),
          terminationPolicy: flags.terminationPolicy,
        });
        if (result.outcome === 'planned' && cli.output !== 'json') cli.io.out('dry run: nothing was changed');
        cli.exitCode = exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });
}
