/**
 * boto3 (botocore 1.43, the other big client family) drives the emulator from
 * one python3 script: clients built with `endpoint_url`, the clock advanced
 * through the admin API (E-20) with urllib, errors caught as botocore's
 * ClientError. The script prints one JSON document that this test asserts on.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { awsChildEnv, runChild } from './child-process.js';

let emu: RunningEmulator;

before(async () => {
  emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 23 });
});

after(async () => {
  await emu?.close();
});

const SCENARIO = String.raw`
import json, os, sys, urllib.request
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ['EMULATOR_ENDPOINT']
config = Config(retries={'max_attempts': 1, 'mode': 'standard'})
def client(name):
    return boto3.client(name, endpoint_url=endpoint, region_name='us-east-1', config=config)
ec2, asg, elb, cw = client('ec2'), client('autoscaling'), client('elbv2'), client('cloudwatch')
out = {}

def advance(seconds):
    req = urllib.request.Request(endpoint + '/_emulator/clock', data=json.dumps({'advanceSeconds': seconds}).encode(),
                                 headers={'Content-Type': 'application/json'}, method='POST')
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)

def error_of(call):
    try:
        call()
        return None
    except ClientError as e:
        return {'code': e.response['Error']['Code'], 'message': e.response['Error'].get('Message', ''),
                'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'operation': e.operation_name}

images = ec2.describe_images(Owners=['amazon'], Filters=[{'Name': 'architecture', 'Values': ['x86_64']}])['Images']
image = next(i for i in images if i['State'] == 'available')
out['imageId'] = image['ImageId']
subnets = ec2.describe_subnets(Filters=[{'Name': 'default-for-az', 'Values': ['true']}])['Subnets']
zones = {}
for s in subnets:
    zones.setdefault(s['AvailabilityZone'], s)
three = list(zones.values())[:3]
out['subnetZones'] = [s['AvailabilityZone'] for s in three]

lt = ec2.create_launch_template(LaunchTemplateName='py-web', LaunchTemplateData={'ImageId': image['ImageId'], 'InstanceType': 't3.small'})
out['launchTemplateVersion'] = lt['LaunchTemplate']['LatestVersionNumber']
tg = elb.create_target_group(Name='py-web', Protocol='HTTP', Port=8080, VpcId=three[0]['VpcId'],
                             HealthCheckIntervalSeconds=10, HealthyThresholdCount=2)['TargetGroups'][0]
lb = elb.create_load_balancer(Name='py-web-alb', Subnets=[s['SubnetId'] for s in three])['LoadBalancers'][0]
elb.create_listener(LoadBalancerArn=lb['LoadBalancerArn'], Protocol='HTTP', Port=80,
                    DefaultActions=[{'Type': 'forward', 'TargetGroupArn': tg['TargetGroupArn']}])
out['targetGroupArn'] = tg['TargetGroupArn']
asg.create_auto_scaling_group(
    AutoScalingGroupName='py-web', LaunchTemplate={'LaunchTemplateName': 'py-web', 'Version': '$Latest'},
    MinSize=2, MaxSize=5, DesiredCapacity=4, VPCZoneIdentifier=','.join(s['SubnetId'] for s in three),
    TargetGroupARNs=[tg['TargetGroupArn']], HealthCheckType='ELB', HealthCheckGracePeriod=60,
    Tags=[{'Key': 'team', 'Value': 'interop', 'PropagateAtLaunch': True}])

def group():
    pages = asg.get_paginator('describe_auto_scaling_groups').paginate(AutoScalingGroupNames=['py-web'])
    return [g for p in pages for g in p['AutoScalingGroups']][0]

advance(1)
observed = [[{'id': i['InstanceId'], 'az': i['AvailabilityZone'], 'state': i['LifecycleState']} for i in group()['Instances']]]
for _ in range(20):
    if observed[-1] and all(i['state'] == 'InService' for i in observed[-1]) and len(observed[-1]) == 4:
        break
    advance(30)
    observed.append([{'id': i['InstanceId'], 'az': i['AvailabilityZone'], 'state': i['LifecycleState']} for i in group()['Instances']])
out['observed'] = observed

for _ in range(20):
    health = elb.describe_target_health(TargetGroupArn=tg['TargetGroupArn'])['TargetHealthDescriptions']
    if len(health) == 4 and all(h['TargetHealth']['State'] == 'healthy' for h in health):
        break
    advance(30)
out['targetHealth'] = {h['Target']['Id']: h['TargetHealth']['State'] for h in health}

ids = [i['id'] for i in observed[-1]]
reservations = ec2.describe_instances(InstanceIds=ids)['Reservations']
described = [i for r in reservations for i in r['Instances']]
out['ec2'] = [{'id': i['InstanceId'], 'state': i['State']['Name'], 'imageId': i['ImageId'], 'type': i['InstanceType'],
               'launchTime': i['LaunchTime'].isoformat(), 'tags': {t['Key']: t['Value'] for t in i.get('Tags', [])}} for i in described]

cw.put_metric_alarm(AlarmName='py-web-cpu', Namespace='AWS/EC2', MetricName='CPUUtilization', Statistic='Average',
                    Period=60, EvaluationPeriods=2, Threshold=70.0, ComparisonOperator='GreaterThanThreshold',
                    Dimensions=[{'Name': 'AutoScalingGroupName', 'Value': 'py-web'}])
out['alarms'] = [a['AlarmName'] for a in cw.describe_alarms(AlarmNamePrefix='py-web')['MetricAlarms']]

out['tooMany'] = error_of(lambda: asg.set_desired_capacity(AutoScalingGroupName='py-web', DesiredCapacity=99))
out['minAboveMax'] = error_of(lambda: asg.update_auto_scaling_group(AutoScalingGroupName='py-web', MinSize=6, MaxSize=5))
out['noSuchInstance'] = error_of(lambda: ec2.describe_instances(InstanceIds=['i-0123456789abcdef0']))
out['noSuchAlarm'] = error_of(lambda: cw.delete_alarms(AlarmNames=['no-such-alarm']))
out['desiredAfter'] = group()['DesiredCapacity']
print(json.dumps(out))
`;

interface Observation {
  id: string;
  az: string;
  state: string;
}
interface ClientErrorSeen {
  code: string;
  message: string;
  status: number;
  operation: string;
}
interface ScenarioOutput {
  imageId: string;
  subnetZones: string[];
  launchTemplateVersion: number;
  targetGroupArn: string;
  observed: Observation[][];
  targetHealth: Record<string, string>;
  ec2: { id: string; state: string; imageId: string; type: string; launchTime: string; tags: Record<string, string> }[];
  alarms: string[];
  tooMany: ClientErrorSeen | null;
  minAboveMax: ClientErrorSeen | null;
  noSuchInstance: ClientErrorSeen | null;
  noSuchAlarm: ClientErrorSeen | null;
  desiredAfter: number;
}

test('boto3 builds a load-balanced group, advances the clock through the admin API and sees AWS errors as ClientError', { timeout: 120_000 }, async () => {
  const run = await runChild('python3', ['-c', SCENARIO], {
    env: awsChildEnv(emu.endpoint, { EMULATOR_ENDPOINT: emu.endpoint }),
    timeoutMs: 90_000,
  });
  assert.equal(run.code, 0, `the boto3 script failed (exit ${run.code}):\n${run.stderr}`);
  const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ScenarioOutput;

  assert.match(out.imageId, /^ami-[0-9a-f]+$/);
  assert.equal(new Set(out.subnetZones).size, 3);
  assert.equal(out.launchTemplateVersion, 1);

  // Pending first (boot takes simulated time, E-1), then all four InService, spread over 3 AZs (E-3).
  const first = out.observed[0]!;
  const last = out.observed.at(-1)!;
  assert.equal(first.length, 4, `1 s after creation: ${JSON.stringify(first)}`);
  assert.ok(first.every((i) => i.state.startsWith('Pending')), `1 s after creation: ${JSON.stringify(first)}`);
  assert.ok(out.observed.length >= 2, 'instances came into service without the clock moving');
  assert.equal(last.length, 4);
  assert.ok(last.every((i) => i.state === 'InService'), `last observation: ${JSON.stringify(last)}`);
  assert.deepEqual(last.map((i) => i.id).sort(), first.map((i) => i.id).sort(), 'the same 4 instances, no replacements');
  assert.equal(new Set(last.map((i) => i.az)).size, 3);

  assert.deepEqual(Object.keys(out.targetHealth).sort(), last.map((i) => i.id).sort());
  assert.ok(Object.values(out.targetHealth).every((s) => s === 'healthy'), `target health: ${JSON.stringify(out.targetHealth)}`);

  // EC2's view of the same instances (ec2Query parsed by botocore), with the group's tags (E-13).
  assert.equal(out.ec2.length, 4);
  for (const i of out.ec2) {
    assert.equal(i.state, 'running');
    assert.equal(i.imageId, out.imageId);
    assert.equal(i.type, 't3.small');
    assert.equal(i.tags['aws:autoscaling:groupName'], 'py-web');
    assert.equal(i.tags.team, 'interop');
    assert.ok(i.launchTime.startsWith('2026-01-01T12:00'), `launch time on the simulated clock: ${i.launchTime}`);
  }

  // CloudWatch over awsJson 1.0, as boto3 1.43 speaks it.
  assert.deepEqual(out.alarms, ['py-web-cpu']);

  // AWS errors as botocore ClientError, with the codes AWS uses.
  assert.deepEqual(
    { code: out.tooMany?.code, status: out.tooMany?.status, operation: out.tooMany?.operation },
    { code: 'ValidationError', status: 400, operation: 'SetDesiredCapacity' },
  );
  assert.match(out.tooMany!.message, /Desired capacity:99 must be between the specified min size:2 and max size:5/);
  assert.equal(out.minAboveMax?.code, 'ValidationError', 'E-4: MinSize > MaxSize is rejected');
  assert.equal(out.noSuchInstance?.code, 'InvalidInstanceID.NotFound');
  assert.equal(out.noSuchInstance?.status, 400);
  assert.equal(out.noSuchAlarm?.code, 'ResourceNotFound');
  assert.equal(out.desiredAfter, 4, 'the refused changes left the group alone');
});
