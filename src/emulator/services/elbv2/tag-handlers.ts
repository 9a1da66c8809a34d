/**
 * Tags on load balancers, target groups and listeners: DescribeTags, AddTags,
 * RemoveTags. https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddTags.html
 */
import type {
  AddTagsInput,
  AddTagsOutput,
  DescribeTagsInput,
  DescribeTagsOutput,
  RemoveTagsInput,
  RemoveTagsOutput,
  Tag,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsError, validationError } from '../../aws-error.js';
import type { RegionState, RequestContext } from '../../world.js';
import { required, resourceKindOf } from './validation.js';

/** Tags per resource, as AWS limits them. */
export const MAX_TAGS_PER_RESOURCE = 50;
const MAX_RESOURCES_PER_CALL = 20;

/** Checks a request's tag list: keys present, 1–128 characters, no key twice; values at most 256. */
export function checkTagList(tags: readonly Tag[]): [string, string][] {
  if (tags.length > MAX_TAGS_PER_RESOURCE) {
    throw new AwsError('TooManyTags', `The quota for the number of tags that can be assigned to a resource (${MAX_TAGS_PER_RESOURCE}) has been reached`);
  }
  const seen = new Set<string>();
  return tags.map((tag) => {
    const key = required(tag.Key, 'Tags.member.Key');
    if (key.length > 128) throw validationError(`Tag key '${key}' must be at most 128 characters`);
    const value = tag.Value ?? '';
    if (value.length > 256) throw validationError(`Tag value for key '${key}' must be at most 256 characters`);
    if (seen.has(key)) throw new AwsError('DuplicateTagKeys', `Tag key was specified more than once: ${key}`);
    seen.add(key);
    return [key, value];
  });
}

/** TooManyTags unless the resource has room for `tags` (50 at most, overwrites not counted). */
function checkTagRoom(region: RegionState, arn: string, tags: readonly [string, string][]): void {
  const current = region.elbv2.tags.get(arn);
  const added = tags.filter(([key]) => !current?.has(key)).length;
  if ((current?.size ?? 0) + added > MAX_TAGS_PER_RESOURCE) {
    throw new AwsError('TooManyTags', `The quota for the number of tags that can be assigned to a resource (${MAX_TAGS_PER_RESOURCE}) has been reached`);
  }
}

/** Adds or overwrites tags on a resource; TooManyTags past 50. */
export function addTags(region: RegionState, arn: string, tags: readonly [string, string][]): void {
  checkTagRoom(region, arn, tags);
  if (tags.length === 0) return;
  const current = region.elbv2.tags.get(arn) ?? new Map<string, string>();
  for (const [key, value] of tags) current.set(key, value);
  region.elbv2.tags.set(arn, current);
}

/** Throws the resource's own not-found error unless `arn` names an existing resource. */
function requireResource(region: RegionState, arn: string): void {
  const kind = resourceKindOf(arn);
  switch (kind) {
    case 'load balancer':
      if (!region.elbv2.loadBalancers.has(arn)) throw new AwsError('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
      return;
    case 'target group':
      if (!region.elbv2.targetGroups.has(arn)) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
      return;
    case 'listener':
      if (!region.elbv2.listeners.has(arn)) throw new AwsError('ListenerNotFound', `Listener '${arn}' not found`);
      return;
    default:
      throw validationError(`'${arn}' is not a valid load balancer, target group or listener ARN`);
  }
}

function resourceArns(arns: string[] | undefined): string[] {
  const list = required(arns, 'ResourceArns');
  if (list.length === 0) throw validationError("1 validation error detected: Value '[]' at 'resourceArns' failed to satisfy constraint: Member must have length greater than or equal to 1");
  if (list.length > MAX_RESOURCES_PER_CALL) {
    throw validationError(`1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RESOURCES_PER_CALL}`);
  }
  return list;
}

export function describeTags(ctx: RequestContext, input: DescribeTagsInput): DescribeTagsOutput {
  const { region } = ctx;
  const arns = resourceArns(input.ResourceArns);
  for (const arn of arns) requireResource(region, arn);
  return {
    TagDescriptions: arns.map((arn) => ({
      ResourceArn: arn,
      Tags: [...(region.elbv2.tags.get(arn) ?? new Map<string, string>())].map(([Key, Value]) => ({ Key, Value })),
    })),
  };
}

export function addTagsHandler(ctx: RequestContext, input: AddTagsInput): AddTagsOutput {
  const { region } = ctx;
  const arns = resourceArns(input.ResourceArns);
  const tags = checkTagList(required(input.Tags, 'Tags'));
  for (const arn of arns) {
    requireResource(region, arn);
    checkTagRoom(region, arn, tags);
  }
  for (const arn of arns) addTags(region, arn, tags);
  return {};
}

export function removeTags(ctx: RequestContext, input: RemoveTagsInput): RemoveTagsOutput {
  const { region } = ctx;
  const arns = resourceArns(input.ResourceArns);
  const keys = required(input.TagKeys, 'TagKeys');
  for (const arn of arns) requireResource(region, arn);
  for (const arn of arns) {
    const tags = region.elbv2.tags.get(arn);
    if (!tags) continue;
    for (const key of keys) tags.delete(key);
    if (tags.size === 0) region.elbv2.tags.delete(arn);
  }
  return {};
}
