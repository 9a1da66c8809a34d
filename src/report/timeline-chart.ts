/**
 * The report's chart as inline SVG: instances by version and state over time
 * (stacked step bands, one colour per version: solid while serving, lighter
 * while launching, faint while in Standby or draining), the serving count as a
 * line against the floor (dashed red), and markers for waves, failures,
 * checkpoints, alarms, the traffic switch, the rollback and the end.
 *
 * Every band carries `data-version` and `data-state`, the floor line
 * `class="floor"` and `data-floor`, so tests (and people with a DOM inspector)
 * can find them; every shape has a `<title>` tooltip.
 */
import { formatDuration } from '../core/index.js';
import type { DeployTimeline, MarkerKind, VersionCounts } from './deploy-timeline.js';
import { el, num, text } from './svg.js';

/** Colour-blind-safe-ish hues, distinct in greyscale print too (Okabe–Ito inspired). */
export const VERSION_COLOURS = ['#0072b2', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#d55e00'] as const;
export const UNKNOWN_COLOUR = '#8a8a8a';

export function versionColour(timeline: DeployTimeline, version: string): string {
  if (version === '?') return UNKNOWN_COLOUR;
  return VERSION_COLOURS[timeline.versions.filter((v) => v !== '?').indexOf(version) % VERSION_COLOURS.length] ?? UNKNOWN_COLOUR;
}

const STATE_OPACITY: Record<keyof VersionCounts, number> = { serving: 0.85, launching: 0.4, idle: 0.18 };
const STATE_WORD: Record<keyof VersionCounts, string> = { serving: 'serving', launching: 'launching or not yet healthy', idle: 'standby or draining' };
const MARKER_COLOUR: Record<MarkerKind, string> = {
  wave: '#555555',
  failed: '#c0392b',
  rollback: '#c0392b',
  checkpoint: '#6c3483',
  alarm: '#d35400',
  switch: '#1a5276',
  interrupted: '#b9770e',
  done: '#1e8449',
  warning: '#b9770e',
};

function niceStep(range: number, target: number, steps: readonly number[]): number {
  for (const s of steps) if (range / s <= target) return s;
  return steps[steps.length - 1]!;
}

export interface ChartSize {
  width: number;
  height: number;
}

export function renderTimelineSvg(timeline: DeployTimeline, size: ChartSize = { width: 960, height: 400 }): string {
  const margin = { left: 46, right: 16, top: 64, bottom: 40 };
  const W = size.width - margin.left - margin.right;
  const H = size.height - margin.top - margin.bottom;
  const { start, end, samples } = timeline;
  const span = Math.max(1, end - start);
  const x = (t: number) => margin.left + ((Math.min(end, Math.max(start, t)) - start) / span) * W;
  const totals = samples.map((s) => Object.values(s.byVersion).reduce((n, c) => n + c.serving + c.launching + c.idle, 0));
  const yMax = Math.max(1, ...totals, timeline.floor ?? 0, ...samples.map((s) => s.serving)) + 1;
  const y = (n: number) => margin.top + H - (n / yMax) * H;
  const parts: string[] = [];

  // Axes and grid.
  const yStep = niceStep(yMax, 8, [1, 2, 5, 10, 20, 50, 100, 200, 500]);
  for (let n = 0; n <= yMax; n += yStep) {
    parts.push(el('line', { x1: margin.left, x2: margin.left + W, y1: y(n), y2: y(n), class: 'grid' }));
    parts.push(el('text', { x: margin.left - 6, y: y(n) + 4, class: 'tick', 'text-anchor': 'end' }, text(String(n))));
  }
  const tStep = niceStep(span, 10, [10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000]);
  const origin = timeline.deploy.startedAt;
  const firstTick = origin + Math.ceil((start - origin) / tStep) * tStep;
  // Ticks stop short of the right edge so the last label is not cut off.
  for (let t = firstTick; t <= end - tStep / 4; t += tStep) {
    parts.push(el('line', { x1: x(t), x2: x(t), y1: margin.top + H, y2: margin.top + H + 5, class: 'axis' }));
    const label = t === origin ? 'start' : `${t < origin ? '−' : '+'}${formatDuration(Math.abs(t - origin))}`;
    parts.push(el('text', { x: x(t), y: margin.top + H + 18, class: 'tick', 'text-anchor': 'middle' }, text(label)));
  }
  parts.push(el('line', { x1: margin.left, x2: margin.left + W, y1: y(0), y2: y(0), class: 'axis' }));
  parts.push(el('line', { x1: margin.left, x2: margin.left, y1: margin.top, y2: y(0), class: 'axis' }));
  parts.push(el('text', { x: margin.left + W, y: margin.top + H + 34, class: 'axis-label', 'text-anchor': 'end' }, text('time since the deploy started')));
  parts.push(el('text', { x: 12, y: margin.top + H / 2, class: 'axis-label', 'text-anchor': 'middle', transform: `rotate(-90 12 ${num(margin.top + H / 2)})` }, text('instances')));

  // Stacked step bands: every version's serving layer first (the part that counts against the floor), then launching, then idle.
  const layers: { version: string; state: keyof VersionCounts }[] = [];
  for (const state of ['serving', 'launching', 'idle'] as const) for (const version of timeline.versions) layers.push({ version, state });
  const below = samples.map(() => 0);
  for (const layer of layers) {
    const values = samples.map((s) => s.byVersion[layer.version]?.[layer.state] ?? 0);
    if (values.every((v) => v === 0)) continue;
    const upper: string[] = [];
    const lower: string[] = [];
    samples.forEach((s, i) => {
      const t1 = samples[i + 1]?.t ?? end;
      upper.push(`${num(x(s.t))},${num(y(below[i]! + values[i]!))}`, `${num(x(t1))},${num(y(below[i]! + values[i]!))}`);
      lower.push(`${num(x(s.t))},${num(y(below[i]!))}`, `${num(x(t1))},${num(y(below[i]!))}`);
    });
    const peak = Math.max(...values);
    parts.push(
      el(
        'path',
        {
          d: `M${upper.join('L')}L${lower.reverse().join('L')}Z`,
          fill: versionColour(timeline, layer.version),
          'fill-opacity': STATE_OPACITY[layer.state],
          class: 'band',
          'data-version': layer.version,
          'data-state': layer.state,
        },
        el('title', {}, text(`version ${layer.version}, ${STATE_WORD[layer.state]}: up to ${peak}`)),
      ),
    );
    values.forEach((v, i) => (below[i]! += v));
  }

  const servingPoints: string[] = [];
  samples.forEach((s, i) => {
    const t1 = samples[i + 1]?.t ?? end;
    servingPoints.push(`${num(x(s.t))},${num(y(s.serving))}`, `${num(x(t1))},${num(y(s.serving))}`);
  });
  parts.push(el('polyline', { points: servingPoints.join(' '), class: 'serving' }, el('title', {}, text(`serving (${timeline.servingSource === 'event-log' ? 'healthy in every target group, as the deploy counted' : 'InService, from scaling activities'})`))));

  // The floor, drawn over the serving line so its dashes show where the two meet.
  if (timeline.floor !== undefined) {
    const fy = y(timeline.floor);
    parts.push(
      el('line', { x1: margin.left, x2: margin.left + W, y1: fy, y2: fy, class: 'floor', 'data-floor': timeline.floor }, el('title', {}, text(`floor: at least ${timeline.floor} serving (${timeline.floorSource})`))),
    );
    parts.push(el('text', { x: margin.left + W - 4, y: fy - 5, class: 'floor-label', 'text-anchor': 'end' }, text(`floor ${timeline.floor}${timeline.floorSource === 'assumed' ? ' (assumed)' : ''}`)));
  }
  // Deploy start and end, then markers; labels on three staggered rows so neighbours do not overlap.
  parts.push(el('line', { x1: x(origin), x2: x(origin), y1: margin.top, y2: y(0), class: 'edge' }));
  const rowEnds = [-Infinity, -Infinity, -Infinity];
  for (const m of timeline.markers) {
    const mx = x(m.t);
    const colour = MARKER_COLOUR[m.kind];
    if (m.kind === 'failed') {
      parts.push(el('path', { d: `M${num(mx - 5)},${num(y(0) + 10)}L${num(mx + 5)},${num(y(0) + 10)}L${num(mx)},${num(y(0) + 1)}Z`, fill: colour, class: 'marker', 'data-kind': m.kind }, el('title', {}, text(m.label))));
      continue;
    }
    parts.push(el('line', { x1: mx, x2: mx, y1: margin.top - 4, y2: y(0), stroke: colour, class: 'marker', 'data-kind': m.kind }, el('title', {}, text(m.label))));
    const width = m.label.length * 6.2 + 6;
    let row = rowEnds.findIndex((endX) => endX < mx - 2);
    if (row < 0) row = rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = mx + width;
    parts.push(el('text', { x: mx + 3, y: margin.top - 46 + row * 16, fill: colour, class: 'marker-label' }, text(m.label)));
  }

  const style = el(
    'style',
    {},
    text(
      [
        'text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
        '.tick{font-size:11px;fill:#444}',
        '.axis-label{font-size:11px;fill:#666}',
        '.grid{stroke:#e6e6e6;stroke-width:1}',
        '.axis{stroke:#888;stroke-width:1}',
        '.band{stroke:none}',
        '.serving{fill:none;stroke:#111;stroke-width:2}',
        '.floor{stroke:#d0021b;stroke-width:2;stroke-dasharray:7 4}',
        '.floor-label{font-size:12px;font-weight:600;fill:#d0021b}',
        '.edge{stroke:#333;stroke-width:1;stroke-dasharray:2 3}',
        '.marker{stroke-width:1.2;stroke-dasharray:4 3}',
        '.marker-label{font-size:11px;font-weight:600}',
      ].join(''),
    ),
  );
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${size.width} ${size.height}`,
      width: size.width,
      height: size.height,
      role: 'img',
      'aria-label': `deploy ${timeline.deploy.id ?? ''} timeline: instances by version over time, serving against the floor`,
      class: 'timeline',
    },
    [style, ...parts],
  );
}
