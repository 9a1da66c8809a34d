/**
 * `bake` (deploys.md "Bake and prune", seed 001): an image of a source
 * instance (`NoReboot` unless asked), named `APP-YYYYMMDD-HHMMSS` and tagged;
 * a wait with progress until it is `available` (scale-outs from a pending
 * image fail, E-12); then a new launch template version copied from a source
 * version with only `ImageId` changed; optionally the template's default.
 *
 * Order matters: with `wait` (the default) the version is created only once
 * the image is available, so a group on `$Latest` never launches from a
 * pending image. With `wait: false` the version is created at once and a
 * warning says launches from it fail until the image is available.
 *
 * @example
 *   const baked = await bakeImage(ctx, { source: { instanceId: 'i-0123456789abcdef0' }, template: { name: 'web-lt' }, setDefault: true });
 *   baked.imageId; // 'ami-…'
 *   baked.version; // 8
 */
import type { LaunchTemplateKey } from '../aws/index.js';
import type { SourceInstanceSelector } from '../config/index.js';
import { AsgDeployError, isAsgDeployError } from '../core/index.js';
import type { BakeContext } from './context.js';
import { bakeTags, checkImageName, defaultImageName } from './tags.js';
import { resolveSourceInstance, resolveTemplate, resolveTemplateVersion, type ResolvedTemplate } from './source.js';
import { snapshotIdsOf, waitForImage } from './wait-image.js';

export interface BakeOptions {
  /** The instance to image: by id, or the one running instance carrying these tags. */
  source: SourceInstanceSelector;
  /** The launch template that gets the new version. */
  template: LaunchTemplateKey;
  /** The version the new one copies: a number, `$Latest` (default) or `$Default`. */
  sourceVersion?: string;
  /** The app the image belongs to (its `app` tag, which prune selects by). Default: the template's name. */
  app?: string;
  /** Default: the app. The image is named PREFIX-YYYYMMDD-HHMMSS (UTC, the tool's clock) unless `name` is given. */
  namePrefix?: string;
  name?: string;
  description?: string;
  /** Reboot the instance for a consistent file system. Default false (NoReboot, as seed 001). */
  reboot?: boolean;
  /** Extra tags; bake's own (app, source instance, creation time, template) win over them. */
  tags?: Readonly<Record<string, string>>;
  /** Make the new version the template's default. */
  setDefault?: boolean;
  /** Default true: wait until the image is available before creating the version. */
  wait?: boolean;
  /** Default 1 hour. */
  waitTimeoutMs?: number;
  /** A group that will deploy the new version: checked before anything is created (it must launch from this template). */
  forGroup?: string;
  /** Resolve and check everything, create nothing. */
  dryRun?: boolean;
}

export type BakeOutcome = 'baked' | 'planned';

export interface BakeResult {
  outcome: BakeOutcome;
  app: string;
  instanceId: string;
  /** Absent on a dry run. */
  imageId?: string;
  imageName: string;
  /** `available` after a wait, `pending` without one; `none` on a dry run. */
  imageState: string;
  snapshotIds: string[];
  tags: Record<string, string>;
  templateId: string;
  templateName: string;
  /** The version copied. */
  sourceVersion: number;
  /** The new version; absent on a dry run. */
  version?: number;
  /** Whether the new version is the template's default now. */
  isDefault: boolean;
  /** The default version before bake. */
  previousDefault: number;
  /** Clock seconds the command took. */
  seconds: number;
}

/** Fails unless `groupName` launches from `template` (else `--roll` would deploy a version of another template). */
export async function assertGroupUsesTemplate(ctx: BakeContext, groupName: string, template: ResolvedTemplate): Promise<void> {
  const { group } = await ctx.aws.autoscaling.describeGroup(groupName);
  const lt = group.launchTemplate;
  const same = lt !== undefined && (lt.id === template.templateId || (lt.id === undefined && lt.name === template.templateName));
  if (!same) {
    const uses = lt ? `launch template ${lt.id ?? lt.name}` : group.launchConfigurationName ? `launch configuration ${group.launchConfigurationName}` : 'no launch template';
    throw new AsgDeployError('BAD_INPUT', `group ${groupName} launches from ${uses}, not ${template.templateName} (${template.templateId}); its new version cannot be deployed there`, {
      hint: 'bake for the template the group uses (--template), or roll another group',
      details: { group: groupName, template: template.templateId },
    });
  }
}

export async function bakeImage(ctx: BakeContext, options: BakeOptions): Promise<BakeResult> {
  const started = ctx.clock.now();
  const template = await resolveTemplate(ctx.aws, options.template);
  const source = await resolveTemplateVersion(ctx.aws, template, options.sourceVersion ?? '$Latest');
  const sourceVersion = source.VersionNumber!;
  const instance = await resolveSourceInstance(ctx.aws, options.source);
  if (options.forGroup !== undefined) await assertGroupUsesTemplate(ctx, options.forGroup, template);

  const app = options.app ?? template.templateName;
  const imageName = checkImageName(options.name ?? defaultImageName(options.namePrefix ?? app, started), 'image name');
  const tags = bakeTags(options.tags ?? {}, { app, instanceId: instance.instanceId, createdAt: started, templateId: template.templateId });
  const reboot = options.reboot ?? false;
  const wait = options.wait ?? true;
  const dryRun = options.dryRun ?? false;
  ctx.emit({
    t: ctx.clock.now(),
    app,
    code: 'bake-plan',
    instanceId: instance.instanceId,
    templateId: template.templateId,
    templateName: template.templateName,
    sourceVersion,
    imageName,
    reboot,
    tags,
    setDefault: options.setDefault ?? false,
    wait,
    dryRun,
  });
  const base = {
    app,
    instanceId: instance.instanceId,
    imageName,
    tags,
    templateId: template.templateId,
    templateName: template.templateName,
    sourceVersion,
    previousDefault: template.defaultVersion,
  };
  const seconds = () => Math.round((ctx.clock.now() - started) / 1000);
  if (dryRun) return { ...base, outcome: 'planned', imageState: 'none', snapshotIds: [], isDefault: false, seconds: seconds() };

  const requestedAt = ctx.clock.now();
  let imageId: string;
  try {
    imageId = await ctx.aws.ec2.createImage({
      instanceId: instance.instanceId,
      name: imageName,
      description: options.description ?? `asg-deploy bake of ${instance.instanceId} for ${template.templateName} at ${new Date(started).toISOString()}`,
      noReboot: !reboot,
      tags,
    });
  } catch (e) {
    if (isAsgDeployError(e) && e.details?.awsCode === 'InvalidAMIName.Duplicate') {
      throw new AsgDeployError('BAD_INPUT', `an image named ${JSON.stringify(imageName)} already exists`, {
        hint: 'pass another --name (or wait a second: the default name has the time to the second)',
        details: { imageName },
        cause: e,
      });
    }
    throw e;
  }
  ctx.emit({ t: ctx.clock.now(), app, code: 'image-requested', imageId, imageName, instanceId: instance.instanceId, reboot });

  let imageState = 'pending';
  let snapshotIds: string[] = [];
  if (wait) {
    const image = await waitForImage(ctx, imageId, { requestedAt, ...(options.waitTimeoutMs === undefined ? {} : { timeoutMs: options.waitTimeoutMs }) });
    imageState = 'available';
    snapshotIds = snapshotIdsOf(image);
  }

  const created = await ctx.aws.ec2.createLaunchTemplateVersion({
    template: { id: template.templateId },
    sourceVersion: String(sourceVersion),
    data: { ImageId: imageId },
    description: `asg-deploy bake: ${imageName} from ${instance.instanceId} (copy of version ${sourceVersion})`.slice(0, 255),
  });
  const version = created.VersionNumber!;
  ctx.emit({
    t: ctx.clock.now(),
    app,
    code: 'template-version-created',
    templateId: template.templateId,
    templateName: template.templateName,
    version,
    sourceVersion,
    imageId,
    imageState,
  });
  if (!wait) {
    ctx.emit({
      t: ctx.clock.now(),
      app,
      code: 'warning',
      message: `image ${imageId} is still pending: instances launched from ${template.templateName} version ${version} fail until it is available`,
    });
  }

  let isDefault = false;
  if (options.setDefault) {
    await ctx.aws.ec2.modifyLaunchTemplate({ id: template.templateId }, String(version));
    isDefault = true;
    ctx.emit({ t: ctx.clock.now(), app, code: 'default-version-set', templateId: template.templateId, templateName: template.templateName, version, previous: template.defaultVersion });
  }

  ctx.emit({ t: ctx.clock.now(), app, code: 'bake-done', imageId, imageName, imageState, templateId: template.templateId, version, isDefault, seconds: seconds() });
  return { ...base, outcome: 'baked', imageId, imageState, snapshotIds, version, isDefault, seconds: seconds() };
}
