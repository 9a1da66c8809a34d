/**
 * E-14 lifecycle hooks: Pending:Wait / Terminating:Wait until
 * CompleteLifecycleAction or the heartbeat timeout's default result;
 * RecordLifecycleActionHeartbeat extends the wait.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompleteLifecycleActionCommand,
  DeleteLifecycleHookCommand,
  DescribeLifecycleHooksCommand,
  PutLifecycleHookCommand,
  RecordLifecycleActionHeartbeatCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import { activitiesOf, createGroup, createStack, describeGroup, entries, startWorld, waitInService, type AsgWorld } from './autoscaling-fixtures.test.js';

const LAUNCHING = 'autoscaling:EC2_INSTANCE_LAUNCHING';
const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';

function lifecycleSince(w: AsgWorld, id: string, since: number): string[] {
  return entries(w, 'lifecycle')
    .filter((e) => e.instanceId === id && e.t >= since)
    .map((e) => `${e.to ?? 'gone'}@${(e.t - since) / 1000}`);
}

async function stateOf(w: AsgWorld, group: string, id: string): Promise<string | undefined> {
  return (await describeGroup(w, group)).Instances!.find((i) => i.InstanceId === id)?.LifecycleState;
}

test('E-14 launching hook: Pending:Wait until CONTINUE; ABANDON terminates and replaces; a heartbeat extends the timeout', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { DesiredCapacity: 0 });
    await t.asg.send(
      new PutLifecycleHookCommand({ AutoScalingGroupName: 'g', LifecycleHookName: 'warmup', LifecycleTransition: LAUNCHING, HeartbeatTimeout: 60 }),
    );
    const hooks = await t.asg.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual(hooks.LifecycleHooks, [
      {
        AutoScalingGroupName: 'g',
        LifecycleHookName: 'warmup',
        LifecycleTransition: LAUNCHING,
        HeartbeatTimeout: 60,
        GlobalTimeout: 6000,
        DefaultResult: 'ABANDON',
      },
    ]);

    const start = t.emu.sim.now;
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2 }));
    await t.advanceUntil(async () => {
      const instances = (await describeGroup(w, 'g')).Instances!;
      return instances.length === 2 && instances.every((i) => i.LifecycleState === 'Pending:Wait');
    });
    const [keep, drop] = (await describeGroup(w, 'g')).Instances!.map((i) => i.InstanceId!) as [string, string];
    assert.equal((await activitiesOf(w, 'g'))[0]!.StatusCode, 'MidLifecycleAction');

    // Heartbeat at +20 s moves keep's timeout to +80 s; complete it with CONTINUE at +70 s.
    t.advance(20);
    await t.asg.send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: 'g', LifecycleHookName: 'warmup', InstanceId: keep }));
    t.advance(45);
    assert.equal(await stateOf(w, 'g', keep), 'Pending:Wait', 'still held past the original 60 s');
    assert.equal(await stateOf(w, 'g', drop), undefined, 'the other timed out after 60 s with the default ABANDON and is gone');
    await t.asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'g', LifecycleHookName: 'warmup', InstanceId: keep, LifecycleActionResult: 'CONTINUE' }));
    assert.equal(await stateOf(w, 'g', keep), 'InService');
    const running = entries(w, 'instance').find((e) => e.instanceId === keep && e.to === 'running')!.t;
    assert.deepEqual(lifecycleSince(w, keep, running), ['Pending:Wait@0', 'Pending:Proceed@65', 'InService@65']);
    const dropRunning = entries(w, 'instance').find((e) => e.instanceId === drop && e.to === 'running')!.t;
    assert.deepEqual(lifecycleSince(w, drop, dropRunning).slice(0, 3), ['Pending:Wait@0', 'Terminating@60', 'Terminating:Proceed@60']);
    const dropLaunch = (await activitiesOf(w, 'g')).find((a) => a.Description!.startsWith(`Launching a new EC2 instance: ${drop}`))!;
    assert.equal(dropLaunch.StatusCode, 'Cancelled');
    assert.match(dropLaunch.StatusMessage!, /^Instance failed to complete user's Lifecycle Action: Lifecycle Action with token [0-9a-f-]{36} was abandoned: Heartbeat Timeout$/);

    // The replacement waits too; ABANDON it explicitly.
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.some((i) => i.LifecycleState === 'Pending:Wait'));
    const replacement = (await describeGroup(w, 'g')).Instances!.find((i) => i.LifecycleState === 'Pending:Wait')!.InstanceId!;
    await t.asg.send(
      new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'g', LifecycleHookName: 'warmup', InstanceId: replacement, LifecycleActionResult: 'ABANDON' }),
    );
    assert.ok((await stateOf(w, 'g', replacement))?.startsWith('Terminating'));
    const abandoned = (await activitiesOf(w, 'g')).find((a) => a.Description!.startsWith(`Launching a new EC2 instance: ${replacement}`))!;
    assert.match(abandoned.StatusMessage!, /was abandoned: Lifecycle Action Completed with ABANDON Result$/);
    await assert.rejects(
      t.asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'g', LifecycleHookName: 'warmup', InstanceId: keep, LifecycleActionResult: 'CONTINUE' })),
      { name: 'ValidationError', message: `No active Lifecycle Action found with instance ID ${keep}` },
    );
    assert.ok(t.emu.sim.now - start > 60_000);
  } finally {
    await w.t.close();
  }
});

test('E-14 terminating hook: Terminating:Wait after draining, until CONTINUE, the default result, or the hook is deleted', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const stack = await createStack(w, 'hook', 20);
    await createGroup(w, 'g', { DesiredCapacity: 3, TargetGroupARNs: [stack.targetGroupArn] });
    await waitInService(w, 'g', 3);
    t.advance(1);
    await t.asg.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: 'g',
        LifecycleHookName: 'drain-logs',
        LifecycleTransition: TERMINATING,
        HeartbeatTimeout: 120,
        DefaultResult: 'CONTINUE',
      }),
    );
    const scaleIn = t.emu.sim.now;
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 0 }));
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.every((i) => i.LifecycleState === 'Terminating:Wait'));
    const [first, second, third] = (await describeGroup(w, 'g')).Instances!.map((i) => i.InstanceId!) as [string, string, string];
    assert.deepEqual(lifecycleSince(w, first, scaleIn), ['Terminating@1', 'Terminating:Wait@21'], 'the hook runs once the 20 s drain is over');

    await t.asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: 'g', LifecycleHookName: 'drain-logs', InstanceId: first, LifecycleActionResult: 'CONTINUE' }));
    assert.equal(await stateOf(w, 'g', first), 'Terminating:Proceed');
    // Deleting the hook completes the outstanding terminating actions with CONTINUE…
    await t.asg.send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: 'g', LifecycleHookName: 'drain-logs' }));
    assert.equal(await stateOf(w, 'g', second), 'Terminating:Proceed');
    assert.equal(await stateOf(w, 'g', third), 'Terminating:Proceed');
    await t.advanceUntil(async () => (await describeGroup(w, 'g')).Instances!.length === 0);
    for (const id of [first, second, third]) {
      const states = lifecycleSince(w, id, scaleIn).map((s) => s.split('@')[0]);
      assert.deepEqual(states, ['Terminating', 'Terminating:Wait', 'Terminating:Proceed', 'Terminated', 'gone']);
    }
    assert.ok((await activitiesOf(w, 'g')).filter((a) => a.Description!.startsWith('Terminating')).every((a) => a.StatusCode === 'Successful'));
  } finally {
    await w.t.close();
  }
});

test('E-14 terminating hook: the heartbeat timeout applies the default result', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { DesiredCapacity: 1 });
    const id = (await waitInService(w, 'g', 1)).Instances![0]!.InstanceId!;
    t.advance(1);
    await t.asg.send(
      new PutLifecycleHookCommand({ AutoScalingGroupName: 'g', LifecycleHookName: 'h', LifecycleTransition: TERMINATING, HeartbeatTimeout: 30 }),
    );
    const scaleIn = t.emu.sim.now;
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 0 }));
    t.advance(100);
    // ABANDON on a terminating hook still terminates (it only skips the remaining hooks).
    assert.deepEqual(lifecycleSince(w, id, scaleIn).slice(0, 4), ['Terminating@1', 'Terminating:Wait@1', 'Terminating:Proceed@31', `Terminated@${(entries(w, 'instance').find((e) => e.instanceId === id && e.to === 'terminated')!.t - scaleIn) / 1000}`]);
  } finally {
    await w.t.close();
  }
});
