/** `shrink GROUP` (deploys.md "Double and shrink"). */
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import { addAppFlags, addDeployFlags, deploySettings, type DeployFlags } from '../flags.js';
import { withInventory } from '../inventory.js';
import { createRuntime } from '../runtime.js';
import { addGuardrailFlags, describeGuardrails, guardrailOptions, GUARDRAIL_HELP, type GuardrailFlags } from '../guardrail-flags.js';

interface ShrinkFlags extends DeployFlags {
  terminationPolicy?: 'OldestLaunchTemplate' | 'OldestInstance';
}

export function registerShrinkCommand(program: Command, cli: CliContext): void {
  const shrink = program
    .command('shrink')
    .argument('[group]', 'the Auto Scaling group (or --app from asg-deploy.yaml)')
    .description('double and shrink: launch a whole new half, wait until it is ready, let the group remove the old half')
    .addOption(new Option('--termination-policy <policy>', 'the policy that picks the old half').choices(['OldestLaunchTemplate', 'OldestInstance']).default('OldestLaunchTemplate'));
  addGuardrailFlags(addAppFlags(addDeployFlags(shrink)))
    .addHelpText(
      'after',
      `
How it works: raises desired by the number of old
instances (MaxSize too if needed), waits until the new half is healthy in every
target group, protects it from scale-in, sets the termination policy and
restores desired so the group removes the old half; then restores the
termination policies, protection, sizes and processes. Cheap to explain; a
rollback is a full redeploy of the previous version.

Example:
  asg-deploy shrink web --image ami-0123456789abcdef0
${GUARDRAIL_HELP.replace(/^.*--checkpoints.*\n/m, '')}
  (--checkpoints: roll only; shrink launches the whole new half in one step)`,
    )
    .action(async (groupArg: string | undefined, flags: ShrinkFlags & GuardrailFlags, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'shrink');
      const guardrails = await guardrailOptions(flags, app?.guardrails);
      const settings = deploySettings(flags, app?.strategy);
      const runtime = await createRuntime(cli, command, app);
      try {
        const { shrink } = await import('../../deploy/index.js');
        const result = await shrink(runtime.deploy, { group, ...settings, terminationPolicy: flags.terminationPolicy, ...guardrails.options });
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
