/**
 * The emulator's EC2 service: the operation handlers the HTTP adapter routes
 * to, the per-region seeding (default VPC, subnets, security group, Amazon's
 * base images), and the functions Auto Scaling and ELBv2 call to launch,
 * terminate, tag and health-check instances.
 */
import { AwsError } from '../../aws-error.js';
import type { Handler, RegionState, ServiceHandlers, Simulation } from '../../world.js';
import { healthCheckPasses, healthOf } from './behaviour.js';
import { seedBaseImages } from './base-images.js';
import { defaultSubnetIn, seedDefaultNetwork } from './default-network.js';
import { isoTime } from './filters.js';
import { createImage, deleteSnapshot, deregisterImage, describeImages, describeSnapshots, registerImage, rehydrateImage } from './images.js';
import { describeImageAttribute, describeVpcAttribute, describeVpcClassicLink, describeVpcClassicLinkDnsSupport } from './attribute-handlers.js';
import { beginStart, beginStop, beginTermination, launchInstances, rehydrateInstance } from './instance-lifecycle.js';
import {
  describeInstances,
  describeInstanceStatus,
  runInstances,
  startInstances,
  stopInstances,
  terminateInstances,
} from './instances.js';
import {
  createLaunchTemplate,
  createLaunchTemplateVersion,
  deleteLaunchTemplate,
  deleteLaunchTemplateVersions,
  describeLaunchTemplates,
  describeLaunchTemplateVersions,
  latestVersionNumber,
  modifyLaunchTemplate,
  resolveLaunchTemplate as resolveTemplate,
  type LaunchTemplateRef,
  type ResolvedLaunchTemplate,
} from './launch-templates.js';
import {
  describeAccountAttributes,
  describeAvailabilityZones,
  describeInstanceTypes,
  describeKeyPairs,
  describeRegions,
  describeSecurityGroups,
  describeSubnets,
  describeVpcs,
} from './network.js';
import type { Ec2Instance, Ec2Subnet } from './state.js';
import { createTags, deleteTags, describeTags } from './tags.js';

export type { Ec2Instance, Ec2Image, Ec2Snapshot, Ec2LaunchTemplate, Ec2State, InstanceStateName, ImageStateName } from './state.js';
export type { LaunchTemplateRef, ResolvedLaunchTemplate } from './launch-templates.js';
export { INSTANCE_STATE_CODES } from './state.js';
export { LAUNCH_TEMPLATE_ID_TAG, LAUNCH_TEMPLATE_VERSION_TAG } from './instance-lifecycle.js';
export { BOOT_SECONDS_TAG, READY_SECONDS_TAG, HEALTH_TAG, IMAGE_SECONDS_TAG } from './behaviour.js';
export { AMAZON_ACCOUNT_ID } from './base-images.js';

/**
 * `DryRun: true` on any operation answers as EC2 does when the call would
 * have been allowed (HTTP 412, DryRunOperation).
 */
function withDryRun(handler: Handler): Handler {
  return (ctx, input) => {
    if (input && typeof input === 'object' && (input as { DryRun?: boolean }).DryRun === true) {
      throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    }
    return handler(ctx, input ?? {});
  };
}

const operations: Record<string, Handler> = {
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  TerminateInstances: terminateInstances,
  StopInstances: stopInstances,
  StartInstances: startInstances,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
  CreateImage: createImage,
  RegisterImage: registerImage,
  DescribeImages: describeImages,
  DeregisterImage: deregisterImage,
  DescribeSnapshots: describeSnapshots,
  DeleteSnapshot: deleteSnapshot,
  CreateLaunchTemplate: createLaunchTemplate,
  CreateLaunchTemplateVersion: createLaunchTemplateVersion,
  DescribeLaunchTemplates: describeLaunchTemplates,
  DescribeLaunchTemplateVersions: describeLaunchTemplateVersions,
  ModifyLaunchTemplate: modifyLaunchTemplate,
  DeleteLaunchTemplate: deleteLaunchTemplate,
  DeleteLaunchTemplateVersions: deleteLaunchTemplateVersions,
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeRegions: describeRegions,
  DescribeAccountAttributes: describeAccountAttributes,
  DescribeKeyPairs: describeKeyPairs,
  DescribeInstanceTypes: describeInstanceTypes,
  DescribeImageAttribute: describeImageAttribute,
  DescribeVpcAttribute: describeVpcAttribute,
  DescribeVpcClassicLink: describeVpcClassicLink,
  DescribeVpcClassicLinkDnsSupport: describeVpcClassicLinkDnsSupport,
};

/** Operation name → handler, for the HTTP adapter (emulator.ts). */
export const ec2Handlers: ServiceHandlers = Object.freeze(
  Object.fromEntries(Object.entries(operations).map(([name, handler]) => [name, withDryRun(handler)])),
);

/**
 * Seeds every region as it is created: the default VPC 172.31.0.0/16 with one
 * default subnet per AZ and the `default` security group, and the public base
 * images (Amazon Linux 2023 x86_64/arm64, Amazon Linux 2, Ubuntu 24.04).
 *
 * ```ts
 * const sim = new Simulation({ clock });
 * startEc2(sim);
 * sim.region('us-east-1').ec2.subnets.size; // 3
 * ```
 */
export function startEc2(sim: Simulation): void {
  sim.onRegionCreated((region) => {
    seedDefaultNetwork(region);
    seedBaseImages(region);
  });
}

/** What another service (Auto Scaling) asks EC2 to launch. */
export interface LaunchRequest {
  /** Overrides the template's. */
  imageId?: string;
  instanceType?: string;
  availabilityZone: string;
  /** Default: the region's default subnet in that AZ. */
  subnetId?: string;
  launchTemplate?: { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string };
  /** Set as given; `aws:` keys (e.g. `aws:autoscaling:groupName`) are allowed here. */
  tags?: { Key: string; Value: string }[];
}

/**
 * Launches one instance (state `pending`, booting on the scheduler). Throws
 * AwsError as RunInstances would: image missing or not `available` (E-12),
 * AZ launch fault or outage (E-20), bad template.
 *
 * ```ts
 * const instance = launchInstance(sim, region, { availabilityZone: 'us-east-1a', launchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' } });
 * instance.launchTemplate?.Version; // '3'
 * ```
 */
export function launchInstance(sim: Simulation, region: RegionState, request: LaunchRequest): Ec2Instance {
  const tags = new Map<string, string>();
  for (const tag of request.tags ?? []) tags.set(tag.Key, tag.Value);
  const { instances } = launchInstances(sim, region, {
    imageId: request.imageId,
    instanceType: request.instanceType,
    availabilityZone: request.availabilityZone,
    subnetId: request.subnetId,
    launchTemplate: request.launchTemplate,
    tags,
    count: 1,
  });
  return instances[0]!;
}

/**
 * Resolves a template reference (id or name; Version `$Latest` | `$Default` |
 * number string; missing → `$Default`) to a concrete version. Throws AwsError
 * with AWS's codes (InvalidLaunchTemplateId.NotFound,
 * InvalidLaunchTemplateName.NotFoundException,
 * InvalidLaunchTemplateId.VersionNotFound) when missing.
 */
export function resolveLaunchTemplate(region: RegionState, ref: LaunchTemplateRef): ResolvedLaunchTemplate {
  return resolveTemplate(region, ref);
}

export function findInstance(region: RegionState, instanceId: string): Ec2Instance | undefined {
  return region.ec2.instances.get(instanceId);
}

/**
 * Starts termination (→ `shutting-down` → `terminated`), recording history.
 * No-op if already terminating or terminated, or if the instance is gone.
 * `reason` becomes the instance's StateTransitionReason (empty → EC2's
 * `User initiated (…)`).
 */
export function terminateInstance(sim: Simulation, region: RegionState, instanceId: string, reason: string): void {
  const instance = region.ec2.instances.get(instanceId);
  if (instance) beginTermination(sim, region, instance, reason);
}

/** Stops a running instance (a warm pool's Warmed:Stopped); no-op unless running. */
export function stopInstance(sim: Simulation, region: RegionState, instanceId: string): void {
  const instance = region.ec2.instances.get(instanceId);
  if (instance?.state === 'running') beginStop(sim, region, instance);
}

/** Starts a stopped instance (drawn from a warm pool); no-op unless stopped. Throws the AZ's injected fault. */
export function startInstance(sim: Simulation, region: RegionState, instanceId: string): void {
  const instance = region.ec2.instances.get(instanceId);
  if (instance?.state === 'stopped') beginStart(sim, region, instance);
}

/** Sets (value string) or removes (undefined) one tag on an instance; `aws:` keys allowed. No-op for an unknown instance. */
export function setInstanceTag(region: RegionState, instanceId: string, key: string, value: string | undefined): void {
  const instance = region.ec2.instances.get(instanceId);
  if (!instance) return;
  if (value === undefined) instance.tags.delete(key);
  else instance.tags.set(key, value);
}

/**
 * Whether the instance's application answers a health check right now
 * (sim.now): running, its ready seconds passed, its AZ not out, and its
 * `emulator:health` behaviour passes (E-19). `flaky:P` draws from sim.rng, so
 * call it once per check.
 */
export function answersHealthCheck(sim: Simulation, region: RegionState, instanceId: string): boolean {
  const instance = region.ec2.instances.get(instanceId);
  if (!instance || instance.state !== 'running' || instance.readyAt === undefined) return false;
  if (sim.faults.azOutages.has(instance.availabilityZone)) return false;
  if (sim.now < instance.readyAt) return false;
  return healthCheckPasses(healthOf(instance), instance.readyAt, sim.now, sim.rng);
}

/** The instant (epoch ms) from which the application answers: running + ready seconds; undefined until running. */
export function applicationReadyAt(region: RegionState, instanceId: string): number | undefined {
  const instance = region.ec2.instances.get(instanceId);
  return instance?.state === 'running' ? instance.readyAt : undefined;
}

function subnetSummary(subnet: Ec2Subnet): { SubnetId: string; AvailabilityZone: string; VpcId: string } {
  return { SubnetId: subnet.subnetId, AvailabilityZone: subnet.availabilityZone, VpcId: subnet.vpcId };
}

export function findSubnet(region: RegionState, subnetId: string): { SubnetId: string; AvailabilityZone: string; VpcId: string } | undefined {
  const subnet = region.ec2.subnets.get(subnetId);
  return subnet ? subnetSummary(subnet) : undefined;
}

/** The region's default subnet in `availabilityZone`, for Auto Scaling's AZ spread. */
export function defaultSubnetFor(region: RegionState, availabilityZone: string): { SubnetId: string; AvailabilityZone: string; VpcId: string } | undefined {
  const subnet = defaultSubnetIn(region, availabilityZone);
  return subnet ? subnetSummary(subnet) : undefined;
}

const tagObject = (tags: ReadonlyMap<string, string>) => Object.fromEntries(tags);
const maybeIso = (ms: number | undefined) => (ms === undefined ? undefined : isoTime(ms));

/** A JSON-able summary of the region's EC2 state, for the admin state dump (E-20). */
export function dumpEc2State(region: RegionState): unknown {
  const ec2 = region.ec2;
  return {
    instances: [...ec2.instances.values()].map((i) => ({
      instanceId: i.instanceId,
      state: i.state,
      imageId: i.imageId,
      instanceType: i.instanceType,
      availabilityZone: i.availabilityZone,
      subnetId: i.subnetId,
      privateIpAddress: i.privateIpAddress,
      launchTime: isoTime(i.launchTime),
      runningAt: maybeIso(i.runningAt),
      readyAt: maybeIso(i.readyAt),
      terminatedAt: maybeIso(i.terminatedAt),
      stateTransitionReason: i.stateTransitionReason || undefined,
      launchTemplate: i.launchTemplate,
      tags: tagObject(i.tags),
    })),
    images: [...ec2.images.values()].map((i) => ({
      imageId: i.imageId,
      name: i.name,
      state: i.state,
      ownerId: i.ownerId,
      ownerAlias: i.ownerAlias,
      architecture: i.architecture,
      creationDate: isoTime(i.creationDate),
      snapshotIds: i.blockDeviceMappings.map((m) => m.Ebs?.SnapshotId).filter((s): s is string => !!s),
      sourceInstanceId: i.sourceInstanceId,
      tags: tagObject(i.tags),
    })),
    snapshots: [...ec2.snapshots.values()].map((s) => ({ snapshotId: s.snapshotId, state: s.state, ownerId: s.ownerId, volumeId: s.volumeId, tags: tagObject(s.tags) })),
    launchTemplates: [...ec2.launchTemplates.values()].map((t) => ({
      launchTemplateId: t.launchTemplateId,
      launchTemplateName: t.launchTemplateName,
      defaultVersion: t.defaultVersion,
      latestVersion: latestVersionNumber(t),
      versions: [...t.versions.values()].map((v) => ({ versionNumber: v.versionNumber, description: v.description, imageId: v.data.ImageId, instanceType: v.data.InstanceType })),
      tags: tagObject(t.tags),
    })),
    vpcs: [...ec2.vpcs.values()].map((v) => ({ vpcId: v.vpcId, cidrBlock: v.cidrBlock, isDefault: v.isDefault })),
    subnets: [...ec2.subnets.values()].map((s) => ({ subnetId: s.subnetId, vpcId: s.vpcId, availabilityZone: s.availabilityZone, cidrBlock: s.cidrBlock, defaultForAz: s.defaultForAz })),
    securityGroups: [...ec2.securityGroups.values()].map((g) => ({ groupId: g.groupId, groupName: g.groupName, vpcId: g.vpcId })),
  };
}

/** After a state file is loaded (E-23): instance transitions and image completions are armed again when they were due. */
export function rehydrateEc2(sim: Simulation, region: RegionState): void {
  for (const instance of region.ec2.instances.values()) rehydrateInstance(sim, region, instance);
  for (const image of region.ec2.images.values()) rehydrateImage(sim, region, image);
}
