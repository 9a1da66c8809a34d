/**
 * What prune keeps and what it deletes, decided from plain data and nothing
 * else (deploys.md "Bake and prune"). No I/O: prune.ts gathers the inputs and
 * carries the plan out; tests feed it every case.
 *
 * Which images are the app's: owned by this account (the inputs hold only
 * those) and tagged `app=APP` (bake tags every image so), or — images made
 * before that tag, by hand or by seed 001's script — with no `app` tag and
 * named exactly `PREFIX-YYYYMMDD-HHMMSS`. An image tagged for another app is
 * never the app's, whatever its name.
 *
 * An image of the app is kept, with every reason that applies, when it is:
 * - among the `keep` newest (by creation date; failed images do not count);
 * - younger than `olderThanMs`;
 * - still being created (`pending`, `transient`);
 * - the image of an instance that is not terminated (running, stopped, …);
 * - the image of the launch template version a group launches from (its
 *   number, or what its `$Latest`/`$Default` resolves to), of any template's
 *   `$Default` or `$Latest` version, or of a version an unfinished deploy on a
 *   group records (its rollback target);
 * - the image of any launch configuration.
 * Every other image of the app is deregistered, and its snapshots deleted
 * unless another image that stays still uses them.
 *
 * Launch template versions (only of the app's template, `prunable`): a version
 * is deleted only when its image is deregistered by this plan or no longer
 * exists — and never when it is the default, `$Latest`, launched by a group or
 * recorded by an unfinished deploy. A version whose image is kept stays (it is
 * what `roll --template-version N` rolls back to); so does one with no image
 * or with an image that is not the app's.
 *
 * @example
 *   const plan = planPrune({ app: 'web', namePrefix: 'web', keep: 5, now, images, instances, groups, templates, launchConfigurations });
 *   plan.delete.map((d) => d.image.imageId);
 */
import { AsgDeployError, formatDuration } from '../core/index.js';
import { isBakedName, BAKE_TAGS } from './tags.js';

export interface PruneImage {
  imageId: string;
  name: string;
  /** Epoch ms (the image's CreationDate). */
  createdAt: number;
  /** EC2 image state: `available`, `pending`, `failed`… */
  state: string;
  tags: Readonly<Record<string, string>>;
  snapshotIds: readonly string[];
}

export interface PruneInstance {
  instanceId: string;
  imageId: string;
  /** EC2 state; `terminated` ones use nothing. */
  state: string;
}

export interface PruneGroup {
  name: string;
  /** As the group names it: id or name, and a number, `$Latest` or `$Default`. */
  launchTemplate?: { id?: string; name?: string; version: string };
  launchConfigurationName?: string;
  /** An unfinished deploy on the group: the versions it moves between (its rollback target must stay launchable). */
  deploy?: { id: string; templateId: string; versions: readonly string[] };
}

export interface PruneTemplateVersion {
  version: number;
  imageId?: string;
}

export interface PruneTemplate {
  templateId: string;
  templateName: string;
  defaultVersion: number;
  latestVersion: number;
  /** Every version for a prunable template; for others, at least the default, the latest and those groups launch from. */
  versions: readonly PruneTemplateVersion[];
  /** The app's template: prune may delete its versions. */
  prunable: boolean;
}

export interface PruneLaunchConfiguration {
  name: string;
  imageId?: string;
}

export interface PruneInput {
  app: string;
  /** Images without an `app` tag count as the app's when named exactly PREFIX-YYYYMMDD-HHMMSS. */
  namePrefix: string;
  /** The newest images kept whatever else is true. */
  keep: number;
  /** Images younger than this are kept. */
  olderThanMs?: number;
  /** Clock time the ages are measured at. */
  now: number;
  /** Every image this account owns in the region (not only the app's: snapshots can be shared between images). */
  images: readonly PruneImage[];
  instances: readonly PruneInstance[];
  groups: readonly PruneGroup[];
  templates: readonly PruneTemplate[];
  launchConfigurations: readonly PruneLaunchConfiguration[];
  /** Images that versions of a prunable template name but that no longer exist. */
  missingImageIds?: readonly string[];
}

export type KeepReason =
  | { kind: 'newest'; keep: number; rank: number }
  | { kind: 'younger'; olderThanMs: number; ageMs: number }
  | { kind: 'pending'; state: string }
  | { kind: 'instance'; instanceId: string; state: string }
  | { kind: 'group'; group: string; templateId: string; templateName: string; version: number }
  | { kind: 'default-version'; templateId: string; templateName: string; version: number }
  | { kind: 'latest-version'; templateId: string; templateName: string; version: number }
  | { kind: 'deploy'; group: string; deployId: string; templateId: string; templateName: string; version: number }
  | { kind: 'launch-configuration'; name: string };

export interface ImageDecision {
  image: PruneImage;
  action: 'keep' | 'delete';
  /** Why it stays; empty when it goes. */
  reasons: KeepReason[];
}

export interface SnapshotDecision {
  snapshotId: string;
  /** The deregistered image it belonged to. */
  imageId: string;
  action: 'delete' | 'keep';
  /** With `keep`: the image that still uses it. */
  usedBy?: string;
}

export interface VersionDecision {
  templateId: string;
  templateName: string;
  version: number;
  imageId?: string;
  action: 'delete' | 'keep';
  reason: string;
}

export interface PrunePlan {
  /** The app's images, newest first. */
  images: ImageDecision[];
  keep: ImageDecision[];
  delete: ImageDecision[];
  snapshots: SnapshotDecision[];
  /** Versions of prunable templates, by template then number. */
  versions: VersionDecision[];
  /** Group references that point at nothing (said as warnings; they protect nothing). */
  unresolved: string[];
}

/** States in which an image will never become usable: they do not count toward the newest N. */
const BROKEN_STATES = new Set(['failed', 'error', 'invalid']);
/** States in which an image is still being made. */
const PENDING_STATES = new Set(['pending', 'transient']);
/** Instance states that hold on to their image. */
const GONE_INSTANCE_STATES = new Set(['terminated']);

/** Whether the image is the app's (see the file comment). */
export function belongsToApp(image: PruneImage, app: string, namePrefix: string): boolean {
  const tag = image.tags[BAKE_TAGS.app];
  if (tag !== undefined) return tag === app;
  return isBakedName(image.name, namePrefix);
}

/** One reason as a person reads it: "newest 5", "used by group web (version 7)". */
export function describeKeepReason(reason: KeepReason): string {
  switch (reason.kind) {
    case 'newest':
      return `newest ${reason.keep}`;
    case 'younger':
      return `younger than ${formatDuration(reason.olderThanMs)}`;
    case 'pending':
      return `still being created (${reason.state})`;
    case 'instance':
      return `used by instance ${reason.instanceId}${reason.state === 'running' ? '' : ` (${reason.state})`}`;
    case 'group':
      return `used by group ${reason.group} (version ${reason.version})`;
    case 'default-version':
      return `default version (${reason.templateName} version ${reason.version})`;
    case 'latest-version':
      return `latest version (${reason.templateName} version ${reason.version})`;
    case 'deploy':
      return `deploy ${reason.deployId} on group ${reason.group} (version ${reason.version})`;
    case 'launch-configuration':
      return `launch configuration ${reason.name}`;
  }
}

interface ResolvedRef {
  template: PruneTemplate;
  version: number;
  imageId?: string;
}

function findTemplate(templates: readonly PruneTemplate[], ref: { id?: string; name?: string }): PruneTemplate | undefined {
  if (ref.id !== undefined) return templates.find((t) => t.templateId === ref.id);
  return templates.find((t) => t.templateName === ref.name);
}

/** `$Latest`, `$Default` (or nothing) or a number → the version, as EC2 resolves it at launch (E-12). */
export function resolveVersionNumber(template: PruneTemplate, version: string | undefined): number | undefined {
  const spec = (version ?? '').trim();
  if (spec === '' || spec === '$Default') return template.defaultVersion;
  if (spec === '$Latest') return template.latestVersion;
  return /^\d+$/.test(spec) ? Number(spec) : undefined;
}

function resolveRef(templates: readonly PruneTemplate[], ref: { id?: string; name?: string }, version: string | undefined): ResolvedRef | undefined {
  const template = findTemplate(templates, ref);
  if (template === undefined) return undefined;
  const number = resolveVersionNumber(template, version);
  if (number === undefined) return undefined;
  const known = template.versions.find((v) => v.version === number);
  if (known === undefined) return undefined;
  return { template, version: number, ...(known.imageId === undefined ? {} : { imageId: known.imageId }) };
}

function compareNewestFirst(a: PruneImage, b: PruneImage): number {
  return b.createdAt - a.createdAt || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0) || (a.imageId < b.imageId ? 1 : -1);
}

export function planPrune(input: PruneInput): PrunePlan {
  if (!Number.isInteger(input.keep) || input.keep < 0) {
    throw new AsgDeployError('BAD_INPUT', `invalid keep ${String(input.keep)}: expected a whole number of images, 0 or more`, { details: { value: input.keep } });
  }
  if (input.olderThanMs !== undefined && !(input.olderThanMs >= 0)) {
    throw new AsgDeployError('BAD_INPUT', `invalid older-than ${String(input.olderThanMs)}: expected a duration of 0 or more`, { details: { value: input.olderThanMs } });
  }
  const unresolved: string[] = [];
  const reasonsByImage = new Map<string, KeepReason[]>();
  const addReason = (imageId: string | undefined, reason: KeepReason) => {
    if (imageId === undefined) return;
    const list = reasonsByImage.get(imageId);
    if (list) list.push(reason);
    else reasonsByImage.set(imageId, [reason]);
  };

  // What the account still uses, whoever's image it is.
  for (const instance of input.instances) {
    if (!GONE_INSTANCE_STATES.has(instance.state)) addReason(instance.imageId, { kind: 'instance', instanceId: instance.instanceId, state: instance.state });
  }
  /** Numbers of each template's versions that groups and unfinished deploys hold (they must not be deleted either). */
  const heldVersions = new Map<string, Map<number, string>>();
  const hold = (templateId: string, version: number, why: string) => {
    const held = heldVersions.get(templateId) ?? new Map<number, string>();
    if (!held.has(version)) held.set(version, why);
    heldVersions.set(templateId, held);
  };
  for (const group of input.groups) {
    const lt = group.launchTemplate;
    if (lt !== undefined) {
      const ref = resolveRef(input.templates, lt, lt.version);
      if (ref === undefined) {
        unresolved.push(`group ${group.name} launches from launch template ${lt.id ?? lt.name} version ${lt.version}, which was not found`);
      } else {
        hold(ref.template.templateId, ref.version, `used by group ${group.name}`);
        addReason(ref.imageId, { kind: 'group', group: group.name, templateId: ref.template.templateId, templateName: ref.template.templateName, version: ref.version });
      }
    }
    if (group.launchConfigurationName !== undefined && !input.launchConfigurations.some((lc) => lc.name === group.launchConfigurationName)) {
      unresolved.push(`group ${group.name} launches from launch configuration ${group.launchConfigurationName}, which was not found`);
    }
    const deploy = group.deploy;
    if (deploy !== undefined) {
      for (const version of deploy.versions) {
        const ref = resolveRef(input.templates, { id: deploy.templateId }, version);
        if (ref === undefined) continue;
        hold(ref.template.templateId, ref.version, `deploy ${deploy.id} on group ${group.name}`);
        addReason(ref.imageId, {
          kind: 'deploy',
          group: group.name,
          deployId: deploy.id,
          templateId: ref.template.templateId,
          templateName: ref.template.templateName,
          version: ref.version,
        });
      }
    }
  }
  for (const template of input.templates) {
    const image = (version: number) => template.versions.find((v) => v.version === version)?.imageId;
    const ids = { templateId: template.templateId, templateName: template.templateName };
    addReason(image(template.defaultVersion), { kind: 'default-version', ...ids, version: template.defaultVersion });
    addReason(image(template.latestVersion), { kind: 'latest-version', ...ids, version: template.latestVersion });
  }
  for (const lc of input.launchConfigurations) addReason(lc.imageId, { kind: 'launch-configuration', name: lc.name });

  // The app's images, newest first, and their own reasons.
  const appImages = input.images
    .filter((image) => image.state !== 'deregistered' && belongsToApp(image, input.app, input.namePrefix))
    .sort(compareNewestFirst);
  let rank = 0;
  const images: ImageDecision[] = appImages.map((image) => {
    const reasons: KeepReason[] = [];
    if (!BROKEN_STATES.has(image.state)) {
      rank++;
      if (rank <= input.keep) reasons.push({ kind: 'newest', keep: input.keep, rank });
    }
    const ageMs = input.now - image.createdAt;
    if (input.olderThanMs !== undefined && ageMs < input.olderThanMs) reasons.push({ kind: 'younger', olderThanMs: input.olderThanMs, ageMs });
    if (PENDING_STATES.has(image.state)) reasons.push({ kind: 'pending', state: image.state });
    reasons.push(...(reasonsByImage.get(image.imageId) ?? []));
    return { image, action: reasons.length > 0 ? 'keep' : 'delete', reasons };
  });
  const keep = images.filter((d) => d.action === 'keep');
  const remove = images.filter((d) => d.action === 'delete');
  const deleted = new Set(remove.map((d) => d.image.imageId));

  // Snapshots of deregistered images, unless an image that stays uses them too.
  const snapshotUser = new Map<string, string>();
  for (const image of input.images) {
    if (deleted.has(image.imageId) || image.state === 'deregistered') continue;
    for (const id of image.snapshotIds) if (!snapshotUser.has(id)) snapshotUser.set(id, image.imageId);
  }
  const snapshots: SnapshotDecision[] = [];
  const seen = new Set<string>();
  for (const d of remove) {
    for (const snapshotId of d.image.snapshotIds) {
      if (seen.has(snapshotId)) continue;
      seen.add(snapshotId);
      const usedBy = snapshotUser.get(snapshotId);
      snapshots.push(usedBy === undefined ? { snapshotId, imageId: d.image.imageId, action: 'delete' } : { snapshotId, imageId: d.image.imageId, action: 'keep', usedBy });
    }
  }

  // Versions of the app's template.
  const kept = new Set(keep.map((d) => d.image.imageId));
  const missing = new Set(input.missingImageIds ?? []);
  const versions: VersionDecision[] = [];
  for (const template of input.templates.filter((t) => t.prunable)) {
    const held = heldVersions.get(template.templateId);
    for (const v of [...template.versions].sort((a, b) => a.version - b.version)) {
      const decide = (action: 'keep' | 'delete', reason: string): VersionDecision => ({
        templateId: template.templateId,
        templateName: template.templateName,
        version: v.version,
        ...(v.imageId === undefined ? {} : { imageId: v.imageId }),
        action,
        reason,
      });
      const heldBy = held?.get(v.version);
      if (v.version === template.defaultVersion) versions.push(decide('keep', 'default version'));
      else if (v.version === template.latestVersion) versions.push(decide('keep', 'latest version ($Latest)'));
      else if (heldBy !== undefined) versions.push(decide('keep', heldBy));
      else if (v.imageId === undefined) versions.push(decide('keep', 'sets no image'));
      else if (deleted.has(v.imageId)) versions.push(decide('delete', `its image ${v.imageId} is deregistered`));
      else if (missing.has(v.imageId)) versions.push(decide('delete', `its image ${v.imageId} no longer exists`));
      else if (kept.has(v.imageId)) versions.push(decide('keep', `its image ${v.imageId} is kept`));
      else versions.push(decide('keep', `its image ${v.imageId} is not one of ${input.app}'s images`));
    }
  }
  return { images, keep, delete: remove, snapshots, versions, unresolved };
}
