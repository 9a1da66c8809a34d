/**
 * EC2's errors, in AWS's own codes and words
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
 * Messages follow what EC2 answers, so clients that match on them keep working.
 */
import { AwsError } from '../../aws-error.js';

const quoteList = (ids: readonly string[]) => ids.join(', ');

export const ec2Errors = {
  missingParameter(name: string): AwsError {
    return new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
  },
  invalidParameterValue(message: string): AwsError {
    return new AwsError('InvalidParameterValue', message);
  },
  invalidParameterCombination(message: string): AwsError {
    return new AwsError('InvalidParameterCombination', message);
  },
  invalidFilter(name: string): AwsError {
    return new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
  },
  invalidMaxResults(value: number, min: number, max: number): AwsError {
    return new AwsError(
      'InvalidParameterValue',
      value < min
        ? `Value ( ${value} ) for parameter maxResults is invalid. Expecting a value greater than ${min - 1}.`
        : `Value ( ${value} ) for parameter maxResults is invalid. Expecting a value less than ${max + 1}.`,
    );
  },
  invalidNextToken(): AwsError {
    return new AwsError('InvalidPaginationToken', 'The specified pagination token is not valid or is expired.');
  },
  maxResultsWithIds(idsParameter: string): AwsError {
    return new AwsError('InvalidParameterCombination', `The parameter ${idsParameter} cannot be used with the parameter maxResults`);
  },

  instanceNotFound(ids: readonly string[]): AwsError {
    return ids.length === 1
      ? new AwsError('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`)
      : new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${quoteList(ids)}' do not exist`);
  },
  instanceMalformed(id: string): AwsError {
    return new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}" (expecting "i-...")`);
  },
  incorrectInstanceState(id: string, action: string): AwsError {
    return new AwsError('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be ${action}.`);
  },

  imageNotFound(ids: readonly string[]): AwsError {
    return ids.length === 1
      ? new AwsError('InvalidAMIID.NotFound', `The image id '[${ids[0]}]' does not exist`)
      : new AwsError('InvalidAMIID.NotFound', `The image ids '[${quoteList(ids)}]' do not exist`);
  },
  imageMalformed(id: string): AwsError {
    return new AwsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
  },
  /** Launching from an image that is not `available` (E-12). */
  imageUnavailable(id: string, state: string): AwsError {
    return new AwsError('InvalidAMIID.Unavailable', `AMI '${id}' is ${state}, and cannot be run`);
  },
  imageNameDuplicate(name: string, existingId: string): AwsError {
    return new AwsError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${existingId}`);
  },
  imageNameMalformed(): AwsError {
    return new AwsError(
      'InvalidAMIName.Malformed',
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'",
    );
  },
  imageNotYours(id: string): AwsError {
    return new AwsError('AuthFailure', `Not authorized for image:${id}`);
  },

  snapshotNotFound(ids: readonly string[]): AwsError {
    return ids.length === 1
      ? new AwsError('InvalidSnapshot.NotFound', `The snapshot '${ids[0]}' does not exist.`)
      : new AwsError('InvalidSnapshot.NotFound', `The snapshots '${quoteList(ids)}' do not exist.`);
  },
  snapshotMalformed(id: string): AwsError {
    return new AwsError('InvalidParameterValue', `Value (${id}) for parameter snapshotId is invalid. Expected: 'snap-...'.`);
  },
  snapshotInUse(snapshotId: string, imageId: string): AwsError {
    return new AwsError('InvalidSnapshot.InUse', `The snapshot ${snapshotId} is currently in use by ${imageId}`);
  },
  snapshotNotYours(id: string): AwsError {
    return new AwsError('AuthFailure', `Not authorized for snapshot:${id}`);
  },

  launchTemplateNameNotFound(name?: string): AwsError {
    return name === undefined
      ? new AwsError('InvalidLaunchTemplateName.NotFoundException', 'At least one of the launch templates specified in the request does not exist.')
      : new AwsError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
  },
  launchTemplateIdNotFound(id?: string): AwsError {
    return id === undefined
      ? new AwsError('InvalidLaunchTemplateId.NotFound', 'At least one of the launch templates specified in the request does not exist.')
      : new AwsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
  },
  launchTemplateIdMalformed(id: string): AwsError {
    return new AwsError('InvalidLaunchTemplateId.Malformed', `The specified ID for the launch template (${id}) is malformed.`);
  },
  launchTemplateNameMalformed(): AwsError {
    return new AwsError(
      'InvalidLaunchTemplateName.MalformedException',
      'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.',
    );
  },
  launchTemplateNameExists(): AwsError {
    return new AwsError('InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.');
  },
  launchTemplateVersionNotFound(version: string, templateId: string): AwsError {
    return new AwsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find the specified version ${version} for the launch template with ID ${templateId}.`);
  },
  launchTemplateIdAndName(): AwsError {
    return new AwsError('InvalidParameterCombination', 'You must specify either the launch template ID or the launch template name in the request, but not both.');
  },
  launchTemplateIdOrName(): AwsError {
    return new AwsError('MissingParameter', 'You must specify either the launch template ID or the launch template name in the request.');
  },

  subnetNotFound(id: string): AwsError {
    return new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
  },
  vpcNotFound(id: string): AwsError {
    return new AwsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
  },
  securityGroupNotFound(id: string): AwsError {
    return new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
  },
  securityGroupNameNotFound(name: string, vpcId: string): AwsError {
    return new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in VPC '${vpcId}'`);
  },
  noDefaultVpc(): AwsError {
    return new AwsError('VPCIdNotSpecified', 'No default VPC for this user');
  },
  keyPairNotFound(name: string): AwsError {
    return new AwsError('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);
  },
  availabilityZoneInvalid(zone: string): AwsError {
    return new AwsError('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
  },
  regionNotFound(name: string): AwsError {
    return new AwsError('InvalidParameterValue', `Invalid region: ${name}`);
  },
  instanceTypeInvalid(type: string): AwsError {
    return new AwsError('InvalidParameterValue', `Invalid value '${type}' for InstanceType.`);
  },
  instanceTypesNotFound(types: readonly string[]): AwsError {
    return new AwsError('InvalidInstanceType', `The following supplied instance types do not exist: [${types.join(', ')}]`);
  },
  architectureMismatch(typeArchitecture: string, imageArchitecture: string): AwsError {
    return new AwsError(
      'InvalidParameterValue',
      `The architecture '${typeArchitecture}' of the specified instance type does not match the architecture '${imageArchitecture}' of the specified AMI. ` +
        "Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
    );
  },
  invalidId(id: string): AwsError {
    return new AwsError('InvalidID', `The ID '${id}' is not valid`);
  },
  reservedTagKey(key: string): AwsError {
    return new AwsError('InvalidParameterValue', `Value ( ${key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`);
  },
  tagLimitExceeded(): AwsError {
    return new AwsError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
  },
};

/**
 * The error a launch in `availabilityZone` fails with when the admin API
 * injected `code` there (E-20), worded as EC2 words it.
 */
export function injectedLaunchError(code: string, availabilityZone: string, instanceType: string, otherZones: readonly string[]): AwsError {
  switch (code) {
    case 'InsufficientInstanceCapacity':
      return new AwsError(
        code,
        `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${availabilityZone}). ` +
          'Our system will be working on provisioning additional capacity. ' +
          `You can currently get ${instanceType} capacity by not specifying an Availability Zone in your request or choosing ${otherZones.join(', ')}.`,
      );
    case 'Unsupported':
      return new AwsError(
        code,
        `Your requested instance type (${instanceType}) is not supported in your requested Availability Zone (${availabilityZone}). ` +
          `Please retry your request by not specifying an Availability Zone or choosing ${otherZones.join(', ')}.`,
      );
    case 'InstanceLimitExceeded':
      return new AwsError(
        code,
        'You have requested more instances than your current instance limit allows for the specified instance type. ' +
          'Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.',
      );
    case 'VcpuLimitExceeded':
      return new AwsError(
        code,
        'You have requested more vCPU capacity than your current vCPU limit allows for the instance bucket that the specified instance type belongs to. ' +
          'Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.',
      );
    case 'InsufficientFreeAddressesInSubnet':
      return new AwsError(code, 'There are not enough free addresses in the subnet to satisfy the requested number of instances.');
    case 'InternalError':
      return new AwsError(code, 'An internal error has occurred', 500);
    case 'Unavailable':
      return new AwsError(code, 'The server is overloaded and cannot handle the request.', 503);
    default:
      return new AwsError(code, `The launch failed in the Availability Zone ${availabilityZone}.`);
  }
}
