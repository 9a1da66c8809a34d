/**
 * The ELBv2 part of a region's state: target groups with their targets, load
 * balancers, listeners and tags. Plain data; the rules that move it live in
 * health-checks.ts (E-1, E-18) and the handlers.
 */
import type { ScheduledEvent } from '../../scheduler.js';

/** `TargetHealthStateEnum` as DescribeTargetHealth reports it. */
export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused' | 'unavailable';

/** What the health checks alone have concluded, before draining, instance state and use are considered. */
export type HealthVerdict = 'initial' | 'healthy' | 'unhealthy';

/** A target group's health check settings (`HealthCheck*` members of `TargetGroup`). */
export interface HealthCheckSettings {
  enabled: boolean;
  protocol: string;
  /** 'traffic-port' or a port number as a string, as AWS reports it. */
  port: string;
  /** Only for HTTP/HTTPS health checks. */
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** Only for HTTP/HTTPS health checks, e.g. { HttpCode: '200' }. */
  matcher?: { HttpCode?: string; GrpcCode?: string };
}

/** One registration of an instance (by id and port) in a target group. */
export interface Target {
  readonly targetGroupArn: string;
  readonly id: string;
  readonly port: number;
  /** Simulated instant (ms) of the (latest) registration. */
  registeredAt: number;
  /** The reported state, as DescribeTargetHealth answers it now. */
  state: TargetHealthState;
  reason?: string;
  description?: string;
  /** The health checks' verdict; reset to initial whenever checking stops. */
  verdict: HealthVerdict;
  /** Why the last failing check failed (reason code and description), shown when unhealthy. */
  failure?: { reason: string; description: string };
  /** Whether a check has run since checking (re)started: Elb.RegistrationInProgress → Elb.InitialHealthChecking. */
  checked: boolean;
  consecutivePasses: number;
  consecutiveFailures: number;
  /** The next health check, while the target is being checked. */
  nextCheck?: ScheduledEvent;
  /** Set while draining: when the target disappears (ms). */
  drainingUntil?: number;
  drainEnd?: ScheduledEvent;
}

export interface TargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly targetType: 'instance';
  readonly protocol: string;
  readonly protocolVersion?: string;
  readonly port: number;
  readonly vpcId: string;
  readonly ipAddressType: string;
  readonly createdAt: number;
  healthCheck: HealthCheckSettings;
  /** Attributes by key, values as strings (as the API carries them). */
  attributes: Map<string, string>;
  /** Targets by `${id}:${port}`, in registration order. */
  targets: Map<string, Target>;
  /** Listeners whose default action forwards here: the group is "in use" while this is not empty. */
  listenerArns: Set<string>;
}

export interface LoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly type: 'application' | 'network';
  readonly scheme: 'internet-facing' | 'internal';
  readonly ipAddressType: string;
  readonly dnsName: string;
  readonly canonicalHostedZoneId: string;
  readonly vpcId?: string;
  readonly createdAt: number;
  readonly securityGroups: string[];
  /** Enabled zones with the subnet the load balancer has there. */
  readonly availabilityZones: { zoneName: string; subnetId: string }[];
  state: 'provisioning' | 'active' | 'failed';
  activation?: ScheduledEvent;
  attributes: Map<string, string>;
  listenerArns: Set<string>;
}

/** A listener's action as the API carries it (SDK `Action`), kept as given and echoed back. */
export interface ListenerAction {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[]; TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number } };
  FixedResponseConfig?: { StatusCode?: string; ContentType?: string; MessageBody?: string };
  RedirectConfig?: Record<string, unknown>;
}

export interface Listener {
  readonly arn: string;
  readonly loadBalancerArn: string;
  readonly port: number;
  readonly protocol: string;
  readonly defaultActions: ListenerAction[];
  readonly certificates?: { CertificateArn?: string }[];
  readonly sslPolicy?: string;
  /** The target groups the default actions forward to. */
  readonly targetGroupArns: string[];
}

export interface Elbv2State {
  targetGroups: Map<string, TargetGroup>;
  targetGroupsByName: Map<string, TargetGroup>;
  loadBalancers: Map<string, LoadBalancer>;
  loadBalancersByName: Map<string, LoadBalancer>;
  listeners: Map<string, Listener>;
  /** Tags by resource ARN (load balancers, target groups, listeners), key → value in insertion order. */
  tags: Map<string, Map<string, string>>;
  /** Every registration of an instance, across target groups: instance state changes reach its targets in O(1). */
  targetsByInstance: Map<string, Set<Target>>;
}

export function createElbv2State(): Elbv2State {
  return {
    targetGroups: new Map(),
    targetGroupsByName: new Map(),
    loadBalancers: new Map(),
    loadBalancersByName: new Map(),
    listeners: new Map(),
    tags: new Map(),
    targetsByInstance: new Map(),
  };
}

/** The key of a target in `TargetGroup.targets`. */
export function targetKey(id: string, port: number): string {
  return `${id}:${port}`;
}
