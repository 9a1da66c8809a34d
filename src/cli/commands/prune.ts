/**
 * `asg-deploy prune`: flags and the inventory in, the library's prune called,
 * its events rendered. A dry run unless stdout is a terminal or --yes is given,
 * so a script never deletes images by accident.
 */
import type { Command } from 'commander';
import type { PruneResult } from '../../bake/index.js';
import { AsgDeployError, parseDuration } from '../../core/index.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { addAppFlags, type AppFlags } from '../flags.js';
import { loadApp } from '../inventory.js';
import { parseIntegerOption } from '../options.js';
import { resultLine } from '../../events/json-schema.js';
import { createRuntime } from '../runtime.js';
import { parseTemplateOption } from '../template-option.js';

interface PruneFlags extends AppFlags {
  template?: string;
  keep?: number;
  olderThan?: string;
  namePrefix?: string;
  dryRun?: boolean;
  yes?: boolean;
}

function pruneSummary(result: PruneResult, whyDry: string | undefined): string {
  const counts = `${result.deregistered.length} image(s), ${result.deletedSnapshots.length} snapshot(s) and ${result.deletedVersions.length} launch template version(s)`;
  if (result.dryRun) return `dry run: nothing was changed; would delete ${counts}, keep ${result.plan.keep.length} image(s)${whyDry ? ` (${whyDry})` : ''}`;
  const failed = result.failures.length > 0 ? `; ${result.failures.length} deletion(s) failed (see the warnings above)` : '';
  return `deleted ${counts}; kept ${result.plan.keep.length} image(s)${failed}`;
}

export function registerPruneCommand(program: Command, ctx: CliContext): void {
  const prune = program
    .command('prune')
    .description('deregister an app\'s old images and their snapshots, and the launch template versions that used them; never what is in use')
    .option('--template <id|name>', 'the app\'s launch template (or launchTemplate of --app); without --app its name is the app')
    .option('--keep <n>', 'keep the n newest images (default 5, or image.keep of --app)', parseIntegerOption('--keep', 0, 100_000))
    .option('--older-than <duration>', 'keep every image younger than this too, e.g. 30d (or image.olderThan of --app)')
    .option('--name-prefix <prefix>', 'untagged images named PREFIX-YYYYMMDD-HHMMSS count as the app\'s (default: the app name)')
    .option('--dry-run', 'list what would go and change nothing (the default when stdout is not a terminal)')
    .option('-y, --yes', 'delete even when stdout is not a terminal (scripts, CI)');
  addAppFlags(prune, 'the app\'s images (tag app=NAME), template and image settings')
    .addHelpText(
      'after',
      `
Which images: owned by this account and tagged app=APP (bake tags them so), or
untagged and named exactly PREFIX-YYYYMMDD-HHMMSS. Never another app's.

What stays, with the reason printed per image:
  newest N                      the --keep newest
  younger than 30d              with --older-than
  used by instance i-…          a running or stopped instance (any state but terminated)
  used by group web (version 7) the version a group launches from, $Latest/$Default resolved
  default version / latest      the $Default or $Latest version of any launch template
  launch configuration lc-…     any launch configuration
  deploy d-… on group web       the versions of an unfinished deploy (its rollback target)

Everything else of the app is deregistered, its snapshots deleted (unless
another image still uses them), and versions of the app's template whose image
went are deleted too; never the default, $Latest, or a version a group or a
deploy holds. A version whose image stays is kept: you can still roll back to it.

Without a terminal (scripts, CI) prune is a dry run unless you pass --yes.

Examples:
  asg-deploy prune --app web --dry-run
  asg-deploy prune --template web-lt --keep 10 --older-than 30d
  asg-deploy prune --app web --yes        # from CI`,
    )
    .action(async (flags: PruneFlags, command: Command) => {
      const app = await loadApp(flags, 'prune');
      const template = flags.template !== undefined ? await parseTemplateOption(flags.template) : app?.launchTemplate;
      if (app === undefined && template === undefined) {
        throw new AsgDeployError('BAD_INPUT', 'prune needs --app NAME or --template ID|NAME to know whose images to prune', {
          hint: 'e.g. asg-deploy prune --app web --dry-run',
        });
      }
      const olderThanMs = flags.olderThan !== undefined ? parseDuration(flags.olderThan, '--older-than') : app?.image.olderThanMs;
      const keep = flags.keep ?? app?.image.keep;
      const namePrefix = flags.namePrefix ?? app?.image.namePrefix;
      const whyDry = flags.dryRun ? undefined : !ctx.io.isTty && !flags.yes ? 'stdout is not a terminal; pass --yes to delete' : undefined;
      const dryRun = Boolean(flags.dryRun) || whyDry !== undefined;

      const runtime = await createRuntime(ctx, command, app);
      try {
        const { prune } = await import('../../bake/index.js');
        const result = await prune(runtime.bake, {
          ...(app === undefined ? {} : { app: app.name }),
          ...(namePrefix === undefined ? {} : { namePrefix }),
          ...(template === undefined ? {} : { template }),
          ...(keep === undefined ? {} : { keep }),
          ...(olderThanMs === undefined ? {} : { olderThanMs }),
          dryRun,
        });
        runtime.renderer.close();
        if (ctx.output === 'json') {
          ctx.io.out(
            resultLine('prune', runtime.clock.now(), {
              dryRun: result.dryRun,
              ...(whyDry === undefined ? {} : { dryRunBecause: whyDry }),
              app: result.app,
              templateId: result.templateId,
              kept: result.plan.keep.map((d) => ({ imageId: d.image.imageId, name: d.image.name, reasons: d.reasons })),
              deregistered: result.deregistered,
              deletedSnapshots: result.deletedSnapshots,
              deletedVersions: result.deletedVersions,
              failures: result.failures,
            }),
          );
        } else {
          ctx.io.out(pruneSummary(result, whyDry));
        }
        ctx.exitCode = result.failures.length > 0 ? ExitCode.AwsError : ExitCode.Success;
      } finally {
        runtime.dispose();
      }
    });
}
