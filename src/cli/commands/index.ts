/**
 * Every command of `asg-deploy`, registered in one place, in the order
 * `--help` lists them. A command module imports only commander and the CLI's
 * own small helpers at load time; the library it drives (the deploy engine,
 * the AWS SDK, the emulator) is imported when its action runs, so `--help`,
 * `--version` and a usage error never load them.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerBakeCommand } from './bake.js';
import { registerBlueGreenCommands } from './bluegreen.js';
import { registerContinueCommand } from './continue.js';
import { registerEmulatorCommands } from './emulator.js';
import { registerHistoryCommand } from './history.js';
import { registerIamPolicyCommand } from './iam-policy.js';
import { registerRehearseCommand } from './rehearse.js';
import { registerReportCommand } from './report.js';
import { registerResumeCommands } from './resume.js';
import { registerPruneCommand } from './prune.js';
import { registerRollCommands } from './roll.js';
import { registerShrinkCommand } from './shrink.js';
import { registerStatusCommand } from './status.js';
import { registerSwapCommand } from './swap.js';

export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerRollCommands, // roll
  registerResumeCommands, // resume, abort
  registerBlueGreenCommands, // bluegreen, rollback, finish
  registerSwapCommand,
  registerShrinkCommand,
  registerContinueCommand, // continue (a deploy paused at a checkpoint)
  registerStatusCommand,
  registerHistoryCommand,
  registerReportCommand,
  registerBakeCommand,
  registerPruneCommand,
  registerRehearseCommand,
  registerIamPolicyCommand,
  registerEmulatorCommands, // emulator, demo
];
