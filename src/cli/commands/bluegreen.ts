/**
 * `bluegreen`, `rollback` and `finish` (deploys.md "Blue/green"). Thin:
 * flags → library call → exit code.
 */
import type { Command } from 'commander';
import type { AppConfig } from '../../config/index.js';
import { AsgDeployError } from '../../core/index.js';
import type { CliContext } from '../context.js';
import { ExitCode, exitCodeFor } from '../exit-codes.js';
import { addAppFlags, addDeployFlags, deploySettings, type AppFlags, type DeployFlags } from '../flags.js';
import { loadApp } from '../inventory.js';
import { createRuntime } from '../runtime.js';
import { addGuardrailFlags, describeGuardrails, guardrailOptions, GUARDRAIL_HELP, type GuardrailFlags } from '../guardrail-flags.js';
import { registerShrinkCommand } from './shrink.js';
import { registerSwapCommand } from './swap.js';

interface PairFlags extends AppFlags {
  blue?: string;
  green?: string;
}

/** The app and its pair: the argument or --app (asg-deploy.yaml's `bluegreen:`), else tags / names. */
async function pairQuery(appArg: string | undefined, flags: PairFlags, command: string): Promise<{ app: string; pair?: { blue: string; green: string }; config?: AppConfig }> {
  if ((flags.blue === undefined) !== (flags.green === undefined)) {
    throw new AsgDeployError('BAD_INPUT', 'give both --blue and --green, or neither', { hint: `e.g. \`asg-deploy ${command} web --blue web-a --green web-b\`` });
  }
  const explicit = flags.blue !== undefined ? { blue: flags.blue, green: flags.green! } : undefined;
  const config = await loadApp(flags, command);
  if (config === undefined) {
    if (!appArg) {
      throw new AsgDeployError('BAD_INPUT', `${command} needs an app name (or --app NAME)`, {
        hint: `e.g. \`asg-deploy ${command} web\`: the groups tagged asg-deploy:app=web, or named web-blue and web-green`,
      });
    }
    return { app: appArg, ...(explicit ? { pair: explicit } : {}) };
  }
  if (config.group && !config.bluegreen && !explicit) {
    throw new AsgDeployError('BAD_INPUT', `app ${config.name} in ${config.source.file} deploys onto one group (${config.group}), not a blue/green pair`, {
      hint: `use \`asg-deploy roll --app ${config.name}\`, or set \`bluegreen: true\` under ${config.source.path}`,
    });
  }
  const pair = explicit ?? config.bluegreen;
  return { app: appArg ?? config.app, ...(pair ? { pair } : {}), config };
}

function addPairFlags(command: Command): Command {
  return addAppFlags(
    command
      .option('--blue <group>', 'the blue group (else found by tags asg-deploy:app / asg-deploy:color, or the names APP-blue / APP-green)')
      .option('--green <group>', 'the green group'),
    'the pair and defaults',
  );
}

export function registerBlueGreenCommands(program: Command, cli: CliContext): void {
  const bluegreen = program
    .command('bluegreen')
    .argument('[app]', 'the app whose blue/green pair to deploy')
    .description('deploy onto the idle group of a blue/green pair, then switch: the old fleet stays warm in Standby for an instant rollback');
  addDeployFlags(bluegreen, {
    text: {
      image: 'deploy this AMI: a new template version from the live one with only ImageId changed',
      minHealthy: 'instances that must be serving across both groups at every instant (default 100%)',
      timeout: 'give up when no new instance becomes ready for this long (default 20m)',
      noRollback: 'on failure, leave the new group as it is (then `resume` or `rollback`)',
    },
  });
  addGuardrailFlags(addPairFlags(bluegreen))
    .addHelpText(
      'after',
      `
How it works: finds the pair by tags or names; the idle group (desired 0)
is pinned to the version and tagged asg-deploy:version (copied to its instances),
gets the live group's sizes, scaling policies and scheduled actions, and scales up
while the live group keeps serving untouched. Once every new instance is healthy
in the shared target groups (and the live group's scale-outs meanwhile are
matched), the live instances go into Standby: they leave the load balancer but
stay running. Then \`asg-deploy finish APP\` terminates them, or
\`asg-deploy rollback APP\` brings them back in about one health-check cycle.

Examples:
  asg-deploy bluegreen web --image ami-0123456789abcdef0
  asg-deploy bluegreen --app web --template-version 7 --dry-run
${GUARDRAIL_HELP.replace(/^.*--checkpoints.*\n/m, '')}
  (--bake-time runs after the switch: a failure then brings the Standby fleet back, no launch;
   --checkpoints: roll only, the idle group comes up in one step)`,
    )
    .action(async (appArg: string | undefined, flags: PairFlags & DeployFlags & GuardrailFlags, command: Command) => {
      const { app, pair, config } = await pairQuery(appArg, flags, 'bluegreen');
      const guardrails = await guardrailOptions(flags, config?.guardrails);
      const settings = deploySettings(flags, config?.strategy);
      const runtime = await createRuntime(cli, command, config);
      try {
        const { bluegreen } = await import('../../deploy/index.js');
        const result = await bluegreen(runtime.deploy, { app, ...(pair ? { pair } : {}), ...settings, ...guardrails.options });
        if (result.outcome === 'planned' && cli.output !== 'json') {
          for (const line of await describeGuardrails(guardrails.summary)) cli.io.out(line);
          cli.io.out('dry run: nothing was changed');
        }
        cli.exitCode = exitCodeFor(result);
      } finally {
        runtime.dispose();
      }
    });

  for (const verb of ['rollback', 'finish'] as const) {
    const command = program
      .command(verb)
      .argument('[app]', 'the app whose blue/green pair to act on')
      .description(
        verb === 'rollback'
          ? 'blue/green: bring the old fleet out of Standby, wait until it serves, return the new group to idle and move policies back (undoes a deploy in progress too)'
          : 'blue/green: keep the new version: terminate the old fleet waiting in Standby; its group stays idle at 0',
      )
      .option('--force', 'take over even though the lock has not expired (only when its holder is dead)');
    addPairFlags(command).action(async (appArg: string | undefined, flags: PairFlags & { force?: boolean }, self: Command) => {
      const { app, pair, config } = await pairQuery(appArg, flags, verb);
      const runtime = await createRuntime(cli, self, config);
      try {
        const { rollbackBlueGreen, finishBlueGreen } = await import('../../deploy/index.js');
        const options = { app, ...(pair ? { pair } : {}), force: flags.force };
        if (verb === 'rollback') {
          const result = await rollbackBlueGreen(runtime.deploy, options);
          // Back on the old fleet is what a rollback the user asked for is meant to do: success.
          cli.exitCode = result.outcome === 'rolled-back' || result.outcome === 'aborted' ? ExitCode.Success : exitCodeFor(result);
        } else {
          cli.exitCode = exitCodeFor(await finishBlueGreen(runtime.deploy, options));
        }
      } finally {
        runtime.dispose();
      }
    });
  }
}

/** Registers bluegreen/rollback/finish, swap and shrink together (for callers written before commands/index.ts). */
export function registerStrategyCommands(program: Command, cli: CliContext): void {
  registerBlueGreenCommands(program, cli);
  registerSwapCommand(program, cli);
  registerShrinkCommand(program, cli);
}
