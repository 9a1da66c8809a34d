import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { bluegreen, VERSION_TAG } from '../../src/deploy/index.js';
import { RECORD_TAGS, readRecord } from '../../src/deploy/index.js';
import { groupFieldChanges, lowestServingSince } from '../helpers/fleet.js';
import { addScalingConfiguration, groupTouchedSince, scalingConfigurationOf, startPair, traceOf } from '../helpers/pair.js';

test('bluegreen of a release that never gets healthy: the live group is never touched, the new group returns to idle', async () => {
  const pair = await startPair({ size: 4, maxSize: 6, minSize: 2 });
  try {
    const { fleet } = pair;
    await addScalingConfiguration(pair, pair.blue);
    const image = await fleet.image({ 'emulator:health': 'unhealthy' });
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const result = await bluegreen(ctx, { app: pair.app, image, maxFailedLaunches: 2 });
    const why = `${JSON.stringify(result)}\n${traceOf(log.events)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    assert.ok(log.of('instance-failed').length > 2, why);
    assert.equal(log.of('standby-entered').length, 0, why);

    // From the history: not one change to blue's sizes, processes or instances (only its record tags).
    const touched = groupTouchedSince(fleet.history(), pair.blue, startedAt);
    assert.deepEqual(touched, [], `blue was touched: ${JSON.stringify(touched.slice(0, 5))}`);
    assert.deepEqual(groupFieldChanges(fleet.history(), pair.blue, 'DesiredCapacity', startedAt), []);
    const blue = await fleet.aws.autoscaling.describeGroup(pair.blue);
    assert.deepEqual([blue.group.minSize, blue.group.maxSize, blue.group.desiredCapacity], [2, 6, 4]);
    assert.equal(blue.instances.filter((i) => i.lifecycleState === 'InService').length, 4);

    const green = await fleet.aws.autoscaling.describeGroup(pair.green);
    assert.equal(green.instances.length, 0, 'the failed fleet is gone');
    assert.deepEqual([green.group.minSize, green.group.desiredCapacity, green.group.launchTemplate?.version], [0, 0, '1']);
    assert.equal(green.group.tags.find((t) => t.key === VERSION_TAG), undefined);
    assert.deepEqual(green.group.suspendedProcesses, []);
    assert.deepEqual(await scalingConfigurationOf(pair, pair.green), { policies: [], actions: [] }, 'the copies are gone');
    assert.deepEqual(await scalingConfigurationOf(pair, pair.blue), { policies: ['cpu-50', 'scale-out'], actions: ['nightly'] });
    const allAlarms = (await pair.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    // Target tracking's own alarms are AWS's: they come and go with the policy, on the group that holds it.
    const trackingAlarms = allAlarms.filter((a) => a.AlarmName!.startsWith('TargetTracking-'));
    assert.equal(trackingAlarms.length, 1, 'the AlarmHigh of the one target tracking policy (no AlarmLow: it disables scale-in)');
    assert.ok(trackingAlarms.every((a) => a.AlarmName!.startsWith(`TargetTracking-${pair.blue}-`)), trackingAlarms.map((a) => a.AlarmName).join(', '));
    const alarms = allAlarms.filter((a) => !a.AlarmName!.startsWith('TargetTracking-'));
    assert.deepEqual(alarms.map((a) => a.AlarmName), [`${pair.blue}-cpu-high`]);

    for (const name of [pair.blue, pair.green]) {
      const { group } = await fleet.aws.autoscaling.describeGroup(name);
      assert.equal(readRecord(group), undefined);
      assert.match(group.tags.find((t) => t.key === RECORD_TAGS.last)?.value ?? '', /outcome=rolled-back/);
    }
    assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4);
  } finally {
    await pair.close();
  }
});
