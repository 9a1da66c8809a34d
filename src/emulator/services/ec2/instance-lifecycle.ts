/**
 * Instances over simulated time (E-1): launch (`pending`), boot to `running`,
 * stop, start, terminate through `shutting-down` to `terminated`, and forget
 * an hour later, as AWS does. Every change is an event on the simulation's
 * scheduler and is recorded in the history; a scheduled change fires only if
 * nothing else changed the instance in between (`transitionSeq`).
 */
import type { Simulation, RegionState } from '../../world.js';
import type { AwsError } from '../../aws-error.js';
import type { RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import { bootSecondsOf, imageBehaviourOf, readySecondsOf } from './behaviour.js';
import { allocatePrivateIp, defaultSecurityGroupId, defaultSubnetIn, publicIpFor } from './default-network.js';
import { ec2Errors, injectedLaunchError } from './errors.js';
import { gmtTime, tagsForResourceType } from './filters.js';
import { isWellFormedId, newEc2Id } from './ids.js';
import { DEFAULT_INSTANCE_TYPE, instanceTypeSpec } from './instance-types.js';
import { findLaunchTemplate, findLaunchTemplateVersion, type LaunchTemplateRef } from './launch-templates.js';
import type { Ec2Image, Ec2Instance, Ec2Subnet, InstanceLaunchTemplateRef, InstanceStateName } from './state.js';

/** `shutting-down` → `terminated`. */
export const SHUTDOWN_SECONDS = 5;
/** `stopping` → `stopped`. */
export const STOP_SECONDS = 10;
/** How long a terminated instance stays describable (AWS: about an hour). */
export const TERMINATED_RETENTION_SECONDS = 3600;

export const LAUNCH_TEMPLATE_ID_TAG = 'aws:ec2launchtemplate:id';
export const LAUNCH_TEMPLATE_VERSION_TAG = 'aws:ec2launchtemplate:version';

/** What a launch asks for, from RunInstances or from another service (Auto Scaling). */
export interface LaunchSpec {
  imageId?: string;
  instanceType?: string;
  availabilityZone?: string;
  subnetId?: string;
  securityGroupIds?: string[];
  securityGroupNames?: string[];
  keyName?: string;
  launchTemplate?: LaunchTemplateRef;
  /** Tags for the instances (already validated); they win over the template's instance tags. */
  tags?: ReadonlyMap<string, string>;
  count: number;
  clientToken?: string;
}

export interface LaunchResult {
  reservationId: string;
  instances: Ec2Instance[];
}

/** The image a launch uses, or the error RunInstances answers with (E-12: it must be `available`). */
export function launchableImage(region: RegionState, imageId: string): Ec2Image {
  if (!isWellFormedId('ami', imageId)) throw ec2Errors.imageMalformed(imageId);
  const image = region.ec2.images.get(imageId);
  if (!image || image.state === 'deregistered') throw ec2Errors.imageNotFound([imageId]);
  if (image.state !== 'available') throw ec2Errors.imageUnavailable(imageId, image.state);
  return image;
}

function pickSubnet(sim: Simulation, region: RegionState, subnetId: string | undefined, availabilityZone: string | undefined): Ec2Subnet {
  if (subnetId) {
    const subnet = region.ec2.subnets.get(subnetId);
    if (!subnet) throw ec2Errors.subnetNotFound(subnetId);
    if (availabilityZone && availabilityZone !== subnet.availabilityZone) {
      throw ec2Errors.invalidParameterValue(
        `Value (${availabilityZone}) for parameter availabilityZone is invalid. Subnet ${subnetId} is in the availability zone ${subnet.availabilityZone}`,
      );
    }
    return subnet;
  }
  // No subnet: EC2 picks an AZ (seeded here) and uses its default subnet.
  const zone = availabilityZone ?? sim.rng.pick(region.availabilityZones);
  if (!region.availabilityZones.includes(zone)) throw ec2Errors.availabilityZoneInvalid(zone);
  const subnet = defaultSubnetIn(region, zone);
  if (!subnet) throw ec2Errors.noDefaultVpc();
  return subnet;
}

function pickSecurityGroups(region: RegionState, vpcId: string, ids: string[] | undefined, names: string[] | undefined): string[] {
  const out: string[] = [];
  for (const id of ids ?? []) {
    const sg = region.ec2.securityGroups.get(id);
    if (!sg) throw ec2Errors.securityGroupNotFound(id);
    out.push(id);
  }
  for (const name of names ?? []) {
    const sg = [...region.ec2.securityGroups.values()].find((g) => g.groupName === name && g.vpcId === vpcId);
    if (!sg) throw ec2Errors.securityGroupNameNotFound(name, vpcId);
    if (!out.includes(sg.groupId)) out.push(sg.groupId);
  }
  if (out.length === 0) {
    const fallback = defaultSecurityGroupId(region, vpcId);
    if (fallback) out.push(fallback);
  }
  return out;
}

/** An injected launch failure or AZ outage for this AZ (E-20), as the error EC2 would answer. */
function injectedFault(sim: Simulation, region: RegionState, availabilityZone: string, instanceType: string): AwsError | undefined {
  const others = region.availabilityZones.filter((z) => z !== availabilityZone && !sim.faults.azOutages.has(z));
  if (sim.faults.azOutages.has(availabilityZone)) return injectedLaunchError('InsufficientInstanceCapacity', availabilityZone, instanceType, others);
  const code = sim.faults.launchFailures.get(availabilityZone);
  return code ? injectedLaunchError(code, availabilityZone, instanceType, others) : undefined;
}

/**
 * Launches `spec.count` instances in one reservation, all `pending`, each
 * booting on the scheduler. Throws AwsError as RunInstances would (image
 * missing or not available, bad template, injected AZ fault) and then
 * launches nothing.
 */
export function launchInstances(sim: Simulation, region: RegionState, spec: LaunchSpec): LaunchResult {
  let templateRef: InstanceLaunchTemplateRef | undefined;
  let templateData: RequestLaunchTemplateData = {};
  if (spec.launchTemplate) {
    const template = findLaunchTemplate(region, spec.launchTemplate);
    const version = findLaunchTemplateVersion(template, spec.launchTemplate.Version);
    templateData = version.data;
    templateRef = { LaunchTemplateId: template.launchTemplateId, LaunchTemplateName: template.launchTemplateName, Version: String(version.versionNumber) };
  }

  const imageId = spec.imageId ?? templateData.ImageId;
  if (!imageId) throw ec2Errors.missingParameter('ImageId');
  const image = launchableImage(region, imageId);

  const instanceType = spec.instanceType ?? templateData.InstanceType ?? DEFAULT_INSTANCE_TYPE;
  const typeSpec = instanceTypeSpec(instanceType);
  if (!typeSpec) throw ec2Errors.instanceTypeInvalid(instanceType);
  if (typeSpec.architecture !== image.architecture) throw ec2Errors.architectureMismatch(typeSpec.architecture, image.architecture);

  // Where the caller places the instance (Auto Scaling's AZ spread, RunInstances' subnet or AZ)
  // wins over the template's placement as a whole.
  const templateInterface = templateData.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);
  const placedByCaller = spec.subnetId !== undefined || spec.availabilityZone !== undefined;
  const subnet = placedByCaller
    ? pickSubnet(sim, region, spec.subnetId, spec.availabilityZone)
    : pickSubnet(sim, region, templateInterface?.SubnetId, templateData.Placement?.AvailabilityZone);
  const securityGroupIds = pickSecurityGroups(
    region,
    subnet.vpcId,
    spec.securityGroupIds ?? templateData.SecurityGroupIds ?? templateInterface?.Groups,
    spec.securityGroupNames ?? templateData.SecurityGroups,
  );

  const fault = injectedFault(sim, region, subnet.availabilityZone, instanceType);
  if (fault) throw fault;

  const tags = tagsForResourceType(templateData.TagSpecifications, 'instance');
  for (const [k, v] of spec.tags ?? []) tags.set(k, v);
  if (templateRef) {
    // EC2 marks instances launched from a template with these system tags.
    tags.set(LAUNCH_TEMPLATE_ID_TAG, templateRef.LaunchTemplateId);
    tags.set(LAUNCH_TEMPLATE_VERSION_TAG, templateRef.Version);
  }

  const reservationId = newEc2Id(sim, 'r');
  const behaviour = imageBehaviourOf(image);
  const instances: Ec2Instance[] = [];
  for (let i = 0; i < spec.count; i++) {
    const instance: Ec2Instance = {
      instanceId: newEc2Id(sim, 'i'),
      reservationId,
      imageId: image.imageId,
      instanceType,
      architecture: image.architecture,
      availabilityZone: subnet.availabilityZone,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      privateIpAddress: allocatePrivateIp(subnet),
      securityGroupIds,
      keyName: spec.keyName ?? templateData.KeyName,
      state: 'pending',
      stateTransitionReason: '',
      launchTime: sim.now,
      amiLaunchIndex: i,
      rootVolumeId: newEc2Id(sim, 'vol'),
      rootDeviceName: image.rootDeviceName,
      clientToken: spec.clientToken,
      tags: new Map(tags),
      launchTemplate: templateRef,
      imageBehaviour: behaviour,
      transitionSeq: 0,
    };
    if (subnet.mapPublicIpOnLaunch) instance.publicIpAddress = publicIpFor(`${instance.instanceId}/${sim.now}`);
    region.ec2.instances.set(instance.instanceId, instance);
    sim.history.record({ t: sim.now, type: 'instance', region: region.region, instanceId: instance.instanceId, from: null, to: 'pending' });
    scheduleBoot(sim, region, instance);
    instances.push(instance);
  }
  return { reservationId, instances };
}

/** Moves the instance to `to` now, recording the change (E-20 history). */
function setState(sim: Simulation, region: RegionState, instance: Ec2Instance, to: InstanceStateName): void {
  const from = instance.state;
  instance.state = to;
  instance.transitionSeq++;
  sim.history.record({ t: sim.now, type: 'instance', region: region.region, instanceId: instance.instanceId, from, to });
}

/** Runs `change` after `seconds` unless the instance changed (or vanished) in between. */
function scheduleChange(sim: Simulation, region: RegionState, instance: Ec2Instance, seconds: number, label: string, change: () => void): void {
  scheduleChangeAt(sim, region, instance, sim.now + seconds * 1000, label, change);
}

/** Runs `change` at `at`; the instant is kept on the instance so a reloaded state can arm it again (E-23). */
function scheduleChangeAt(sim: Simulation, region: RegionState, instance: Ec2Instance, at: number, label: string, change: () => void): void {
  const seq = instance.transitionSeq;
  instance.transitionDueAt = at;
  sim.scheduler.at(at, `ec2 ${instance.instanceId} ${label}`, () => {
    if (region.ec2.instances.get(instance.instanceId) !== instance || instance.transitionSeq !== seq) return;
    instance.transitionDueAt = undefined;
    change();
  });
}

/** `pending` → `running` after the boot seconds (E-19 `emulator:boot-seconds`); readiness follows. */
function scheduleBoot(sim: Simulation, region: RegionState, instance: Ec2Instance): void {
  scheduleChange(sim, region, instance, bootSecondsOf(instance), 'pending→running', () => finishBoot(sim, region, instance));
}

function finishBoot(sim: Simulation, region: RegionState, instance: Ec2Instance): void {
  setState(sim, region, instance, 'running');
  instance.runningAt = sim.now;
  instance.readyAt = sim.now + readySecondsOf(instance) * 1000;
}

function finishShutdown(sim: Simulation, region: RegionState, instance: Ec2Instance): void {
  setState(sim, region, instance, 'terminated');
  instance.terminatedAt = sim.now;
  instance.publicIpAddress = undefined;
  scheduleChange(sim, region, instance, TERMINATED_RETENTION_SECONDS, 'forget', () => forget(region, instance));
}

function forget(region: RegionState, instance: Ec2Instance): void {
  region.ec2.instances.delete(instance.instanceId);
}

function finishStop(sim: Simulation, region: RegionState, instance: Ec2Instance): void {
  setState(sim, region, instance, 'stopped');
  // A stopped instance gives its public IP back; it gets a new one when started.
  instance.publicIpAddress = undefined;
}

/**
 * After a state file is loaded (E-23): arms the instance's pending transition
 * again at the instant it was due (`transitionDueAt`), by its state:
 * pending → running, shutting-down → terminated, stopping → stopped,
 * terminated → forgotten.
 */
export function rehydrateInstance(sim: Simulation, region: RegionState, instance: Ec2Instance): void {
  const at = instance.transitionDueAt;
  if (at === undefined) return;
  switch (instance.state) {
    case 'pending':
      return scheduleChangeAt(sim, region, instance, at, 'pending→running', () => finishBoot(sim, region, instance));
    case 'shutting-down':
      return scheduleChangeAt(sim, region, instance, at, 'shutting-down→terminated', () => finishShutdown(sim, region, instance));
    case 'stopping':
      return scheduleChangeAt(sim, region, instance, at, 'stopping→stopped', () => finishStop(sim, region, instance));
    case 'terminated':
      return scheduleChangeAt(sim, region, instance, at, 'forget', () => forget(region, instance));
    default:
      instance.transitionDueAt = undefined;
  }
}

const USER_SHUTDOWN = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };

/** `User initiated (2026-01-01 12:00:00 GMT)`. */
export function userInitiatedReason(now: number): string {
  return `User initiated (${gmtTime(now)})`;
}

/**
 * Starts termination: → `shutting-down` → `terminated` (a few seconds), then
 * forgotten an hour later. No-op when already terminating or terminated.
 * Returns the state it was in before.
 */
export function beginTermination(sim: Simulation, region: RegionState, instance: Ec2Instance, reason: string): InstanceStateName {
  const previous = instance.state;
  if (previous === 'shutting-down' || previous === 'terminated') return previous;
  setState(sim, region, instance, 'shutting-down');
  instance.stateTransitionReason = reason || userInitiatedReason(sim.now);
  instance.stateReason = USER_SHUTDOWN;
  instance.readyAt = undefined;
  scheduleChange(sim, region, instance, SHUTDOWN_SECONDS, 'shutting-down→terminated', () => finishShutdown(sim, region, instance));
  return previous;
}

/** running → `stopping` → `stopped`. Throws IncorrectInstanceState from `pending`/terminating states. */
export function beginStop(sim: Simulation, region: RegionState, instance: Ec2Instance): InstanceStateName {
  const previous = instance.state;
  if (previous === 'stopping' || previous === 'stopped') return previous;
  if (previous !== 'running') throw ec2Errors.incorrectInstanceState(instance.instanceId, 'stopped');
  setState(sim, region, instance, 'stopping');
  instance.stateTransitionReason = userInitiatedReason(sim.now);
  instance.stateReason = USER_SHUTDOWN;
  instance.readyAt = undefined;
  instance.runningAt = undefined;
  scheduleChange(sim, region, instance, STOP_SECONDS, 'stopping→stopped', () => finishStop(sim, region, instance));
  return previous;
}

/** `stopped` → `pending` → `running` (boot seconds again). Throws IncorrectInstanceState unless stopped (running/pending are no-ops). */
export function beginStart(sim: Simulation, region: RegionState, instance: Ec2Instance): InstanceStateName {
  const previous = instance.state;
  if (previous === 'pending' || previous === 'running') return previous;
  if (previous !== 'stopped') throw ec2Errors.incorrectInstanceState(instance.instanceId, 'started');
  if (sim.faults.azOutages.has(instance.availabilityZone) || sim.faults.launchFailures.has(instance.availabilityZone)) {
    throw injectedFault(sim, region, instance.availabilityZone, instance.instanceType)!;
  }
  setState(sim, region, instance, 'pending');
  instance.stateTransitionReason = '';
  instance.stateReason = undefined;
  instance.launchTime = sim.now;
  if (region.ec2.subnets.get(instance.subnetId)?.mapPublicIpOnLaunch) instance.publicIpAddress = publicIpFor(`${instance.instanceId}/${sim.now}`);
  scheduleBoot(sim, region, instance);
  return previous;
}
