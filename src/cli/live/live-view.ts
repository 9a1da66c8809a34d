/**
 * The live block, as lines: a pure function of the state (live-state.ts) and
 * `now` (the tool's clock), so elapsed time and the ETA count on between
 * events. Every line fits the terminal's width (a wrapped line would break
 * the in-place redraw), and colour comes only from the palette it is given.
 */
import { formatDuration } from '../../core/index.js';
import type { Palette } from './palette.js';
import type { LiveInstance, LiveState, LiveWave } from './live-state.js';
import { fitToWidth, visibleLength } from './terminal-text.js';

export interface LiveViewOptions {
  /** The terminal's width: every line is cut to one column less (a line that fills the last column wraps on some terminals). */
  columns: number;
  palette: Palette;
}

/** Waves shown one bar each; older ones are summed up in one line, so the block stays short on a big fleet. */
export const WAVES_SHOWN = 3;

/** Whole seconds: a ticking clock shows 1m5s, not 1m4.6s. */
const clock = (ms: number) => formatDuration(Math.max(0, Math.floor(ms / 1000)) * 1000);

interface WaveCounts {
  ready: number;
  launching: number;
  failed: number;
}

function countWave(w: LiveWave): WaveCounts {
  const c = { ready: 0, launching: 0, failed: 0 };
  for (const i of w.instances) c[i.state]++;
  return c;
}

/** What joining means for the wave's instances, in words (issue 10: leaving Standby is not launching). */
function joining(instances: readonly LiveInstance[]): string {
  if (instances.length > 0 && instances.every((i) => i.via === 'standby')) return 'leaving Standby';
  if (instances.length > 0 && instances.every((i) => i.via === 'attach')) return 'warming up';
  return 'launching';
}

/** A bar of `width` cells: `filled` solid, then `partial` shaded, the rest empty; `marker` (the floor) drawn as │. */
function bar(p: Palette, width: number, total: number, filled: number, partial = 0, marker?: number): string {
  const scale = Math.max(total, 1);
  const solid = Math.min(width, Math.round((filled / scale) * width));
  const shaded = Math.min(width - solid, Math.round((partial / scale) * width));
  const cells = [...'█'.repeat(solid), ...'▒'.repeat(shaded), ...'░'.repeat(width - solid - shaded)];
  // The floor: the cell serving must reach to stay at it.
  const at = marker !== undefined && marker > 0 ? Math.min(width - 1, Math.max(0, Math.ceil((marker / scale) * width) - 1)) : -1;
  // Colour runs, not cells: one SGR pair per segment.
  const segment = (from: number, to: number) => {
    const text = cells.slice(from, to).join('');
    if (text === '') return '';
    return from >= solid + shaded ? p.dim(text) : from >= solid ? p.cyan(text) : p.green(text);
  };
  const split = (from: number, to: number) => {
    const edges = [from, Math.min(Math.max(solid, from), to), Math.min(Math.max(solid + shaded, from), to), to];
    return edges.slice(1).map((e, i) => segment(edges[i]!, e)).join('');
  };
  if (at < 0) return `[${split(0, width)}]`;
  return `[${split(0, at)}${p.yellow('│')}${split(at + 1, width)}]`;
}

function header(state: LiveState, now: number, p: Palette): string {
  const group = state.group ?? 'the group';
  let what: string;
  if (state.rollback) what = `${p.red(p.bold('rolling back'))} ${group} to version ${state.rollback.toVersion}`;
  else if (state.plan?.strategy === 'swap') what = `${p.bold('swap')} into ${group}`;
  else if (state.plan) what = `${p.bold(state.plan.strategy)} ${group}: version ${state.plan.fromVersion} → ${state.plan.toVersion}`;
  else if (state.progress) what = `${p.bold(state.progress.phase)} ${group} to version ${state.progress.targetVersion}`;
  else what = `${p.bold('deploy')} on ${group}`;
  const parts = [what];
  if (state.startedAt !== undefined) parts.push(`${clock(now - state.startedAt)} elapsed`);
  const pr = state.progress;
  if (pr?.etaSeconds !== undefined && !state.pause) {
    // The ETA counts down from the last progress event's estimate; the next event corrects it.
    const left = pr.etaSeconds * 1000 - (now - pr.t);
    parts.push(left >= 1000 ? `about ${clock(left)} left` : 'finishing');
    if (pr.etaReason) parts[parts.length - 1] += ` ${p.yellow(`(${pr.etaReason})`)}`;
  } else if (pr?.etaReason && !state.pause) {
    // No estimate, and the engine says why (e.g. a `wait` checkpoint pause ahead): say so, never make one up.
    parts.push(`time left unknown ${p.yellow(`(${pr.etaReason})`)}`);
  }
  return parts.join(' · ');
}

function waveLine(w: LiveWave, p: Palette, width: number): string {
  const c = countWave(w);
  const total = Math.max(w.launching, c.ready + c.launching, 1);
  const label = w.launching === 0 && w.wave === 1 && w.waves === 1 ? joining(w.instances) : `wave ${w.wave}/${Math.max(w.waves, w.wave)}`;
  const text = [`${c.ready}/${total} ready`];
  if (c.launching > 0) text.push(p.cyan(`${c.launching} ${joining(w.instances)}`));
  if (c.failed > 0) text.push(p.red(`${c.failed} failed`));
  return `  ${label.padEnd(9)} ${bar(p, width, total, c.ready, c.launching)}  ${text.join(', ')}`;
}

/** The newest wave's instances, each with its state (and how long it has been launching), as many as fit. */
function instanceLine(w: LiveWave, now: number, p: Palette, columns: number): string | undefined {
  if (w.instances.length === 0) return undefined;
  const verb = joining(w.instances);
  const chips = w.instances.map((i) =>
    i.state === 'ready' ? `${i.id} ${p.green('✓ ready')}` : i.state === 'failed' ? `${i.id} ${p.red('✗ failed')}` : `${i.id} ${p.cyan(verb)} ${clock(now - i.since)}`,
  );
  let line = '   ';
  for (let n = 0; n < chips.length; n++) {
    const more = chips.length - n - 1;
    const next = `${line}${n === 0 ? '' : ' · '}${chips[n]}`;
    const room = columns - 1 - (more > 0 ? ` +${more} more`.length : 0);
    if (visibleLength(next) > room && n > 0) return `${line} +${chips.length - n} more`;
    line = next;
  }
  return line;
}

function servingLine(state: LiveState, p: Palette, width: number): string | undefined {
  const pr = state.progress;
  if (!pr) return undefined;
  const scale = Math.max(pr.desired, pr.startDesired, pr.serving, pr.floor, 1);
  const below = pr.serving < pr.floor;
  const count = below ? p.red(`${pr.serving} serving`) : p.green(`${pr.serving} serving`);
  const old = pr.old > 0 || state.retired.length > 0 ? `; ${pr.old} old left${state.retired.length > 0 ? `, ${state.retired.length} retired` : ''}` : '';
  return `  ${'serving'.padEnd(9)} ${bar(p, width, scale, pr.serving, 0, pr.floor)}  ${count} (floor ${pr.floor})${old}`;
}

function guardrailLine(state: LiveState, now: number, p: Palette): string | undefined {
  const parts: string[] = [];
  if (state.pause) {
    parts.push(
      state.pause.until === undefined
        ? p.yellow(`paused at ${state.pause.percent}%, waiting for \`${state.pause.continueCommand}\``)
        : p.yellow(`paused at ${state.pause.percent}%, ${clock(state.pause.until - now)} left`),
    );
  }
  if (state.bake) parts.push(`baking, ${clock(state.bake.until - now)} left`);
  for (const a of state.alarms) parts.push(`alarm ${a.name} ${a.state === 'ALARM' ? p.red(a.state) : a.state === 'OK' ? p.green(a.state) : p.yellow(a.state)}`);
  if (state.checks.passed + state.checks.failed > 0) {
    parts.push(`checks ${state.checks.passed} passed${state.checks.failed > 0 ? `, ${p.red(`${state.checks.failed} failed`)}` : ''}`);
  }
  if (state.failedLaunches && state.failedLaunches.count > 0) parts.push(p.red(`failed launches ${state.failedLaunches.count}/${state.failedLaunches.max}`));
  if (state.held) parts.push(p.yellow(`${state.held.count} held in ${state.held.lifecycleState}`));
  return parts.length > 0 ? `  ${parts.join(' · ')}` : undefined;
}

/**
 * The block's lines at `now`; none when nothing runs.
 *
 * @example liveView(state, clock.now(), { columns: 100, palette: createPalette(false) })
 * // ['roll web: version 1 → 2 · 1m12s elapsed · about 3m10s left',
 * //  '  wave 2/3  [████████▒▒▒▒░░░░░░░░]  2/3 ready, 1 launching', …]
 */
export function liveView(state: LiveState, now: number, options: LiveViewOptions): string[] {
  if (!state.active) return [];
  const p = options.palette;
  const columns = Math.max(20, options.columns);
  const width = Math.max(8, Math.min(24, columns - 56));
  const lines: string[] = [];
  if (state.image) {
    const snap = state.image.snapshotProgress === undefined ? '' : `, snapshots ${state.image.snapshotProgress}`;
    lines.push(`${p.bold('bake')}: image ${state.image.imageId} pending · ${clock(now - state.image.since)} elapsed${snap}`);
  } else {
    lines.push(header(state, now, p));
    const earlier = state.waves.slice(0, -WAVES_SHOWN);
    if (earlier.length > 0) {
      const sum = earlier.map(countWave).reduce((a, c) => ({ ready: a.ready + c.ready, launching: a.launching + c.launching, failed: a.failed + c.failed }));
      lines.push(`  ${p.dim(`${earlier.length} earlier wave(s): ${sum.ready} ready${sum.failed > 0 ? `, ${sum.failed} failed` : ''}`)}`);
    }
    const shown = state.waves.slice(-WAVES_SHOWN);
    for (const w of shown) lines.push(waveLine(w, p, width));
    const newest = shown[shown.length - 1];
    const instances = newest && instanceLine(newest, now, p, columns);
    if (instances) lines.push(instances);
    const serving = servingLine(state, p, width);
    if (serving) lines.push(serving);
    const guard = guardrailLine(state, now, p);
    if (guard) lines.push(guard);
    if (state.waiting) lines.push(`  waiting: ${state.waiting.what} (${clock(now - state.waiting.t)})`);
  }
  return lines.map((l) => fitToWidth(l, columns - 1));
}
