/**
 * Exit codes, documented in `asg-deploy --help` (EXIT_CODES_HELP) and the
 * README; stable: scripts depend on them. A command's result maps through
 * {@link exitCodeFor}, an error through {@link exitCodeForError}: both are
 * tables the compiler checks for every outcome and every error code.
 */
import { isAsgDeployError, type ErrorCode } from '../core/index.js';
import type { DeployOutcome } from '../deploy/index.js';

export const ExitCode = {
  /** Done: the deploy succeeded, or the command did what was asked. */
  Success: 0,
  /** The deploy failed and was rolled back: the fleet is on the previous version. */
  RolledBack: 1,
  /** Bad input: a flag, a config file or a name that does not exist. Nothing was changed. */
  BadInput: 2,
  /** The deploy failed and could not be rolled back (or --no-rollback): see `status`, then `resume` or `abort`. */
  Failed: 3,
  /** The group is locked by another deploy. Nothing was changed. */
  Locked: 4,
  /** AWS refused or failed (credentials, permissions, throttling beyond retries, unreachable endpoint). */
  AwsError: 5,
  /** Interrupted (Ctrl-C) at a safe point: `resume` or `abort` it. */
  Interrupted: 130,
  /** A bug in asg-deploy: please report it with the output. */
  Internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0    success (a deploy finished, or there was nothing to do)
  1    the deploy failed and was rolled back: the fleet serves the previous version
  2    bad input (flag, endpoint URL, config file, unknown group/template/image): nothing changed
  3    the deploy failed and was left as is (--no-rollback, or the rollback failed):
       see \`asg-deploy status GROUP\`, then \`resume\` or \`abort\`
  4    the group is locked by another deploy: nothing changed
  5    AWS refused or failed (credentials, unknown profile, permissions, throttling
       beyond retries, endpoint unreachable or refusing connections)
  70   internal error in asg-deploy (please report it)
  130  interrupted at a safe point: \`asg-deploy resume GROUP\` or \`asg-deploy abort GROUP\``;

const OUTCOME_EXIT = {
  succeeded: ExitCode.Success,
  'nothing-to-do': ExitCode.Success,
  planned: ExitCode.Success,
  aborted: ExitCode.Success,
  'rolled-back': ExitCode.RolledBack,
  interrupted: ExitCode.Interrupted,
  failed: ExitCode.Failed,
} as const satisfies Record<DeployOutcome, ExitCode>;

/** The exit code of a deploy's (or an abort's) result. */
export function exitCodeFor(result: { outcome: DeployOutcome }): ExitCode {
  return OUTCOME_EXIT[result.outcome];
}

/** The exit code of every error code (core/errors.ts): what `--help` promises for each. */
export const ERROR_EXIT = {
  BAD_INPUT: ExitCode.BadInput,
  BAD_CONFIG: ExitCode.BadInput,
  GROUP_NOT_FOUND: ExitCode.BadInput,
  NOT_FOUND: ExitCode.BadInput,
  NO_REGION: ExitCode.BadInput,
  AWS_VALIDATION: ExitCode.BadInput,
  LOCKED: ExitCode.Locked,
  NO_CREDENTIALS: ExitCode.AwsError,
  ACCESS_DENIED: ExitCode.AwsError,
  THROTTLED: ExitCode.AwsError,
  AWS_SERVER: ExitCode.AwsError,
  NETWORK: ExitCode.AwsError,
  CONFLICT: ExitCode.AwsError,
  LIMIT_EXCEEDED: ExitCode.AwsError,
  AWS_ERROR: ExitCode.AwsError,
  TIMEOUT: ExitCode.Failed,
  DEPLOY_FAILED: ExitCode.Failed,
  ROLLED_BACK: ExitCode.RolledBack,
  INTERRUPTED: ExitCode.Interrupted,
  INTERNAL: ExitCode.Internal,
} as const satisfies Record<ErrorCode, ExitCode>;

/** The exit code of anything a command threw: an AsgDeployError by its code, anything else is a bug (70). */
export function exitCodeForError(e: unknown): ExitCode {
  return isAsgDeployError(e) && e.code in ERROR_EXIT ? ERROR_EXIT[e.code] : ExitCode.Internal;
}
