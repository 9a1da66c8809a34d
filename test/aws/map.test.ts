import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LifecycleState as SdkLifecycleState } from '@aws-sdk/client-auto-scaling';
import { TargetHealthStateEnum } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LIFECYCLE_STATES, TARGET_HEALTH_STATES } from '../../src/core/index.js';
import { targetHealthById, toEc2Details, toGroup, toInstance, toLaunchTemplateSpecification, toTargetHealthEntry } from '../../src/aws/map.js';

test('core lifecycle and target states match the SDK enums exactly', () => {
  assert.deepEqual([...LIFECYCLE_STATES].sort(), Object.values(SdkLifecycleState).sort());
  assert.deepEqual([...TARGET_HEALTH_STATES].sort(), Object.values(TargetHealthStateEnum).sort());
});

test('toGroup maps sizes, seconds → ms, templates, processes and tags', () => {
  const group = toGroup({
    AutoScalingGroupName: 'web',
    AutoScalingGroupARN: 'arn:asg',
    MinSize: 2,
    MaxSize: 10,
    DesiredCapacity: 4,
    DefaultCooldown: 300,
    AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    TargetGroupARNs: ['arn:tg'],
    HealthCheckType: 'ELB',
    HealthCheckGracePeriod: 90,
    DefaultInstanceWarmup: 30,
    LaunchTemplate: { LaunchTemplateId: 'lt-1', LaunchTemplateName: 'web', Version: '7' },
    SuspendedProcesses: [{ ProcessName: 'AZRebalance', SuspensionReason: 'User suspended' }],
    TerminationPolicies: ['OldestLaunchTemplate', 'Default'],
    Tags: [{ Key: 'asg-deploy:app', Value: 'web', PropagateAtLaunch: true, ResourceId: 'web', ResourceType: 'auto-scaling-group' }],
    CreatedTime: new Date(Date.UTC(2026, 0, 1)),
    Instances: [],
  });
  assert.deepEqual(group, {
    name: 'web',
    arn: 'arn:asg',
    minSize: 2,
    maxSize: 10,
    desiredCapacity: 4,
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    targetGroupArns: ['arn:tg'],
    loadBalancerNames: [],
    healthCheckType: 'ELB',
    healthCheckGracePeriodMs: 90_000,
    defaultInstanceWarmupMs: 30_000,
    launchTemplate: { id: 'lt-1', name: 'web', version: '7' },
    mixedInstancesPolicy: false,
    suspendedProcesses: ['AZRebalance'],
    terminationPolicies: ['OldestLaunchTemplate', 'Default'],
    tags: [{ key: 'asg-deploy:app', value: 'web', propagateAtLaunch: true }],
    createdAt: Date.UTC(2026, 0, 1),
  });
});

test('toGroup: a MixedInstancesPolicy template, a launch configuration, and empty fields', () => {
  const mixed = toGroup({
    AutoScalingGroupName: 'm',
    MinSize: 0,
    MaxSize: 1,
    DesiredCapacity: 0,
    DefaultCooldown: 300,
    AvailabilityZones: [],
    HealthCheckType: 'EC2',
    CreatedTime: undefined,
    MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateName: 'm', Version: '$Latest' } } },
  });
  assert.deepEqual(mixed.launchTemplate, { name: 'm', version: '$Latest' });
  assert.equal(mixed.mixedInstancesPolicy, true);
  assert.equal('defaultInstanceWarmupMs' in mixed, false);
  const lc = toGroup({
    AutoScalingGroupName: 'l',
    LaunchConfigurationName: 'lc-1',
    MinSize: 0,
    MaxSize: 1,
    DesiredCapacity: 0,
    DefaultCooldown: 300,
    AvailabilityZones: ['a'],
    HealthCheckType: 'EC2',
    CreatedTime: undefined,
  });
  assert.equal(lc.launchConfigurationName, 'lc-1');
  assert.equal(lc.launchTemplate, undefined);
  assert.deepEqual(lc.suspendedProcesses, []);
  assert.deepEqual(lc.tags, []);
});

test('toInstance', () => {
  assert.deepEqual(
    toInstance({
      InstanceId: 'i-1',
      AvailabilityZone: 'us-east-1a',
      LifecycleState: 'Pending:Wait',
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: true,
      InstanceType: 't3.micro',
      LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '3' },
    }),
    {
      id: 'i-1',
      availabilityZone: 'us-east-1a',
      lifecycleState: 'Pending:Wait',
      healthStatus: 'Healthy',
      protectedFromScaleIn: true,
      instanceType: 't3.micro',
      launchTemplate: { id: 'lt-1', version: '3' },
    },
  );
  // AWS pads "Unhealthy" in some responses
  const sick = toInstance({ InstanceId: 'i-2', AvailabilityZone: 'a', LifecycleState: 'InService', HealthStatus: 'Unhealthy ', ProtectedFromScaleIn: false });
  assert.equal(sick.healthStatus, 'Unhealthy');
  assert.throws(
    () => toInstance({ InstanceId: 'i-3', AvailabilityZone: 'a', LifecycleState: 'Teleporting' as never, HealthStatus: 'Healthy', ProtectedFromScaleIn: false }),
    /i-3 has a lifecycle state this tool does not know: "Teleporting"/,
  );
});

test('target health: entries, worst state per instance over ports', () => {
  const entries = [
    { Target: { Id: 'i-1', Port: 80 }, TargetHealth: { State: 'healthy' as const } },
    { Target: { Id: 'i-1', Port: 8080 }, TargetHealth: { State: 'draining' as const, Reason: 'Target.DeregistrationInProgress' as const } },
    { Target: { Id: 'i-2', Port: 80 }, TargetHealth: { State: 'initial' as const, Reason: 'Elb.RegistrationInProgress' as const, Description: 'registering' } },
  ].map(toTargetHealthEntry);
  assert.deepEqual(entries[2], { id: 'i-2', port: 80, state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'registering' });
  assert.deepEqual(targetHealthById(entries), {
    'i-1': { state: 'draining', reason: 'Target.DeregistrationInProgress' },
    'i-2': { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'registering' },
  });
  assert.equal(toTargetHealthEntry({ Target: { Id: 'i-9' }, TargetHealth: { State: 'weird' as never } }).state, 'unavailable');
});

test('ec2 details and launch template specs', () => {
  assert.deepEqual(toEc2Details({ InstanceId: 'i-1', State: { Name: 'running' }, ImageId: 'ami-1', LaunchTime: new Date(5_000) }), {
    state: 'running',
    imageId: 'ami-1',
    launchTime: 5_000,
  });
  assert.deepEqual(toLaunchTemplateSpecification({ id: 'lt-1', name: 'web', version: '4' }), { LaunchTemplateId: 'lt-1', Version: '4' });
  assert.deepEqual(toLaunchTemplateSpecification({ name: 'web', version: '4' }), { LaunchTemplateName: 'web', Version: '4' });
});
