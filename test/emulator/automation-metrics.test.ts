/**
 * E-24 … E-26: metrics with AWS's namespaces, names, dimensions and value
 * formats, from the load and the behaviour tags; PutMetricData,
 * GetMetricStatistics, GetMetricData, ListMetrics; metrics collection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeMetricCollectionTypesCommand,
  DisableMetricsCollectionCommand,
  EnableMetricsCollectionCommand,
} from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTagsCommand } from '@aws-sdk/client-ec2';
import { describeGroup } from './autoscaling-fixtures.test.js';
import { advanceToNextMinute, assertClose, createServingGroup, setLoad, startAutomationWorld, statistic } from './automation-fixtures.test.js';

test('E-24/E-25 load spreads over healthy targets: ALB metrics per target group and load balancer, CPU per instance and per group', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const ids = (await describeGroup(w, 'g')).Instances!.map((i) => i.InstanceId!).sort();
    await w.t.ec2.send(new CreateTagsCommand({ Resources: [ids[0]!], Tags: [{ Key: 'emulator:latency-ms', Value: '200' }] }));
    await w.t.ec2.send(new CreateTagsCommand({ Resources: [ids[1]!], Tags: [{ Key: 'emulator:cpu-per-request', Value: '2' }] }));
    advanceToNextMinute(w);
    const from = w.t.emu.sim.now;
    assert.equal((await setLoad(w, w.stack.targetGroupArn, 20)).status, 200);
    advanceToNextMinute(w);
    advanceToNextMinute(w);
    const to = w.t.emu.sim.now;

    const tg = w.stack.targetGroupArn.slice(w.stack.targetGroupArn.indexOf('targetgroup/'));
    const lb = w.stack.loadBalancerArn.split(':loadbalancer/')[1]!;
    assert.match(tg, /^targetgroup\/web-tg\/[0-9a-f]{16}$/);
    assert.match(lb, /^app\/web-lb\/[0-9a-f]{16}$/);
    const elb = (name: string, dims: [string, string][]) => ({ namespace: 'AWS/ApplicationELB', name, dimensions: dims.map(([Name, Value]) => ({ Name, Value })) });
    const both: [string, string][] = [['LoadBalancer', lb], ['TargetGroup', tg]];
    assert.deepEqual((await statistic(w, elb('RequestCount', both), 'Sum', from, to)).map((p) => p.value), [1200, 1200]);
    assert.deepEqual((await statistic(w, elb('RequestCount', [['LoadBalancer', lb]]), 'Sum', from, to)).map((p) => p.value), [1200, 1200]);
    assert.deepEqual((await statistic(w, elb('RequestCountPerTarget', [['TargetGroup', tg]]), 'Sum', from, to)).map((p) => p.value), [600, 600]);
    assert.deepEqual((await statistic(w, elb('HealthyHostCount', both), 'Average', from, to)).map((p) => p.value), [2, 2]);
    assert.deepEqual((await statistic(w, elb('UnHealthyHostCount', both), 'Maximum', from, to)).map((p) => p.value), [0, 0]);
    assert.deepEqual((await statistic(w, elb('HTTPCode_Target_5XX_Count', both), 'Sum', from, to)).map((p) => p.value), [0, 0]);
    // Half the requests take 200 ms, half the default 10 ms.
    const latency = await statistic(w, elb('TargetResponseTime', both), 'Average', from, to);
    assertClose(latency[0]!.value, 0.105, 'TargetResponseTime average');
    assert.deepEqual((await statistic(w, elb('TargetResponseTime', both), 'Maximum', from, to)).map((p) => p.value), [0.2, 0.2]);

    // 10 req/s each: 2 + 10 × 1 = 12 % and 2 + 10 × 2 = 22 %; the group averages 17 %.
    const cpu = (dims: [string, string][]) => ({ namespace: 'AWS/EC2', name: 'CPUUtilization', dimensions: dims.map(([Name, Value]) => ({ Name, Value })) });
    assert.deepEqual((await statistic(w, cpu([['InstanceId', ids[0]!]]), 'Average', from, to)).map((p) => p.value), [12, 12]);
    assert.deepEqual((await statistic(w, cpu([['InstanceId', ids[1]!]]), 'Average', from, to)).map((p) => p.value), [22, 22]);
    assert.deepEqual((await statistic(w, cpu([['AutoScalingGroupName', 'g']]), 'Average', from, to)).map((p) => p.value), [17, 17]);
    assert.deepEqual((await statistic(w, cpu([['AutoScalingGroupName', 'g']]), 'SampleCount', from, to)).map((p) => p.value), [2, 2]);
    assert.deepEqual((await statistic(w, cpu([['AutoScalingGroupName', 'g']]), 'Average', from, to, 120)).map((p) => p.value), [17]);

    // A fixed CPU wins over the load; 0 clears the load and request metrics stop (ELB reports only while requests flow).
    await w.t.ec2.send(new CreateTagsCommand({ Resources: [ids[0]!], Tags: [{ Key: 'emulator:cpu', Value: '95' }] }));
    await setLoad(w, w.stack.targetGroupArn, 0);
    advanceToNextMinute(w);
    const after = w.t.emu.sim.now;
    assert.deepEqual((await statistic(w, cpu([['InstanceId', ids[0]!]]), 'Maximum', to, after)).map((p) => p.value), [95]);
    assert.deepEqual(await statistic(w, elb('RequestCount', both), 'Sum', to, after), []);
    assert.deepEqual((await statistic(w, elb('HealthyHostCount', both), 'Average', to, after)).map((p) => p.value), [2]);

    const listed = await w.cw.send(new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCountPerTarget' }));
    assert.deepEqual(
      listed.Metrics!.map((m) => m.Dimensions!.map((d) => d.Name).join(',')).sort(),
      ['LoadBalancer,TargetGroup', 'TargetGroup'],
    );
    const byInstance = await w.cw.send(new ListMetricsCommand({ Namespace: 'AWS/EC2', Dimensions: [{ Name: 'InstanceId' }] }));
    assert.deepEqual(byInstance.Metrics!.map((m) => m.Dimensions![0]!.Value).sort(), ids);
  } finally {
    await w.close();
  }
});

test('E-25 /_emulator/load refuses what it cannot use, naming the value', async () => {
  const w = await startAutomationWorld();
  try {
    const bad = await setLoad(w, 'not-an-arn', 5);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /targetGroupArn must be a target group ARN.*"not-an-arn"/);
    const negative = await setLoad(w, w.stack.targetGroupArn, -1);
    assert.equal(negative.status, 400);
    const missing = await setLoad(w, w.stack.targetGroupArn.replace(/[0-9a-f]{16}$/, '0000000000000000'), 5);
    assert.equal(missing.status, 400);
    const ok = await setLoad(w, w.stack.targetGroupArn, 7.5);
    assert.deepEqual(await ok.json(), { loads: { [w.stack.targetGroupArn]: 7.5 } });
    const view = await fetch(`${w.t.emu.endpoint}/_emulator/load`);
    assert.deepEqual(await view.json(), { loads: { 'us-east-1': { [w.stack.targetGroupArn]: 7.5 } } });
  } finally {
    await w.close();
  }
});

test('E-26 PutMetricData (values, statistic sets, Values × Counts) → GetMetricStatistics and GetMetricData with an expression', async () => {
  const w = await startAutomationWorld();
  try {
    const t0 = w.t.emu.sim.now; // 12:00:00
    const dims = [{ Name: 'Service', Value: 'checkout' }];
    await w.cw.send(
      new PutMetricDataCommand({
        Namespace: 'App',
        MetricData: [
          { MetricName: 'Latency', Dimensions: dims, Value: 10, Timestamp: new Date(t0 + 5_000), Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: dims, Value: 30, Timestamp: new Date(t0 + 50_000), Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: dims, StatisticValues: { SampleCount: 4, Sum: 100, Minimum: 5, Maximum: 60 }, Timestamp: new Date(t0 + 65_000), Unit: 'Milliseconds' },
          { MetricName: 'Errors', Dimensions: dims, Values: [1, 2], Counts: [3, 1], Timestamp: new Date(t0 + 65_000) },
          { MetricName: 'Requests', Dimensions: dims, Value: 50, Timestamp: new Date(t0 + 65_000) },
        ],
      }),
    );
    await assert.rejects(w.cw.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] })), (e: Error) => /InvalidParameterValue/.test(e.name));
    const stats = await w.cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'App',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: new Date(t0),
        EndTime: new Date(t0 + 120_000),
        Period: 60,
        Statistics: ['Average', 'SampleCount', 'Minimum', 'Maximum', 'Sum'],
        ExtendedStatistics: ['p50'],
      }),
    );
    const points = stats.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    assert.deepEqual(
      points.map((p) => [p.Timestamp!.getTime() - t0, p.SampleCount, p.Sum, p.Minimum, p.Maximum, p.Average, p.Unit]),
      [
        [0, 2, 40, 10, 30, 20, 'Milliseconds'],
        [60_000, 4, 100, 5, 60, 25, 'Milliseconds'],
      ],
    );
    assert.equal(points[0]!.ExtendedStatistics!.p50, 20);
    await assert.rejects(
      w.cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Latency', StartTime: new Date(t0), EndTime: new Date(t0 + 2 * 86_400_000), Period: 60, Statistics: ['Sum'] })),
      (e: Error) => /InvalidParameterCombination/.test(e.name),
    );

    const data = await w.cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(t0),
        EndTime: new Date(t0 + 120_000),
        MetricDataQueries: [
          { Id: 'errors', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors', Dimensions: dims }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'requests', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Requests', Dimensions: dims }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'rate', Expression: '100 * errors / requests', Label: 'error %' },
          { Id: 'latency', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency', Dimensions: dims }, Period: 60, Stat: 'Maximum' } },
        ],
      }),
    );
    const byId = Object.fromEntries(data.MetricDataResults!.map((r) => [r.Id, r]));
    assert.deepEqual(Object.keys(byId).sort(), ['latency', 'rate']);
    assert.deepEqual(byId.rate!.Values, [10]); // (3 × 1 + 1 × 2) = 5 errors of 50
    assert.equal(byId.rate!.Label, 'error %');
    assert.deepEqual(byId.latency!.Values, [60, 30], 'newest first by default');
    assert.deepEqual(byId.latency!.Timestamps!.map((t: Date) => t.getTime() - t0), [60_000, 0]);

    const listed = await w.cw.send(new ListMetricsCommand({ Namespace: 'App' }));
    assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), ['Errors', 'Latency', 'Requests']);
  } finally {
    await w.close();
  }
});

test('E-24 metrics collection: EnabledMetrics in DescribeAutoScalingGroups, AWS/AutoScaling datapoints each minute, disabled again', async () => {
  const w = await startAutomationWorld();
  try {
    await createServingGroup(w, 'g', 2);
    const types = await w.t.asg.send(new DescribeMetricCollectionTypesCommand({}));
    assert.ok(types.Metrics!.some((m) => m.Metric === 'GroupInServiceInstances'));
    assert.deepEqual(types.Granularities, [{ Granularity: '1Minute' }]);
    assert.deepEqual((await describeGroup(w, 'g')).EnabledMetrics, []);
    await assert.rejects(
      w.t.asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: 'g', Granularity: '5Minute' })),
      (e: Error) => e.name === 'ValidationError',
    );
    await w.t.asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: 'g', Granularity: '1Minute', Metrics: ['GroupInServiceInstances', 'GroupDesiredCapacity'] }));
    assert.deepEqual((await describeGroup(w, 'g')).EnabledMetrics, [
      { Metric: 'GroupDesiredCapacity', Granularity: '1Minute' },
      { Metric: 'GroupInServiceInstances', Granularity: '1Minute' },
    ]);
    const from = w.t.emu.sim.now;
    advanceToNextMinute(w);
    advanceToNextMinute(w);
    const dims = [{ Name: 'AutoScalingGroupName', Value: 'g' }];
    const inService = await statistic(w, { namespace: 'AWS/AutoScaling', name: 'GroupInServiceInstances', dimensions: dims }, 'Average', from - 60_000, w.t.emu.sim.now);
    assert.deepEqual(inService.map((p) => p.value), [2, 2]);
    assert.deepEqual(await statistic(w, { namespace: 'AWS/AutoScaling', name: 'GroupTotalInstances', dimensions: dims }, 'Average', from - 60_000, w.t.emu.sim.now), []);
    await w.t.asg.send(new DisableMetricsCollectionCommand({ AutoScalingGroupName: 'g' }));
    assert.deepEqual((await describeGroup(w, 'g')).EnabledMetrics, []);
  } finally {
    await w.close();
  }
});
