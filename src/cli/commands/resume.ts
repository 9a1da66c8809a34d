/**
 * `resume` and `abort` (deploys.md "Rolling", invariant 5): finish or undo a
 * deploy from the record on the group, from any machine. `resume` runs with
 * the guardrails the deploy stored on the group (issue 9); its own guardrail
 * flags add an alarm or replace a setting.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { exitCodeFor } from '../exit-codes.js';
import { addAppFlags, type AppFlags } from '../flags.js';
import { addGuardrailFlags, guardrailOverrides, type GuardrailFlags } from '../guardrail-flags.js';
import { withInventory } from '../inventory.js';
import { createRuntime } from '../runtime.js';

export const RESUME_GUARDRAIL_HELP = `
Guardrails: the deploy's own (--alarm, --checkpoints, --checkpoint-pause,
--bake-time, --check, --no-rollback) are stored on the group with its record,
and resume runs with them; asg-deploy.yaml is not read again. Flags given here
change them for the rest of the deploy: --alarm adds an alarm to the stored
ones, every other flag replaces its setting (--bake-time 0 drops the bake time,
--rollback undoes a stored --no-rollback). The --check command runs on THIS
machine: resume prints it first (\`asg-deploy status GROUP\` shows it too).

Examples:
  asg-deploy resume web
  asg-deploy resume web --force                 # the holder is known dead, its lock not yet expired
  asg-deploy resume web --alarm web-latency     # watch one more alarm from here on
  asg-deploy abort web`;

export function registerResumeCommands(program: Command, ctx: CliContext): void {
  for (const verb of ['resume', 'abort'] as const) {
    const command = program
      .command(verb)
      .argument('[group]', 'the Auto Scaling group with an unfinished deploy')
      .description(
        verb === 'resume'
          ? 'finish an interrupted or failed deploy from the record on the group, with its stored guardrails (from any machine)'
          : 'undo a deploy in progress or interrupted: back to the previous version under the floor, sizes and processes restored',
      )
      .option('--force', 'take over even though the lock has not expired (only when its holder is dead)');
    if (verb === 'resume') {
      addGuardrailFlags(command)
        .option('--no-rollback', 'from here on, on failure leave the group as it is (then `resume` or `abort`)')
        .option('--rollback', 'roll back on failure even though the deploy was started with --no-rollback')
        .addHelpText('after', RESUME_GUARDRAIL_HELP);
    }
    addAppFlags(command, 'the group').action(async (groupArg: string | undefined, flags: AppFlags & GuardrailFlags & { force?: boolean; rollback?: boolean }, self: Command) => {
      const { group, app } = await withInventory(groupArg, flags, verb);
      // Only a --rollback / --no-rollback actually typed counts (commander gives the negated flag a default).
      const rollback = self.getOptionValueSource('rollback') === 'cli' ? flags.rollback : undefined;
      const overrides = verb === 'resume' ? await guardrailOverrides({ ...flags, ...(rollback === undefined ? { rollback: undefined } : { rollback }) }) : {};
      const runtime = await createRuntime(ctx, self, app);
      try {
        const { resume, abort } = await import('../../deploy/index.js');
        const result =
          verb === 'resume'
            ? await resume(runtime.deploy, { group, force: flags.force, guardrailOverrides: overrides })
            : await abort(runtime.deploy, { group, force: flags.force });
        ctx.exitCode = exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });
  }
}
