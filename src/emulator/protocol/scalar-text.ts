/**
 * Scalars as clients write them in a query string: botocore's
 * QuerySerializer and SDK v3's QueryShapeSerializer send integers as decimal
 * text, floats as `repr`/`String()` (including `NaN`, `Infinity`), booleans
 * as `true`/`false` and timestamps as ISO 8601 (`2024-05-01T12:00:00Z`, with
 * or without fractional seconds). Each parser returns undefined for text that
 * is not such a value.
 */

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const EPOCH_SECONDS = /^\d+(\.\d+)?$/;
// ISO 8601 / RFC 3339 date-time, as botocore and SDK v3 write it.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

export function parseIntegerText(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parseNumberText(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  if (text === 'NaN') return NaN;
  if (text === 'Infinity') return Infinity;
  if (text === '-Infinity') return -Infinity;
  return undefined;
}

export function parseBooleanText(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

/** ISO 8601, or epoch seconds (what awsJson and `unixTimestamp` traits send). */
export function parseTimestampText(text: string): Date | undefined {
  let ms: number;
  if (EPOCH_SECONDS.test(text)) ms = Number(text) * 1000;
  else if (ISO_8601.test(text)) ms = Date.parse(normalizeIso(text));
  else return undefined;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** A form Date.parse reads the same everywhere: UTC unless a zone is given. */
function normalizeIso(text: string): string {
  const iso = text.toUpperCase();
  if (iso.length === 10) return `${iso}T00:00:00Z`;
  if (iso.endsWith('Z')) return iso;
  const zone = /([+-]\d{2}):?(\d{2})$/.exec(iso);
  if (zone && iso.length > 16) return `${iso.slice(0, zone.index)}${zone[1]}:${zone[2]}`;
  return `${iso}Z`;
}
