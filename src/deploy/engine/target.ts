/**
 * Resolving what a deploy goes to (a numeric launch template version, deploys.md
 * "target version") and what it comes from, with the preflight checks that
 * belong to them: the version exists, its AMI exists and is `available`
 * (launches from a pending AMI fail: E-12, seed 001).
 */
import type { AwsClients, Image, LaunchTemplateKey } from '../../aws/index.js';
import { AsgDeployError, type Group } from '../../core/index.js';

export interface TemplateVersionInfo {
  templateId: string;
  templateName?: string;
  version: number;
  imageId?: string;
}

export function groupTemplateKey(group: Group): LaunchTemplateKey {
  const lt = group.launchTemplate;
  if (!lt) {
    throw new AsgDeployError('BAD_INPUT', `group ${group.name} uses ${group.launchConfigurationName ? `launch configuration ${group.launchConfigurationName}` : 'no launch template'}; asg-deploy deploys launch template versions`, {
      hint: 'move the group to a launch template first (AWS: "Migrate your Auto Scaling groups to launch templates")',
    });
  }
  return lt.id ? { id: lt.id } : { name: lt.name! };
}

/** Resolves `$Latest`, `$Default` or a number on the group's template to a concrete version. */
export async function describeTemplateVersion(aws: AwsClients, template: LaunchTemplateKey, version: string): Promise<TemplateVersionInfo> {
  const versions = await aws.ec2.describeLaunchTemplateVersions(template, [version]);
  const v = versions[0];
  if (!v || v.VersionNumber === undefined) {
    throw new AsgDeployError('NOT_FOUND', `launch template ${template.id ?? template.name} has no version ${version}`, {
      hint: `list its versions with \`aws ec2 describe-launch-template-versions --launch-template-id ${template.id ?? '…'}\``,
    });
  }
  return { templateId: v.LaunchTemplateId!, templateName: v.LaunchTemplateName, version: v.VersionNumber, imageId: v.LaunchTemplateData?.ImageId };
}

/** Fails unless the image exists and is available. */
export async function assertImageAvailable(aws: AwsClients, imageId: string | undefined, what: string): Promise<void> {
  if (!imageId) {
    throw new AsgDeployError('BAD_INPUT', `${what} sets no ImageId`, { hint: 'give the launch template version an ImageId, or pass --image AMI' });
  }
  let images: Image[];
  try {
    images = await aws.ec2.describeImages({ imageIds: [imageId] });
  } catch (e) {
    if ((e as AsgDeployError).code === 'NOT_FOUND') images = [];
    else throw e;
  }
  const image = images[0];
  if (!image) {
    throw new AsgDeployError('NOT_FOUND', `image ${imageId} (${what}) does not exist or is not visible to this account`, {
      hint: 'check the id and the region; `aws ec2 describe-images --image-ids ' + imageId + '`',
    });
  }
  if (image.State !== 'available') {
    throw new AsgDeployError('BAD_INPUT', `image ${imageId} (${what}) is ${image.State}, not available: instances launched from it would fail`, {
      hint: image.State === 'pending' ? 'wait until it is available (`asg-deploy bake` waits by default), then deploy' : 'bake or pick another image',
    });
  }
}

/**
 * The version to deploy: `--template-version N` as given, or for `--image AMI`
 * the group's current version if it already runs that image (so a re-run after
 * success changes nothing), else a new version copied from the current one with
 * only ImageId changed (seed 001). `create: false` (dry run) never creates it.
 */
export async function resolveTargetVersion(
  aws: AwsClients,
  group: Group,
  current: TemplateVersionInfo,
  want: { templateVersion?: number; image?: string },
  create: boolean,
  ours: readonly string[] = [],
): Promise<{ target: TemplateVersionInfo; created: boolean; wouldCreate?: boolean }> {
  const key = groupTemplateKey(group);
  if (want.templateVersion !== undefined) {
    return { target: await describeTemplateVersion(aws, key, String(want.templateVersion)), created: false };
  }
  const image = want.image!;
  if (current.imageId === image) return { target: current, created: false };
  await assertImageAvailable(aws, image, '--image');
  await assertTemplateNotSharedAtLatest(aws, current, [group.name, ...ours]);
  // A dry run names the version it would create — the template's latest
  // number + 1 (CreateLaunchTemplateVersion numbers versions in sequence) —
  // without creating it.
  if (!create) {
    const latest = await describeTemplateVersion(aws, { id: current.templateId }, '$Latest');
    return { target: { ...current, version: latest.version + 1, imageId: image }, created: false, wouldCreate: true };
  }
  const v = await aws.ec2.createLaunchTemplateVersion({
    template: { id: current.templateId },
    sourceVersion: String(current.version),
    data: { ImageId: image },
    description: `asg-deploy: ${image} (from version ${current.version})`,
  });
  return { target: { templateId: v.LaunchTemplateId!, templateName: v.LaunchTemplateName, version: v.VersionNumber!, imageId: image }, created: true };
}

/**
 * Touch only the named group (issue 8): creating a launch template version
 * moves the template's `$Latest`, so every other group that launches the same
 * template at `$Latest` would launch the new image on its next scale-out.
 * Refuses (BAD_INPUT, before any version is created) naming those groups and
 * the ways out. (`$Default` does not move: asg-deploy never changes a
 * template's default version.) EC2 User Guide, "Modify a launch template
 * (manage launch template versions)": `$Latest` is the latest version.
 */
export async function assertTemplateNotSharedAtLatest(aws: AwsClients, template: TemplateVersionInfo, ours: readonly string[]): Promise<void> {
  const groups = await aws.autoscaling.describeGroups();
  const sharing = groups
    .map((d) => d.group)
    .filter((g) => !ours.includes(g.name) && g.launchTemplate !== undefined)
    .filter((g) => g.launchTemplate!.id === template.templateId || (g.launchTemplate!.id === undefined && template.templateName !== undefined && g.launchTemplate!.name === template.templateName))
    .filter((g) => g.launchTemplate!.version === '$Latest')
    .map((g) => g.name);
  if (sharing.length === 0) return;
  throw new AsgDeployError('BAD_INPUT', `launch template ${template.templateName ?? template.templateId} is also launched at $Latest by group${sharing.length > 1 ? 's' : ''} ${sharing.join(', ')}: a new version for --image would change what ${sharing.length > 1 ? 'they launch' : 'it launches'} on the next scale-out`, {
    hint: `pin ${sharing.length > 1 ? 'those groups' : 'that group'} to a version number (\`aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${sharing[0]} --launch-template LaunchTemplateId=${template.templateId},Version=${template.version}\`), give this group its own launch template, or create the version yourself and deploy it with --template-version N`,
    details: { groups: sharing, templateId: template.templateId },
  });
}
