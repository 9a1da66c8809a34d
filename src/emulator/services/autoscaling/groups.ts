/**
 * Auto Scaling groups: create, update, delete, describe, SetDesiredCapacity,
 * DescribeAutoScalingInstances. Sizes are checked as AWS checks them (E-4);
 * every size or configuration change is recorded in the history and wakes
 * the controller, which does the launching and terminating (E-3).
 */
import type {
  AutoScalingGroup,
  AutoScalingGroupNamesType,
  AutoScalingGroupsType,
  AutoScalingInstanceDetails,
  AutoScalingInstancesType,
  CreateAutoScalingGroupType,
  DeleteAutoScalingGroupType,
  DescribeAutoScalingInstancesType,
  Instance,
  LaunchTemplateSpecification,
  SetDesiredCapacityType,
  UpdateAutoScalingGroupType,
} from '@aws-sdk/client-auto-scaling';
import { AwsError, validationError } from '../../aws-error.js';
import type { RegionState, RequestContext, Simulation } from '../../world.js';
import { findInstance, findSubnet, resolveLaunchTemplate } from '../ec2/index.js';
import { targetGroupExists } from '../elbv2/index.js';
import { causeTime, lastScalingActivity, newUuid, scalingActivityInProgress } from './activities.js';
import { finishDelete, reconcileGroup, requestReconcile } from './controller.js';
import { asgErrors } from './errors.js';
import { putHook } from './lifecycle-hooks.js';
import { requireActiveGroup, requireGroup, instanceIdsOf } from './lookup.js';
import { recordGroupChange, setDesiredCapacity } from './membership.js';
import { enabledMetricsOf } from './metrics-collection.js';
import { paginate } from './pagination.js';
import type { AutoScalingGroupRecord, GroupInstance } from './state.js';
import { applyTags, groupTagDescriptions, validateTagsInput } from './tags.js';
import { isTerminationPolicy } from './termination-policy.js';

const HEALTH_CHECK_TYPES = new Set(['EC2', 'ELB', 'VPC_LATTICE', 'EBS']);

export function serviceLinkedRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

// ---------------------------------------------------------------------------
// Validation

interface Zones {
  availabilityZones: string[];
  vpcZoneIdentifier?: string;
  subnetsByZone: Map<string, string[]>;
}

/** The group's AZs: those of the VPCZoneIdentifier subnets, or AvailabilityZones. */
function resolveZones(region: RegionState, zones: string[] | undefined, vpcZoneIdentifier: string | undefined): Zones | undefined {
  const subnetIds = (vpcZoneIdentifier ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (subnetIds.length) {
    const subnetsByZone = new Map<string, string[]>();
    let vpcId: string | undefined;
    for (const id of subnetIds) {
      const subnet = findSubnet(region, id);
      if (!subnet) throw validationError(`The subnet ID '${id}' does not exist`);
      if (vpcId !== undefined && subnet.VpcId !== vpcId) throw validationError('The specified subnets must all be in the same VPC.');
      vpcId = subnet.VpcId;
      const zone = subnet.AvailabilityZone;
      const list = subnetsByZone.get(zone);
      if (list) list.push(id);
      else subnetsByZone.set(zone, [id]);
    }
    const availabilityZones = [...subnetsByZone.keys()];
    if (zones?.length && (zones.length !== availabilityZones.length || zones.some((z) => !subnetsByZone.has(z)))) {
      throw validationError('The availability zones of the specified subnets and the Auto Scaling group do not match');
    }
    return { availabilityZones, vpcZoneIdentifier: subnetIds.join(','), subnetsByZone };
  }
  if (zones?.length) {
    for (const zone of zones) {
      if (!region.availabilityZones.includes(zone)) throw validationError(`Invalid Availability Zone: ${zone}`);
    }
    return { availabilityZones: [...new Set(zones)], subnetsByZone: new Map() };
  }
  return undefined;
}

/**
 * Checks a LaunchTemplateSpecification names exactly one template that
 * exists, as AWS does on create/update, and returns it as the group reports
 * it: both id and name, the Version as given (`$Default` when none).
 */
function checkLaunchTemplate(region: RegionState, spec: LaunchTemplateSpecification): LaunchTemplateSpecification {
  if (!!spec.LaunchTemplateId === !!spec.LaunchTemplateName) {
    throw validationError('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  }
  try {
    const resolved = resolveLaunchTemplate(region, spec);
    return { LaunchTemplateId: resolved.templateId, LaunchTemplateName: resolved.templateName, Version: spec.Version ?? '$Default' };
  } catch (e) {
    if (AwsError.isAwsError(e)) throw validationError(`You must use a valid fully-formed launch template. ${e.message}`);
    throw e;
  }
}

interface LaunchSource {
  launchTemplate?: LaunchTemplateSpecification;
  mixedInstancesPolicy?: AutoScalingGroupRecord['mixedInstancesPolicy'];
  launchConfigurationName?: string;
}

/** Checks the launch source of a create/update; returns the template specs completed as the group reports them. */
function checkLaunchSource(region: RegionState, input: LaunchSource): LaunchSource {
  const checked: LaunchSource = { launchConfigurationName: input.launchConfigurationName };
  if (input.launchTemplate) checked.launchTemplate = checkLaunchTemplate(region, input.launchTemplate);
  if (input.mixedInstancesPolicy) {
    const spec = input.mixedInstancesPolicy.LaunchTemplate?.LaunchTemplateSpecification;
    if (!spec) throw asgErrors.missing('mixedInstancesPolicy.launchTemplate.launchTemplateSpecification');
    const policy = structuredClone(input.mixedInstancesPolicy);
    policy.LaunchTemplate!.LaunchTemplateSpecification = checkLaunchTemplate(region, spec);
    checked.mixedInstancesPolicy = policy;
  }
  if (input.launchConfigurationName && !region.autoscaling.launchConfigurations.has(input.launchConfigurationName)) {
    throw asgErrors.launchConfigurationNotFound(input.launchConfigurationName);
  }
  return checked;
}

function checkTargetGroups(region: RegionState, arns: readonly string[]): void {
  for (const arn of arns) {
    if (!targetGroupExists(region, arn)) throw validationError('Provided Target Groups may not be valid. Please ensure they exist and try again.');
  }
}

function checkHealthCheckType(type: string | undefined): void {
  if (type === undefined) return;
  for (const part of type.split(',')) {
    if (!HEALTH_CHECK_TYPES.has(part.trim())) throw validationError(`Health check type ${type} is not valid. Valid values are EC2, ELB, VPC_LATTICE and EBS.`);
  }
}

function checkTerminationPolicies(policies: readonly string[] | undefined): void {
  for (const policy of policies ?? []) {
    if (!isTerminationPolicy(policy) && !policy.startsWith('arn:aws:lambda:')) {
      throw validationError(`Termination policy ${policy} is not valid.`);
    }
  }
}

function checkSizes(min: number, max: number, desired: number): void {
  if (min < 0) throw asgErrors.tooFew('minSize', min, 0);
  if (max < 0) throw asgErrors.tooFew('maxSize', max, 0);
  if (min > max) throw asgErrors.minAboveMax(min, max);
  if (desired < min || desired > max) throw asgErrors.desiredOutOfRange(desired, min, max);
}

// ---------------------------------------------------------------------------
// Create / update / delete

export function createAutoScalingGroup(ctx: RequestContext, input: CreateAutoScalingGroupType): Record<string, never> {
  const { sim, region } = ctx;
  const state = region.autoscaling;
  const name = input.AutoScalingGroupName;
  if (!name) throw asgErrors.missing('autoScalingGroupName');
  if (input.MinSize === undefined || input.MinSize === null) throw asgErrors.missing('minSize');
  if (input.MaxSize === undefined || input.MaxSize === null) throw asgErrors.missing('maxSize');
  if (state.groups.has(name)) throw asgErrors.groupExists(name);

  const sources = [input.LaunchTemplate, input.LaunchConfigurationName, input.InstanceId, input.MixedInstancesPolicy].filter((s) => s !== undefined);
  if (sources.length !== 1) {
    throw validationError('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
  }
  let launchConfigurationName = input.LaunchConfigurationName;
  let requestedZones = input.AvailabilityZones;
  let vpcZoneIdentifier = input.VPCZoneIdentifier;
  if (input.InstanceId) {
    // https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-asg-from-instance.html: a launch configuration
    // named after the group, from the instance's image and type; the instance's AZ/subnet if none are given.
    const ec2 = findInstance(ctx.region, input.InstanceId);
    if (!ec2 || ec2.state === 'terminated') throw validationError(`Instance [${input.InstanceId}] is invalid.`);
    launchConfigurationName = name;
    if (!requestedZones?.length && !vpcZoneIdentifier) vpcZoneIdentifier = ec2.subnetId;
    if (!state.launchConfigurations.has(name)) {
      state.launchConfigurations.set(name, {
        LaunchConfigurationName: name,
        LaunchConfigurationARN: `arn:aws:autoscaling:${region.region}:${region.accountId}:launchConfiguration:${newUuid(sim)}:launchConfigurationName/${name}`,
        ImageId: ec2.imageId,
        InstanceType: ec2.instanceType,
        SecurityGroups: [],
        BlockDeviceMappings: [],
        InstanceMonitoring: { Enabled: true },
        EbsOptimized: false,
        CreatedTime: sim.now,
      });
    }
  }
  const source = checkLaunchSource(region, { launchTemplate: input.LaunchTemplate, mixedInstancesPolicy: input.MixedInstancesPolicy, launchConfigurationName });

  const minSize = input.MinSize;
  const maxSize = input.MaxSize;
  const desired = input.DesiredCapacity ?? minSize;
  checkSizes(minSize, maxSize, desired);

  const zones = resolveZones(region, requestedZones, vpcZoneIdentifier);
  if (!zones) throw validationError('At least one Availability Zone or VPC Subnet is required.');
  const targetGroupArns = [...new Set(input.TargetGroupARNs ?? [])];
  checkTargetGroups(region, targetGroupArns);
  checkHealthCheckType(input.HealthCheckType);
  checkTerminationPolicies(input.TerminationPolicies);
  validateTagsInput(input.Tags ?? [], name);

  const group: AutoScalingGroupRecord = {
    name,
    arn: `arn:aws:autoscaling:${region.region}:${region.accountId}:autoScalingGroup:${newUuid(sim)}:autoScalingGroupName/${name}`,
    createdTime: sim.now,
    minSize,
    maxSize,
    desiredCapacity: 0,
    defaultCooldown: input.DefaultCooldown ?? 300,
    availabilityZones: zones.availabilityZones,
    vpcZoneIdentifier: zones.vpcZoneIdentifier,
    subnetsByZone: zones.subnetsByZone,
    launchTemplate: source.launchTemplate,
    mixedInstancesPolicy: source.mixedInstancesPolicy,
    launchConfigurationName,
    targetGroupArns,
    removingTargetGroupArns: new Set(),
    loadBalancerNames: [...(input.LoadBalancerNames ?? [])],
    healthCheckType: input.HealthCheckType ?? 'EC2',
    healthCheckGracePeriod: input.HealthCheckGracePeriod ?? 0,
    defaultInstanceWarmup: input.DefaultInstanceWarmup,
    terminationPolicies: input.TerminationPolicies?.length ? [...input.TerminationPolicies] : ['Default'],
    newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn ?? false,
    maxInstanceLifetime: input.MaxInstanceLifetime,
    capacityRebalance: input.CapacityRebalance ?? false,
    serviceLinkedRoleArn: input.ServiceLinkedRoleARN ?? serviceLinkedRoleArn(region.accountId),
    placementGroup: input.PlacementGroup,
    context: input.Context,
    desiredCapacityType: input.DesiredCapacityType,
    suspendedProcesses: new Map(),
    tags: new Map(),
    instances: new Map(),
    lifecycleHooks: new Map(),
    deleting: false,
    launchBackoff: { failures: 0, nextAttemptAt: 0 },
    zoneBackoff: new Map(),
    launchCounter: 0,
  };
  // Hooks are checked before anything is stored, so a bad hook creates no group.
  const hooks = (input.LifecycleHookSpecificationList ?? []).map((spec) => putHook(group, { ...spec, AutoScalingGroupName: name }, true));
  state.groups.set(name, group);
  for (const hook of hooks) group.lifecycleHooks.set(hook.LifecycleHookName, hook);
  applyTags(sim, region, group, input.Tags ?? []);

  recordGroupChange(sim, region, name, 'MinSize', null, minSize);
  recordGroupChange(sim, region, name, 'MaxSize', null, maxSize);
  if (group.launchTemplate) recordGroupChange(sim, region, name, 'LaunchTemplate', null, group.launchTemplate);
  if (group.mixedInstancesPolicy) recordGroupChange(sim, region, name, 'MixedInstancesPolicy', null, group.mixedInstancesPolicy);
  if (launchConfigurationName) recordGroupChange(sim, region, name, 'LaunchConfigurationName', null, launchConfigurationName);
  group.desiredCapacity = desired;
  recordGroupChange(sim, region, name, 'DesiredCapacity', null, desired);
  if (desired > 0) group.capacityCause = `At ${causeTime(sim.now)} a user request created an AutoScalingGroup changing the desired capacity from 0 to ${desired}.`;
  requestReconcile(sim, region, group);
  return {};
}

export function updateAutoScalingGroup(ctx: RequestContext, input: UpdateAutoScalingGroupType): Record<string, never> {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  const sources = [input.LaunchTemplate, input.LaunchConfigurationName, input.MixedInstancesPolicy].filter((s) => s !== undefined);
  if (sources.length > 1) {
    throw validationError('Valid requests must contain either LaunchTemplate, LaunchConfigurationName or MixedInstancesPolicy parameter.');
  }
  const source = checkLaunchSource(region, {
    launchTemplate: input.LaunchTemplate,
    mixedInstancesPolicy: input.MixedInstancesPolicy,
    launchConfigurationName: input.LaunchConfigurationName,
  });

  const minSize = input.MinSize ?? group.minSize;
  const maxSize = input.MaxSize ?? group.maxSize;
  let desired = input.DesiredCapacity;
  if (desired === undefined || desired === null) {
    // "If you specify a new value for MinSize without specifying a value for DesiredCapacity, and the new MinSize
    // is larger than the current size of the group, this sets the group's DesiredCapacity to the new MinSize" (and MaxSize likewise).
    desired = Math.min(Math.max(group.desiredCapacity, minSize), maxSize);
    if (minSize > maxSize) throw asgErrors.minAboveMax(minSize, maxSize);
  }
  checkSizes(minSize, maxSize, desired);
  const zones =
    input.AvailabilityZones?.length || input.VPCZoneIdentifier
      ? resolveZones(region, input.AvailabilityZones, input.VPCZoneIdentifier)
      : undefined;
  checkHealthCheckType(input.HealthCheckType);
  checkTerminationPolicies(input.TerminationPolicies);

  const name = group.name;
  if (input.LaunchTemplate || input.MixedInstancesPolicy || input.LaunchConfigurationName) {
    const before = { lt: group.launchTemplate, mip: group.mixedInstancesPolicy, lc: group.launchConfigurationName };
    group.launchTemplate = source.launchTemplate;
    group.mixedInstancesPolicy = source.mixedInstancesPolicy;
    group.launchConfigurationName = source.launchConfigurationName;
    recordGroupChange(sim, region, name, 'LaunchTemplate', before.lt ?? null, group.launchTemplate ?? null);
    recordGroupChange(sim, region, name, 'MixedInstancesPolicy', before.mip ?? null, group.mixedInstancesPolicy ?? null);
    recordGroupChange(sim, region, name, 'LaunchConfigurationName', before.lc ?? null, group.launchConfigurationName ?? null);
  }
  if (zones) {
    recordGroupChange(sim, region, name, 'AvailabilityZones', group.availabilityZones, zones.availabilityZones);
    recordGroupChange(sim, region, name, 'VPCZoneIdentifier', group.vpcZoneIdentifier ?? null, zones.vpcZoneIdentifier ?? null);
    group.availabilityZones = zones.availabilityZones;
    group.vpcZoneIdentifier = zones.vpcZoneIdentifier;
    group.subnetsByZone = zones.subnetsByZone;
    group.zoneBackoff.clear();
  }
  const set = <K extends keyof AutoScalingGroupRecord>(field: string, key: K, value: AutoScalingGroupRecord[K] | undefined) => {
    if (value === undefined || value === null) return;
    recordGroupChange(sim, region, name, field, group[key] ?? null, value);
    group[key] = value;
  };
  set('DefaultCooldown', 'defaultCooldown', input.DefaultCooldown);
  set('HealthCheckType', 'healthCheckType', input.HealthCheckType);
  set('HealthCheckGracePeriod', 'healthCheckGracePeriod', input.HealthCheckGracePeriod);
  set('DefaultInstanceWarmup', 'defaultInstanceWarmup', input.DefaultInstanceWarmup);
  set('TerminationPolicies', 'terminationPolicies', input.TerminationPolicies?.length ? [...input.TerminationPolicies] : undefined);
  set('NewInstancesProtectedFromScaleIn', 'newInstancesProtectedFromScaleIn', input.NewInstancesProtectedFromScaleIn);
  set('MaxInstanceLifetime', 'maxInstanceLifetime', input.MaxInstanceLifetime);
  set('CapacityRebalance', 'capacityRebalance', input.CapacityRebalance);
  set('ServiceLinkedRoleARN', 'serviceLinkedRoleArn', input.ServiceLinkedRoleARN);
  set('PlacementGroup', 'placementGroup', input.PlacementGroup);
  set('Context', 'context', input.Context);
  set('DesiredCapacityType', 'desiredCapacityType', input.DesiredCapacityType);

  const from = group.desiredCapacity;
  set('MinSize', 'minSize', minSize);
  set('MaxSize', 'maxSize', maxSize);
  setDesiredCapacity(sim, region, group, desired);
  if (desired !== from) {
    group.capacityCause =
      `At ${causeTime(sim.now)} a user request update of AutoScalingGroup constraints to min: ${minSize}, max: ${maxSize}, desired: ${desired} ` +
      `changing the desired capacity from ${from} to ${desired}.`;
  }
  requestReconcile(sim, region, group);
  return {};
}

/** E-16: ResourceInUse while instances remain, unless ForceDelete (then "Delete in progress" until they are gone). */
export function deleteAutoScalingGroup(ctx: RequestContext, input: DeleteAutoScalingGroupType): Record<string, never> {
  const { sim, region } = ctx;
  const group = requireGroup(region, input.AutoScalingGroupName);
  if (group.deleting) return {};
  if (!input.ForceDelete) {
    if (group.instances.size > 0) throw asgErrors.deleteWithInstances();
    if (scalingActivityInProgress(region, group.name)) throw asgErrors.deleteWithActivities();
    finishDelete(sim, region, group);
    return {};
  }
  group.deleting = true;
  recordGroupChange(sim, region, group.name, 'Status', null, 'Delete in progress');
  const from = group.desiredCapacity;
  group.desiredCapacity = 0;
  recordGroupChange(sim, region, group.name, 'DesiredCapacity', from, 0);
  // Start terminating at once (the group may even be gone when this returns).
  sim.scheduler.cancel(group.reconcileEvent);
  reconcileGroup(sim, region, group);
  return {};
}

// ---------------------------------------------------------------------------
// Desired capacity (E-4, E-11)

/** E-11: with HonorCooldown, refused while a scaling activity runs or within DefaultCooldown of the last one. */
export function checkCooldown(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord): void {
  const running = scalingActivityInProgress(region, group.name);
  if (running) throw asgErrors.activityInProgress(running.ActivityId);
  const last = lastScalingActivity(region, group.name);
  if (last && group.lastScalingActivityEnd !== undefined && sim.now < group.lastScalingActivityEnd + group.defaultCooldown * 1000) {
    throw asgErrors.activityInProgress(last.ActivityId);
  }
}

export function setDesiredCapacityHandler(ctx: RequestContext, input: SetDesiredCapacityType): Record<string, never> {
  const { sim, region } = ctx;
  const group = requireActiveGroup(region, input.AutoScalingGroupName);
  const desired = input.DesiredCapacity;
  if (desired === undefined || desired === null) throw asgErrors.missing('desiredCapacity');
  if (desired < group.minSize || desired > group.maxSize) throw asgErrors.desiredOutOfRange(desired, group.minSize, group.maxSize);
  if (input.HonorCooldown) checkCooldown(sim, region, group);
  const from = group.desiredCapacity;
  setDesiredCapacity(sim, region, group, desired);
  if (desired !== from) {
    group.capacityCause = `At ${causeTime(sim.now)} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${desired}.`;
  }
  requestReconcile(sim, region, group);
  return {};
}

// ---------------------------------------------------------------------------
// Describe

export function renderGroupInstance(instance: GroupInstance): Instance {
  return {
    InstanceId: instance.instanceId,
    InstanceType: instance.instanceType,
    AvailabilityZone: instance.availabilityZone,
    LifecycleState: instance.lifecycleState,
    HealthStatus: instance.healthStatus,
    LaunchConfigurationName: instance.launchConfigurationName,
    LaunchTemplate: instance.launchTemplate ? { ...instance.launchTemplate } : undefined,
    ImageId: instance.imageId,
    ProtectedFromScaleIn: instance.protectedFromScaleIn,
  };
}

export function renderGroup(group: AutoScalingGroupRecord, includeInstances = true): AutoScalingGroup {
  return {
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    LaunchConfigurationName: group.launchConfigurationName,
    LaunchTemplate: group.launchTemplate ? { ...group.launchTemplate } : undefined,
    MixedInstancesPolicy: group.mixedInstancesPolicy ? structuredClone(group.mixedInstancesPolicy) : undefined,
    MinSize: group.minSize,
    MaxSize: group.maxSize,
    DesiredCapacity: group.desiredCapacity,
    DefaultCooldown: group.defaultCooldown,
    AvailabilityZones: [...group.availabilityZones],
    LoadBalancerNames: [...group.loadBalancerNames],
    TargetGroupARNs: [...group.targetGroupArns],
    HealthCheckType: group.healthCheckType,
    HealthCheckGracePeriod: group.healthCheckGracePeriod,
    Instances: includeInstances ? [...group.instances.values()].map(renderGroupInstance) : undefined,
    CreatedTime: new Date(group.createdTime),
    SuspendedProcesses: [...group.suspendedProcesses.entries()].map(([ProcessName, SuspensionReason]) => ({ ProcessName, SuspensionReason })),
    PlacementGroup: group.placementGroup,
    VPCZoneIdentifier: group.vpcZoneIdentifier,
    EnabledMetrics: enabledMetricsOf(group),
    Status: group.deleting ? 'Delete in progress' : undefined,
    Tags: groupTagDescriptions(group),
    TerminationPolicies: [...group.terminationPolicies],
    NewInstancesProtectedFromScaleIn: group.newInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: group.serviceLinkedRoleArn,
    MaxInstanceLifetime: group.maxInstanceLifetime,
    CapacityRebalance: group.capacityRebalance,
    Context: group.context,
    DesiredCapacityType: group.desiredCapacityType,
    DefaultInstanceWarmup: group.defaultInstanceWarmup,
    TrafficSources: group.targetGroupArns.map((arn) => ({ Identifier: arn, Type: 'elbv2' })),
  };
}

function matchesGroupFilters(group: AutoScalingGroupRecord, filters: AutoScalingGroupNamesType['Filters']): boolean {
  for (const filter of filters ?? []) {
    const name = filter.Name ?? '';
    const values = filter.Values ?? [];
    if (name === 'tag-key') {
      if (!values.some((v) => group.tags.has(v))) return false;
    } else if (name === 'tag-value') {
      if (![...group.tags.values()].some((t) => values.includes(t.value))) return false;
    } else if (name.startsWith('tag:')) {
      const tag = group.tags.get(name.slice(4));
      if (!tag || !values.includes(tag.value)) return false;
    } else {
      throw validationError(`Filter name ${name} is not valid. Valid filter names are tag-key, tag-value and tag:<key>.`);
    }
  }
  return true;
}

/** DescribeAutoScalingGroups: by name, filtered, in name order, 50 a page (max 100). */
export function describeAutoScalingGroups(ctx: RequestContext, input: AutoScalingGroupNamesType): AutoScalingGroupsType {
  const state = ctx.region.autoscaling;
  let groups: AutoScalingGroupRecord[];
  if (input.AutoScalingGroupNames?.length) {
    groups = [...new Set(input.AutoScalingGroupNames)].map((n) => state.groups.get(n)).filter((g): g is AutoScalingGroupRecord => g !== undefined);
  } else {
    groups = [...state.groups.values()];
  }
  groups = groups.filter((g) => matchesGroupFilters(g, input.Filters));
  groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = paginate(groups, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 100 });
  return { AutoScalingGroups: page.items.map((g) => renderGroup(g, input.IncludeInstances ?? true)), NextToken: page.nextToken };
}

/** DescribeAutoScalingInstances: HealthStatus in upper case, as AWS reports it there. 50 a page (max 50). */
export function describeAutoScalingInstances(ctx: RequestContext, input: DescribeAutoScalingInstancesType): AutoScalingInstancesType {
  const state = ctx.region.autoscaling;
  const ids = instanceIdsOf(input.InstanceIds, 50);
  const rows: AutoScalingInstanceDetails[] = [];
  const add = (group: AutoScalingGroupRecord, instance: GroupInstance) =>
    rows.push({
      InstanceId: instance.instanceId,
      InstanceType: instance.instanceType,
      AutoScalingGroupName: group.name,
      AvailabilityZone: instance.availabilityZone,
      LifecycleState: instance.lifecycleState,
      HealthStatus: instance.healthStatus.toUpperCase(),
      LaunchConfigurationName: instance.launchConfigurationName,
      LaunchTemplate: instance.launchTemplate ? { ...instance.launchTemplate } : undefined,
      ImageId: instance.imageId,
      ProtectedFromScaleIn: instance.protectedFromScaleIn,
    });
  if (ids.length) {
    for (const id of ids) {
      const group = state.groups.get(state.instanceGroups.get(id) ?? '');
      const instance = group?.instances.get(id);
      if (group && instance) add(group, instance);
    }
  } else {
    for (const group of state.groups.values()) for (const instance of group.instances.values()) add(group, instance);
  }
  rows.sort((a, b) => (a.InstanceId! < b.InstanceId! ? -1 : a.InstanceId! > b.InstanceId! ? 1 : 0));
  const page = paginate(rows, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 50 });
  return { AutoScalingInstances: page.items, NextToken: page.nextToken };
}
