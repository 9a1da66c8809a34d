/**
 * The AWS services the emulator speaks, and how a request names them on the
 * wire: the SigV4 credential scope's service (`…/us-east-1/ec2/aws4_request`)
 * and the awsQuery `Version` parameter. See docs/emulator.md "Wire".
 */
export type ServiceName = 'autoscaling' | 'ec2' | 'elbv2' | 'cloudwatch';

export const SERVICE_NAMES: readonly ServiceName[] = ['autoscaling', 'ec2', 'elbv2', 'cloudwatch'];

const BY_SIGNING_NAME: Readonly<Record<string, ServiceName>> = {
  autoscaling: 'autoscaling',
  ec2: 'ec2',
  elasticloadbalancing: 'elbv2',
  monitoring: 'cloudwatch',
};

const BY_API_VERSION: Readonly<Record<string, ServiceName>> = {
  '2011-01-01': 'autoscaling',
  '2016-11-15': 'ec2',
  '2015-12-01': 'elbv2',
  '2010-08-01': 'cloudwatch',
};

/**
 * The service a SigV4 signing name stands for.
 *
 * @example serviceFromSigningName('elasticloadbalancing') // 'elbv2'
 */
export function serviceFromSigningName(signingName: string): ServiceName | undefined {
  return Object.hasOwn(BY_SIGNING_NAME, signingName) ? BY_SIGNING_NAME[signingName] : undefined;
}

/**
 * The service an awsQuery/ec2Query `Version` parameter belongs to.
 *
 * @example serviceFromApiVersion('2016-11-15') // 'ec2'
 */
export function serviceFromApiVersion(apiVersion: string): ServiceName | undefined {
  return Object.hasOwn(BY_API_VERSION, apiVersion) ? BY_API_VERSION[apiVersion] : undefined;
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}
