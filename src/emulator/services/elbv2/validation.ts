/**
 * ELBv2's input checks, in AWS's words. The protocol layer already enforces
 * the model's enums and ranges on the wire; these repeat the ones a handler
 * relies on (so a handler is safe when called directly) and add the rules the
 * model does not carry (names, ARNs, timeout < interval).
 */
import { AwsError, validationError } from '../../aws-error.js';

/** Coral's wording: "1 validation error detected: Value '1' at 'healthyThresholdCount' failed to satisfy constraint: …". */
function constraintError(value: unknown, member: string, constraint: string): AwsError {
  return validationError(`1 validation error detected: Value '${String(value)}' at '${lowerCamel(member)}' failed to satisfy constraint: ${constraint}`);
}

function lowerCamel(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

/** Throws unless `value` is present: "Value null at 'name' failed to satisfy constraint: Member must not be null". */
export function required<T>(value: T | undefined | null, member: string): T {
  if (value === undefined || value === null || (typeof value === 'string' && value === '')) {
    throw validationError(`1 validation error detected: Value null at '${lowerCamel(member)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** An integer member within [min, max]; undefined passes through. */
export function integerInRange(value: unknown, member: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw constraintError(value, member, 'Member must be an integer');
  if (n < min) throw constraintError(value, member, `Member must have value greater than or equal to ${min}`);
  if (n > max) throw constraintError(value, member, `Member must have value less than or equal to ${max}`);
  return n;
}

/** Target group and load balancer names: 1–32 alphanumerics or hyphens, no hyphen at either end. */
export function checkResourceName(name: string, kind: 'Target group' | 'Load balancer'): void {
  if (name.length > 32) throw validationError(`${kind} name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9-]+$/.test(name)) {
    throw validationError(`${kind} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
  }
  if (name.startsWith('-') || name.endsWith('-')) throw validationError(`${kind} name '${name}' cannot begin or end with '-'`);
  if (kind === 'Load balancer' && name.startsWith('internal-')) throw validationError(`Load balancer name '${name}' cannot begin with 'internal-'`);
}

const ARN_PREFIX = String.raw`^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:`;
const TARGET_GROUP_ARN = new RegExp(`${ARN_PREFIX}targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`);
const LOAD_BALANCER_ARN = new RegExp(`${ARN_PREFIX}loadbalancer/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}$`);
const LISTENER_ARN = new RegExp(`${ARN_PREFIX}listener/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$`);

export type ResourceKind = 'target group' | 'load balancer' | 'listener';

/** Which kind of ELBv2 resource an ARN names, if it is well formed. */
export function resourceKindOf(arn: string): ResourceKind | undefined {
  if (TARGET_GROUP_ARN.test(arn)) return 'target group';
  if (LOAD_BALANCER_ARN.test(arn)) return 'load balancer';
  if (LISTENER_ARN.test(arn)) return 'listener';
  return undefined;
}

/** Throws ValidationError "'x' is not a valid target group ARN" unless `arn` is a well-formed ARN of `kind`. */
export function checkArn(arn: string, kind: ResourceKind): void {
  if (resourceKindOf(arn) !== kind) throw validationError(`'${arn}' is not a valid ${kind} ARN`);
}

/** A health check or traffic port: 'traffic-port' or 1–65535. */
export function checkHealthCheckPort(port: string): void {
  if (port === 'traffic-port') return;
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) {
    throw validationError(`Health check port '${port}' must be 'traffic-port' or a number between 1 and 65535`);
  }
}

/** `Matcher.HttpCode`: "200", "200,202" or "200-299", codes 200–499 (Application Load Balancers). */
export function checkHttpCode(code: string): void {
  const ok = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(code) && code.split(/[,-]/).every((c) => Number(c) >= 200 && Number(c) <= 499);
  if (!ok) throw validationError(`Health check matcher HTTP code '${code}' must be like 200 | 200-399 | 200,201 with codes from 200 to 499`);
}
