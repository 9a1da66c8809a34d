import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  PutScalingPolicyCommand,
  SetDesiredCapacityCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  EC2Client,
  RunInstancesCommand,
  type Reservation,
} from '@aws-sdk/client-ec2';
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { XMLParser } from 'fast-xml-parser';
import { AwsError } from '../../src/emulator/aws-error.js';
import {
  SERVICE_NAMES,
  decodeJsonInput,
  decodeQueryInput,
  encodeJsonError,
  encodeJsonOutput,
  encodeXmlError,
  encodeXmlOutput,
  loadServiceModel,
  serviceFromApiVersion,
  serviceFromSigningName,
  type ServiceModel,
} from '../../src/emulator/protocol/index.js';

const autoscaling = loadServiceModel('autoscaling');
const ec2 = loadServiceModel('ec2');
const elbv2 = loadServiceModel('elbv2');
const cloudwatch = loadServiceModel('cloudwatch');

// ---------------------------------------------------------------------------
// A fake transport: the real SDK v3 client serializes its request, our codec
// decodes it and encodes the answer, the real SDK parses that answer.

interface Answer {
  status: number;
  body: string;
}

/** What a request handler saw: the decoded input, for assertions. */
interface Exchange {
  operation?: string;
  input?: Record<string, unknown>;
  rawBody?: string;
}

function transport(model: ServiceModel, answer: (operation: string, input: Record<string, unknown>) => Answer, seen: Exchange) {
  return {
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        const rawBody = String(request.body ?? '');
        seen.rawBody = rawBody;
        let result: Answer;
        try {
          const decoded = decodeQueryInput(model, new URLSearchParams(rawBody));
          seen.operation = decoded.operation;
          seen.input = decoded.input;
          result = answer(decoded.operation, decoded.input);
        } catch (e) {
          result = encodeXmlError(model, e, 'req-err');
        }
        return {
          response: {
            statusCode: result.status,
            headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' },
            body: new TextEncoder().encode(result.body),
          },
        };
      },
    },
  };
}

function replying(model: ServiceModel, output: unknown) {
  return (operation: string): Answer => ({ status: 200, body: encodeXmlOutput(model, operation, output, 'req-1') });
}

function withoutMetadata<T extends { $metadata?: unknown }>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _ignored, ...rest } = output;
  return rest;
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: () => false });

// ---------------------------------------------------------------------------
// Service naming

test('service names map from signing names and API versions', () => {
  assert.deepEqual([...SERVICE_NAMES], ['autoscaling', 'ec2', 'elbv2', 'cloudwatch']);
  assert.equal(serviceFromSigningName('autoscaling'), 'autoscaling');
  assert.equal(serviceFromSigningName('ec2'), 'ec2');
  assert.equal(serviceFromSigningName('elasticloadbalancing'), 'elbv2');
  assert.equal(serviceFromSigningName('monitoring'), 'cloudwatch');
  assert.equal(serviceFromSigningName('s3'), undefined);
  assert.equal(serviceFromSigningName('toString'), undefined);
  assert.equal(serviceFromApiVersion('2011-01-01'), 'autoscaling');
  assert.equal(serviceFromApiVersion('2016-11-15'), 'ec2');
  assert.equal(serviceFromApiVersion('2015-12-01'), 'elbv2');
  assert.equal(serviceFromApiVersion('2010-08-01'), 'cloudwatch');
  assert.equal(serviceFromApiVersion('2099-01-01'), undefined);
});

test('models load once, with their protocol metadata', () => {
  assert.equal(loadServiceModel('ec2'), ec2);
  assert.equal(ec2.metadata.protocol, 'ec2');
  assert.equal(autoscaling.metadata.protocol, 'query');
  assert.equal(autoscaling.metadata.xmlNamespace, 'http://autoscaling.amazonaws.com/doc/2011-01-01/');
  assert.equal(elbv2.metadata.signingName, 'elasticloadbalancing');
  assert.equal(cloudwatch.metadata.targetPrefix, 'GraniteServiceVersion20100801');
  assert.equal(autoscaling.operations.DescribeAutoScalingGroups?.resultWrapper, 'DescribeAutoScalingGroupsResult');
  assert.equal(autoscaling.operations.SetDesiredCapacity?.output, undefined);
  assert.equal(Object.keys(ec2.operations).length, 58);
});

// ---------------------------------------------------------------------------
// awsQuery through SDK v3: Auto Scaling

test('Auto Scaling CreateAutoScalingGroup: the SDK v3 form decodes to the SDK input, empty lists included', async () => {
  const seen: Exchange = {};
  const client = new AutoScalingClient(transport(autoscaling, replying(autoscaling, undefined), seen) as never);
  const input = {
    AutoScalingGroupName: 'web',
    MinSize: 1,
    MaxSize: 4,
    DesiredCapacity: 2,
    HealthCheckType: 'ELB',
    HealthCheckGracePeriod: 60,
    LaunchTemplate: { LaunchTemplateName: 'web-lt', Version: '$Latest' },
    VPCZoneIdentifier: 'subnet-1,subnet-2',
    TargetGroupARNs: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/1'],
    TerminationPolicies: [],
    NewInstancesProtectedFromScaleIn: false,
    Tags: [{ Key: 'team', Value: 'a&b <c>', PropagateAtLaunch: true }],
  };
  const out = await client.send(new CreateAutoScalingGroupCommand(input));
  assert.match(seen.rawBody ?? '', /TerminationPolicies=(&|$)/, 'an empty list travels as X=');
  assert.match(seen.rawBody ?? '', /Tags\.member\.1\.Key=team/);
  assert.equal(seen.operation, 'CreateAutoScalingGroup');
  assert.deepEqual(seen.input, input);
  assert.equal(out.$metadata.httpStatusCode, 200);
});

test('Auto Scaling DescribeAutoScalingGroups: encoded output parses back to the same object in SDK v3', async () => {
  const group: AutoScalingGroup = {
    AutoScalingGroupName: 'web',
    AutoScalingGroupARN: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/web',
    MinSize: 1,
    MaxSize: 4,
    DesiredCapacity: 2,
    DefaultCooldown: 300,
    AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    LoadBalancerNames: [],
    TargetGroupARNs: ['arn:tg/1'],
    HealthCheckType: 'ELB',
    HealthCheckGracePeriod: 60,
    CreatedTime: new Date('2024-05-01T12:00:00.123Z'),
    Instances: [
      {
        InstanceId: 'i-0123',
        InstanceType: 't3.micro',
        AvailabilityZone: 'us-east-1a',
        LifecycleState: 'InService',
        HealthStatus: 'Healthy',
        LaunchTemplate: { LaunchTemplateId: 'lt-1', LaunchTemplateName: 'web-lt', Version: '3' },
        ProtectedFromScaleIn: false,
      },
    ],
    SuspendedProcesses: [{ ProcessName: 'Launch', SuspensionReason: 'User suspended at 2024-05-01T12:00:00Z' }],
    Tags: [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'team', Value: 'a&b <c> "d"', PropagateAtLaunch: true }],
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
  };
  const output = { AutoScalingGroups: [group], NextToken: 'tok' };
  const seen: Exchange = {};
  const client = new AutoScalingClient(transport(autoscaling, replying(autoscaling, output), seen) as never);
  const out = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'], MaxRecords: 50 }));
  assert.deepEqual(seen.input, { AutoScalingGroupNames: ['web'], MaxRecords: 50 });
  assert.deepEqual(withoutMetadata(out), output);
});

test('Auto Scaling PutScalingPolicy: nested structures, lists of structures and doubles round-trip', async () => {
  const input = {
    AutoScalingGroupName: 'web',
    PolicyName: 'cpu',
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingConfiguration: {
      PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' as const },
      TargetValue: 42.5,
      DisableScaleIn: true,
    },
  };
  const seen: Exchange = {};
  const client = new AutoScalingClient(
    transport(autoscaling, replying(autoscaling, { PolicyARN: 'arn:policy', Alarms: [{ AlarmName: 'hi', AlarmARN: 'arn:alarm' }] }), seen) as never,
  );
  const out = await client.send(new PutScalingPolicyCommand(input));
  assert.deepEqual(seen.input, input);
  assert.deepEqual(withoutMetadata(out), { PolicyARN: 'arn:policy', Alarms: [{ AlarmName: 'hi', AlarmARN: 'arn:alarm' }] });

  const policies = {
    ScalingPolicies: [
      {
        PolicyName: 'step',
        PolicyType: 'StepScaling',
        StepAdjustments: [{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10.5, ScalingAdjustment: 1 }],
        Enabled: true,
      },
    ],
  };
  const client2 = new AutoScalingClient(transport(autoscaling, replying(autoscaling, policies), {}) as never);
  assert.deepEqual(withoutMetadata(await client2.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'web' }))), policies);
});

test('Auto Scaling SetDesiredCapacity (no output shape) answers without a Result element and the SDK accepts it', async () => {
  const body = encodeXmlOutput(autoscaling, 'SetDesiredCapacity', undefined, 'req-7');
  const doc = xml.parse(body);
  assert.deepEqual(Object.keys(doc.SetDesiredCapacityResponse).filter((k) => !k.startsWith('@_')), ['ResponseMetadata']);
  assert.equal(doc.SetDesiredCapacityResponse['@_xmlns'], 'http://autoscaling.amazonaws.com/doc/2011-01-01/');
  assert.equal(doc.SetDesiredCapacityResponse.ResponseMetadata.RequestId, 'req-7');
  const seen: Exchange = {};
  const client = new AutoScalingClient(transport(autoscaling, replying(autoscaling, undefined), seen) as never);
  await client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 3, HonorCooldown: true }));
  assert.deepEqual(seen.input, { AutoScalingGroupName: 'web', DesiredCapacity: 3, HonorCooldown: true });
});

test('awsQuery lists are <member> elements inside the Result wrapper', () => {
  const body = encodeXmlOutput(autoscaling, 'DescribeAutoScalingGroups', { AutoScalingGroups: [{ AutoScalingGroupName: 'a', AvailabilityZones: ['z1', 'z2'] }] }, 'r');
  assert.match(body, /^<DescribeAutoScalingGroupsResponse xmlns="http:\/\/autoscaling\.amazonaws\.com\/doc\/2011-01-01\/"><DescribeAutoScalingGroupsResult>/);
  const doc = xml.parse(body);
  const result = doc.DescribeAutoScalingGroupsResponse.DescribeAutoScalingGroupsResult;
  assert.equal(result.AutoScalingGroups.member.AutoScalingGroupName, 'a');
  assert.deepEqual(result.AutoScalingGroups.member.AvailabilityZones.member, ['z1', 'z2']);
  assert.equal(doc.DescribeAutoScalingGroupsResponse.ResponseMetadata.RequestId, 'r');
});

test('an empty list is an empty element; undefined and unknown members are left out', () => {
  const body = encodeXmlOutput(autoscaling, 'DescribeAutoScalingGroups', { AutoScalingGroups: [], NextToken: undefined, Bogus: 'x' }, 'r');
  assert.match(body, /<DescribeAutoScalingGroupsResult><AutoScalingGroups\/><\/DescribeAutoScalingGroupsResult>/);
  assert.doesNotMatch(body, /NextToken|Bogus/);
});

// ---------------------------------------------------------------------------
// awsQuery through SDK v3: ELBv2

test('ELBv2 RegisterTargets: empty output still sends <RegisterTargetsResult/>', async () => {
  const body = encodeXmlOutput(elbv2, 'RegisterTargets', {}, 'r');
  assert.match(body, /<RegisterTargetsResponse xmlns="http:\/\/elasticloadbalancing\.amazonaws\.com\/doc\/2015-12-01\/"><RegisterTargetsResult\/><ResponseMetadata>/);
  const seen: Exchange = {};
  const client = new ElasticLoadBalancingV2Client(transport(elbv2, replying(elbv2, {}), seen) as never);
  const input = { TargetGroupArn: 'arn:tg/1', Targets: [{ Id: 'i-1', Port: 80 }, { Id: 'i-2' }] };
  await client.send(new RegisterTargetsCommand(input));
  assert.match(seen.rawBody ?? '', /Targets\.member\.2\.Id=i-2/);
  assert.deepEqual(seen.input, input);
});

test('ELBv2 DescribeTargetHealth and target group attributes round-trip through SDK v3', async () => {
  const health = {
    TargetHealthDescriptions: [
      { Target: { Id: 'i-1', Port: 80 }, HealthCheckPort: '80', TargetHealth: { State: 'healthy' as const } },
      {
        Target: { Id: 'i-2', Port: 80 },
        HealthCheckPort: '80',
        TargetHealth: { State: 'draining' as const, Reason: 'Target.DeregistrationInProgress' as const, Description: 'Target deregistration is in progress' },
      },
    ],
  };
  const client = new ElasticLoadBalancingV2Client(transport(elbv2, replying(elbv2, health), {}) as never);
  assert.deepEqual(withoutMetadata(await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: 'arn:tg/1' }))), health);

  const attributes = { Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }] };
  const seen: Exchange = {};
  const client2 = new ElasticLoadBalancingV2Client(transport(elbv2, replying(elbv2, attributes), seen) as never);
  assert.deepEqual(withoutMetadata(await client2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: 'arn:tg/1' }))), attributes);
  await client2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: 'arn:tg/1', Attributes: attributes.Attributes }));
  assert.deepEqual(seen.input, { TargetGroupArn: 'arn:tg/1', Attributes: attributes.Attributes });
});

// ---------------------------------------------------------------------------
// ec2Query through SDK v3

test('EC2 DescribeInstances: a hand-written form decodes with filters and ids', () => {
  const decoded = decodeQueryInput(
    ec2,
    new URLSearchParams('Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1.Value.1=running&InstanceId.1=i-1&MaxResults=5&DryRun=false'),
  );
  assert.deepEqual(decoded, {
    operation: 'DescribeInstances',
    input: { InstanceIds: ['i-1'], Filters: [{ Name: 'instance-state-name', Values: ['running'] }], MaxResults: 5, DryRun: false },
  });
});

test('EC2 list indexes are read in numeric order, not string order', () => {
  const params = new URLSearchParams('Action=DescribeInstances&Version=2016-11-15');
  for (let i = 12; i >= 1; i--) params.append(`InstanceId.${i}`, `i-${i}`);
  const { input } = decodeQueryInput(ec2, params);
  assert.deepEqual(input.InstanceIds, Array.from({ length: 12 }, (_, i) => `i-${i + 1}`));
});

test('EC2 DescribeInstances: output uses locationNames and <item>, and SDK v3 parses it back', async () => {
  const reservation: Reservation = {
    ReservationId: 'r-1',
    OwnerId: '123456789012',
    Groups: [],
    Instances: [
      {
        InstanceId: 'i-0abc',
        ImageId: 'ami-1',
        InstanceType: 't3.micro',
        State: { Code: 16, Name: 'running' },
        LaunchTime: new Date('2024-05-01T12:00:00.000Z'),
        Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
        PrivateIpAddress: '10.0.0.5',
        SubnetId: 'subnet-1',
        VpcId: 'vpc-1',
        EbsOptimized: false,
        SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'default' }],
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-1', Status: 'attached', DeleteOnTermination: true, AttachTime: new Date(0) } }],
        Tags: [
          { Key: 'aws:autoscaling:groupName', Value: 'web' },
          { Key: 'Name', Value: '<web> & co' },
        ],
      },
    ],
  };
  const output = { Reservations: [reservation], NextToken: undefined };
  const body = encodeXmlOutput(ec2, 'DescribeInstances', output, 'req-ec2');
  const doc = xml.parse(body);
  const root = doc.DescribeInstancesResponse;
  assert.equal(root['@_xmlns'], 'http://ec2.amazonaws.com/doc/2016-11-15/');
  assert.equal(root.requestId, 'req-ec2');
  const instance = root.reservationSet.item.instancesSet.item;
  assert.equal(instance.instanceId, 'i-0abc');
  assert.equal(instance.instanceState.name, 'running');
  assert.equal(instance.instanceState.code, '16');
  assert.equal(instance.launchTime, '2024-05-01T12:00:00.000Z');
  assert.deepEqual(instance.tagSet.item.map((t: { key: string }) => t.key), ['aws:autoscaling:groupName', 'Name']);
  assert.equal(root.reservationSet.item.groupSet, '');
  assert.doesNotMatch(body, /<member>|Result>/);

  const seen: Exchange = {};
  const client = new EC2Client(transport(ec2, replying(ec2, output), seen) as never);
  const out = await client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: ['web'] }] }));
  assert.deepEqual(seen.input, { Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: ['web'] }] });
  assert.deepEqual(withoutMetadata(out), { Reservations: [reservation] });
});

test('EC2 RunInstances: queryName, capitalised locationNames and nested lists decode; Reservation output parses', async () => {
  const input = {
    MinCount: 1,
    MaxCount: 2,
    LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '$Default' },
    SubnetId: 'subnet-1',
    SecurityGroupIds: ['sg-1', 'sg-2'],
    UserData: 'IyEvYmluL3No',
    TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [{ Key: 'k', Value: 'v' }] }],
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3' as const, DeleteOnTermination: true } }],
    NetworkInterfaces: [{ DeviceIndex: 0, Ipv6Addresses: [{ Ipv6Address: '::1' }], PrivateIpAddresses: [{ PrivateIpAddress: '10.0.0.9', Primary: true }] }],
  };
  const output = { ReservationId: 'r-9', OwnerId: '123456789012', Instances: [{ InstanceId: 'i-9', State: { Code: 0, Name: 'pending' as const } }] };
  const seen: Exchange = {};
  const client = new EC2Client(transport(ec2, replying(ec2, output), seen) as never);
  const out = await client.send(new RunInstancesCommand(input));
  assert.match(seen.rawBody ?? '', /NetworkInterface\.1\.Ipv6Addresses\.1\.Ipv6Address=/, 'queryName wins over locationName');
  assert.match(seen.rawBody ?? '', /SecurityGroupId\.2=sg-2/);
  // The SDK fills in the idempotency token itself.
  const { ClientToken, ...decoded } = seen.input ?? {};
  assert.equal(typeof ClientToken, 'string');
  assert.deepEqual(decoded, input);
  assert.deepEqual(withoutMetadata(out), output);
});

test('EC2 CreateLaunchTemplate: deep launch template data decodes to the SDK input', async () => {
  const input = {
    LaunchTemplateName: 'web-lt',
    VersionDescription: 'v1',
    LaunchTemplateData: {
      ImageId: 'ami-1',
      InstanceType: 't3.micro' as const,
      SecurityGroupIds: ['sg-1'],
      TagSpecifications: [{ ResourceType: 'instance' as const, Tags: [{ Key: 'app', Value: 'web' }] }],
      MetadataOptions: { HttpTokens: 'required' as const },
    },
  };
  const output = {
    LaunchTemplate: { LaunchTemplateId: 'lt-1', LaunchTemplateName: 'web-lt', DefaultVersionNumber: 1, LatestVersionNumber: 1, CreateTime: new Date('2024-01-01T00:00:00.000Z') },
  };
  const seen: Exchange = {};
  const client = new EC2Client(transport(ec2, replying(ec2, output), seen) as never);
  const out = await client.send(new CreateLaunchTemplateCommand(input));
  const { ClientToken, ...decoded } = seen.input ?? {};
  assert.equal(typeof ClientToken, 'string');
  assert.deepEqual(decoded, input);
  assert.deepEqual(withoutMetadata(out), output);
});

test('EC2 operations without output answer <return>true</return>', async () => {
  const body = encodeXmlOutput(ec2, 'CreateTags', undefined, 'r');
  assert.equal(xml.parse(body).CreateTagsResponse.return, 'true');
  const seen: Exchange = {};
  const client = new EC2Client(transport(ec2, replying(ec2, undefined), seen) as never);
  await client.send(new CreateTagsCommand({ Resources: ['i-1', 'ami-2'], Tags: [{ Key: 'emulator:health', Value: 'flaky:0.5' }] }));
  assert.deepEqual(seen.input, { Resources: ['i-1', 'ami-2'], Tags: [{ Key: 'emulator:health', Value: 'flaky:0.5' }] });
});

test('EC2 DescribeInstanceTypes: doubles, longs and nested info structures parse in SDK v3', async () => {
  const output = {
    InstanceTypes: [
      {
        InstanceType: 't3.micro' as const,
        CurrentGeneration: true,
        VCpuInfo: { DefaultVCpus: 2, ValidCores: [1] },
        MemoryInfo: { SizeInMiB: 1024 },
        ProcessorInfo: { SupportedArchitectures: ['x86_64' as const], SustainedClockSpeedInGhz: 2.5 },
      },
    ],
  };
  const client = new EC2Client(transport(ec2, replying(ec2, output), {}) as never);
  assert.deepEqual(withoutMetadata(await client.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro'] }))), output);
});

// ---------------------------------------------------------------------------
// Errors

test('awsQuery errors: ErrorResponse with Type, Code, Message and RequestId; SDK v3 raises the code', async () => {
  const { status, body } = encodeXmlError(autoscaling, new AwsError('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances <or> scaling activities in progress.'), 'req-x');
  assert.equal(status, 400);
  const doc = xml.parse(body).ErrorResponse;
  assert.equal(doc['@_xmlns'], 'http://autoscaling.amazonaws.com/doc/2011-01-01/');
  assert.deepEqual(doc.Error, {
    Type: 'Sender',
    Code: 'ResourceInUse',
    Message: 'You cannot delete an AutoScalingGroup while there are instances <or> scaling activities in progress.',
  });
  assert.match(body, /instances &lt;or&gt; scaling/);
  assert.equal(doc.RequestId, 'req-x');

  const client = new AutoScalingClient(
    transport(autoscaling, () => encodeXmlError(autoscaling, new AwsError('ValidationError', 'Desired capacity:9 must be between the specified min size:1 and max size:4'), 'r'), {}) as never,
  );
  await assert.rejects(client.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 9 })), (e: Error) => {
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.message, 'Desired capacity:9 must be between the specified min size:1 and max size:4');
    return true;
  });
});

test('EC2 errors: Response/Errors/Error with RequestID; SDK v3 raises the code', async () => {
  const { status, body } = encodeXmlError(ec2, new AwsError('InvalidInstanceID.NotFound', "The instance ID 'i-1' does not exist"), 'req-e');
  assert.equal(status, 400);
  const doc = xml.parse(body).Response;
  assert.deepEqual(doc.Errors.Error, { Code: 'InvalidInstanceID.NotFound', Message: "The instance ID 'i-1' does not exist" });
  assert.equal(doc.RequestID, 'req-e');
  const client = new EC2Client(transport(ec2, () => ({ status, body }), {}) as never);
  await assert.rejects(client.send(new DescribeInstancesCommand({ InstanceIds: ['i-1'] })), (e: Error) => {
    assert.equal(e.name, 'InvalidInstanceID.NotFound');
    assert.equal(e.message, "The instance ID 'i-1' does not exist");
    return true;
  });
});

test('a non-AwsError is rendered as the service internal error with HTTP 500', () => {
  const query = encodeXmlError(elbv2, new TypeError('boom'), 'r');
  assert.equal(query.status, 500);
  assert.equal(xml.parse(query.body).ErrorResponse.Error.Type, 'Receiver');
  assert.equal(xml.parse(query.body).ErrorResponse.Error.Code, 'InternalFailure');
  assert.doesNotMatch(query.body, /boom/);
  const e = encodeXmlError(ec2, 'boom', 'r');
  assert.equal(e.status, 500);
  assert.equal(xml.parse(e.body).Response.Errors.Error.Code, 'InternalError');
});

// ---------------------------------------------------------------------------
// E-22: malformed input

function decodeError(model: ServiceModel, form: string): AwsError {
  try {
    decodeQueryInput(model, new URLSearchParams(form));
  } catch (e) {
    assert.ok(AwsError.isAwsError(e), `expected an AwsError, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${form} to be refused`);
}

test('E-22 unknown action: InvalidAction in each protocol wording', () => {
  const asg = decodeError(autoscaling, 'Action=LaunchRockets&Version=2011-01-01');
  assert.equal(asg.code, 'InvalidAction');
  assert.equal(asg.status, 400);
  assert.equal(asg.message, 'Could not find operation LaunchRockets for version 2011-01-01');
  const elb = decodeError(elbv2, 'Action=DescribeTargetGroups&Version=2011-01-01');
  assert.equal(elb.code, 'InvalidAction');
  assert.equal(elb.message, 'Could not find operation DescribeTargetGroups for version 2011-01-01');
  const e = decodeError(ec2, 'Action=LaunchRockets&Version=2016-11-15');
  assert.equal(e.code, 'InvalidAction');
  assert.equal(e.message, 'The action LaunchRockets is not valid for this web service.');
  // An operation the emulator does not model is as unknown as a made-up one.
  assert.equal(decodeError(ec2, 'Action=CreateVpc&Version=2016-11-15').code, 'InvalidAction');
  assert.equal(decodeError(autoscaling, 'Action=toString&Version=2011-01-01').code, 'InvalidAction');
  assert.equal(decodeError(autoscaling, 'Version=2011-01-01').code, 'MissingAction');
});

test('E-22 missing required parameter, awsQuery: Coral ValidationError naming the lowerCamel member', () => {
  const top = decodeError(autoscaling, 'Action=SetDesiredCapacity&Version=2011-01-01&DesiredCapacity=2');
  assert.equal(top.code, 'ValidationError');
  assert.equal(top.status, 400);
  assert.equal(top.message, "1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null");
  const nested = decodeError(autoscaling, 'Action=CreateOrUpdateTags&Version=2011-01-01&Tags.member.1.ResourceId=web&Tags.member.1.ResourceType=auto-scaling-group&Tags.member.1.Value=v');
  assert.equal(nested.message, "1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null");
  const two = decodeError(autoscaling, 'Action=CreateAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=web');
  assert.equal(
    two.message,
    "2 validation errors detected: Value null at 'maxSize' failed to satisfy constraint: Member must not be null; Value null at 'minSize' failed to satisfy constraint: Member must not be null",
  );
});

test('E-22 missing required parameter, EC2: MissingParameter naming the wire parameter', () => {
  const e = decodeError(ec2, 'Action=DeleteSnapshot&Version=2016-11-15');
  assert.equal(e.code, 'MissingParameter');
  assert.equal(e.message, 'The request must contain the parameter SnapshotId');
  const run = decodeError(ec2, 'Action=RunInstances&Version=2016-11-15&MinCount=1&ImageId=ami-1');
  assert.equal(run.message, 'The request must contain the parameter MaxCount');
  const nested = decodeError(ec2, 'Action=CreateLaunchTemplate&Version=2016-11-15&LaunchTemplateName=x');
  assert.equal(nested.message, 'The request must contain the parameter LaunchTemplateData');
});

test('E-22 wrong types: ValidationError (awsQuery) or InvalidParameterValue (EC2) naming the parameter', () => {
  const n = decodeError(autoscaling, 'Action=SetDesiredCapacity&Version=2011-01-01&AutoScalingGroupName=web&DesiredCapacity=two');
  assert.equal(n.code, 'ValidationError');
  assert.match(n.message, /Value 'two' at 'desiredCapacity' failed to satisfy constraint: Member must be an integer/);
  const b = decodeError(autoscaling, 'Action=DeleteAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=web&ForceDelete=maybe');
  assert.match(b.message, /Value 'maybe' at 'forceDelete' failed to satisfy constraint: Member must be a boolean/);
  const t = decodeError(autoscaling, 'Action=PutScheduledUpdateGroupAction&Version=2011-01-01&AutoScalingGroupName=web&ScheduledActionName=s&StartTime=tomorrow');
  assert.match(t.message, /Value 'tomorrow' at 'startTime' failed to satisfy constraint: Member must be a timestamp/);
  const d = decodeError(autoscaling, 'Action=PutScalingPolicy&Version=2011-01-01&AutoScalingGroupName=web&PolicyName=p&TargetTrackingConfiguration.TargetValue=lots');
  assert.match(d.message, /Value 'lots' at 'targetTrackingConfiguration.targetValue' failed to satisfy constraint: Member must be a number/);

  const ec2Int = decodeError(ec2, 'Action=DescribeInstances&Version=2016-11-15&MaxResults=ten');
  assert.equal(ec2Int.code, 'InvalidParameterValue');
  assert.match(ec2Int.message, /^Invalid value 'ten' for MaxResults\./);
  const ec2Bool = decodeError(ec2, 'Action=DescribeInstances&Version=2016-11-15&DryRun=yes');
  assert.equal(ec2Bool.code, 'InvalidParameterValue');
  assert.match(ec2Bool.message, /for DryRun/);
});

test('E-22 constraints (awsQuery): enum, length and range, all reported at once', () => {
  const e = decodeError(elbv2, 'Action=CreateTargetGroup&Version=2015-12-01&Name=web&Protocol=GOPHER&Port=0');
  assert.equal(e.code, 'ValidationError');
  assert.match(e.message, /^2 validation errors detected: /);
  assert.match(e.message, /Value 'GOPHER' at 'protocol' failed to satisfy constraint: Member must satisfy enum value set: \[HTTP, HTTPS, /);
  assert.match(e.message, /Value '0' at 'port' failed to satisfy constraint: Member must have value greater than or equal to 1/);
  const long = decodeError(autoscaling, `Action=DeleteAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=${'x'.repeat(256)}`);
  assert.match(long.message, /at 'autoScalingGroupName' failed to satisfy constraint: Member must have length less than or equal to 255$/);
  const empty = decodeError(autoscaling, 'Action=DeleteAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=');
  assert.match(empty.message, /Member must have length greater than or equal to 1$/);
});

test('E-22 unknown extra parameters are ignored, as AWS does', () => {
  const { input } = decodeQueryInput(autoscaling, new URLSearchParams('Action=DeleteAutoScalingGroup&Version=2011-01-01&AutoScalingGroupName=web&Colour=blue&Foo.member.1=x'));
  assert.deepEqual(input, { AutoScalingGroupName: 'web' });
});

test('timestamps decode from ISO 8601 with or without milliseconds and zone, and from epoch seconds', () => {
  const at = (text: string) =>
    decodeQueryInput(
      autoscaling,
      new URLSearchParams({ Action: 'PutScheduledUpdateGroupAction', Version: '2011-01-01', AutoScalingGroupName: 'w', ScheduledActionName: 's', StartTime: text }),
    ).input.StartTime;
  assert.deepEqual(at('2024-05-01T12:00:00Z'), new Date('2024-05-01T12:00:00.000Z'));
  assert.deepEqual(at('2024-05-01T12:00:00.250Z'), new Date('2024-05-01T12:00:00.250Z'));
  assert.deepEqual(at('2024-05-01T12:00:00'), new Date('2024-05-01T12:00:00.000Z'));
  assert.deepEqual(at('2024-05-01T13:00:00+01:00'), new Date('2024-05-01T12:00:00.000Z'));
  assert.deepEqual(at('2024-05-01T13:00:00+0100'), new Date('2024-05-01T12:00:00.000Z'));
  assert.deepEqual(at('1714564800'), new Date('2024-05-01T12:00:00.000Z'));
});

test('awsQuery maps are <entry><key/><value/></entry>', () => {
  // No awsQuery map reaches our operations' outputs in these models, so build one.
  const model: ServiceModel = {
    metadata: { ...autoscaling.metadata },
    operations: { GetThing: { output: 'Out', resultWrapper: 'GetThingResult' } },
    shapes: {
      Out: { type: 'structure', members: { Things: { shape: 'ThingMap' } } },
      ThingMap: { type: 'map', key: { shape: 'S' }, value: { shape: 'S' } },
      S: { type: 'string' },
    },
  };
  const body = encodeXmlOutput(model, 'GetThing', { Things: { a: '1', b: '2' } }, 'r');
  assert.match(body, /<Things><entry><key>a<\/key><value>1<\/value><\/entry><entry><key>b<\/key><value>2<\/value><\/entry><\/Things>/);
});

// ---------------------------------------------------------------------------
// CloudWatch awsJson 1.0

test('CloudWatch JSON: input decodes with epoch-second timestamps and doubles', () => {
  const { operation, input } = decodeJsonInput(
    cloudwatch,
    'GraniteServiceVersion20100801.PutMetricData',
    JSON.stringify({ Namespace: 'App', MetricData: [{ MetricName: 'load', Value: 0.75, Timestamp: 1714564800, Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }] }] }),
  );
  assert.equal(operation, 'PutMetricData');
  assert.deepEqual(input, {
    Namespace: 'App',
    MetricData: [{ MetricName: 'load', Value: 0.75, Timestamp: new Date('2024-05-01T12:00:00.000Z'), Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }] }],
  });
});

test('CloudWatch JSON: output encodes timestamps as epoch seconds and drops unknown members', () => {
  const body = encodeJsonOutput(cloudwatch, 'DescribeAlarms', {
    MetricAlarms: [{ AlarmName: 'hi', StateValue: 'ALARM', StateUpdatedTimestamp: new Date('2024-05-01T12:00:00.500Z'), Threshold: 70, Internal: 1 }],
  });
  assert.deepEqual(JSON.parse(body), { MetricAlarms: [{ AlarmName: 'hi', StateValue: 'ALARM', StateUpdatedTimestamp: 1714564800.5, Threshold: 70 }] });
  assert.equal(encodeJsonOutput(cloudwatch, 'SetAlarmState', undefined), '{}');
});

test('CloudWatch JSON: errors carry __type, message and the query-compatible header', () => {
  const e = encodeJsonError(cloudwatch, new AwsError('InvalidParameterValue', 'bad value'), 'req-j');
  assert.equal(e.status, 400);
  assert.deepEqual(JSON.parse(e.body), { __type: 'InvalidParameterValueException', message: 'bad value' });
  assert.equal(e.headers['x-amzn-query-error'], 'InvalidParameterValue;Sender');
  assert.equal(e.headers['content-type'], 'application/x-amz-json-1.0');
  const nf = encodeJsonError(cloudwatch, new AwsError('ResourceNotFound', 'no alarm'));
  assert.equal(JSON.parse(nf.body).__type, 'ResourceNotFound');
});

test('CloudWatch JSON E-22: unknown target, bad JSON, missing and mistyped members', () => {
  const err = (target: string, body: string): AwsError => {
    try {
      decodeJsonInput(cloudwatch, target, body);
    } catch (e) {
      assert.ok(AwsError.isAwsError(e));
      return e;
    }
    assert.fail('expected a refusal');
  };
  assert.equal(err('GraniteServiceVersion20100801.LaunchRockets', '{}').code, 'InvalidAction');
  assert.equal(err('Wrong.DescribeAlarms', '{}').code, 'InvalidAction');
  assert.equal(err('GraniteServiceVersion20100801.DescribeAlarms', '{"AlarmNames":').code, 'SerializationException');
  const missing = err('GraniteServiceVersion20100801.SetAlarmState', JSON.stringify({ AlarmName: 'a', StateValue: 'OK' }));
  assert.equal(missing.code, 'ValidationError');
  assert.equal(missing.message, "1 validation error detected: Value null at 'stateReason' failed to satisfy constraint: Member must not be null");
  const typed = err('GraniteServiceVersion20100801.PutMetricData', JSON.stringify({ Namespace: 'n', MetricData: [{ MetricName: 'm', Value: 'high' }] }));
  assert.match(typed.message, /Value 'high' at 'metricData.1.member.value' failed to satisfy constraint: Member must be a number/);
  const en = err('GraniteServiceVersion20100801.SetAlarmState', JSON.stringify({ AlarmName: 'a', StateValue: 'ON_FIRE', StateReason: 'r' }));
  assert.match(en.message, /Member must satisfy enum value set: \[OK, ALARM, INSUFFICIENT_DATA\]/);
});

test('CloudWatch also decodes as awsQuery (older CLIs)', () => {
  const { input } = decodeQueryInput(cloudwatch, new URLSearchParams('Action=DeleteAlarms&Version=2010-08-01&AlarmNames.member.1=a&AlarmNames.member.2=b'));
  assert.deepEqual(input, { AlarmNames: ['a', 'b'] });
  const body = encodeXmlOutput(cloudwatch, 'DescribeAlarms', { MetricAlarms: [{ AlarmName: 'a' }] }, 'r');
  assert.match(body, /<DescribeAlarmsResult><MetricAlarms><member><AlarmName>a<\/AlarmName><\/member><\/MetricAlarms><\/DescribeAlarmsResult>/);
});

// ---------------------------------------------------------------------------
// Text and speed

test('text is escaped; control characters XML cannot carry are dropped; \\r survives', () => {
  const body = encodeXmlOutput(elbv2, 'DescribeTargetGroupAttributes', { Attributes: [{ Key: 'k', Value: 'a<b>&c\r\nd\u0001e' }] }, 'r&1');
  assert.match(body, /<Value>a&lt;b&gt;&amp;c&#xD;\nde<\/Value>/);
  assert.match(body, /<RequestId>r&amp;1<\/RequestId>/);
});

test('a DescribeInstances of 500 instances serializes fast', (t) => {
  const instances = Array.from({ length: 500 }, (_, i) => ({
    InstanceId: `i-${i.toString(16).padStart(17, '0')}`,
    ImageId: 'ami-1',
    InstanceType: 't3.micro',
    State: { Code: 16, Name: 'running' },
    LaunchTime: new Date(1714564800000 + i),
    Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
    PrivateIpAddress: `10.0.${i >> 8}.${i & 255}`,
    SubnetId: 'subnet-1',
    VpcId: 'vpc-1',
    SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'default' }],
    Tags: [
      { Key: 'aws:autoscaling:groupName', Value: 'web' },
      { Key: 'Name', Value: `web-${i}` },
    ],
  }));
  const output = { Reservations: instances.map((instance, i) => ({ ReservationId: `r-${i}`, OwnerId: '123456789012', Instances: [instance] })) };
  encodeXmlOutput(ec2, 'DescribeInstances', output, 'warm-up');
  const start = performance.now();
  const rounds = 10;
  let body = '';
  for (let i = 0; i < rounds; i++) body = encodeXmlOutput(ec2, 'DescribeInstances', output, 'r');
  const perCall = (performance.now() - start) / rounds;
  assert.equal(body.match(/<instanceId>/g)?.length, 500);
  assert.ok(perCall < 50, `500 instances took ${perCall.toFixed(1)} ms per call`);
  t.diagnostic(`DescribeInstances of 500 instances: ${perCall.toFixed(2)} ms, ${body.length} bytes`);
});
