/**
 * Plain JSON for the emulator's state graph (E-23): Maps, Sets, shared
 * references and cycles survive a round trip, functions never travel.
 *
 * The services keep their state as plain data in Maps and Sets, with the same
 * object reachable from two places (a target is in its target group and in
 * `targetsByInstance`; an activity in its group's list and in `activityById`).
 * Encoding the graph as it is, with `$ref` for an object met again, means a
 * state part added later is saved without anyone writing a serializer for it,
 * and its indexes keep pointing at the same objects after a load.
 *
 * Pending work is not data: the scheduler's handles (`ScheduledEvent`, kept on
 * entities so they can be cancelled) are written as `{ "$event": at, label }`
 * and come back as inert handles — `{ at, label, cancelled: false, inert: true }`,
 * in no queue — so each service's rehydrate (state-parts.ts) can see that work
 * was due at `at` and arm it again with its own closure.
 *
 * Encoded forms: `{"$map": [[k, v], …]}`, `{"$set": […]}`, `{"$date": ms}`,
 * `{"$num": "NaN" | "Infinity" | "-Infinity"}`, `{"$undef": 1}` (inside
 * arrays), `{"$obj": {…}}` (an object whose own keys start with `$`),
 * `{"$arr": […]}` (a shared array), and on any shared container `"$id": n`,
 * met again as `{"$ref": n}`.
 */

/** A handle restored from a file: it names when work was due, it runs nothing. */
export interface InertEvent {
  readonly at: number;
  readonly label: string;
  cancelled: boolean;
  readonly inert: true;
}

export function isInertEvent(value: unknown): value is InertEvent {
  return typeof value === 'object' && value !== null && (value as { inert?: unknown }).inert === true && typeof (value as { at?: unknown }).at === 'number';
}

/** A scheduler entry (scheduler.ts QueueEntry): has `at`, `label` and a `run` closure. */
function isSchedulerHandle(value: object): value is { at: number; label: string; cancelled: boolean } {
  const v = value as { run?: unknown; at?: unknown; label?: unknown };
  return typeof v.run === 'function' && typeof v.at === 'number' && typeof v.label === 'string';
}

export class StateCodecError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Encodes `root` to a JSON-safe value. Throws StateCodecError on a class instance it cannot keep (its prototype would be lost). */
export function encodeState(root: unknown): Json {
  // Pass 1: which containers are reached more than once (they get an id).
  const seen = new Set<object>();
  const shared = new Set<object>();
  const visit = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null) return;
    if (value instanceof Date) return;
    if (isSchedulerHandle(value) || isInertEvent(value)) return;
    if (seen.has(value)) {
      shared.add(value);
      return;
    }
    seen.add(value);
    if (value instanceof Map) {
      for (const [k, v] of value) {
        visit(k, `${path}<key>`);
        visit(v, `${path}[${String(k)}]`);
      }
    } else if (value instanceof Set) {
      for (const v of value) visit(v, `${path}<member>`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else {
      if (!isPlainObject(value)) {
        throw new StateCodecError(`cannot save ${path}: a ${value.constructor?.name ?? 'class'} instance is not plain data (keep state as objects, arrays, Maps and Sets)`);
      }
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
    }
  };
  visit(root, 'state');

  // Pass 2: write, numbering shared containers in the order they are first written.
  const ids = new Map<object, number>();
  const write = (value: unknown): Json | undefined => {
    switch (typeof value) {
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      case 'bigint':
        throw new StateCodecError('cannot save a bigint');
      case 'number':
        return Number.isFinite(value) ? value : { $num: String(value) };
      case 'string':
      case 'boolean':
        return value;
    }
    if (value === null) return null;
    const obj = value as object;
    if (obj instanceof Date) return { $date: obj.getTime() };
    if (isSchedulerHandle(obj) || isInertEvent(obj)) {
      // A cancelled handle is no pending work: it is not kept.
      return obj.cancelled ? undefined : { $event: obj.at, label: obj.label };
    }
    const known = ids.get(obj);
    if (known !== undefined) return { $ref: known };
    let idPart: { $id?: number } = {};
    if (shared.has(obj)) {
      const id = ids.size;
      ids.set(obj, id);
      idPart = { $id: id };
    }
    if (obj instanceof Map) {
      const entries: Json[] = [];
      for (const [k, v] of obj) entries.push([inArray(write(k)), inArray(write(v))]);
      return { $map: entries, ...idPart };
    }
    if (obj instanceof Set) {
      const members: Json[] = [];
      for (const v of obj) members.push(inArray(write(v)));
      return { $set: members, ...idPart };
    }
    if (Array.isArray(obj)) {
      const items = obj.map((v) => inArray(write(v)));
      return idPart.$id === undefined ? items : { $arr: items, ...idPart };
    }
    const out: { [key: string]: Json } = {};
    let dollar = false;
    for (const [k, v] of Object.entries(obj)) {
      const w = write(v);
      if (w === undefined) continue;
      if (k.startsWith('$')) dollar = true;
      out[k] = w;
    }
    if (dollar) return { $obj: out, ...idPart };
    return idPart.$id === undefined ? out : { ...out, ...idPart };
  };
  return write(root) ?? null;
}

function inArray(value: Json | undefined): Json {
  return value === undefined ? { $undef: 1 } : value;
}

/** Decodes what `encodeState` wrote. Throws StateCodecError when the data is not in that form. */
export function decodeState(data: unknown): unknown {
  const ids = new Map<number, unknown>();
  const remember = (id: unknown, value: unknown) => {
    if (id === undefined) return;
    if (typeof id !== 'number' || ids.has(id)) throw new StateCodecError(`bad or repeated $id ${JSON.stringify(id)}`);
    ids.set(id, value);
  };
  const read = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(read);
    const o = value as Record<string, unknown>;
    if ('$ref' in o) {
      if (!ids.has(o.$ref as number)) throw new StateCodecError(`$ref ${JSON.stringify(o.$ref)} points at nothing written before it`);
      return ids.get(o.$ref as number);
    }
    if ('$map' in o) {
      if (!Array.isArray(o.$map)) throw new StateCodecError('$map must hold [key, value] pairs');
      const map = new Map<unknown, unknown>();
      remember(o.$id, map);
      for (const pair of o.$map) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new StateCodecError('$map must hold [key, value] pairs');
        map.set(read(pair[0]), read(pair[1]));
      }
      return map;
    }
    if ('$set' in o) {
      if (!Array.isArray(o.$set)) throw new StateCodecError('$set must hold a list');
      const set = new Set<unknown>();
      remember(o.$id, set);
      for (const member of o.$set) set.add(read(member));
      return set;
    }
    if ('$arr' in o) {
      if (!Array.isArray(o.$arr)) throw new StateCodecError('$arr must hold a list');
      const arr: unknown[] = [];
      remember(o.$id, arr);
      for (const item of o.$arr) arr.push(read(item));
      return arr;
    }
    if ('$date' in o) return new Date(o.$date as number);
    if ('$num' in o) return Number(o.$num);
    if ('$undef' in o) return undefined;
    if ('$event' in o) {
      if (typeof o.$event !== 'number') throw new StateCodecError('$event must be an instant in ms');
      const inert: InertEvent = { at: o.$event, label: String(o.label ?? ''), cancelled: false, inert: true };
      return inert;
    }
    const fields = '$obj' in o ? (o.$obj as Record<string, unknown>) : o;
    if (typeof fields !== 'object' || fields === null) throw new StateCodecError('$obj must hold an object');
    const out: Record<string, unknown> = {};
    remember(o.$id, out);
    for (const [k, v] of Object.entries(fields)) {
      if (fields === o && k === '$id') continue;
      const r = read(v);
      if (r !== undefined) out[k] = r;
    }
    return out;
  };
  return read(data);
}
