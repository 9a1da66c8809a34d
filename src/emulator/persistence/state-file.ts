/**
 * The state file on disk (E-23): read at start (a missing file is an empty
 * state, and is created), written atomically — a temporary file in the same
 * directory, fsync, rename over the old one, fsync of the directory — so a
 * crash or a full disk mid-write leaves the previous file whole, never a
 * half-written one (rename(2) replaces atomically within a file system:
 * https://pubs.opengroup.org/onlinepubs/9699919799/functions/rename.html).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AsgDeployError } from '../../core/errors.js';
import { parseSnapshot, type StateSnapshot } from './state-snapshot.js';

/** The snapshot in `file`, or undefined when there is no such file. */
export function readStateFile(file: string): StateSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AsgDeployError('BAD_INPUT', `cannot read emulator state file ${file}: ${(e as Error).message}`, {
      hint: 'check the path and its permissions, or pass another --state file',
      cause: e,
    });
  }
  return parseSnapshot(text, file);
}

/** Writes `snapshot` to `file` atomically. */
export function writeStateFile(file: string, snapshot: StateSnapshot): void {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  const text = JSON.stringify(snapshot);
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new AsgDeployError('BAD_INPUT', `cannot write emulator state file ${file}: ${(e as Error).message}`, {
      hint: 'check that the directory exists and is writable, or pass another --state file',
      cause: e,
    });
  }
  // The rename is durable once the directory entry is (best effort: not every platform can open a directory).
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // ignored: the data itself is already on disk
  }
}
