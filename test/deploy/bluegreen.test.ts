import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { bluegreen, finishBlueGreen, VERSION_TAG } from '../../src/deploy/index.js';
import { RECORD_TAGS, describeFleetStatus, readRecord } from '../../src/deploy/index.js';
import { formatStatus } from '../../src/cli/commands/status.js';
import { readState } from '../../src/deploy/engine/state.js';
import { lowestServingSince, peakLaunchingOrServingSince } from '../helpers/fleet.js';
import { addScalingConfiguration, scalingConfigurationOf, startPair, traceOf } from '../helpers/pair.js';

test('bluegreen then finish: the green group serves the new version, policies, alarm and schedule move with it, the floor holds across both groups', async () => {
  const pair = await startPair({ size: 4, maxSize: 6, minSize: 2 });
  try {
    const { fleet } = pair;
    const { policyArn } = await addScalingConfiguration(pair, pair.blue);
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await bluegreen(ctx, { app: pair.app, image });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'succeeded', why);
    assert.equal(result.live, pair.green, why);
    assert.equal(result.standby, pair.blue, why);

    const green = await fleet.aws.autoscaling.describeGroup(pair.green);
    const blue = await fleet.aws.autoscaling.describeGroup(pair.blue);
    const inService = green.instances.filter((i) => i.lifecycleState === 'InService');
    assert.equal(inService.length, 4, why);
    assert.ok(inService.every((i) => i.launchTemplate?.version === result.toVersion), `green runs version ${result.toVersion}`);
    assert.deepEqual([green.group.minSize, green.group.maxSize, green.group.desiredCapacity], [2, 6, 4], 'green has the live sizes');
    assert.equal(green.group.launchTemplate?.version, result.toVersion, 'green pinned to the number');
    const versionTag = green.group.tags.find((t) => t.key === VERSION_TAG);
    assert.deepEqual([versionTag?.value, versionTag?.propagateAtLaunch], [result.toVersion, true]);
    const ec2 = await fleet.ec2.send(new DescribeInstancesCommand({ InstanceIds: [inService[0]!.id] }));
    assert.equal(ec2.Reservations?.[0]?.Instances?.[0]?.Tags?.find((t) => t.Key === VERSION_TAG)?.Value, result.toVersion, 'the version tag reached the instances');

    assert.equal(blue.instances.filter((i) => i.lifecycleState === 'Standby').length, 4, 'the old fleet waits in Standby');
    assert.deepEqual([blue.group.minSize, blue.group.desiredCapacity], [0, 0]);
    assert.deepEqual(blue.group.suspendedProcesses, [], 'processes resumed on blue');
    assert.deepEqual(green.group.suspendedProcesses, [], 'processes resumed on green');

    // Policies, the alarm (renamed and re-pointed) and the schedule are on green now.
    assert.deepEqual(await scalingConfigurationOf(pair, pair.green), { policies: ['cpu-50', 'scale-out'], actions: ['nightly'] });
    assert.deepEqual(await scalingConfigurationOf(pair, pair.blue), { policies: [], actions: [] });
    const greenPolicy = (await fleet.aws.autoscaling.describePolicies(pair.green)).find((p) => p.PolicyName === 'scale-out')!;
    const allAlarms = (await pair.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    // Target tracking's own alarms are AWS's: they come and go with the policy, on the group that holds it.
    const trackingAlarms = allAlarms.filter((a) => a.AlarmName!.startsWith('TargetTracking-'));
    assert.equal(trackingAlarms.length, 1, 'the AlarmHigh of the one target tracking policy (no AlarmLow: it disables scale-in)');
    assert.ok(trackingAlarms.every((a) => a.AlarmName!.startsWith(`TargetTracking-${pair.green}-`)), trackingAlarms.map((a) => a.AlarmName).join(', '));
    const alarms = allAlarms.filter((a) => !a.AlarmName!.startsWith('TargetTracking-'));
    assert.deepEqual(alarms.map((a) => a.AlarmName), [`${pair.green}-cpu-high`]);
    assert.deepEqual(alarms[0]!.AlarmActions, [greenPolicy.PolicyARN]);
    assert.notEqual(greenPolicy.PolicyARN, policyArn);
    assert.deepEqual(alarms[0]!.Dimensions, [{ Name: 'AutoScalingGroupName', Value: pair.green }]);

    // The record stays, unlocked, awaiting finish or rollback.
    for (const d of [green, blue]) {
      assert.equal(readRecord(d.group)?.phase, 'suspended', `${d.group.name} record`);
      assert.equal(readState(d.group).step, 'switched');
      assert.equal(d.group.tags.find((t) => t.key === RECORD_TAGS.lock), undefined, 'no lock while awaiting the decision');
    }
    const points = pair.serving();
    assert.ok(lowestServingSince(points, startedAt) >= 4, `serving across the pair dropped to ${lowestServingSince(points, startedAt)}`);
    assert.ok(peakLaunchingOrServingSince(points, startedAt) <= 8, `launching+serving peaked at ${peakLaunchingOrServingSince(points, startedAt)}`);
    for (const code of ['plan', 'locked', 'instance-ready', 'progress', 'traffic-switched', 'done', 'awaiting-decision'] as const) assert.ok(log.of(code).length > 0, `event ${code}`);

    // `status` tells the operator what is pending on either group.
    for (const group of [pair.blue, pair.green]) {
      const lines = formatStatus(await describeFleetStatus({ aws: fleet.aws }, group)).join('\n');
      assert.match(lines, /bluegreen step switched/, lines);
      assert.match(lines, new RegExp(`asg-deploy finish ${pair.app}`), lines);
    }

    const finishAt = fleet.clock.now();
    const { ctx: fctx, log: flog } = fleet.context({ owner: 'test:finish' });
    const finished = await finishBlueGreen(fctx, { app: pair.app });
    const fwhy = `${JSON.stringify(finished)}\n${traceOf(flog.events)}`;
    assert.equal(finished.outcome, 'succeeded', fwhy);
    const after = await fleet.aws.autoscaling.describeGroup(pair.blue);
    assert.equal(after.instances.length, 0, 'the Standby fleet is gone');
    assert.deepEqual([after.group.minSize, after.group.maxSize, after.group.desiredCapacity], [0, 6, 0]);
    for (const name of [pair.blue, pair.green]) {
      const { group } = await fleet.aws.autoscaling.describeGroup(name);
      assert.equal(readRecord(group), undefined, `${name} record closed`);
      assert.match(group.tags.find((t) => t.key === RECORD_TAGS.last)?.value ?? '', /outcome=done/);
    }
    assert.ok(lowestServingSince(pair.serving(), finishAt) >= 4, 'finish never touched serving capacity');
    assert.equal(flog.of('instance-retiring').length, 4);
  } finally {
    await pair.close();
  }
});
