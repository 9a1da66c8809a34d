/** Where the CLI writes, injectable so tests can run `exec` in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdout is a terminal (live views only then). */
  isTty: boolean;
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
};
