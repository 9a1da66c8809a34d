/**
 * A core Fleet snapshot of one group in a fixed number of calls, whatever its
 * size: DescribeAutoScalingGroups once (a group's instances come with it),
 * DescribeTargetHealth once per target group (not paginated), and, only when
 * asked, EC2 DescribeInstances in batches of 1000 ids. Polling cost must not
 * grow with the fleet.
 *
 * @example
 *   const fleet = await snapshotFleet(apis, clock, 'web');
 *   servingCount(fleet);
 */
import type { Clock } from '../clock/clock.js';
import type { Fleet } from '../core/fleet.js';
import type { AutoScalingApi } from './autoscaling.js';
import type { Ec2Api } from './ec2.js';
import type { Elbv2Api } from './elbv2.js';
import { targetHealthById, toEc2Details } from './map.js';

export interface SnapshotOptions {
  /** Also ask EC2 for each instance's state, image and launch time (one more call per 1000 instances). */
  ec2?: boolean;
}

export async function snapshotFleet(
  apis: { autoscaling: AutoScalingApi; ec2: Ec2Api; elbv2: Elbv2Api },
  clock: Clock,
  groupName: string,
  options: SnapshotOptions = {},
): Promise<Fleet> {
  const { group, instances } = await apis.autoscaling.describeGroup(groupName);
  const [health, ec2Instances] = await Promise.all([
    Promise.all(group.targetGroupArns.map(async (arn) => [arn, targetHealthById(await apis.elbv2.describeTargetHealth(arn))] as const)),
    options.ec2 === true && instances.length > 0 ? apis.ec2.describeInstances(instances.map((i) => i.id)) : Promise.resolve([]),
  ]);
  if (options.ec2 === true) {
    const byId = new Map(ec2Instances.map((i) => [i.InstanceId, i]));
    for (const instance of instances) {
      const described = byId.get(instance.id);
      if (described !== undefined) instance.ec2 = toEc2Details(described);
    }
  }
  // Taken when the last answer arrived: a "serving since" read from it errs toward a longer warmup.
  return { group, instances, targetHealth: Object.fromEntries(health), takenAt: clock.now() };
}
