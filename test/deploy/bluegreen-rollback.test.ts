import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { bluegreen, rollbackBlueGreen, VERSION_TAG } from '../../src/deploy/index.js';
import { RECORD_TAGS, readRecord } from '../../src/deploy/index.js';
import { lowestServingSince } from '../helpers/fleet.js';
import { addScalingConfiguration, firstServingAtLeast, launchesSince, scalingConfigurationOf, startPair, traceOf } from '../helpers/pair.js';

test('bluegreen then rollback: the old fleet serves again within about one health-check cycle, nothing launches, policies and schedule move back', async () => {
  const pair = await startPair({ size: 4, maxSize: 6, minSize: 2 });
  try {
    const { fleet } = pair;
    await addScalingConfiguration(pair, pair.blue);
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const startedAt = fleet.clock.now();
    const deployed = await bluegreen(ctx, { app: pair.app, image });
    assert.equal(deployed.outcome, 'succeeded', `${JSON.stringify(deployed)}\n${traceOf(log.events)}`);
    const oldIds = (await fleet.aws.autoscaling.describeGroup(pair.blue)).instances.map((i) => i.id).sort();

    const rollbackAt = fleet.clock.now();
    const { ctx: rctx, log: rlog } = fleet.context({ owner: 'test:rollback' });
    const result = await rollbackBlueGreen(rctx, { app: pair.app });
    const why = `${JSON.stringify(result)}\n${traceOf(rlog.events)}`;
    assert.equal(result.outcome, 'rolled-back', why);
    assert.equal(result.live, pair.blue, why);

    // The same instances serve again, on the old version, with the old sizes.
    const blue = await fleet.aws.autoscaling.describeGroup(pair.blue);
    assert.deepEqual(blue.instances.map((i) => i.id).sort(), oldIds, 'the Standby fleet itself came back');
    assert.ok(blue.instances.every((i) => i.lifecycleState === 'InService' && i.launchTemplate?.version === deployed.fromVersion), why);
    assert.deepEqual([blue.group.minSize, blue.group.maxSize, blue.group.desiredCapacity], [2, 6, 4]);
    assert.deepEqual(blue.group.suspendedProcesses, []);

    // No launch at all during the rollback, and the old version serves again about one health-check cycle after ExitStandby.
    const history = fleet.history();
    assert.deepEqual(launchesSince(history, rollbackAt), [], 'a rollback launches nothing');
    const exitAt = history.find((e) => e.type === 'call' && e.action === 'ExitStandby' && e.t >= rollbackAt)?.t;
    assert.ok(exitAt !== undefined, 'ExitStandby was called');
    const servingAt = firstServingAtLeast(history, pair.blue, [fleet.targetGroupArn], exitAt, 4);
    assert.ok(servingAt !== undefined, 'blue serves 4 again');
    const seconds = (servingAt - exitAt) / 1000;
    // Health check: HealthyThresholdCount 2 × 5 s interval = 10 s, plus the group's reconcile; a fresh launch needs 20 s boot + 10 s ready + 10 s checks.
    assert.ok(seconds <= 20, `old version serving again ${seconds}s after ExitStandby (one health-check cycle is 10s)`);

    // The new group is idle again, as it was: sizes, version, no version tag.
    const green = await fleet.aws.autoscaling.describeGroup(pair.green);
    assert.equal(green.instances.length, 0);
    assert.deepEqual([green.group.minSize, green.group.maxSize, green.group.desiredCapacity], [0, 6, 0]);
    assert.equal(green.group.launchTemplate?.version, '1', 'green back on its version');
    assert.equal(green.group.tags.find((t) => t.key === VERSION_TAG), undefined, 'the version tag it did not have is gone');

    // Policies, schedule and the alarm are back on blue.
    assert.deepEqual(await scalingConfigurationOf(pair, pair.blue), { policies: ['cpu-50', 'scale-out'], actions: ['nightly'] });
    assert.deepEqual(await scalingConfigurationOf(pair, pair.green), { policies: [], actions: [] });
    const bluePolicy = (await fleet.aws.autoscaling.describePolicies(pair.blue)).find((p) => p.PolicyName === 'scale-out')!;
    const allAlarms = (await pair.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    // Target tracking's own alarms are AWS's: they come and go with the policy, on the group that holds it.
    const trackingAlarms = allAlarms.filter((a) => a.AlarmName!.startsWith('TargetTracking-'));
    assert.equal(trackingAlarms.length, 1, 'the AlarmHigh of the one target tracking policy (no AlarmLow: it disables scale-in)');
    assert.ok(trackingAlarms.every((a) => a.AlarmName!.startsWith(`TargetTracking-${pair.blue}-`)), trackingAlarms.map((a) => a.AlarmName).join(', '));
    const alarms = allAlarms.filter((a) => !a.AlarmName!.startsWith('TargetTracking-'));
    assert.deepEqual(alarms.map((a) => [a.AlarmName, a.AlarmActions, a.Dimensions?.[0]?.Value]), [[`${pair.blue}-cpu-high`, [bluePolicy.PolicyARN], pair.blue]]);

    for (const name of [pair.blue, pair.green]) {
      const { group } = await fleet.aws.autoscaling.describeGroup(name);
      assert.equal(readRecord(group), undefined, `${name} record closed`);
      assert.match(group.tags.find((t) => t.key === RECORD_TAGS.last)?.value ?? '', /outcome=rolled-back/);
    }
    assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4, `serving across the pair dropped to ${lowestServingSince(pair.serving(), startedAt)}`);
    assert.equal(rlog.of('standby-exited')[0]?.instanceIds.length, 4);
  } finally {
    await pair.close();
  }
});
