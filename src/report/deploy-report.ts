/**
 * `report`: finds a deploy of a group (the newest, or one by id), builds its
 * timeline from what AWS keeps (and the run's event log when this machine has
 * it), and writes the self-contained HTML file.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AwsClients } from '../aws/index.js';
import { AsgDeployError, instanceVersion } from '../core/index.js';
import type { DeployEvent } from '../deploy/index.js';
import { mergeGroupHistories, reconstructHistory, type DeployHistoryEntry } from './deploy-history.js';
import { buildTimeline, type DeployTimeline } from './deploy-timeline.js';
import { readEventLog, type Environment } from './event-log.js';
import { InstanceTimeline, stateChanges } from './instance-timeline.js';
import { estimatePairServing, loadGroup, resolveHistoryGroups } from './load-history.js';
import { renderReportHtml } from './report-html.js';

export interface DeployReportOptions {
  now: number;
  /** A deploy id from `history`; default the newest deploy. */
  deployId?: string;
  /** Where event logs are looked for; `false` to ignore them. */
  env?: Environment | false;
  /** The run's events when the caller holds them (the demo), instead of the event log file. */
  events?: readonly DeployEvent[];
}

export interface DeployReport {
  groups: string[];
  deploy: DeployHistoryEntry;
  timeline: DeployTimeline;
  html: string;
}

/**
 * The report of one deploy, in memory.
 *
 * @example
 *   const { html, deploy } = await buildDeployReport(aws, 'web', { now: clock.now() });
 */
export async function buildDeployReport(aws: AwsClients, name: string, options: DeployReportOptions): Promise<DeployReport> {
  const groups = await resolveHistoryGroups(aws, name);
  const loaded = await Promise.all(groups.map((g) => loadGroup(aws, g, { now: options.now, env: options.env })));
  if (options.events && options.deployId) for (const l of loaded) l.sources.logs = new Map([[options.deployId, options.events]]);
  const { entries } = mergeGroupHistories(loaded.map((l) => reconstructHistory(l.sources)));
  estimatePairServing(entries, loaded, options.now);
  const deploys = entries.filter((e) => e.kind === 'deploy');
  const deploy = options.deployId ? entries.find((e) => e.id === options.deployId) : deploys[0];
  if (!deploy) {
    const known = deploys.slice(0, 5).map((e) => e.id).join(', ');
    throw new AsgDeployError(
      'NOT_FOUND',
      options.deployId ? `no deploy ${options.deployId} on ${groups.join(' + ')}${known ? ` (known: ${known})` : ''}` : `no deploy recorded on ${groups.join(' + ')}`,
      { hint: `list the group's deploys with \`asg-deploy history ${name}\`; a deploy older than the last 24 the group keeps summaries of is kept only in this machine's event logs` },
    );
  }
  const own = loaded.filter((l) => deploy.groups.includes(l.sources.group));
  const instances = new InstanceTimeline(
    stateChanges(own.flatMap((l) => l.activities)),
    own.flatMap((l) => l.description.instances.map((i) => i.id)),
  );
  const currentVersions = new Map<string, string>();
  for (const l of own) {
    for (const i of l.description.instances) {
      const v = instanceVersion(i);
      if (v !== undefined) currentVersions.set(i.id, String(v));
    }
  }
  const events = options.events ?? (deploy.id && options.env !== false ? readEventLog(deploy.id, options.env) : undefined);
  const timeline = buildTimeline({ deploy, instances, currentVersions, events, now: options.now });
  const html = renderReportHtml(timeline, { generatedAt: options.now, groups: deploy.groups });
  return { groups, deploy, timeline, html };
}

/** The default file name: `asg-deploy-report-<group>-<deploy id>.html` in the working directory. */
export function defaultReportPath(report: Pick<DeployReport, 'deploy' | 'groups'>): string {
  const id = report.deploy.id ?? `unrecorded-${new Date(report.deploy.startedAt).toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  return resolve(`asg-deploy-report-${report.deploy.groups[0] ?? report.groups[0]}-${id}.html`.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/**
 * Builds the report and writes it: the demo calls this after each act, `report` after its flags.
 * Returns the absolute path written.
 */
export async function writeDeployReport(aws: AwsClients, name: string, options: DeployReportOptions & { out?: string }): Promise<{ path: string; report: DeployReport }> {
  const report = await buildDeployReport(aws, name, options);
  const path = options.out ? resolve(options.out) : defaultReportPath(report);
  writeFileSync(path, report.html);
  return { path, report };
}
