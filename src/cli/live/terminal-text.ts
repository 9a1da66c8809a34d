/**
 * Text for a terminal line that may hold colour: its visible length and a cut
 * to the terminal's width. A line of the live block must never wrap: the
 * block is erased by moving the cursor up one row per line, so a wrapped line
 * would leave its first row behind (see context.ts, createTerminalIo).
 */

/** An ECMA-48 control sequence (CSI … final byte), e.g. SGR `ESC [ 32 m`: it takes no column. */
const CONTROL_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]/y;

/** How many columns `line` takes (control sequences take none; every other code point one). */
export function visibleLength(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; ) {
    CONTROL_SEQUENCE.lastIndex = i;
    const m = CONTROL_SEQUENCE.exec(line);
    if (m) {
      i += m[0].length;
      continue;
    }
    const cp = line.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    n++;
  }
  return n;
}

/**
 * `line` cut to at most `width` columns, ending in `…` when cut; a cut
 * coloured line ends with SGR 0 (reset) so no colour leaks into the next.
 *
 * @example fitToWidth('serving 5 of 6 (floor 6)', 12) // 'serving 5 o…'
 */
export function fitToWidth(line: string, width: number): string {
  if (visibleLength(line) <= width) return line;
  if (width <= 0) return '';
  let out = '';
  let n = 0;
  let coloured = false;
  for (let i = 0; i < line.length; ) {
    CONTROL_SEQUENCE.lastIndex = i;
    const m = CONTROL_SEQUENCE.exec(line);
    if (m) {
      out += m[0];
      coloured = true;
      i += m[0].length;
      continue;
    }
    if (n === width - 1) break;
    const cp = line.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    out += ch;
    i += ch.length;
    n++;
  }
  return out + '…' + (coloured ? '\x1b[0m' : '');
}
