/**
 * The deploy report: one self-contained HTML file (inline CSS and SVG, no
 * script, no font or image fetched) that reads the same offline, in any
 * browser and on paper: a title with the outcome, the summary table, the
 * timeline chart with its legend, the moments that mattered, and the
 * instances involved.
 */
import { formatDuration } from '../core/index.js';
import type { DeployHistoryEntry } from './deploy-history.js';
import type { DeployTimeline } from './deploy-timeline.js';
import { shortTime } from './history-text.js';
import { escapeXml } from './svg.js';
import { renderTimelineSvg, versionColour } from './timeline-chart.js';

const OUTCOME_WORDS: Record<DeployHistoryEntry['outcome'], string> = {
  succeeded: 'succeeded',
  'rolled-back': 'rolled back',
  failed: 'failed, left as is',
  aborted: 'aborted',
  'in-progress': 'in progress',
  'awaiting-decision': 'switched: awaiting finish or rollback',
  interrupted: 'interrupted',
  unknown: 'outcome not recorded',
};

const SOURCE_WORDS: Record<string, string> = {
  record: 'the deployment record on the group',
  lock: 'its lock',
  last: 'the last-deploy tag on the group',
  'event-log': 'this machine\'s event log of the run',
  activities: 'the group\'s scaling activities',
};

export interface ReportMeta {
  /** When the report was made (Clock time). */
  generatedAt: number;
  groups: string[];
}

const h = escapeXml;

function row(label: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : `<tr><th scope="row">${h(label)}</th><td>${h(value)}</td></tr>`;
}

export function renderReportHtml(timeline: DeployTimeline, meta: ReportMeta): string {
  const d = timeline.deploy;
  const title = `${d.id ?? 'unrecorded change'} on ${meta.groups.join(' + ')}`;
  const outcomeClass = d.outcome === 'succeeded' ? 'ok' : d.outcome === 'in-progress' || d.outcome === 'awaiting-decision' || d.outcome === 'unknown' ? 'neutral' : 'bad';
  const images = d.fromImage || d.toImage ? `${d.fromImage ?? '?'} → ${d.toImage ?? '?'}` : undefined;
  const lowest = d.lowestServing !== undefined ? `${d.lowestServingEstimated ? '≈ ' : ''}${d.lowestServing}${timeline.floor !== undefined ? ` against a floor of ${timeline.floor}${timeline.floorSource === 'assumed' ? ' (assumed: 100 % of the instances serving at the start; the floor was not recorded)' : ''}` : ''}${d.lowestServingEstimated ? ' — estimated from InService times in the scaling activities' : ' — as the deploy counted it'}` : undefined;
  const summary = [
    row('deploy', d.id ?? 'not recorded'),
    row('group', d.groups.join(', ')),
    row('strategy', d.strategy),
    row('outcome', OUTCOME_WORDS[d.outcome]),
    row('reason', d.reason),
    row('versions', d.fromVersion || d.toVersion ? `${d.fromVersion ?? '?'} → ${d.toVersion ?? '?'}` : undefined),
    row('images', images),
    row('started by', d.startedBy ?? 'not recorded'),
    row('started', `${shortTime(d.startedAt)}`),
    row('ended', d.endedAt !== undefined ? shortTime(d.endedAt) : 'not yet'),
    row('duration', d.durationSeconds !== undefined ? formatDuration(d.durationSeconds * 1000) : undefined),
    row('lowest serving', lowest),
    row('instances', `${d.launched} launched, ${d.terminated} terminated${d.failedLaunches ? `, ${d.failedLaunches} failed launches` : ''}; ${timeline.instances.filter((i) => i.failed).length} failed before serving or were replaced as unhealthy`),
    row('reconstructed from', d.sources.map((s) => SOURCE_WORDS[s] ?? s).join(', ')),
  ].join('');

  const legend = timeline.versions
    .map((v) => {
      const colour = versionColour(timeline, v);
      const image = v === d.fromVersion ? d.fromImage : v === d.toVersion ? d.toImage : undefined;
      const role = v === d.fromVersion ? ' (before)' : v === d.toVersion ? ' (deployed)' : '';
      return `<li><span class="sw" style="background:${colour}"></span><span class="sw light" style="background:${colour}"></span>version ${h(v)}${h(role)}${image ? ` <code>${h(image)}</code>` : ''}</li>`;
    })
    .join('');

  const moments = timeline.markers.length
    ? `<table class="list"><thead><tr><th>time</th><th>since start</th><th>what</th></tr></thead><tbody>${timeline.markers
        .map((m) => `<tr class="m-${m.kind}"><td>${h(shortTime(m.t))}</td><td>${h(`${m.t < d.startedAt ? '−' : '+'}${formatDuration(Math.abs(m.t - d.startedAt))}`)}</td><td>${h(m.kind)}: ${h(m.label)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="note">No waves, checkpoints or alarms are known for this deploy: they come from the run\'s event log, which this machine does not have.</p>';

  const rel = (t: number | undefined) => (t === undefined ? '' : `${t < d.startedAt ? '−' : '+'}${formatDuration(Math.abs(t - d.startedAt))}`);
  const instances = `<table class="list"><thead><tr><th>instance</th><th>version</th><th>launched</th><th>in service</th><th>left</th><th></th></tr></thead><tbody>${timeline.instances
    .map(
      (i) =>
        `<tr><td><code>${h(i.id)}</code></td><td><span class="sw" style="background:${versionColour(timeline, i.version)}"></span>${h(i.version)}</td><td>${h(i.launchedAt === undefined ? 'before' : rel(i.launchedAt))}</td><td>${h(rel(i.readyAt))}</td><td>${h(rel(i.leftAt))}</td><td>${i.failed ? '<span class="bad">failed</span>' : ''}</td></tr>`,
    )
    .join('')}</tbody></table>`;

  const servingNote = timeline.servingSource === 'event-log'
    ? 'The black line is serving as the deploy counted it: InService, Healthy, healthy in every target group and warmed up.'
    : `The black line counts InService instances from the scaling activities of ${d.groups.length > 1 ? 'both groups' : 'the group'}${d.groups.length > 1 ? '' : ' (no event log of this run here)'}: target-group health is not in them, so it can read higher than what served.`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`asg-deploy report: ${title}`)}</title>
<style>
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fff;margin:24px auto;max-width:1000px;padding:0 16px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:13px;font-weight:600;vertical-align:middle}
.badge.ok{background:#d5f5e3;color:#145a32}.badge.bad{background:#fadbd8;color:#78281f}.badge.neutral{background:#eaecee;color:#34495e}
.sub{color:#555;margin:0 0 16px}
table{border-collapse:collapse}
table.summary th{text-align:left;font-weight:600;padding:3px 16px 3px 0;vertical-align:top;white-space:nowrap;color:#444}
table.summary td{padding:3px 0}
table.list{width:100%;font-size:13px}
table.list th{text-align:left;border-bottom:1px solid #bbb;padding:4px 8px 4px 0}
table.list td{border-bottom:1px solid #eee;padding:3px 8px 3px 0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:6px 20px;font-size:13px}
.legend .sw{margin-right:2px}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:6px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.sw.light{opacity:.4}
.key{display:inline-block;width:22px;height:0;border-top:2px solid #111;vertical-align:middle;margin-right:6px}
.key.floor{border-top:2px dashed #d0021b}
.note{color:#555;font-size:13px}
.bad{color:#a93226;font-weight:600}
.m-rollback td,.m-failed td{color:#922b21}
figure{margin:0}svg.timeline{max-width:100%;height:auto;display:block}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}figure,table{break-inside:avoid}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
</style>
</head>
<body>
<h1>${h(title)} <span class="badge ${outcomeClass}">${h(OUTCOME_WORDS[d.outcome])}</span></h1>
<p class="sub">${h(d.strategy ?? 'deploy')} ${h(d.fromVersion ?? '?')} → ${h(d.toVersion ?? '?')}, started ${h(shortTime(d.startedAt))}${d.durationSeconds !== undefined ? `, took ${h(formatDuration(d.durationSeconds * 1000))}` : ''}. Report made ${h(shortTime(meta.generatedAt))} by asg-deploy.</p>
<h2>Timeline</h2>
<figure>
${renderTimelineSvg(timeline)}
<figcaption>
<ul class="legend">${legend}<li><span class="key"></span>serving</li><li><span class="key floor"></span>floor</li></ul>
<p class="note">Bands stack the instances of each version: solid while serving, lighter while launching or not yet healthy, faint in Standby or draining. ${h(servingNote)} Red triangles mark instances that failed.</p>
</figcaption>
</figure>
<h2>Summary</h2>
<table class="summary"><tbody>${summary}</tbody></table>
<h2>What happened when</h2>
${moments}
<h2>Instances</h2>
${instances}
</body>
</html>
`;
}
