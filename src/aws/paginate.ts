/**
 * Every page of a paginated describe. Auto Scaling and EC2 use `NextToken`,
 * ELBv2 uses `Marker`/`NextMarker`; each caller adapts its call to
 * `(token) → { items, next }`. We do not use the SDK's paginators because
 * they call `client.send` directly, bypassing our clock-driven retries.
 *
 * @example
 *   const groups = await collectPages(async (token) => {
 *     const out = await send(new DescribeAutoScalingGroupsCommand({ NextToken: token, MaxRecords: 100 }));
 *     return { items: out.AutoScalingGroups ?? [], next: out.NextToken };
 *   });
 */
import { AsgDeployError } from '../core/errors.js';

export interface Page<T> {
  items: readonly T[];
  /** The token for the next page; absent or empty on the last page. */
  next?: string | undefined;
}

export interface PaginateOptions {
  /** Stop once this many items are collected (the result is cut to it). */
  limit?: number;
  /** Safety net against a service that never stops paging. Default 10 000. */
  maxPages?: number;
}

/** Yields each page's items in order. */
export async function* pages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>, options: PaginateOptions = {}): AsyncGenerator<readonly T[]> {
  const maxPages = options.maxPages ?? 10_000;
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= maxPages) {
      throw new AsgDeployError('INTERNAL', `stopped paging after ${maxPages} pages: the service kept returning a next token`);
    }
    const { items, next } = await fetchPage(token);
    yield items;
    if (next === undefined || next === '') return;
    if (seen.has(next)) throw new AsgDeployError('INTERNAL', `the service returned the page token ${JSON.stringify(next)} twice; stopped paging`);
    seen.add(next);
    token = next;
  }
}

/** All items of all pages (or the first `limit`). */
export async function collectPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>, options: PaginateOptions = {}): Promise<T[]> {
  const all: T[] = [];
  for await (const items of pages(fetchPage, options)) {
    all.push(...items);
    if (options.limit !== undefined && all.length >= options.limit) return all.slice(0, options.limit);
  }
  return all;
}

/** Splits `items` into chunks of at most `size` (for APIs that take at most N ids per call). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!(size >= 1)) throw new RangeError(`chunk size must be ≥ 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
