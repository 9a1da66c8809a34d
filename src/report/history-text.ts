/** The text of `asg-deploy history`: two lines per deploy, newest first. */
import { formatDuration } from '../core/index.js';
import type { DeployHistory } from './load-history.js';
import type { ActivityRow, DeployHistoryEntry } from './deploy-history.js';

/** `2026-01-01 12:04:05Z`: sortable, unambiguous, short. */
export function shortTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

const OUTCOME_TEXT: Record<DeployHistoryEntry['outcome'], string> = {
  succeeded: 'succeeded',
  'rolled-back': 'ROLLED BACK',
  failed: 'FAILED (left as is)',
  aborted: 'aborted',
  'in-progress': 'in progress',
  'awaiting-decision': 'AWAITING finish or rollback',
  interrupted: 'INTERRUPTED',
  unknown: 'unrecorded',
};

function versionText(e: DeployHistoryEntry): string {
  if (!e.fromVersion && !e.toVersion) return '';
  const image = e.fromImage || e.toImage ? ` (${e.fromImage ?? '?'} → ${e.toImage ?? '?'})` : '';
  return `version ${e.fromVersion ?? '?'} → ${e.toVersion ?? '?'}${image}`;
}

export function formatHistoryEntry(e: DeployHistoryEntry): string[] {
  const duration = e.durationSeconds !== undefined ? formatDuration(e.durationSeconds * 1000) : e.outcome === 'awaiting-decision' ? 'waiting' : 'running';
  const head = e.kind === 'unrecorded'
    ? [shortTime(e.startedAt), 'unrecorded change', versionText(e), duration, e.startedBy ? `by ${e.startedBy}` : '', `launched ${e.launched}, terminated ${e.terminated}`].filter(Boolean).join('  ')
    : [shortTime(e.startedAt), e.id, e.strategy ?? '?', OUTCOME_TEXT[e.outcome], versionText(e), duration, `by ${e.startedBy ?? 'unknown (not recorded)'}`].filter(Boolean).join('  ');
  const facts: string[] = [];
  if (e.lowestServing !== undefined) {
    facts.push(`lowest serving ${e.lowestServingEstimated ? '≈' : ''}${e.lowestServing}${e.floor !== undefined ? ` (floor ${e.floor})` : ' (floor not recorded)'}`);
  }
  if (e.kind === 'deploy') facts.push(`launched ${e.launched}, terminated ${e.terminated}${e.failedLaunches ? `, ${e.failedLaunches} failed launch(es)` : ''}`);
  if (e.groups.length > 1) facts.push(`groups ${e.groups.join(', ')}`);
  if (e.reason) facts.push(e.reason);
  return [head, `    ${facts.join(' · ')}`];
}

export function formatActivityRow(a: ActivityRow): string {
  return `${shortTime(a.startedAt)}  · ${a.group}: ${a.description} (${a.status}) — ${a.cause}`;
}

/** The whole listing; `activities` interleaves the scaling activities that belong to no deploy. */
export function formatHistory(h: DeployHistory, options: { limit: number; activities: boolean }): string[] {
  const entries = h.entries.slice(0, options.limit);
  const deploys = entries.filter((e) => e.kind === 'deploy').length;
  const lines = [`${h.groups.join(' + ')}: ${deploys} deploy(s)${entries.length > deploys ? ` and ${entries.length - deploys} unrecorded change(s)` : ''}, newest first (from the group's tags and scaling activities${h.entries.some((e) => e.sources.includes('event-log')) ? ' and this machine\'s event logs' : ''})`];
  if (entries.length === 0) lines.push('  no deploys and no scaling activities recorded (AWS keeps activities for about 6 weeks)');
  type Row = { t: number; lines: string[] };
  const rows: Row[] = entries.map((e) => ({ t: e.startedAt, lines: formatHistoryEntry(e) }));
  if (options.activities) {
    const oldest = entries.length === options.limit ? entries[entries.length - 1]!.startedAt : -Infinity;
    for (const a of h.otherActivities) if (a.startedAt >= oldest) rows.push({ t: a.startedAt, lines: [formatActivityRow(a)] });
  }
  rows.sort((a, b) => b.t - a.t);
  for (const r of rows) lines.push(...r.lines.map((l) => `  ${l}`));
  if (h.entries.length > entries.length) lines.push(`  … ${h.entries.length - entries.length} older (--limit ${h.entries.length} shows them)`);
  return lines;
}
