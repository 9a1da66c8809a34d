/** Metrics, load and the minute tick that drives alarms, policies and schedules (docs/emulator-automation.md). */
export { startAutomation, rearmAutomation, armMinuteTick, runMinute } from './minute-tick.js';
export { setLoad, loadsView, LoadError } from './load.js';
export { collectMinute, targetGroupDimension, loadBalancerDimension, groupMetricValues } from './collector.js';
export {
  MINUTE_MS,
  RETENTION_MINUTES,
  putDatapoint,
  seriesKey,
  sortDimensions,
  datapointsBetween,
  aggregate,
  statisticOf,
  percentileOf,
  periodStatistics,
  type StatisticSet,
} from './metric-store.js';
