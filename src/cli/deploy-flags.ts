/**
 * The flags every deploy strategy shares (version, health gates, timeouts),
 * parsed once, with the app's inventory defaults under them.
 */
import type { StrategySettings } from '../config/index.js';
import { parseDuration, parseMinHealthy, parseTargetVersion, type Amount } from '../core/index.js';

export interface DeployFlags {
  templateVersion?: string;
  image?: string;
  minHealthy?: string;
  warmup?: string;
  timeout?: string;
  maxFailedLaunches?: number;
  rollback: boolean;
  dryRun?: boolean;
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
