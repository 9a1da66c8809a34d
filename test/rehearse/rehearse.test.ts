/**
 * Rehearsal against a "live" account: a separate emulator process with a fleet
 * built through the API. The rehearsal may only read it (proven from the live
 * emulator's call log), must predict the real deploy's duration within 15 %,
 * and must find and name what was planted in the live fleet (a launch hook no
 * one completes; MaxSize equal to desired).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoScalingClient, PutLifecycleHookCommand } from '@aws-sdk/client-auto-scaling';
import { createAwsClients, type AwsClients } from '../../src/aws/index.js';
import { ScaledClock } from '../../src/clock/index.js';
import { roll } from '../../src/deploy/index.js';
import { rehearse } from '../../src/rehearse/index.js';
import { availableImage } from '../../src/testing/index.js';
import { CLI_BIN, cliEnv } from '../helpers/fleet.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';

// Slow enough that a busy machine does not stretch the real deploy (a scaled clock runs on real time).
const SPEED = 10;

interface LiveEmulator {
  child: ChildProcess;
  endpoint: string;
  close(): Promise<void>;
}

async function startLiveEmulator(): Promise<LiveEmulator> {
  const child = spawn(process.execPath, [CLI_BIN, 'emulator', '--port', '0', '--speed', String(SPEED), '--seed', '5', '--output', 'json'], {
    env: cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  let endpoint: string | undefined;
  for await (const line of lines) {
    const m = /"endpoint":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(line) ?? /AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    if (m) {
      endpoint = m[1];
      break;
    }
  }
  if (!endpoint) throw new Error('the emulator child printed no endpoint');
  return {
    child,
    endpoint,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

async function waitFor(clock: ScaledClock, check: () => Promise<boolean>, what: string, maxSimSeconds = 1800): Promise<void> {
  const until = clock.now() + maxSimSeconds * 1000;
  while (!(await check())) {
    if (clock.now() > until) throw new Error(`timed out waiting for ${what}`);
    await clock.sleep(2000);
  }
}

/** A fleet of 6 behind a load balancer, MaxSize = desired, and a launch hook that nothing completes. */
async function buildLiveFleet(aws: AwsClients, asg: AutoScalingClient, clock: ScaledClock): Promise<{ newImage: string }> {
  const network = await aws.provision.defaultNetwork();
  const behaviour = { 'emulator:boot-seconds': '20', 'emulator:ready-seconds': '10' };
  const base = await availableImage(aws, clock, 'web-1', behaviour);
  const tg = await aws.provision.createTargetGroup({ name: 'web-tg', vpcId: network.vpcId, healthCheckIntervalSeconds: 5, healthyThresholdCount: 2, unhealthyThresholdCount: 2, deregistrationDelaySeconds: 10 });
  await aws.provision.createLoadBalancer('web-lb', network.subnets.map((s) => s.subnetId), tg);
  const lt = await aws.provision.createLaunchTemplate('web-lt', { ImageId: base, InstanceType: 't3.micro' });
  await aws.provision.createGroup({
    name: 'web',
    launchTemplateId: lt.id,
    version: String(lt.version),
    minSize: 6,
    maxSize: 6,
    desiredCapacity: 6,
    subnetIds: network.subnets.map((s) => s.subnetId),
    targetGroupArns: [tg],
    healthCheckType: 'ELB',
    healthCheckGracePeriodSeconds: 30,
  });
  await waitFor(clock, async () => {
    const fleet = await aws.snapshotFleet('web');
    return Object.values(fleet.targetHealth[tg] ?? {}).filter((t) => t.state === 'healthy').length === 6;
  }, 'the live fleet to serve');
  await asg.send(
    new PutLifecycleHookCommand({
      AutoScalingGroupName: 'web',
      LifecycleHookName: 'wait-for-config',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
      HeartbeatTimeout: 30,
      DefaultResult: 'CONTINUE',
    }),
  );
  return { newImage: await availableImage(aws, clock, 'web-2', behaviour) };
}

async function liveCalls(endpoint: string): Promise<{ t: number; action: string }[]> {
  const res = await fetch(`${endpoint}/_emulator/history?type=call`);
  const body = (await res.json()) as { entries: { t: number; action: string }[] };
  return body.entries;
}

test('rehearse roll: reads the live account only, predicts the real duration within 15 %, names the hook and the MaxSize', { timeout: 600_000 }, async (t) => {
  const live = await startLiveEmulator();
  const clock = new ScaledClock(SPEED);
  const aws = createAwsClients({ endpoint: live.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, clock, retryBaseMs: 500, env: {} });
  const asg = new AutoScalingClient({ endpoint: live.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  try {
    const { newImage } = await buildLiveFleet(aws, asg, clock);
    const before = (await liveCalls(live.endpoint)).length;

    const report = await rehearse({
      live: aws,
      region: TEST_REGION,
      seeds: [1, 2, 3],
      appReadySeconds: 10,
      deploy: {
        groups: ['web'],
        images: [newImage],
        createsTemplateVersion: true,
        run: (ctx, ids) => roll({ ...ctx, pollIntervalMs: 5000 }, { group: 'web', image: ids.image(newImage), maxSurge: { kind: 'count', count: 2 } }),
      },
    });

    // Only reads reached the live account.
    const during = (await liveCalls(live.endpoint)).slice(before);
    assert.ok(during.length > 0, 'the rehearsal read the live account');
    const writes = during.filter((c) => !/^(Describe|Get|List)/.test(c.action));
    assert.deepEqual(writes.map((c) => c.action), [], 'no write reached the live account');

    assert.equal(report.runs.length, 3);
    assert.ok(report.succeeded, `every rehearsal succeeded: ${JSON.stringify(report.runs)}`);
    const codes = report.problems.map((p) => p.code);
    assert.ok(codes.includes('lifecycle-hook'), `the launch hook is named: ${codes}`);
    assert.ok(codes.includes('hook-held-instances'), `the hook holding instances is seen in the rehearsal: ${codes}`);
    assert.ok(codes.includes('max-size'), `MaxSize = desired is named: ${codes}`);
    assert.ok(report.problems.find((p) => p.code === 'lifecycle-hook')!.message.includes('wait-for-config'));
    assert.ok(report.problems.every((p) => p.fix.length > 0), 'every problem has a fix');

    // The real deploy, on the live emulator, afterwards.
    const result = await roll({ aws, clock, emit: () => undefined, owner: 'test:1', pollIntervalMs: 5000 }, { group: 'web', image: newImage, maxSurge: { kind: 'count', count: 2 } });
    assert.equal(result.outcome, 'succeeded');
    // The seeds differ in how the group breaks AZ ties, which decides whether an
    // extra wave evens the AZs out: the real run must fall in the predicted range, give or take 15 %.
    const { min, max, median } = report.predictedSeconds;
    t.diagnostic(`rehearsal: predicted ${median} s (${min}–${max} s over ${report.runs.length} seeds), real ${result.seconds} s, ${report.apiCalls} calls per run, lowest serving ${report.lowestServing} / floor ${report.floor}`);
    assert.ok(
      result.seconds >= min * 0.85 && result.seconds <= max * 1.15,
      `predicted ${median} s (range ${min}–${max}), real ${result.seconds} s`,
    );
    assert.ok(report.lowestServing >= 6, `the rehearsal held the floor: ${report.lowestServing}`);
  } finally {
    aws.destroy();
    asg.destroy();
    await live.close();
  }
});
