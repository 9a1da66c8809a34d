/**
 * A simulation as a file's content and back (E-23): every region's state, the
 * simulated instant, the generator's position, injected faults and the
 * recorded history. Loading re-arms pending work through the state parts.
 */
import { AsgDeployError } from '../../core/errors.js';
import type { HistoryEntry } from '../history.js';
import { isKnownRegion } from '../regions.js';
import { Rng } from '../rng.js';
import type { Faults, RegionState, Simulation } from '../world.js';
import { decodeState, encodeState, isInertEvent, StateCodecError } from './state-codec.js';
import { STATE_PARTS } from './state-parts.js';

export const STATE_FORMAT = 'asg-deploy-emulator-state';
/** Bumped when a file written by this version could not be read correctly by an older one. */
export const STATE_VERSION = 1;

export interface StateSnapshot {
  format: typeof STATE_FORMAT;
  version: number;
  /** Real time of the save (ISO 8601), for people. */
  savedAt: string;
  /** The simulated instant (epoch ms) the simulation had reached: the clock resumes here. */
  now: number;
  seed: number;
  /** Rng.position. */
  rng: number;
  faults: unknown;
  regions: unknown;
  history: { capacity: number; dropped: number; entries: HistoryEntry[] };
}

/** Everything the simulation holds, at its present instant (due events fired first). */
export function takeSnapshot(sim: Simulation, savedAt = new Date()): StateSnapshot {
  sim.catchUp();
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    savedAt: savedAt.toISOString(),
    now: sim.now,
    seed: sim.seed,
    rng: sim.rng.position,
    faults: encodeState(sim.faults),
    regions: encodeState(sim.allRegions()),
    history: { capacity: sim.history.capacity, dropped: sim.history.dropped, entries: sim.history.entries },
  };
}

function refuse(file: string, what: string, hint: string): AsgDeployError {
  return new AsgDeployError('BAD_INPUT', `emulator state file ${file} ${what}`, { hint, details: { file } });
}

const CORRUPT_HINT = 'nothing was changed; move the file away (or restore a backup) to start the emulator with an empty state';

/**
 * Checks a file's text and returns the snapshot in it. A corrupt file or one
 * from a newer asg-deploy is refused with the file's name and the fix, never
 * silently replaced by an empty state.
 */
export function parseSnapshot(text: string, file: string): StateSnapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw refuse(file, `is not valid JSON (${(e as Error).message}): it is corrupt or not a state file`, CORRUPT_HINT);
  }
  const o = data as Partial<StateSnapshot> | null;
  if (typeof o !== 'object' || o === null || o.format !== STATE_FORMAT) {
    throw refuse(file, `is not an asg-deploy emulator state file (no "format": "${STATE_FORMAT}")`, `pass another --state file, or move this one away; ${CORRUPT_HINT}`);
  }
  if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1) {
    throw refuse(file, `has no valid state format version (got ${JSON.stringify(o.version)})`, CORRUPT_HINT);
  }
  if (o.version > STATE_VERSION) {
    throw refuse(
      file,
      `was written by a newer asg-deploy (state format ${o.version}; this one reads up to ${STATE_VERSION})`,
      'upgrade asg-deploy to load it, or pass another --state file; the file was left as it is',
    );
  }
  if (typeof o.now !== 'number' || !Number.isFinite(o.now) || typeof o.seed !== 'number' || typeof o.rng !== 'number') {
    throw refuse(file, 'is corrupt: "now", "seed" or "rng" is missing or not a number', CORRUPT_HINT);
  }
  const h = o.history;
  if (typeof h !== 'object' || h === null || !Array.isArray(h.entries) || typeof h.dropped !== 'number') {
    throw refuse(file, 'is corrupt: "history" is missing or malformed', CORRUPT_HINT);
  }
  return o as StateSnapshot;
}

/**
 * Loads `snapshot` into a simulation just created (createSimulation) whose
 * clock already stands at or after `snapshot.now`; then every part re-arms
 * its pending work.
 */
export function restoreSnapshot(sim: Simulation, snapshot: StateSnapshot, file = 'the state'): void {
  let regions: RegionState[];
  let faults: Faults;
  try {
    const decoded = decodeState(snapshot.regions);
    if (!Array.isArray(decoded)) throw new StateCodecError('"regions" is not a list');
    regions = decoded.map((r: unknown) => {
      const region = r as Partial<RegionState> & Record<string, unknown>;
      if (typeof region?.region !== 'string') throw new StateCodecError('a region has no name');
      if (!isKnownRegion(region.region)) throw new StateCodecError(`"${region.region}" is not an AWS region`);
      // Parts this file does not have (added since it was written) start empty.
      return { ...sim.emptyRegionState(region.region), ...region } as RegionState;
    });
    faults = decodeState(snapshot.faults) as Faults;
    if (!faults || !Array.isArray(faults.calls) || !(faults.launchFailures instanceof Map) || !(faults.azOutages instanceof Set)) {
      throw new StateCodecError('"faults" is malformed');
    }
  } catch (e) {
    if (e instanceof StateCodecError) throw refuse(file, `is corrupt: ${e.message}`, CORRUPT_HINT);
    throw e;
  }
  for (const region of regions) sim.restoreRegion(region);
  sim.faults = faults;
  sim.rng = Rng.at(snapshot.rng);
  sim.history.restore(snapshot.history.entries, snapshot.history.dropped);
  for (const region of regions) for (const part of STATE_PARTS) part.rehydrate(sim, region);
  const left = findInertEvents(regions);
  if (left.length) {
    throw new AsgDeployError('INTERNAL', `after loading ${file}, pending work was not re-armed at ${left.slice(0, 5).join(', ')}`, {
      hint: 'a state part misses a rehydrate step (src/emulator/persistence/state-parts.ts): report this as a bug',
    });
  }
}

/** Paths of restored handles no part re-armed: pending work that would silently never happen. */
export function findInertEvents(root: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (isInertEvent(v)) {
      if (!v.cancelled) found.push(path);
      return;
    }
    if (v instanceof Map) for (const [k, x] of v) walk(x, `${path}[${String(k)}]`);
    else if (v instanceof Set) for (const x of v) walk(x, `${path}<member>`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(root, 'regions');
  return found;
}
