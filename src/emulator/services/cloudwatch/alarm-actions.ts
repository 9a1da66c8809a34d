/**
 * Where an alarm's actions go (docs/emulator-automation.md E-28). CloudWatch
 * does not know Auto Scaling: a service that can run an action ARN registers a
 * runner here (Auto Scaling registers one for scaling-policy ARNs), so the
 * alarm evaluator needs no import of the services it drives.
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { RegionState, Simulation } from '../../world.js';

export interface AlarmActionContext {
  /** The state the alarm is in (the one whose actions run). */
  state: string;
  /** The value of the alarm's newest evaluated datapoint, if any (step scaling picks its step from it). */
  value?: number;
}

/** Runs `actionArn` if it is one this runner knows; returns whether it did something with it. */
export type AlarmActionRunner = (sim: Simulation, region: RegionState, actionArn: string, alarm: MetricAlarm, context: AlarmActionContext) => boolean;

const runners: AlarmActionRunner[] = [];

export function registerAlarmActionRunner(runner: AlarmActionRunner): void {
  if (!runners.includes(runner)) runners.push(runner);
}

/** Offers an action to every runner; true when one of them ran it. */
export function runAlarmAction(sim: Simulation, region: RegionState, actionArn: string, alarm: MetricAlarm, context: AlarmActionContext): boolean {
  for (const runner of runners) if (runner(sim, region, actionArn, alarm, context)) return true;
  return false;
}
