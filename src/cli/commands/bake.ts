/**
 * `asg-deploy bake` (and, through {@link registerBakeCommands}, `prune`):
 * flags and the inventory in, bakeImage and roll called, typed events out.
 * No logic of its own beyond choosing between a flag and the app's setting.
 */
import { Option, type Command } from 'commander';
import {
  bakeImage,
  checkImageName,
  parseSourceVersion,
  parseTagAssignment,
  templateKeyOf,
  type BakeContext,
  type BakeEvent,
  type BakeResult,
} from '../../bake/index.js';
import { INSTANCE_ID, LAUNCH_TEMPLATE, loadInventory, resolveApp, type AppConfig, type SourceInstanceSelector } from '../../config/index.js';
import { AsgDeployError, formatDuration, isAsgDeployError, parseDuration } from '../../core/index.js';
import { roll, type DeployResult } from '../../deploy/index.js';
import type { CliContext, CliIo, OutputFormat } from '../context.js';
import { createRuntime, globalOptions } from '../deploy-context.js';
import { ExitCode } from '../exit-codes.js';
import { exitCodeFor } from './roll.js';
import { registerPruneCommand } from './prune.js';

// ---------------------------------------------------------------------------
// Shared by bake and prune: the app from the inventory, and the event renderer.

export interface AppOption {
  app?: string;
  config?: string;
}

/** The app of `--app NAME` (from --config or ./asg-deploy.yaml), its region and profile applied as roll's --app does; undefined without --app. */
export async function loadAppOption(flags: AppOption, command: string): Promise<AppConfig | undefined> {
  if (flags.app === undefined) {
    if (flags.config !== undefined) {
      throw new AsgDeployError('BAD_INPUT', `--config ${flags.config} is only read with --app NAME`, { hint: `e.g. asg-deploy ${command} --app web --config ${flags.config}` });
    }
    return undefined;
  }
  const app = resolveApp(await loadInventory({ file: flags.config }), flags.app);
  if (app.region && !process.env.AWS_REGION) process.env.AWS_REGION = app.region;
  if (app.profile && !process.env.AWS_PROFILE) process.env.AWS_PROFILE = app.profile;
  return app;
}

/** `--template` as typed: an id (lt- and 17 hex digits) or a name; BAD_INPUT naming the value otherwise. */
export function parseTemplateOption(value: string, what = '--template') {
  if (!LAUNCH_TEMPLATE.test(value)) {
    throw new AsgDeployError('BAD_INPUT', `invalid ${what} ${JSON.stringify(value)}: expected a launch template id (lt- and 17 hex digits) or name (3 to 128 of letters, digits and ( ) . / _ -)`, {
      hint: 'e.g. --template lt-0123456789abcdef0 or --template web-lt',
      details: { value },
    });
  }
  return templateKeyOf(value);
}

const time = (s: number) => formatDuration(Math.max(0, s) * 1000);
const day = (iso: string) => iso.slice(0, 10);

/** One human line per event; undefined for events shown only with --verbose, in JSON, or as the command's summary. */
export function describeBakeEvent(e: BakeEvent): string | undefined {
  switch (e.code) {
    case 'bake-plan':
      return `${e.dryRun ? 'would bake' : 'baking'} ${e.imageName} from ${e.instanceId} (${e.reboot ? 'rebooting it' : 'no reboot'}) for ${e.templateName} (${e.templateId}), copying version ${e.sourceVersion}`;
    case 'image-requested':
      return `creating image ${e.imageId} (${e.imageName}) from ${e.instanceId}`;
    case 'image-pending':
      return `image ${e.imageId} pending for ${time(e.seconds)}${e.snapshotProgress === undefined ? '' : `, snapshots ${e.snapshotProgress}`}`;
    case 'image-available':
      return `image ${e.imageId} available after ${time(e.seconds)} (snapshots ${e.snapshotIds.join(', ') || 'none'})`;
    case 'image-failed':
      return `image ${e.imageId} failed (${e.state}): ${e.reason}`;
    case 'template-version-created':
      return `created ${e.templateName} version ${e.version}: a copy of version ${e.sourceVersion} with ImageId ${e.imageId}`;
    case 'default-version-set':
      return `${e.templateName} default version ${e.previous} → ${e.version}`;
    case 'prune-plan':
      return `${e.images} image(s) of ${e.app}: keep ${e.keep}; ${e.dryRun ? 'would delete' : 'deleting'} ${e.deleteImages} image(s), ${e.deleteSnapshots} snapshot(s), ${e.deleteVersions} launch template version(s)`;
    case 'image-kept':
      return `  keep    ${e.imageId}  ${e.imageName}  ${day(e.createdAt)}  ${e.because.join('; ')}`;
    case 'image-deregistered':
      return `  ${e.dryRun ? 'would deregister' : 'deregistered'} ${e.imageId}  ${e.imageName}  ${day(e.createdAt)}`;
    case 'snapshot-deleted':
      return `  ${e.dryRun ? 'would delete' : 'deleted'} snapshot ${e.snapshotId} (of ${e.imageId})`;
    case 'snapshot-kept':
      return `  kept snapshot ${e.snapshotId} (of ${e.imageId}): ${e.reason}`;
    case 'version-deleted':
      return `  ${e.dryRun ? 'would delete' : 'deleted'} ${e.templateName} version ${e.version}${e.imageId === undefined ? '' : ` (image ${e.imageId})`}`;
    case 'version-kept':
      return `  kept ${e.templateName} version ${e.version}: ${e.reason}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'bake-done':
    case 'prune-done':
      return undefined;
  }
}

export interface BakeRenderer {
  event(e: BakeEvent): void;
  /** Ends a live line, if any. */
  close(): void;
}

/** How often (simulated seconds) a pending image gets a line when there is no live line to redraw. */
const PENDING_LINE_EVERY_S = 60;

/** NDJSON with --output json; else a line per event, with `image-pending` redrawn in place on a TTY. */
export function createBakeRenderer(io: CliIo, output: OutputFormat, options: { verbose?: boolean } = {}): BakeRenderer {
  if (output === 'json') {
    return { event: (e) => io.out(JSON.stringify({ ...e, time: new Date(e.t).toISOString() })), close() {} };
  }
  let live = false;
  let lastPendingLine = -Infinity;
  const clearLive = () => {
    if (live) {
      process.stdout.write('\r\x1b[2K');
      live = false;
    }
  };
  const debugOnly = (e: BakeEvent) => e.code === 'version-kept' || e.code === 'snapshot-kept';
  return {
    event(e) {
      const line = debugOnly(e) && !options.verbose ? undefined : (describeBakeEvent(e) ?? (options.verbose ? `${e.code} ${JSON.stringify(e)}` : undefined));
      if (line === undefined) return;
      if (e.code === 'image-pending') {
        if (io.isTty) {
          clearLive();
          process.stdout.write(line.slice(0, (process.stdout.columns ?? 120) - 1));
          live = true;
          return;
        }
        if (!options.verbose && e.seconds - lastPendingLine < PENDING_LINE_EVERY_S) return;
        lastPendingLine = e.seconds;
      }
      clearLive();
      io.out(line);
    },
    close: clearLive,
  };
}

// ---------------------------------------------------------------------------
// bake

interface BakeFlags extends AppOption {
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
  program
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
    .option('--dry-run', 'resolve the instance, template and version, print the plan, change nothing')
    .addOption(new Option('--app <name>', 'take the instance, template, image prefix and tags from asg-deploy.yaml'))
    .addOption(new Option('--config <file>', 'inventory file (default ./asg-deploy.yaml)'))
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
      const app = await loadAppOption(flags, 'bake');
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
      if (flags.template !== undefined) template = parseTemplateOption(flags.template);
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
      const wait = flags.wait ?? true;
      if (rollGroup !== undefined && !wait) {
        throw new AsgDeployError('BAD_INPUT', '--roll cannot go with --no-wait: instances cannot launch from a pending image', { hint: 'drop --no-wait (bake waits for the image, then rolls)' });
      }

      const runtime = createRuntime(ctx, command);
      const renderer = createBakeRenderer(ctx.io, ctx.output, { verbose: globalOptions(command).verbose });
      const bakeCtx: BakeContext = { aws: runtime.aws, clock: runtime.deploy.clock, emit: (e) => renderer.event(e), ...(runtime.deploy.signal ? { signal: runtime.deploy.signal } : {}) };
      try {
        const result = await bakeImage(bakeCtx, {
          source,
          template,
          sourceVersion,
          ...(app === undefined ? {} : { app: app.name, namePrefix: app.image.namePrefix }),
          ...(name === undefined ? {} : { name }),
          reboot: flags.reboot ?? false,
          tags,
          setDefault: flags.setDefault ?? false,
          wait,
          ...(waitTimeoutMs === undefined ? {} : { waitTimeoutMs }),
          ...(rollGroup === undefined ? {} : { forGroup: rollGroup }),
          dryRun: flags.dryRun ?? false,
        });
        renderer.close();
        let deploy: DeployResult | undefined;
        if (rollGroup !== undefined && result.outcome === 'baked') {
          const strategy = app?.strategy;
          deploy = await roll(runtime.deploy, {
            group: rollGroup,
            templateVersion: result.version!,
            ...(strategy === undefined
              ? {}
              : {
                  maxSurge: strategy.maxSurge,
                  minHealthy: strategy.minHealthy,
                  warmupMs: strategy.warmupMs,
                  timeoutMs: strategy.timeoutMs,
                  maxFailedLaunches: strategy.maxFailedLaunches,
                }),
          });
        }
        if (ctx.output === 'json') {
          ctx.io.out(JSON.stringify({ code: 'result', command: 'bake', ...result, ...(deploy === undefined ? {} : { deploy }) }));
        } else {
          for (const line of bakeSummary(result)) ctx.io.out(line);
          if (rollGroup !== undefined && result.outcome === 'planned') ctx.io.out(`would then roll ${rollGroup} onto the new version`);
        }
        ctx.exitCode = deploy === undefined ? ExitCode.Success : exitCodeFor(deploy);
      } catch (e) {
        // Ctrl-C while the image is pending: a clean stop, not bad input (exit 130, as roll's).
        if (!isAsgDeployError(e, 'INTERRUPTED')) throw e;
        renderer.close();
        if (ctx.output === 'json') ctx.io.out(JSON.stringify({ event: 'error', code: e.code, message: e.message }));
        else {
          ctx.io.err(`stopped: ${e.message}`);
          if (e.hint) ctx.io.err(`  ${e.hint}`);
        }
        ctx.exitCode = ExitCode.Interrupted;
      } finally {
        renderer.close();
        runtime.dispose();
      }
    });
}

/** Registers `bake` and `prune` on the program: the one call src/cli/main.ts makes. */
export function registerBakeCommands(program: Command, ctx: CliContext): void {
  registerBakeCommand(program, ctx);
  registerPruneCommand(program, ctx);
}
