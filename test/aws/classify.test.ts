import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  awsErrorCode,
  isAborted,
  isAccessDenied,
  isConflict,
  isCredentialsError,
  isGroupNotFound,
  isLimitExceeded,
  isNetworkError,
  isNotFound,
  isRegionMissing,
  isServerFault,
  isThrottling,
  isTransient,
  isValidation,
  parseAccessDenied,
  toAsgDeployError,
} from '../../src/aws/index.js';
import { AsgDeployError, isAsgDeployError } from '../../src/core/index.js';

/** An error shaped like the SDK's ServiceException. */
function awsError(name: string, message = 'boom', httpStatusCode = 400, fault: 'client' | 'server' = 'client') {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode, requestId: 'req-1' } });
}

const netError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

type Kind = 'throttling' | 'server' | 'network' | 'notFound' | 'validation' | 'accessDenied' | 'credentials' | 'conflict' | 'limit' | 'none';

const table: [string, unknown, Kind][] = [
  ['Throttling (Auto Scaling)', awsError('Throttling', 'Rate exceeded'), 'throttling'],
  ['ThrottlingException', awsError('ThrottlingException', 'Rate exceeded'), 'throttling'],
  ['RequestLimitExceeded (EC2)', awsError('RequestLimitExceeded', 'Request limit exceeded.', 503, 'server'), 'throttling'],
  ['TooManyRequestsException', awsError('TooManyRequestsException'), 'throttling'],
  ['429 with an odd name', awsError('SomethingElse', 'slow down', 429), 'throttling'],
  ['SlowDown', awsError('SlowDown'), 'throttling'],
  ['PriorRequestNotComplete', awsError('PriorRequestNotComplete'), 'throttling'],
  ['$retryable throttling', Object.assign(awsError('Odd'), { $retryable: { throttling: true } }), 'throttling'],
  ['500 InternalFailure', awsError('InternalFailure', 'internal', 500, 'server'), 'server'],
  ['503 ServiceUnavailable', awsError('ServiceUnavailable', 'down', 503, 'server'), 'server'],
  ['InternalError without status', Object.assign(new Error('x'), { name: 'InternalError' }), 'server'],
  ['$fault server', awsError('Weird', 'x', 400, 'server'), 'server'],
  ['ECONNRESET', netError('ECONNRESET'), 'network'],
  ['ETIMEDOUT', netError('ETIMEDOUT'), 'network'],
  ['TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'network'],
  ['socket hang up', new Error('socket hang up'), 'network'],
  ['InvalidInstanceID.NotFound', awsError('InvalidInstanceID.NotFound', "The instance ID 'i-123' does not exist"), 'notFound'],
  ['InvalidAMIID.NotFound', awsError('InvalidAMIID.NotFound'), 'notFound'],
  ['InvalidLaunchTemplateName.NotFoundException', awsError('InvalidLaunchTemplateName.NotFoundException'), 'notFound'],
  ['InvalidLaunchTemplateId.VersionNotFound', awsError('InvalidLaunchTemplateId.VersionNotFound'), 'notFound'],
  ['InvalidSnapshot.NotFound', awsError('InvalidSnapshot.NotFound'), 'notFound'],
  ['TargetGroupNotFoundException (modelled)', awsError('TargetGroupNotFoundException'), 'notFound'],
  ['TargetGroupNotFound (wire)', awsError('TargetGroupNotFound'), 'notFound'],
  ['ActiveInstanceRefreshNotFoundFault', awsError('ActiveInstanceRefreshNotFoundFault'), 'notFound'],
  ['ASG group not found', awsError('ValidationError', 'AutoScalingGroup name not found - AutoScalingGroup web not found'), 'notFound'],
  ['ASG instance not found', awsError('ValidationError', 'Instance Id not found - No managed instance found for instance ID: i-1'), 'notFound'],
  ['ValidationError sizes', awsError('ValidationError', 'Desired capacity:13 must be between the specified min size:1 and max size:10'), 'validation'],
  ['ValidationException', awsError('ValidationException'), 'validation'],
  ['InvalidParameterValue', awsError('InvalidParameterValue'), 'validation'],
  ['InvalidParameterCombination', awsError('InvalidParameterCombination'), 'validation'],
  ['MissingParameter', awsError('MissingParameter'), 'validation'],
  ['InvalidInstanceID.Malformed', awsError('InvalidInstanceID.Malformed'), 'validation'],
  ['InvalidTargetException', awsError('InvalidTargetException'), 'validation'],
  ['AccessDenied', awsError('AccessDenied', 'User: arn:aws:iam::1:user/ci is not authorized to perform: autoscaling:SetDesiredCapacity', 403), 'accessDenied'],
  ['AccessDeniedException', awsError('AccessDeniedException', 'no', 400), 'accessDenied'],
  ['UnauthorizedOperation (EC2)', awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403), 'accessDenied'],
  ['bare 403', awsError('Odd', 'forbidden', 403), 'accessDenied'],
  ['CredentialsProviderError', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'credentials'],
  ['AuthFailure (EC2)', awsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401), 'credentials'],
  ['InvalidClientTokenId', awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403), 'credentials'],
  ['ExpiredToken', awsError('ExpiredToken', 'expired', 403), 'credentials'],
  ['SignatureDoesNotMatch', awsError('SignatureDoesNotMatch', 'sig', 403), 'credentials'],
  ['ResourceInUseFault', awsError('ResourceInUseFault', 'in use'), 'conflict'],
  ['ResourceInUse (wire)', awsError('ResourceInUse', 'in use'), 'conflict'],
  ['ScalingActivityInProgressFault', awsError('ScalingActivityInProgressFault'), 'conflict'],
  ['InstanceRefreshInProgressFault', awsError('InstanceRefreshInProgressFault'), 'conflict'],
  ['AlreadyExistsFault', awsError('AlreadyExistsFault'), 'conflict'],
  ['InvalidAMIName.Duplicate', awsError('InvalidAMIName.Duplicate'), 'conflict'],
  ['IncorrectState', awsError('IncorrectState'), 'conflict'],
  ['LimitExceededFault (ASG quota)', awsError('LimitExceededFault', 'You have reached your limit'), 'limit'],
  ['TooManyTargetsException', awsError('TooManyTargetsException'), 'limit'],
  ['InstanceLimitExceeded', awsError('InstanceLimitExceeded'), 'limit'],
  ['plain Error', new Error('nope'), 'none'],
  ['a string', 'nope', 'none'],
  ['null', null, 'none'],
];

test('classification table: each error is exactly what it should be', () => {
  const predicates: Record<Exclude<Kind, 'none'>, (e: unknown) => boolean> = {
    throttling: isThrottling,
    server: isServerFault,
    network: isNetworkError,
    notFound: isNotFound,
    validation: isValidation,
    accessDenied: isAccessDenied,
    credentials: isCredentialsError,
    conflict: isConflict,
    limit: isLimitExceeded,
  };
  for (const [label, error, kind] of table) {
    for (const [name, predicate] of Object.entries(predicates)) {
      // RequestLimitExceeded comes with a 503: it is throttling first, and also a server status
      if (label.startsWith('RequestLimitExceeded') && name === 'server') continue;
      assert.equal(predicate(error), name === kind, `${name}(${label})`);
    }
  }
});

test('transient: server faults, network errors, clock skew, ResourceContention; not throttling or client errors', () => {
  assert.ok(isTransient(awsError('InternalFailure', 'x', 500, 'server')));
  assert.ok(isTransient(netError('ECONNRESET')));
  assert.ok(isTransient(awsError('RequestExpired')));
  assert.ok(isTransient(awsError('ResourceContentionFault', 'You already have a pending update')));
  assert.equal(isTransient(awsError('ValidationError')), false);
  assert.equal(isTransient(awsError('Throttling')), false);
  assert.equal(isTransient(new Error('x')), false);
});

test('awsErrorCode strips the SDK suffixes', () => {
  assert.equal(awsErrorCode(awsError('ResourceInUseFault')), 'ResourceInUse');
  assert.equal(awsErrorCode(awsError('TargetGroupNotFoundException')), 'TargetGroupNotFound');
  assert.equal(awsErrorCode(awsError('InvalidInstanceID.NotFound')), 'InvalidInstanceID.NotFound');
  assert.equal(awsErrorCode(new Error('x')), undefined);
  assert.equal(awsErrorCode(undefined), undefined);
});

test('group not found, region missing, aborted', () => {
  assert.ok(isGroupNotFound(awsError('ValidationError', 'AutoScalingGroup name not found - AutoScalingGroup web not found')));
  assert.equal(isGroupNotFound(awsError('ValidationError', 'Instance Id not found')), false);
  assert.ok(isRegionMissing(new Error('Region is missing')));
  assert.equal(isRegionMissing(new Error('region')), false);
  assert.ok(isAborted(Object.assign(new Error('aborted'), { name: 'AbortError' })));
  assert.equal(isAborted(new Error('x')), false);
});

test('parseAccessDenied names the action, resource and principal', () => {
  const asg =
    'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: autoscaling:SetDesiredCapacity on resource: arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:abc:autoScalingGroupName/web because no identity-based policy allows the autoscaling:SetDesiredCapacity action';
  assert.deepEqual(parseAccessDenied(asg), {
    action: 'autoscaling:SetDesiredCapacity',
    resource: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:abc:autoScalingGroupName/web',
    principal: 'arn:aws:iam::123456789012:user/ci',
  });
  const ec2 =
    'You are not authorized to perform this operation. User: arn:aws:sts::1:assumed-role/deploy/s is not authorized to perform: ec2:CreateImage on resource: arn:aws:ec2:us-east-1::image/* because no identity-based policy allows the ec2:CreateImage action. Encoded authorization failure message: abc';
  assert.deepEqual(parseAccessDenied(ec2), {
    action: 'ec2:CreateImage',
    resource: 'arn:aws:ec2:us-east-1::image/*',
    principal: 'arn:aws:sts::1:assumed-role/deploy/s',
  });
  assert.deepEqual(parseAccessDenied('User: arn:x is not authorized to perform: elasticloadbalancing:DescribeTargetHealth'), {
    action: 'elasticloadbalancing:DescribeTargetHealth',
    principal: 'arn:x',
  });
  assert.deepEqual(parseAccessDenied('Access denied'), {});
});

test('toAsgDeployError: codes, lowercase messages that name the call and what to do', () => {
  const ctx = { service: 'autoscaling' as const, operation: 'SetDesiredCapacity', resource: 'web', attempts: 8 };
  const cases: [unknown, string, RegExp][] = [
    [awsError('Throttling', 'Rate exceeded'), 'THROTTLED', /^aws kept throttling autoscaling:SetDesiredCapacity for web after 8 attempts: Rate exceeded \(Throttling\)$/],
    [
      awsError('AccessDenied', 'User: arn:aws:iam::1:user/ci is not authorized to perform: autoscaling:SetDesiredCapacity on resource: arn:g because no identity-based policy allows it', 403),
      'ACCESS_DENIED',
      /^not allowed to call autoscaling:SetDesiredCapacity on arn:g: grant autoscaling:SetDesiredCapacity to arn:aws:iam::1:user\/ci$/,
    ],
    [awsError('AccessDenied', 'Access denied', 403), 'ACCESS_DENIED', /^not allowed to call autoscaling:SetDesiredCapacity: grant autoscaling:SetDesiredCapacity to the caller$/],
    [awsError('ValidationError', 'AutoScalingGroup name not found - AutoScalingGroup web not found'), 'GROUP_NOT_FOUND', /^auto scaling group "web" not found .*check the name and the region$/],
    [awsError('InvalidAMIID.NotFound', "The image id '[ami-1]' does not exist"), 'NOT_FOUND', /ami-1.*InvalidAMIID\.NotFound/],
    [awsError('ValidationError', 'Desired capacity:13 must be between the specified min size:1 and max size:10'), 'AWS_VALIDATION', /^aws rejected autoscaling:SetDesiredCapacity for web: Desired capacity:13/],
    [awsError('ScalingActivityInProgressFault', 'Scaling activity is in progress'), 'CONFLICT', /in progress/],
    [awsError('LimitExceededFault', 'limit'), 'LIMIT_EXCEEDED', /hit an aws limit/],
    [awsError('InternalFailure', 'oops', 500, 'server'), 'AWS_SERVER', /^aws failed to answer .* after 8 attempts/],
    [netError('ECONNREFUSED'), 'NETWORK', /^could not reach aws/],
    [new Error('Region is missing'), 'NO_REGION', /^no aws region is configured: pass --region or set AWS_REGION$/],
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'NO_CREDENTIALS', /credentials were missing or refused/],
    [Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }), 'INTERRUPTED', /was interrupted$/],
    [awsError('SomethingNew', 'new failure'), 'AWS_ERROR', /^autoscaling:SetDesiredCapacity for web failed: new failure \(SomethingNew\)$/],
  ];
  for (const [error, code, message] of cases) {
    const converted = toAsgDeployError(error, ctx);
    assert.equal(converted.code, code, `${code}: ${converted.message}`);
    assert.match(converted.message, message);
    assert.match(converted.message, /^[a-z]/, 'message starts lowercase');
    assert.equal(converted.cause, error);
    assert.equal(converted.details?.action, 'autoscaling:SetDesiredCapacity');
    if (code !== 'AWS_ERROR' && code !== 'INTERRUPTED' && code !== 'GROUP_NOT_FOUND' ) assert.ok((converted.hint ?? '').length > 0, `${code} has a hint`);
  }
  const denied = toAsgDeployError(awsError('AccessDenied', 'User: u is not authorized to perform: ec2:CreateImage', 403), { service: 'ec2', operation: 'CreateImage' });
  assert.equal(denied.details?.missingAction, 'ec2:CreateImage');
  assert.equal(denied.details?.httpStatusCode, 403);
  assert.equal(denied.details?.requestId, 'req-1');
  assert.equal(denied.fault, 'user');
  assert.equal(toAsgDeployError(awsError('Throttling'), ctx).fault, 'aws');
});

test('toAsgDeployError passes AsgDeployErrors through', () => {
  const original = new AsgDeployError('LOCKED', 'locked');
  assert.equal(toAsgDeployError(original, { service: 'ec2', operation: 'X' }), original);
  assert.ok(isAsgDeployError(toAsgDeployError('weird', { service: 'ec2', operation: 'X' }), 'AWS_ERROR'));
});
