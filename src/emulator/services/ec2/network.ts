/**
 * Read-only describes of the account's surroundings: availability zones,
 * VPCs, subnets, security groups, regions, account attributes, key pairs and
 * instance types. The default VPC and its per-AZ subnets are what Auto
 * Scaling's VPCZoneIdentifier and AZ spread build on.
 */
import type {
  AvailabilityZone,
  DescribeAccountAttributesRequest,
  DescribeAccountAttributesResult,
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
  DescribeInstanceTypesRequest,
  DescribeInstanceTypesResult,
  DescribeKeyPairsRequest,
  DescribeKeyPairsResult,
  DescribeRegionsRequest,
  DescribeRegionsResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  SecurityGroup,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { RegionState, RequestContext } from '../../world.js';
import { availabilityZoneId, defaultVpcId } from './default-network.js';
import { ec2Errors } from './errors.js';
import { compileFilters, paginate, refuseMaxResultsWithIds, tagList, type FilterSpec } from './filters.js';
import { stableHex } from './ids.js';
import { INSTANCE_TYPES, isCatalogued, renderInstanceType, type InstanceTypeSpec } from './instance-types.js';
import type { Ec2KeyPair, Ec2SecurityGroup, Ec2Subnet, Ec2Vpc } from './state.js';

const LIMITS_NETWORK = { min: 5, max: 1000 };
const LIMITS_INSTANCE_TYPES = { min: 5, max: 100 };

/** Public AWS regions (commercial partition) that DescribeRegions lists. */
export const KNOWN_REGIONS: readonly string[] = [
  'af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ca-central-1', 'eu-central-1',
  'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'il-central-1', 'me-central-1', 'me-south-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

/** Opt-in regions (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html); the rest need none. */
const OPT_IN_REGIONS = new Set(['af-south-1', 'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1']);

// ---------------------------------------------------------------- availability zones

export function describeAvailabilityZones(ctx: RequestContext, input: DescribeAvailabilityZonesRequest): DescribeAvailabilityZonesResult {
  const { region, sim } = ctx;
  const zones: AvailabilityZone[] = region.availabilityZones.map((zone) => ({
    ZoneName: zone,
    ZoneId: availabilityZoneId(region, zone),
    // An injected outage (E-20) shows as an impaired zone.
    State: sim.faults.azOutages.has(zone) ? 'impaired' : 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: region.region,
    GroupName: region.region,
    NetworkBorderGroup: region.region,
    ZoneType: 'availability-zone',
  }));
  for (const name of input.ZoneNames ?? []) if (!region.availabilityZones.includes(name)) throw ec2Errors.availabilityZoneInvalid(name);
  for (const id of input.ZoneIds ?? []) if (!zones.some((z) => z.ZoneId === id)) throw ec2Errors.availabilityZoneInvalid(id);
  let selected = zones;
  if (input.ZoneNames?.length) selected = selected.filter((z) => input.ZoneNames!.includes(z.ZoneName!));
  if (input.ZoneIds?.length) selected = selected.filter((z) => input.ZoneIds!.includes(z.ZoneId!));
  const spec: FilterSpec<AvailabilityZone> = {
    fields: {
      'zone-name': (z) => z.ZoneName,
      'zone-id': (z) => z.ZoneId,
      state: (z) => z.State,
      'region-name': (z) => z.RegionName,
      'zone-type': (z) => z.ZoneType,
      'group-name': (z) => z.GroupName,
      'opt-in-status': (z) => z.OptInStatus,
      'network-border-group': (z) => z.NetworkBorderGroup,
    },
  };
  return { AvailabilityZones: selected.filter(compileFilters(input.Filters, spec)) };
}

// ---------------------------------------------------------------- VPCs

function renderVpc(region: RegionState, vpc: Ec2Vpc): Vpc {
  return {
    VpcId: vpc.vpcId,
    CidrBlock: vpc.cidrBlock,
    State: 'available',
    DhcpOptionsId: `dopt-${stableHex(region.region + '/dhcp', 17)}`,
    InstanceTenancy: 'default',
    IsDefault: vpc.isDefault,
    OwnerId: region.accountId,
    Ipv6CidrBlockAssociationSet: [],
    CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${vpc.vpcId.slice(4)}`, CidrBlock: vpc.cidrBlock, CidrBlockState: { State: 'associated' } }],
    Tags: tagList(vpc.tags),
  };
}

export function describeVpcs(ctx: RequestContext, input: DescribeVpcsRequest): DescribeVpcsResult {
  const { region } = ctx;
  refuseMaxResultsWithIds(input.VpcIds, input.MaxResults, 'VpcIds');
  let candidates = [...region.ec2.vpcs.values()];
  if (input.VpcIds?.length) {
    for (const id of input.VpcIds) if (!region.ec2.vpcs.has(id)) throw ec2Errors.vpcNotFound(id);
    candidates = candidates.filter((v) => input.VpcIds!.includes(v.vpcId));
  }
  const spec: FilterSpec<Ec2Vpc> = {
    fields: {
      'vpc-id': (v) => v.vpcId,
      'cidr': (v) => v.cidrBlock,
      'cidr-block-association.cidr-block': (v) => v.cidrBlock,
      'is-default': (v) => v.isDefault,
      // Ansible's ec2_vpc_net_info examples filter on `isDefault`, which EC2 accepts as well (E-39).
      isDefault: (v) => v.isDefault,
      state: () => 'available',
      'owner-id': () => region.accountId,
      'instance-tenancy': () => 'default',
    },
    tags: (v) => v.tags,
  };
  const page = paginate(candidates.filter(compileFilters(input.Filters, spec)), input.MaxResults, input.NextToken, LIMITS_NETWORK);
  return { Vpcs: page.items.map((v) => renderVpc(region, v)), NextToken: page.nextToken };
}

// ---------------------------------------------------------------- subnets

function renderSubnet(region: RegionState, subnet: Ec2Subnet, used: number): Subnet {
  const size = 2 ** (32 - Number(subnet.cidrBlock.split('/')[1]));
  return {
    SubnetId: subnet.subnetId,
    SubnetArn: `arn:aws:ec2:${region.region}:${region.accountId}:subnet/${subnet.subnetId}`,
    VpcId: subnet.vpcId,
    AvailabilityZone: subnet.availabilityZone,
    AvailabilityZoneId: subnet.availabilityZoneId,
    CidrBlock: subnet.cidrBlock,
    AvailableIpAddressCount: Math.max(0, size - 5 - used),
    DefaultForAz: subnet.defaultForAz,
    MapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    EnableDns64: false,
    Ipv6Native: false,
    State: 'available',
    OwnerId: region.accountId,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    Tags: tagList(subnet.tags),
  };
}

export function describeSubnets(ctx: RequestContext, input: DescribeSubnetsRequest): DescribeSubnetsResult {
  const { region } = ctx;
  refuseMaxResultsWithIds(input.SubnetIds, input.MaxResults, 'SubnetIds');
  let candidates = [...region.ec2.subnets.values()];
  if (input.SubnetIds?.length) {
    for (const id of input.SubnetIds) if (!region.ec2.subnets.has(id)) throw ec2Errors.subnetNotFound(id);
    candidates = candidates.filter((s) => input.SubnetIds!.includes(s.subnetId));
  }
  const spec: FilterSpec<Ec2Subnet> = {
    fields: {
      'subnet-id': (s) => s.subnetId,
      'vpc-id': (s) => s.vpcId,
      'availability-zone': (s) => s.availabilityZone,
      'availability-zone-id': (s) => s.availabilityZoneId,
      'cidr-block': (s) => s.cidrBlock,
      cidr: (s) => s.cidrBlock,
      cidrBlock: (s) => s.cidrBlock,
      'default-for-az': (s) => s.defaultForAz,
      defaultForAz: (s) => s.defaultForAz,
      'map-public-ip-on-launch': (s) => s.mapPublicIpOnLaunch,
      state: () => 'available',
      'owner-id': () => region.accountId,
      'subnet-arn': (s) => `arn:aws:ec2:${region.region}:${region.accountId}:subnet/${s.subnetId}`,
    },
    tags: (s) => s.tags,
  };
  const page = paginate(candidates.filter(compileFilters(input.Filters, spec)), input.MaxResults, input.NextToken, LIMITS_NETWORK);
  const used = new Map<string, number>();
  for (const instance of region.ec2.instances.values()) {
    if (instance.state !== 'terminated') used.set(instance.subnetId, (used.get(instance.subnetId) ?? 0) + 1);
  }
  return { Subnets: page.items.map((s) => renderSubnet(region, s, used.get(s.subnetId) ?? 0)), NextToken: page.nextToken };
}

// ---------------------------------------------------------------- security groups

function renderSecurityGroup(region: RegionState, sg: Ec2SecurityGroup): SecurityGroup {
  return {
    GroupId: sg.groupId,
    GroupName: sg.groupName,
    Description: sg.description,
    VpcId: sg.vpcId,
    OwnerId: region.accountId,
    SecurityGroupArn: `arn:aws:ec2:${region.region}:${region.accountId}:security-group/${sg.groupId}`,
    // The default group: all traffic from its own members in, everything out.
    IpPermissions: [{ IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: sg.groupId, UserId: region.accountId }] }],
    IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
    Tags: tagList(sg.tags),
  };
}

export function describeSecurityGroups(ctx: RequestContext, input: DescribeSecurityGroupsRequest): DescribeSecurityGroupsResult {
  const { region } = ctx;
  refuseMaxResultsWithIds(input.GroupIds, input.MaxResults, 'GroupIds');
  let candidates = [...region.ec2.securityGroups.values()];
  if (input.GroupIds?.length) {
    for (const id of input.GroupIds) if (!region.ec2.securityGroups.has(id)) throw ec2Errors.securityGroupNotFound(id);
    candidates = candidates.filter((g) => input.GroupIds!.includes(g.groupId));
  }
  if (input.GroupNames?.length) {
    const vpcId = defaultVpcId(region) ?? '';
    for (const name of input.GroupNames) if (!candidates.some((g) => g.groupName === name)) throw ec2Errors.securityGroupNameNotFound(name, vpcId);
    candidates = candidates.filter((g) => input.GroupNames!.includes(g.groupName));
  }
  const spec: FilterSpec<Ec2SecurityGroup> = {
    fields: {
      'group-id': (g) => g.groupId,
      'group-name': (g) => g.groupName,
      description: (g) => g.description,
      'vpc-id': (g) => g.vpcId,
      'owner-id': () => region.accountId,
    },
    tags: (g) => g.tags,
  };
  const page = paginate(candidates.filter(compileFilters(input.Filters, spec)), input.MaxResults, input.NextToken, LIMITS_NETWORK);
  return { SecurityGroups: page.items.map((g) => renderSecurityGroup(region, g)), NextToken: page.nextToken };
}

// ---------------------------------------------------------------- regions and account

export function describeRegions(ctx: RequestContext, input: DescribeRegionsRequest): DescribeRegionsResult {
  const { region } = ctx;
  const names = [...new Set([...KNOWN_REGIONS, region.region])].sort();
  for (const name of input.RegionNames ?? []) if (!names.includes(name)) throw ec2Errors.regionNotFound(name);
  const regions = names
    .filter((name) => input.AllRegions || !OPT_IN_REGIONS.has(name) || name === region.region)
    .filter((name) => !input.RegionNames?.length || input.RegionNames.includes(name))
    .map((name) => ({
      RegionName: name,
      Endpoint: `ec2.${name}.amazonaws.com`,
      OptInStatus: OPT_IN_REGIONS.has(name) && name !== region.region ? 'not-opted-in' : 'opt-in-not-required',
    }));
  const spec: FilterSpec<(typeof regions)[number]> = {
    fields: { 'region-name': (r) => r.RegionName, endpoint: (r) => r.Endpoint, 'opt-in-status': (r) => r.OptInStatus },
  };
  return { Regions: regions.filter(compileFilters(input.Filters, spec)) };
}

export function describeAccountAttributes(ctx: RequestContext, input: DescribeAccountAttributesRequest): DescribeAccountAttributesResult {
  const { region } = ctx;
  const attributes: Record<string, string[]> = {
    'supported-platforms': ['VPC'],
    'default-vpc': [defaultVpcId(region) ?? 'none'],
    'max-instances': ['20'],
    'vpc-max-security-groups-per-interface': ['5'],
    'max-elastic-ips': ['5'],
    'vpc-max-elastic-ips': ['5'],
  };
  const wanted = input.AttributeNames?.length ? input.AttributeNames : Object.keys(attributes);
  return {
    AccountAttributes: wanted
      .filter((name) => name in attributes)
      .map((name) => ({ AttributeName: name, AttributeValues: attributes[name]!.map((AttributeValue) => ({ AttributeValue })) })),
  };
}

// ---------------------------------------------------------------- key pairs

export function describeKeyPairs(ctx: RequestContext, input: DescribeKeyPairsRequest): DescribeKeyPairsResult {
  const { region } = ctx;
  let candidates = [...region.ec2.keyPairs.values()];
  if (input.KeyNames?.length) {
    for (const name of input.KeyNames) if (!candidates.some((k) => k.keyName === name)) throw ec2Errors.keyPairNotFound(name);
    candidates = candidates.filter((k) => input.KeyNames!.includes(k.keyName));
  }
  if (input.KeyPairIds?.length) {
    for (const id of input.KeyPairIds) if (!region.ec2.keyPairs.has(id)) throw ec2Errors.keyPairNotFound(id);
    candidates = candidates.filter((k) => input.KeyPairIds!.includes(k.keyPairId));
  }
  const spec: FilterSpec<Ec2KeyPair> = {
    fields: { 'key-pair-id': (k) => k.keyPairId, 'key-name': (k) => k.keyName, fingerprint: (k) => k.keyFingerprint, 'key-type': (k) => k.keyType },
    tags: (k) => k.tags,
  };
  return {
    KeyPairs: candidates.filter(compileFilters(input.Filters, spec)).map((k) => ({
      KeyPairId: k.keyPairId,
      KeyName: k.keyName,
      KeyFingerprint: k.keyFingerprint,
      KeyType: k.keyType as 'rsa' | 'ed25519',
      CreateTime: new Date(k.createTime),
      Tags: tagList(k.tags),
    })),
  };
}

// ---------------------------------------------------------------- instance types

export function describeInstanceTypes(ctx: RequestContext, input: DescribeInstanceTypesRequest): DescribeInstanceTypesResult {
  let candidates: readonly InstanceTypeSpec[] = INSTANCE_TYPES;
  if (input.InstanceTypes?.length) {
    const unknown = input.InstanceTypes.filter((t) => !isCatalogued(t));
    if (unknown.length) throw ec2Errors.instanceTypesNotFound(unknown);
    candidates = INSTANCE_TYPES.filter((s) => input.InstanceTypes!.includes(s.instanceType as never));
  }
  const spec: FilterSpec<InstanceTypeSpec> = {
    fields: {
      'instance-type': (s) => s.instanceType,
      'processor-info.supported-architecture': (s) => s.architecture,
      'current-generation': (s) => s.currentGeneration,
      'free-tier-eligible': (s) => s.freeTier,
      'vcpu-info.default-vcpus': (s) => s.vcpus,
      'memory-info.size-in-mib': (s) => s.memoryMiB,
      'burstable-performance-supported': (s) => s.burstable,
      'bare-metal': () => false,
      hypervisor: () => 'nitro',
      'supported-usage-class': () => ['on-demand', 'spot'],
      'supported-root-device-type': () => 'ebs',
      'supported-virtualization-type': () => 'hvm',
      'instance-storage-supported': () => false,
    },
  };
  const page = paginate(candidates.filter(compileFilters(input.Filters, spec)), input.MaxResults, input.NextToken, LIMITS_INSTANCE_TYPES);
  return { InstanceTypes: page.items.map(renderInstanceType), NextToken: page.nextToken };
}
