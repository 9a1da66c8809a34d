/** The deploy engine: the run lifecycle every strategy shares (context, record and lock, wave loop, readiness wait, preflight, results). */
export type { DeployContext } from './context.js';
export { DEFAULT_POLL_INTERVAL_MS } from './context.js';
export { FIGHTING_PROCESSES, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_FAILED_LAUNCHES } from './types.js';
export type { DeployResult, DeployOutcome, TakeOverOptions } from './types.js';
export { RECORD_TAGS, decodeRecord, encodeRecord, decodeLock, encodeLock, newDeployId } from './record.js';
export type { DeploymentRecord, DeployLock, DeployPhase, DeployStrategy } from './record.js';
export { readRecord, readLock, lastDeploy, assertGroupFree, LOCK_TTL_MS } from './store.js';
export { readState, STATE_TAG, IDS_TAG_PREFIX } from './state.js';
export { converge, waitForRetired, Interrupted, pause } from './wave-loop.js';
export type { ConvergeOutcome, ConvergeSettings } from './wave-loop.js';
export { waitUntilReady, pollUntil, servingAcross } from './readiness-wait.js';
export { stateCodec, flag01, flagYes, undoOutcome } from './state.js';
export type { StateCodec, StrategyState } from './state.js';
export { runLeg, resumeWith, abortWith } from './strategy.js';
export type { Strategy, Resumption, UndoOutcome } from './strategy.js';
export { handOver, releaseLocks } from './hand-over.js';
export type { EngineRun, RunMember, RunCommands } from './hand-over.js';
