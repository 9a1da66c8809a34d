/**
 * E-27 … E-30 through SDK v3 on a manual clock: alarms that evaluate and run
 * scaling policies, AlarmNotification and ScheduledActions suspended,
 * scheduled actions, target tracking, ExecutePolicy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteAutoScalingGroupCommand,
  DeletePolicyCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  ExecutePolicyCommand,
  PutScalingPolicyCommand,
  PutScheduledUpdateGroupActionCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import { activitiesOf, describeGroup, waitInService } from './autoscaling-fixtures.test.js';
import { advanceToNextMinute, createServingGroup, setLoad, startAutomationWorld, waitHealthyTargets, type AutomationWorld } from './automation-fixtures.test.js';

async function simplePolicy(w: AutomationWorld, name: string, adjustment: number, cooldown = 60): Promise<string> {
  const out = await w.t.asg.send(
    new PutScalingPolicyCommand({ AutoScalingGroupName: 'g', PolicyName: name, PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: adjustment, Cooldown: cooldown }),
  );
  return out.PolicyARN!;
}

async function cpuAlarm(w: AutomationWorld, name: string, operator: 'GreaterThanThreshold' | 'LessThanThreshold', threshold: number, policyArn: string): Promise<void> {
  await w.cw.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'g' }],
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: threshold,
      ComparisonOperator: operator,
      AlarmActions: [policyArn],
    }),
  );
}

async function alarm(w: AutomationWorld, name: string) {
  const out = await w.cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return out.MetricAlarms![0]!;
}

test('E-27/E-29 a CPU alarm scales the group out and, when the load drops, another scales it back in', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const outArn = await simplePolicy(w, 'scale-out', 1);
    const inArn = await simplePolicy(w, 'scale-in', -1);
    await cpuAlarm(w, 'cpu-high', 'GreaterThanThreshold', 50, outArn);
    await cpuAlarm(w, 'cpu-low', 'LessThanThreshold', 20, inArn);
    const policies = await w.t.asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual(
      policies.ScalingPolicies!.map((p) => [p.PolicyName, p.Alarms!.map((a) => a.AlarmName)]),
      [
        ['scale-in', ['cpu-low']],
        ['scale-out', ['cpu-high']],
      ],
    );

    // 120 req/s over 2 healthy targets: 60 req/s each → 2 % + 60 % = 62 % CPU.
    assert.equal((await setLoad(w, w.stack.targetGroupArn, 120)).status, 200);
    const loadedFrom = w.t.emu.sim.now;
    advanceToNextMinute(w); // the load in force at the end of a minute counts for that minute (E-25)
    assert.notEqual((await alarm(w, 'cpu-high')).StateValue, 'ALARM', 'one breaching minute is not enough for 2 of 2');
    advanceToNextMinute(w);
    const high = await alarm(w, 'cpu-high');
    assert.equal(high.StateValue, 'ALARM');
    assert.match(high.StateReason!, /^Threshold Crossed: 2 out of the last 2 datapoints \[62\.0 \(01\/01\/26 12:\d\d:00\), 62\.0 \(01\/01\/26 12:\d\d:00\)\] were greater than the threshold \(50\.0\) \(minimum 2 datapoints for (OK|INSUFFICIENT_DATA) -> ALARM transition\)\.$/);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 3);
    const firedAt = w.t.emu.sim.now;
    assert.ok(firedAt > loadedFrom + 60_000 && firedAt <= loadedFrom + 120_000);
    await waitInService(w, 'g', 3);
    const launch = (await activitiesOf(w, 'g')).find((a) => a.StartTime!.getTime() >= firedAt);
    assert.ok(launch);
    const at = new Date(firedAt).toISOString().replace('.000Z', 'Z');
    assert.ok(
      launch.Cause!.startsWith(`At ${at} a monitor alarm cpu-high in state ALARM triggered policy scale-out changing the desired capacity from 2 to 3.  At ${at} an instance was started`),
      launch.Cause,
    );

    // Load off: 2 % CPU everywhere; cpu-high goes OK, cpu-low fires after 2 minutes, one step at a time (cooldown 60 s).
    await waitHealthyTargets(w, 3);
    await setLoad(w, w.stack.targetGroupArn, 0);
    await w.t.advanceUntil(async () => (await describeGroup(w, 'g')).DesiredCapacity === 2, { maxSeconds: 600, stepSeconds: 10 });
    assert.equal((await alarm(w, 'cpu-high')).StateValue, 'OK');
    assert.equal((await alarm(w, 'cpu-low')).StateValue, 'ALARM');
    await w.t.advanceUntil(async () => (await describeGroup(w, 'g')).DesiredCapacity === 1, { maxSeconds: 600, stepSeconds: 10 });
    w.t.advance(600);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 1, 'MinSize 1 holds');
    const scaleIns = (await activitiesOf(w, 'g')).filter((a) => /triggered policy scale-in changing the desired capacity/.test(a.Cause!));
    assert.equal(scaleIns.length, 2);

    const history = await w.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cpu-high' }));
    const summaries = history.AlarmHistoryItems!.map((h) => h.HistorySummary);
    assert.ok(summaries.includes('Alarm updated from ALARM to OK'), summaries.join(' | '));
    assert.ok(summaries.includes(`Successfully executed action ${outArn}`));
    assert.ok(summaries.includes('Alarm "cpu-high" created'));
  } finally {
    await w.close();
  }
});

test('E-5/E-28 AlarmNotification suspended: the alarm goes to ALARM but its policy does not run; resumed, it does', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const outArn = await simplePolicy(w, 'scale-out', 2);
    await cpuAlarm(w, 'cpu-high', 'GreaterThanThreshold', 50, outArn);
    await w.t.asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'g', ScalingProcesses: ['AlarmNotification'] }));
    await setLoad(w, w.stack.targetGroupArn, 200);
    for (let i = 0; i < 6; i++) advanceToNextMinute(w);
    assert.equal((await alarm(w, 'cpu-high')).StateValue, 'ALARM');
    const group = await describeGroup(w, 'g');
    assert.equal(group.DesiredCapacity, 2);
    assert.equal((await activitiesOf(w, 'g')).filter((a) => /monitor alarm/.test(a.Cause!)).length, 0);
    // Auto Scaling actions repeat every minute in ALARM: resuming lets the next minute's invocation through.
    await w.t.asg.send(new ResumeProcessesCommand({ AutoScalingGroupName: 'g', ScalingProcesses: ['AlarmNotification'] }));
    advanceToNextMinute(w);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 4);
  } finally {
    await w.close();
  }
});

test('E-27 SetAlarmState holds until the next evaluation; disabled actions do not run; DeletePolicy removes the action', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const outArn = await simplePolicy(w, 'scale-out', 1, 0);
    await cpuAlarm(w, 'cpu-high', 'GreaterThanThreshold', 50, outArn);
    for (let i = 0; i < 3; i++) advanceToNextMinute(w);
    assert.equal((await alarm(w, 'cpu-high')).StateValue, 'OK');

    await w.cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['cpu-high'] }));
    w.t.advance(5);
    await w.cw.send(new SetAlarmStateCommand({ AlarmName: 'cpu-high', StateValue: 'ALARM', StateReason: 'testing' }));
    let a = await alarm(w, 'cpu-high');
    assert.equal(a.StateValue, 'ALARM');
    assert.equal(a.StateReason, 'testing');
    assert.equal(a.ActionsEnabled, false);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 2, 'actions disabled');
    advanceToNextMinute(w);
    assert.equal((await alarm(w, 'cpu-high')).StateValue, 'OK', 'the next evaluation puts it back');

    await w.cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['cpu-high'] }));
    w.t.advance(5);
    await w.cw.send(new SetAlarmStateCommand({ AlarmName: 'cpu-high', StateValue: 'ALARM', StateReason: 'testing again' }));
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 3, 'SetAlarmState runs the ALARM actions');

    const forMetric = await w.cw.send(
      new DescribeAlarmsForMetricCommand({ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'g' }] }),
    );
    assert.deepEqual(forMetric.MetricAlarms!.map((m) => m.AlarmName), ['cpu-high']);

    await w.t.asg.send(new DeletePolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'scale-out' }));
    a = await alarm(w, 'cpu-high');
    assert.deepEqual(a.AlarmActions, [], 'the alarm stays, without the action');
  } finally {
    await w.close();
  }
});

test('E-30 a scheduled action fires at its StartTime and is then gone; while ScheduledActions is suspended it is skipped', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const start = w.t.emu.sim.now;
    const at = (Math.floor(start / 60_000) + 3) * 60_000;
    await w.t.asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'g', ScheduledActionName: 'morning', StartTime: new Date(at), MinSize: 2, MaxSize: 8, DesiredCapacity: 5 }));
    w.t.advance((at - w.t.emu.sim.now) / 1000 - 1);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 2, 'not before its time');
    w.t.advance(1);
    const group = await describeGroup(w, 'g');
    assert.deepEqual([group.MinSize, group.MaxSize, group.DesiredCapacity], [2, 8, 5]);
    const left = await w.t.asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'g' }));
    assert.equal(left.ScheduledUpdateGroupActions!.length, 0, 'a one-time action is deleted once run');
    await waitInService(w, 'g', 5);
    const cause = (await activitiesOf(w, 'g')).find((a) => a.StartTime!.getTime() === at)?.Cause ?? '';
    assert.ok(
      cause.startsWith(`At ${new Date(at).toISOString().replace('.000Z', 'Z')} a scheduled action update of AutoScalingGroup constraints to min: 2, max: 8, desired: 5 changing the desired capacity from 2 to 5.`),
      cause,
    );

    // Recurring every 5 minutes, suspended: the occurrences pass without effect; resumed, the next one acts.
    await w.t.asg.send(new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'g', ScheduledActionName: 'shrink', Recurrence: '*/5 * * * *', DesiredCapacity: 3 }));
    await w.t.asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'g', ScalingProcesses: ['ScheduledActions'] }));
    w.t.advance(11 * 60);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 5, 'skipped while suspended');
    const recurring = await w.t.asg.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'g' }));
    assert.equal(recurring.ScheduledUpdateGroupActions![0]!.Recurrence, '*/5 * * * *');
    await w.t.asg.send(new ResumeProcessesCommand({ AutoScalingGroupName: 'g', ScalingProcesses: ['ScheduledActions'] }));
    w.t.advance(5 * 60);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 3);
  } finally {
    await w.close();
  }
});

test('E-29 target tracking on ASGAverageCPUUtilization: its own alarms, scale-out under load, alarms deleted with the policy', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const put = await w.t.asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'g',
        PolicyName: 'cpu50',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
      }),
    );
    const names = put.Alarms!.map((a) => a.AlarmName!).sort();
    assert.equal(names.length, 2);
    assert.match(names[0]!, /^TargetTracking-g-AlarmHigh-[0-9a-f-]{36}$/);
    assert.match(names[1]!, /^TargetTracking-g-AlarmLow-[0-9a-f-]{36}$/);
    const alarms = await w.cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-g-' }));
    const high = alarms.MetricAlarms!.find((a) => a.AlarmName!.includes('AlarmHigh'))!;
    const low = alarms.MetricAlarms!.find((a) => a.AlarmName!.includes('AlarmLow'))!;
    assert.deepEqual([high.Threshold, high.EvaluationPeriods, high.ComparisonOperator, high.MetricName], [50, 3, 'GreaterThanThreshold', 'CPUUtilization']);
    assert.deepEqual([low.Threshold, low.EvaluationPeriods, low.ComparisonOperator], [45, 15, 'LessThanThreshold']);
    assert.deepEqual(high.AlarmActions, [put.PolicyARN]);

    // 2 × 78 req/s → 80 % CPU; wanted = ceil(2 × 80 / 50) = 4.
    await setLoad(w, w.stack.targetGroupArn, 156);
    for (let i = 0; i < 4; i++) advanceToNextMinute(w);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 4);
    await waitInService(w, 'g', 4);
    await waitHealthyTargets(w, 4);
    for (let i = 0; i < 5; i++) advanceToNextMinute(w);
    // 39 req/s each → 41 % < 50: no further scale-out; not below 45 for 15 minutes yet.
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 4);

    await w.t.asg.send(new DeletePolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'cpu50' }));
    const after = await w.cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-g-' }));
    assert.equal(after.MetricAlarms!.length, 0);
  } finally {
    await w.close();
  }
});

test('E-29 target tracking on ALBRequestCountPerTarget scales out from the load balancer metric, then back in', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const tgLabel = w.stack.targetGroupArn.slice(w.stack.targetGroupArn.indexOf('targetgroup/'));
    const lbLabel = w.stack.loadBalancerArn.slice(w.stack.loadBalancerArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
    await w.t.asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'g',
        PolicyName: 'rps',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: `${lbLabel}/${tgLabel}` },
          TargetValue: 600, // requests per target per minute
        },
      }),
    );
    // 30 req/s = 1800 a minute over 2 targets = 900 per target → ceil(2 × 900 / 600) = 3.
    await setLoad(w, w.stack.targetGroupArn, 30);
    for (let i = 0; i < 4; i++) advanceToNextMinute(w);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 3);
    await waitInService(w, 'g', 3);
    await waitHealthyTargets(w, 3);
    // 3 req/s → 60 per target, below 540 for 15 minutes → ceil(3 × 60 / 600) = 1.
    await setLoad(w, w.stack.targetGroupArn, 3);
    for (let i = 0; i < 17; i++) advanceToNextMinute(w);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 1);
  } finally {
    await w.close();
  }
});

test('E-29 ExecutePolicy: simple with HonorCooldown, step with MetricValue and BreachThreshold, percent with MinAdjustmentMagnitude', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    await simplePolicy(w, 'plus1', 1, 300);
    await w.t.asg.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'plus1' }));
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 3);
    await assert.rejects(
      w.t.asg.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'plus1', HonorCooldown: true })),
      (e: Error) => /^ScalingActivityInProgress/.test(e.name),
    );
    await waitInService(w, 'g', 3);
    w.t.advance(120); // past the warm-up (DefaultCooldown 60 s): no instance counts as still warming
    await w.t.asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'g',
        PolicyName: 'steps',
        PolicyType: 'StepScaling',
        AdjustmentType: 'ChangeInCapacity',
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 20, ScalingAdjustment: 3 },
        ],
      }),
    );
    await assert.rejects(w.t.asg.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'steps' })), (e: Error) => e.name === 'ValidationError');
    await w.t.asg.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'steps', MetricValue: 75, BreachThreshold: 50 }));
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 6, 'breach 25 ≥ 20: +3');
    await waitInService(w, 'g', 6, 900);
    await w.t.asg.send(
      new PutScalingPolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'pct', AdjustmentType: 'PercentChangeInCapacity', ScalingAdjustment: -10, MinAdjustmentMagnitude: 2 }),
    );
    await w.t.asg.send(new ExecutePolicyCommand({ AutoScalingGroupName: 'g', PolicyName: 'pct' }));
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 4, '-10 % of 6 is -0.6 → -1, raised to the magnitude 2');
  } finally {
    await w.close();
  }
});

test('E-25/E-27 an error-rate tag: the release stays healthy, HTTPCode_Target_5XX_Count climbs under load, a 5xx alarm goes to ALARM', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const group = await describeGroup(w, 'g');
    const ids = group.Instances!.map((i) => i.InstanceId!);
    await w.t.ec2.send(new CreateTagsCommand({ Resources: [ids[0]!], Tags: [{ Key: 'emulator:error-rate', Value: '0.5' }] }));
    const tgDim = w.stack.targetGroupArn.slice(w.stack.targetGroupArn.indexOf('targetgroup/'));
    const lbDim = w.stack.loadBalancerArn.slice(w.stack.loadBalancerArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
    await w.cw.send(
      new PutMetricAlarmCommand({
        AlarmName: '5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [
          { Name: 'TargetGroup', Value: tgDim },
          { Name: 'LoadBalancer', Value: lbDim },
        ],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    advanceToNextMinute(w);
    advanceToNextMinute(w);
    assert.equal((await alarm(w, '5xx')).StateValue, 'OK', 'no load: missing data treated as not breaching');
    await setLoad(w, w.stack.targetGroupArn, 10); // 300 a minute per target, half of one target's fail: 150
    advanceToNextMinute(w);
    advanceToNextMinute(w);
    const a = await alarm(w, '5xx');
    assert.equal(a.StateValue, 'ALARM');
    assert.match(a.StateReason!, /^Threshold Crossed: 1 datapoint \[150\.0 \(01\/01\/26 12:\d\d:00\)\] was greater than or equal to the threshold \(100\.0\)\.$/);
    const now = await describeGroup(w, 'g');
    assert.ok(now.Instances!.every((i) => i.HealthStatus === 'Healthy' && i.LifecycleState === 'InService'), 'health checks are unaffected');
  } finally {
    await w.close();
  }
});

test('E-28 deleting a group deletes its target tracking alarms and takes its policies out of other alarms', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 1);
    const arn = await simplePolicy(w, 'plus1', 1);
    await cpuAlarm(w, 'cpu-high', 'GreaterThanThreshold', 50, arn);
    await w.t.asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: 'g',
        PolicyName: 'tt',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 60, DisableScaleIn: true },
      }),
    );
    assert.equal((await w.cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-g-' }))).MetricAlarms!.length, 1, 'DisableScaleIn: no AlarmLow');
    await w.t.asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'g', ForceDelete: true }));
    await w.t.advanceUntil(async () => (await w.t.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['g'] }))).AutoScalingGroups!.length === 0, { stepSeconds: 10 });
    assert.equal((await w.cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'TargetTracking-g-' }))).MetricAlarms!.length, 0);
    assert.deepEqual((await alarm(w, 'cpu-high')).AlarmActions, []);
  } finally {
    await w.close();
  }
});
