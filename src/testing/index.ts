/** What tests, the benchmarks and the demo share: the rehearsal fleet builder and history checks (package entry `asg-deploy/testing`). */
export {
  startFleet,
  availableImage,
  waitFor,
  lowestServingSince,
  peakLaunchingOrServingSince,
  mutatingCallsBetween,
  groupFieldChanges,
  MUTATING_ACTION,
  FLEET_REGION,
  FLEET_CREDENTIALS,
} from './fleet.js';
export type { FleetOptions, FleetHealthCheck, TestFleet } from './fleet.js';
