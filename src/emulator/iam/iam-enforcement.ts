/**
 * The policy an emulator enforces on every AWS call (not on the admin API),
 * and the refusal AWS answers with when it does not allow one.
 *
 * Wording, per service:
 * - Auto Scaling, ELBv2, CloudWatch: HTTP 403 `AccessDenied`, "User: ARN is not
 *   authorized to perform: ACTION on resource: ARN because no identity-based
 *   policy allows the ACTION action" (IAM user guide, "Troubleshoot access
 *   denied error messages": https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html);
 *   without "on resource" for actions that have no resource-level permissions.
 * - EC2: HTTP 403 `UnauthorizedOperation`, "You are not authorized to perform
 *   this operation. User: … Encoded authorization failure message: …"
 *   (EC2 API reference, "Error codes for the Amazon EC2 API").
 * - A launch template the caller may not launch from (Create/UpdateAutoScalingGroup):
 *   `AccessDenied` "You are not authorized to use launch template: lt-…"
 *   (Auto Scaling user guide, "Troubleshoot … launch template").
 */
import { AwsError } from '../aws-error.js';
import type { ServiceName } from '../protocol/index.js';
import type { RegionState, Simulation } from '../world.js';
import { authorizationChecks, type AuthorizationCheck } from './authorization-requests.js';
import { evaluatePolicy, type Decision } from './evaluate-policy.js';
import { parsePolicyDocument, type IamPolicy } from './policy-document.js';

const policies = new WeakMap<Simulation, IamPolicy>();

/** Enforces `document` (a policy JSON text or object) on every later call; throws PolicyDocumentError when IAM would refuse it. */
export function setIamPolicy(sim: Simulation, document: string | unknown): IamPolicy {
  const policy = parsePolicyDocument(document);
  policies.set(sim, policy);
  return policy;
}

/** Lifts the policy: every call is allowed again. */
export function clearIamPolicy(sim: Simulation): void {
  policies.delete(sim);
}

export function currentIamPolicy(sim: Simulation): IamPolicy | undefined {
  return policies.get(sim);
}

/** The caller, from the SigV4 access key id (the emulator accepts any key): `arn:aws:iam::ACCOUNT:user/AKID`. */
export function callerArn(accountId: string, authorization: string | undefined): string {
  const key = /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1] ?? 'anonymous';
  return `arn:aws:iam::${accountId}:user/${key}`;
}

function reason(decision: Decision): string {
  return decision === 'explicitDeny' ? 'with an explicit deny in an identity-based policy' : 'because no identity-based policy allows the';
}

/** The error AWS answers a refused check with. */
export function accessDeniedError(service: ServiceName, check: AuthorizationCheck, decision: Exclude<Decision, 'allow'>, principal: string): AwsError {
  if (check.impliedBy) return new AwsError('AccessDenied', `You are not authorized to use launch template: ${check.impliedBy.launchTemplate}`, 403);
  const on = check.resource === '*' ? '' : ` on resource: ${check.resource}`;
  const why = decision === 'explicitDeny' ? reason(decision) : `${reason(decision)} ${check.action} action`;
  const sentence = `User: ${principal} is not authorized to perform: ${check.action}${on} ${why}`;
  if (service === 'ec2') {
    const encoded = Buffer.from(JSON.stringify({ allowed: false, explicitDeny: decision === 'explicitDeny', action: check.action, resource: check.resource })).toString('base64');
    return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${sentence}. Encoded authorization failure message: ${encoded}`, 403);
  }
  return new AwsError('AccessDenied', sentence, 403);
}

/**
 * The refusal for a call, or undefined when the policy allows it (or none is in force).
 *
 * @example
 *   const denied = authorizeCall(sim, region, 'autoscaling', 'SetDesiredCapacity', input, req.headers.authorization);
 *   if (denied) throw denied;
 */
export function authorizeCall(sim: Simulation, region: RegionState, service: ServiceName, operation: string, input: unknown, authorization: string | undefined): AwsError | undefined {
  const policy = policies.get(sim);
  if (!policy) return undefined;
  const principal = callerArn(region.accountId, authorization);
  for (const check of authorizationChecks(region, service, operation, input)) {
    const decision = evaluatePolicy(policy, { ...check, context: { ...check.context, 'aws:PrincipalArn': principal } });
    if (decision !== 'allow') return accessDeniedError(service, check, decision, principal);
  }
  return undefined;
}
