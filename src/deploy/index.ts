/**
 * Deploy orchestration. The layout: `engine/` owns the run lifecycle every
 * strategy shares (record and lock, wave loop, readiness wait, preflight,
 * results); `strategies/` holds the plug-ins (roll, bluegreen, swap, shrink);
 * `registry.ts` maps a record's strategy to its resume/abort; `guardrail.ts`
 * is the contract with the checks beyond health; `events.ts` the event codes.
 */
export { roll, resumeRoll, abortRoll } from './strategies/roll.js';
export type { RollOptions } from './strategies/roll.js';
export { resume, abort, resumeStrategy, abortStrategy, recordStrategy, STRATEGIES, STRATEGY_PLUGINS } from './registry.js';
export type { Strategy, Resumption, UndoOutcome } from './engine/strategy.js';
export type { StateCodec } from './engine/state-codec.js';
export type { StrategyTakeOver } from './registry.js';
export { FIGHTING_PROCESSES, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_FAILED_LAUNCHES } from './engine/types.js';
export type { DeployResult, DeployOutcome, TakeOverOptions } from './engine/types.js';
export { describeFleetStatus } from './status.js';
export type { FleetStatus, VersionCount } from './status.js';
export type { DeployContext } from './engine/context.js';
export { DEFAULT_POLL_INTERVAL_MS } from './engine/context.js';
export { EventLog, levelOf } from './events.js';
export type { DeployEvent, DeployEventCode, EventSink, EventLevel } from './events.js';
export { RECORD_TAGS, decodeRecord, encodeRecord, decodeLock, encodeLock, newDeployId } from './engine/record.js';
export type { DeploymentRecord, DeployLock, DeployPhase, DeployStrategy } from './engine/record.js';
export { readRecord, readLock, lastDeploy, assertGroupFree, LOCK_TTL_MS } from './engine/store.js';
export { readDeployRing, decodeRing, encodeRing, RING_TAG_PREFIX, RING_TAG_COUNT } from './engine/deploy-ring.js';
export type { DeploySummary } from './engine/deploy-ring.js';
export { bluegreen, rollbackBlueGreen, finishBlueGreen, resumeBlueGreen, abortBlueGreen, blueGreenStatus, VERSION_TAG } from './strategies/bluegreen.js';
export type { BlueGreenOptions, BlueGreenResult, BlueGreenStep, PairTakeOverOptions, GroupTakeOverOptions } from './strategies/bluegreen.js';
export { findPair, liveAndIdle, pairRole, APP_TAG, COLOR_TAG } from './strategies/pair.js';
export type { FoundPair, PairQuery, PairRole } from './strategies/pair.js';
export { swap, resumeSwap, abortSwap, SWAP_PROCESSES } from './strategies/swap.js';
export type { SwapOptions, SwapResult, SwapTakeOverOptions } from './strategies/swap.js';
export { shrink, resumeShrink, abortShrink } from './strategies/shrink.js';
export type { ShrinkOptions, ShrinkTakeOverOptions, ShrinkTerminationPolicy } from './strategies/shrink.js';
export { moveScalingConfiguration, removeCopies } from './strategies/policies.js';
export type { MoveReport, MoveOptions } from './strategies/policies.js';
export { readState as readStrategyState, STATE_TAG, IDS_TAG_PREFIX } from './engine/state.js';
export { PASS } from './guardrail.js';
export type { Guardrail, GuardVerdict, GuardContext, CandidateInstance, DeployProgress, PauseRequest, GuardrailOptions } from './guardrail.js';
