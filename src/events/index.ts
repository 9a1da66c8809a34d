/** The one registry of typed events (deploy, bake/prune, the CLI's `error`), their levels, NDJSON form and JSON Schema. */
export { EVENT_LEVELS, EVENT_CODES, levelOf, EventLog, toJsonLine, errorEvent } from './registry.js';
export type {
  AnyEvent,
  AnyEventSink,
  BakeEvent,
  BakeEventCode,
  BakeEventSink,
  DeployEvent,
  DeployEventCode,
  EventCode,
  EventEnvelope,
  EventLevel,
  EventOf,
  EventPayloads,
  EventSink,
} from './registry.js';
export type { DeployEventPayloads } from './deploy-payloads.js';
export type { GuardrailEventPayloads } from './guardrail-payloads.js';
export type { BakeEventPayloads, SharedEventPayloads } from './bake-payloads.js';
export type { CliEventPayloads } from './cli-payloads.js';
export { EVENT_FIELDS } from './fields.js';
export type { FieldsOf } from './fields.js';
export { eventsJsonSchema, eventsJsonSchemaText, EVENTS_SCHEMA_PATH, resultLine } from './json-schema.js';
