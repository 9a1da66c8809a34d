/**
 * Launch configurations: create, describe, delete. A group launches from one
 * when it names it (launch.ts); one in use by a group cannot be deleted.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateLaunchConfiguration.html
 */
import type {
  CreateLaunchConfigurationType,
  LaunchConfiguration,
  LaunchConfigurationNamesType,
  LaunchConfigurationNameType,
  LaunchConfigurationsType,
} from '@aws-sdk/client-auto-scaling';
import { AwsError, validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { findInstance } from '../ec2/index.js';
import { newUuid } from './activities.js';
import { asgErrors } from './errors.js';
import { paginate } from './pagination.js';
import type { LaunchConfigurationRecord } from './state.js';

export function createLaunchConfiguration(ctx: RequestContext, input: CreateLaunchConfigurationType): Record<string, never> {
  const { sim, region } = ctx;
  const state = region.autoscaling;
  const name = input.LaunchConfigurationName;
  if (!name) throw asgErrors.missing('launchConfigurationName');
  if (state.launchConfigurations.has(name)) {
    throw new AwsError('AlreadyExists', `Launch Configuration by this name already exists - A launch configuration already exists with the name ${name}`);
  }
  let imageId = input.ImageId;
  let instanceType = input.InstanceType;
  if (input.InstanceId) {
    const ec2 = findInstance(region, input.InstanceId);
    if (!ec2 || ec2.state === 'terminated') throw validationError(`Instance [${input.InstanceId}] is invalid.`);
    imageId ??= ec2.imageId;
    instanceType ??= ec2.instanceType;
  }
  if (!imageId || !instanceType) {
    throw validationError('Valid requests must contain either the InstanceID parameter or both the ImageId and InstanceType parameters.');
  }
  const record: LaunchConfigurationRecord = {
    LaunchConfigurationName: name,
    LaunchConfigurationARN: `arn:aws:autoscaling:${region.region}:${region.accountId}:launchConfiguration:${newUuid(sim)}:launchConfigurationName/${name}`,
    ImageId: imageId,
    InstanceType: instanceType,
    KeyName: input.KeyName,
    SecurityGroups: [...(input.SecurityGroups ?? [])],
    UserData: input.UserData,
    KernelId: input.KernelId,
    RamdiskId: input.RamdiskId,
    BlockDeviceMappings: structuredClone(input.BlockDeviceMappings ?? []),
    InstanceMonitoring: { Enabled: input.InstanceMonitoring?.Enabled ?? true },
    SpotPrice: input.SpotPrice,
    IamInstanceProfile: input.IamInstanceProfile,
    EbsOptimized: input.EbsOptimized ?? false,
    AssociatePublicIpAddress: input.AssociatePublicIpAddress,
    PlacementTenancy: input.PlacementTenancy,
    MetadataOptions: input.MetadataOptions ? { ...input.MetadataOptions } : undefined,
    CreatedTime: sim.now,
  };
  state.launchConfigurations.set(name, record);
  return {};
}

function render(lc: LaunchConfigurationRecord): LaunchConfiguration {
  return {
    ...structuredClone({ ...lc, CreatedTime: undefined }),
    KernelId: lc.KernelId ?? '',
    RamdiskId: lc.RamdiskId ?? '',
    CreatedTime: new Date(lc.CreatedTime),
  };
}

/** DescribeLaunchConfigurations: by name, 50 a page (max 100). */
export function describeLaunchConfigurations(ctx: RequestContext, input: LaunchConfigurationNamesType): LaunchConfigurationsType {
  const state = ctx.region.autoscaling;
  const names = input.LaunchConfigurationNames;
  const lcs = (names?.length ? names.map((n) => state.launchConfigurations.get(n)) : [...state.launchConfigurations.values()])
    .filter((lc): lc is LaunchConfigurationRecord => lc !== undefined)
    .sort((a, b) => (a.LaunchConfigurationName < b.LaunchConfigurationName ? -1 : 1));
  const page = paginate(lcs, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 100 });
  return { LaunchConfigurations: page.items.map(render), NextToken: page.nextToken };
}

export function deleteLaunchConfiguration(ctx: RequestContext, input: LaunchConfigurationNameType): Record<string, never> {
  const state = ctx.region.autoscaling;
  const name = input.LaunchConfigurationName;
  if (!name) throw asgErrors.missing('launchConfigurationName');
  if (!state.launchConfigurations.has(name)) throw asgErrors.launchConfigurationNotFound(name);
  for (const group of state.groups.values()) {
    if (group.launchConfigurationName === name) {
      throw new AwsError('ResourceInUse', `Cannot delete launch configuration ${name} because it is attached to AutoScalingGroup ${group.name}`);
    }
  }
  state.launchConfigurations.delete(name);
  return {};
}
