/**
 * asg-deploy as a library (package entry `asg-deploy`): the deploy
 * strategies, bake and prune, the AWS client factory they take, clocks, the
 * typed events and the one error type. The emulator is its own entry
 * (`asg-deploy/emulator`), the rehearsal fleet builder another
 * (`asg-deploy/testing`), so importing the library never loads them.
 *
 * @example
 *   import { createAwsClients, roll, RealClock, EventLog } from 'asg-deploy';
 *   const aws = createAwsClients({ region: 'eu-west-1', profile: 'prod' });
 *   const log = new EventLog();
 *   const result = await roll({ aws, clock: new RealClock(), emit: log.sink, owner: 'ci' }, { group: 'web', image: 'ami-0123456789abcdef0' });
 *   aws.destroy();
 */

// Deploys (deploys.md): every strategy, take-over, status.
export { roll, resume, abort, bluegreen, rollbackBlueGreen, finishBlueGreen, swap, shrink, describeFleetStatus } from './deploy/index.js';
export type { DeployContext, DeployResult, DeployOutcome, RollOptions, BlueGreenOptions, BlueGreenResult, SwapOptions, SwapResult, ShrinkOptions, FleetStatus } from './deploy/index.js';

// Images: bake, bake then roll, prune.
export { bakeImage, bakeAndRoll, prune } from './bake/index.js';
export type { BakeContext, BakeOptions, BakeResult, BakeAndRollResult, PruneOptions, PruneResult } from './bake/index.js';

// AWS: the one client factory.
export { createAwsClients } from './aws/index.js';
export type { AwsClients, AwsClientsOptions, AwsCallEvent } from './aws/index.js';

// Time.
export { RealClock, ScaledClock, ManualClock } from './clock/index.js';
export type { Clock } from './clock/index.js';

// Events (README "Events") and errors.
export { EventLog, EVENT_CODES, EVENT_LEVELS, levelOf, toJsonLine, eventsJsonSchema } from './events/index.js';
export type { AnyEvent, DeployEvent, BakeEvent, EventCode, EventOf, EventLevel, EventSink, BakeEventSink, AnyEventSink } from './events/index.js';
export { AsgDeployError, isAsgDeployError, ERROR_CODES } from './core/index.js';
export type { ErrorCode, Fault } from './core/index.js';

// The app inventory (asg-deploy.yaml).
export { loadInventory, resolveApp } from './config/index.js';
export type { Inventory, AppConfig } from './config/index.js';

// The CLI as a function: exec(argv) → exit code.
export { exec } from './cli/main.js';
export { ExitCode, exitCodeFor, exitCodeForError } from './cli/exit-codes.js';
