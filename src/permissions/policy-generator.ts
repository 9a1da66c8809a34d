/**
 * The least-privilege IAM policy for some commands, from COMMAND_PERMISSIONS
 * alone: one statement per kind of resource, scoped to the named groups and
 * templates where AWS supports resource-level permissions and conditions,
 * `*` only where it must. Valid for `aws iam create-policy` (Version
 * 2012-10-17, a Sid on every statement: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html).
 */
import { badInput } from '../core/errors.js';
import { COMMAND_PERMISSIONS, COMMANDS, commandName, type CommandName, type PermissionScope } from './command-permissions.js';

export interface PolicyScope {
  /** Auto Scaling group names; none: every group (`*`). */
  groups?: readonly string[];
  /** Launch template ids (lt-…); none: every template. */
  templates?: readonly string[];
}

export interface PolicyStatementJson {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocumentJson {
  Version: '2012-10-17';
  Statement: PolicyStatementJson[];
}

/** A group's ARN with any region, account and UUID (the UUID changes if the group is recreated). */
export function groupArnPattern(name: string): string {
  return `arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/${name}`;
}

export function launchTemplateArnPattern(id: string): string {
  return `arn:aws:ec2:*:*:launch-template/${id}`;
}

/**
 * asg-deploy writes only tags under this prefix on a group (src/deploy/record.ts TAG_PREFIX); CreateOrUpdateTags
 * and DeleteTags carry the keys in `aws:TagKeys` (Auto Scaling user guide, "Control access to tags":
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/tag-permissions.html).
 */
const DEPLOY_TAG_KEYS = 'asg-deploy:*';

const SIDS: Record<PermissionScope, string> = {
  any: 'ReadWithoutResourceLevelPermissions',
  group: 'DeployOnTheGroups',
  'group-deploy-tags': 'DeployRecordTagsOnTheGroups',
  template: 'LaunchTemplateVersions',
  'launch-from-template': 'AutoScalingLaunchesFromTheTemplates',
  'create-image': 'BakeImageFromInstance',
  'tag-on-create-image': 'TagImageOnCreate',
  'image-and-snapshot': 'PruneImagesAndSnapshots',
  alarm: 'MoveScalingAlarms',
};

function statementFor(scope: PermissionScope, actions: string[], where: PolicyScope): PolicyStatementJson {
  const groups = where.groups?.length ? where.groups.map(groupArnPattern) : ['*'];
  const templates = where.templates?.length ? where.templates.map(launchTemplateArnPattern) : ['arn:aws:ec2:*:*:launch-template/*'];
  const base = { Sid: SIDS[scope], Effect: 'Allow' as const, Action: actions };
  const one = (list: string[]) => (list.length === 1 ? list[0]! : list);
  switch (scope) {
    case 'any':
      return { ...base, Resource: '*' };
    case 'group':
      return { ...base, Resource: one(groups) };
    case 'group-deploy-tags':
      return { ...base, Resource: one(groups), Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': [DEPLOY_TAG_KEYS] } } };
    case 'template':
      return { ...base, Resource: one(templates) };
    case 'launch-from-template':
      // RunInstances is checked on every resource of the launch (instance, volume, subnet, image…): scope it by the template it launches from.
      return where.templates?.length ? { ...base, Resource: '*', Condition: { ArnLike: { 'ec2:LaunchTemplate': templates } } } : { ...base, Resource: '*' };
    case 'create-image':
      return { ...base, Resource: ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:*::image/*', 'arn:aws:ec2:*::snapshot/*'] };
    case 'tag-on-create-image':
      return { ...base, Resource: ['arn:aws:ec2:*::image/*', 'arn:aws:ec2:*::snapshot/*'], Condition: { StringEquals: { 'ec2:CreateAction': 'CreateImage' } } };
    case 'image-and-snapshot':
      return { ...base, Resource: ['arn:aws:ec2:*::image/*', 'arn:aws:ec2:*::snapshot/*'] };
    case 'alarm':
      return { ...base, Resource: 'arn:aws:cloudwatch:*:*:alarm:*' };
  }
}

/** The IAM actions `commands` need, each once, sorted. */
export function actionsFor(commands: readonly CommandName[], options: { includeOptional?: boolean } = {}): string[] {
  const out = new Set<string>();
  for (const c of commands) for (const perm of COMMAND_PERMISSIONS[c].permissions) if (options.includeOptional !== false || !perm.optional) out.add(perm.action);
  return [...out].sort();
}

/**
 * @example
 *   policyFor(['roll'], { groups: ['web'], templates: ['lt-0abc'] })
 *   // → { Version: '2012-10-17', Statement: [{ Sid: 'ReadWithoutResourceLevelPermissions', … }, …] }
 */
export function policyFor(commands: readonly CommandName[], where: PolicyScope = {}, options: { without?: readonly string[] } = {}): PolicyDocumentJson {
  const byScope = new Map<PermissionScope, Set<string>>();
  const without = new Set((options.without ?? []).map((a) => a.toLowerCase()));
  for (const c of commands) {
    for (const perm of COMMAND_PERMISSIONS[c].permissions) {
      if (without.has(perm.action.toLowerCase())) continue;
      const set = byScope.get(perm.scope) ?? new Set<string>();
      set.add(perm.action);
      byScope.set(perm.scope, set);
    }
  }
  const order = Object.keys(SIDS) as PermissionScope[];
  return {
    Version: '2012-10-17',
    Statement: order.filter((s) => byScope.has(s)).map((s) => statementFor(s, [...byScope.get(s)!].sort(), where)),
  };
}

/** Command names from the command line, checked; a BAD_INPUT naming the unknown one and the known ones. */
export function parseCommandNames(values: readonly string[]): CommandName[] {
  if (values.length === 0) throw badInput(`name at least one command: ${COMMANDS.join(', ')}`, { hint: 'e.g. `asg-deploy iam-policy roll status --group web`' });
  const out: CommandName[] = [];
  for (const v of values) {
    const name = commandName(v);
    if (!name) throw badInput(`iam-policy: ${JSON.stringify(v)} is not an asg-deploy command that calls AWS; pick from ${COMMANDS.join(', ')}`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Launch template ids as IAM names them: `lt-` and 17 hex digits. A name cannot be scoped offline. */
export function checkTemplateIds(values: readonly string[]): string[] {
  for (const v of values) {
    if (!/^lt-[0-9a-f]{8,17}$/.test(v)) {
      throw badInput(`--template ${JSON.stringify(v)} is not a launch template id: IAM names launch templates by id (lt-…)`, {
        hint: `find the id with \`aws ec2 describe-launch-templates --launch-template-names ${v} --query 'LaunchTemplates[0].LaunchTemplateId'\``,
      });
    }
  }
  return [...values];
}

/** Group names as they appear in an ARN: anything Auto Scaling accepts except the characters that would widen an ARN pattern. */
export function checkGroupNames(values: readonly string[]): string[] {
  for (const v of values) {
    if (v === '' || /[*?:]/.test(v) || v.length > 255) throw badInput(`--group ${JSON.stringify(v)} is not an Auto Scaling group name (no *, ? or :, at most 255 characters)`);
  }
  return [...values];
}
