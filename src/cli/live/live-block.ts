/**
 * The driver of the live block on a terminal: it folds events into the state
 * (live-state.ts), draws the view (live-view.ts) through `draw` (CliIo's
 * `liveBlock`), and redraws it every second on a real timer so elapsed time
 * and the ETA move when no event arrives. That timer is the UI's only own
 * time: what it shows is computed from `now()` (the tool's clock, simulated
 * under --time-scale) and the events' own `t`.
 */
import type { AnyEvent } from '../../events/index.js';
import { initialLiveState, reduceLiveState, type LiveState } from './live-state.js';
import { liveView } from './live-view.js';
import type { Palette } from './palette.js';

/** Calls `tick` every second until the returned function is called. */
export type EverySecond = (tick: () => void) => () => void;

/** A real one-second interval that never keeps the process alive on its own. */
export const realEverySecond: EverySecond = (tick) => {
  const timer = setInterval(tick, 1000);
  timer.unref();
  return () => clearInterval(timer);
};

export interface LiveBlockOptions {
  /** The tool's clock (epoch ms), the same one the events' `t` comes from. */
  now: () => number;
  palette: Palette;
  /** The terminal's width now (it can be resized while the block runs). */
  columns: () => number;
  everySecond?: EverySecond;
}

export class LiveBlock {
  private state: LiveState = initialLiveState();
  private shown = false;
  private stopTimer: (() => void) | undefined;

  /** `draw(lines)` replaces the block on the terminal; `draw(undefined)` erases it. */
  constructor(
    private readonly draw: (lines: string[] | undefined) => void,
    private readonly options: LiveBlockOptions,
  ) {}

  /** Takes one event into the state, without drawing. */
  apply(event: AnyEvent): void {
    this.state = reduceLiveState(this.state, event);
  }

  /** Whether a run is under way (the block is, or is about to be, on screen). */
  get active(): boolean {
    return this.state.active;
  }

  /** Draws the block as the state is now, or erases it when nothing runs; starts or stops the timer to match. */
  redraw(): void {
    if (!this.state.active) {
      this.close();
      return;
    }
    this.draw(liveView(this.state, this.options.now(), { columns: this.options.columns(), palette: this.options.palette }));
    this.shown = true;
    this.stopTimer ??= (this.options.everySecond ?? realEverySecond)(() => this.redraw());
  }

  /** Stops the timer and erases the block (at the end, on an error, on Ctrl-C). */
  close(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
    if (this.shown) {
      this.shown = false;
      this.draw(undefined);
    }
  }
}
