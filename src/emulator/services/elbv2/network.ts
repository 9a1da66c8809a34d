/**
 * What ELBv2 needs to know of EC2's network: which VPC and zone a subnet is
 * in, whether a VPC exists, a VPC's default security group. Read-only lookups
 * in one place, so the rest of the service does not depend on EC2's state.
 */
import type { RegionState } from '../../world.js';
import { findSubnet as findEc2Subnet } from '../ec2/index.js';

export interface SubnetPlacement {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
}

export function findSubnet(region: RegionState, subnetId: string): SubnetPlacement | undefined {
  const subnet = findEc2Subnet(region, subnetId);
  return subnet && { subnetId: subnet.SubnetId, vpcId: subnet.VpcId, availabilityZone: subnet.AvailabilityZone };
}

// EC2 exports no lookups for VPCs and security groups; these read its state (read-only).

export function vpcExists(region: RegionState, vpcId: string): boolean {
  return region.ec2.vpcs.has(vpcId);
}

/** The VPC's `default` security group, which an Application Load Balancer gets when none is given. */
export function defaultSecurityGroupOf(region: RegionState, vpcId: string): string | undefined {
  for (const sg of region.ec2.securityGroups.values()) if (sg.vpcId === vpcId && sg.groupName === 'default') return sg.groupId;
  return undefined;
}
