/**
 * The automation benchmark (docs/emulator-automation.md, issue 12): one hour
 * of simulated time for 20 groups × 50 instances, each group behind its own
 * ALB target group with a target tracking policy on ASGAverageCPUUtilization
 * (target 50 %, its AlarmHigh/AlarmLow) and a 5xx alarm, under a load curve
 * (a sine over the hour, each group a different phase) set through
 * `POST /_emulator/load` every simulated minute. In-process emulator on a
 * manual clock advanced a minute at a time; real SDK v3 clients build the fleet.
 *
 * Reported: real seconds for the simulated hour (goal < 30 s), the process's
 * RSS after it (goal < 400 MB), and what the automation did (scaling
 * activities, alarm transitions, metrics and datapoints held).
 */
import { PutScalingPolicyCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AttachLoadBalancerTargetGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { ManualClock } from '../src/clock/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { benchClients, buildFleet } from './fleet.js';

export const AUTOMATION_GROUPS = 20;
export const AUTOMATION_GROUP_SIZE = 50;
export const AUTOMATION_SECONDS_GOAL = 30;
export const AUTOMATION_RSS_GOAL_MB = 400;

export interface AutomationResult {
  groups: number;
  instances: number;
  buildSeconds: number;
  hourSeconds: number;
  rssMb: number;
  scalingActivities: number;
  alarmTransitions: number;
  metrics: number;
  datapoints: number;
  desiredRange: [number, number];
  schedulerEvents: number;
}

/** Requests per second on group `i` at minute `m`: 24–72 req/s per original instance, one cycle an hour. */
export function loadCurve(i: number, minute: number): number {
  const phase = (2 * Math.PI * (minute / 60 + i / AUTOMATION_GROUPS));
  return Math.round(AUTOMATION_GROUP_SIZE * (48 + 24 * Math.sin(phase)));
}

export async function runAutomationBench(options: { groups?: number; groupSize?: number; minutes?: number } = {}): Promise<AutomationResult> {
  const groupCount = options.groups ?? AUTOMATION_GROUPS;
  const size = options.groupSize ?? AUTOMATION_GROUP_SIZE;
  const minutes = options.minutes ?? 60;
  const emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 3 });
  const clients = benchClients(emu.endpoint);
  const config = { endpoint: emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const elb = new ElasticLoadBalancingV2Client(config);
  const cw = new CloudWatchClient(config);
  try {
    const started = performance.now();
    const names = Array.from({ length: groupCount }, (_, i) => `auto-${String(i).padStart(2, '0')}`);
    const ids = await buildFleet(clients, Object.fromEntries(names.map((n) => [n, size])), async () => emu.advance(60_000), { maxRounds: 60 });
    const subnets = ((await clients.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).filter((s) => s.DefaultForAz).map((s) => s.SubnetId!);
    const vpcId = ((await clients.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [])[0]!.VpcId!;
    const targetGroups: string[] = [];
    for (const name of names) {
      const tg = (await elb.send(new CreateTargetGroupCommand({ Name: `${name}-tg`, Protocol: 'HTTP', Port: 80, VpcId: vpcId }))).TargetGroups![0]!.TargetGroupArn!;
      const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Subnets: subnets.slice(0, 3) }))).LoadBalancers![0]!.LoadBalancerArn!;
      await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
      await clients.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 10, MaxSize: size * 2, DefaultCooldown: 60 }));
      await clients.asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: name, TargetGroupARNs: [tg] }));
      await clients.asg.send(
        new PutScalingPolicyCommand({
          AutoScalingGroupName: name,
          PolicyName: 'cpu50',
          PolicyType: 'TargetTrackingScaling',
          EstimatedInstanceWarmup: 60,
          TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
        }),
      );
      const tgDim = tg.slice(tg.indexOf('targetgroup/'));
      const lbDim = lb.slice(lb.indexOf(':loadbalancer/') + ':loadbalancer/'.length);
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: `${name}-5xx`,
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Dimensions: [
            { Name: 'LoadBalancer', Value: lbDim },
            { Name: 'TargetGroup', Value: tgDim },
          ],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          Threshold: 10,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        }),
      );
      targetGroups.push(tg);
    }
    const buildSeconds = (performance.now() - started) / 1000;
    const instances = Object.values(ids).reduce((n, l) => n + l.length, 0);

    const hourStarted = performance.now();
    const simHourStart = emu.sim.now;
    let low = Infinity;
    let high = 0;
    for (let m = 0; m < minutes; m++) {
      for (let i = 0; i < targetGroups.length; i++) {
        const res = await fetch(`${emu.endpoint}/_emulator/load`, { method: 'POST', body: JSON.stringify({ targetGroupArn: targetGroups[i], requestsPerSecond: loadCurve(i, m) }) });
        if (!res.ok) throw new Error(`setting the load failed: HTTP ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
      emu.advance(60_000);
      if (process.env.AUTOMATION_TRACE) {
        const g = emu.sim.region('us-east-1').autoscaling.groups.get(names[0]!)!;
        const states: Record<string, number> = {};
        for (const i of g.instances.values()) states[i.lifecycleState] = (states[i.lifecycleState] ?? 0) + 1;
        const cpu = emu.sim.region('us-east-1').cloudwatch.series.get(`AWS/EC2\u0000CPUUtilization\u0000AutoScalingGroupName=${names[0]}`);
        const n = cpu ? cpu.minutes.length - 1 : -1;
        process.stderr.write(`m${m} load ${loadCurve(0, m)} desired ${g.desiredCapacity} ${JSON.stringify(states)} cpu ${cpu ? (cpu.sum[n]! / cpu.sampleCount[n]!).toFixed(1) : '-'}\n`);
      }
      for (const g of emu.sim.region('us-east-1').autoscaling.groups.values()) {
        low = Math.min(low, g.desiredCapacity);
        high = Math.max(high, g.desiredCapacity);
      }
    }
    const hourSeconds = (performance.now() - hourStarted) / 1000;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) gc();
    const region = emu.sim.region('us-east-1');
    let datapoints = 0;
    for (const s of region.cloudwatch.series.values()) datapoints += s.minutes.length;
    const hourFrom = simHourStart;
    const scalingActivities = emu.sim.history.entries.filter((e) => e.type === 'group' && e.field === 'DesiredCapacity' && e.t >= hourFrom).length;
    return {
      groups: groupCount,
      instances,
      buildSeconds,
      hourSeconds,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      scalingActivities,
      alarmTransitions: region.cloudwatch.alarmHistory.filter((h) => h.type === 'StateUpdate').length,
      metrics: region.cloudwatch.series.size,
      datapoints,
      desiredRange: [low, high],
      schedulerEvents: emu.sim.scheduler.size,
    };
  } finally {
    clients.destroy();
    elb.destroy();
    cw.destroy();
    await emu.close();
  }
}

export function formatAutomation(r: AutomationResult): { text: string; met: boolean } {
  const secondsMet = r.hourSeconds < AUTOMATION_SECONDS_GOAL;
  const rssMet = r.rssMb < AUTOMATION_RSS_GOAL_MB;
  const rows = [
    ['fleet', `${r.groups} groups × ${r.instances / r.groups} = ${r.instances} instances, target tracking CPU 50 % + a 5xx alarm each (built in ${r.buildSeconds.toFixed(1)} s)`],
    ['one simulated hour', `${r.hourSeconds.toFixed(1)} s real (goal < ${AUTOMATION_SECONDS_GOAL} s) ${secondsMet ? 'met' : 'MISSED'}`],
    ['RSS after it', `${r.rssMb.toFixed(0)} MB (goal < ${AUTOMATION_RSS_GOAL_MB} MB) ${rssMet ? 'met' : 'MISSED'}`],
    ['desired capacity changes in the hour', String(r.scalingActivities)],
    ['alarm state transitions', String(r.alarmTransitions)],
    ['desired capacity seen (min–max over groups)', `${r.desiredRange[0]}–${r.desiredRange[1]}`],
    ['metrics / datapoints held', `${r.metrics} / ${r.datapoints}`],
  ];
  const width = Math.max(...rows.map(([k]) => k!.length));
  return { text: rows.map(([k, v]) => `${k!.padEnd(width)}  ${v}`).join('\n'), met: secondsMet && rssMet };
}
