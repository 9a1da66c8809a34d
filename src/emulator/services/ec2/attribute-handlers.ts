/**
 * EC2 describes that tools call around a fleet (E-39): DescribeImageAttribute,
 * DescribeVpcAttribute, DescribeVpcClassicLink, DescribeVpcClassicLinkDnsSupport.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageAttribute.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcAttribute.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcClassicLink.html
 * (EC2-Classic is retired: every VPC reports ClassicLink and its DNS support disabled.)
 */
import type {
  DescribeImageAttributeRequest,
  DescribeVpcAttributeRequest,
  DescribeVpcAttributeResult,
  DescribeVpcClassicLinkDnsSupportRequest,
  DescribeVpcClassicLinkDnsSupportResult,
  DescribeVpcClassicLinkRequest,
  DescribeVpcClassicLinkResult,
  ImageAttribute,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../world.js';
import { ec2Errors } from './errors.js';
import { isWellFormedId } from './ids.js';
import { renderImage } from './images.js';

const IMAGE_ATTRIBUTES = [
  'description',
  'kernel',
  'ramdisk',
  'launchPermission',
  'productCodes',
  'blockDeviceMapping',
  'sriovNetSupport',
  'bootMode',
  'tpmSupport',
  'uefiData',
  'lastLaunchedTime',
  'imdsSupport',
  'deregistrationProtection',
] as const;

export function describeImageAttribute(ctx: RequestContext, input: DescribeImageAttributeRequest): ImageAttribute {
  const { region } = ctx;
  if (!input.ImageId) throw ec2Errors.missingParameter('ImageId');
  if (!input.Attribute) throw ec2Errors.missingParameter('Attribute');
  if (!(IMAGE_ATTRIBUTES as readonly string[]).includes(input.Attribute)) {
    throw ec2Errors.invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
  if (!isWellFormedId('ami', input.ImageId)) throw ec2Errors.imageMalformed(input.ImageId);
  const image = region.ec2.images.get(input.ImageId);
  // A just-deregistered image still answers while it is listed (E-39): Ansible's ec2_ami reads it right after deregistering.
  if (!image) throw ec2Errors.imageNotFound([input.ImageId]);
  const out: ImageAttribute = { ImageId: image.imageId };
  switch (input.Attribute) {
    case 'description':
      out.Description = image.description !== undefined ? { Value: image.description } : {};
      break;
    case 'kernel':
      out.KernelId = {};
      break;
    case 'ramdisk':
      out.RamdiskId = {};
      break;
    case 'launchPermission':
      // Only the owner sees launch permissions; a public image lists group `all`.
      out.LaunchPermissions = image.public ? [{ Group: 'all' }] : [];
      break;
    case 'productCodes':
      out.ProductCodes = [];
      break;
    case 'blockDeviceMapping':
      out.BlockDeviceMappings = renderImage(image).BlockDeviceMappings ?? [];
      break;
    case 'sriovNetSupport':
      out.SriovNetSupport = { Value: 'simple' };
      break;
    case 'bootMode':
      out.BootMode = { Value: image.architecture === 'arm64' ? 'uefi' : 'legacy-bios' };
      break;
    case 'tpmSupport':
      out.TpmSupport = {};
      break;
    case 'uefiData':
      out.UefiData = {};
      break;
    case 'lastLaunchedTime':
      out.LastLaunchedTime = {};
      break;
    case 'imdsSupport':
      out.ImdsSupport = {};
      break;
    case 'deregistrationProtection':
      out.DeregistrationProtection = { Value: 'disabled' };
      break;
  }
  return out;
}

/** enableDnsSupport (true), enableDnsHostnames (true for a default VPC, false otherwise), enableNetworkAddressUsageMetrics (false). */
export function describeVpcAttribute(ctx: RequestContext, input: DescribeVpcAttributeRequest): DescribeVpcAttributeResult {
  if (!input.VpcId) throw ec2Errors.missingParameter('VpcId');
  if (!input.Attribute) throw ec2Errors.missingParameter('Attribute');
  const vpc = ctx.region.ec2.vpcs.get(input.VpcId);
  if (!vpc) throw ec2Errors.vpcNotFound(input.VpcId);
  switch (input.Attribute) {
    case 'enableDnsSupport':
      return { VpcId: vpc.vpcId, EnableDnsSupport: { Value: true } };
    case 'enableDnsHostnames':
      // "default VPC: true; a VPC you create: false" (VPC user guide, DNS attributes).
      return { VpcId: vpc.vpcId, EnableDnsHostnames: { Value: vpc.isDefault } };
    case 'enableNetworkAddressUsageMetrics':
      return { VpcId: vpc.vpcId, EnableNetworkAddressUsageMetrics: { Value: false } };
    default:
      throw ec2Errors.invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
}

function requestedVpcs(ctx: RequestContext, ids: readonly string[] | undefined): string[] {
  if (!ids?.length) return [...ctx.region.ec2.vpcs.keys()];
  for (const id of ids) if (!ctx.region.ec2.vpcs.has(id)) throw ec2Errors.vpcNotFound(id);
  return [...ids];
}

export function describeVpcClassicLink(ctx: RequestContext, input: DescribeVpcClassicLinkRequest): DescribeVpcClassicLinkResult {
  return { Vpcs: requestedVpcs(ctx, input.VpcIds).map((VpcId) => ({ VpcId, ClassicLinkEnabled: false, Tags: [] })) };
}

export function describeVpcClassicLinkDnsSupport(ctx: RequestContext, input: DescribeVpcClassicLinkDnsSupportRequest): DescribeVpcClassicLinkDnsSupportResult {
  return { Vpcs: requestedVpcs(ctx, input.VpcIds).map((VpcId) => ({ VpcId, ClassicLinkDnsSupported: false })) };
}
