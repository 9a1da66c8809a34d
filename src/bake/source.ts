/**
 * What bake starts from: the launch template (by id or name), the version it
 * copies, and the instance it images (by id, or the one running instance that
 * carries the config's tags). Every "not found" names what was asked for.
 */
import type { AwsClients, Ec2Filter, LaunchTemplate, LaunchTemplateKey, LaunchTemplateVersion } from '../aws/index.js';
import type { SourceInstanceSelector } from '../config/index.js';
import { LAUNCH_TEMPLATE_ID, INSTANCE_ID } from '../config/index.js';
import { AsgDeployError, isAsgDeployError } from '../core/index.js';

export interface ResolvedTemplate {
  templateId: string;
  templateName: string;
  defaultVersion: number;
  latestVersion: number;
}

export interface SourceInstance {
  instanceId: string;
  /** EC2 state: `running` or `stopped` (CreateImage takes either). */
  state: string;
  /** How it was found: the id given, or the tags it carries. */
  foundBy: 'id' | 'tags';
}

const label = (key: LaunchTemplateKey) => key.id ?? key.name ?? '?';

/** `lt-…` (17 hex digits) is an id, anything else a name (as config's LAUNCH_TEMPLATE reads it). */
export function templateKeyOf(value: string): LaunchTemplateKey {
  return LAUNCH_TEMPLATE_ID.test(value) ? { id: value } : { name: value };
}

/** A `--source-version`: a version number, `$Latest` or `$Default`; BAD_INPUT naming the value otherwise. */
export function parseSourceVersion(value: string, what = '--source-version'): string {
  const text = value.trim();
  if (/^[1-9]\d*$/.test(text) || text === '$Latest' || text === '$Default') return text;
  throw new AsgDeployError('BAD_INPUT', `invalid ${what} ${JSON.stringify(value)}: expected a version number, $Latest or $Default`, {
    hint: `e.g. ${what} 7, or ${what} '$Default' (quote the $ from the shell)`,
    details: { value },
  });
}

export async function resolveTemplate(aws: AwsClients, key: LaunchTemplateKey): Promise<ResolvedTemplate> {
  if (key.id !== undefined && !LAUNCH_TEMPLATE_ID.test(key.id)) {
    throw new AsgDeployError('BAD_INPUT', `invalid launch template id ${JSON.stringify(key.id)}: expected lt- and 17 hex digits`, { details: { value: key.id } });
  }
  let found: LaunchTemplate[];
  try {
    found = await aws.ec2.describeLaunchTemplates(key.id !== undefined ? { ids: [key.id] } : { names: [key.name!] });
  } catch (e) {
    if (!isAsgDeployError(e, 'NOT_FOUND') && !isAsgDeployError(e, 'AWS_VALIDATION')) throw e;
    found = [];
  }
  const t = found[0];
  if (t?.LaunchTemplateId === undefined) {
    throw new AsgDeployError('NOT_FOUND', `launch template ${JSON.stringify(label(key))} not found in this region`, {
      hint: 'check the id or name and the region: `aws ec2 describe-launch-templates --query "LaunchTemplates[].[LaunchTemplateId,LaunchTemplateName]"`',
      details: { template: label(key) },
    });
  }
  return {
    templateId: t.LaunchTemplateId,
    templateName: t.LaunchTemplateName ?? t.LaunchTemplateId,
    defaultVersion: t.DefaultVersionNumber ?? 1,
    latestVersion: t.LatestVersionNumber ?? 1,
  };
}

/** The version to copy (`$Latest`, `$Default` or a number), with its data. */
export async function resolveTemplateVersion(aws: AwsClients, template: ResolvedTemplate, version: string): Promise<LaunchTemplateVersion> {
  let found: LaunchTemplateVersion[];
  try {
    found = await aws.ec2.describeLaunchTemplateVersions({ id: template.templateId }, [version]);
  } catch (e) {
    if (!isAsgDeployError(e, 'NOT_FOUND')) throw e;
    found = [];
  }
  const v = found[0];
  if (v?.VersionNumber === undefined) {
    throw new AsgDeployError('NOT_FOUND', `launch template ${template.templateName} (${template.templateId}) has no version ${version}`, {
      hint: `its versions run up to ${template.latestVersion}; list them with \`aws ec2 describe-launch-template-versions --launch-template-id ${template.templateId}\``,
      details: { template: template.templateId, version },
    });
  }
  return v;
}

const tagText = (tags: Readonly<Record<string, string>>) =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** The instance to image: the id as given (running or stopped), or the one running instance with all the tags. */
export async function resolveSourceInstance(aws: AwsClients, selector: SourceInstanceSelector): Promise<SourceInstance> {
  if (selector.instanceId !== undefined) {
    const id = selector.instanceId;
    if (!INSTANCE_ID.test(id)) {
      throw new AsgDeployError('BAD_INPUT', `invalid instance id ${JSON.stringify(id)}: expected i- and 8 to 17 hex digits`, { details: { value: id } });
    }
    const [instance] = await aws.ec2.describeInstances([id]);
    const state = instance?.State?.Name;
    if (instance === undefined || state === 'terminated') {
      throw new AsgDeployError('NOT_FOUND', `instance ${id} ${instance === undefined ? 'not found' : 'is terminated'} in this region`, {
        hint: 'pass the id of a running instance with --instance, or check the region',
        details: { instanceId: id },
      });
    }
    if (state !== 'running' && state !== 'stopped') {
      throw new AsgDeployError('BAD_INPUT', `instance ${id} is ${state}; an image can be made from a running or stopped instance`, {
        hint: state === 'pending' ? 'wait until it is running, then bake again' : 'pick another instance',
        details: { instanceId: id, state },
      });
    }
    return { instanceId: id, state, foundBy: 'id' };
  }
  const tags = selector.tags;
  const filters: Ec2Filter[] = [
    ...Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] })),
    { Name: 'instance-state-name', Values: ['running'] },
  ];
  const found = await aws.ec2.findInstances(filters);
  const ids = [...new Set(found.flatMap((i) => (i.InstanceId ? [i.InstanceId] : [])))].sort();
  if (ids.length === 0) {
    throw new AsgDeployError('NOT_FOUND', `no running instance is tagged ${tagText(tags)}`, {
      hint: 'start the build instance, fix sourceInstance.tag in the config, or pass --instance ID',
      details: { tags },
    });
  }
  if (ids.length > 1) {
    throw new AsgDeployError('BAD_INPUT', `${ids.length} running instances are tagged ${tagText(tags)} (${ids.join(', ')}); bake images exactly one`, {
      hint: 'tag only the build instance, or pass --instance ID',
      details: { tags, instanceIds: ids },
    });
  }
  return { instanceId: ids[0]!, state: 'running', foundBy: 'tags' };
}
