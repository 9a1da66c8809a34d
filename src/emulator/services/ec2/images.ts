/**
 * Images and their snapshots (E-17): CreateImage from an instance (`pending`,
 * then `available` after 60 s with its EBS snapshots `completed`),
 * RegisterImage, DescribeImages (`Owners` self / amazon / account id),
 * DeregisterImage, DescribeSnapshots, DeleteSnapshot (refused while a
 * registered AMI uses the snapshot).
 */
import type {
  BlockDeviceMapping,
  CreateImageRequest,
  CreateImageResult,
  DeleteSnapshotRequest,
  DeregisterImageRequest,
  DeregisterImageResult,
  DescribeImagesRequest,
  DescribeImagesResult,
  DescribeSnapshotsRequest,
  DescribeSnapshotsResult,
  Image,
  RegisterImageRequest,
  RegisterImageResult,
  Snapshot,
} from '@aws-sdk/client-ec2';
import type { RegionState, RequestContext, Simulation } from '../../world.js';
import { DEFAULT_IMAGE_SECONDS, IMAGE_SECONDS_TAG, parseSeconds } from './behaviour.js';
import { ec2Errors } from './errors.js';
import { compileFilters, isoTime, paginate, refuseMaxResultsWithIds, tagList, tagsForResourceType, type FilterSpec } from './filters.js';
import { isWellFormedId, newEc2Id, requireByIds } from './ids.js';
import { requireInstances } from './instances.js';
import type { Ec2BlockDeviceMapping, Ec2Image, Ec2Snapshot, ImageStateName } from './state.js';

const LIMITS_IMAGES = { min: 6, max: 1000 };
const LIMITS_SNAPSHOTS = { min: 5, max: 1000 };

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html — Name constraints. */
const IMAGE_NAME = /^[a-zA-Z0-9()[\] ./\-'@_]{3,128}$/;

function checkImageName(region: RegionState, name: string | undefined): string {
  if (!name) throw ec2Errors.missingParameter('Name');
  if (!IMAGE_NAME.test(name)) throw ec2Errors.imageNameMalformed();
  for (const image of region.ec2.images.values()) {
    if (image.ownerId === region.accountId && image.name === name && image.state !== 'deregistered') throw ec2Errors.imageNameDuplicate(name, image.imageId);
  }
  return name;
}

function setImageState(sim: Simulation, region: RegionState, image: Ec2Image, to: ImageStateName): void {
  const from = image.state;
  image.state = to;
  sim.history.record({ t: sim.now, type: 'image', region: region.region, imageId: image.imageId, from, to });
}

/**
 * Registers `image` as `pending` and makes it `available` (with its pending
 * snapshots `completed`) after `emulator:image-seconds` (default 60 s, E-1).
 */
function addPendingImage(sim: Simulation, region: RegionState, image: Ec2Image, snapshots: Ec2Snapshot[]): void {
  const seconds = parseSeconds(image.tags.get(IMAGE_SECONDS_TAG), DEFAULT_IMAGE_SECONDS);
  const completesAt = sim.now + seconds * 1000;
  for (const snapshot of snapshots) {
    snapshot.completesAt = completesAt;
    region.ec2.snapshots.set(snapshot.snapshotId, snapshot);
  }
  region.ec2.images.set(image.imageId, image);
  sim.history.record({ t: sim.now, type: 'image', region: region.region, imageId: image.imageId, from: null, to: 'pending' });
  if (seconds === 0) completeImage(sim, region, image, snapshots);
  else scheduleImageCompletion(sim, region, image, snapshots, completesAt);
}

function scheduleImageCompletion(sim: Simulation, region: RegionState, image: Ec2Image, snapshots: Ec2Snapshot[], at: number): void {
  image.availableAt = at;
  sim.scheduler.at(at, `ec2 ${image.imageId} pending→available`, () => completeImage(sim, region, image, snapshots));
}

function completeImage(sim: Simulation, region: RegionState, image: Ec2Image, snapshots: Ec2Snapshot[]): void {
  for (const snapshot of snapshots) {
    if (region.ec2.snapshots.get(snapshot.snapshotId) !== snapshot || snapshot.state !== 'pending') continue;
    snapshot.state = 'completed';
    snapshot.completionTime = sim.now;
  }
  if (region.ec2.images.get(image.imageId) === image && image.state === 'pending') {
    image.availableAt = undefined;
    setImageState(sim, region, image, 'available');
  }
}

/** After a state file is loaded (E-23): a pending image (and its snapshots) completes when it was due. */
/** A deregistered image stops being listed at its `forgetAt` (E-39). */
function scheduleImageForgotten(sim: Simulation, region: RegionState, image: Ec2Image): void {
  sim.scheduler.at(image.forgetAt ?? sim.now, 'ec2:image-forgotten', () => {
    if (region.ec2.images.get(image.imageId) === image && image.state === 'deregistered') region.ec2.images.delete(image.imageId);
  });
}

export function rehydrateImage(sim: Simulation, region: RegionState, image: Ec2Image): void {
  if (image.state === 'deregistered') {
    scheduleImageForgotten(sim, region, image);
    return;
  }
  if (image.state !== 'pending' || image.availableAt === undefined) return;
  const snapshotIds = new Set(image.blockDeviceMappings.map((m) => m.Ebs?.SnapshotId).filter((id): id is string => id !== undefined));
  const snapshots = [...region.ec2.snapshots.values()].filter((s) => snapshotIds.has(s.snapshotId) && s.state === 'pending');
  scheduleImageCompletion(sim, region, image, snapshots, image.availableAt);
}

export function createImage(ctx: RequestContext, input: CreateImageRequest): CreateImageResult {
  const { sim, region } = ctx;
  if (!input.InstanceId) throw ec2Errors.missingParameter('InstanceId');
  const [instance] = requireInstances(region, [input.InstanceId]);
  const name = checkImageName(region, input.Name);
  if (instance!.state !== 'running' && instance!.state !== 'stopped') {
    throw ec2Errors.incorrectInstanceState(instance!.instanceId, 'imaged');
  }
  const imageId = newEc2Id(sim, 'ami');
  const snapshot: Ec2Snapshot = {
    snapshotId: newEc2Id(sim, 'snap'),
    volumeId: instance!.rootVolumeId,
    volumeSize: 8,
    ownerId: region.accountId,
    description: `Created by CreateImage(${instance!.instanceId}) for ${imageId}`,
    state: 'pending',
    startTime: sim.now,
    encrypted: false,
    tags: tagsForResourceType(input.TagSpecifications, 'snapshot'),
  };
  const image: Ec2Image = {
    imageId,
    name,
    description: input.Description,
    ownerId: region.accountId,
    state: 'pending',
    creationDate: sim.now,
    architecture: instance!.architecture,
    rootDeviceName: instance!.rootDeviceName,
    virtualizationType: 'hvm',
    platformDetails: 'Linux/UNIX',
    blockDeviceMappings: [
      { DeviceName: instance!.rootDeviceName, Ebs: { SnapshotId: snapshot.snapshotId, VolumeSize: snapshot.volumeSize, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: false } },
    ],
    tags: tagsForResourceType(input.TagSpecifications, 'image'),
    sourceInstanceId: instance!.instanceId,
    public: false,
  };
  addPendingImage(sim, region, image, [snapshot]);
  return { ImageId: imageId };
}

function toMapping(m: BlockDeviceMapping): Ec2BlockDeviceMapping {
  return {
    DeviceName: m.DeviceName ?? '/dev/xvda',
    Ebs: m.Ebs
      ? {
          SnapshotId: m.Ebs.SnapshotId,
          VolumeSize: m.Ebs.VolumeSize,
          VolumeType: m.Ebs.VolumeType,
          DeleteOnTermination: m.Ebs.DeleteOnTermination ?? true,
          Encrypted: m.Ebs.Encrypted ?? false,
        }
      : undefined,
  };
}

/**
 * RegisterImage from EBS snapshots. For convenience in scenarios, a request
 * with neither block device mappings nor an image location gets a fresh,
 * completed root snapshot (AWS would refuse it) — the quickest way to make an
 * AMI whose `emulator:*` tags shape a test (E-19).
 */
export function registerImage(ctx: RequestContext, input: RegisterImageRequest): RegisterImageResult {
  const { sim, region } = ctx;
  const name = checkImageName(region, input.Name);
  const rootDeviceName = input.RootDeviceName ?? '/dev/xvda';
  const architecture = input.Architecture ?? 'x86_64';
  if (architecture !== 'x86_64' && architecture !== 'arm64' && architecture !== 'i386') {
    throw ec2Errors.invalidParameterValue(`Value (${architecture}) for parameter architecture is invalid.`);
  }
  const mappings = (input.BlockDeviceMappings ?? []).map(toMapping);
  for (const m of mappings) {
    const snapshotId = m.Ebs?.SnapshotId;
    if (!snapshotId) continue;
    if (!isWellFormedId('snap', snapshotId)) throw ec2Errors.snapshotMalformed(snapshotId);
    const snapshot = region.ec2.snapshots.get(snapshotId);
    if (!snapshot) throw ec2Errors.snapshotNotFound([snapshotId]);
    m.Ebs!.VolumeSize ??= snapshot.volumeSize;
  }
  const imageId = newEc2Id(sim, 'ami');
  const created: Ec2Snapshot[] = [];
  if (mappings.length === 0 && !input.ImageLocation) {
    const snapshot: Ec2Snapshot = {
      snapshotId: newEc2Id(sim, 'snap'),
      volumeId: 'vol-ffffffff',
      volumeSize: 8,
      ownerId: region.accountId,
      description: `Root volume for ${imageId}`,
      state: 'completed',
      startTime: sim.now,
      completionTime: sim.now,
      encrypted: false,
      tags: new Map(),
    };
    region.ec2.snapshots.set(snapshot.snapshotId, snapshot);
    mappings.push({ DeviceName: rootDeviceName, Ebs: { SnapshotId: snapshot.snapshotId, VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: false } });
  }
  const image: Ec2Image = {
    imageId,
    name,
    description: input.Description,
    ownerId: region.accountId,
    state: 'pending',
    creationDate: sim.now,
    architecture,
    rootDeviceName,
    virtualizationType: input.VirtualizationType ?? 'hvm',
    platformDetails: 'Linux/UNIX',
    blockDeviceMappings: mappings,
    tags: tagsForResourceType(input.TagSpecifications, 'image'),
    public: false,
    imageLocation: input.ImageLocation,
  };
  addPendingImage(sim, region, image, created);
  return { ImageId: imageId };
}

export function renderImage(image: Ec2Image): Image {
  return {
    ImageId: image.imageId,
    ImageLocation: image.imageLocation ?? `${image.ownerAlias ?? image.ownerId}/${image.name}`,
    State: image.state,
    StateReason: image.stateReason,
    OwnerId: image.ownerId,
    ImageOwnerAlias: image.ownerAlias,
    CreationDate: isoTime(image.creationDate),
    Public: image.public,
    Architecture: image.architecture as Image['Architecture'],
    ImageType: 'machine',
    Name: image.name,
    Description: image.description,
    RootDeviceName: image.rootDeviceName,
    RootDeviceType: 'ebs',
    VirtualizationType: image.virtualizationType as Image['VirtualizationType'],
    Hypervisor: 'xen',
    EnaSupport: true,
    SriovNetSupport: 'simple',
    PlatformDetails: image.platformDetails,
    UsageOperation: 'RunInstances',
    BootMode: image.architecture === 'arm64' ? 'uefi' : 'uefi-preferred',
    ProductCodes: [],
    SourceInstanceId: image.sourceInstanceId,
    BlockDeviceMappings: image.blockDeviceMappings.map((m) => ({
      DeviceName: m.DeviceName,
      Ebs: m.Ebs ? { ...m.Ebs, VolumeType: m.Ebs.VolumeType as 'gp3' | undefined } : undefined,
    })),
    Tags: tagList(image.tags),
  };
}

function imageFilters(): FilterSpec<Ec2Image> {
  return {
    fields: {
      architecture: (i) => i.architecture,
      'block-device-mapping.device-name': (i) => i.blockDeviceMappings.map((m) => m.DeviceName),
      'block-device-mapping.snapshot-id': (i) => i.blockDeviceMappings.map((m) => m.Ebs?.SnapshotId),
      'block-device-mapping.volume-size': (i) => i.blockDeviceMappings.map((m) => m.Ebs?.VolumeSize),
      'block-device-mapping.volume-type': (i) => i.blockDeviceMappings.map((m) => m.Ebs?.VolumeType),
      'block-device-mapping.encrypted': (i) => i.blockDeviceMappings.map((m) => m.Ebs?.Encrypted),
      'creation-date': (i) => isoTime(i.creationDate),
      description: (i) => i.description,
      'ena-support': () => true,
      hypervisor: () => 'xen',
      'image-id': (i) => i.imageId,
      'image-type': () => 'machine',
      'is-public': (i) => i.public,
      name: (i) => i.name,
      'owner-alias': (i) => i.ownerAlias,
      'owner-id': (i) => i.ownerId,
      'platform-details': (i) => i.platformDetails,
      'root-device-name': (i) => i.rootDeviceName,
      'root-device-type': () => 'ebs',
      'source-instance-id': (i) => i.sourceInstanceId,
      state: (i) => i.state,
      'state-reason-code': (i) => i.stateReason?.Code,
      'virtualization-type': (i) => i.virtualizationType,
    },
    tags: (i) => i.tags,
  };
}

/** Whether `owner` (`self`, `amazon`, an alias or an account id) owns the image. */
function ownedBy(region: RegionState, owner: string, ownerId: string, ownerAlias: string | undefined): boolean {
  if (owner === 'self') return ownerId === region.accountId;
  return owner === ownerId || (ownerAlias !== undefined && owner === ownerAlias);
}

export function describeImages(ctx: RequestContext, input: DescribeImagesRequest): DescribeImagesResult {
  const { region } = ctx;
  refuseMaxResultsWithIds(input.ImageIds, input.MaxResults, 'ImageIds');
  let candidates: Ec2Image[];
  if (input.ImageIds?.length) {
    candidates = requireByIds(input.ImageIds, 'ami', region.ec2.images, { malformed: ec2Errors.imageMalformed, notFound: ec2Errors.imageNotFound });
  } else {
    candidates = [...region.ec2.images.values()];
  }
  const owners = input.Owners ?? [];
  if (owners.length) candidates = candidates.filter((i) => owners.some((o) => ownedBy(region, o, i.ownerId, i.ownerAlias)));
  if (input.ExecutableUsers?.length) candidates = candidates.filter((i) => i.public || i.ownerId === region.accountId);
  const matches = compileFilters(input.Filters, imageFilters());
  const page = paginate(candidates.filter(matches), input.MaxResults, input.NextToken, LIMITS_IMAGES);
  return { Images: page.items.map(renderImage), NextToken: page.nextToken };
}

/** How long a deregistered image stays listed (AWS says "a short interval"; the emulator uses 10 minutes). */
export const DEREGISTERED_IMAGE_VISIBLE_MS = 600_000;

export function deregisterImage(ctx: RequestContext, input: DeregisterImageRequest): DeregisterImageResult {
  const { sim, region } = ctx;
  const imageId = input.ImageId;
  if (!imageId) throw ec2Errors.missingParameter('ImageId');
  if (!isWellFormedId('ami', imageId)) throw ec2Errors.imageMalformed(imageId);
  const image = region.ec2.images.get(imageId);
  if (!image || image.state === 'deregistered') throw ec2Errors.imageNotFound([imageId]);
  if (image.ownerId !== region.accountId) throw ec2Errors.imageNotYours(imageId);
  setImageState(sim, region, image, 'deregistered');
  // "Recently deregistered images appear in the returned results for a short interval and then
  // return empty results" (API_DescribeImages): listed as `deregistered`, then gone (E-39).
  image.forgetAt = sim.now + DEREGISTERED_IMAGE_VISIBLE_MS;
  scheduleImageForgotten(sim, region, image);
  if (!input.DeleteAssociatedSnapshots) return { Return: true };
  const results = [];
  for (const m of image.blockDeviceMappings) {
    const snapshotId = m.Ebs?.SnapshotId;
    if (!snapshotId) continue;
    const snapshot = region.ec2.snapshots.get(snapshotId);
    const user = snapshot ? imageUsingSnapshot(region, snapshotId) : undefined;
    if (snapshot && !user && snapshot.ownerId === region.accountId) {
      region.ec2.snapshots.delete(snapshotId);
      results.push({ SnapshotId: snapshotId, ReturnCode: 'success' as const });
    } else {
      // Still used by another image → skipped; someone else's → missing permissions.
      results.push({ SnapshotId: snapshotId, ReturnCode: !snapshot || user ? ('skipped' as const) : ('missing-permissions' as const) });
    }
  }
  return { Return: true, DeleteSnapshotResults: results };
}

/** The registered image (pending or available) whose block devices use the snapshot, if any. */
function imageUsingSnapshot(region: RegionState, snapshotId: string): Ec2Image | undefined {
  for (const image of region.ec2.images.values()) {
    if (image.state === 'deregistered') continue;
    if (image.blockDeviceMappings.some((m) => m.Ebs?.SnapshotId === snapshotId)) return image;
  }
  return undefined;
}

function snapshotProgress(sim: Simulation, snapshot: Ec2Snapshot): string {
  if (snapshot.state === 'completed') return '100%';
  if (snapshot.state !== 'pending' || snapshot.completesAt === undefined) return '0%';
  const total = snapshot.completesAt - snapshot.startTime;
  const done = total <= 0 ? 99 : Math.min(99, Math.floor(((sim.now - snapshot.startTime) / total) * 100));
  return `${Math.max(0, done)}%`;
}

function renderSnapshot(sim: Simulation, snapshot: Ec2Snapshot): Snapshot {
  return {
    SnapshotId: snapshot.snapshotId,
    VolumeId: snapshot.volumeId,
    State: snapshot.state,
    StartTime: new Date(snapshot.startTime),
    CompletionTime: snapshot.completionTime !== undefined ? new Date(snapshot.completionTime) : undefined,
    Progress: snapshotProgress(sim, snapshot),
    OwnerId: snapshot.ownerId,
    OwnerAlias: snapshot.ownerAlias,
    Description: snapshot.description,
    VolumeSize: snapshot.volumeSize,
    Encrypted: snapshot.encrypted,
    StorageTier: 'standard',
    Tags: tagList(snapshot.tags),
  };
}

function snapshotFilters(sim: Simulation): FilterSpec<Ec2Snapshot> {
  return {
    fields: {
      description: (s) => s.description,
      encrypted: (s) => s.encrypted,
      'owner-alias': (s) => s.ownerAlias,
      'owner-id': (s) => s.ownerId,
      progress: (s) => snapshotProgress(sim, s),
      'snapshot-id': (s) => s.snapshotId,
      'start-time': (s) => isoTime(s.startTime),
      status: (s) => s.state,
      'storage-tier': () => 'standard',
      'volume-id': (s) => s.volumeId,
      'volume-size': (s) => s.volumeSize,
    },
    tags: (s) => s.tags,
  };
}

/**
 * DescribeSnapshots. Without ids or owners it lists the account's own
 * snapshots (AWS would add every public snapshot, which no client wants).
 */
export function describeSnapshots(ctx: RequestContext, input: DescribeSnapshotsRequest): DescribeSnapshotsResult {
  const { sim, region } = ctx;
  refuseMaxResultsWithIds(input.SnapshotIds, input.MaxResults, 'SnapshotIds');
  let candidates: Ec2Snapshot[];
  if (input.SnapshotIds?.length) {
    candidates = requireByIds(input.SnapshotIds, 'snap', region.ec2.snapshots, { malformed: ec2Errors.snapshotMalformed, notFound: ec2Errors.snapshotNotFound });
  } else {
    candidates = [...region.ec2.snapshots.values()];
    if (!input.OwnerIds?.length) candidates = candidates.filter((s) => s.ownerId === region.accountId);
  }
  const owners = input.OwnerIds ?? [];
  if (owners.length) candidates = candidates.filter((s) => owners.some((o) => ownedBy(region, o, s.ownerId, s.ownerAlias)));
  const page = paginate(candidates.filter(compileFilters(input.Filters, snapshotFilters(sim))), input.MaxResults, input.NextToken, LIMITS_SNAPSHOTS);
  return { Snapshots: page.items.map((s) => renderSnapshot(sim, s)), NextToken: page.nextToken };
}

export function deleteSnapshot(ctx: RequestContext, input: DeleteSnapshotRequest): Record<string, never> {
  const { region } = ctx;
  const snapshotId = input.SnapshotId;
  if (!snapshotId) throw ec2Errors.missingParameter('SnapshotId');
  if (!isWellFormedId('snap', snapshotId)) throw ec2Errors.snapshotMalformed(snapshotId);
  const snapshot = region.ec2.snapshots.get(snapshotId);
  if (!snapshot) throw ec2Errors.snapshotNotFound([snapshotId]);
  const user = imageUsingSnapshot(region, snapshotId);
  if (user) throw ec2Errors.snapshotInUse(snapshotId, user.imageId);
  if (snapshot.ownerId !== region.accountId) throw ec2Errors.snapshotNotYours(snapshotId);
  region.ec2.snapshots.delete(snapshotId);
  return {};
}
