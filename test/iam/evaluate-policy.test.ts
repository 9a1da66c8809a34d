/**
 * IAM's evaluation logic for the cases the generated policies use, as pure
 * functions: explicit Deny wins, then Allow, else implicit deny; Action /
 * NotAction wildcards (case-insensitive), Resource ARN wildcards, and the
 * condition operators.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePolicy, matchesWildcard, parsePolicyDocument, PolicyDocumentError } from '../../src/emulator/iam/index.js';

const GROUP = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:0f1e:autoScalingGroupName/web';

const policy = parsePolicyDocument({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Describe', Effect: 'Allow', Action: 'autoscaling:Describe*', Resource: '*' },
    { Sid: 'WebOnly', Effect: 'Allow', Action: ['autoscaling:SetDesiredCapacity'], Resource: 'arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/web' },
    {
      Sid: 'Tagged',
      Effect: 'Allow',
      Action: 'autoscaling:UpdateAutoScalingGroup',
      Resource: '*',
      Condition: { StringEquals: { 'autoscaling:ResourceTag/app': 'web' } },
    },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 'autoscaling:Delete*', Resource: '*' },
    { Sid: 'AllButEc2', Effect: 'Allow', NotAction: ['ec2:*', 'autoscaling:*'], Resource: '*' },
  ],
});

test('wildcards: * runs, ? one character, actions case-insensitive, ARNs case-sensitive', () => {
  assert.equal(matchesWildcard('autoscaling:Describe*', 'AUTOSCALING:describeautoscalinggroups', true), true);
  assert.equal(matchesWildcard('ec2:Describe?mages', 'ec2:DescribeImages', true), true);
  assert.equal(matchesWildcard('ec2:Describe?mages', 'ec2:DescribeXXImages', true), false);
  assert.equal(matchesWildcard('arn:aws:ec2:*:*:launch-template/lt-1', 'arn:aws:ec2:us-east-1:1:launch-template/LT-1'), false);
  assert.equal(matchesWildcard('arn:aws:ec2:*', '*'), false, 'a specific ARN does not cover an action without resource-level permissions');
});

test('allow by action wildcard; implicit deny when nothing matches; explicit deny wins over an allow', () => {
  const ctx = {};
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:DescribeAutoScalingGroups', resource: '*', context: ctx }), 'allow');
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:SetDesiredCapacity', resource: GROUP, context: ctx }), 'allow');
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:SetDesiredCapacity', resource: GROUP.replace('/web', '/api'), context: ctx }), 'implicitDeny');
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:DeleteAutoScalingGroup', resource: GROUP, context: ctx }), 'explicitDeny');
  const allowAll = parsePolicyDocument({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*' }] });
  assert.equal(evaluatePolicy(allowAll, { action: 'ec2:RunInstances', resource: '*', context: {} }), 'explicitDeny');
  assert.equal(evaluatePolicy(allowAll, { action: 'ec2:DescribeImages', resource: '*', context: {} }), 'allow');
});

test('NotAction allows everything but the listed actions', () => {
  assert.equal(evaluatePolicy(policy, { action: 'cloudwatch:DescribeAlarms', resource: '*', context: {} }), 'allow');
  assert.equal(evaluatePolicy(policy, { action: 'ec2:DescribeImages', resource: '*', context: {} }), 'implicitDeny');
});

test('conditions: ResourceTag by StringEquals (key names case-insensitive), negated operators and IfExists on a missing key, Null, ForAllValues', () => {
  const upd = (context: Record<string, string | string[]>) => evaluatePolicy(policy, { action: 'autoscaling:UpdateAutoScalingGroup', resource: GROUP, context });
  assert.equal(upd({ 'autoscaling:ResourceTag/app': 'web' }), 'allow');
  assert.equal(upd({ 'AutoScaling:resourcetag/app': 'web' }), 'allow');
  assert.equal(upd({ 'autoscaling:ResourceTag/app': 'Web' }), 'implicitDeny', 'StringEquals is case-sensitive on values');
  assert.equal(upd({}), 'implicitDeny', 'a missing key does not equal anything');
  const ops = (Condition: Record<string, unknown>, context: Record<string, string | string[]>) =>
    evaluatePolicy(parsePolicyDocument({ Statement: [{ Effect: 'Allow', Action: 'a:B', Resource: '*', Condition }] }), { action: 'a:B', resource: '*', context });
  assert.equal(ops({ StringNotEquals: { 'x:k': 'v' } }, {}), 'allow', 'a negated operator holds when the key is missing');
  assert.equal(ops({ StringNotEquals: { 'x:k': 'v' } }, { 'x:k': 'v' }), 'implicitDeny');
  assert.equal(ops({ StringLike: { 'x:k': 'web-*' } }, { 'x:k': 'web-blue' }), 'allow');
  assert.equal(ops({ StringLike: { 'x:k': 'web-*' } }, { 'x:k': 'api-blue' }), 'implicitDeny');
  assert.equal(ops({ StringEqualsIfExists: { 'x:k': 'v' } }, {}), 'allow');
  assert.equal(ops({ StringEqualsIfExists: { 'x:k': 'v' } }, { 'x:k': 'w' }), 'implicitDeny');
  assert.equal(ops({ Null: { 'x:k': 'true' } }, {}), 'allow');
  assert.equal(ops({ Null: { 'x:k': 'true' } }, { 'x:k': 'v' }), 'implicitDeny');
  assert.equal(ops({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['asg-deploy:*'] } }, { 'aws:TagKeys': ['asg-deploy:lock', 'asg-deploy:state'] }), 'allow');
  assert.equal(ops({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['asg-deploy:*'] } }, { 'aws:TagKeys': ['asg-deploy:lock', 'owner'] }), 'implicitDeny');
  assert.equal(ops({ ArnLike: { 'ec2:LaunchTemplate': 'arn:aws:ec2:*:*:launch-template/lt-1' } }, { 'ec2:LaunchTemplate': 'arn:aws:ec2:us-east-1:1:launch-template/lt-1' }), 'allow');
  assert.equal(ops({ Bool: { 'x:b': 'true' } }, { 'x:b': 'TRUE' }), 'allow');
});

test('a document IAM would refuse is refused with the element named', () => {
  assert.throws(() => parsePolicyDocument('{nope'), (e) => e instanceof PolicyDocumentError && /not JSON/.test(e.message));
  assert.throws(() => parsePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] }), /Statement\[0\]\.Effect must be "Allow" or "Deny", got "Permit"/);
  assert.throws(() => parsePolicyDocument({ Statement: [{ Effect: 'Allow', Resource: '*' }] }), /exactly one of Action or NotAction/);
  assert.throws(() => parsePolicyDocument({ Statement: [{ Effect: 'Allow', Action: 'SetDesiredCapacity', Resource: '*' }] }), /"service:Action"/);
  assert.throws(() => parsePolicyDocument({ Statement: [{ Effect: 'Allow', Action: 'a:B', Resource: '*', Condition: { NumericLessThan: { 'x:k': '3' } } }] }), /does not evaluate the operator "NumericLessThan"/);
  assert.throws(() => parsePolicyDocument({ Version: '2020-01-01', Statement: [] }), /Version must be "2012-10-17"/);
});
