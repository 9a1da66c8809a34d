/**
 * The "live account" the rehearsal tests read: an emulator in this process on
 * its own VirtualClock (seed 5), with a fleet of 6 behind a load balancer,
 * MaxSize = desired, and a launch hook that nothing completes.
 *
 * Why a VirtualClock and not a CLI emulator child at `--speed 10` with the
 * deploy on a ScaledClock: on a scaled clock every real millisecond the deploy
 * spends (an HTTP round trip, a busy CPU) is ten simulated ones, so under load
 * the "real" deploy stretched from 241 s to 407 s while the prediction stayed
 * put, and the 15 % comparison failed on the machine's load rather than on the
 * rehearsal. On a VirtualClock the live deploy takes exactly its simulated
 * time, as a deploy against AWS takes its boot and health-check times (call
 * latency there is ~0.1 s against minutes of boots). A child process cannot
 * share a VirtualClock with the runner (time may only jump when the runner
 * sleeps), so the live emulator runs in-process: `startEmulator`, the library
 * behind `asg-deploy emulator`.
 */
import { AutoScalingClient, PutLifecycleHookCommand } from '@aws-sdk/client-auto-scaling';
import { createAwsClients, type AwsClients } from '../../src/aws/index.js';
import { VirtualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';

export interface LiveAccount {
  emu: RunningEmulator;
  clock: VirtualClock;
  aws: AwsClients;
  /** The image the deploy rolls to. */
  newImage: string;
  /** Every AWS call the live emulator answered so far. */
  calls(): { t: number; action: string }[];
  close(): Promise<void>;
}

/** Registers an image (available at once) and waits, on the clock, until it is. */
async function availableImage(aws: AwsClients, clock: VirtualClock, name: string, tags: Readonly<Record<string, string>>): Promise<string> {
  const id = await aws.provision.registerImage(name, { 'emulator:image-seconds': '0', ...tags });
  while ((await aws.ec2.describeImages({ imageIds: [id] }))[0]?.State !== 'available') await clock.sleep(1000);
  return id;
}

export async function startLiveAccount(seed = 5): Promise<LiveAccount> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 12));
  const emu = await startEmulator({ clock, seed });
  const aws = createAwsClients({ endpoint: emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, clock, retryBaseMs: 500, env: {} });
  const asg = new AutoScalingClient({ endpoint: emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  try {
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
    const until = clock.now() + 1800_000;
    for (;;) {
      const fleet = await aws.snapshotFleet('web');
      if (Object.values(fleet.targetHealth[tg] ?? {}).filter((t) => t.state === 'healthy').length === 6) break;
      if (clock.now() > until) throw new Error('the live fleet did not serve within 30 simulated minutes');
      await clock.sleep(2000);
    }
    await asg.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: 'web',
        LifecycleHookName: 'wait-for-config',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        HeartbeatTimeout: 30,
        DefaultResult: 'CONTINUE',
      }),
    );
    const newImage = await availableImage(aws, clock, 'web-2', behaviour);
    return {
      emu,
      clock,
      aws,
      newImage,
      calls: () => emu.sim.history.entries.flatMap((e) => (e.type === 'call' ? [{ t: e.t, action: e.action }] : [])),
      async close() {
        aws.destroy();
        await emu.close();
      },
    };
  } catch (e) {
    aws.destroy();
    await emu.close();
    throw e;
  } finally {
    asg.destroy();
  }
}
