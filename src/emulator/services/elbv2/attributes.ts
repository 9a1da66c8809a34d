/**
 * Target group and load balancer attributes: AWS's defaults and the rules
 * ModifyTargetGroupAttributes enforces
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html).
 */
import { validationError } from '../../aws-error.js';

type AttributeRule = (value: string, key: string) => void;

const oneOf =
  (...allowed: string[]): AttributeRule =>
  (value, key) => {
    if (!allowed.includes(value)) {
      throw validationError(`Target group attribute '${key}' value '${value}' must be one of [${allowed.join(', ')}]`);
    }
  };

const integerBetween =
  (min: number, max: number, alsoAllowed: string[] = []): AttributeRule =>
  (value, key) => {
    if (alsoAllowed.includes(value)) return;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      throw validationError(`'${key}' value '${value}' must be between '${min}-${max}' inclusive`);
    }
  };

const slowStart: AttributeRule = (value, key) => {
  if (value === '0') return;
  integerBetween(30, 900)(value, key);
};

const anyString: AttributeRule = () => {};

const BOOLEAN = oneOf('true', 'false');
const COUNT_OR_OFF = integerBetween(1, 10000, ['off']);
const PERCENT_OR_OFF = integerBetween(1, 100, ['off']);

/** Rules for every attribute a target group of these protocols accepts. */
function rulesFor(protocol: string): Map<string, AttributeRule> {
  const rules = new Map<string, AttributeRule>([
    ['deregistration_delay.timeout_seconds', integerBetween(0, 3600)],
    ['stickiness.enabled', BOOLEAN],
    ['load_balancing.cross_zone.enabled', oneOf('true', 'false', 'use_load_balancer_configuration')],
    ['target_group_health.dns_failover.minimum_healthy_targets.count', COUNT_OR_OFF],
    ['target_group_health.dns_failover.minimum_healthy_targets.percentage', PERCENT_OR_OFF],
    ['target_group_health.unhealthy_state_routing.minimum_healthy_targets.count', integerBetween(1, 10000)],
    ['target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage', PERCENT_OR_OFF],
  ]);
  if (isHttpFamily(protocol)) {
    rules.set('stickiness.type', oneOf('lb_cookie', 'app_cookie'));
    rules.set('stickiness.lb_cookie.duration_seconds', integerBetween(1, 604800));
    rules.set('stickiness.app_cookie.duration_seconds', integerBetween(1, 604800));
    rules.set('stickiness.app_cookie.cookie_name', anyString);
    rules.set('slow_start.duration_seconds', slowStart);
    rules.set('load_balancing.algorithm.type', oneOf('round_robin', 'least_outstanding_requests', 'weighted_random'));
    rules.set('load_balancing.algorithm.anomaly_mitigation', oneOf('on', 'off'));
  } else {
    rules.set('stickiness.type', oneOf('source_ip'));
    rules.set('deregistration_delay.connection_termination.enabled', BOOLEAN);
    rules.set('preserve_client_ip.enabled', BOOLEAN);
    rules.set('proxy_protocol_v2.enabled', BOOLEAN);
    rules.set('target_health_state.unhealthy.connection_termination.enabled', BOOLEAN);
    rules.set('target_health_state.unhealthy.draining_interval_seconds', integerBetween(0, 360000));
  }
  return rules;
}

export function isHttpFamily(protocol: string): boolean {
  return protocol === 'HTTP' || protocol === 'HTTPS';
}

/** The attributes a new target group starts with, as AWS reports them for an instance target group. */
export function defaultTargetGroupAttributes(protocol: string): Map<string, string> {
  const common: [string, string][] = [
    ['deregistration_delay.timeout_seconds', '300'],
    ['stickiness.enabled', 'false'],
    ['load_balancing.cross_zone.enabled', 'use_load_balancer_configuration'],
    ['target_group_health.dns_failover.minimum_healthy_targets.count', '1'],
    ['target_group_health.dns_failover.minimum_healthy_targets.percentage', 'off'],
    ['target_group_health.unhealthy_state_routing.minimum_healthy_targets.count', '1'],
    ['target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage', 'off'],
  ];
  const specific: [string, string][] = isHttpFamily(protocol)
    ? [
        ['stickiness.type', 'lb_cookie'],
        ['stickiness.lb_cookie.duration_seconds', '86400'],
        ['stickiness.app_cookie.cookie_name', ''],
        ['stickiness.app_cookie.duration_seconds', '86400'],
        ['slow_start.duration_seconds', '0'],
        ['load_balancing.algorithm.type', 'round_robin'],
        ['load_balancing.algorithm.anomaly_mitigation', 'off'],
      ]
    : [
        ['stickiness.type', 'source_ip'],
        ['deregistration_delay.connection_termination.enabled', protocol === 'UDP' || protocol === 'TCP_UDP' ? 'true' : 'false'],
        ['preserve_client_ip.enabled', 'true'],
        ['proxy_protocol_v2.enabled', 'false'],
        ['target_health_state.unhealthy.connection_termination.enabled', 'true'],
        ['target_health_state.unhealthy.draining_interval_seconds', '0'],
      ];
  return new Map([...common, ...specific]);
}

/**
 * Checks every key and value of a ModifyTargetGroupAttributes request before
 * anything is applied (one bad attribute changes nothing).
 */
export function checkTargetGroupAttributes(protocol: string, attributes: readonly { Key?: string; Value?: string }[]): [string, string][] {
  const rules = rulesFor(protocol);
  return attributes.map(({ Key, Value }) => {
    const key = Key ?? '';
    const rule = rules.get(key);
    if (!rule) throw validationError(`Target group attribute key '${key}' is not recognized`);
    const value = Value ?? '';
    rule(value, key);
    return [key, value];
  });
}

/** What DescribeLoadBalancerAttributes answers for a new load balancer of `type`. */
export function defaultLoadBalancerAttributes(type: 'application' | 'network'): Map<string, string> {
  const common: [string, string][] = [
    ['access_logs.s3.enabled', 'false'],
    ['access_logs.s3.bucket', ''],
    ['access_logs.s3.prefix', ''],
    ['deletion_protection.enabled', 'false'],
    ['ipv6.deny_all_igw_traffic', 'false'],
  ];
  const specific: [string, string][] =
    type === 'application'
      ? [
          ['idle_timeout.timeout_seconds', '60'],
          ['client_keep_alive.seconds', '3600'],
          ['connection_logs.s3.enabled', 'false'],
          ['connection_logs.s3.bucket', ''],
          ['connection_logs.s3.prefix', ''],
          ['routing.http.desync_mitigation_mode', 'defensive'],
          ['routing.http.drop_invalid_header_fields.enabled', 'false'],
          ['routing.http.preserve_host_header.enabled', 'false'],
          ['routing.http.x_amzn_tls_version_and_cipher_suite.enabled', 'false'],
          ['routing.http.xff_client_port.enabled', 'false'],
          ['routing.http.xff_header_processing.mode', 'append'],
          ['routing.http2.enabled', 'true'],
          ['waf.fail_open.enabled', 'false'],
          ['load_balancing.cross_zone.enabled', 'true'],
        ]
      : [
          ['load_balancing.cross_zone.enabled', 'false'],
          ['dns_record.client_routing_policy', 'any_availability_zone'],
        ];
  return new Map([...common, ...specific]);
}
