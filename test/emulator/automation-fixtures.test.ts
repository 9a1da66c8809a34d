/**
 * Shared fixtures of the automation tests (docs/emulator-automation.md; no
 * tests of its own): the Auto Scaling world plus a CloudWatch client, a
 * group behind a load balancer, and the load admin route.
 */
import assert from 'node:assert/strict';
import { CloudWatchClient, GetMetricStatisticsCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { createGroup, createStack, startWorld, waitInService, type AsgWorld, type Stack } from './autoscaling-fixtures.test.js';

export interface AutomationWorld extends AsgWorld {
  cw: CloudWatchClient;
  stack: Stack;
  close(): Promise<void>;
}

/** A world with a load balancer stack `web` and a CloudWatch client. */
export async function startAutomationWorld(options: { seed?: number } = {}): Promise<AutomationWorld> {
  const w = await startWorld(options);
  const cw = new CloudWatchClient({ endpoint: w.t.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const stack = await createStack(w, 'web', 5);
  return {
    ...w,
    cw,
    stack,
    async close() {
      cw.destroy();
      await w.t.close();
    },
  };
}

/** A group `name` of `size` behind the stack's target group, InService and healthy in the target group. */
export async function createServingGroup(w: AutomationWorld, name: string, size: number, overrides: Record<string, unknown> = {}): Promise<void> {
  await createGroup(w, name, { DesiredCapacity: size, MinSize: 1, MaxSize: 10, TargetGroupARNs: [w.stack.targetGroupArn], DefaultCooldown: 60, ...overrides });
  await waitInService(w, name, size);
  await waitHealthyTargets(w, size);
}

export async function waitHealthyTargets(w: AutomationWorld, count: number): Promise<void> {
  await w.t.advanceUntil(async () => {
    const out = await w.t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: w.stack.targetGroupArn }));
    return (out.TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State === 'healthy').length === count;
  });
}

/** POST /_emulator/load. */
export async function setLoad(w: AsgWorld, targetGroupArn: string, requestsPerSecond: number): Promise<Response> {
  return fetch(`${w.t.emu.endpoint}/_emulator/load`, { method: 'POST', body: JSON.stringify({ targetGroupArn, requestsPerSecond }) });
}

/** Advances to the next whole simulated minute and `extraSeconds` past it. */
export function advanceToNextMinute(w: AsgWorld, extraSeconds = 0): void {
  const now = w.t.emu.sim.now;
  const next = (Math.floor(now / 60_000) + 1) * 60_000;
  w.t.advance((next - now) / 1000 + extraSeconds);
}

/** One statistic of a metric over [from, to), one value per period, oldest first. */
export async function statistic(
  w: AutomationWorld,
  metric: { namespace: string; name: string; dimensions: Dimension[] },
  stat: 'Average' | 'Sum' | 'Maximum' | 'Minimum' | 'SampleCount',
  from: number,
  to: number,
  period = 60,
): Promise<{ t: number; value: number }[]> {
  const out = await w.cw.send(
    new GetMetricStatisticsCommand({
      Namespace: metric.namespace,
      MetricName: metric.name,
      Dimensions: metric.dimensions,
      StartTime: new Date(from),
      EndTime: new Date(to),
      Period: period,
      Statistics: [stat],
    }),
  );
  return (out.Datapoints ?? [])
    .map((d) => ({ t: d.Timestamp!.getTime(), value: d[stat]! }))
    .sort((a, b) => a.t - b.t);
}

export function assertClose(actual: number, expected: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-6, `${message ?? 'value'}: ${actual} ≠ ${expected}`);
}
