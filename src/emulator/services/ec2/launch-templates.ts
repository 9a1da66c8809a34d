/**
 * Launch templates and their numbered versions (E-12, E-17): create, new
 * versions (optionally from a SourceVersion whose data the new one overlays),
 * describe by `$Latest` / `$Default` / number, set the default, delete versions
 * (never the default one) and whole templates.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-launch-template-versions.html
 */
import type {
  CreateLaunchTemplateRequest,
  CreateLaunchTemplateResult,
  CreateLaunchTemplateVersionRequest,
  CreateLaunchTemplateVersionResult,
  DeleteLaunchTemplateRequest,
  DeleteLaunchTemplateResult,
  DeleteLaunchTemplateVersionsRequest,
  DeleteLaunchTemplateVersionsResponseErrorItem,
  DeleteLaunchTemplateVersionsResponseSuccessItem,
  DeleteLaunchTemplateVersionsResult,
  DescribeLaunchTemplatesRequest,
  DescribeLaunchTemplatesResult,
  DescribeLaunchTemplateVersionsRequest,
  DescribeLaunchTemplateVersionsResult,
  LaunchTemplate,
  LaunchTemplateVersion,
  ModifyLaunchTemplateRequest,
  ModifyLaunchTemplateResult,
  RequestLaunchTemplateData,
  ResponseLaunchTemplateData,
  ValidationWarning,
} from '@aws-sdk/client-ec2';
import type { RegionState, RequestContext } from '../../world.js';
import { ec2Errors } from './errors.js';
import { compileFilters, paginate, tagList, tagsForResourceType, validateUserTags, type FilterSpec } from './filters.js';
import { isWellFormedId, newEc2Id } from './ids.js';
import type { Ec2LaunchTemplate, Ec2LaunchTemplateVersion } from './state.js';

/** A reference to a template as clients give it (RunInstances, Auto Scaling groups). */
export interface LaunchTemplateRef {
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
  /** `$Latest`, `$Default` or a version number; missing means `$Default`. */
  Version?: string;
}

export interface ResolvedLaunchTemplate {
  templateId: string;
  templateName: string;
  versionNumber: number;
  imageId?: string;
  instanceType?: string;
}

const TEMPLATE_NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;
const LIMITS_TEMPLATES = { min: 1, max: 200 };
const LIMITS_VERSIONS = { min: 1, max: 200 };

/** The template `ref` names (by id or by name). Throws AWS's NotFound / Malformed errors. */
export function findLaunchTemplate(region: RegionState, ref: { LaunchTemplateId?: string; LaunchTemplateName?: string }): Ec2LaunchTemplate {
  const { LaunchTemplateId: id, LaunchTemplateName: name } = ref;
  if (id && name) throw ec2Errors.launchTemplateIdAndName();
  if (id) {
    if (!isWellFormedId('lt', id)) throw ec2Errors.launchTemplateIdMalformed(id);
    const template = region.ec2.launchTemplates.get(id);
    if (!template) throw ec2Errors.launchTemplateIdNotFound(id);
    return template;
  }
  if (name) {
    const templateId = region.ec2.launchTemplateIdsByName.get(name);
    const template = templateId ? region.ec2.launchTemplates.get(templateId) : undefined;
    if (!template) throw ec2Errors.launchTemplateNameNotFound(name);
    return template;
  }
  throw ec2Errors.launchTemplateIdOrName();
}

/** The highest version number that still exists (what `$Latest` means). */
export function latestVersionNumber(template: Ec2LaunchTemplate): number {
  let latest = 0;
  for (const n of template.versions.keys()) if (n > latest) latest = n;
  return latest;
}

/** `$Latest` | `$Default` | number (missing → `$Default`) → the version, or AWS's VersionNotFound error. */
export function findLaunchTemplateVersion(template: Ec2LaunchTemplate, version: string | undefined): Ec2LaunchTemplateVersion {
  const spec = version === undefined || version === '' ? '$Default' : version.trim();
  let number: number;
  if (spec === '$Default') number = template.defaultVersion;
  else if (spec === '$Latest') number = latestVersionNumber(template);
  else if (/^\d+$/.test(spec)) number = Number(spec);
  else throw ec2Errors.invalidParameterValue(`Invalid launch template version '${version}': expecting $Latest, $Default or a version number.`);
  const found = template.versions.get(number);
  if (!found) throw ec2Errors.launchTemplateVersionNotFound(spec, template.launchTemplateId);
  return found;
}

/**
 * Resolves a template reference to a concrete version (E-12): by id or name;
 * Version `$Latest`, `$Default` or a number; missing → `$Default`.
 *
 * ```ts
 * const v = resolveLaunchTemplate(region, { LaunchTemplateName: 'web', Version: '$Latest' });
 * v.versionNumber; // 3
 * ```
 */
export function resolveLaunchTemplate(region: RegionState, ref: LaunchTemplateRef): ResolvedLaunchTemplate {
  const template = findLaunchTemplate(region, ref);
  const version = findLaunchTemplateVersion(template, ref.Version);
  return {
    templateId: template.launchTemplateId,
    templateName: template.launchTemplateName,
    versionNumber: version.versionNumber,
    imageId: version.data.ImageId,
    instanceType: version.data.InstanceType,
  };
}

function renderTemplate(region: RegionState, template: Ec2LaunchTemplate): LaunchTemplate {
  return {
    LaunchTemplateId: template.launchTemplateId,
    LaunchTemplateName: template.launchTemplateName,
    CreateTime: new Date(template.createTime),
    CreatedBy: template.createdBy,
    DefaultVersionNumber: template.defaultVersion,
    LatestVersionNumber: latestVersionNumber(template),
    Tags: tagList(template.tags),
  };
}

function renderVersion(template: Ec2LaunchTemplate, version: Ec2LaunchTemplateVersion): LaunchTemplateVersion {
  return {
    LaunchTemplateId: template.launchTemplateId,
    LaunchTemplateName: template.launchTemplateName,
    VersionNumber: version.versionNumber,
    VersionDescription: version.description,
    CreateTime: new Date(version.createTime),
    CreatedBy: template.createdBy,
    DefaultVersion: version.versionNumber === template.defaultVersion,
    // Request and response data share their member names (checked against the model).
    LaunchTemplateData: structuredClone(version.data) as ResponseLaunchTemplateData,
  };
}

/** Checks version data as CreateLaunchTemplate(Version) does; returns AWS's non-fatal warnings (e.g. an AMI that does not exist). */
function validateData(region: RegionState, data: RequestLaunchTemplateData | undefined): ValidationWarning | undefined {
  if (!data) throw ec2Errors.missingParameter('LaunchTemplateData');
  for (const spec of data.TagSpecifications ?? []) validateUserTags(spec.Tags);
  const errors: { Code: string; Message: string }[] = [];
  const imageId = data.ImageId;
  if (imageId && !imageId.startsWith('resolve:ssm:')) {
    if (!isWellFormedId('ami', imageId)) errors.push({ Code: 'InvalidAMIID.Malformed', Message: `Invalid id: "${imageId}" (expecting "ami-...")` });
    else if (!region.ec2.images.has(imageId)) errors.push({ Code: 'InvalidAMIID.NotFound', Message: `The image id '[${imageId}]' does not exist` });
  }
  return errors.length ? { Errors: errors } : undefined;
}

function copyDefined<T extends object>(target: T, overlay: T): T {
  for (const [key, value] of Object.entries(overlay)) if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target;
}

export function createLaunchTemplate(ctx: RequestContext, input: CreateLaunchTemplateRequest): CreateLaunchTemplateResult {
  const { region, sim } = ctx;
  const name = input.LaunchTemplateName;
  if (!name) throw ec2Errors.missingParameter('LaunchTemplateName');
  if (!TEMPLATE_NAME.test(name)) throw ec2Errors.launchTemplateNameMalformed();
  if (region.ec2.launchTemplateIdsByName.has(name)) throw ec2Errors.launchTemplateNameExists();
  const warning = validateData(region, input.LaunchTemplateData);
  const tags = tagsForResourceType(input.TagSpecifications, 'launch-template');
  const template: Ec2LaunchTemplate = {
    launchTemplateId: newEc2Id(sim, 'lt'),
    launchTemplateName: name,
    createTime: sim.now,
    createdBy: `arn:aws:iam::${region.accountId}:root`,
    defaultVersion: 1,
    lastVersionNumber: 1,
    versions: new Map(),
    tags,
  };
  template.versions.set(1, { versionNumber: 1, description: input.VersionDescription, createTime: sim.now, data: structuredClone(input.LaunchTemplateData!) });
  region.ec2.launchTemplates.set(template.launchTemplateId, template);
  region.ec2.launchTemplateIdsByName.set(name, template.launchTemplateId);
  return { LaunchTemplate: renderTemplate(region, template), Warning: warning };
}

export function createLaunchTemplateVersion(ctx: RequestContext, input: CreateLaunchTemplateVersionRequest): CreateLaunchTemplateVersionResult {
  const { region, sim } = ctx;
  const template = findLaunchTemplate(region, input);
  const warning = validateData(region, input.LaunchTemplateData);
  let data = structuredClone(input.LaunchTemplateData!);
  if (input.SourceVersion !== undefined && input.SourceVersion !== '') {
    // The new version starts from the source's data; what the request gives replaces it, member by member.
    const source = findLaunchTemplateVersion(template, input.SourceVersion);
    data = copyDefined(structuredClone(source.data), data);
  }
  const versionNumber = template.lastVersionNumber + 1;
  template.lastVersionNumber = versionNumber;
  const version: Ec2LaunchTemplateVersion = { versionNumber, description: input.VersionDescription, createTime: sim.now, data };
  template.versions.set(versionNumber, version);
  return { LaunchTemplateVersion: renderVersion(template, version), Warning: warning };
}

const TEMPLATE_FILTERS: FilterSpec<Ec2LaunchTemplate> = {
  fields: {
    'create-time': (t) => new Date(t.createTime).toISOString(),
    'launch-template-name': (t) => t.launchTemplateName,
    'launch-template-id': (t) => t.launchTemplateId,
  },
  tags: (t) => t.tags,
};

export function describeLaunchTemplates(ctx: RequestContext, input: DescribeLaunchTemplatesRequest): DescribeLaunchTemplatesResult {
  const { region } = ctx;
  const ids = input.LaunchTemplateIds ?? [];
  const names = input.LaunchTemplateNames ?? [];
  let candidates: Ec2LaunchTemplate[];
  if (ids.length || names.length) {
    candidates = [];
    for (const id of ids) {
      if (!isWellFormedId('lt', id)) throw ec2Errors.launchTemplateIdMalformed(id);
      const t = region.ec2.launchTemplates.get(id);
      if (!t) throw ec2Errors.launchTemplateIdNotFound();
      candidates.push(t);
    }
    for (const name of names) {
      const id = region.ec2.launchTemplateIdsByName.get(name);
      const t = id ? region.ec2.launchTemplates.get(id) : undefined;
      if (!t) throw ec2Errors.launchTemplateNameNotFound();
      if (!candidates.includes(t)) candidates.push(t);
    }
  } else {
    candidates = [...region.ec2.launchTemplates.values()];
  }
  const matches = compileFilters(input.Filters, TEMPLATE_FILTERS);
  const page = paginate(candidates.filter(matches), input.MaxResults, input.NextToken, LIMITS_TEMPLATES);
  return { LaunchTemplates: page.items.map((t) => renderTemplate(region, t)), NextToken: page.nextToken };
}

interface VersionOf {
  template: Ec2LaunchTemplate;
  version: Ec2LaunchTemplateVersion;
}

const VERSION_FILTERS: FilterSpec<VersionOf> = {
  fields: {
    'create-time': (v) => new Date(v.version.createTime).toISOString(),
    'ebs-optimized': (v) => v.version.data.EbsOptimized,
    'iam-instance-profile': (v) => [v.version.data.IamInstanceProfile?.Arn, v.version.data.IamInstanceProfile?.Name],
    'image-id': (v) => v.version.data.ImageId,
    'instance-type': (v) => v.version.data.InstanceType,
    'is-default-version': (v) => v.version.versionNumber === v.template.defaultVersion,
    'kernel-id': (v) => v.version.data.KernelId,
    'ram-disk-id': (v) => v.version.data.RamDiskId,
  },
};

export function describeLaunchTemplateVersions(ctx: RequestContext, input: DescribeLaunchTemplateVersionsRequest): DescribeLaunchTemplateVersionsResult {
  const { region } = ctx;
  const requested = input.Versions ?? [];
  let found: VersionOf[] = [];
  if (input.LaunchTemplateId || input.LaunchTemplateName) {
    const template = findLaunchTemplate(region, input);
    if (requested.length) {
      for (const v of requested) {
        const version = findLaunchTemplateVersion(template, v);
        if (!found.some((f) => f.version === version)) found.push({ template, version });
      }
    } else {
      const min = input.MinVersion !== undefined ? Number(input.MinVersion) : -Infinity;
      const max = input.MaxVersion !== undefined ? Number(input.MaxVersion) : Infinity;
      for (const version of [...template.versions.values()].sort((a, b) => a.versionNumber - b.versionNumber)) {
        if (version.versionNumber >= min && version.versionNumber <= max) found.push({ template, version });
      }
    }
  } else {
    // Without a template, only `$Latest` / `$Default` across every template are allowed.
    if (!requested.length || requested.some((v) => v !== '$Latest' && v !== '$Default')) {
      throw ec2Errors.invalidParameterValue('When you do not specify a launch template, you must specify $Latest, $Default, or both as the version.');
    }
    for (const template of region.ec2.launchTemplates.values()) {
      for (const v of requested) {
        const version = findLaunchTemplateVersion(template, v);
        if (!found.some((f) => f.version === version)) found.push({ template, version });
      }
    }
  }
  found = found.filter(compileFilters(input.Filters, VERSION_FILTERS));
  const page = paginate(found, input.MaxResults, input.NextToken, LIMITS_VERSIONS);
  return { LaunchTemplateVersions: page.items.map((f) => renderVersion(f.template, f.version)), NextToken: page.nextToken };
}

/** ModifyLaunchTemplate: sets the default version (`DefaultVersion`, `SetDefaultVersion` on the wire). */
export function modifyLaunchTemplate(ctx: RequestContext, input: ModifyLaunchTemplateRequest): ModifyLaunchTemplateResult {
  const { region } = ctx;
  const template = findLaunchTemplate(region, input);
  if (input.DefaultVersion !== undefined && input.DefaultVersion !== '') {
    const version = findLaunchTemplateVersion(template, input.DefaultVersion);
    template.defaultVersion = version.versionNumber;
  }
  return { LaunchTemplate: renderTemplate(region, template) };
}

export function deleteLaunchTemplate(ctx: RequestContext, input: DeleteLaunchTemplateRequest): DeleteLaunchTemplateResult {
  const { region } = ctx;
  const template = findLaunchTemplate(region, input);
  const rendered = renderTemplate(region, template);
  region.ec2.launchTemplates.delete(template.launchTemplateId);
  region.ec2.launchTemplateIdsByName.delete(template.launchTemplateName);
  return { LaunchTemplate: rendered };
}

/**
 * Per-version results at HTTP 200, as EC2 does: the default version is
 * refused (it can only go with the whole template), missing versions are
 * reported, the rest are deleted. Version numbers are never reused.
 */
export function deleteLaunchTemplateVersions(ctx: RequestContext, input: DeleteLaunchTemplateVersionsRequest): DeleteLaunchTemplateVersionsResult {
  const { region } = ctx;
  const template = findLaunchTemplate(region, input);
  const versions = input.Versions ?? [];
  if (versions.length === 0) throw ec2Errors.missingParameter('LaunchTemplateVersion');
  if (versions.length > 200) throw ec2Errors.invalidParameterValue('You can specify up to 200 launch template versions in a single request.');
  const deleted: DeleteLaunchTemplateVersionsResponseSuccessItem[] = [];
  const failed: DeleteLaunchTemplateVersionsResponseErrorItem[] = [];
  const ids = { LaunchTemplateId: template.launchTemplateId, LaunchTemplateName: template.launchTemplateName };
  for (const v of versions) {
    const number = v === '$Default' ? template.defaultVersion : v === '$Latest' ? latestVersionNumber(template) : /^\d+$/.test(v) ? Number(v) : NaN;
    if (!template.versions.has(number)) {
      failed.push({
        ...ids,
        VersionNumber: Number.isFinite(number) ? number : undefined,
        ResponseError: { Code: 'launchTemplateVersionDoesNotExist', Message: 'The specified launch template version does not exist.' },
      });
    } else if (number === template.defaultVersion) {
      failed.push({
        ...ids,
        VersionNumber: number,
        ResponseError: {
          Code: 'unexpectedError',
          Message: 'You cannot delete the default version of a launch template. Set another version as the default first, or delete the launch template.',
        },
      });
    } else {
      template.versions.delete(number);
      deleted.push({ ...ids, VersionNumber: number });
    }
  }
  return {
    // Both lists are always in EC2's answer, empty or not: boto3 callers (Ansible) index them (E-39).
    SuccessfullyDeletedLaunchTemplateVersions: deleted,
    UnsuccessfullyDeletedLaunchTemplateVersions: failed,
  };
}
