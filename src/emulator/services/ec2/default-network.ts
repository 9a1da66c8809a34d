/**
 * The network every region starts with, as in a new AWS account: a default
 * VPC 172.31.0.0/16, one default /20 subnet per availability zone, and the
 * VPC's `default` security group.
 * https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html
 */
import type { RegionState } from '../../world.js';
import { stableEc2Id, stableHex } from './ids.js';
import type { Ec2Subnet } from './state.js';

export const DEFAULT_VPC_CIDR = '172.31.0.0/16';

/** `us-east-1` → `use1`, `ap-southeast-2` → `apse2`: the prefix of AZ ids such as `use1-az1`. */
export function regionShortCode(region: string): string {
  const m = /^([a-z]+)-([a-z]+)-(\d+)$/.exec(region);
  if (!m) return region.replace(/[^a-z0-9]/g, '');
  const direction = m[2]!
    .replace('central', 'c')
    .replace('north', 'n')
    .replace('south', 's')
    .replace('east', 'e')
    .replace('west', 'w');
  return `${m[1]}${direction}${m[3]}`;
}

/** `us-east-1b` → `use1-az2`. */
export function availabilityZoneId(region: RegionState, zoneName: string): string {
  const index = region.availabilityZones.indexOf(zoneName);
  return `${regionShortCode(region.region)}-az${index >= 0 ? index + 1 : 0}`;
}

export function seedDefaultNetwork(region: RegionState): void {
  const ec2 = region.ec2;
  const vpcId = stableEc2Id('vpc', region.region, 'default-vpc');
  ec2.vpcs.set(vpcId, { vpcId, cidrBlock: DEFAULT_VPC_CIDR, isDefault: true, tags: new Map() });
  region.availabilityZones.forEach((zone, i) => {
    const subnetId = stableEc2Id('subnet', region.region, 'default-subnet', zone);
    ec2.subnets.set(subnetId, {
      subnetId,
      vpcId,
      availabilityZone: zone,
      availabilityZoneId: availabilityZoneId(region, zone),
      cidrBlock: `172.31.${i * 16}.0/20`,
      defaultForAz: true,
      mapPublicIpOnLaunch: true,
      nextHost: 4,
      tags: new Map(),
    });
  });
  const groupId = stableEc2Id('sg', region.region, 'default-sg');
  ec2.securityGroups.set(groupId, { groupId, groupName: 'default', description: 'default VPC security group', vpcId, tags: new Map() });
}

export function defaultVpcId(region: RegionState): string | undefined {
  for (const vpc of region.ec2.vpcs.values()) if (vpc.isDefault) return vpc.vpcId;
  return undefined;
}

export function defaultSecurityGroupId(region: RegionState, vpcId: string): string | undefined {
  for (const sg of region.ec2.securityGroups.values()) if (sg.vpcId === vpcId && sg.groupName === 'default') return sg.groupId;
  return undefined;
}

export function defaultSubnetIn(region: RegionState, availabilityZone: string): Ec2Subnet | undefined {
  for (const subnet of region.ec2.subnets.values()) if (subnet.defaultForAz && subnet.availabilityZone === availabilityZone) return subnet;
  return undefined;
}

/** Hosts in a CIDR block, e.g. 4096 for a /20. */
function cidrSize(cidr: string): number {
  const bits = Number(cidr.split('/')[1] ?? 32);
  return 2 ** (32 - bits);
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * The next private IP in the subnet. AWS reserves the first four addresses and
 * the last; the counter wraps around when the block is used up.
 */
export function allocatePrivateIp(subnet: Ec2Subnet): string {
  const size = cidrSize(subnet.cidrBlock);
  const usable = Math.max(1, size - 5);
  const base = ipToNumber(subnet.cidrBlock.split('/')[0]!);
  const offset = 4 + ((subnet.nextHost - 4) % usable + usable) % usable;
  subnet.nextHost = offset + 1;
  return numberToIp(base + offset);
}

/**
 * A public IPv4 address for an instance in a subnet that maps public IPs,
 * derived from a seed string (the instance id and launch time), so it is
 * deterministic without drawing from the RNG.
 */
export function publicIpFor(seed: string): string {
  const hex = stableHex(seed, 6);
  const a = parseInt(hex.slice(0, 2), 16);
  const b = parseInt(hex.slice(2, 4), 16);
  const c = parseInt(hex.slice(4, 6), 16);
  return `54.${160 + (a % 64)}.${b}.${1 + (c % 254)}`;
}

/** `ec2-54-1-2-3.compute-1.amazonaws.com` in us-east-1, `ec2-….REGION.compute.amazonaws.com` elsewhere. */
export function publicDnsName(region: string, ip: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

/** `ip-172-31-0-10.ec2.internal` in us-east-1, `ip-….REGION.compute.internal` elsewhere. */
export function privateDnsName(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}
