/**
 * E-32 … E-36: Instance Refresh through SDK v3 on a manual clock — batches
 * sized by Min/MaxHealthyPercentage, warmup, checkpoints, a failing image with
 * AutoRollback, an alarm, cancel, and the errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelInstanceRefreshCommand,
  DescribeInstanceRefreshesCommand,
  RollbackInstanceRefreshCommand,
  SetInstanceProtectionCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
  type InstanceRefresh,
  type StartInstanceRefreshType,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTagsCommand, RegisterImageCommand } from '@aws-sdk/client-ec2';
import { lowestServing, servingTimeline } from '../../src/emulator/serving.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import {
  activitiesOf,
  createGroup,
  createStack,
  describeGroup,
  entries,
  newTemplateVersion,
  startWorld,
  waitInService,
  type AsgWorld,
} from './autoscaling-fixtures.test.js';

async function refreshOf(w: AsgWorld, group: string, id?: string): Promise<InstanceRefresh> {
  const out = await w.t.asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, InstanceRefreshIds: id ? [id] : undefined }));
  const r = out.InstanceRefreshes?.[0];
  assert.ok(r, 'the refresh is listed');
  return r;
}

async function start(w: AsgWorld, input: Omit<StartInstanceRefreshType, 'AutoScalingGroupName'>, group = 'g'): Promise<string> {
  const out = await w.t.asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: group, ...input }));
  assert.ok(out.InstanceRefreshId);
  return out.InstanceRefreshId;
}

/** Advances until the refresh's status is one of `statuses`. */
async function waitStatus(w: AsgWorld, statuses: string[], maxSeconds = 7200, group = 'g', stepSeconds = 5): Promise<InstanceRefresh> {
  let r: InstanceRefresh | undefined;
  await w.t.advanceUntil(
    async () => {
      r = await refreshOf(w, group);
      return statuses.includes(r.Status ?? '');
    },
    { maxSeconds, stepSeconds },
  );
  return r!;
}

function statusChanges(w: AsgWorld, group = 'g'): { t: number; to: unknown }[] {
  return entries(w, 'group')
    .filter((e) => e.group === group && e.field === 'InstanceRefreshStatus')
    .map((e) => ({ t: e.t, to: e.to }));
}

async function brokenImage(w: AsgWorld): Promise<string> {
  const out = await w.t.ec2.send(new RegisterImageCommand({ Name: 'broken-release' }));
  await w.t.ec2.send(new CreateTagsCommand({ Resources: [out.ImageId!], Tags: [{ Key: 'emulator:health', Value: 'unhealthy' }] }));
  w.t.advance(60); // pending → available
  return out.ImageId!;
}

test('E-32/E-33: a refresh with checkpoints replaces half, pauses CheckpointDelay, finishes, and never dips below MinHealthyPercentage', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'ir', 30);
    await createGroup(w, 'g', {
      MinSize: 1,
      MaxSize: 8,
      DesiredCapacity: 4,
      TargetGroupARNs: [stack.targetGroupArn],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 90,
      DefaultInstanceWarmup: 45,
    });
    const before = (await waitInService(w, 'g', 4)).Instances!.map((i) => i.InstanceId!);
    const v2 = await newTemplateVersion(w);

    const started = t.emu.sim.now;
    const id = await start(w, {
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(v2) } },
      Preferences: { MinHealthyPercentage: 50, MaxHealthyPercentage: 100, CheckpointPercentages: [50, 100], CheckpointDelay: 600 },
    });
    let r = await refreshOf(w, 'g', id);
    assert.equal(r.Status, 'Pending', 'Pending while it initialises');
    assert.equal(r.InstancesToUpdate, 4);
    await assert.rejects(start(w, {}), { name: 'InstanceRefreshInProgressFault' });

    t.advance(1);
    r = await refreshOf(w, 'g', id);
    assert.equal(r.Status, 'InProgress');
    // Min 50 % of 4 = 2 must stay ready, Max 100 %: two old instances go at once, two new ones launch.
    const terminating = entries(w, 'lifecycle').filter((e) => e.to === 'Terminating' && before.includes(e.instanceId));
    assert.equal(terminating.length, 2, 'first batch: 2 old instances');
    assert.ok(terminating.every((e) => e.t === started + 1_000), 'one second after the start (Pending)');
    const acts = await activitiesOf(w, 'g');
    assert.match(acts.find((a) => a.Description?.startsWith('Terminating'))!.Cause!, /an instance was taken out of service in response to an instance refresh\.  At .* instance i-\w+ was selected for termination\.$/);
    assert.match(acts.find((a) => a.Description?.startsWith('Launching'))!.Cause!, /an instance was launched in response to an instance refresh\.$/);

    // Checkpoint at 50 %: the new pair is InService and warmed up (45 s DefaultInstanceWarmup), then a 600 s pause.
    await t.advanceUntil(async () => (await refreshOf(w, 'g', id)).PercentageComplete === 50, { maxSeconds: 600 });
    const reached = t.emu.sim.now;
    r = await refreshOf(w, 'g', id);
    assert.equal(r.InstancesToUpdate, 2);
    assert.match(r.StatusReason ?? '', /checkpoint/);
    const freshInService = entries(w, 'lifecycle').filter((e) => e.to === 'InService' && e.t > started);
    assert.equal(freshInService.length, 2);
    const lastInService = Math.max(...freshInService.map((e) => e.t));
    assert.ok(reached - lastInService >= 45_000, 'an instance counts as updated only after its warmup');
    t.advance(590);
    const secondBatch = () => entries(w, 'lifecycle').filter((e) => e.to === 'Terminating' && e.t > reached);
    assert.equal(secondBatch().length, 0, 'nothing is replaced during the checkpoint delay');
    await t.advanceUntil(async () => secondBatch().length > 0, { maxSeconds: 60 });
    assert.ok(secondBatch()[0]!.t - reached >= 600_000 && secondBatch()[0]!.t - reached <= 601_000, 'the second batch starts when CheckpointDelay ends');

    r = await waitStatus(w, ['Successful', 'Failed']);
    assert.equal(r.Status, 'Successful');
    assert.equal(r.PercentageComplete, 100);
    assert.equal(r.InstancesToUpdate, 0);
    assert.deepEqual(statusChanges(w).map((c) => c.to), ['InProgress', 'Successful']);
    const group = await describeGroup(w, 'g');
    assert.equal(group.LaunchTemplate?.Version, String(v2), 'the group takes the desired configuration');
    const live = group.Instances!.filter((i) => i.LifecycleState === 'InService');
    assert.equal(live.length, 4);
    assert.ok(live.every((i) => i.LaunchTemplate?.Version === String(v2) && !before.includes(i.InstanceId!)));

    // The floor, from the history: InService + Healthy in the group never below ceil(4 × 50 %) = 2.
    const timeline = servingTimeline(t.history(), { group: 'g', targetGroupArns: [] });
    assert.equal(lowestServing(timeline, started), 2);
  } finally {
    await w.t.close();
  }
});

test('E-33: MaxHealthyPercentage 150 launches before it terminates (MinHealthyPercentage 100 keeps every instance serving)', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 8, DesiredCapacity: 4, HealthCheckGracePeriod: 20 });
    const before = (await waitInService(w, 'g', 4)).Instances!.map((i) => i.InstanceId!);
    const v2 = await newTemplateVersion(w);
    const started = t.emu.sim.now;
    await start(w, {
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(v2) } },
      Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 150, InstanceWarmup: 10 },
    });
    t.advance(1);
    let group = await describeGroup(w, 'g');
    assert.equal(group.Instances!.length, 6, 'two extra instances above desired 4');
    assert.equal(group.DesiredCapacity, 4, 'DesiredCapacity itself is not changed');
    assert.equal(entries(w, 'lifecycle').filter((e) => e.to === 'Terminating' && e.t >= started).length, 0, 'nothing terminated before the new ones are ready');
    const r = await waitStatus(w, ['Successful', 'Failed']);
    assert.equal(r.Status, 'Successful');
    const timeline = servingTimeline(t.history(), { group: 'g', targetGroupArns: [] });
    assert.equal(lowestServing(timeline, started), 4, 'never below 100 %');
    assert.ok(Math.max(...timeline.filter((p) => p.t >= started).map((p) => p.launchingOrServing)) <= 6, 'never above 150 %');
    // EC2's shutdown takes a seeded, variable time: wait for it rather than a fixed 30 s.
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.length === 4, { maxSeconds: 180 });
    group = await describeGroup(w, 'g');
    assert.equal(group.Instances!.length, 4, 'the last old instances are gone once terminated');
    assert.ok(group.Instances!.every((i) => !before.includes(i.InstanceId!)));
  } finally {
    await w.t.close();
  }
});

test('E-34: a failing image with AutoRollback fails, rolls back to the previous version, and reports RollbackDetails', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'rb', 10);
    await createGroup(w, 'g', {
      MinSize: 1,
      MaxSize: 8,
      DesiredCapacity: 3,
      LaunchTemplate: { LaunchTemplateId: w.templateId, Version: '1' },
      TargetGroupARNs: [stack.targetGroupArn],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 60,
    });
    await waitInService(w, 'g', 3);
    const bad = await newTemplateVersion(w, await brokenImage(w));

    // AutoRollback needs a numbered version on the group: $Latest is refused.
    await createGroup(w, 'latest', { MinSize: 0, MaxSize: 1, DesiredCapacity: 0 });
    await assert.rejects(
      start(w, { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(bad) } }, Preferences: { AutoRollback: true } }, 'latest'),
      { name: 'IrreversibleInstanceRefreshFault' },
    );

    const id = await start(w, {
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(bad) } },
      Preferences: { AutoRollback: true, MinHealthyPercentage: 66 },
    });
    const r = await waitStatus(w, ['RollbackSuccessful', 'RollbackFailed', 'Failed', 'Successful']);
    assert.equal(r.Status, 'RollbackSuccessful');
    assert.deepEqual(
      statusChanges(w).map((c) => c.to),
      ['InProgress', 'RollbackInProgress', 'RollbackSuccessful'],
    );
    assert.match(r.RollbackDetails?.RollbackReason ?? '', /auto rollback.*failed to launch or were found unhealthy/);
    assert.ok(r.RollbackDetails?.RollbackStartTime);
    assert.equal(r.RollbackDetails?.PercentageCompleteOnRollback, 0, 'no new instance ever counted as updated');
    const group = await describeGroup(w, 'g');
    assert.equal(group.LaunchTemplate?.Version, '1', 'the group keeps its configuration');
    const live = group.Instances!.filter((i) => i.LifecycleState === 'InService');
    assert.equal(live.length, 3);
    assert.ok(live.every((i) => i.LaunchTemplate?.Version === '1'), 'every instance back on version 1');
    const unhealthy = entries(w, 'health').filter((e) => e.group === 'g' && e.to === 'Unhealthy');
    assert.ok(unhealthy.length >= 3, 'the broken replacements failed their ELB health checks');
    await assert.rejects(w.t.asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'g' })), {
      name: 'ActiveInstanceRefreshNotFoundFault',
      message: 'No in progress or pending Instance Refresh found for Auto Scaling group g',
    });
    assert.equal((await refreshOf(w, 'g', id)).InstanceRefreshId, id);
  } finally {
    await w.t.close();
  }
});

test('E-35: an alarm going into ALARM fails the refresh (and AutoRollback rolls back); without AutoRollback it stays Failed', async () => {
  const w = await startWorld();
  const cw = new CloudWatchClient({ endpoint: w.t.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 8, DesiredCapacity: 4, LaunchTemplate: { LaunchTemplateId: w.templateId, Version: '1' }, HealthCheckGracePeriod: 30 });
    await waitInService(w, 'g', 4);
    const v2 = await newTemplateVersion(w);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'errors',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await assert.rejects(start(w, { Preferences: { AlarmSpecification: { Alarms: ['missing'] } } }), { name: 'ValidationError' });
    await start(w, {
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(v2) } },
      Preferences: { AlarmSpecification: { Alarms: ['errors'] }, AutoRollback: true, MinHealthyPercentage: 75 },
    });
    t.advance(40);
    assert.equal((await refreshOf(w, 'g')).Status, 'InProgress');
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'test' }));
    const alarmedAt = t.emu.sim.now;
    t.advance(10);
    let r = await refreshOf(w, 'g');
    assert.equal(r.Status, 'RollbackInProgress', 'the alarm is seen within one step (10 s)');
    assert.match(r.RollbackDetails?.RollbackReason ?? '', /alarms went into ALARM state: errors/);
    const change = statusChanges(w).find((c) => c.to === 'RollbackInProgress')!;
    assert.ok(change.t - alarmedAt <= 10_000);
    r = await waitStatus(w, ['RollbackSuccessful', 'RollbackFailed']);
    assert.equal(r.Status, 'RollbackSuccessful');
    assert.ok((await describeGroup(w, 'g')).Instances!.filter((i) => i.LifecycleState === 'InService').every((i) => i.LaunchTemplate?.Version === '1'));

    // Without AutoRollback: Failed, and what was replaced stays.
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'OK', StateReason: 'test' }));
    await start(w, { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(v2) } }, Preferences: { AlarmSpecification: { Alarms: ['errors'] } } });
    t.advance(40);
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'test' }));
    r = await waitStatus(w, ['Failed', 'Successful', 'RollbackInProgress'], 60);
    assert.equal(r.Status, 'Failed');
    assert.match(r.StatusReason ?? '', /ALARM state: errors/);
    assert.equal(r.RollbackDetails, undefined);
  } finally {
    cw.destroy();
    await w.t.close();
  }
});

test('E-36: CancelInstanceRefresh lets the batch under way finish, then Cancelled; a manual rollback; BakeTime', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 12, DesiredCapacity: 10, LaunchTemplate: { LaunchTemplateId: w.templateId, Version: '1' }, HealthCheckGracePeriod: 30 });
    await waitInService(w, 'g', 10);
    const v2 = await newTemplateVersion(w);
    await assert.rejects(w.t.asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'g' })), { name: 'ActiveInstanceRefreshNotFoundFault' });

    // Defaults: MinHealthyPercentage 90 → one instance of ten at a time.
    const started = t.emu.sim.now;
    await start(w, { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(v2) } } });
    t.advance(1);
    assert.equal(entries(w, 'lifecycle').filter((e) => e.to === 'Terminating' && e.t >= started).length, 1, 'default 90 %: one at a time');
    await w.t.asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: 'g' }));
    let r = await refreshOf(w, 'g');
    assert.equal(r.Status, 'Cancelling');
    r = await waitStatus(w, ['Cancelled']);
    const cancelledAt = statusChanges(w).find((c) => c.to === 'Cancelled')!.t;
    const inService = entries(w, 'lifecycle').filter((e) => e.to === 'InService' && e.t > started);
    assert.equal(inService.length, 1, 'the replacement under way finished');
    assert.ok(cancelledAt >= inService[0]!.t + 30_000, 'and warmed up before Cancelled');
    assert.equal(entries(w, 'lifecycle').filter((e) => e.to === 'Terminating' && e.t >= started).length, 1, 'no new replacement started');
    let group = await describeGroup(w, 'g');
    assert.equal(group.Instances!.filter((i) => i.LaunchTemplate?.Version === String(v2)).length, 1, 'what was replaced stays');
    assert.equal(group.LaunchTemplate?.Version, '1');

    // A manual rollback while in progress.
    await start(w, { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(v2) } }, Preferences: { MinHealthyPercentage: 80 } });
    t.advance(100);
    await w.t.asg.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: 'g' }));
    r = await refreshOf(w, 'g');
    assert.equal(r.Status, 'RollbackInProgress');
    assert.match(r.RollbackDetails?.RollbackReason ?? '', /user request/);
    r = await waitStatus(w, ['RollbackSuccessful', 'RollbackFailed']);
    assert.equal(r.Status, 'RollbackSuccessful');
    group = await describeGroup(w, 'g');
    const serving = group.Instances!.filter((i) => i.LifecycleState === 'InService');
    assert.equal(serving.length, 10);
    assert.ok(serving.every((i) => i.LaunchTemplate?.Version === '1'), 'the instance left by the cancelled refresh went back too');

    // BakeTime: Baking after the last replacement, then Successful.
    await start(w, { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(v2) } }, Preferences: { MinHealthyPercentage: 50, BakeTime: 300, SkipMatching: true } });
    r = await waitStatus(w, ['Baking', 'Successful']);
    assert.equal(r.Status, 'Baking');
    const bakingAt = t.emu.sim.now;
    r = await waitStatus(w, ['Successful']);
    const done = statusChanges(w).at(-1)!;
    const baked = statusChanges(w).filter((c) => c.to === 'Baking').at(-1)!;
    assert.equal(done.t - baked.t, 300_000, 'BakeTime seconds after the last replacement');
    assert.ok(bakingAt >= baked.t);
    assert.equal((await describeGroup(w, 'g')).LaunchTemplate?.Version, String(v2));
  } finally {
    await w.t.close();
  }
});

test('E-33: SkipMatching replaces only what differs; Ignore leaves protected instances alone; a single instance is replaced even at 100 %', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { MinSize: 1, MaxSize: 4, DesiredCapacity: 1, HealthCheckGracePeriod: 0 });
    const [only] = (await waitInService(w, 'g', 1)).Instances!.map((i) => i.InstanceId!);
    const started = t.emu.sim.now;
    await start(w, { Preferences: { MinHealthyPercentage: 100 } });
    const r = await waitStatus(w, ['Successful', 'Failed']);
    assert.equal(r.Status, 'Successful');
    const gone = entries(w, 'lifecycle').find((e) => e.instanceId === only && e.to === 'Terminating')!;
    assert.equal(gone.t, started + 1_000, 'AWS replaces one at a time even at 100 %: the single instance goes first');

    // SkipMatching with nothing different: nothing to do.
    await start(w, { Preferences: { SkipMatching: true } });
    t.advance(2);
    const skip = await refreshOf(w, 'g');
    assert.equal(skip.Status, 'Successful');
    assert.equal(skip.PercentageComplete, 100);
    assert.equal(skip.InstancesToUpdate, 0);

    // Scale-in protection: Ignore leaves the protected instance alone; Wait (the default) waits one hour, then fails.
    await w.t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2 }));
    const pair = (await waitInService(w, 'g', 2)).Instances!.map((i) => i.InstanceId!);
    await w.t.asg.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: 'g', InstanceIds: [pair[0]!], ProtectedFromScaleIn: true }));
    await start(w, { Preferences: { ScaleInProtectedInstances: 'Ignore', MinHealthyPercentage: 50 } });
    let ignored = await waitStatus(w, ['Successful', 'Failed']);
    assert.equal(ignored.Status, 'Successful');
    let ids = (await describeGroup(w, 'g')).Instances!.filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId!);
    assert.ok(ids.includes(pair[0]!) && !ids.includes(pair[1]!), 'the protected instance stays, the other was replaced');
    const waitStart = t.emu.sim.now;
    await start(w, { Preferences: { MinHealthyPercentage: 50 } });
    t.advance(120);
    ignored = await refreshOf(w, 'g');
    assert.equal(ignored.Status, 'InProgress');
    assert.match(ignored.StatusReason ?? '', new RegExp(`protected from scale in.*${pair[0]}`));
    ignored = await waitStatus(w, ['Failed', 'Successful'], 7200, 'g', 60);
    assert.equal(ignored.Status, 'Failed');
    const failedAt = statusChanges(w).at(-1)!.t;
    assert.ok(failedAt - waitStart >= 3_600_000 && failedAt - waitStart <= 3_700_000, 'after one hour of waiting');
    ids = (await describeGroup(w, 'g')).Instances!.map((i) => i.InstanceId!);
    assert.ok(ids.includes(pair[0]!));
  } finally {
    await w.t.close();
  }
});
