/**
 * The IAM authorization requests one API call makes: its action on each
 * resource it touches (ARNs as the Service Authorization Reference defines
 * them), with the condition keys of each, plus the other services' actions
 * AWS also checks for the caller.
 *
 * Sources (Service Authorization Reference, "Actions, resources, and condition keys for …"):
 * - Amazon EC2 Auto Scaling: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
 *   group actions take `arn:aws:autoscaling:REGION:ACCOUNT:autoScalingGroup:UUID:autoScalingGroupName/NAME`
 *   with `autoscaling:ResourceTag/${TagKey}`; Describe* have no resource-level permissions (`*`).
 * - Amazon EC2: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 *   `launch-template/ID`, `instance/ID`, `image/ID` and `snapshot/ID` (no account in image and snapshot ARNs),
 *   `ec2:ResourceTag/${TagKey}`; Describe* take `*`; tagging on create also checks `ec2:CreateTags`
 *   with `ec2:CreateAction` ("Grant permission to tag resources during creation", EC2 user guide).
 * - Elastic Load Balancing V2: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
 *   `targetgroup/NAME/ID`, `loadbalancer/app/NAME/ID`, `listener/app/NAME/LBID/ID`; Describe* take `*`.
 * - CloudWatch: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 *   `alarm:NAME` for PutMetricAlarm / DeleteAlarms / DescribeAlarms.
 * - "Amazon EC2 Auto Scaling API permissions" (Auto Scaling user guide,
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-api-permissions.html):
 *   Create/UpdateAutoScalingGroup with a launch template also need `ec2:RunInstances`
 *   (and iam:PassRole when the template names an instance profile, ec2:CreateTags
 *   when it has tag specifications); AWS answers a missing one with
 *   AccessDenied "You are not authorized to use launch template: …".
 */
import type { ServiceName } from '../protocol/index.js';
import type { RegionState } from '../world.js';
import type { AuthorizationRequest } from './evaluate-policy.js';

/** The IAM service prefix of each emulated service. */
export const IAM_PREFIX: Readonly<Record<ServiceName, string>> = {
  autoscaling: 'autoscaling',
  ec2: 'ec2',
  elbv2: 'elasticloadbalancing',
  cloudwatch: 'cloudwatch',
};

/** One request plus, for checks AWS makes on the caller's behalf, the way AWS words the refusal. */
export interface AuthorizationCheck extends AuthorizationRequest {
  /** Set for a permission implied by another service's call (ec2:RunInstances behind UpdateAutoScalingGroup). */
  impliedBy?: { launchTemplate: string };
}

type Input = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function tagContext(prefix: string, tags: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of tags) {
    out[`${prefix}:ResourceTag/${k}`] = v;
    out[`aws:ResourceTag/${k}`] = v;
  }
  return out;
}

function requestTagContext(tags: { key: string; value: string }[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const t of tags) out[`aws:RequestTag/${t.key}`] = t.value;
  if (tags.length > 0) out['aws:TagKeys'] = tags.map((t) => t.key);
  return out;
}

/** Auto Scaling actions whose resource is the group named by AutoScalingGroupName (Service Authorization Reference). */
const GROUP_ACTIONS = new Set([
  'AttachInstances',
  'AttachLoadBalancerTargetGroups',
  'AttachLoadBalancers',
  'AttachTrafficSources',
  'BatchDeleteScheduledAction',
  'BatchPutScheduledUpdateGroupAction',
  'CancelInstanceRefresh',
  'CompleteLifecycleAction',
  'CreateAutoScalingGroup',
  'DeleteAutoScalingGroup',
  'DeleteLifecycleHook',
  'DeleteNotificationConfiguration',
  'DeletePolicy',
  'DeleteScheduledAction',
  'DeleteWarmPool',
  'DetachInstances',
  'DetachLoadBalancerTargetGroups',
  'DetachLoadBalancers',
  'DetachTrafficSources',
  'DisableMetricsCollection',
  'EnableMetricsCollection',
  'EnterStandby',
  'ExecutePolicy',
  'ExitStandby',
  'PutLifecycleHook',
  'PutNotificationConfiguration',
  'PutScalingPolicy',
  'PutScheduledUpdateGroupAction',
  'PutWarmPool',
  'RecordLifecycleActionHeartbeat',
  'ResumeProcesses',
  'RollbackInstanceRefresh',
  'SetDesiredCapacity',
  'SetInstanceProtection',
  'StartInstanceRefresh',
  'SuspendProcesses',
  'UpdateAutoScalingGroup',
]);

function groupResource(region: RegionState, name: string): { resource: string; context: Record<string, string> } {
  const group = region.autoscaling.groups.get(name);
  if (!group) {
    // A group that does not exist (yet): AWS authorizes against the name with any UUID.
    return { resource: `arn:aws:autoscaling:${region.region}:${region.accountId}:autoScalingGroup:*:autoScalingGroupName/${name}`, context: {} };
  }
  return { resource: group.arn, context: tagContext('autoscaling', [...group.tags].map(([k, t]) => [k, t.value] as [string, string])) };
}

function launchTemplateArn(region: RegionState, id: string): string {
  return `arn:aws:ec2:${region.region}:${region.accountId}:launch-template/${id}`;
}

function findTemplate(region: RegionState, spec: Input | undefined): { id: string; tags: Map<string, string> } | undefined {
  if (!spec) return undefined;
  const id = str(spec.LaunchTemplateId) ?? (str(spec.LaunchTemplateName) ? region.ec2.launchTemplateIdsByName.get(spec.LaunchTemplateName as string) : undefined);
  if (!id) return undefined;
  const template = region.ec2.launchTemplates.get(id);
  return { id, tags: template?.tags ?? new Map() };
}

function autoscalingChecks(region: RegionState, operation: string, input: Input): AuthorizationCheck[] {
  const action = `autoscaling:${operation}`;
  const names = new Set<string>();
  let requestTags: { key: string; value: string }[] = [];
  if (GROUP_ACTIONS.has(operation) && str(input.AutoScalingGroupName)) names.add(input.AutoScalingGroupName as string);
  if (operation === 'TerminateInstanceInAutoScalingGroup' || operation === 'SetInstanceHealth') {
    const group = region.autoscaling.instanceGroups.get(String(input.InstanceId ?? ''));
    if (group) names.add(group);
  }
  if (operation === 'CreateOrUpdateTags' || operation === 'DeleteTags') {
    const tags = list(input.Tags) as Input[];
    for (const t of tags) if (str(t.ResourceId)) names.add(t.ResourceId as string);
    requestTags = tags.map((t) => ({ key: String(t.Key ?? ''), value: String(t.Value ?? '') }));
  }
  if (operation === 'CreateAutoScalingGroup') {
    requestTags = (list(input.Tags) as Input[]).map((t) => ({ key: String(t.Key ?? ''), value: String(t.Value ?? '') }));
  }
  const checks: AuthorizationCheck[] = names.size === 0
    ? [{ action, resource: '*', context: requestTagContext(requestTags) }]
    : [...names].map((name) => {
        const r = groupResource(region, name);
        return { action, resource: r.resource, context: { ...r.context, ...requestTagContext(requestTags) } };
      });
  if (operation === 'CreateAutoScalingGroup' || operation === 'UpdateAutoScalingGroup') {
    const mixed = (input.MixedInstancesPolicy as Input | undefined)?.LaunchTemplate as Input | undefined;
    const spec = (input.LaunchTemplate as Input | undefined) ?? (mixed?.LaunchTemplateSpecification as Input | undefined);
    const template = findTemplate(region, spec);
    if (template) {
      const arn = launchTemplateArn(region, template.id);
      checks.push({ action: 'ec2:RunInstances', resource: arn, context: { 'ec2:LaunchTemplate': arn, ...tagContext('ec2', template.tags) }, impliedBy: { launchTemplate: template.id } });
    }
  }
  return checks;
}

function ec2ResourceArn(region: RegionState, id: string): { resource: string; tags: Map<string, string> } {
  const { ec2 } = region;
  if (id.startsWith('i-')) return { resource: `arn:aws:ec2:${region.region}:${region.accountId}:instance/${id}`, tags: ec2.instances.get(id)?.tags ?? new Map() };
  if (id.startsWith('ami-')) return { resource: `arn:aws:ec2:${region.region}::image/${id}`, tags: ec2.images.get(id)?.tags ?? new Map() };
  if (id.startsWith('snap-')) return { resource: `arn:aws:ec2:${region.region}::snapshot/${id}`, tags: ec2.snapshots.get(id)?.tags ?? new Map() };
  if (id.startsWith('lt-')) return { resource: launchTemplateArn(region, id), tags: ec2.launchTemplates.get(id)?.tags ?? new Map() };
  if (id.startsWith('subnet-')) return { resource: `arn:aws:ec2:${region.region}:${region.accountId}:subnet/${id}`, tags: ec2.subnets.get(id)?.tags ?? new Map() };
  if (id.startsWith('sg-')) return { resource: `arn:aws:ec2:${region.region}:${region.accountId}:security-group/${id}`, tags: ec2.securityGroups.get(id)?.tags ?? new Map() };
  if (id.startsWith('vpc-')) return { resource: `arn:aws:ec2:${region.region}:${region.accountId}:vpc/${id}`, tags: ec2.vpcs.get(id)?.tags ?? new Map() };
  return { resource: `arn:aws:ec2:${region.region}:${region.accountId}:*/${id}`, tags: new Map() };
}

/** The resource type names TagSpecifications use → the ARN of the resource a create call makes. */
function createdArn(region: RegionState, type: string): string {
  if (type === 'image' || type === 'snapshot') return `arn:aws:ec2:${region.region}::${type}/*`;
  return `arn:aws:ec2:${region.region}:${region.accountId}:${type}/*`;
}

function ec2Checks(region: RegionState, operation: string, input: Input): AuthorizationCheck[] {
  const action = `ec2:${operation}`;
  if (/^(Describe|Get)/.test(operation)) return [{ action, resource: '*', context: {} }];
  const on = (ids: string[], extra: Record<string, string | string[]> = {}): AuthorizationCheck[] =>
    ids.map((id) => {
      const r = ec2ResourceArn(region, id);
      return { action, resource: r.resource, context: { ...tagContext('ec2', r.tags), ...extra } };
    });
  let checks: AuthorizationCheck[];
  switch (operation) {
    case 'CreateLaunchTemplateVersion':
    case 'ModifyLaunchTemplate':
    case 'DeleteLaunchTemplateVersions':
    case 'DeleteLaunchTemplate': {
      const t = findTemplate(region, input);
      checks = t ? on([t.id]) : [{ action, resource: launchTemplateArn(region, '*'), context: {} }];
      break;
    }
    case 'CreateLaunchTemplate':
      checks = [{ action, resource: createdArn(region, 'launch-template'), context: {} }];
      break;
    case 'CreateImage':
      checks = [...on([String(input.InstanceId ?? '')]), { action, resource: createdArn(region, 'image'), context: {} }, { action, resource: createdArn(region, 'snapshot'), context: {} }];
      break;
    case 'DeregisterImage':
      checks = on([String(input.ImageId ?? '')]);
      break;
    case 'DeleteSnapshot':
      checks = on([String(input.SnapshotId ?? '')]);
      break;
    case 'CreateTags':
    case 'DeleteTags': {
      const tags = (list(input.Tags) as Input[]).map((t) => ({ key: String(t.Key ?? ''), value: String(t.Value ?? '') }));
      checks = on(list(input.Resources).map(String), requestTagContext(tags));
      break;
    }
    case 'TerminateInstances':
    case 'StopInstances':
    case 'StartInstances':
    case 'RebootInstances':
      checks = on(list(input.InstanceIds).map(String));
      break;
    case 'RunInstances': {
      const template = findTemplate(region, input.LaunchTemplate as Input | undefined);
      const lt: Record<string, string> = template ? { 'ec2:LaunchTemplate': launchTemplateArn(region, template.id) } : {};
      checks = [{ action, resource: createdArn(region, 'instance'), context: lt }];
      if (str(input.ImageId)) checks.push(...on([input.ImageId as string], lt));
      if (template) checks.push(...on([template.id], lt));
      break;
    }
    default:
      checks = [{ action, resource: '*', context: {} }];
  }
  // Tag on create: ec2:CreateTags on each resource type tagged, with ec2:CreateAction (EC2 user guide, "Grant permission to tag resources during creation").
  if (operation !== 'CreateTags') {
    for (const spec of list(input.TagSpecifications) as Input[]) {
      const tags = (list(spec.Tags) as Input[]).map((t) => ({ key: String(t.Key ?? ''), value: String(t.Value ?? '') }));
      checks.push({ action: 'ec2:CreateTags', resource: createdArn(region, String(spec.ResourceType ?? '*')), context: { 'ec2:CreateAction': operation, ...requestTagContext(tags) } });
    }
  }
  return checks;
}

function elbv2Checks(region: RegionState, operation: string, input: Input): AuthorizationCheck[] {
  const action = `elasticloadbalancing:${operation}`;
  const arns: string[] = [];
  if (/^Describe/.test(operation)) return [{ action, resource: '*', context: {} }];
  if (str(input.TargetGroupArn)) arns.push(input.TargetGroupArn as string);
  else if (str(input.ListenerArn)) arns.push(input.ListenerArn as string);
  else if (str(input.LoadBalancerArn)) arns.push(input.LoadBalancerArn as string);
  else if (str(input.RuleArn)) arns.push(input.RuleArn as string);
  else if (Array.isArray(input.ResourceArns)) arns.push(...input.ResourceArns.map(String));
  else if (operation === 'CreateTargetGroup' && str(input.Name)) arns.push(`arn:aws:elasticloadbalancing:${region.region}:${region.accountId}:targetgroup/${input.Name as string}/*`);
  else if (operation === 'CreateLoadBalancer' && str(input.Name)) {
    arns.push(`arn:aws:elasticloadbalancing:${region.region}:${region.accountId}:loadbalancer/${input.Type === 'network' ? 'net' : 'app'}/${input.Name as string}/*`);
  }
  if (arns.length === 0) return [{ action, resource: '*', context: {} }];
  return arns.map((arn) => ({ action, resource: arn, context: tagContext('elasticloadbalancing', region.elbv2.tags.get(arn) ?? new Map()) }));
}

function cloudwatchChecks(region: RegionState, operation: string, input: Input): AuthorizationCheck[] {
  const action = `cloudwatch:${operation}`;
  const alarm = (name: string) => `arn:aws:cloudwatch:${region.region}:${region.accountId}:alarm:${name}`;
  const names = operation === 'PutMetricAlarm' ? [String(input.AlarmName ?? '')] : operation === 'DeleteAlarms' ? list(input.AlarmNames).map(String) : [];
  if (names.length === 0) return [{ action, resource: '*', context: {} }];
  return names.map((n) => ({ action, resource: alarm(n), context: {} }));
}

/**
 * Every authorization IAM makes for one call; the call is allowed when all are.
 *
 * @example
 *   authorizationChecks(region, 'autoscaling', 'SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 4 })
 *   // → [{ action: 'autoscaling:SetDesiredCapacity', resource: 'arn:aws:autoscaling:…:autoScalingGroupName/web', context: { … } }]
 */
export function authorizationChecks(region: RegionState, service: ServiceName, operation: string, input: unknown): AuthorizationCheck[] {
  const i = (typeof input === 'object' && input !== null ? input : {}) as Input;
  const base = { 'aws:RequestedRegion': region.region };
  const checks =
    service === 'autoscaling'
      ? autoscalingChecks(region, operation, i)
      : service === 'ec2'
        ? ec2Checks(region, operation, i)
        : service === 'elbv2'
          ? elbv2Checks(region, operation, i)
          : cloudwatchChecks(region, operation, i);
  return checks.map((c) => ({ ...c, context: { ...base, ...c.context } }));
}
