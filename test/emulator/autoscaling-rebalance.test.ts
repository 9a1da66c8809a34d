/**
 * E-5 AZRebalance: a settled group whose AZs differ by more than one instance
 * launches in the smallest AZ first, then terminates in the largest; nothing
 * happens while AZRebalance is suspended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttachInstancesCommand, SuspendProcessesCommand } from '@aws-sdk/client-auto-scaling';
import { RunInstancesCommand } from '@aws-sdk/client-ec2';
import { createGroup, describeGroup, entries, startWorld, waitInService, type AsgWorld } from './autoscaling-fixtures.test.js';

/** Makes the group 3/1/1 by attaching two instances in the first AZ; returns the instant of the attach. */
async function imbalance(w: AsgWorld): Promise<number> {
  await createGroup(w, 'g', { MinSize: 0, MaxSize: 10, DesiredCapacity: 3 });
  await waitInService(w, 'g', 3);
  const out = await w.t.ec2.send(new RunInstancesCommand({ ImageId: w.imageId, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2, SubnetId: w.subnetIds[0] }));
  w.t.advance(60);
  const attachedAt = w.t.emu.sim.now;
  await w.t.asg.send(new AttachInstancesCommand({ AutoScalingGroupName: 'g', InstanceIds: out.Instances!.map((i) => i.InstanceId!) }));
  return attachedAt;
}

function perZone(group: Awaited<ReturnType<typeof describeGroup>>): number[] {
  const counts = new Map<string, number>();
  for (const i of group.Instances ?? []) if (i.LifecycleState === 'InService') counts.set(i.AvailabilityZone!, (counts.get(i.AvailabilityZone!) ?? 0) + 1);
  return [...counts.values()].sort();
}

test('E-5 AZRebalance: 3/1/1 becomes 2/2/1 by launching first, never dipping below desired', async () => {
  const w = await startWorld();
  try {
    const start = await imbalance(w);
    await w.t.advanceUntil(async () => JSON.stringify(perZone(await describeGroup(w, 'g'))) === '[1,2,2]' && (await describeGroup(w, 'g')).Instances!.length === 5, { maxSeconds: 900, stepSeconds: 5 });
    const lifecycle = entries(w, 'lifecycle').filter((e) => e.t >= start);
    const firstLaunch = lifecycle.find((e) => e.from === null && e.to === 'Pending')!;
    const firstTerminate = lifecycle.find((e) => e.to === 'Terminating')!;
    assert.ok(firstLaunch && firstTerminate && firstLaunch.t < firstTerminate.t, `launches before it terminates: ${JSON.stringify(lifecycle.map((e) => [e.t - start, e.instanceId, e.from, e.to]))}`);
    // InService count never below desired (5) during the rebalance.
    let inService = 5;
    let lowest = 5;
    for (const e of lifecycle) {
      if (e.to === 'InService') inService++;
      if (e.from === 'InService') inService--;
      lowest = Math.min(lowest, inService);
    }
    assert.equal(lowest, 5);
    assert.equal((await describeGroup(w, 'g')).DesiredCapacity, 5);
  } finally {
    await w.t.close();
  }
});

test('E-5 AZRebalance suspended: the imbalance stays', async () => {
  const w = await startWorld();
  try {
    await w.t.asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'g', ScalingProcesses: ['AZRebalance'] })).catch(() => undefined);
    await createGroup(w, 'h', { MinSize: 0, MaxSize: 10, DesiredCapacity: 0 });
    await w.t.asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'h', ScalingProcesses: ['AZRebalance'] }));
    const out = await w.t.ec2.send(new RunInstancesCommand({ ImageId: w.imageId, InstanceType: 't3.micro', MinCount: 3, MaxCount: 3, SubnetId: w.subnetIds[0] }));
    w.t.advance(60);
    await w.t.asg.send(new AttachInstancesCommand({ AutoScalingGroupName: 'h', InstanceIds: out.Instances!.map((i) => i.InstanceId!) }));
    w.t.advance(600);
    const group = await describeGroup(w, 'h');
    assert.deepEqual(perZone(group), [3]);
    assert.equal(group.Instances!.length, 3);
  } finally {
    await w.t.close();
  }
});
