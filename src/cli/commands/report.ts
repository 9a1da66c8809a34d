import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { addAppFlags, type AppFlags } from '../flags.js';
import { withInventory } from '../inventory.js';
import { createRuntime } from '../runtime.js';
import { toJsonLine } from '../../events/index.js';

export function registerReportCommand(program: Command, ctx: CliContext): void {
  addAppFlags(
      program
      .command('report')
      .argument('[group]', 'the Auto Scaling group, or the APP of a blue/green pair')
      .description('one self-contained HTML file with a deploy\'s timeline (instances by version over time, serving against the floor, waves, failures, the rollback) and its summary; from the group\'s tags and scaling activities, with the run\'s event log when this machine has it')
      .option('--deploy <id>', 'the deploy to report (ids from `asg-deploy history`); default the newest')
      .option('--out <file>', 'where to write it (default ./asg-deploy-report-GROUP-ID.html)')
      .addHelpText(
        'after',
        `
  Examples:
    asg-deploy report web                                   # the newest deploy of web
    asg-deploy report web --deploy d-20260101T120000-ab12 --out last-friday.html
    asg-deploy report shop                                  # a blue/green pair: shop-blue and shop-green

  Event logs: every deploy run writes its events to
    \${XDG_STATE_HOME:-~/.local/state}/asg-deploy/runs/<deploy-id>.ndjson
  and the report uses it, when present, for exact versions, serving and waves.`,
      )
  ).action(async (groupArg: string | undefined, flags: AppFlags & { deploy?: string; out?: string }, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'report');
      const runtime = await createRuntime(ctx, command, app);
      try {
        const { writeDeployReport } = await import('../../report/index.js');
        const { path, report } = await writeDeployReport(runtime.aws, group, { now: runtime.deploy.clock.now(), deployId: flags.deploy, out: flags.out });
        const d = report.deploy;
        if (ctx.output === 'json') ctx.io.out(toJsonLine({ code: 'report-written', t: runtime.clock.now(), group, path, deployId: d.id, groups: d.groups, outcome: d.outcome, versions: report.timeline.versions, sources: d.sources }));
        else ctx.io.out(`wrote the report of deploy ${d.id ?? '(unrecorded)'} on ${d.groups.join(' + ')} (${d.outcome}) to ${path}`);
      } finally {
        runtime.dispose();
      }
    });
}
