export { startEmulator, createSimulation, credentialScope, MAX_BODY_BYTES } from './emulator.js';
export type { EmulatorOptions, RunningEmulator } from './emulator.js';
export { Simulation, DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './world.js';
export type { RegionState, RequestContext, Handler, SteerableClock } from './world.js';
export { History } from './history.js';
export type { HistoryEntry } from './history.js';
export { servingTimeline, lowestServing } from './serving.js';
export type { ServingPoint, ServingQuery } from './serving.js';
export { AwsError } from './aws-error.js';
