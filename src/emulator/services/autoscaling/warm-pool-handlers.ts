/**
 * PutWarmPool, DescribeWarmPool, DeleteWarmPool (E-37).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeWarmPool.html
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DeleteWarmPool.html
 */
import type {
  DeleteWarmPoolAnswer,
  DeleteWarmPoolType,
  DescribeWarmPoolAnswer,
  DescribeWarmPoolType,
  Instance,
  PutWarmPoolAnswer,
  PutWarmPoolType,
} from '@aws-sdk/client-auto-scaling';
import { validationError } from '../../aws-error.js';
import type { RequestContext } from '../../world.js';
import { asgErrors } from './errors.js';
import { requireActiveGroup, requireGroup } from './lookup.js';
import { paginate } from './pagination.js';
import { scheduleWarmPool, type WarmPoolRecord, type WarmPoolState } from './warm-pool.js';

const POOL_STATES: readonly WarmPoolState[] = ['Stopped', 'Running', 'Hibernated'];

/** PutWarmPool creates the group's pool or changes it (the pool resizes on its next pass). */
export function putWarmPool(ctx: RequestContext, input: PutWarmPoolType): PutWarmPoolAnswer {
  const group = requireActiveGroup(ctx.region, input.AutoScalingGroupName);
  const state = ctx.region.autoscaling;
  if (input.MinSize !== undefined && input.MinSize < 0) throw asgErrors.tooFew('minSize', input.MinSize, 0);
  // -1 clears a previous value (API_PutWarmPool, MaxGroupPreparedCapacity).
  if (input.MaxGroupPreparedCapacity !== undefined && input.MaxGroupPreparedCapacity < -1) throw asgErrors.tooFew('maxGroupPreparedCapacity', input.MaxGroupPreparedCapacity, -1);
  if (input.PoolState !== undefined && !POOL_STATES.includes(input.PoolState as WarmPoolState)) {
    throw validationError(`1 validation error detected: Value '${input.PoolState}' at 'poolState' failed to satisfy constraint: Member must satisfy enum value set: [${POOL_STATES.join(', ')}]`);
  }
  const existing = state.warmPools.get(group.name);
  if (existing?.Status === 'PendingDelete') throw validationError(`The warm pool of Auto Scaling group ${group.name} is being deleted.`);
  const maxPrepared = input.MaxGroupPreparedCapacity === -1 ? undefined : (input.MaxGroupPreparedCapacity ?? existing?.MaxGroupPreparedCapacity);
  const minSize = input.MinSize ?? existing?.MinSize ?? 0;
  const pool: WarmPoolRecord = existing ?? { groupName: group.name, MinSize: 0, PoolState: 'Stopped', ReuseOnScaleIn: false, instances: new Map() };
  pool.MaxGroupPreparedCapacity = maxPrepared;
  pool.MinSize = minSize;
  pool.PoolState = (input.PoolState as WarmPoolState | undefined) ?? existing?.PoolState ?? 'Stopped';
  pool.ReuseOnScaleIn = input.InstanceReusePolicy?.ReuseOnScaleIn ?? existing?.ReuseOnScaleIn ?? false;
  state.warmPools.set(group.name, pool);
  scheduleWarmPool(ctx.sim, ctx.region, pool);
  return {};
}

/** DescribeWarmPool: the configuration (absent without a pool) and the pool's instances, 50 a page. */
export function describeWarmPool(ctx: RequestContext, input: DescribeWarmPoolType): DescribeWarmPoolAnswer {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const pool = ctx.region.autoscaling.warmPools.get(group.name);
  if (!pool) return { Instances: [] };
  const instances: Instance[] = [...pool.instances.values()].map((e) => ({
    InstanceId: e.instance.instanceId,
    InstanceType: e.instance.instanceType,
    AvailabilityZone: e.instance.availabilityZone,
    LifecycleState: e.lifecycleState,
    HealthStatus: 'Healthy',
    LaunchTemplate: e.instance.launchTemplate,
    LaunchConfigurationName: e.instance.launchConfigurationName,
    ProtectedFromScaleIn: false,
  }));
  const page = paginate(instances, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 50 });
  return {
    WarmPoolConfiguration: {
      MaxGroupPreparedCapacity: pool.MaxGroupPreparedCapacity,
      MinSize: pool.MinSize,
      PoolState: pool.PoolState,
      Status: pool.Status,
      InstanceReusePolicy: { ReuseOnScaleIn: pool.ReuseOnScaleIn },
    },
    Instances: page.items,
    NextToken: page.nextToken,
  };
}

/** DeleteWarmPool: PendingDelete while its instances terminate, then gone (ForceDelete changes nothing here: no hooks hold pool instances). */
export function deleteWarmPool(ctx: RequestContext, input: DeleteWarmPoolType): DeleteWarmPoolAnswer {
  const group = requireGroup(ctx.region, input.AutoScalingGroupName);
  const pool = ctx.region.autoscaling.warmPools.get(group.name);
  if (!pool) throw validationError(`No warm pool found for Auto Scaling group ${group.name}.`);
  pool.Status = 'PendingDelete';
  scheduleWarmPool(ctx.sim, ctx.region, pool);
  return {};
}
