/**
 * Instance handlers: RunInstances, DescribeInstances, DescribeInstanceStatus,
 * TerminateInstances, StopInstances, StartInstances.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Operations.html
 */
import type {
  DescribeInstancesRequest,
  DescribeInstancesResult,
  DescribeInstanceStatusRequest,
  DescribeInstanceStatusResult,
  Instance,
  InstanceStateChange,
  InstanceStatus,
  Reservation,
  RunInstancesRequest,
  StartInstancesRequest,
  StartInstancesResult,
  StopInstancesRequest,
  StopInstancesResult,
  TerminateInstancesRequest,
  TerminateInstancesResult,
} from '@aws-sdk/client-ec2';
import type { RegionState, RequestContext, Simulation } from '../../world.js';
import { availabilityZoneId, privateDnsName, publicDnsName } from './default-network.js';
import { ec2Errors } from './errors.js';
import { compileFilters, paginate, refuseMaxResultsWithIds, tagList, tagsForResourceType, type FilterSpec } from './filters.js';
import { requireByIds } from './ids.js';
import { beginStart, beginStop, beginTermination, launchInstances, userInitiatedReason } from './instance-lifecycle.js';
import { INSTANCE_STATE_CODES, type Ec2Instance, type InstanceStateName } from './state.js';

const LIMITS_INSTANCES = { min: 5, max: 1000 };

export function instanceState(name: InstanceStateName): { Code: number; Name: InstanceStateName } {
  return { Code: INSTANCE_STATE_CODES[name], Name: name };
}

/** The instance as `DescribeInstances` reports it. */
export function renderInstance(region: RegionState, instance: Ec2Instance): Instance {
  const groups = instance.securityGroupIds.map((id) => ({ GroupId: id, GroupName: region.ec2.securityGroups.get(id)?.groupName ?? id }));
  const dnsName = privateDnsName(region.region, instance.privateIpAddress);
  const live = instance.state !== 'terminated';
  const publicIp = instance.publicIpAddress;
  const publicDns = publicIp ? publicDnsName(region.region, publicIp) : '';
  const association = publicIp ? { IpOwnerId: 'amazon', PublicDnsName: publicDns, PublicIp: publicIp } : undefined;
  return {
    InstanceId: instance.instanceId,
    ImageId: instance.imageId,
    State: instanceState(instance.state),
    PrivateDnsName: live ? dnsName : '',
    PublicDnsName: publicDns,
    PublicIpAddress: publicIp,
    StateTransitionReason: instance.stateTransitionReason,
    // A launching instance reports `pending` as its state reason, as EC2 does.
    StateReason: instance.stateReason ?? (instance.state === 'pending' ? { Code: 'pending', Message: 'pending' } : undefined),
    KeyName: instance.keyName,
    AmiLaunchIndex: instance.amiLaunchIndex,
    ProductCodes: [],
    InstanceType: instance.instanceType as Instance['InstanceType'],
    LaunchTime: new Date(instance.launchTime),
    Placement: {
      AvailabilityZone: instance.availabilityZone,
      AvailabilityZoneId: availabilityZoneId(region, instance.availabilityZone),
      GroupName: '',
      Tenancy: 'default',
    },
    Monitoring: { State: 'disabled' },
    SubnetId: live ? instance.subnetId : undefined,
    VpcId: live ? instance.vpcId : undefined,
    PrivateIpAddress: live ? instance.privateIpAddress : undefined,
    Architecture: instance.architecture as Instance['Architecture'],
    RootDeviceType: 'ebs',
    RootDeviceName: instance.rootDeviceName,
    BlockDeviceMappings: live
      ? [
          {
            DeviceName: instance.rootDeviceName,
            Ebs: { VolumeId: instance.rootVolumeId, Status: 'attached', AttachTime: new Date(instance.launchTime), DeleteOnTermination: true },
          },
        ]
      : [],
    VirtualizationType: 'hvm',
    ClientToken: instance.clientToken ?? '',
    Tags: tagList(instance.tags),
    SecurityGroups: live ? groups : [],
    SourceDestCheck: true,
    SriovNetSupport: 'simple',
    Hypervisor: 'xen',
    EbsOptimized: false,
    EnaSupport: true,
    NetworkInterfaces: live
      ? [
          {
            Association: association,
            Attachment: { AttachTime: new Date(instance.launchTime), AttachmentId: `eni-attach-${instance.instanceId.slice(2)}`, DeleteOnTermination: true, DeviceIndex: 0, Status: 'attached', NetworkCardIndex: 0 },
            Description: '',
            Groups: groups,
            MacAddress: macAddress(instance.instanceId),
            NetworkInterfaceId: `eni-${instance.instanceId.slice(2)}`,
            OwnerId: region.accountId,
            PrivateDnsName: dnsName,
            PrivateIpAddress: instance.privateIpAddress,
            PrivateIpAddresses: [{ Association: association, Primary: true, PrivateDnsName: dnsName, PrivateIpAddress: instance.privateIpAddress }],
            Ipv6Addresses: [],
            SourceDestCheck: true,
            Status: 'in-use',
            SubnetId: instance.subnetId,
            VpcId: instance.vpcId,
            InterfaceType: 'interface',
          },
        ]
      : [],
    CpuOptions: { CoreCount: 1, ThreadsPerCore: 2 },
    CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: false },
    MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled' },
    EnclaveOptions: { Enabled: false },
    BootMode: instance.architecture === 'arm64' ? 'uefi' : undefined,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: new Date(instance.launchTime),
    PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MaintenanceOptions: { AutoRecovery: 'default' },
    CurrentInstanceBootMode: instance.architecture === 'arm64' ? 'uefi' : 'legacy-bios',
  };
}

function macAddress(instanceId: string): string {
  const hex = instanceId.slice(-10).padStart(10, '0');
  return `0e:${hex.match(/../g)!.join(':')}`;
}

function reservationOf(region: RegionState, reservationId: string, instances: Ec2Instance[]): Reservation {
  return {
    ReservationId: reservationId,
    OwnerId: region.accountId,
    Groups: [],
    Instances: instances.map((i) => renderInstance(region, i)),
  };
}

export function runInstances(ctx: RequestContext, input: RunInstancesRequest): Reservation {
  const { sim, region } = ctx;
  if (input.MinCount === undefined || input.MinCount === null) throw ec2Errors.missingParameter('MinCount');
  if (input.MaxCount === undefined || input.MaxCount === null) throw ec2Errors.missingParameter('MaxCount');
  if (!Number.isInteger(input.MinCount) || input.MinCount < 1) {
    throw ec2Errors.invalidParameterValue(`Value (${input.MinCount}) for parameter minCount is invalid. Expected a positive integer.`);
  }
  if (!Number.isInteger(input.MaxCount) || input.MaxCount < input.MinCount) {
    throw ec2Errors.invalidParameterValue(`Value (${input.MaxCount}) for parameter maxCount is invalid. Must be greater than or equal to minCount.`);
  }
  const earlierReservation = input.ClientToken ? region.ec2.clientTokens.get(input.ClientToken) : undefined;
  if (earlierReservation) {
    // Idempotency: a retry with the same client token gets the reservation it launched.
    const earlier = [...region.ec2.instances.values()].filter((i) => i.reservationId === earlierReservation);
    if (earlier.length) return reservationOf(region, earlierReservation, earlier);
  }
  const primary = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);
  const { reservationId, instances } = launchInstances(sim, region, {
    imageId: input.ImageId,
    instanceType: input.InstanceType,
    availabilityZone: input.Placement?.AvailabilityZone,
    subnetId: input.SubnetId ?? primary?.SubnetId,
    securityGroupIds: input.SecurityGroupIds ?? primary?.Groups,
    securityGroupNames: input.SecurityGroups,
    keyName: input.KeyName,
    launchTemplate: input.LaunchTemplate,
    tags: tagsForResourceType(input.TagSpecifications, 'instance'),
    count: input.MaxCount,
    clientToken: input.ClientToken,
  });
  if (input.ClientToken) region.ec2.clientTokens.set(input.ClientToken, reservationId);
  return reservationOf(region, reservationId, instances);
}

/** DescribeInstances filters (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html). */
function instanceFilters(region: RegionState): FilterSpec<Ec2Instance> {
  return {
  fields: {
    'instance-id': (i) => i.instanceId,
    'instance-state-name': (i) => i.state,
    'instance-state-code': (i) => INSTANCE_STATE_CODES[i.state],
    'instance-type': (i) => i.instanceType,
    'image-id': (i) => i.imageId,
    'availability-zone': (i) => i.availabilityZone,
    'subnet-id': (i) => i.subnetId,
    'vpc-id': (i) => i.vpcId,
    'private-ip-address': (i) => i.privateIpAddress,
    'network-interface.addresses.private-ip-address': (i) => i.privateIpAddress,
    'reservation-id': (i) => i.reservationId,
    'key-name': (i) => i.keyName,
    'launch-time': (i) => new Date(i.launchTime).toISOString(),
    architecture: (i) => i.architecture,
    'ami-launch-index': (i) => i.amiLaunchIndex,
    'owner-id': () => region.accountId,
    'root-device-type': () => 'ebs',
    'root-device-name': (i) => i.rootDeviceName,
    'instance.group-id': (i) => i.securityGroupIds,
    'group-id': (i) => i.securityGroupIds,
    'client-token': (i) => i.clientToken,
    'state-reason-code': (i) => i.stateReason?.Code,
    'tenancy': () => 'default',
    'virtualization-type': () => 'hvm',
    'hypervisor': () => 'xen',
    'monitoring-state': () => 'disabled',
    'platform-details': () => 'Linux/UNIX',
    'block-device-mapping.volume-id': (i) => i.rootVolumeId,
  },
  tags: (i) => i.tags,
  };
}

/** The instances `ids` name, in order; InvalidInstanceID.Malformed / NotFound (listing every missing id) otherwise. */
export function requireInstances(region: RegionState, ids: readonly string[]): Ec2Instance[] {
  return requireByIds(ids, 'i', region.ec2.instances, { malformed: ec2Errors.instanceMalformed, notFound: ec2Errors.instanceNotFound });
}

export function describeInstances(ctx: RequestContext, input: DescribeInstancesRequest): DescribeInstancesResult {
  const { region } = ctx;
  refuseMaxResultsWithIds(input.InstanceIds, input.MaxResults, 'instancesSet');
  const candidates = input.InstanceIds?.length ? requireInstances(region, input.InstanceIds) : [...region.ec2.instances.values()];
  const matches = compileFilters(input.Filters, instanceFilters(region));
  const page = paginate(candidates.filter(matches), input.MaxResults, input.NextToken, LIMITS_INSTANCES);
  // Group the page's instances by reservation, in first-seen order.
  const byReservation = new Map<string, Ec2Instance[]>();
  for (const instance of page.items) {
    const list = byReservation.get(instance.reservationId);
    if (list) list.push(instance);
    else byReservation.set(instance.reservationId, [instance]);
  }
  return {
    Reservations: [...byReservation].map(([id, instances]) => reservationOf(region, id, instances)),
    NextToken: page.nextToken,
  };
}

type StatusValue = 'ok' | 'impaired' | 'initializing' | 'not-applicable';

/**
 * EC2's status checks: `initializing` until the instance is ready, then `ok`;
 * `impaired` in an AZ that is out (E-20). Not running → `not-applicable`.
 */
function statusOf(sim: Simulation, instance: Ec2Instance): StatusValue {
  if (instance.state !== 'running') return 'not-applicable';
  if (sim.faults.azOutages.has(instance.availabilityZone)) return 'impaired';
  if (instance.readyAt !== undefined && sim.now < instance.readyAt) return 'initializing';
  return 'ok';
}

function reachability(status: StatusValue): 'passed' | 'failed' | 'initializing' | undefined {
  return status === 'ok' ? 'passed' : status === 'impaired' ? 'failed' : status === 'initializing' ? 'initializing' : undefined;
}

export function describeInstanceStatus(ctx: RequestContext, input: DescribeInstanceStatusRequest): DescribeInstanceStatusResult {
  const { region, sim } = ctx;
  refuseMaxResultsWithIds(input.InstanceIds, input.MaxResults, 'InstanceIds');
  const candidates = input.InstanceIds?.length ? requireInstances(region, input.InstanceIds) : [...region.ec2.instances.values()];
  const included = input.IncludeAllInstances ? candidates : candidates.filter((i) => i.state === 'running');
  const spec: FilterSpec<Ec2Instance> = {
    fields: {
      'availability-zone': (i) => i.availabilityZone,
      'instance-state-name': (i) => i.state,
      'instance-state-code': (i) => INSTANCE_STATE_CODES[i.state],
      'instance-status.status': (i) => statusOf(sim, i),
      'system-status.status': (i) => statusOf(sim, i),
      'instance-status.reachability': (i) => reachability(statusOf(sim, i)),
      'system-status.reachability': (i) => reachability(statusOf(sim, i)),
    },
  };
  const page = paginate(included.filter(compileFilters(input.Filters, spec)), input.MaxResults, input.NextToken, LIMITS_INSTANCES);
  const statuses: InstanceStatus[] = page.items.map((i) => {
    const status = statusOf(sim, i);
    const details = reachability(status);
    const summary = { Status: status, Details: details ? [{ Name: 'reachability' as const, Status: details }] : undefined };
    return {
      InstanceId: i.instanceId,
      AvailabilityZone: i.availabilityZone,
      AvailabilityZoneId: availabilityZoneId(region, i.availabilityZone),
      InstanceState: instanceState(i.state),
      InstanceStatus: summary,
      SystemStatus: summary,
      AttachedEbsStatus: details ? { Status: status, Details: [{ Name: 'reachability', Status: details }] } : undefined,
    };
  });
  return { InstanceStatuses: statuses, NextToken: page.nextToken };
}

function stateChanges(instances: Ec2Instance[], previous: InstanceStateName[]): InstanceStateChange[] {
  return instances.map((instance, n) => ({
    InstanceId: instance.instanceId,
    PreviousState: instanceState(previous[n]!),
    CurrentState: instanceState(instance.state),
  }));
}

function requireIds(ids: readonly string[] | undefined): readonly string[] {
  if (!ids || ids.length === 0) throw ec2Errors.missingParameter('InstanceId');
  return ids;
}

export function terminateInstances(ctx: RequestContext, input: TerminateInstancesRequest): TerminateInstancesResult {
  const { sim, region } = ctx;
  const instances = requireInstances(region, requireIds(input.InstanceIds));
  const reason = userInitiatedReason(sim.now);
  const previous = instances.map((i) => beginTermination(sim, region, i, reason));
  return { TerminatingInstances: stateChanges(instances, previous) };
}

export function stopInstances(ctx: RequestContext, input: StopInstancesRequest): StopInstancesResult {
  const { sim, region } = ctx;
  const instances = requireInstances(region, requireIds(input.InstanceIds));
  // All or nothing: refuse before changing any instance.
  for (const i of instances) if (!['running', 'stopping', 'stopped'].includes(i.state)) throw ec2Errors.incorrectInstanceState(i.instanceId, 'stopped');
  const previous = instances.map((i) => beginStop(sim, region, i));
  return { StoppingInstances: stateChanges(instances, previous) };
}

export function startInstances(ctx: RequestContext, input: StartInstancesRequest): StartInstancesResult {
  const { sim, region } = ctx;
  const instances = requireInstances(region, requireIds(input.InstanceIds));
  for (const i of instances) if (!['pending', 'running', 'stopped'].includes(i.state)) throw ec2Errors.incorrectInstanceState(i.instanceId, 'started');
  const previous = instances.map((i) => beginStart(sim, region, i));
  return { StartingInstances: stateChanges(instances, previous) };
}
