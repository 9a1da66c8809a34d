/** The deploy strategies, each a plug-in of the engine (engine/): roll, blue/green, swap, shrink. */
export { roll, resumeRoll, abortRoll, rollStrategy } from './roll.js';
export type { RollOptions } from './roll.js';
export { blueGreenStrategy, bluegreen, rollbackBlueGreen, finishBlueGreen, resumeBlueGreen, abortBlueGreen, blueGreenStatus, VERSION_TAG } from './bluegreen.js';
export type { BlueGreenOptions, BlueGreenResult, BlueGreenStep, PairTakeOverOptions, GroupTakeOverOptions } from './bluegreen.js';
export { findPair, liveAndIdle, pairRole, APP_TAG, COLOR_TAG } from './pair.js';
export type { FoundPair, PairQuery, PairRole } from './pair.js';
export { swapStrategy, swap, resumeSwap, abortSwap, SWAP_PROCESSES } from './swap.js';
export type { SwapOptions, SwapResult, SwapTakeOverOptions } from './swap.js';
export { shrinkStrategy, shrink, resumeShrink, abortShrink } from './shrink.js';
export type { ShrinkOptions, ShrinkTakeOverOptions, ShrinkTerminationPolicy } from './shrink.js';
export { moveScalingConfiguration, removeCopies } from './policies.js';
export type { MoveReport, MoveOptions } from './policies.js';
