/** Where the CLI writes, injectable so tests can run `exec` in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (live views only then). */
  isTty: boolean;
  /**
   * On a terminal: redraw the one live status line with `line`, or erase it
   * (undefined). Without it, live events print as ordinary lines.
   */
  live?(line: string | undefined): void;
  /** On a terminal: clear the screen before a full redraw (`status --watch`). */
  clearScreen?(): void;
}

export type OutputFormat = 'text' | 'json';

export interface CliContext {
  io: CliIo;
  output: OutputFormat;
  /** Set by a command's action; `exec` returns it. */
  exitCode: number;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTty: Boolean(process.stdout.isTTY),
  live(line) {
    // \r and "erase line" (ECMA-48 EL, CSI 2 K): the line is redrawn in place, cut to the terminal's width.
    process.stdout.write('\r\x1b[2K' + (line === undefined ? '' : line.slice(0, (process.stdout.columns ?? 120) - 1)));
  },
  clearScreen() {
    // ECMA-48 ED (CSI 2 J) then cursor home (CSI H).
    process.stdout.write('\x1b[2J\x1b[H');
  },
};
