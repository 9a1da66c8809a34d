/**
 * Listener rules (E-38): DescribeRules answers each listener's default rule
 * (Priority `default`, no conditions, the listener's default actions, as AWS
 * creates it with the listener); other rules are not modelled yet.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeRules.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html ("default rule")
 */
import { createHash } from 'node:crypto';
import type { DescribeRulesInput, DescribeRulesOutput, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsError, validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import type { Listener } from './state.js';

/**
 * The default rule's ARN: the listener's with `listener-rule/` and a rule id
 * (`arn:…:listener-rule/app/NAME/LB-ID/LISTENER-ID/RULE-ID`), stable per listener.
 */
export function defaultRuleArn(listenerArn: string): string {
  const ruleId = createHash('sha256').update(`default-rule:${listenerArn}`).digest('hex').slice(0, 16);
  return `${listenerArn.replace(':listener/', ':listener-rule/')}/${ruleId}`;
}

function defaultRule(listener: Listener): Rule {
  return {
    RuleArn: defaultRuleArn(listener.arn),
    Priority: 'default',
    Conditions: [],
    Actions: listener.defaultActions as Rule['Actions'],
    IsDefault: true,
  };
}

export function describeRules(ctx: RequestContext, input: DescribeRulesInput): DescribeRulesOutput {
  const { elbv2 } = ctx.region;
  if (input.ListenerArn && input.RuleArns?.length) throw validationError('Listener ARN and rule ARNs cannot be specified at the same time');
  if (!input.ListenerArn && !input.RuleArns?.length) throw validationError('A listener ARN or a set of rule ARNs must be specified');
  if (input.PageSize !== undefined && (input.PageSize < 1 || input.PageSize > 400)) {
    throw validationError(`1 validation error detected: Value '${input.PageSize}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400`);
  }
  if (input.ListenerArn) {
    const listener = elbv2.listeners.get(input.ListenerArn);
    if (!listener) throw new AwsError('ListenerNotFound', 'One or more listeners not found');
    return { Rules: [defaultRule(listener)] };
  }
  const byRuleArn = new Map<string, Listener>();
  for (const listener of elbv2.listeners.values()) byRuleArn.set(defaultRuleArn(listener.arn), listener);
  const rules: Rule[] = [];
  for (const arn of input.RuleArns ?? []) {
    const listener = byRuleArn.get(arn);
    if (!listener) throw new AwsError('RuleNotFound', 'One or more rules not found');
    rules.push(defaultRule(listener));
  }
  return { Rules: rules };
}
