/**
 * Group tags: CreateOrUpdateTags, DeleteTags, DescribeTags. Tags with
 * PropagateAtLaunch go onto the instances launched afterwards (E-13); the
 * deploy tool keeps its deployment record and lock here, so every change is
 * recorded in the history as a 'group' entry (field `Tag:KEY`).
 */
import type { CreateOrUpdateTagsType, DeleteTagsType, DescribeTagsType, Tag, TagDescription, TagsType } from '@aws-sdk/client-auto-scaling';
import { AwsError, validationError } from '../../aws-error.js';
import type { RegionState, RequestContext, Simulation } from '../../world.js';
import { asgErrors } from './errors.js';
import { recordGroupChange } from './membership.js';
import { paginate } from './pagination.js';
import type { AutoScalingGroupRecord } from './state.js';

/** https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html: 50 tags per group. */
export const MAX_TAGS_PER_GROUP = 50;

export function groupTagDescriptions(group: AutoScalingGroupRecord): TagDescription[] {
  return [...group.tags.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, tag]) => ({
      ResourceId: group.name,
      ResourceType: 'auto-scaling-group',
      Key: key,
      Value: tag.value,
      PropagateAtLaunch: tag.propagateAtLaunch,
    }));
}

/** Checks tags as CreateAutoScalingGroup / CreateOrUpdateTags do; `groupName` is the group they must name, if known. */
export function validateTagsInput(tags: readonly Tag[], groupName?: string): void {
  for (const tag of tags) {
    if (!tag.Key) throw asgErrors.missing('tags.member.key');
    if (tag.Key.length > 128) throw validationError(`Tag key ${tag.Key} is too long; the maximum length is 128 characters.`);
    if ((tag.Value ?? '').length > 256) throw validationError(`Tag value for key ${tag.Key} is too long; the maximum length is 256 characters.`);
    if (tag.Key.toLowerCase().startsWith('aws:')) throw validationError(`Tag keys starting with 'aws:' are reserved for internal use: ${tag.Key}`);
    if (tag.ResourceType && tag.ResourceType !== 'auto-scaling-group') {
      throw validationError(`Invalid resource type ${tag.ResourceType}; the only valid resource type is auto-scaling-group.`);
    }
    if (groupName !== undefined && tag.ResourceId && tag.ResourceId !== groupName) {
      throw validationError(`The tag's ResourceId ${tag.ResourceId} does not name the group ${groupName}.`);
    }
  }
}

/** Sets tags on a group (already validated), recording each change. */
export function applyTags(sim: Simulation, region: RegionState, group: AutoScalingGroupRecord, tags: readonly Tag[]): void {
  const newKeys = new Set(tags.map((t) => t.Key!).filter((k) => !group.tags.has(k)));
  if (group.tags.size + newKeys.size > MAX_TAGS_PER_GROUP) {
    throw new AwsError('LimitExceeded', `The number of tags per group exceeds the maximum of ${MAX_TAGS_PER_GROUP}.`);
  }
  for (const tag of tags) {
    const key = tag.Key!;
    const before = group.tags.get(key);
    const after = { value: tag.Value ?? '', propagateAtLaunch: tag.PropagateAtLaunch ?? false };
    group.tags.set(key, after);
    recordGroupChange(sim, region, group.name, `Tag:${key}`, before?.value ?? null, after.value);
  }
}

function groupsOfTags(region: RegionState, tags: readonly Tag[]): Map<string, Tag[]> {
  const byGroup = new Map<string, Tag[]>();
  for (const tag of tags) {
    if (!tag.ResourceId) throw asgErrors.missing('tags.member.resourceId');
    const list = byGroup.get(tag.ResourceId);
    if (list) list.push(tag);
    else byGroup.set(tag.ResourceId, [tag]);
  }
  for (const name of byGroup.keys()) if (!region.autoscaling.groups.has(name)) throw asgErrors.groupNotFound(name);
  return byGroup;
}

export function createOrUpdateTags(ctx: RequestContext, input: CreateOrUpdateTagsType): Record<string, never> {
  const tags = input.Tags ?? [];
  validateTagsInput(tags);
  const byGroup = groupsOfTags(ctx.region, tags);
  for (const [name, groupTags] of byGroup) {
    const group = ctx.region.autoscaling.groups.get(name)!;
    const newKeys = new Set(groupTags.map((t) => t.Key!).filter((k) => !group.tags.has(k)));
    if (group.tags.size + newKeys.size > MAX_TAGS_PER_GROUP) {
      throw new AwsError('LimitExceeded', `The number of tags per group exceeds the maximum of ${MAX_TAGS_PER_GROUP}.`);
    }
  }
  for (const [name, groupTags] of byGroup) applyTags(ctx.sim, ctx.region, ctx.region.autoscaling.groups.get(name)!, groupTags);
  return {};
}

export function deleteTags(ctx: RequestContext, input: DeleteTagsType): Record<string, never> {
  const tags = input.Tags ?? [];
  for (const tag of tags) if (!tag.Key) throw asgErrors.missing('tags.member.key');
  const byGroup = groupsOfTags(ctx.region, tags);
  for (const [name, groupTags] of byGroup) {
    const group = ctx.region.autoscaling.groups.get(name)!;
    for (const tag of groupTags) {
      const before = group.tags.get(tag.Key!);
      if (!before) continue;
      group.tags.delete(tag.Key!);
      recordGroupChange(ctx.sim, ctx.region, name, `Tag:${tag.Key}`, before.value, null);
    }
  }
  return {};
}

function matches(tag: TagDescription, filters: DescribeTagsType['Filters']): boolean {
  for (const filter of filters ?? []) {
    const values = filter.Values ?? [];
    switch (filter.Name) {
      case 'auto-scaling-group':
        if (!values.includes(tag.ResourceId!)) return false;
        break;
      case 'key':
        if (!values.includes(tag.Key!)) return false;
        break;
      case 'value':
        if (!values.includes(tag.Value ?? '')) return false;
        break;
      case 'propagate-at-launch':
        if (!values.map((v) => v.toLowerCase()).includes(String(tag.PropagateAtLaunch))) return false;
        break;
      default:
        throw validationError(
          `Filter name ${filter.Name ?? 'null'} is not valid. Valid filter names are auto-scaling-group, key, value and propagate-at-launch.`,
        );
    }
  }
  return true;
}

/** DescribeTags: by group then key, filtered, 50 a page (max 100). */
export function describeTags(ctx: RequestContext, input: DescribeTagsType): TagsType {
  const groups = [...ctx.region.autoscaling.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tags = groups.flatMap(groupTagDescriptions).filter((t) => matches(t, input.Filters));
  const page = paginate(tags, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 100 });
  return { Tags: page.items, NextToken: page.nextToken };
}
