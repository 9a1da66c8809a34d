/**
 * Colour for the live view on a terminal, and when to use it. Colour is for
 * a person at a terminal only: never in plain lines (a log, CI) or JSON.
 * Codes: ECMA-48 §8.3.117 SGR (SELECT GRAPHIC RENDITION); each colour ends
 * with its own reset (39 default colour, 22 normal intensity), so colours nest.
 */

export interface Palette {
  readonly enabled: boolean;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const sgr = (on: number, off: number) => (text: string) => `\x1b[${on}m${text}\x1b[${off}m`;
const plain = (text: string) => text;

export function createPalette(enabled: boolean): Palette {
  if (!enabled) return { enabled, green: plain, red: plain, yellow: plain, cyan: plain, dim: plain, bold: plain };
  return { enabled, green: sgr(32, 39), red: sgr(31, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
}

/**
 * Whether a terminal gets colour: only on a TTY; never when NO_COLOR is set
 * to anything but the empty string (https://no-color.org: "when present and
 * not an empty string … prevents the addition of ANSI color"), nor with
 * FORCE_COLOR=0 or TERM=dumb; FORCE_COLOR set to anything else keeps colour
 * on a TTY even with TERM=dumb. The `--no-color` flag is applied by the caller.
 */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTty: boolean): boolean {
  if (!isTty) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force !== undefined && force !== '') return true;
  return env.TERM !== 'dumb';
}
