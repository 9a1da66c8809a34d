/**
 * NextToken / MaxRecords as Auto Scaling pages its lists (E-16): the token is
 * opaque to clients; here it carries the offset into the (stably ordered)
 * list, so a bad or foreign token is told apart from a good one.
 */
import { asgErrors } from './errors.js';

export interface PageSize {
  /** Page size when MaxRecords is not given (AWS: 50 groups, 100 activities, …). */
  defaultSize: number;
  /** Largest MaxRecords accepted. */
  maxSize: number;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

const TOKEN_PREFIX = 'asg1:';

function encodeToken(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`, 'utf8').toString('base64');
}

function decodeToken(token: string): number {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const offset = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(offset) || offset < 0) throw asgErrors.invalidNextToken(token);
  return offset;
}

/**
 * One page of `items`.
 *
 * @example
 * paginate(groups, input.MaxRecords, input.NextToken, { defaultSize: 50, maxSize: 100 })
 * // { items: [...first 50], nextToken: 'YXNnMTo1MA==' }
 */
export function paginate<T>(items: readonly T[], maxRecords: number | undefined, nextToken: string | undefined, size: PageSize): Page<T> {
  if (maxRecords !== undefined && maxRecords !== null) {
    if (maxRecords > size.maxSize) throw asgErrors.tooMany('maxRecords', maxRecords, size.maxSize);
    if (maxRecords < 1) throw asgErrors.tooFew('maxRecords', maxRecords, 1);
  }
  const limit = maxRecords ?? size.defaultSize;
  const start = nextToken ? decodeToken(nextToken) : 0;
  const end = start + limit;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextToken: encodeToken(end) } : { items: page };
}
