/**
 * `asg-deploy continue GROUP` (deploys.md "Guardrails"): lets a deploy paused
 * at a checkpoint with `--checkpoint-pause wait` (or a timed pause, early) go
 * on. It only writes a signal on the group: the paused deploy, on whatever
 * machine it runs, reads it at its next poll. Self-contained: the lead
 * registers it in main.ts with `registerContinueCommand(program, cli)`.
 */
import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addAppFlags, type AppFlags } from '../flags.js';
import { withInventory } from '../inventory.js';
import { createRuntime } from '../runtime.js';

/** Who signalled, as the paused deploy reports it. */
export function signalOwner(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (a container): keep unknown */
  }
  return `${user}@${hostname()}:${process.pid}`;
}

export function registerContinueCommand(program: Command, cli: CliContext): void {
  addAppFlags(
    program
      .command('continue')
      .argument('[group]', 'the Auto Scaling group whose deploy is paused at a checkpoint (or --app from asg-deploy.yaml)')
      .description('let a deploy paused at a checkpoint go on (from any machine)'),
    'the group',
  )
    .addHelpText(
      'after',
      `
A deploy started with --checkpoints 10%,50% --checkpoint-pause wait stops
launching at each checkpoint and waits, still watching its alarms, health and
checks. This writes a continue signal on the group (tag asg-deploy:signal);
the paused deploy picks it up within one poll and goes on to the next
checkpoint. To stop it instead: asg-deploy abort GROUP.

Example:
  asg-deploy continue web`,
    )
    .action(async (groupArg: string | undefined, flags: AppFlags, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'continue');
      const runtime = await createRuntime(cli, command, app);
      try {
        const { signalPausedDeploy } = await import('../../deploy/guardrails/index.js');
        const { signal, mark } = await signalPausedDeploy(runtime.aws.autoscaling, group, 'continue', { by: signalOwner(), now: runtime.deploy.clock.now() });
        if (cli.output === 'json') {
          // One event of the registry, in the envelope every JSON line has (schema/events.schema.json).
          const { toJsonLine } = await import('../../events/index.js');
          cli.io.out(toJsonLine({ code: 'continue-signalled', t: signal.at, deployId: signal.deployId, group, percent: mark.percent, by: signal.by }));
        } else {
          cli.io.out(`deploy ${signal.deployId} on ${group}: continue signalled at its ${mark.percent}% checkpoint; it goes on at its next poll`);
        }
      } finally {
        runtime.dispose();
      }
    });
}
