/**
 * The one error base of asg-deploy (architecture.md "Errors").
 *
 * Every error the tool raises on purpose is an {@link AsgDeployError}: a stable
 * `code` that programs and tests can switch on, who is at `fault` (the user's
 * input, the tool itself, or AWS), a lowercase message that names the bad value
 * and says what to do, and an optional `hint` with the next step.
 *
 * @example
 *   throw new AsgDeployError('GROUP_NOT_FOUND', 'auto scaling group "web" not found in us-east-1', {
 *     hint: 'check the name with `aws autoscaling describe-auto-scaling-groups` or pass --region',
 *   });
 *   if (isAsgDeployError(e) && e.code === 'THROTTLED') { ... }
 */

/** Who has to act: the person running the tool, the tool's authors, or AWS. */
export type Fault = 'user' | 'system' | 'aws';

/** The catalogue of codes and who is at fault by default. */
export const ERROR_CODES = {
  /** The named Auto Scaling group does not exist (in that account and region). */
  GROUP_NOT_FOUND: 'user',
  /** A flag, argument or config value is malformed or out of range. */
  BAD_INPUT: 'user',
  /** The inventory file (asg-deploy.yaml) is malformed; the message names the file and the path in it. */
  BAD_CONFIG: 'user',
  /** No AWS region could be found (option, environment, profile). */
  NO_REGION: 'user',
  /** No AWS credentials could be found or they were rejected. */
  NO_CREDENTIALS: 'user',
  /** Another deploy (or an instance refresh) holds the group. */
  LOCKED: 'user',
  /** AWS kept throttling after every retry. */
  THROTTLED: 'aws',
  /** The caller lacks an IAM permission; the message names the action. */
  ACCESS_DENIED: 'user',
  /** An AWS resource (instance, image, launch template, target group…) does not exist. */
  NOT_FOUND: 'user',
  /** AWS rejected a request as invalid (sizes out of range, bad state…). */
  AWS_VALIDATION: 'user',
  /** AWS refused because something else is in progress (ResourceInUse, ScalingActivityInProgress…). */
  CONFLICT: 'user',
  /** An account limit or quota was hit (LimitExceeded…). */
  LIMIT_EXCEEDED: 'user',
  /** AWS answered with a 5xx after every retry. */
  AWS_SERVER: 'aws',
  /** The network failed (connection reset, timeout) after every retry. */
  NETWORK: 'system',
  /** A wait did not finish in time. */
  TIMEOUT: 'system',
  /** A deploy stopped without reaching its target. */
  DEPLOY_FAILED: 'system',
  /** A deploy failed and was rolled back to the previous version. */
  ROLLED_BACK: 'system',
  /** The user (or a signal) interrupted the operation. */
  INTERRUPTED: 'user',
  /** Any other AWS error we did not classify. */
  AWS_ERROR: 'aws',
  /** A bug: an assumption of the tool did not hold. */
  INTERNAL: 'system',
} as const satisfies Record<string, Fault>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AsgDeployErrorOptions {
  /** Overrides the code's default fault. */
  fault?: Fault;
  /** The next step for the user, shown under the message. */
  hint?: string;
  /** Structured data for programs (ids, sizes, the AWS error code…); must be JSON-serialisable. */
  details?: Readonly<Record<string, unknown>>;
  /** The error this one wraps. */
  cause?: unknown;
}

/** A brand shared across copies of this module (two installs of the library still recognise each other). */
const BRAND: unique symbol = Symbol.for('asg-deploy.AsgDeployError');

export class AsgDeployError extends Error {
  readonly code: ErrorCode;
  readonly fault: Fault;
  /** Set only when given, so `'hint' in error` and JSON output stay honest. */
  declare readonly hint?: string;
  declare readonly details?: Readonly<Record<string, unknown>>;
  private readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options: AsgDeployErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AsgDeployError';
    this.code = code;
    this.fault = options.fault ?? ERROR_CODES[code];
    if (options.hint !== undefined) (this as { hint?: string }).hint = options.hint;
    if (options.details !== undefined) (this as { details?: Readonly<Record<string, unknown>> }).details = options.details;
  }

  /** True for any AsgDeployError, even one thrown by another copy of this module. */
  static isAsgDeployError(e: unknown): e is AsgDeployError {
    return typeof e === 'object' && e !== null && (e as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** A plain object for NDJSON output and deployment records. */
  toJSON(): { code: ErrorCode; fault: Fault; message: string; hint?: string; details?: Readonly<Record<string, unknown>> } {
    return {
      code: this.code,
      fault: this.fault,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Same as {@link AsgDeployError.isAsgDeployError}, optionally checking the code. */
export function isAsgDeployError(e: unknown, code?: ErrorCode): e is AsgDeployError {
  return AsgDeployError.isAsgDeployError(e) && (code === undefined || e.code === code);
}

/** Shorthand for the most common user error. */
export function badInput(message: string, options: Omit<AsgDeployErrorOptions, 'fault'> = {}): AsgDeployError {
  return new AsgDeployError('BAD_INPUT', message, options);
}
