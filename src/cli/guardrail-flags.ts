/**
 * The guardrail flag group (deploys.md "Guardrails"), the same on `roll`,
 * `bluegreen`, `swap` and `shrink`: `--alarm NAME` (repeatable),
 * `--checkpoints 10%,50%`, `--checkpoint-pause DURATION|wait`,
 * `--bake-time DURATION`, `--check 'COMMAND'`, `--check-timeout DURATION`,
 * turned into the engine's GuardrailOptions, with the app's `guardrails:`
 * block of asg-deploy.yaml under them. Self-contained: a command calls
 * `addGuardrailFlags(command)` and passes `await guardrailOptions(flags, app?.guardrails)`
 * to its strategy. Registering the flags loads nothing (like every command
 * module); core and the guardrails are imported when a command runs.
 *
 * @example
 *   addGuardrailFlags(program.command('roll'));
 *   const { options, summary } = await guardrailOptions(flags, app?.guardrails);
 *   await roll(ctx, { group, ...settings, ...options });
 */
import type { Command } from 'commander';
import type { GuardrailSettings } from '../config/index.js';
import type { CheckpointPause } from '../core/index.js';
import type { GuardrailOptions } from '../deploy/guardrail.js';
import type { GuardrailOverrides } from '../deploy/guardrails/index.js';

export interface GuardrailFlags {
  alarm?: string[];
  checkpoints?: string;
  checkpointPause?: string;
  bakeTime?: string;
  check?: string;
  checkTimeout?: string;
}

/** What the guardrails of a deploy are, for `--dry-run` and the plan: the same fields as asg-deploy.yaml's `guardrails:`. */
export type GuardrailSummary = GuardrailSettings;

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds the guardrail flags to a deploy command. */
export function addGuardrailFlags(command: Command): Command {
  return command
    .option('--alarm <name>', 'watch this CloudWatch alarm for the whole deploy and its bake time: ALARM stops and rolls back (repeatable)', collect)
    .option('--checkpoints <percents>', 'pause when this share of the fleet is on the new version, e.g. 10%,50%')
    .option('--checkpoint-pause <duration|wait>', 'how long to pause at each checkpoint, or wait until `asg-deploy continue GROUP` (default 1h)')
    .option('--bake-time <duration>', 'after the last replacement (after the switch, for bluegreen) keep watching this long before calling it done')
    .option('--check <command>', 'your smoke test, run per new instance with ASG_DEPLOY_INSTANCE_ID, ASG_DEPLOY_PRIVATE_IP… set; exit 0 admits it')
    .option('--check-timeout <duration>', 'time limit of one --check run (default 5m)');
}

/** The help text block the commands append (one place for the examples). */
export const GUARDRAIL_HELP = `
Guardrails (also under guardrails: in asg-deploy.yaml):
  --alarm web-5xx --alarm web-latency      roll back when one goes to ALARM
  --checkpoints 10%,50% --checkpoint-pause wait   then: asg-deploy continue GROUP
  --bake-time 10m                          keep watching 10 minutes after the last instance
  --check 'curl -fsS --max-time 5 http://$ASG_DEPLOY_PRIVATE_IP/health'`;

/**
 * Flags over the inventory's guardrails, key by key. Refuses a flag that
 * needs another (`--checkpoint-pause` without checkpoints, `--check-timeout`
 * without a check), naming both.
 */
export async function guardrailOptions(flags: GuardrailFlags, defaults?: GuardrailSettings): Promise<{ options: GuardrailOptions; summary: GuardrailSummary }> {
  const { AsgDeployError, DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_CHECKPOINT_PAUSE, parseCheckpointPause, parseCheckpoints, parseDuration } = await import('../core/index.js');
  const alarms = flags.alarm !== undefined && flags.alarm.length > 0 ? flags.alarm : (defaults?.alarms ?? []);
  const checkpoints = flags.checkpoints !== undefined ? parseCheckpoints(flags.checkpoints, '--checkpoints') : defaults?.checkpoints;
  const checkpointPause = flags.checkpointPause !== undefined ? parseCheckpointPause(flags.checkpointPause, '--checkpoint-pause') : defaults?.checkpointPause;
  const bakeTimeMs = flags.bakeTime !== undefined ? parseDuration(flags.bakeTime, '--bake-time') : defaults?.bakeTimeMs;
  const check = flags.check !== undefined ? flags.check : defaults?.check;
  const checkTimeoutMs = flags.checkTimeout !== undefined ? parseDuration(flags.checkTimeout, '--check-timeout') : defaults?.checkTimeoutMs;

  if (checkpointPause !== undefined && checkpoints === undefined) {
    throw new AsgDeployError('BAD_INPUT', `--checkpoint-pause ${flags.checkpointPause ?? '(from asg-deploy.yaml)'} needs --checkpoints: there is no checkpoint to pause at`, {
      hint: 'add the shares of the fleet to pause at, e.g. --checkpoints 10%,50%',
      details: { option: '--checkpoint-pause' },
    });
  }
  if (checkTimeoutMs !== undefined && check === undefined) {
    throw new AsgDeployError('BAD_INPUT', '--check-timeout needs --check: there is no check to time', {
      hint: "add the command, e.g. --check 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health'",
      details: { option: '--check-timeout' },
    });
  }

  const { guardrailsFromSettings, encodeStoredGuardrails } = await import('../deploy/guardrails/index.js');
  const settings = {
    alarms,
    ...(checkpoints === undefined ? {} : { checkpoints }),
    ...(checkpointPause === undefined ? {} : { checkpointPause }),
    ...(bakeTimeMs === undefined ? {} : { bakeTimeMs }),
    ...(check === undefined ? {} : { check }),
    ...(checkTimeoutMs === undefined ? {} : { checkTimeoutMs }),
  };
  const built = guardrailsFromSettings(settings);
  // The deploy stores its guardrails on the group for a resume: settings that cannot fit are refused now (also on --dry-run).
  encodeStoredGuardrails('d-00000000T000000-0000', { ...settings, ...(check === undefined ? {} : { checkTimeoutMs: checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS }) });

  const summary: GuardrailSummary = {
    alarms: [...new Set(alarms.map((a) => a.trim()))],
    ...(checkpoints === undefined ? {} : { checkpoints, checkpointPause: checkpointPause ?? DEFAULT_CHECKPOINT_PAUSE }),
    ...(bakeTimeMs === undefined ? {} : { bakeTimeMs }),
    ...(check === undefined ? {} : { check, checkTimeoutMs: checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS }),
  };
  return { options: built, summary };
}

/**
 * `resume`'s guardrail flags, as overrides of what the deploy stored on its
 * group: `--alarm` adds an alarm; every other flag replaces its setting
 * (`--bake-time 0` drops the bake time); `--no-rollback` / `--rollback` set
 * or clear --no-rollback. asg-deploy.yaml is not read: the deploy keeps what
 * it started with.
 */
export async function guardrailOverrides(flags: GuardrailFlags & { rollback?: boolean }): Promise<GuardrailOverrides> {
  const { parseCheckpointPause, parseCheckpoints, parseDuration } = await import('../core/index.js');
  return {
    ...(flags.alarm !== undefined && flags.alarm.length > 0 ? { alarms: flags.alarm } : {}),
    ...(flags.checkpoints !== undefined ? { checkpoints: parseCheckpoints(flags.checkpoints, '--checkpoints') } : {}),
    ...(flags.checkpointPause !== undefined ? { checkpointPause: parseCheckpointPause(flags.checkpointPause, '--checkpoint-pause') } : {}),
    ...(flags.bakeTime !== undefined ? { bakeTimeMs: parseDuration(flags.bakeTime, '--bake-time') } : {}),
    ...(flags.check !== undefined ? { check: flags.check } : {}),
    ...(flags.checkTimeout !== undefined ? { checkTimeoutMs: parseDuration(flags.checkTimeout, '--check-timeout') } : {}),
    ...(flags.rollback !== undefined ? { noRollback: !flags.rollback } : {}),
  };
}

/** One line per guardrail for `--dry-run` (empty when there is none); call it from an action (core is loaded by then). */
export async function describeGuardrails(s: GuardrailSummary): Promise<string[]> {
  const { DEFAULT_CHECK_TIMEOUT_MS, formatCheckpoints, formatDuration } = await import('../core/index.js');
  const lines: string[] = [];
  if (s.alarms.length > 0) lines.push(`alarms watched: ${s.alarms.join(', ')}`);
  if (s.checkpoints) {
    const pause = s.checkpointPause?.kind === 'wait' ? 'wait for `asg-deploy continue`' : `pause ${formatDuration(s.checkpointPause?.ms ?? 0)}`;
    lines.push(`checkpoints: ${formatCheckpoints(s.checkpoints)}, ${pause} at each`);
  }
  if (s.bakeTimeMs !== undefined) lines.push(`bake time: ${formatDuration(s.bakeTimeMs)} after the last replacement`);
  if (s.check !== undefined) lines.push(`check per new instance (limit ${formatDuration(s.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS)}): ${s.check}`);
  return lines;
}
