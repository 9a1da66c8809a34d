export { readStateFile, writeStateFile } from './state-file.js';
export { takeSnapshot, restoreSnapshot, parseSnapshot, findInertEvents, STATE_FORMAT, STATE_VERSION } from './state-snapshot.js';
export type { StateSnapshot } from './state-snapshot.js';
export { STATE_PARTS, REGION_IDENTITY_KEYS } from './state-parts.js';
export type { StatePart } from './state-parts.js';
export { encodeState, decodeState, isInertEvent, StateCodecError } from './state-codec.js';
export type { InertEvent } from './state-codec.js';
