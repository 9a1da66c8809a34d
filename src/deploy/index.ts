/** Deploy orchestration: strategies, the record and lock on the group, events. */
export { roll, resume, abort, FIGHTING_PROCESSES, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_FAILED_LAUNCHES } from './rolling.js';
export type { RollOptions, DeployResult, DeployOutcome, TakeOverOptions } from './rolling.js';
export { describeFleetStatus } from './status.js';
export type { FleetStatus, VersionCount } from './status.js';
export type { DeployContext } from './context.js';
export { DEFAULT_POLL_INTERVAL_MS } from './context.js';
export { EventLog, levelOf } from './events.js';
export type { DeployEvent, DeployEventCode, EventSink, EventLevel } from './events.js';
export { RECORD_TAGS, decodeRecord, encodeRecord, decodeLock, encodeLock, newDeployId } from './record.js';
export type { DeploymentRecord, DeployLock, DeployPhase, DeployStrategy } from './record.js';
export { readRecord, readLock, lastDeploy, assertGroupFree, LOCK_TTL_MS } from './store.js';
