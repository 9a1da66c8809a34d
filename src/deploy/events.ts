/**
 * Deploy events live in the one registry, src/events/ (deploy, bake and the
 * CLI's codes with their levels and payloads). This module keeps the deploy
 * engine's imports working.
 */
export { EventLog, levelOf } from '../events/index.js';
export type { DeployEvent, DeployEventCode, EventLevel, EventSink } from '../events/index.js';
