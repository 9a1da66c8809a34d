/** `roll` (deploys.md "Rolling"): flags → library call → exit code. `resume` and `abort` are in resume.ts. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import { addAppFlags, addDeployFlags, deploySettings, type DeployFlags } from '../flags.js';
import { withInventory } from '../inventory.js';
import { createRuntime } from '../runtime.js';
import { addGuardrailFlags, describeGuardrails, guardrailOptions, GUARDRAIL_HELP, type GuardrailFlags } from '../guardrail-flags.js';

export function registerRollCommands(program: Command, ctx: CliContext): void {
  const roll = program
    .command('roll')
    .argument('[group]', 'the Auto Scaling group (or --app from asg-deploy.yaml)')
    .description('rolling replacement onto a launch template version: surge, real health gates, automatic rollback');
  addGuardrailFlags(addAppFlags(addDeployFlags(roll, { surge: true })))
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
  asg-deploy --time-scale 60 roll web --image ami-… # against an emulator started with --speed 60
${GUARDRAIL_HELP}`,
    )
    .action(async (groupArg: string | undefined, flags: DeployFlags & GuardrailFlags, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'roll');
      const guardrails = await guardrailOptions(flags, app?.guardrails);
      const { parseSurge } = await import('../../core/index.js');
      const maxSurge = flags.maxSurge !== undefined ? parseSurge(flags.maxSurge) : app?.strategy?.maxSurge;
      const settings = deploySettings(flags, app?.strategy);
      const runtime = await createRuntime(ctx, command, app);
      try {
        const { roll } = await import('../../deploy/index.js');
        const result = await roll(runtime.deploy, { group, ...settings, maxSurge, ...guardrails.options });
        if (result.outcome === 'planned' && ctx.output !== 'json') {
          for (const line of await describeGuardrails(guardrails.summary)) ctx.io.out(line);
          ctx.io.out('dry run: nothing was changed');
        }
        ctx.exitCode = exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });

}
