/**
 * Target groups: CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup,
 * DeleteTargetGroup and their attributes (E-18).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
 */
import type {
  CreateTargetGroupInput,
  CreateTargetGroupOutput,
  DeleteTargetGroupInput,
  DeleteTargetGroupOutput,
  DescribeTargetGroupAttributesInput,
  DescribeTargetGroupAttributesOutput,
  DescribeTargetGroupsInput,
  DescribeTargetGroupsOutput,
  ModifyTargetGroupAttributesInput,
  ModifyTargetGroupAttributesOutput,
  ModifyTargetGroupInput,
  ModifyTargetGroupOutput,
  TargetGroup as SdkTargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsError, validationError } from '../../aws-error.js';
import type { RegionState, RequestContext } from '../../world.js';
import { checkTargetGroupAttributes, defaultTargetGroupAttributes, isHttpFamily } from './attributes.js';
import { removeTarget } from './health-checks.js';
import { vpcExists } from './network.js';
import { byKey, paginate } from './pagination.js';
import type { HealthCheckSettings, TargetGroup } from './state.js';
import { addTags, checkTagList } from './tag-handlers.js';
import { checkArn, checkHealthCheckPort, checkHttpCode, checkResourceName, integerInRange, required } from './validation.js';

const SUPPORTED_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP'];

export function targetGroupNotFound(): AwsError {
  return new AwsError('TargetGroupNotFound', 'One or more target groups not found');
}

/** The target group an ARN names; ValidationError for a malformed ARN, TargetGroupNotFound for a missing group. */
export function requireTargetGroup(region: RegionState, arn: string | undefined): TargetGroup {
  const tgArn = required(arn, 'TargetGroupArn');
  checkArn(tgArn, 'target group');
  const tg = region.elbv2.targetGroups.get(tgArn);
  if (!tg) throw targetGroupNotFound();
  return tg;
}

/** The load balancers whose listeners forward to `tg`, each once. */
export function loadBalancerArnsOf(region: RegionState, tg: TargetGroup): string[] {
  const arns = new Set<string>();
  for (const listenerArn of tg.listenerArns) {
    const listener = region.elbv2.listeners.get(listenerArn);
    if (listener) arns.add(listener.loadBalancerArn);
  }
  return [...arns];
}

export function describeTargetGroup(region: RegionState, tg: TargetGroup): SdkTargetGroup {
  const hc = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol as SdkTargetGroup['Protocol'],
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol as SdkTargetGroup['HealthCheckProtocol'],
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThresholdCount,
    UnhealthyThresholdCount: hc.unhealthyThresholdCount,
    HealthCheckPath: hc.path,
    Matcher: hc.matcher,
    LoadBalancerArns: loadBalancerArnsOf(region, tg),
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocolVersion,
    IpAddressType: tg.ipAddressType as SdkTargetGroup['IpAddressType'],
  };
}

/**
 * AWS's health check defaults for a target group of `protocol` (HTTP: 30 s, 6 s, 5, 2, '/', 200).
 * Timeout (E-45): "For target groups with a protocol of HTTP, the default is 6
 * seconds. For target groups with a protocol of TCP, TLS or HTTPS, the default
 * is 10 seconds." (ELBv2 API Reference, CreateTargetGroup,
 * HealthCheckTimeoutSeconds: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html)
 */
function defaultHealthCheck(protocol: string): HealthCheckSettings {
  if (isHttpFamily(protocol)) {
    return {
      enabled: true,
      protocol,
      port: 'traffic-port',
      path: '/',
      intervalSeconds: 30,
      timeoutSeconds: protocol === 'HTTP' ? 6 : 10,
      healthyThresholdCount: 5,
      unhealthyThresholdCount: 2,
      matcher: { HttpCode: '200' },
    };
  }
  return { enabled: true, protocol: 'TCP', port: 'traffic-port', intervalSeconds: 30, timeoutSeconds: 10, healthyThresholdCount: 5, unhealthyThresholdCount: 2 };
}

type HealthCheckInput = Pick<
  CreateTargetGroupInput,
  | 'HealthCheckEnabled'
  | 'HealthCheckProtocol'
  | 'HealthCheckPort'
  | 'HealthCheckPath'
  | 'HealthCheckIntervalSeconds'
  | 'HealthCheckTimeoutSeconds'
  | 'HealthyThresholdCount'
  | 'UnhealthyThresholdCount'
  | 'Matcher'
>;

/** `base` with the request's health check members applied, after checking them all. */
function applyHealthCheck(trafficProtocol: string, base: HealthCheckSettings, input: HealthCheckInput): HealthCheckSettings {
  if (input.HealthCheckEnabled === false) {
    throw validationError("Health check enabled must be true for target groups with target type 'instance'");
  }
  const protocol = input.HealthCheckProtocol ?? base.protocol;
  if (!['HTTP', 'HTTPS', 'TCP'].includes(protocol)) {
    throw validationError(`Health check protocol '${protocol}' must be one of [HTTP, HTTPS, TCP]`);
  }
  if (isHttpFamily(trafficProtocol) && !isHttpFamily(protocol)) {
    throw validationError(`Health check protocol '${protocol}' is not supported for target groups with the ${trafficProtocol} protocol`);
  }
  const httpCheck = isHttpFamily(protocol);
  if (!httpCheck && (input.HealthCheckPath !== undefined || input.Matcher !== undefined)) {
    throw validationError(`Health check path and matcher can only be specified for HTTP and HTTPS health checks, not ${protocol}`);
  }
  const port = input.HealthCheckPort ?? base.port;
  checkHealthCheckPort(port);
  const path = httpCheck ? (input.HealthCheckPath ?? base.path ?? '/') : undefined;
  if (path !== undefined && (!path.startsWith('/') || path.length > 1024)) {
    throw validationError(`Health check path '${path}' must begin with a '/' character and be at most 1024 characters`);
  }
  const httpCode = input.Matcher?.HttpCode;
  if (httpCode !== undefined) checkHttpCode(httpCode);
  const matcher = httpCheck ? (input.Matcher ?? base.matcher ?? { HttpCode: '200' }) : undefined;
  const intervalSeconds = integerInRange(input.HealthCheckIntervalSeconds, 'HealthCheckIntervalSeconds', 5, 300) ?? base.intervalSeconds;
  const timeoutSeconds = integerInRange(input.HealthCheckTimeoutSeconds, 'HealthCheckTimeoutSeconds', 2, 120) ?? base.timeoutSeconds;
  const healthyThresholdCount = integerInRange(input.HealthyThresholdCount, 'HealthyThresholdCount', 2, 10) ?? base.healthyThresholdCount;
  const unhealthyThresholdCount = integerInRange(input.UnhealthyThresholdCount, 'UnhealthyThresholdCount', 2, 10) ?? base.unhealthyThresholdCount;
  if (timeoutSeconds >= intervalSeconds) {
    throw validationError(`Health check timeout '${timeoutSeconds}' must be smaller than the interval '${intervalSeconds}'`);
  }
  return { enabled: true, protocol, port, path, intervalSeconds, timeoutSeconds, healthyThresholdCount, unhealthyThresholdCount, matcher };
}

function sameSettings(tg: TargetGroup, protocol: string, port: number, vpcId: string, healthCheck: HealthCheckSettings): boolean {
  return tg.protocol === protocol && tg.port === port && tg.vpcId === vpcId && JSON.stringify(tg.healthCheck) === JSON.stringify(healthCheck);
}

export function createTargetGroup(ctx: RequestContext, input: CreateTargetGroupInput): CreateTargetGroupOutput {
  const { sim, region } = ctx;
  const name = required(input.Name, 'Name');
  checkResourceName(name, 'Target group');
  const targetType = input.TargetType ?? 'instance';
  if (targetType !== 'instance') {
    throw validationError(`Target type '${targetType}' is not supported by this emulator; use 'instance'`);
  }
  if (input.Protocol === undefined) throw validationError('A protocol must be specified');
  if (input.Port === undefined) throw validationError('A port must be specified');
  if (!input.VpcId) throw validationError('A VPC ID must be specified');
  const protocol = input.Protocol;
  if (!SUPPORTED_PROTOCOLS.includes(protocol)) {
    throw validationError(`Target group protocol '${protocol}' must be one of [${SUPPORTED_PROTOCOLS.join(', ')}]`);
  }
  const port = integerInRange(input.Port, 'Port', 1, 65535)!;
  if (!vpcExists(region, input.VpcId)) throw validationError(`The VPC ID '${input.VpcId}' is not found`);
  const healthCheck = applyHealthCheck(protocol, defaultHealthCheck(protocol), input);
  const tags = input.Tags ? checkTagList(input.Tags) : [];

  // Creating a group that exists with the same settings answers the existing one (the API is idempotent).
  const existing = region.elbv2.targetGroupsByName.get(name);
  if (existing) {
    if (sameSettings(existing, protocol, port, input.VpcId, healthCheck)) return { TargetGroups: [describeTargetGroup(region, existing)] };
    throw new AwsError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
  }

  const arn = `arn:aws:elasticloadbalancing:${region.region}:${region.accountId}:targetgroup/${name}/${sim.rng.hex(16)}`;
  const tg: TargetGroup = {
    arn,
    name,
    targetType: 'instance',
    protocol,
    protocolVersion: isHttpFamily(protocol) ? (input.ProtocolVersion ?? 'HTTP1') : undefined,
    port,
    vpcId: input.VpcId,
    ipAddressType: input.IpAddressType ?? 'ipv4',
    createdAt: sim.now,
    healthCheck,
    attributes: defaultTargetGroupAttributes(protocol),
    targets: new Map(),
    listenerArns: new Set(),
  };
  region.elbv2.targetGroups.set(arn, tg);
  region.elbv2.targetGroupsByName.set(name, tg);
  addTags(region, arn, tags);
  return { TargetGroups: [describeTargetGroup(region, tg)] };
}

export function describeTargetGroups(ctx: RequestContext, input: DescribeTargetGroupsInput): DescribeTargetGroupsOutput {
  const { region } = ctx;
  const names = input.Names ?? [];
  const arns = input.TargetGroupArns ?? [];
  const given = [names.length > 0, arns.length > 0, input.LoadBalancerArn !== undefined].filter(Boolean).length;
  if (given > 1) {
    throw validationError('Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time');
  }
  let groups: TargetGroup[];
  if (names.length > 0) {
    groups = names.map((name) => {
      const tg = region.elbv2.targetGroupsByName.get(name);
      if (!tg) throw targetGroupNotFound();
      return tg;
    });
  } else if (arns.length > 0) {
    groups = arns.map((arn) => requireTargetGroup(region, arn));
  } else if (input.LoadBalancerArn !== undefined) {
    checkArn(input.LoadBalancerArn, 'load balancer');
    const lb = region.elbv2.loadBalancers.get(input.LoadBalancerArn);
    if (!lb) throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
    groups = [...region.elbv2.targetGroups.values()].filter((tg) => loadBalancerArnsOf(region, tg).includes(lb.arn));
  } else {
    groups = [...region.elbv2.targetGroups.values()];
  }
  const sorted = [...new Set(groups)].sort(byKey((tg) => tg.name));
  const page = paginate(sorted, (tg) => tg.name, input);
  return { TargetGroups: page.items.map((tg) => describeTargetGroup(region, tg)), NextMarker: page.nextMarker };
}

/** Changes health check settings; the next check already uses them (the one queued keeps its instant). */
export function modifyTargetGroup(ctx: RequestContext, input: ModifyTargetGroupInput): ModifyTargetGroupOutput {
  const { region } = ctx;
  const tg = requireTargetGroup(region, input.TargetGroupArn);
  tg.healthCheck = applyHealthCheck(tg.protocol, tg.healthCheck, input);
  return { TargetGroups: [describeTargetGroup(region, tg)] };
}

/** Deleting a group a listener uses is ResourceInUse; deleting one that is gone succeeds, as on AWS. */
export function deleteTargetGroup(ctx: RequestContext, input: DeleteTargetGroupInput): DeleteTargetGroupOutput {
  const { sim, region } = ctx;
  const arn = required(input.TargetGroupArn, 'TargetGroupArn');
  checkArn(arn, 'target group');
  const tg = region.elbv2.targetGroups.get(arn);
  if (!tg) return {};
  if (tg.listenerArns.size > 0) {
    throw new AwsError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
  }
  for (const target of [...tg.targets.values()]) removeTarget(sim, region, tg, target);
  region.elbv2.targetGroups.delete(arn);
  region.elbv2.targetGroupsByName.delete(tg.name);
  region.elbv2.tags.delete(arn);
  return {};
}

function attributeList(tg: TargetGroup): { Key: string; Value: string }[] {
  return [...tg.attributes].map(([Key, Value]) => ({ Key, Value }));
}

export function describeTargetGroupAttributes(ctx: RequestContext, input: DescribeTargetGroupAttributesInput): DescribeTargetGroupAttributesOutput {
  const tg = requireTargetGroup(ctx.region, input.TargetGroupArn);
  return { Attributes: attributeList(tg) };
}

/**
 * Checks every attribute first, then applies them all. A new
 * `deregistration_delay.timeout_seconds` applies to deregistrations that start
 * afterwards.
 */
export function modifyTargetGroupAttributes(ctx: RequestContext, input: ModifyTargetGroupAttributesInput): ModifyTargetGroupAttributesOutput {
  const tg = requireTargetGroup(ctx.region, input.TargetGroupArn);
  const changes = checkTargetGroupAttributes(tg.protocol, required(input.Attributes, 'Attributes'));
  for (const [key, value] of changes) tg.attributes.set(key, value);
  return { Attributes: attributeList(tg) };
}
