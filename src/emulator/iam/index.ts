export { parsePolicyDocument, PolicyDocumentError, CONDITION_OPERATORS } from './policy-document.js';
export type { IamPolicy, PolicyStatement, PolicyCondition, ConditionOperator } from './policy-document.js';
export { evaluatePolicy, matchesWildcard, conditionHolds, statementMatches } from './evaluate-policy.js';
export type { AuthorizationRequest, Decision } from './evaluate-policy.js';
export { authorizationChecks, IAM_PREFIX } from './authorization-requests.js';
export type { AuthorizationCheck } from './authorization-requests.js';
export { setIamPolicy, clearIamPolicy, currentIamPolicy, authorizeCall, accessDeniedError, callerArn } from './iam-enforcement.js';
