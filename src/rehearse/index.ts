/** Rehearsing a deploy on a copy of the live fleet (issue "Rehearse"). */
export { rehearse } from './rehearse.js';
export type { RehearsalOptions, RehearsalReport, RehearsalRun, RehearsalDeploy, RehearsalIds, RehearsedOutcome, RehearsalTimings } from './rehearse.js';
export { readFleetShape, templateIdOf } from './fleet-shape.js';
export type { FleetShape, PreparedInstanceShape, GroupShape, TemplateShape, TargetGroupShape, TemplateUser } from './fleet-shape.js';
export { replicateFleet, addAutomation } from './replicate.js';
export type { Replica, ReplicateOptions } from './replicate.js';
export { shapeProblems, runProblems, dedupeProblems } from './problems.js';
export type { RehearsalProblem, RehearsalObservations } from './problems.js';
