/**
 * A large group stays cheap: 5,000 instances behind a target group launch,
 * serve, and scale in to 50 within a few real seconds (each reconcile pass
 * and the termination choice are linear in the group's size).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { createGroup, createStack, describeGroup, entries, startWorld } from './autoscaling-fixtures.test.js';

test('a 5,000-instance group launches, goes InService and scales in without quadratic work', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const size = 5_000;
    const stack = await createStack(w, 'big', 30);
    const started = performance.now();
    await createGroup(w, 'big', { MaxSize: size, DesiredCapacity: size, TargetGroupARNs: [stack.targetGroupArn], HealthCheckType: 'ELB', HealthCheckGracePeriod: 60 });
    t.advance(40);
    const group = await describeGroup(w, 'big');
    assert.equal(group.Instances!.filter((i) => i.LifecycleState === 'InService').length, size);
    const perZone = w.zones.map((z) => group.Instances!.filter((i) => i.AvailabilityZone === z).length);
    assert.ok(Math.max(...perZone) - Math.min(...perZone) <= 1, 'spread evenly');
    t.advance(60);
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'big', DesiredCapacity: 50 }));
    t.advance(40);
    const after = await describeGroup(w, 'big');
    assert.equal(after.Instances!.length, 50);
    assert.equal(entries(w, 'lifecycle').filter((e) => e.to === null).length, size - 50);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 20, `took ${seconds.toFixed(1)} s of real time`);
  } finally {
    await w.t.close();
  }
});
