export type { Clock } from './clock.js';
export { RealClock, ScaledClock, ManualClock } from './clock.js';
export { VirtualClock } from './virtual-clock.js';
