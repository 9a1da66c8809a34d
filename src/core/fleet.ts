/**
 * A snapshot of one Auto Scaling group as the deploy engine sees it, in the
 * domain's words and independent of the AWS SDK's types: the group, its
 * instances, and the target health of every target group it is attached to.
 * src/aws/ builds these (`snapshotFleet`); everything in src/core/ reads them.
 *
 * Durations are milliseconds (AWS reports seconds; src/aws/ converts), times are
 * epoch milliseconds.
 */

/**
 * Auto Scaling lifecycle states, as listed in the API reference (and the SDK's
 * `LifecycleState` enum; a test checks the two agree):
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Instance.html
 */
export const LIFECYCLE_STATES = [
  'Pending',
  'Pending:Wait',
  'Pending:Proceed',
  'Quarantined',
  'InService',
  'Terminating',
  'Terminating:Wait',
  'Terminating:Proceed',
  'Terminating:Retained',
  'Terminated',
  'Detaching',
  'Detached',
  'EnteringStandby',
  'Standby',
  'ReplacingRootVolume',
  'ReplacingRootVolume:Wait',
  'ReplacingRootVolume:Proceed',
  'RootVolumeReplaced',
  'Warmed:Pending',
  'Warmed:Pending:Wait',
  'Warmed:Pending:Proceed',
  'Warmed:Pending:Retained',
  'Warmed:Terminating',
  'Warmed:Terminating:Wait',
  'Warmed:Terminating:Proceed',
  'Warmed:Terminating:Retained',
  'Warmed:Terminated',
  'Warmed:Stopped',
  'Warmed:Running',
  'Warmed:Hibernated',
] as const;

export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** Auto Scaling's view of an instance's health. */
export type HealthStatus = 'Healthy' | 'Unhealthy';

/**
 * ELBv2 target states:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 */
export const TARGET_HEALTH_STATES = ['initial', 'healthy', 'unhealthy', 'unhealthy.draining', 'unused', 'draining', 'unavailable'] as const;
export type TargetHealthState = (typeof TARGET_HEALTH_STATES)[number];

/** A launch template and a version: a number as a string (`"7"`), `$Latest` or `$Default`. */
export interface LaunchTemplateRef {
  id?: string;
  name?: string;
  version: string;
}

export interface GroupTag {
  key: string;
  value: string;
  propagateAtLaunch: boolean;
}

export interface Group {
  name: string;
  arn?: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  availabilityZones: string[];
  targetGroupArns: string[];
  /** Classic load balancers (not health-checked by this tool, reported for completeness). */
  loadBalancerNames: string[];
  /** `EC2`, `ELB`, or newer types such as `EBS`/`VPC_LATTICE`. */
  healthCheckType: string;
  healthCheckGracePeriodMs: number;
  /** The group's `DefaultInstanceWarmup`, when set. */
  defaultInstanceWarmupMs?: number;
  /** The group's launch template: `LaunchTemplate`, or that of its `MixedInstancesPolicy`. */
  launchTemplate?: LaunchTemplateRef;
  /** True when `launchTemplate` came from a `MixedInstancesPolicy` (it must be updated there). */
  mixedInstancesPolicy: boolean;
  launchConfigurationName?: string;
  /** Names of suspended processes (`AZRebalance`, `Launch`, …). */
  suspendedProcesses: string[];
  terminationPolicies: string[];
  tags: GroupTag[];
  /** Set while the group is being deleted (`Delete in progress`). */
  status?: string;
  createdAt?: number;
}

export interface Ec2Details {
  /** `pending`, `running`, `shutting-down`, `terminated`, `stopping`, `stopped`. */
  state: string;
  imageId?: string;
  launchTime?: number;
  /** The primary private IPv4 address (absent once terminated). */
  privateIp?: string;
}

export interface Instance {
  id: string;
  availabilityZone: string;
  lifecycleState: LifecycleState;
  healthStatus: HealthStatus;
  /** The template and the (numeric) version the instance was launched from. */
  launchTemplate?: LaunchTemplateRef;
  launchConfigurationName?: string;
  instanceType?: string;
  protectedFromScaleIn: boolean;
  /** Present only when the snapshot asked EC2 as well. */
  ec2?: Ec2Details;
}

export interface TargetHealth {
  state: TargetHealthState;
  /** e.g. `Target.ResponseCodeMismatch`, `Target.DeregistrationInProgress`. */
  reason?: string;
  description?: string;
}

/** Target group ARN → instance id → health (the worst over the instance's ports). */
export type TargetHealthByGroup = Record<string, Record<string, TargetHealth>>;

export interface Fleet {
  group: Group;
  instances: Instance[];
  /** One entry per target group of the group, even when it has no targets. */
  targetHealth: TargetHealthByGroup;
  /** When the snapshot was taken (Clock time). */
  takenAt: number;
}

/** Severity of a target state, used to pick the worst when an instance is registered on several ports. */
const TARGET_STATE_RANK: Record<TargetHealthState, number> = {
  healthy: 0,
  initial: 1,
  unused: 2,
  unavailable: 3,
  draining: 4,
  'unhealthy.draining': 5,
  unhealthy: 6,
};

/** The worse of two target health entries (`healthy` is best, `unhealthy` worst). */
export function worseTargetHealth(a: TargetHealth, b: TargetHealth): TargetHealth {
  return TARGET_STATE_RANK[b.state] > TARGET_STATE_RANK[a.state] ? b : a;
}

/** The instance's health in one target group, or undefined when it is not registered there. */
export function targetHealthOf(fleet: Fleet, targetGroupArn: string, instanceId: string): TargetHealth | undefined {
  return fleet.targetHealth[targetGroupArn]?.[instanceId];
}

/** The numeric launch-template version of an instance, or undefined when it has none (`$Latest`, a launch configuration). */
export function instanceVersion(instance: Instance): number | undefined {
  const version = instance.launchTemplate?.version;
  return version !== undefined && /^\d+$/.test(version) ? Number(version) : undefined;
}

export function isLifecycleState(value: string): value is LifecycleState {
  return (LIFECYCLE_STATES as readonly string[]).includes(value);
}

export function isTargetHealthState(value: string): value is TargetHealthState {
  return (TARGET_HEALTH_STATES as readonly string[]).includes(value);
}
