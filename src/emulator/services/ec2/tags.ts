/**
 * CreateTags, DeleteTags, DescribeTags over every taggable EC2 resource here:
 * instances, images, snapshots, launch templates, VPCs, subnets, security
 * groups and key pairs. Tags on instances and AMIs also steer the emulator
 * (E-19), and Auto Scaling's group tags reach instances through
 * `setInstanceTag` (E-13).
 */
import type { AwsError } from '../../aws-error.js';
import type { CreateTagsRequest, DeleteTagsRequest, DescribeTagsRequest, DescribeTagsResult, TagDescription } from '@aws-sdk/client-ec2';
import type { RegionState, RequestContext } from '../../world.js';
import { ec2Errors } from './errors.js';
import { compileFilters, paginate, validateUserTags, type FilterSpec } from './filters.js';

const LIMITS_TAGS = { min: 5, max: 1000 };
const MAX_USER_TAGS = 50;

/** A taggable resource kind: its id prefix, DescribeTags resource type, tag maps and NotFound error. */
interface TaggableKind {
  prefix: string;
  resourceType: string;
  all: (region: RegionState) => Iterable<{ id: string; tags: Map<string, string> }>;
  get: (region: RegionState, id: string) => Map<string, string> | undefined;
  notFound: (id: string) => AwsError;
}

function kind<T extends { tags: Map<string, string> }>(
  prefix: string,
  resourceType: string,
  map: (region: RegionState) => Map<string, T>,
  idOf: (resource: T) => string,
  notFound: (id: string) => AwsError,
): TaggableKind {
  return {
    prefix,
    resourceType,
    *all(region) {
      for (const resource of map(region).values()) yield { id: idOf(resource), tags: resource.tags };
    },
    get: (region, id) => map(region).get(id)?.tags,
    notFound,
  };
}

const KINDS: readonly TaggableKind[] = [
  kind('i-', 'instance', (r) => r.ec2.instances, (x) => x.instanceId, (id) => ec2Errors.instanceNotFound([id])),
  kind('ami-', 'image', (r) => r.ec2.images, (x) => x.imageId, (id) => ec2Errors.imageNotFound([id])),
  kind('snap-', 'snapshot', (r) => r.ec2.snapshots, (x) => x.snapshotId, (id) => ec2Errors.snapshotNotFound([id])),
  kind('lt-', 'launch-template', (r) => r.ec2.launchTemplates, (x) => x.launchTemplateId, (id) => ec2Errors.launchTemplateIdNotFound(id)),
  kind('vpc-', 'vpc', (r) => r.ec2.vpcs, (x) => x.vpcId, (id) => ec2Errors.vpcNotFound(id)),
  kind('subnet-', 'subnet', (r) => r.ec2.subnets, (x) => x.subnetId, (id) => ec2Errors.subnetNotFound(id)),
  kind('sg-', 'security-group', (r) => r.ec2.securityGroups, (x) => x.groupId, (id) => ec2Errors.securityGroupNotFound(id)),
  kind('key-', 'key-pair', (r) => r.ec2.keyPairs, (x) => x.keyPairId, (id) => ec2Errors.keyPairNotFound(id)),
];

/** The tag map of the resource `id` names, or AWS's NotFound / InvalidID error. */
export function requireTagsOf(region: RegionState, id: string): Map<string, string> {
  const k = KINDS.find((candidate) => id.startsWith(candidate.prefix));
  if (!k) throw ec2Errors.invalidId(id);
  const tags = k.get(region, id);
  if (!tags) throw k.notFound(id);
  return tags;
}

function userTagCount(tags: ReadonlyMap<string, string>): number {
  let n = 0;
  for (const key of tags.keys()) if (!key.startsWith('aws:')) n++;
  return n;
}

export function createTags(ctx: RequestContext, input: CreateTagsRequest): Record<string, never> {
  const { region } = ctx;
  const resources = input.Resources ?? [];
  if (resources.length === 0) throw ec2Errors.missingParameter('ResourceId');
  if (!input.Tags || input.Tags.length === 0) throw ec2Errors.missingParameter('Tag');
  validateUserTags(input.Tags);
  // Resolve every resource first: one unknown id fails the whole call.
  const targets = resources.map((id) => requireTagsOf(region, id));
  for (const tags of targets) {
    const merged = new Map(tags);
    for (const tag of input.Tags) merged.set(tag.Key!, tag.Value ?? '');
    if (userTagCount(merged) > MAX_USER_TAGS) throw ec2Errors.tagLimitExceeded();
  }
  for (const tags of targets) for (const tag of input.Tags) tags.set(tag.Key!, tag.Value ?? '');
  return {};
}

/**
 * DeleteTags: a tag given with a value is deleted only if the value matches;
 * without a value, whatever its value; no tags at all deletes every user tag.
 */
export function deleteTags(ctx: RequestContext, input: DeleteTagsRequest): Record<string, never> {
  const { region } = ctx;
  const resources = input.Resources ?? [];
  if (resources.length === 0) throw ec2Errors.missingParameter('ResourceId');
  for (const tag of input.Tags ?? []) {
    if (tag.Key?.toLowerCase().startsWith('aws:')) throw ec2Errors.reservedTagKey(tag.Key);
  }
  const targets = resources.map((id) => requireTagsOf(region, id));
  for (const tags of targets) {
    if (!input.Tags || input.Tags.length === 0) {
      for (const key of [...tags.keys()]) if (!key.startsWith('aws:')) tags.delete(key);
      continue;
    }
    for (const tag of input.Tags) {
      if (tag.Key === undefined) continue;
      if (tag.Value === undefined || tags.get(tag.Key) === tag.Value) tags.delete(tag.Key);
    }
  }
  return {};
}

const TAG_FILTERS: FilterSpec<TagDescription> = {
  fields: {
    key: (t) => t.Key,
    value: (t) => t.Value,
    'resource-id': (t) => t.ResourceId,
    'resource-type': (t) => t.ResourceType,
  },
};

export function describeTags(ctx: RequestContext, input: DescribeTagsRequest): DescribeTagsResult {
  const { region } = ctx;
  const matches = compileFilters(input.Filters, TAG_FILTERS);
  const out: TagDescription[] = [];
  for (const k of KINDS) {
    for (const resource of k.all(region)) {
      for (const [Key, Value] of resource.tags) {
        const description: TagDescription = { ResourceId: resource.id, ResourceType: k.resourceType as TagDescription['ResourceType'], Key, Value };
        if (matches(description)) out.push(description);
      }
    }
  }
  const page = paginate(out, input.MaxResults, input.NextToken, LIMITS_TAGS);
  return { Tags: page.items, NextToken: page.nextToken };
}
