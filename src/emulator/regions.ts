/**
 * The region names AWS knows (E-40). A SigV4 credential scope naming any
 * other region is refused as AWS refuses it, and never creates a region: 1,000
 * made-up names must not make 1,000 regions (issue 12).
 *
 * Source: botocore 1.43.11 `botocore/data/endpoints.json`, the `regions` of
 * every partition (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e,
 * aws-iso-f, aws-eusc). Regenerate with:
 *   python3 -c "import json,botocore,os;d=json.load(open(os.path.join(os.path.dirname(botocore.__file__),'data','endpoints.json')));print(sorted(r for p in d['partitions'] for r in p['regions']))"
 */
import { AwsError } from './aws-error.js';

export const AWS_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-isoe-west-1',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eusc-de-east-1',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-iso-east-1',
  'us-iso-west-1',
  'us-isob-east-1',
  'us-isob-west-1',
  'us-isof-east-1',
  'us-isof-south-1',
  'us-west-1',
  'us-west-2',
]);

export function isKnownRegion(name: string): boolean {
  return AWS_REGIONS.has(name);
}

/**
 * What AWS answers a request signed for a region it does not know: HTTP 403
 * `SignatureDoesNotMatch` "Credential should be scoped to a valid region, not
 * 'X'." (the wording AWS's query services send, as reported against the SDKs,
 * e.g. aws/aws-sdk-ruby#508, JuliaCloud/AWS.jl#565; the SigV4 credential scope
 * is documented at https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
export function invalidRegionError(name: string): AwsError {
  return new AwsError('SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${name}'.`, 403);
}
