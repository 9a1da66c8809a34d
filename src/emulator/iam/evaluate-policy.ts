/**
 * IAM's decision for one request against one identity-based policy, for the
 * cases the generated policies use (IAM "Policy evaluation logic",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * an explicit Deny in any matching statement wins, then any matching Allow,
 * else the implicit deny.
 */
import type { IamPolicy, PolicyCondition, PolicyStatement } from './policy-document.js';

/** What IAM is asked: one action on one resource, with the request's condition keys. */
export interface AuthorizationRequest {
  /** `autoscaling:UpdateAutoScalingGroup`. */
  action: string;
  /** The resource ARN, or `*` for an action without resource-level permissions. */
  resource: string;
  /** Condition keys (case-insensitive names) → value(s); absent keys are absent. */
  context: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = 'allow' | 'explicitDeny' | 'implicitDeny';

/**
 * `*` matches any run of characters, `?` exactly one (IAM "Resource" and
 * "Action" elements; action names match case-insensitively, ARNs case-sensitively).
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function lookup(context: AuthorizationRequest['context'], key: string): readonly string[] | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) {
    // Condition key names are case-insensitive; the tag key part of ResourceTag/… is matched as written lower-cased too.
    if (k.toLowerCase() === lower) return typeof v === 'string' ? [v] : v;
  }
  return undefined;
}

function valueMatches(operator: PolicyCondition['operator'], policyValue: string, requestValue: string): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
      return operator.startsWith('Arn') ? matchesWildcard(policyValue, requestValue) : policyValue === requestValue;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return policyValue.toLowerCase() === requestValue.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
      return matchesWildcard(policyValue, requestValue);
    case 'Bool':
      return policyValue.toLowerCase() === requestValue.toLowerCase();
    case 'Null':
      return false;
  }
}

const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike']);

/** One condition: "Condition operators" and "Single-valued vs. multivalued context keys" in the IAM user guide. */
export function conditionHolds(condition: PolicyCondition, context: AuthorizationRequest['context']): boolean {
  const present = lookup(context, condition.key);
  if (condition.operator === 'Null') {
    const wantsAbsent = condition.values.some((v) => v.toLowerCase() === 'true');
    return wantsAbsent === (present === undefined || present.length === 0);
  }
  const negated = NEGATED.has(condition.operator);
  if (present === undefined || present.length === 0) {
    if (condition.ifExists) return true;
    // A negated operator holds when the key is missing (nothing to be equal to); ForAllValues holds vacuously.
    return condition.set === 'ForAllValues' ? true : negated;
  }
  const one = (v: string) => condition.values.some((p) => valueMatches(condition.operator, p, v));
  if (condition.set === 'ForAllValues') return present.every((v) => (negated ? !one(v) : one(v)));
  if (condition.set === 'ForAnyValue') return present.some((v) => (negated ? !one(v) : one(v)));
  return negated ? !present.some(one) : present.some(one);
}

/** The statement applies to the request: action, resource and every condition match. */
export function statementMatches(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  const actionIn = (list: readonly string[]) => list.some((p) => matchesWildcard(p, request.action, true));
  if (statement.actions && !actionIn(statement.actions)) return false;
  if (statement.notActions && actionIn(statement.notActions)) return false;
  const resourceIn = (list: readonly string[]) => list.some((p) => matchesWildcard(p, request.resource));
  if (statement.resources && !resourceIn(statement.resources)) return false;
  if (statement.notResources && resourceIn(statement.notResources)) return false;
  return statement.conditions.every((c) => conditionHolds(c, request.context));
}

/**
 * @example
 *   evaluatePolicy(policy, { action: 'autoscaling:SetDesiredCapacity', resource: groupArn, context: { 'autoscaling:ResourceTag/app': 'web' } })
 *   // → 'allow' | 'explicitDeny' | 'implicitDeny'
 */
export function evaluatePolicy(policy: IamPolicy, request: AuthorizationRequest): Decision {
  let allowed = false;
  for (const statement of policy.statements) {
    if (!statementMatches(statement, request)) continue;
    if (statement.effect === 'Deny') return 'explicitDeny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicitDeny';
}
