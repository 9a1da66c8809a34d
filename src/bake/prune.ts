/**
 * `prune`: gathers what planPrune needs from AWS (the account's images, the
 * instances, groups and launch configurations that use them, the launch
 * template versions that are live), plans, and carries the plan out in the
 * order that never leaves a launchable reference to a missing image: launch
 * template versions first, then images, then their snapshots. A dry run
 * makes the same describes and no change.
 *
 * Race, documented rather than solved: a group repointed at an old version
 * between the describes and the deletes (seconds) is not seen; AWS offers no
 * lock over images. Run prune outside deploys, as `roll` runs outside prune.
 *
 * @example
 *   const result = await prune(ctx, { app: 'web', template: { name: 'web-lt' }, keep: 5, olderThanMs: 30 * 86_400_000, dryRun: true });
 *   result.plan.delete.map((d) => d.image.imageId);
 */
import type { Ec2Filter, Image, LaunchTemplateKey, LaunchTemplateVersion } from '../aws/index.js';
import { chunk } from '../aws/index.js';
import { DEFAULT_IMAGE_KEEP } from '../config/index.js';
import { AsgDeployError, isAsgDeployError } from '../core/index.js';
import { readRecord } from '../deploy/index.js';
import type { BakeContext } from './context.js';
import {
  belongsToApp,
  describeKeepReason,
  planPrune,
  type PruneGroup,
  type PruneImage,
  type PruneInput,
  type PrunePlan,
  type PruneTemplate,
} from './prune-plan.js';
import { resolveTemplate, type ResolvedTemplate } from './source.js';
import { snapshotIdsOf } from './wait-image.js';

export interface PruneOptions {
  /** The app whose images go (its `app` tag). Default: the template's name. */
  app?: string;
  /** Untagged images named exactly PREFIX-YYYYMMDD-HHMMSS count as the app's. Default: the app. */
  namePrefix?: string;
  /** The app's launch template: its versions whose images go are deleted too. */
  template?: LaunchTemplateKey;
  /** The newest images kept. Default 5. */
  keep?: number;
  /** Images younger than this are kept. */
  olderThanMs?: number;
  /** Describe and plan only. */
  dryRun?: boolean;
}

export interface PruneFailure {
  action: string;
  resource: string;
  message: string;
  code?: string;
}

export interface PruneResult {
  dryRun: boolean;
  app: string;
  namePrefix: string;
  templateId?: string;
  plan: PrunePlan;
  /** Done (or, on a dry run, what would be done). */
  deregistered: string[];
  deletedSnapshots: string[];
  deletedVersions: { templateId: string; version: number }[];
  failures: PruneFailure[];
  seconds: number;
}

/** Instance states that still hold their image (all but terminated). */
const LIVE_INSTANCE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];
/** Values per DescribeInstances filter. */
const FILTER_VALUES_PER_CALL = 200;
/** Deploy phases after which the record no longer needs its versions. */
const FINISHED_PHASES = new Set(['done', 'rolled-back', 'aborted']);

export function toPruneImage(image: Image): PruneImage {
  const created = Date.parse(image.CreationDate ?? '');
  return {
    imageId: image.ImageId ?? '',
    name: image.Name ?? '',
    createdAt: Number.isFinite(created) ? created : 0,
    state: image.State ?? 'unknown',
    tags: Object.fromEntries((image.Tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']]))),
    snapshotIds: snapshotIdsOf(image),
  };
}

function versionsOf(list: readonly LaunchTemplateVersion[]) {
  return list.flatMap((v) => (v.VersionNumber === undefined ? [] : [{ version: v.VersionNumber, ...(v.LaunchTemplateData?.ImageId ? { imageId: v.LaunchTemplateData.ImageId } : {}) }]));
}

/** Describes a single version, or undefined when it does not exist. */
async function describeVersion(ctx: BakeContext, templateId: string, version: number): Promise<LaunchTemplateVersion | undefined> {
  try {
    return (await ctx.aws.ec2.describeLaunchTemplateVersions({ id: templateId }, [String(version)]))[0];
  } catch (e) {
    if (isAsgDeployError(e, 'NOT_FOUND')) return undefined;
    throw e;
  }
}

/** Whether an image id no longer exists (or is deregistered); false when it exists or cannot be told. */
async function imageIsGone(ctx: BakeContext, imageId: string): Promise<boolean> {
  if (!/^ami-[0-9a-f]+$/.test(imageId)) return false;
  try {
    const [image] = await ctx.aws.ec2.describeImages({ imageIds: [imageId] });
    return image === undefined || image.State === 'deregistered';
  } catch (e) {
    if (isAsgDeployError(e, 'NOT_FOUND')) return true;
    throw e;
  }
}

export interface GatheredPrune {
  input: PruneInput;
  template?: ResolvedTemplate;
}

/** Every describe prune makes; no change. */
export async function gatherPruneInput(ctx: BakeContext, options: PruneOptions): Promise<GatheredPrune> {
  const { aws } = ctx;
  if (options.app === undefined && options.template === undefined) {
    throw new AsgDeployError('BAD_INPUT', 'prune needs an app or a launch template to know whose images to prune', {
      hint: 'pass --app NAME (from asg-deploy.yaml) or --template ID|NAME',
    });
  }
  const template = options.template === undefined ? undefined : await resolveTemplate(aws, options.template);
  const app = options.app ?? template!.templateName;
  const namePrefix = options.namePrefix ?? app;

  const images = (await aws.ec2.describeImages({ owners: ['self'] })).map(toPruneImage);
  const appImageIds = images.filter((i) => i.state !== 'deregistered' && belongsToApp(i, app, namePrefix)).map((i) => i.imageId);

  const instances: PruneInput['instances'][number][] = [];
  for (const ids of chunk(appImageIds, FILTER_VALUES_PER_CALL)) {
    const filters: Ec2Filter[] = [
      { Name: 'image-id', Values: ids },
      { Name: 'instance-state-name', Values: LIVE_INSTANCE_STATES },
    ];
    for (const i of await aws.ec2.findInstances(filters)) {
      if (i.InstanceId && i.ImageId) instances.push({ instanceId: i.InstanceId, imageId: i.ImageId, state: i.State?.Name ?? 'unknown' });
    }
  }

  const groups: PruneGroup[] = (await aws.autoscaling.describeGroups()).map(({ group }) => {
    let deploy: PruneGroup['deploy'];
    try {
      const record = readRecord(group);
      if (record !== undefined && !FINISHED_PHASES.has(record.phase)) deploy = { id: record.id, templateId: record.templateId, versions: [record.fromVersion, record.toVersion] };
    } catch (e) {
      ctx.emit({ t: ctx.clock.now(), app, code: 'warning', message: `group ${group.name}: ${(e as Error).message}` });
    }
    return {
      name: group.name,
      ...(group.launchTemplate === undefined ? {} : { launchTemplate: group.launchTemplate }),
      ...(group.launchConfigurationName === undefined ? {} : { launchConfigurationName: group.launchConfigurationName }),
      ...(deploy === undefined ? {} : { deploy }),
    };
  });

  const launchConfigurations = (await aws.autoscaling.describeLaunchConfigurations()).map((lc) => ({
    name: lc.name,
    ...(lc.imageId === undefined ? {} : { imageId: lc.imageId }),
  }));

  // Every template's $Default and $Latest, in one paginated call.
  const templates = new Map<string, PruneTemplate & { versions: { version: number; imageId?: string }[] }>();
  for (const v of await aws.ec2.describeLatestAndDefaultVersions()) {
    if (v.LaunchTemplateId === undefined || v.VersionNumber === undefined) continue;
    const t = templates.get(v.LaunchTemplateId) ?? {
      templateId: v.LaunchTemplateId,
      templateName: v.LaunchTemplateName ?? v.LaunchTemplateId,
      defaultVersion: 0,
      latestVersion: 0,
      versions: [],
      prunable: false,
    };
    if (v.DefaultVersion) t.defaultVersion = v.VersionNumber;
    // The answer holds the default and the latest version; the latest is the higher.
    t.latestVersion = Math.max(t.latestVersion, v.VersionNumber);
    if (!t.versions.some((x) => x.version === v.VersionNumber)) t.versions.push(...versionsOf([v]));
    templates.set(v.LaunchTemplateId, t);
  }
  if (template !== undefined) {
    const all = await aws.ec2.describeLaunchTemplateVersions({ id: template.templateId });
    const known = templates.get(template.templateId);
    templates.set(template.templateId, {
      templateId: template.templateId,
      templateName: template.templateName,
      defaultVersion: known?.defaultVersion || template.defaultVersion,
      latestVersion: Math.max(known?.latestVersion ?? 0, ...all.map((v) => v.VersionNumber ?? 0)),
      versions: versionsOf(all),
      prunable: true,
    });
  }
  // Numbered versions that groups and unfinished deploys hold, on templates not fully listed.
  const byName = (name: string) => [...templates.values()].find((t) => t.templateName === name);
  for (const group of groups) {
    const refs: { id?: string; name?: string; version: string }[] = [];
    if (group.launchTemplate) refs.push(group.launchTemplate);
    if (group.deploy) refs.push(...group.deploy.versions.map((version) => ({ id: group.deploy!.templateId, version })));
    for (const ref of refs) {
      if (!/^\d+$/.test(ref.version)) continue;
      const t = ref.id !== undefined ? templates.get(ref.id) : byName(ref.name ?? '');
      if (t === undefined || t.prunable) continue;
      const number = Number(ref.version);
      if (t.versions.some((v) => v.version === number)) continue;
      const found = await describeVersion(ctx, t.templateId, number);
      if (found !== undefined) t.versions.push(...versionsOf([found]));
    }
  }

  // Images the app's template still names but that are gone: their versions can go.
  const missingImageIds: string[] = [];
  if (template !== undefined) {
    const own = new Set(images.map((i) => i.imageId));
    const named = new Set(templates.get(template.templateId)!.versions.flatMap((v) => (v.imageId === undefined ? [] : [v.imageId])));
    for (const imageId of named) {
      if (!own.has(imageId) && (await imageIsGone(ctx, imageId))) missingImageIds.push(imageId);
    }
  }

  return {
    input: {
      app,
      namePrefix,
      keep: options.keep ?? DEFAULT_IMAGE_KEEP,
      ...(options.olderThanMs === undefined ? {} : { olderThanMs: options.olderThanMs }),
      now: ctx.clock.now(),
      images,
      instances,
      groups,
      templates: [...templates.values()],
      launchConfigurations,
      missingImageIds,
    },
    ...(template === undefined ? {} : { template }),
  };
}

function failureOf(action: string, resource: string, e: unknown): PruneFailure {
  const err = e as { message?: string; details?: { awsCode?: unknown } };
  const code = typeof err.details?.awsCode === 'string' ? err.details.awsCode : isAsgDeployError(e) ? e.code : undefined;
  return { action, resource, message: err.message ?? String(e), ...(code === undefined ? {} : { code }) };
}

/**
 * Plans and (unless `dryRun`) prunes. Failures of single deletes do not stop
 * the rest; they are reported as warnings and in `failures`.
 */
export async function prune(ctx: BakeContext, options: PruneOptions): Promise<PruneResult> {
  const started = ctx.clock.now();
  const dryRun = options.dryRun ?? false;
  const { input, template } = await gatherPruneInput(ctx, options);
  const plan = planPrune(input);
  const app = input.app;
  const now = () => ctx.clock.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  const deleteVersions = plan.versions.filter((v) => v.action === 'delete');
  const deleteSnapshots = plan.snapshots.filter((s) => s.action === 'delete');
  ctx.emit({
    t: now(),
    app,
    code: 'prune-plan',
    images: plan.images.length,
    keep: plan.keep.length,
    deleteImages: plan.delete.length,
    deleteSnapshots: deleteSnapshots.length,
    deleteVersions: deleteVersions.length,
    dryRun,
  });
  for (const message of plan.unresolved) ctx.emit({ t: now(), app, code: 'warning', message });
  for (const d of plan.keep) {
    ctx.emit({
      t: now(),
      app,
      code: 'image-kept',
      imageId: d.image.imageId,
      imageName: d.image.name,
      createdAt: iso(d.image.createdAt),
      reasons: d.reasons,
      because: d.reasons.map(describeKeepReason),
    });
  }
  for (const v of plan.versions.filter((x) => x.action === 'keep')) {
    ctx.emit({ t: now(), app, code: 'version-kept', templateId: v.templateId, templateName: v.templateName, version: v.version, ...(v.imageId ? { imageId: v.imageId } : {}), reason: v.reason });
  }
  for (const s of plan.snapshots.filter((x) => x.action === 'keep')) {
    ctx.emit({ t: now(), app, code: 'snapshot-kept', snapshotId: s.snapshotId, imageId: s.imageId, reason: `still used by image ${s.usedBy}` });
  }

  const failures: PruneFailure[] = [];
  const fail = (f: PruneFailure) => {
    failures.push(f);
    ctx.emit({ t: now(), app, code: 'warning', message: `could not ${f.action} ${f.resource}: ${f.message}` });
  };
  const deletedVersions: { templateId: string; version: number }[] = [];
  const deregistered: string[] = [];
  const deletedSnapshots: string[] = [];

  // 1. Versions first: none of them can then launch from an image about to go.
  const byTemplate = new Map<string, typeof deleteVersions>();
  for (const v of deleteVersions) byTemplate.set(v.templateId, [...(byTemplate.get(v.templateId) ?? []), v]);
  for (const [templateId, list] of byTemplate) {
    let done = new Set(list.map((v) => v.version));
    if (!dryRun) {
      try {
        const out = await ctx.aws.ec2.deleteLaunchTemplateVersions({ id: templateId }, list.map((v) => v.version));
        done = new Set(out.deleted);
        for (const f of out.failed) fail({ action: 'delete launch template version', resource: `${templateId} version ${f.version}`, message: f.message ?? 'refused', ...(f.code ? { code: f.code } : {}) });
      } catch (e) {
        fail(failureOf('delete launch template versions', `${templateId} versions ${list.map((v) => v.version).join(', ')}`, e));
        done = new Set();
      }
    }
    for (const v of list) {
      if (!done.has(v.version)) continue;
      deletedVersions.push({ templateId, version: v.version });
      ctx.emit({ t: now(), app, code: 'version-deleted', templateId, templateName: v.templateName, version: v.version, ...(v.imageId ? { imageId: v.imageId } : {}), dryRun });
    }
  }

  // 2. Images — but not one whose version AWS refused to delete: that refusal
  // (e.g. the version became the default meanwhile) means it is live again.
  const refused = new Set(deleteVersions.filter((v) => v.imageId !== undefined && !deletedVersions.some((d) => d.templateId === v.templateId && d.version === v.version)).map((v) => v.imageId!));
  for (const d of plan.delete) {
    if (refused.has(d.image.imageId)) {
      ctx.emit({ t: now(), app, code: 'warning', message: `kept image ${d.image.imageId}: a launch template version that uses it could not be deleted` });
      continue;
    }
    if (!dryRun) {
      try {
        await ctx.aws.ec2.deregisterImage(d.image.imageId);
      } catch (e) {
        fail(failureOf('deregister image', d.image.imageId, e));
        continue;
      }
    }
    deregistered.push(d.image.imageId);
    ctx.emit({ t: now(), app, code: 'image-deregistered', imageId: d.image.imageId, imageName: d.image.name, createdAt: iso(d.image.createdAt), dryRun });
  }

  // 3. Their snapshots (AWS refuses while a registered image still uses one: InvalidSnapshot.InUse).
  const gone = new Set(deregistered);
  for (const s of deleteSnapshots) {
    if (!gone.has(s.imageId)) continue;
    if (!dryRun) {
      try {
        await ctx.aws.ec2.deleteSnapshot(s.snapshotId);
      } catch (e) {
        fail(failureOf('delete snapshot', s.snapshotId, e));
        continue;
      }
    }
    deletedSnapshots.push(s.snapshotId);
    ctx.emit({ t: now(), app, code: 'snapshot-deleted', snapshotId: s.snapshotId, imageId: s.imageId, dryRun });
  }

  const seconds = Math.round((now() - started) / 1000);
  ctx.emit({
    t: now(),
    app,
    code: 'prune-done',
    dryRun,
    keptImages: plan.keep.length,
    deletedImages: deregistered.length,
    deletedSnapshots: deletedSnapshots.length,
    deletedVersions: deletedVersions.length,
    failures: failures.length,
    seconds,
  });
  return {
    dryRun,
    app,
    namePrefix: input.namePrefix,
    ...(template === undefined ? {} : { templateId: template.templateId }),
    plan,
    deregistered,
    deletedSnapshots,
    deletedVersions,
    failures,
    seconds,
  };
}
