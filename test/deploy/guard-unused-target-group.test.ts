/**
 * Guard "Refuse what can't be judged" (issue 8): a target group that no load
 * balancer uses reports every target `unused`, so serving reads 0. roll (and
 * its dry run) and shrink refuse it at preflight with BAD_INPUT (exit 2),
 * naming it, and make no mutating call. On the old code roll terminated the
 * whole fleet.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteListenerCommand, DescribeListenersCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { isAsgDeployError } from '../../src/core/index.js';
import { roll, shrink } from '../../src/deploy/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { mutatingCallsBetween, startFleet } from '../helpers/fleet.js';

test('a target group no load balancer uses: roll, its dry run and shrink refuse at preflight (BAD_INPUT, named), no mutating call', async () => {
  const fleet = await startFleet({ size: 3 });
  const elb = new ElasticLoadBalancingV2Client({ endpoint: fleet.emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  try {
    const image = await fleet.image();
    const lbs = await elb.send(new DescribeLoadBalancersCommand({}));
    for (const lb of lbs.LoadBalancers ?? []) {
      const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
      for (const l of listeners.Listeners ?? []) await elb.send(new DeleteListenerCommand({ ListenerArn: l.ListenerArn }));
    }
    const { ctx } = fleet.context();
    const startedAt = fleet.clock.now();
    const runs: [string, () => Promise<unknown>][] = [
      ['roll --dry-run', () => roll(ctx, { group: fleet.group, image, dryRun: true })],
      ['roll', () => roll(ctx, { group: fleet.group, image })],
      ['shrink', () => shrink(ctx, { group: fleet.group, image })],
    ];
    for (const [what, run] of runs) {
      const error = await run().then(
        (r) => assert.fail(`${what} should be refused, got ${JSON.stringify(r)}`),
        (e: unknown) => e,
      );
      assert.ok(isAsgDeployError(error, 'BAD_INPUT'), `${what}: ${String(error)}`);
      assert.match((error as Error).message, /web-tg.*not used by any load balancer/, what);
    }
    const mutating = mutatingCallsBetween(fleet.history(), startedAt);
    assert.deepEqual(mutating.map((c) => c.action), [], 'nothing changed');
    const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.equal(instances.filter((i) => i.lifecycleState === 'InService').length, 3, 'the fleet is untouched');
  } finally {
    elb.destroy();
    await fleet.close();
  }
});
