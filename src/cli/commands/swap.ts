/** `swap GROUP --instances ID,ID…` (deploys.md "Swap prepared instances"). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import { addAppFlags, addDeployFlags, deploySettings, type DeployFlags } from '../flags.js';
import { withInventory } from '../inventory.js';
import { createRuntime } from '../runtime.js';
import { addGuardrailFlags, describeGuardrails, guardrailOptions, GUARDRAIL_HELP, type GuardrailFlags } from '../guardrail-flags.js';

interface SwapFlags extends DeployFlags {
  instances: string;
  keepOld?: boolean;
}

export function registerSwapCommand(program: Command, cli: CliContext): void {
  const swap = program
    .command('swap')
    .argument('[group]', 'the Auto Scaling group (or --app from asg-deploy.yaml)')
    .description('put instances you prepared into a group in place of as many old ones, never dropping below the floor')
    .requiredOption('--instances <ids>', 'the prepared instances, comma-separated: running, in the group\'s AZs, in no group')
    .option('--keep-old', 'detach the old instances (they keep running) instead of terminating them');
  addGuardrailFlags(addAppFlags(
    addDeployFlags(swap, {
      version: false,
      maxFailedLaunches: false,
      text: {
        minHealthy: 'instances that must be serving at every instant (default 100%)',
        warmup: 'how long an attached instance must stay healthy before it counts (default 0 with target groups)',
        timeout: 'give up (and detach them again) when the attached instances are not ready after this long (default 20m)',
        noRollback: 'on failure, leave the attached instances in the group (then `resume` or `abort`)',
        dryRun: 'check the instances, print the plan and change nothing',
      },
    }),
    'the group',
  ))
    .addHelpText(
      'after',
      `
How it works (never the usual script's "terminate all, then attach" outage):
suspends Launch, Terminate, AZRebalance, AlarmNotification, ScheduledActions
and ReplaceUnhealthy so the group cannot fight back, raises MaxSize, attaches the instances, waits until each is
healthy in every target group, then terminates (or detaches) as many old
instances, AZ-balanced, with the decrement; restores the sizes and resumes
exactly what it suspended.

Example:
  asg-deploy swap web --instances i-0123456789abcdef0,i-0fedcba9876543210 --alarm web-5xx --check 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health'
  (--alarm and --check apply until the old instances are retired; --checkpoints and --bake-time are refused: a swap cannot undo itself after that)`,
    )
    .action(async (groupArg: string | undefined, flags: SwapFlags & GuardrailFlags, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'swap');
      const guardrails = await guardrailOptions(flags, app?.guardrails);
      const settings = deploySettings(flags, app?.strategy);
      const runtime = await createRuntime(cli, command, app);
      try {
        const { swap } = await import('../../deploy/index.js');
        const result = await swap(runtime.deploy, { group, instances: flags.instances.split(','), keepOld: flags.keepOld, ...settings, ...guardrails.options });
        if (result.outcome === 'planned' && cli.output !== 'json') {
          for (const line of await describeGuardrails(guardrails.summary)) cli.io.out(line);
          cli.io.out('dry run: nothing was changed');
        }
        cli.exitCode = exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });
}
