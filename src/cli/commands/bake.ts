/**
 * `asg-deploy bake`: flags and the inventory in, the library's bakeImage (or
 * bakeAndRoll with --roll) called, typed events out. No logic of its own
 * beyond choosing between a flag and the app's setting.
 */
import type { Command } from 'commander';
import type { BakeOptions, BakeResult } from '../../bake/index.js';
import type { SourceInstanceSelector } from '../../config/index.js';
import { AsgDeployError, parseDuration } from '../../core/index.js';
import type { CliContext } from '../context.js';
import { ExitCode, exitCodeFor } from '../exit-codes.js';
import { addAppFlags, type AppFlags } from '../flags.js';
import { loadApp } from '../inventory.js';
import { resultLine } from '../../events/json-schema.js';
import { createRuntime } from '../runtime.js';
import { parseTemplateOption } from '../template-option.js';

interface BakeFlags extends AppFlags {
  instance?: string;
  template?: string;
  sourceVersion?: string;
  name?: string;
  reboot?: boolean;
  tag?: string[];
  setDefault?: boolean;
  /** Undefined unless --wait or --no-wait is given (commander sets no default when both exist). */
  wait?: boolean;
  waitTimeout?: string;
  roll?: string | true;
  dryRun?: boolean;
}

function bakeSummary(result: BakeResult): string[] {
  if (result.outcome === 'planned') {
    return [`dry run: nothing was changed (would image ${result.instanceId} as ${result.imageName} and add a version to ${result.templateName} copied from version ${result.sourceVersion})`];
  }
  return [
    `image ${result.imageId} (${result.imageName}) ${result.imageState}`,
    `launch template ${result.templateName} (${result.templateId}) version ${result.version}: version ${result.sourceVersion} with only ImageId changed${result.isDefault ? '; now the default' : ''}`,
  ];
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerBakeCommand(program: Command, ctx: CliContext): void {
  const bake = program
    .command('bake')
    .description('image a running instance, then add a launch template version with only ImageId changed (optionally default, optionally deploy it)')
    .option('--instance <id>', 'the source instance to image (or sourceInstance of --app)')
    .option('--template <id|name>', 'the launch template to add a version to (or launchTemplate of --app)')
    .option('--source-version <n|$Latest|$Default>', 'the version the new one copies', '$Latest')
    .option('--name <name>', 'image name (default APP-YYYYMMDD-HHMMSS in UTC; APP from --app, else the template name)')
    .option('--reboot', 'reboot the instance for a consistent file system (default: no reboot)')
    .option('--tag <key=value>', 'an extra image tag, repeatable (app, source instance and creation time are always tagged)', collect)
    .option('--set-default', 'make the new version the template\'s default')
    .option('--wait', 'wait, with progress, until the image is available, then create the version (the default)')
    .option('--no-wait', 'create the version at once, while the image is still pending (launches from it fail until it is available)')
    .option('--wait-timeout <duration>', 'give up waiting for the image after this long (default 1h); the template is then left unchanged')
    .option('--roll [group]', 'then roll GROUP (default: the group of --app) onto the new version')
    .option('--dry-run', 'resolve the instance, template and version, print the plan, change nothing');
  addAppFlags(bake, 'the instance, template, image prefix and tags')
    .addHelpText(
      'after',
      `
How it works (seed 001): CreateImage of the instance (no reboot unless
--reboot), named APP-YYYYMMDD-HHMMSS and tagged app=APP, asg-deploy:source-instance,
asg-deploy:created-at and asg-deploy:launch-template (plus --tag and the app's
image.tags). It waits, with progress, until the image is available — a group
cannot launch from a pending image — then creates a launch template version
from --source-version with only ImageId changed. A group on $Latest launches
the new image from then on; --set-default moves $Default; --roll deploys it
with a rolling deploy (the app's strategy settings). Prints the image id and the
version number; --output json prints one event per line and a final
{"code":"result",...} object.

Examples:
  asg-deploy bake --app web
  asg-deploy bake --instance i-0123456789abcdef0 --template web-lt --set-default
  asg-deploy bake --app web --tag git-sha=3f2c1a9 --roll
  asg-deploy -o json bake --app web --no-wait | jq 'select(.code=="result")'`,
    )
    .action(async (flags: BakeFlags, command: Command) => {
      const app = await loadApp(flags, 'bake');
      const { INSTANCE_ID } = await import('../../config/index.js');
      const { parseSourceVersion, checkImageName, parseTagAssignment } = await import('../../bake/index.js');
      let source: SourceInstanceSelector;
      if (flags.instance !== undefined) {
        if (!INSTANCE_ID.test(flags.instance)) {
          throw new AsgDeployError('BAD_INPUT', `invalid --instance ${JSON.stringify(flags.instance)}: expected an instance id, i- and 8 to 17 hex digits`, {
            hint: 'e.g. --instance i-0123456789abcdef0',
            details: { value: flags.instance },
          });
        }
        source = { instanceId: flags.instance };
      } else if (app?.sourceInstance !== undefined) {
        source = app.sourceInstance;
      } else {
        throw new AsgDeployError('BAD_INPUT', app ? `app ${app.name} in ${app.source.file} has no sourceInstance; pass --instance ID` : 'bake needs --instance ID (or --app NAME with a sourceInstance)', {
          hint: 'e.g. asg-deploy bake --instance i-0123456789abcdef0 --template web-lt',
        });
      }
      let template;
      if (flags.template !== undefined) template = await parseTemplateOption(flags.template);
      else if (app?.launchTemplate !== undefined) template = app.launchTemplate;
      else {
        throw new AsgDeployError('BAD_INPUT', app ? `app ${app.name} in ${app.source.file} has no launchTemplate; pass --template ID|NAME` : 'bake needs --template ID|NAME (or --app NAME with a launchTemplate)', {
          hint: 'e.g. asg-deploy bake --instance i-0123456789abcdef0 --template web-lt',
        });
      }
      const sourceVersion = parseSourceVersion(flags.sourceVersion ?? '$Latest');
      const name = flags.name === undefined ? undefined : checkImageName(flags.name);
      const tags: Record<string, string> = { ...(app?.image.tags ?? {}) };
      for (const text of flags.tag ?? []) {
        const [key, value] = parseTagAssignment(text);
        tags[key] = value;
      }
      const waitTimeoutMs = flags.waitTimeout === undefined ? undefined : parseDuration(flags.waitTimeout, '--wait-timeout');
      let rollGroup: string | undefined;
      if (flags.roll === true) {
        if (!app?.group) {
          throw new AsgDeployError('BAD_INPUT', app ? `--roll needs a group: app ${app.name} has no group; write --roll GROUP` : '--roll needs a group: write --roll GROUP, or use --app', {
            hint: 'e.g. asg-deploy bake --app web --roll web-asg',
          });
        }
        rollGroup = app.group;
      } else if (typeof flags.roll === 'string') {
        rollGroup = flags.roll;
      }
      const options: BakeOptions = {
        source,
        template,
        sourceVersion,
        ...(app === undefined ? {} : { app: app.name, namePrefix: app.image.namePrefix }),
        ...(name === undefined ? {} : { name }),
        reboot: flags.reboot ?? false,
        tags,
        setDefault: flags.setDefault ?? false,
        wait: flags.wait ?? true,
        ...(waitTimeoutMs === undefined ? {} : { waitTimeoutMs }),
        dryRun: flags.dryRun ?? false,
      };
      const runtime = await createRuntime(ctx, command, app);
      try {
        const { bakeImage, bakeAndRoll } = await import('../../bake/index.js');
        const strategy = app?.strategy;
        const { bake: result, deploy } =
          rollGroup === undefined
            ? { bake: await bakeImage(runtime.bake, options), deploy: undefined }
            : await bakeAndRoll(runtime, options, {
                group: rollGroup,
                ...(strategy === undefined
                  ? {}
                  : { maxSurge: strategy.maxSurge, minHealthy: strategy.minHealthy, warmupMs: strategy.warmupMs, timeoutMs: strategy.timeoutMs, maxFailedLaunches: strategy.maxFailedLaunches }),
              });
        runtime.renderer.close();
        if (ctx.output === 'json') {
          ctx.io.out(resultLine('bake', runtime.clock.now(), { ...result, ...(deploy === undefined ? {} : { deploy }) }));
        } else {
          for (const line of bakeSummary(result)) ctx.io.out(line);
          if (rollGroup !== undefined && result.outcome === 'planned') ctx.io.out(`would then roll ${rollGroup} onto the new version`);
        }
        ctx.exitCode = deploy === undefined ? ExitCode.Success : exitCodeFor(deploy);
      } finally {
        runtime.dispose();
      }
    });
}
