/**
 * boto3 drives the automation (docs/emulator-automation.md E-24 … E-29): a
 * group with a simple scaling policy, a custom metric put with
 * put_metric_data, an alarm on it whose action is the policy; the clock
 * advanced through the admin API; describe_alarms shows ALARM with AWS's
 * reason, the group scaled out, get_metric_statistics and get_metric_data
 * read the datapoints, describe_policies lists the alarm.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { awsChildEnv, runChild } from './child-process.js';

let emu: RunningEmulator;

before(async () => {
  emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 29 });
});

after(async () => {
  await emu?.close();
});

const SCENARIO = String.raw`
import json, os, urllib.request, datetime
import boto3
from botocore.config import Config

endpoint = os.environ['EMULATOR_ENDPOINT']
config = Config(retries={'max_attempts': 1, 'mode': 'standard'})
def client(name):
    return boto3.client(name, endpoint_url=endpoint, region_name='us-east-1', config=config)
ec2, asg, cw = client('ec2'), client('autoscaling'), client('cloudwatch')
out = {}

def advance(seconds):
    req = urllib.request.Request(endpoint + '/_emulator/clock', data=json.dumps({'advanceSeconds': seconds}).encode(),
                                 headers={'Content-Type': 'application/json'}, method='POST')
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)

image = next(i for i in ec2.describe_images(Owners=['amazon'])['Images'] if i['Architecture'] == 'x86_64')
ec2.create_launch_template(LaunchTemplateName='py-auto', LaunchTemplateData={'ImageId': image['ImageId'], 'InstanceType': 't3.micro'})
asg.create_auto_scaling_group(AutoScalingGroupName='py-auto', LaunchTemplate={'LaunchTemplateName': 'py-auto', 'Version': '$Latest'},
                              MinSize=1, MaxSize=5, DesiredCapacity=1, AvailabilityZones=['us-east-1a'])
policy = asg.put_scaling_policy(AutoScalingGroupName='py-auto', PolicyName='add-two', PolicyType='SimpleScaling',
                                AdjustmentType='ChangeInCapacity', ScalingAdjustment=2, Cooldown=60)
cw.put_metric_alarm(AlarmName='py-queue-deep', Namespace='App', MetricName='QueueDepth', Dimensions=[{'Name': 'Queue', 'Value': 'jobs'}],
                    Statistic='Maximum', Period=60, EvaluationPeriods=2, DatapointsToAlarm=2, Threshold=100,
                    ComparisonOperator='GreaterThanThreshold', AlarmActions=[policy['PolicyARN']])
out['initial'] = cw.describe_alarms(AlarmNames=['py-queue-deep'])['MetricAlarms'][0]['StateValue']
now = datetime.datetime.fromisoformat(advance(0)['now'].replace('Z', '+00:00'))
for minute in range(2):
    cw.put_metric_data(Namespace='App', MetricData=[{'MetricName': 'QueueDepth', 'Dimensions': [{'Name': 'Queue', 'Value': 'jobs'}],
                                                     'Value': 150 + minute, 'Timestamp': now}])
    now = datetime.datetime.fromisoformat(advance(60)['now'].replace('Z', '+00:00'))
alarm = cw.describe_alarms(AlarmNames=['py-queue-deep'])['MetricAlarms'][0]
out['state'] = alarm['StateValue']
out['reason'] = alarm['StateReason']
out['desired'] = asg.describe_auto_scaling_groups(AutoScalingGroupNames=['py-auto'])['AutoScalingGroups'][0]['DesiredCapacity']
out['policyAlarms'] = [a['AlarmName'] for a in asg.describe_policies(AutoScalingGroupName='py-auto')['ScalingPolicies'][0]['Alarms']]
start = now - datetime.timedelta(minutes=5)
stats = cw.get_metric_statistics(Namespace='App', MetricName='QueueDepth', Dimensions=[{'Name': 'Queue', 'Value': 'jobs'}],
                                 StartTime=start, EndTime=now, Period=60, Statistics=['Maximum', 'SampleCount'])
out['stats'] = sorted([[d['Timestamp'].isoformat(), d['Maximum'], d['SampleCount']] for d in stats['Datapoints']])
data = cw.get_metric_data(StartTime=start, EndTime=now, ScanBy='TimestampAscending', MetricDataQueries=[
    {'Id': 'q', 'MetricStat': {'Metric': {'Namespace': 'App', 'MetricName': 'QueueDepth', 'Dimensions': [{'Name': 'Queue', 'Value': 'jobs'}]}, 'Period': 60, 'Stat': 'Maximum'}},
    {'Id': 'half', 'Expression': 'q / 2'}])
out['data'] = {r['Id']: r['Values'] for r in data['MetricDataResults']}
out['history'] = [h['HistorySummary'] for h in cw.describe_alarm_history(AlarmName='py-queue-deep', HistoryItemType='StateUpdate')['AlarmHistoryItems']]
out['cause'] = next(a['Cause'] for a in asg.describe_scaling_activities(AutoScalingGroupName='py-auto')['Activities'] if 'monitor alarm' in a['Cause'])
print(json.dumps(out))
`;

test('boto3: put_metric_data → an alarm in ALARM runs its scaling policy; statistics, metric data and history read back', { timeout: 120_000 }, async () => {
  const run = await runChild('python3', ['-c', SCENARIO], { env: awsChildEnv(emu.endpoint, { EMULATOR_ENDPOINT: emu.endpoint }), timeoutMs: 90_000 });
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
  assert.equal(out.initial, 'INSUFFICIENT_DATA');
  assert.equal(out.state, 'ALARM');
  assert.equal(
    out.reason,
    'Threshold Crossed: 2 out of the last 2 datapoints [151.0 (01/01/26 12:01:00), 150.0 (01/01/26 12:00:00)] were greater than the threshold (100.0) (minimum 2 datapoints for OK -> ALARM transition).',
  );
  assert.equal(out.desired, 3);
  assert.deepEqual(out.policyAlarms, ['py-queue-deep']);
  assert.deepEqual(out.stats, [
    ['2026-01-01T12:00:00+00:00', 150, 1],
    ['2026-01-01T12:01:00+00:00', 151, 1],
  ]);
  assert.deepEqual(out.data, { q: [150, 151], half: [75, 75.5] });
  // One breaching minute of 2 with the other missing: OK first (TreatMissingData missing), then ALARM; newest first.
  assert.deepEqual(out.history, ['Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK']);
  assert.match(out.cause, /^At 2026-01-01T12:02:00Z a monitor alarm py-queue-deep in state ALARM triggered policy add-two changing the desired capacity from 1 to 3\./);
});
