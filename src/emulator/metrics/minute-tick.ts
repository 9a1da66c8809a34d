/**
 * The region's minute tick (docs/emulator-automation.md E-24 … E-30): on each
 * whole simulated minute, publish the minute that just ended, evaluate every
 * alarm (their actions run scaling policies), then fire the scheduled actions
 * that have come due. One event per region on the simulation's scheduler, so
 * a ManualClock test is deterministic.
 *
 * The tick's next instant is plain state (`cloudwatch.nextMinuteAt`); after a
 * state file is loaded, `rearmAutomation(sim)` puts the ticks back on the
 * scheduler.
 */
import type { ScheduledEvent } from '../scheduler.js';
import type { RegionState, Simulation } from '../world.js';
import { fireDueScheduledActions, runPolicyFromAlarm } from '../services/autoscaling/index.js';
import { evaluateAlarms, registerAlarmActionRunner } from '../services/cloudwatch/index.js';
import { collectMinute } from './collector.js';
import { MINUTE_MS } from './metric-store.js';

const armed = new WeakMap<RegionState, ScheduledEvent>();

/** One tick's work at instant `at` (a whole minute). */
export function runMinute(sim: Simulation, region: RegionState, at: number): void {
  collectMinute(region, at - MINUTE_MS);
  evaluateAlarms(sim, region);
  fireDueScheduledActions(sim, region);
}

/** Puts the region's next tick on the scheduler (replacing one already there). */
export function armMinuteTick(sim: Simulation, region: RegionState): void {
  sim.scheduler.cancel(armed.get(region));
  const at = region.cloudwatch.nextMinuteAt ?? (Math.floor(sim.now / MINUTE_MS) + 1) * MINUTE_MS;
  region.cloudwatch.nextMinuteAt = at;
  armed.set(
    region,
    sim.scheduler.at(at, `automation:minute:${region.region}`, () => {
      if (!sim.allRegions().includes(region)) return; // reset since
      // Re-arm first: a failure in this minute's work must not stop the clock's automation.
      region.cloudwatch.nextMinuteAt = at + MINUTE_MS;
      armMinuteTick(sim, region);
      runMinute(sim, region, at);
    }),
  );
}

/** Starts the automation on a simulation: the alarm → policy link and a minute tick in every region. */
export function startAutomation(sim: Simulation): void {
  registerAlarmActionRunner(runPolicyFromAlarm);
  sim.onRegionCreated((region) => armMinuteTick(sim, region));
}

/** After a state load: every region's tick back on the scheduler, at the instant the state names. */
export function rearmAutomation(sim: Simulation): void {
  for (const region of sim.allRegions()) armMinuteTick(sim, region);
}
