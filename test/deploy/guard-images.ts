/**
 * An image with emulator behaviour tags whose values hold characters an AMI
 * name may not (`crash-after:60`, `flaky:0.3`): the fleet helper names images
 * after their tag values, so these are registered here under a safe name.
 */
import { DescribeImagesCommand, RegisterImageCommand } from '@aws-sdk/client-ec2';
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
