import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runDemo } from '../demo/demo.js';
import { ExitCode } from '../exit-codes.js';
import { parseIntegerOption, parseNumberOption } from '../options.js';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('the product in under a minute on the embedded emulator: build a fleet, roll it, roll a broken release and watch it roll back, then blue/green with an instant rollback')
    .option('--speed <k>', 'simulated seconds per real second', parseNumberOption('--speed', 1, 10000), 40)
    .option('--size <n>', 'instances in the group', parseIntegerOption('--size', 1, 200), 6)
    .option('--seed <n>', 'emulator seed', parseIntegerOption('--seed', 0, 2 ** 32 - 1), 1)
    .action(async (opts: { speed: number; size: number; seed: number }) => {
      const acts = await runDemo(ctx, opts);
      const expected = ['succeeded', 'rolled-back', 'succeeded', 'rolled-back'];
      const ok = acts.map((a) => a.outcome).join() === expected.join() && acts.every((a) => a.lowestServing >= a.floor);
      ctx.exitCode = ok ? ExitCode.Success : ExitCode.Failed;
    });
}
