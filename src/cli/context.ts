import { colorEnabled } from './live/palette.js';
import { fitToWidth } from './live/terminal-text.js';
import type { EverySecond } from './live/live-block.js';

/** Where the CLI writes, injectable so tests can run `exec` in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (live views only then). */
  isTty: boolean;
  /**
   * On a terminal that can move its cursor: replace the live block (a few
   * lines redrawn in place under the lines that scroll) with `lines`, or
   * erase it (undefined). Lines written with `out`/`err` meanwhile appear
   * above the block. Without it, live events print as ordinary lines.
   */
  liveBlock?(lines: string[] | undefined): void;
  /** The terminal's width in columns, when known (the live block is cut to it). */
  readonly columns?: number;
  /** Whether the terminal gets colour (a TTY, NO_COLOR unset, …: see live/palette.ts). Plain lines and JSON never do. */
  readonly color?: boolean;
  /** The live block's redraw timer; a real one-second interval unless a test drives it. */
  everySecond?: EverySecond;
  /** On a terminal: clear the screen before a full redraw (`status --watch`). */
  clearScreen?(): void;
}

export type OutputFormat = 'text' | 'json';

export interface CliContext {
  io: CliIo;
  output: OutputFormat;
  /** Set by a command's action; `exec` returns it. */
  exitCode: number;
  /** false with --no-color: no colour even on a colour terminal. */
  color?: boolean;
}

/** The part of a Node stream the terminal IO uses (a fake in tests). */
export interface TerminalStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

// ECMA-48 (5th edition, 1991) control functions, 7-bit: CSI is ESC [.
/** CR then CUU (§8.3.22 CURSOR UP, `CSI n A`): back to the first column of the line `n` rows up (n ≥ 1). */
const cursorUpToLineStart = (n: number) => `\r\x1b[${n}A`;
/** ED (§8.3.39 ERASE IN PAGE, `CSI J`, parameter 0): erase from the cursor to the end of the screen. */
const ERASE_TO_END = '\x1b[J';
/** ED with parameter 2 then CUP (§8.3.21 CURSOR POSITION, `CSI H`): a clean screen, cursor home. */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

/**
 * The terminal adapter behind {@link processIo}: plain lines, and the live
 * block kept under them. The block is drawn as whole lines, so the cursor
 * rests at the start of the line below it; to replace or erase it the cursor
 * goes up as many rows (CUU) and erases to the end of the screen (ED). A line
 * written with `out` (or `err`, when stderr is the same terminal) erases the
 * block, prints, and draws the block again below it, in one write, so lines
 * scroll above the block. Every block line is cut to the width (a wrapped
 * line would take two rows and the cursor-up count would be wrong).
 *
 * The block is only offered when the terminal can move its cursor (not with
 * TERM=dumb); `onExit` erases a block still shown when the process exits
 * (a second Ctrl-C), so the terminal is not left garbled.
 */
export function createTerminalIo(
  stdout: TerminalStream,
  stderr: TerminalStream,
  env: Readonly<Record<string, string | undefined>>,
  onExit: (erase: () => void) => void = () => {},
): CliIo {
  const isTty = Boolean(stdout.isTTY);
  let block: string[] = [];
  let exitHooked = false;
  const erase = () => (block.length > 0 ? cursorUpToLineStart(block.length) + ERASE_TO_END : '');
  const drawn = () => block.map((l) => l + '\n').join('');
  const io: CliIo = {
    out(line) {
      stdout.write(block.length > 0 ? erase() + line + '\n' + drawn() : line + '\n');
    },
    err(line) {
      if (block.length > 0 && stderr.isTTY) {
        stdout.write(erase());
        stderr.write(line + '\n');
        stdout.write(drawn());
      } else {
        stderr.write(line + '\n');
      }
    },
    isTty,
    get columns() {
      return stdout.columns;
    },
    color: colorEnabled(env, isTty),
    clearScreen() {
      stdout.write(CLEAR_SCREEN);
    },
  };
  if (isTty && env.TERM !== 'dumb') {
    io.liveBlock = (lines) => {
      const width = (stdout.columns ?? 80) - 1;
      // A block taller than the screen could not be reached by cursor-up (CUU stops at the top row): keep it shorter.
      const height = Math.max(1, (stdout.rows ?? 24) - 1);
      const next = (lines ?? []).slice(0, height).map((l) => fitToWidth(l, width));
      const text = erase();
      block = next;
      stdout.write(text + drawn());
      if (block.length > 0 && !exitHooked) {
        exitHooked = true;
        onExit(() => {
          if (block.length > 0) stdout.write(erase());
          block = [];
        });
      }
    };
  }
  return io;
}

/**
 * Leaves the terminal clean however the process ends while a block is shown:
 * at exit, and on a Ctrl-C that no command handles (the demo), where it
 * erases the block and then stops as Node would have (exit 130).
 */
function eraseAtExit(erase: () => void): void {
  process.once('exit', erase);
  process.on('SIGINT', () => {
    if (process.listenerCount('SIGINT') > 1) return; // a command's own handler stops it at a safe point
    erase();
    process.exit(130);
  });
}

export const processIo: CliIo = createTerminalIo(process.stdout, process.stderr, process.env, eraseAtExit);
