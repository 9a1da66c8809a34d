/**
 * Health checking scales to 10,000 targets: one queued event per target, no
 * scans over all targets per check, and DescribeTargetHealth still answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeImagesCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestEmulator } from '../helpers/emulator.js';
import { launchInstance } from '../../src/emulator/services/ec2/index.js';
import { registerInstance, targetState } from '../../src/emulator/services/elbv2/index.js';

const TARGETS = 10_000;

test('10,000 targets become healthy on schedule with one queued check each', async () => {
  const t = await startTestEmulator();
  try {
    const subnets = (await t.ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    const vpcId = subnets[0]!.VpcId!;
    const imageId = (await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
    const tg = await t.elb.send(
      new CreateTargetGroupCommand({ Name: 'big', Protocol: 'HTTP', Port: 80, VpcId: vpcId, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2 }),
    );
    const tgArn = tg.TargetGroups![0]!.TargetGroupArn!;
    const lb = await t.elb.send(new CreateLoadBalancerCommand({ Name: 'big-lb', Subnets: subnets.map((s) => s.SubnetId!) }));
    await t.elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }),
    );

    const { sim } = t.emu;
    const region = sim.region('us-east-1');
    const zones = subnets.map((s) => s.AvailabilityZone!);
    const ids: string[] = [];
    for (let i = 0; i < TARGETS; i++) {
      const instance = launchInstance(sim, region, {
        imageId,
        instanceType: 't3.micro',
        availabilityZone: zones[i % zones.length]!,
        tags: [{ Key: 'emulator:ready-seconds', Value: '0' }],
      });
      ids.push(instance.instanceId);
    }
    t.advance(120); // every instance boots
    assert.ok(ids.every((id) => region.ec2.instances.get(id)?.state === 'running'));

    const started = performance.now();
    for (const id of ids) registerInstance(sim, region, tgArn, id);
    const queuedAfterRegistration = sim.scheduler.size;
    t.advance(20); // two checks at 10 s intervals
    const elapsedMs = performance.now() - started;

    assert.ok(ids.every((id) => targetState(region, tgArn, id) === 'healthy'), 'all healthy after HealthyThresholdCount × interval');
    assert.ok(sim.scheduler.size <= queuedAfterRegistration + 10, `one queued check per target (${sim.scheduler.size} queued)`);
    assert.ok(elapsedMs < 5000, `registering and checking 10,000 targets took ${elapsedMs.toFixed(0)} ms`);

    const described = await t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    assert.equal(described.TargetHealthDescriptions!.length, TARGETS);
    assert.ok(described.TargetHealthDescriptions!.every((d) => d.TargetHealth?.State === 'healthy'));
  } finally {
    await t.close();
  }
});
