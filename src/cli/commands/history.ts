import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { addAppFlags, type AppFlags } from '../flags.js';
import { withInventory } from '../inventory.js';
import { createRuntime } from '../runtime.js';
import { parseIntegerOption } from '../options.js';
import { toJsonLine } from '../../events/index.js';

export function registerHistoryCommand(program: Command, ctx: CliContext): void {
  addAppFlags(
      program
      .command('history')
      .argument('[group]', 'the Auto Scaling group, or the APP of a blue/green pair')
      .description('the group\'s deploys, newest first: who, when, which versions, how long, the outcome and how low serving went; from the tags on the group and its scaling activities (works from any machine)')
      .addOption(new Option('--limit <n>', 'how many deploys to show').argParser(parseIntegerOption('--limit', 1, 10_000)).default(20))
      .option('--activities', 'interleave the group\'s other scaling activities (scale-outs, health replacements, changes by hand)')
      .addHelpText(
        'after',
        `
  Examples:
    asg-deploy history web
    asg-deploy history shop --activities          # a blue/green pair: shop-blue and shop-green
    asg-deploy history web --output json | jq -r 'select(.kind=="deploy") | [.id, .outcome] | @tsv'`,
      )
  ).action(async (groupArg: string | undefined, flags: AppFlags & { limit: number; activities?: boolean }, command: Command) => {
      const { group, app } = await withInventory(groupArg, flags, 'history');
      const runtime = await createRuntime(ctx, command, app);
      try {
        const { formatHistory, loadHistory } = await import('../../report/index.js');
        const history = await loadHistory(runtime.aws, group, { now: runtime.deploy.clock.now() });
        if (ctx.output === 'json') {
          const entries = history.entries.slice(0, flags.limit);
          const oldest = entries.length === flags.limit ? entries[entries.length - 1]!.startedAt : -Infinity;
          const rows = [...entries, ...(flags.activities ? history.otherActivities.filter((a) => a.startedAt >= oldest) : [])].sort((a, b) => b.startedAt - a.startedAt);
          const t = runtime.clock.now();
          for (const r of rows) ctx.io.out(toJsonLine({ code: 'history', t, ...r, started: new Date(r.startedAt).toISOString(), ...(r.endedAt !== undefined ? { ended: new Date(r.endedAt).toISOString() } : {}) }));
        } else {
          for (const line of formatHistory(history, { limit: flags.limit, activities: Boolean(flags.activities) })) ctx.io.out(line);
        }
      } finally {
        runtime.dispose();
      }
    });
}
