/**
 * Bake and prune events live in the one registry, src/events/ (see
 * src/events/bake-payloads.ts). This module keeps bake's imports working.
 */
import { EventLog, levelOf, type BakeEvent, type EventLevel } from '../events/index.js';

export type { BakeEvent, BakeEventCode, BakeEventSink } from '../events/index.js';
export type BakeEventLevel = EventLevel;

export class BakeEventLog extends EventLog<BakeEvent> {}

/** Level of each event (the registry's EVENT_LEVELS). */
export const bakeEventLevel = (event: BakeEvent): BakeEventLevel => levelOf(event);
