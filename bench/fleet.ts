/**
 * The fleet every benchmark builds, with the same SDK v3 client code whatever
 * the endpoint (ours or moto_server): a launch template on an Amazon-owned
 * x86_64 image and groups spread over three default subnets.
 */
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  paginateDescribeAutoScalingGroups,
  type Instance as GroupInstance,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface BenchClients {
  asg: AutoScalingClient;
  ec2: EC2Client;
  destroy(): void;
}

export function benchClients(endpoint: string): BenchClients {
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const asg = new AutoScalingClient(config);
  const ec2 = new EC2Client(config);
  return {
    asg,
    ec2,
    destroy() {
      asg.destroy();
      ec2.destroy();
    },
  };
}

/** Every instance of `group`, through the SDK's own paginator. */
export async function groupInstances(asg: AutoScalingClient, group: string): Promise<GroupInstance[]> {
  const instances: GroupInstance[] = [];
  for await (const page of paginateDescribeAutoScalingGroups({ client: asg }, { AutoScalingGroupNames: [group] })) {
    for (const g of page.AutoScalingGroups ?? []) instances.push(...(g.Instances ?? []));
  }
  return instances;
}

/**
 * Creates `groups` (name → size) from one launch template, then calls
 * `advance()` (which moves simulated time; a no-op for moto, whose instances
 * are InService at once) until every instance is InService.
 * Returns the instance ids per group.
 */
export async function buildFleet(
  clients: BenchClients,
  groups: Record<string, number>,
  advance: () => Promise<void>,
  options: { maxRounds?: number } = {},
): Promise<Record<string, string[]>> {
  const { asg, ec2 } = clients;
  const images = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images ?? [];
  const image = images.find((i) => i.Architecture === 'x86_64' && !i.Platform && i.State === 'available');
  if (!image?.ImageId) throw new Error('no available x86_64 Linux image owned by amazon');
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  const byZone = new Map<string, string>();
  for (const s of subnets) if (s.DefaultForAz && !byZone.has(s.AvailabilityZone!)) byZone.set(s.AvailabilityZone!, s.SubnetId!);
  const subnetIds = [...byZone.values()].slice(0, 3);
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'bench', LaunchTemplateData: { ImageId: image.ImageId, InstanceType: 't3.micro' } }));
  for (const [name, size] of Object.entries(groups)) {
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchTemplate: { LaunchTemplateName: 'bench', Version: '$Latest' },
        MinSize: 0,
        MaxSize: size,
        DesiredCapacity: size,
        VPCZoneIdentifier: subnetIds.join(','),
      }),
    );
  }
  const ids: Record<string, string[]> = {};
  for (let round = 0; ; round++) {
    let ready = true;
    for (const [name, size] of Object.entries(groups)) {
      const instances = await groupInstances(asg, name);
      ids[name] = instances.map((i) => i.InstanceId!);
      if (instances.length !== size || instances.some((i) => i.LifecycleState !== 'InService')) ready = false;
    }
    if (ready) return ids;
    if (round >= (options.maxRounds ?? 60)) {
      const summary = Object.entries(ids).map(([n, l]) => `${n}: ${l.length}/${groups[n]}`).join(', ');
      throw new Error(`the fleet did not come into service: ${summary}`);
    }
    await advance();
  }
}

/** Moves an emulator's simulated clock through its admin API (E-20). */
export async function advanceEmulator(endpoint: string, seconds: number): Promise<void> {
  const res = await fetch(`${endpoint}/_emulator/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  if (!res.ok) throw new Error(`advancing the clock failed: HTTP ${res.status} ${await res.text()}`);
  await res.arrayBuffer().catch(() => undefined);
}
