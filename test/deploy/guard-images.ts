/**
 * An image with emulator behaviour tags whose values hold characters an AMI
 * name may not (`crash-after:60`, `flaky:0.3`): the fleet helper names images
 * after their tag values, so these are registered here under a safe name.
 */
import { DescribeImagesCommand, RegisterImageCommand } from '@aws-sdk/client-ec2';
import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { FLEET_CREDENTIALS, FLEET_REGION } from '../../src/testing/index.js';
import { waitFor, type TestFleet } from '../helpers/fleet.js';

export async function behaviourImage(fleet: TestFleet, tags: Record<string, string>, architecture: 'x86_64' | 'arm64' = 'x86_64'): Promise<string> {
  const out = await fleet.ec2.send(
    new RegisterImageCommand({
      Name: `guard-${Object.values(tags).join('-').replace(/[^A-Za-z0-9().\-/_]/g, '_')}-${Math.random().toString(16).slice(2, 8)}`,
      Architecture: architecture,
      RootDeviceName: '/dev/xvda',
      TagSpecifications: [
        {
          ResourceType: 'image',
          Tags: Object.entries({ 'emulator:image-seconds': '0', 'emulator:boot-seconds': '20', 'emulator:ready-seconds': '10', ...tags }).map(([Key, Value]) => ({ Key, Value })),
        },
      ],
    }),
  );
  const id = out.ImageId!;
  await waitFor(fleet.clock, async () => (await fleet.ec2.send(new DescribeImagesCommand({ ImageIds: [id] }))).Images?.[0]?.State === 'available', `image ${id}`);
  return id;
}

/**
 * Degrades a healthy fleet of `size` by `broken` instances that run but never
 * pass their target-group checks: the group's health check type becomes EC2
 * (so it keeps them rather than replace them, as a degraded fleet does), they
 * are launched from a version with an unhealthy image, and the group is
 * pointed back at version 1. Waits until they are InService and the fleet settled.
 */
export async function degradeFleet(fleet: TestFleet, size: number, broken: number): Promise<void> {
  const asg = new AutoScalingClient({ endpoint: fleet.emu.endpoint, region: FLEET_REGION, credentials: FLEET_CREDENTIALS });
  try {
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: fleet.group, HealthCheckType: 'EC2' }));
  } finally {
    asg.destroy();
  }
  const image = await fleet.image({ 'emulator:health': 'unhealthy' });
  const v = await fleet.aws.ec2.createLaunchTemplateVersion({ template: { id: fleet.templateId }, sourceVersion: '1', data: { ImageId: image } });
  await fleet.aws.autoscaling.updateGroup(fleet.group, { launchTemplate: { id: fleet.templateId, version: String(v.VersionNumber) }, desiredCapacity: size + broken });
  await waitFor(fleet.clock, async () => (await fleet.aws.autoscaling.describeGroup(fleet.group)).instances.filter((i) => i.lifecycleState === 'InService').length === size + broken, `${size + broken} InService`);
  await fleet.aws.autoscaling.updateGroup(fleet.group, { launchTemplate: { id: fleet.templateId, version: '1' } });
  await fleet.clock.sleep(60_000);
}
