/**
 * AWS error classification: a handful of pure functions over an error's
 * `name` (the AWS error code, or the SDK's modelled exception name),
 * `$metadata.httpStatusCode`, `$fault` and Node's network `code`, in the manner
 * of smithy's service-error-classification. AWS errors are classified once,
 * here (architecture.md "Errors"), and converted to the one core error with a
 * message that says what to do.
 *
 * @example
 *   try { await send() } catch (e) {
 *     if (isThrottling(e)) retry();
 *     throw toAsgDeployError(e, { service: 'autoscaling', operation: 'SetDesiredCapacity', resource: 'web' });
 *   }
 */
import { AsgDeployError, type ErrorCode } from '../core/errors.js';

/** The fields of an SDK v3 error (or a Node network error) the classifiers read. */
export interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
  $retryable?: { throttling?: boolean };
}

function fields(e: unknown): ErrorLike {
  return typeof e === 'object' && e !== null ? (e as ErrorLike) : {};
}

/**
 * The AWS error code: the SDK's `name`, with the suffix the SDK adds to
 * modelled exceptions removed (`ResourceInUseFault` → `ResourceInUse`,
 * `TargetGroupNotFoundException` → `TargetGroupNotFound`) so both spellings
 * classify alike. Plain `Error`s have no code.
 */
export function awsErrorCode(e: unknown): string | undefined {
  const name = fields(e).name;
  if (name === undefined || name === 'Error') return undefined;
  return name.replace(/(Fault|Exception)$/, '') || name;
}

function status(e: unknown): number | undefined {
  return fields(e).$metadata?.httpStatusCode;
}

/** https://github.com/smithy-lang/smithy-typescript: THROTTLING_ERROR_CODES, plus 429. */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2Throttled',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'Throttled',
  'Throttling',
  'TooManyRequests',
  'TransactionInProgress',
]);

/** Throttled: the request was refused before it did anything, so any call may be retried. */
export function isThrottling(e: unknown): boolean {
  const f = fields(e);
  if (f.$retryable?.throttling === true || status(e) === 429) return true;
  const code = awsErrorCode(e);
  return (f.name !== undefined && THROTTLING_CODES.has(f.name)) || (code !== undefined && THROTTLING_CODES.has(code));
}

/** AWS's fault: a 5xx, or an error the SDK marks `$fault: 'server'`. */
export function isServerFault(e: unknown): boolean {
  const code = status(e);
  if (code !== undefined && code >= 500) return true;
  const name = awsErrorCode(e);
  if (name !== undefined && /^(InternalError|InternalFailure|InternalServerError|ServiceUnavailable|Unavailable|InternalService)$/.test(name)) {
    return true;
  }
  return fields(e).$fault === 'server' && !isThrottling(e);
}

const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
/** Signing-time errors the SDK corrects by itself on the next attempt (it tracks the clock offset). */
const CLOCK_SKEW_CODES = new Set(['RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed']);

/** The endpoint's host name does not resolve: not worth retrying (EAI_AGAIN, a temporary DNS failure, is). */
const UNRESOLVED_CODES = new Set(['ENOTFOUND']);

/** The endpoint's host does not resolve (a typo in --endpoint-url or AWS_ENDPOINT_URL, or no DNS). */
export function isUnresolvedHost(e: unknown): boolean {
  const code = fields(e).code;
  return code !== undefined && UNRESOLVED_CODES.has(code);
}

/** A network failure or timeout before an answer came back (the request may or may not have run). */
export function isNetworkError(e: unknown): boolean {
  const f = fields(e);
  return (
    (f.code !== undefined && NETWORK_CODES.has(f.code)) ||
    (f.name !== undefined && TRANSIENT_CODES.has(f.name)) ||
    /socket hang up/i.test(f.message ?? '')
  );
}

/** Worth another try for a call that is safe to repeat: 5xx, network, clock skew, ResourceContention. */
export function isTransient(e: unknown): boolean {
  const code = awsErrorCode(e);
  return (
    isServerFault(e) ||
    isNetworkError(e) ||
    (code !== undefined && (CLOCK_SKEW_CODES.has(code) || code === 'ResourceContention' || code === 'IdempotentCallInProgress'))
  );
}

/**
 * Not found: EC2's `Invalid….NotFound` family, ELBv2's `…NotFound`, and Auto
 * Scaling's ValidationErrors that say "not found" (Auto Scaling has no
 * not-found code: "AutoScalingGroup name not found - …").
 */
export function isNotFound(e: unknown): boolean {
  const code = awsErrorCode(e);
  if (code === undefined) return false;
  if (/NotFound$|\.NotFound|^NoSuch|\.VersionNotFound$|^InvalidAMIID\.Unavailable$/.test(code) || code === 'NotFound') return true;
  return code === 'ValidationError' && /\bnot found\b|\bdoes not exist\b/i.test(fields(e).message ?? '');
}

/** Auto Scaling's "AutoScalingGroup name not found - …" for a missing group. */
export function isGroupNotFound(e: unknown): boolean {
  return awsErrorCode(e) === 'ValidationError' && /AutoScalingGroup name not found|AutoScalingGroup .* not found/i.test(fields(e).message ?? '');
}

/** AWS refused the request as invalid (and not because something was missing). */
export function isValidation(e: unknown): boolean {
  const code = awsErrorCode(e);
  if (code === undefined || isNotFound(e)) return false;
  return /^(ValidationError|Validation|InvalidParameter.*|MissingParameter|InvalidInput|InvalidRequest|InvalidConfigurationRequest|InvalidTarget|UnknownParameter|MalformedQueryString)$|\.Malformed$|\.Invalid(Id)?$|^InvalidBlockDeviceMapping/.test(
    code,
  );
}

/** Permission refused: names AccessDenied, UnauthorizedOperation (EC2), or a 403 that is not a credentials problem. */
export function isAccessDenied(e: unknown): boolean {
  const code = awsErrorCode(e);
  if (code !== undefined && /^(AccessDenied|UnauthorizedOperation|UnauthorizedAccess|Forbidden)$/.test(code)) return true;
  return status(e) === 403 && !isCredentialsError(e);
}

/** No credentials, or credentials AWS does not accept (unknown key, bad signature, expired token). */
export function isCredentialsError(e: unknown): boolean {
  const f = fields(e);
  if (f.name === 'CredentialsProviderError') return true;
  const code = awsErrorCode(e);
  return code !== undefined && /^(AuthFailure|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|UnrecognizedClient|IncompleteSignature|MissingAuthenticationToken|InvalidSignature|OptInRequired)$/.test(code);
}

/** The SDK could not find a region in options, environment, profile or instance metadata. */
export function isRegionMissing(e: unknown): boolean {
  return /^Region is missing/.test(fields(e).message ?? '');
}

/** Something else is in progress or already there (ResourceInUse, ScalingActivityInProgress, …). */
export function isConflict(e: unknown): boolean {
  const code = awsErrorCode(e);
  return (
    code !== undefined &&
    /^(ResourceInUse|ScalingActivityInProgress|InstanceRefreshInProgress|AlreadyExists|ResourceContention|IdempotentParameterMismatch(Error)?|IncorrectState|IncorrectInstanceState|DuplicateTargetGroupName|InvalidAMIName\.Duplicate|DependencyViolation|IdempotentCallInProgress)$|\.InUse$|\.Duplicate$|AlreadyExists/.test(
      code,
    )
  );
}

/** An account quota or limit (not throttling): LimitExceeded (Auto Scaling), TooMany… (ELBv2), InstanceLimitExceeded (EC2). */
export function isLimitExceeded(e: unknown): boolean {
  const code = awsErrorCode(e);
  return code !== undefined && !isThrottling(e) && /^(LimitExceeded|InstanceLimitExceeded|VcpuLimitExceeded|ResourceLimitExceeded|TooMany.*|.*LimitExceeded)$/.test(code);
}

/** The caller's signal aborted the call. */
export function isAborted(e: unknown): boolean {
  const name = fields(e).name;
  return name === 'AbortError';
}

export interface AccessDeniedParts {
  /** `autoscaling:SetDesiredCapacity`. */
  action?: string;
  /** The ARN after "on resource:". */
  resource?: string;
  /** The ARN after "User:". */
  principal?: string;
}

/**
 * Reads the IAM action, resource and principal from an access-denied message:
 * "User: arn:aws:iam::1:user/ci is not authorized to perform: autoscaling:SetDesiredCapacity on resource: arn:… because no identity-based policy allows …".
 */
export function parseAccessDenied(message: string): AccessDeniedParts {
  const parts: AccessDeniedParts = {};
  const action = /not authorized to perform:?\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)/i.exec(message);
  if (action) parts.action = action[1];
  const resource = /\bon resource:?\s+(\S+?)(?:\s+because\b|[\s.,;]*$|\s)/i.exec(message);
  if (resource) parts.resource = resource[1];
  const principal = /\bUser:\s+(\S+)/.exec(message);
  if (principal) parts.principal = principal[1];
  // Auto Scaling checks ec2:RunInstances for the caller when a group's launch template is set, and says only this
  // ("Amazon EC2 Auto Scaling API permissions"; iam:PassRole / ec2:CreateTags too when the template has an instance profile / tag specifications).
  const template = /not authorized to use launch template:?\s*(\S*)/i.exec(message);
  if (template && !parts.action) {
    parts.action = 'ec2:RunInstances';
    if (template[1]) parts.resource = template[1];
  }
  return parts;
}

/** The IAM service prefix of each service we call. */
export type AwsService = 'autoscaling' | 'ec2' | 'elasticloadbalancing';

export interface ErrorContext {
  service: AwsService;
  /** The API operation, e.g. `SetDesiredCapacity`. */
  operation: string;
  /** What the call was about (a group name, an instance id…), for the message. */
  resource?: string;
  /** How many attempts were made (with retries). */
  attempts?: number;
}

/**
 * Converts any error from an AWS call into an AsgDeployError with a stable
 * code and a message that names the call, the value and what to do. An
 * AsgDeployError passes through unchanged.
 */
export function toAsgDeployError(e: unknown, context: ErrorContext): AsgDeployError {
  if (AsgDeployError.isAsgDeployError(e)) return e;
  const f = fields(e);
  const action = `${context.service}:${context.operation}`;
  const awsCode = awsErrorCode(e);
  const awsMessage = (f.message ?? String(e)).trim();
  const about = context.resource === undefined ? '' : ` for ${context.resource}`;
  const tries = context.attempts !== undefined && context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
  const details: Record<string, unknown> = { action };
  if (awsCode !== undefined) details.awsCode = awsCode;
  if (status(e) !== undefined) details.httpStatusCode = status(e);
  if (f.$metadata?.requestId !== undefined) details.requestId = f.$metadata.requestId;
  if (context.resource !== undefined) details.resource = context.resource;
  if (context.attempts !== undefined) details.attempts = context.attempts;
  const make = (code: ErrorCode, message: string, hint?: string) =>
    new AsgDeployError(code, message, { cause: e, details, ...(hint === undefined ? {} : { hint }) });
  const quoted = awsCode === undefined ? awsMessage : `${awsMessage} (${awsCode})`;

  if (isAborted(e)) return make('INTERRUPTED', `${action}${about} was interrupted`);
  if (isRegionMissing(e)) {
    return make('NO_REGION', 'no aws region is configured: pass --region or set AWS_REGION', 'or set `region` in the profile of ~/.aws/config');
  }
  if (isCredentialsError(e)) {
    return make(
      'NO_CREDENTIALS',
      `aws credentials were missing or refused when calling ${action}: ${quoted}`,
      'set AWS_PROFILE or pass --profile, run `aws sso login` if the profile uses SSO, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
    );
  }
  if (isThrottling(e)) {
    return make(
      'THROTTLED',
      `aws kept throttling ${action}${about}${tries}: ${quoted}`,
      'wait a minute and run again; other tools polling the same account and region share the rate limit',
    );
  }
  if (isAccessDenied(e)) {
    const parsed = parseAccessDenied(awsMessage);
    const missing = parsed.action ?? action;
    if (parsed.principal !== undefined) details.principal = parsed.principal;
    details.missingAction = missing;
    const on = parsed.resource === undefined ? '' : ` on ${parsed.resource}`;
    const who = parsed.principal === undefined ? 'the caller' : parsed.principal;
    return make('ACCESS_DENIED', `not allowed to call ${missing}${on}: grant ${missing} to ${who}`, `aws said: ${awsMessage}`);
  }
  if (isGroupNotFound(e)) {
    return make(
      'GROUP_NOT_FOUND',
      `auto scaling group${context.resource === undefined ? '' : ` ${JSON.stringify(context.resource)}`} not found (${action}): check the name and the region`,
    );
  }
  if (isNotFound(e)) return make('NOT_FOUND', `${action}${about} failed, something it refers to does not exist: ${quoted}`, 'check the id or name, and the region');
  if (isConflict(e)) return make('CONFLICT', `${action}${about} was refused because something else is in progress or already exists: ${quoted}`, 'wait for it to finish, then run again');
  if (isLimitExceeded(e)) return make('LIMIT_EXCEEDED', `${action}${about} hit an aws limit: ${quoted}`, 'raise the quota in Service Quotas or lower what you ask for');
  if (isValidation(e)) return make('AWS_VALIDATION', `aws rejected ${action}${about}: ${quoted}`, 'change the value aws names above');
  if (isServerFault(e)) return make('AWS_SERVER', `aws failed to answer ${action}${about}${tries}: ${quoted}`, 'aws had a server error; run again in a few minutes');
  if (isNetworkError(e) || isUnresolvedHost(e)) {
    return make('NETWORK', `could not reach aws for ${action}${about}${tries}: ${quoted}`, 'check the network, the endpoint (--endpoint-url, AWS_ENDPOINT_URL) and any proxy');
  }
  return make('AWS_ERROR', `${action}${about} failed: ${quoted}`);
}
