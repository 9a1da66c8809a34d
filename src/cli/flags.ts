/**
 * The flag groups several commands share, declared once: `--app`/`--config`
 * (the inventory) and the deploy flags every strategy understands (version,
 * health gates, timeouts, rollback, dry run), and the one parser from those
 * flags to the library's settings, with the app's inventory defaults under them.
 */
import { Option, type Command } from 'commander';
import type { StrategySettings } from '../config/index.js';
import { parseDuration, parseMinHealthy, parseTargetVersion, type Amount } from '../core/index.js';
import { parseIntegerOption } from './options.js';

export interface AppFlags {
  app?: string;
  config?: string;
}

/** `--app NAME` and `--config FILE`; `what` says what the app gives this command. */
export function addAppFlags(command: Command, what = 'the group and defaults'): Command {
  return command
    .addOption(new Option('--app <name>', `take ${what} from asg-deploy.yaml`))
    .addOption(new Option('--config <file>', 'inventory file (default ./asg-deploy.yaml)'));
}

export interface DeployFlags extends AppFlags {
  templateVersion?: string;
  image?: string;
  maxSurge?: string;
  minHealthy?: string;
  warmup?: string;
  timeout?: string;
  maxFailedLaunches?: number;
  rollback: boolean;
  dryRun?: boolean;
}

export interface DeployFlagSet {
  /** --template-version and --image (all but swap). */
  version?: boolean;
  /** --max-surge (roll). */
  surge?: boolean;
  /** --max-failed-launches (all but swap). */
  maxFailedLaunches?: boolean;
  /** Help texts where a strategy means something more precise than the default. */
  text?: Partial<Record<'image' | 'minHealthy' | 'warmup' | 'timeout' | 'noRollback' | 'dryRun', string>>;
}

/** Adds the deploy flags a strategy takes, with the same names, parsers and defaults everywhere. */
export function addDeployFlags(command: Command, set: DeployFlagSet = {}): Command {
  const text = set.text ?? {};
  if (set.version !== false) {
    command
      .option('--template-version <n>', 'deploy this numeric launch template version of the group\'s template')
      .option('--image <ami>', text.image ?? 'deploy this AMI: creates a new template version from the current one with only ImageId changed');
  }
  if (set.surge) command.option('--max-surge <n|%>', 'instances allowed above desired while rolling (count or % of desired; default 25%, at least 1)');
  command
    .option('--min-healthy <n|%>', text.minHealthy ?? 'instances that must be serving at every instant (count or %; default 100%)')
    .option('--warmup <duration>', text.warmup ?? 'how long a new instance must stay healthy before it counts (default 0 with target groups)')
    .option('--timeout <duration>', text.timeout ?? 'give up (and roll back) when no new instance becomes ready for this long (default 20m)');
  if (set.maxFailedLaunches !== false) {
    command.option(
      '--max-failed-launches <n>',
      'roll back after more new instances than this die before becoming ready (default 3)',
      parseIntegerOption('--max-failed-launches', 0, 10000),
    );
  }
  return command
    .option('--no-rollback', text.noRollback ?? 'on failure, leave the group as it is (then `resume` or `abort`)')
    .option('--dry-run', text.dryRun ?? 'print the plan and change nothing');
}

export interface DeploySettingsFromFlags {
  templateVersion?: number;
  image?: string;
  minHealthy?: Amount;
  warmupMs?: number;
  timeoutMs?: number;
  maxFailedLaunches?: number;
  rollback: boolean;
  dryRun?: boolean;
}

/** The library's deploy settings from the shared flags, each falling back to the app's `strategy:` in the inventory. */
export function deploySettings(flags: Partial<DeployFlags> & { rollback: boolean }, defaults: StrategySettings | undefined): DeploySettingsFromFlags {
  return {
    templateVersion: flags.templateVersion !== undefined ? parseTargetVersion(flags.templateVersion, '--template-version') : undefined,
    image: flags.image,
    minHealthy: flags.minHealthy !== undefined ? parseMinHealthy(flags.minHealthy) : defaults?.minHealthy,
    warmupMs: flags.warmup !== undefined ? parseDuration(flags.warmup, '--warmup') : defaults?.warmupMs,
    timeoutMs: flags.timeout !== undefined ? parseDuration(flags.timeout, '--timeout') : defaults?.timeoutMs,
    maxFailedLaunches: flags.maxFailedLaunches ?? defaults?.maxFailedLaunches,
    rollback: flags.rollback,
    dryRun: flags.dryRun,
  };
}
