import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('start the emulator in-process and take a scripted tour of a group booting, serving and healing')
    .action(async () => {
      ctx.io.out('demo: coming with the AWS layer');
    });
}
