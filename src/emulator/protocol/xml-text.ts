/**
 * Text content for an XML element. `&`, `<`, `>` are escaped; `\r` becomes a
 * character reference so parsers' end-of-line normalisation keeps it; the
 * C0 controls XML 1.0 cannot carry (and U+FFFE/U+FFFF) are dropped rather
 * than producing a document no client can parse.
 *
 * @example xmlText('a < b & c') // 'a &lt; b &amp; c'
 */
export function xmlText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, escapeChar) : text;
}

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const ESCAPED = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeChar(ch: string): string {
  switch (ch) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '\r':
      return '&#xD;';
    default:
      return '';
  }
}
