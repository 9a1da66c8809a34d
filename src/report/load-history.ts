/**
 * Reads what `history` and `report` need from AWS, through the narrow clients
 * of src/aws/ only: the group (its tags hold the record, the lock, the last
 * deploy's summary and the ring of the ones before), its scaling activities (all pages, newest first, as far
 * back as AWS keeps them), and the images of the launch template versions
 * involved. Event logs on this machine are read when present, never required.
 */
import type { Activity, AwsClients, GroupDescription } from '../aws/index.js';
import { isAsgDeployError } from '../core/index.js';
import { APP_TAG, findPair, lastDeploy, readDeployRing, readLock, readRecord, readStrategyState, type DeployEvent } from '../deploy/index.js';
import { eventLogsForGroup, type Environment } from './event-log.js';
import { InstanceTimeline, stateChanges } from './instance-timeline.js';
import { mergeGroupHistories, reconstructHistory, type ActivityRow, type DeployHistoryEntry, type GroupHistorySources, type TemplateVersionFact } from './deploy-history.js';

/** More than six weeks of a busy group's activities is not kept by AWS anyway; this bounds the paging. */
const MAX_ACTIVITIES = 5000;

export interface HistoryOptions {
  /** The clock's now (an unexpired lock means the deploy is in progress). */
  now: number;
  /** Where event logs are looked for (XDG_STATE_HOME / HOME); `false` to ignore them. */
  env?: Environment | false;
}

export interface DeployHistory {
  /** The name asked for, and the groups read (two for a blue/green pair). */
  name: string;
  groups: string[];
  entries: DeployHistoryEntry[];
  otherActivities: ActivityRow[];
}

export interface LoadedGroup {
  description: GroupDescription;
  activities: Activity[];
  sources: GroupHistorySources;
}

/**
 * The groups behind a name: the pair of a blue/green app (tags
 * `asg-deploy:app`, or `APP-blue`/`APP-green`), the pair a group belongs to, or
 * the group alone.
 */
export async function resolveHistoryGroups(aws: AwsClients, name: string): Promise<string[]> {
  let app = name;
  try {
    const { group } = await aws.autoscaling.describeGroup(name);
    app = group.tags.find((t) => t.key === APP_TAG)?.value ?? '';
    if (!app) return [name];
  } catch (e) {
    if (!isAsgDeployError(e) || e.code !== 'GROUP_NOT_FOUND') throw e;
  }
  try {
    const pair = await findPair(aws, { app });
    return [pair.blue.group.name, pair.green.group.name];
  } catch (e) {
    if (isAsgDeployError(e) && e.code === 'GROUP_NOT_FOUND' && app !== name) return [name];
    throw e;
  }
}

/** One group's tags, activities and images, as reconstructHistory takes them. */
export async function loadGroup(aws: AwsClients, group: string, options: HistoryOptions): Promise<LoadedGroup> {
  const description = await aws.autoscaling.describeGroup(group);
  const activities = await aws.autoscaling.describeScalingActivities(group, { limit: MAX_ACTIVITIES });
  const record = readRecord(description.group);
  const logs: Map<string, DeployEvent[]> = options.env === false ? new Map() : eventLogsForGroup(group, options.env);
  const last = lastDeploy(description.group);
  const templateId = record?.templateId ?? last?.template ?? description.group.launchTemplate?.id;
  const templateVersions: TemplateVersionFact[] = [];
  if (templateId) {
    try {
      for (const v of await aws.ec2.describeLaunchTemplateVersions({ id: templateId })) {
        if (v.VersionNumber === undefined) continue;
        templateVersions.push({
          version: String(v.VersionNumber),
          createdAt: v.CreateTime?.getTime() ?? 0,
          createdBy: v.CreatedBy,
          description: v.VersionDescription,
          imageId: v.LaunchTemplateData?.ImageId,
        });
      }
    } catch {
      // A deleted template (prune) only costs the image and who columns.
    }
  }
  return {
    description,
    activities,
    sources: {
      group,
      now: options.now,
      record,
      strategyStep: readStrategyState(description.group).step,
      lock: readLock(description.group),
      last,
      ring: readDeployRing(description.group),
      activities,
      currentInstances: description.instances.map((i) => i.id),
      logs,
      templateVersions,
    },
  };
}

/**
 * The deploys of a group or a blue/green pair, newest first.
 *
 * @example
 *   const history = await loadHistory(aws, 'web', { now: clock.now() });
 *   history.entries[0]?.outcome; // 'succeeded'
 */
export async function loadHistory(aws: AwsClients, name: string, options: HistoryOptions): Promise<DeployHistory> {
  const groups = await resolveHistoryGroups(aws, name);
  const loaded = await Promise.all(groups.map((g) => loadGroup(aws, g, options)));
  const merged = mergeGroupHistories(loaded.map((l) => reconstructHistory(l.sources)));
  estimatePairServing(merged.entries, loaded, options.now);
  return { name, groups, ...merged };
}

/**
 * A deploy over both groups of a pair serves from both: its estimated lowest
 * serving is re-counted over the two groups' instances together (each group's
 * own estimate would read 0 for the group that starts empty).
 */
export function estimatePairServing(entries: DeployHistoryEntry[], loaded: readonly LoadedGroup[], now: number): void {
  for (const e of entries) {
    if (e.groups.length < 2 || e.lowestServingEstimated === false) continue;
    const own = loaded.filter((l) => e.groups.includes(l.sources.group));
    const timeline = new InstanceTimeline(stateChanges(own.flatMap((l) => l.activities)), own.flatMap((l) => l.sources.currentInstances));
    e.lowestServing = timeline.lowestServing(e.startedAt, e.endedAt ?? now);
    e.lowestServingEstimated = true;
  }
}
