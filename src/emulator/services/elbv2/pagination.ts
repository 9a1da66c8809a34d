/**
 * `Marker`/`PageSize` pagination as ELBv2 does it: at most `PageSize` (1–400,
 * default 400) items, and `NextMarker` while more remain. The marker is
 * opaque to clients; here it encodes the sort key of the last item returned,
 * so a page boundary stays put when items are created or deleted between
 * calls.
 */
import { validationError } from '../../aws-error.js';
import { integerInRange } from './validation.js';

export const MAX_PAGE_SIZE = 400;

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

/**
 * Pages `items`, which must be sorted by `keyOf` (plain string order).
 *
 * @example
 * const { items, nextMarker } = paginate(sortedGroups, (tg) => tg.name, input);
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, input: { Marker?: string; PageSize?: number }): Page<T> {
  const pageSize = integerInRange(input.PageSize, 'PageSize', 1, MAX_PAGE_SIZE) ?? MAX_PAGE_SIZE;
  let start = 0;
  if (input.Marker !== undefined && input.Marker !== '') {
    const after = decodeMarker(input.Marker);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + pageSize);
  const more = start + pageSize < items.length;
  return more ? { items: page, nextMarker: encodeMarker(keyOf(page[page.length - 1]!)) } : { items: page };
}

function encodeMarker(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64');
}

function decodeMarker(marker: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the error
  }
  throw validationError(`The marker '${marker}' is not valid`);
}

/** Plain string order (the order `paginate` expects). */
export function byKey<T>(keyOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}
