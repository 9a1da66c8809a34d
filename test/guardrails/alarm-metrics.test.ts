/**
 * The alarm guardrail on a real alarm: the emulator evaluates it on the
 * metrics a healthy-but-broken release produces (`emulator:error-rate` under
 * load, HTTPCode_Target_5XX_Count per target group and load balancer, as ALB
 * publishes it), no SetAlarmState involved.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EventLog } from '../../src/deploy/events.js';
import type { GuardVerdict } from '../../src/deploy/guardrail.js';
import { alarmGuardrail } from '../../src/deploy/guardrails/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { startFleet, waitFor, type TestFleet } from '../helpers/fleet.js';

let f: TestFleet;
const sdk = () => ({ endpoint: f.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
before(async () => {
  f = await startFleet({ size: 2, name: 'metrics' });
});
after(async () => {
  await f.close();
});

test('a release serving 5xx while healthy sends the target group 5xx alarm to ALARM, and watch stops the deploy naming it and quoting CloudWatch', async (t) => {
  const cw = new CloudWatchClient(sdk());
  const elb = new ElasticLoadBalancingV2Client(sdk());
  try {
    const tg = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [f.targetGroupArn] }))).TargetGroups![0]!;
    const lbArn = tg.LoadBalancerArns![0]!;
    // The alarm the README tells users to create: dimensions as ALB publishes them.
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'metrics-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: [
          { Name: 'TargetGroup', Value: f.targetGroupArn.slice(f.targetGroupArn.indexOf('targetgroup/')) },
          { Name: 'LoadBalancer', Value: lbArn.slice(lbArn.indexOf(':loadbalancer/') + ':loadbalancer/'.length) },
        ],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 50,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    const log = new EventLog();
    const ctx = { aws: f.aws, clock: f.clock, emit: log.sink, group: f.group, deployId: 'd-metrics', targetVersion: '2', direction: 'forward' as const };
    const guard = alarmGuardrail(['metrics-5xx']);
    await guard.preflight!(ctx);
    const load = await fetch(`${f.emu.endpoint}/_emulator/load`, { method: 'POST', body: JSON.stringify({ targetGroupArn: f.targetGroupArn, requestsPerSecond: 10 }) });
    assert.equal(load.status, 200);
    // Two healthy minutes under load: the alarm stays quiet.
    const quietUntil = f.clock.now() + 150_000;
    await waitFor(f.clock, async () => (assert.deepEqual(await guard.watch!(ctx), { ok: true }), f.clock.now() >= quietUntil), 'two quiet minutes', 600);

    // The "new release" on one instance answers half its requests with 5xx: 300 a minute per target → 150 errors.
    const { instances } = await f.aws.snapshotFleet(f.group);
    await f.ec2.send(new CreateTagsCommand({ Resources: [instances[0]!.id], Tags: [{ Key: 'emulator:error-rate', Value: '0.5' }] }));
    const broken = f.clock.now();
    const verdict = await waitFor(
      f.clock,
      async () => {
        const v: GuardVerdict = await guard.watch!(ctx);
        return v.ok ? undefined : v;
      },
      'the alarm to stop the deploy',
      600,
    );
    const caughtAfter = (f.clock.now() - broken) / 1000;
    t.diagnostic(`alarm caught the 5xx release ${caughtAfter.toFixed(0)} simulated seconds after its errors started`);
    assert.ok(!verdict.ok);
    assert.match(verdict.reason, /^alarm metrics-5xx is in ALARM: Threshold Crossed: 1 datapoint \[1\d\d\.0 .*\] was greater than the threshold \(50\.0\)\.$/);
    assert.ok(caughtAfter <= 180, `caught ${caughtAfter}s after the errors started (one 60 s period plus the minute tick)`);
    const changes = log.of('alarm-state-changed');
    assert.equal(changes.at(-1)?.to, 'ALARM');
    // Healthy all along: no health check would have caught it.
    const fleet = await f.aws.snapshotFleet(f.group);
    assert.ok(fleet.instances.every((i) => i.healthStatus === 'Healthy' && i.lifecycleState === 'InService'));
    assert.ok(Object.values(fleet.targetHealth[f.targetGroupArn] ?? {}).every((t) => t.state === 'healthy'));
  } finally {
    cw.destroy();
    elb.destroy();
  }
});
