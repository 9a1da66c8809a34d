/** The live block on a terminal: state from events, a pure view, the driver that redraws it, colour and width helpers. */
export { LiveBlock, realEverySecond } from './live-block.js';
export type { EverySecond, LiveBlockOptions } from './live-block.js';
export { initialLiveState, reduceLiveState } from './live-state.js';
export type { LiveInstance, LiveInstanceState, LiveState, LiveWave } from './live-state.js';
export { liveView, WAVES_SHOWN } from './live-view.js';
export type { LiveViewOptions } from './live-view.js';
export { colorEnabled, createPalette } from './palette.js';
export type { Palette } from './palette.js';
export { fitToWidth, visibleLength } from './terminal-text.js';
