/**
 * Describe-call plumbing shared by every EC2 handler: `Filters` with AWS's
 * wildcards, tag filters, tag lists and MaxResults/NextToken pagination.
 *
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Filtering.html —
 * values of one filter are ORed, filters are ANDed, `*` matches any run of
 * characters and `?` exactly one, `\` escapes them; matching is case-sensitive.
 */
import type { Filter, Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { ec2Errors } from './errors.js';

/** What a resource reports for one filter name: a value, several, or nothing. */
export type FilterValue = string | number | boolean | undefined | null | readonly (string | number | boolean | undefined | null)[];

/** The filters a resource kind supports: name → its value(s) on a resource. `tag:KEY`, `tag-key` and `tag-value` come from `tags`. */
export interface FilterSpec<T> {
  fields: Readonly<Record<string, (resource: T) => FilterValue>>;
  tags?: (resource: T) => ReadonlyMap<string, string>;
}

/** Compiles `value` (with `*`, `?`, `\` escapes) into a matcher. Plain values compare as strings. */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  if (!/[*?\\]/.test(pattern)) return (value) => value === pattern;
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i]!);
    } else if (c === '*') {
      source += '[\\s\\S]*';
    } else if (c === '?') {
      source += '[\\s\\S]';
    } else {
      source += escapeRegExp(c);
    }
  }
  const re = new RegExp(source + '$');
  return (value) => re.test(value);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function asStrings(value: FilterValue): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return (value as readonly unknown[]).filter((v) => v !== undefined && v !== null).map(String);
  return [String(value)];
}

/**
 * Builds one predicate for a request's filters (compiled once, then run per
 * resource, so describing thousands of resources stays linear).
 * Throws InvalidParameterValue for a filter name the resource kind lacks.
 */
export function compileFilters<T>(filters: readonly Filter[] | undefined, spec: FilterSpec<T>): (resource: T) => boolean {
  if (!filters || filters.length === 0) return () => true;
  const predicates: ((resource: T) => boolean)[] = [];
  for (const filter of filters) {
    const name = filter.Name;
    if (!name) throw ec2Errors.missingParameter('Filter.Name');
    const matchers = (filter.Values ?? []).map(wildcardMatcher);
    const anyMatches = (values: Iterable<string>) => {
      for (const v of values) if (matchers.some((m) => m(v))) return true;
      return false;
    };
    if (name.startsWith('tag:') && spec.tags) {
      const key = name.slice(4);
      const tags = spec.tags;
      predicates.push((r) => {
        const v = tags(r).get(key);
        return v !== undefined && anyMatches([v]);
      });
    } else if (name === 'tag-key' && spec.tags) {
      const tags = spec.tags;
      predicates.push((r) => anyMatches(tags(r).keys()));
    } else if (name === 'tag-value' && spec.tags) {
      const tags = spec.tags;
      predicates.push((r) => anyMatches(tags(r).values()));
    } else {
      const field = spec.fields[name];
      if (!field) throw ec2Errors.invalidFilter(name);
      predicates.push((r) => anyMatches(asStrings(field(r))));
    }
  }
  return (r) => predicates.every((p) => p(r));
}

/** Tag map → the `Tags` list of an output shape (an empty list when untagged, as moto answers and clients expect). */
export function tagList(tags: ReadonlyMap<string, string>): Tag[] {
  const out: Tag[] = [];
  for (const [Key, Value] of tags) out.push({ Key, Value });
  return out;
}

/** Checks tags a caller asks to set: a key is required, `aws:` keys are reserved, at most 50 per resource. */
export function validateUserTags(tags: readonly Tag[] | undefined): void {
  if (!tags) return;
  if (tags.length > 50) throw ec2Errors.tagLimitExceeded();
  for (const tag of tags) {
    if (tag.Key === undefined || tag.Key === '') throw ec2Errors.invalidParameterValue('Tag key must not be empty');
    if (tag.Key.length > 128) throw ec2Errors.invalidParameterValue(`Tag key exceeds the maximum length of 128 characters: ${tag.Key}`);
    if ((tag.Value ?? '').length > 256) throw ec2Errors.invalidParameterValue(`Tag value exceeds the maximum length of 256 characters for key ${tag.Key}`);
    if (tag.Key.toLowerCase().startsWith('aws:')) throw ec2Errors.reservedTagKey(tag.Key);
  }
}

/** The tags `TagSpecifications` give one resource type, later entries winning. */
export function tagsForResourceType(specs: readonly TagSpecification[] | undefined, resourceType: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== resourceType) continue;
    validateUserTags(spec.Tags);
    for (const tag of spec.Tags ?? []) out.set(tag.Key!, tag.Value ?? '');
  }
  return out;
}

/** Limits of `MaxResults` per operation, from the EC2 API reference. */
export interface PageLimits {
  min: number;
  max: number;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

const TOKEN_PREFIX = 'emu1:';

/**
 * One page of `items` (already filtered and in a stable order). Without
 * MaxResults and NextToken everything is returned, as EC2 does.
 */
export function paginate<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined, limits: PageLimits): Page<T> {
  if (maxResults !== undefined && maxResults !== null && (maxResults < limits.min || maxResults > limits.max)) {
    throw ec2Errors.invalidMaxResults(maxResults, limits.min, limits.max);
  }
  let offset = 0;
  if (nextToken) offset = decodeToken(nextToken);
  const size = maxResults ?? (nextToken ? limits.max : items.length);
  const end = Math.min(items.length, offset + size);
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken(end) : undefined,
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`, 'utf8').toString('base64');
}

function decodeToken(token: string): number {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX)) throw ec2Errors.invalidNextToken();
  const offset = Number(text.slice(TOKEN_PREFIX.length));
  if (!Number.isInteger(offset) || offset < 0) throw ec2Errors.invalidNextToken();
  return offset;
}

/** Rejects `MaxResults` combined with explicit ids, as EC2 does for most describes. */
export function refuseMaxResultsWithIds(ids: readonly unknown[] | undefined, maxResults: number | undefined, idsParameter: string): void {
  if (ids && ids.length > 0 && maxResults !== undefined && maxResults !== null) throw ec2Errors.maxResultsWithIds(idsParameter);
}

/** Formats epoch ms as AWS's `creationDate`-style string (ISO 8601 with milliseconds). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2026-01-01 12:00:00 GMT`, the timestamp inside EC2's state transition reasons. */
export function gmtTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
}
