/**
 * The event log of one deploy run: every typed event the engine emitted, one
 * JSON object per line (NDJSON), in a file named after the deploy id under the
 * user's state directory. `report` and `history` read it when it is there for
 * finer detail (exact versions per instance, serving as the engine counted it,
 * waves, who ran it); they never need it, since the record on the group and the
 * group's scaling activities are enough to reconstruct a deploy from any machine.
 *
 * Where: `$XDG_STATE_HOME/asg-deploy/runs/<deploy-id>.ndjson`, with
 * `$XDG_STATE_HOME` defaulting to `~/.local/state` (XDG Base Directory
 * Specification: "$XDG_STATE_HOME defines the base directory relative to which
 * user-specific state files should be stored. If $XDG_STATE_HOME is either not
 * set or empty, a default equal to $HOME/.local/state should be used.";
 * https://specifications.freedesktop.org/basedir-spec/latest/). A relative
 * `XDG_STATE_HOME` is ignored, as the spec asks.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { DeployEvent, EventSink } from '../deploy/index.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** Deploy ids are `d-<stamp>-<hex>` (record.ts newDeployId); anything else never becomes a file name. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The directory holding every run's event log. */
export function runsDirectory(env: Environment = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'asg-deploy', 'runs');
}

/** The event log file of one deploy (whether or not it exists). */
export function eventLogPath(deployId: string, env: Environment = process.env): string {
  if (!SAFE_ID.test(deployId)) throw new Error(`not a deploy id: ${JSON.stringify(deployId)}`);
  return join(runsDirectory(env), `${deployId}.ndjson`);
}

export interface EventLogWriter {
  /** Attach to a deploy's `emit` (next to the renderer): writes every event of the run. */
  sink: EventSink;
  /** The files written so far (one per deploy id seen; resume/abort append to the deploy's own file). */
  paths(): string[];
  /** The first write error, if any: the log is best-effort and never stops a deploy. */
  error(): Error | undefined;
}

/**
 * An `EventSink` that appends each event to the log of its deploy. Events that
 * come before the deploy id is known (the plan, a template version created)
 * are held and written with the first event that carries the id; a run that
 * never gets one (a dry run, nothing to do) writes nothing. Writes are
 * synchronous appends, so a process killed mid-deploy keeps every event it
 * emitted, which is the case a report matters most for.
 *
 * @example
 *   const log = createEventLogWriter();
 *   const ctx = { ...deployContext, emit: (e) => { renderer.event(e); log.sink(e); } };
 */
export function createEventLogWriter(env: Environment = process.env): EventLogWriter {
  const held: DeployEvent[] = [];
  const written = new Set<string>();
  let failure: Error | undefined;
  let lastId: string | undefined;
  const append = (id: string, events: DeployEvent[]) => {
    if (failure || events.length === 0) return;
    try {
      const path = eventLogPath(id, env);
      if (!written.has(path)) mkdirSync(runsDirectory(env), { recursive: true, mode: 0o700 });
      appendFileSync(path, events.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
      written.add(path);
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
    }
  };
  return {
    sink(event) {
      const id = event.deployId ?? lastId;
      if (id === undefined) {
        held.push(event);
        return;
      }
      lastId = id;
      append(id, [...held.splice(0), event]);
    },
    paths: () => [...written],
    error: () => failure,
  };
}

/** The events of one deploy from its log; undefined when this machine has none. Damaged lines are skipped. */
export function readEventLog(deployId: string, env: Environment = process.env): DeployEvent[] | undefined {
  let path: string;
  try {
    path = eventLogPath(deployId, env);
  } catch {
    return undefined;
  }
  if (!existsSync(path)) return undefined;
  return parseEventLog(readFileSync(path, 'utf8'));
}

/** NDJSON text → events (lines that are not an event object are skipped: a killed writer may leave half a line). */
export function parseEventLog(text: string): DeployEvent[] {
  const events: DeployEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as Partial<DeployEvent>;
      if (value && typeof value === 'object' && typeof value.code === 'string' && typeof value.t === 'number') events.push(value as DeployEvent);
    } catch {
      /* a torn last line */
    }
  }
  return events;
}

/** Every deploy id with a log on this machine whose events name `group`. */
export function eventLogsForGroup(group: string, env: Environment = process.env): Map<string, DeployEvent[]> {
  const found = new Map<string, DeployEvent[]>();
  let names: string[];
  try {
    names = readdirSync(runsDirectory(env));
  } catch {
    return found;
  }
  for (const name of names) {
    if (!name.endsWith('.ndjson')) continue;
    const id = name.slice(0, -'.ndjson'.length);
    const events = readEventLog(id, env);
    if (events?.some((e) => e.group === group)) found.set(id, events);
  }
  return found;
}
