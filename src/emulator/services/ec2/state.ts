/**
 * EC2's part of a region's state: instances, images, snapshots, launch
 * templates and the default network, each in a map keyed by id so that a
 * describe of thousands of instances stays linear.
 *
 * Entities are plain data (maps, strings, epoch milliseconds) so the state can
 * be dumped and reloaded (E-20, E-23); timed changes live on the simulation's
 * scheduler and re-check the entity's state when they fire.
 */
import type { RequestLaunchTemplateData } from '@aws-sdk/client-ec2';

/** EC2 instance states, with the codes AWS reports next to them. */
export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html */
export const INSTANCE_STATE_CODES: Readonly<Record<InstanceStateName, number>> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** The launch template an instance was launched from, as `Instance.LaunchTemplate`-like data. */
export interface InstanceLaunchTemplateRef {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  /** The concrete version number, as a string (what AWS reports). */
  Version: string;
}

/**
 * How the instance's "application" behaves (E-19), copied from the AMI's
 * `emulator:*` tags at launch. Tags on the instance itself override these at
 * check time.
 */
export interface ImageBehaviourTags {
  bootSeconds?: string;
  readySeconds?: string;
  health?: string;
  /** Load behaviour (docs/emulator-automation.md E-25). */
  errorRate?: string;
  latencyMs?: string;
  cpuPerRequest?: string;
  cpu?: string;
}

export interface Ec2Instance {
  instanceId: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  architecture: string;
  availabilityZone: string;
  subnetId: string;
  vpcId: string;
  privateIpAddress: string;
  /** Given at launch/start in subnets that map public IPs (default subnets do); released on stop. */
  publicIpAddress?: string;
  securityGroupIds: string[];
  keyName?: string;
  state: InstanceStateName;
  /** e.g. `User initiated (2026-01-01 12:00:00 GMT)`; empty while nothing happened. */
  stateTransitionReason: string;
  stateReason?: { Code: string; Message: string };
  /** Epoch ms of the launch (or of the last start). */
  launchTime: number;
  amiLaunchIndex: number;
  rootVolumeId: string;
  rootDeviceName: string;
  clientToken?: string;
  tags: Map<string, string>;
  launchTemplate?: InstanceLaunchTemplateRef;
  imageBehaviour: ImageBehaviourTags;
  /** Epoch ms the instance last became `running`. */
  runningAt?: number;
  /** Epoch ms from which the application answers (runningAt + ready seconds). */
  readyAt?: number;
  /** Epoch ms it became `terminated` (it is forgotten an hour later, as AWS does). */
  terminatedAt?: number;
  /** Bumped on every state change; a scheduled transition only fires if it still matches. */
  transitionSeq: number;
  /** Epoch ms the pending transition (boot, shutdown, stop, forgetting) is due: re-armed after a state load (E-23). */
  transitionDueAt?: number;
}

export type ImageStateName = 'pending' | 'available' | 'failed' | 'deregistered';

export interface Ec2BlockDeviceMapping {
  DeviceName: string;
  Ebs?: {
    SnapshotId?: string;
    VolumeSize?: number;
    VolumeType?: string;
    DeleteOnTermination?: boolean;
    Encrypted?: boolean;
  };
}

export interface Ec2Image {
  imageId: string;
  name: string;
  description?: string;
  ownerId: string;
  /** `amazon` for Amazon's images; undefined for the account's own. */
  ownerAlias?: string;
  state: ImageStateName;
  stateReason?: { Code: string; Message: string };
  /** Epoch ms. */
  creationDate: number;
  architecture: string;
  rootDeviceName: string;
  virtualizationType: string;
  platformDetails: string;
  blockDeviceMappings: Ec2BlockDeviceMapping[];
  tags: Map<string, string>;
  sourceInstanceId?: string;
  public: boolean;
  imageLocation?: string;
  /** Epoch ms a pending image becomes available: re-armed after a state load (E-23). */
  availableAt?: number;
  /** Deregistered: when it stops being listed (epoch ms, E-39); re-armed after a state load. */
  forgetAt?: number;
}

export type SnapshotStateName = 'pending' | 'completed' | 'error';

export interface Ec2Snapshot {
  snapshotId: string;
  volumeId: string;
  volumeSize: number;
  ownerId: string;
  ownerAlias?: string;
  description?: string;
  state: SnapshotStateName;
  /** Epoch ms. */
  startTime: number;
  completionTime?: number;
  /** Epoch ms a pending snapshot is due to complete (for its progress). */
  completesAt?: number;
  encrypted: boolean;
  tags: Map<string, string>;
}

export interface Ec2LaunchTemplateVersion {
  versionNumber: number;
  description?: string;
  /** Epoch ms. */
  createTime: number;
  /** The version's data as it was given (request and response shapes share their member names). */
  data: RequestLaunchTemplateData;
}

export interface Ec2LaunchTemplate {
  launchTemplateId: string;
  launchTemplateName: string;
  /** Epoch ms. */
  createTime: number;
  createdBy: string;
  defaultVersion: number;
  /** Highest version number ever created: numbers of deleted versions are never reused. */
  lastVersionNumber: number;
  versions: Map<number, Ec2LaunchTemplateVersion>;
  tags: Map<string, string>;
}

export interface Ec2Vpc {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  tags: Map<string, string>;
}

export interface Ec2Subnet {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  cidrBlock: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  /** Next host offset to hand out inside the CIDR (private IPs are not reused while the counter runs). */
  nextHost: number;
  tags: Map<string, string>;
}

export interface Ec2SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: Map<string, string>;
}

export interface Ec2KeyPair {
  keyPairId: string;
  keyName: string;
  keyFingerprint: string;
  keyType: string;
  createTime: number;
  tags: Map<string, string>;
}

export interface Ec2State {
  readonly instances: Map<string, Ec2Instance>;
  readonly images: Map<string, Ec2Image>;
  readonly snapshots: Map<string, Ec2Snapshot>;
  readonly launchTemplates: Map<string, Ec2LaunchTemplate>;
  /** Launch template name → id. */
  readonly launchTemplateIdsByName: Map<string, string>;
  readonly vpcs: Map<string, Ec2Vpc>;
  readonly subnets: Map<string, Ec2Subnet>;
  readonly securityGroups: Map<string, Ec2SecurityGroup>;
  readonly keyPairs: Map<string, Ec2KeyPair>;
  /** RunInstances ClientToken → the reservation it launched (idempotent retries). */
  readonly clientTokens: Map<string, string>;
}

export function createEc2State(): Ec2State {
  return {
    instances: new Map(),
    images: new Map(),
    snapshots: new Map(),
    launchTemplates: new Map(),
    launchTemplateIdsByName: new Map(),
    vpcs: new Map(),
    subnets: new Map(),
    securityGroups: new Map(),
    keyPairs: new Map(),
    clientTokens: new Map(),
  };
}
