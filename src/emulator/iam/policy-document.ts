/**
 * An IAM identity-based policy document, as `aws iam create-policy` takes it,
 * normalised for evaluation: every single-or-list element becomes a list.
 *
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * (IAM JSON policy element reference). Only identity-policy elements are
 * accepted (no Principal): the emulator enforces one caller's permissions.
 */

/** The condition operators the evaluator implements (IAM "Condition operators"), without IfExists / set prefixes. */
export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Bool',
  'Null',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface PolicyCondition {
  operator: ConditionOperator;
  /** `...IfExists`: a key absent from the request matches. */
  ifExists: boolean;
  /** `ForAnyValue:` / `ForAllValues:` for multivalued keys (aws:TagKeys). */
  set?: 'ForAnyValue' | 'ForAllValues';
  key: string;
  values: string[];
}

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** Exactly one of actions / notActions is set. */
  actions?: string[];
  notActions?: string[];
  /** Exactly one of resources / notResources is set. */
  resources?: string[];
  notResources?: string[];
  conditions: PolicyCondition[];
}

export interface IamPolicy {
  /** The document as given, for the admin API to show back. */
  readonly document: Record<string, unknown>;
  readonly statements: readonly PolicyStatement[];
}

/** A policy document that IAM would refuse (MalformedPolicyDocument); the message names the element and the fix. */
export class PolicyDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyDocumentError';
  }
}

function stringList(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number')) {
    throw new PolicyDocumentError(`${where} must be a string or a non-empty list of strings, got ${JSON.stringify(value)}`);
  }
  return list.map(String);
}

const OPERATOR_RE = new RegExp(`^(?:(ForAnyValue|ForAllValues):)?(${CONDITION_OPERATORS.join('|')})(IfExists)?$`);

function parseConditions(value: unknown, where: string): PolicyCondition[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PolicyDocumentError(`${where}.Condition must be an object { "StringEquals": { "key": "value" } }, got ${JSON.stringify(value)}`);
  }
  const out: PolicyCondition[] = [];
  for (const [op, block] of Object.entries(value as Record<string, unknown>)) {
    const m = OPERATOR_RE.exec(op);
    if (!m) throw new PolicyDocumentError(`${where}.Condition: the emulator does not evaluate the operator ${JSON.stringify(op)}; use one of ${CONDITION_OPERATORS.join(', ')} (optionally …IfExists, ForAnyValue:/ForAllValues:)`);
    if (typeof block !== 'object' || block === null || Array.isArray(block)) {
      throw new PolicyDocumentError(`${where}.Condition.${op} must be an object of condition keys, got ${JSON.stringify(block)}`);
    }
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      out.push({
        operator: m[2] as ConditionOperator,
        ifExists: m[3] !== undefined,
        ...(m[1] === undefined ? {} : { set: m[1] as 'ForAnyValue' | 'ForAllValues' }),
        key,
        values: stringList(values, `${where}.Condition.${op}.${key}`),
      });
    }
  }
  return out;
}

/**
 * Checks and normalises a policy document (a JSON text or the parsed object).
 *
 * @example
 *   parsePolicyDocument('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"autoscaling:Describe*","Resource":"*"}]}')
 */
export function parsePolicyDocument(input: string | unknown): IamPolicy {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new PolicyDocumentError(`the policy document is not JSON: ${(e as Error).message}`);
    }
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new PolicyDocumentError('the policy document must be a JSON object with "Version" and "Statement"');
  }
  const d = doc as Record<string, unknown>;
  if (d.Version !== undefined && d.Version !== '2012-10-17' && d.Version !== '2008-10-17') {
    throw new PolicyDocumentError(`Version must be "2012-10-17", got ${JSON.stringify(d.Version)}`);
  }
  if (d.Statement === undefined) throw new PolicyDocumentError('the policy document has no "Statement"; add a list of statements');
  const raw = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  const statements = raw.map((s: unknown, i: number): PolicyStatement => {
    const where = `Statement[${i}]`;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new PolicyDocumentError(`${where} must be an object`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new PolicyDocumentError(`${where}.Effect must be "Allow" or "Deny", got ${JSON.stringify(st.Effect)}`);
    if (st.Principal !== undefined || st.NotPrincipal !== undefined) {
      throw new PolicyDocumentError(`${where} has a Principal: an identity-based policy has none (it applies to whoever holds it); remove it`);
    }
    if ((st.Action === undefined) === (st.NotAction === undefined)) throw new PolicyDocumentError(`${where} needs exactly one of Action or NotAction`);
    if ((st.Resource === undefined) === (st.NotResource === undefined)) throw new PolicyDocumentError(`${where} needs exactly one of Resource or NotResource`);
    const statement: PolicyStatement = { effect: st.Effect, conditions: parseConditions(st.Condition, where) };
    if (typeof st.Sid === 'string') statement.sid = st.Sid;
    if (st.Action !== undefined) statement.actions = stringList(st.Action, `${where}.Action`);
    if (st.NotAction !== undefined) statement.notActions = stringList(st.NotAction, `${where}.NotAction`);
    if (st.Resource !== undefined) statement.resources = stringList(st.Resource, `${where}.Resource`);
    if (st.NotResource !== undefined) statement.notResources = stringList(st.NotResource, `${where}.NotResource`);
    for (const a of [...(statement.actions ?? []), ...(statement.notActions ?? [])]) {
      if (a !== '*' && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) {
        throw new PolicyDocumentError(`${where}: action ${JSON.stringify(a)} is not "service:Action" (e.g. "autoscaling:SetDesiredCapacity" or "ec2:Describe*")`);
      }
    }
    return statement;
  });
  return { document: d, statements };
}
