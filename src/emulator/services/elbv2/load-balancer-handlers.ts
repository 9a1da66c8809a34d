/**
 * Load balancers and listeners: CreateLoadBalancer, DescribeLoadBalancers,
 * DeleteLoadBalancer, DescribeLoadBalancerAttributes, CreateListener,
 * DescribeListeners, DeleteListener. A listener forwarding to a target group
 * puts the group "in use": its targets leave `unused`/`Target.NotInUse` and
 * start their health checks (E-18).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
 */
import type {
  Action,
  CreateListenerInput,
  CreateListenerOutput,
  CreateLoadBalancerInput,
  CreateLoadBalancerOutput,
  DeleteListenerInput,
  DeleteListenerOutput,
  DeleteLoadBalancerInput,
  DeleteLoadBalancerOutput,
  DescribeListenersInput,
  DescribeListenersOutput,
  DescribeLoadBalancerAttributesInput,
  DescribeLoadBalancerAttributesOutput,
  DescribeLoadBalancersInput,
  DescribeLoadBalancersOutput,
  Listener as SdkListener,
  LoadBalancer as SdkLoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsError, validationError } from '../../aws-error.js';
import type { RegionState, RequestContext, Simulation } from '../../world.js';
import { defaultLoadBalancerAttributes, isHttpFamily } from './attributes.js';
import { syncTargetGroup } from './health-checks.js';
import { defaultSecurityGroupOf, findSubnet, type SubnetPlacement } from './network.js';
import { byKey, paginate } from './pagination.js';
import type { Listener, ListenerAction, LoadBalancer } from './state.js';
import { addTags, checkTagList } from './tag-handlers.js';
import { loadBalancerArnsOf } from './target-group-handlers.js';
import { checkArn, checkResourceName, integerInRange, required } from './validation.js';

/** How long a new load balancer stays `provisioning` before it is `active` (simulated seconds, E-1). */
export const LOAD_BALANCER_PROVISIONING_SECONDS = 60;

/** Route 53 hosted zones of ELB DNS names per region (application, network); us-east-1's elsewhere. */
const HOSTED_ZONES: Record<string, [string, string]> = {
  'us-east-1': ['Z35SXDOTRQ7X7K', 'Z26RNL4JYFTOTI'],
  'us-east-2': ['Z3AADJGX6KTTL2', 'ZLMOA37VPKANP'],
  'us-west-1': ['Z368ELLRRE2KJ0', 'Z24FKFUX50B4VW'],
  'us-west-2': ['Z1H1FL5HABSF5', 'Z18D5FSROUN65G'],
  'eu-west-1': ['Z32O12XQLNTSW2', 'Z2IFOLAFXWLO4F'],
  'eu-central-1': ['Z215JYRZR1TBD5', 'Z3F0SRJ5LGBH90'],
  'ap-northeast-1': ['Z14GRHDCWA56QT', 'Z31USIVHYNEOWT'],
  'ap-southeast-1': ['Z1LMS91P8CMLE5', 'ZKVM4W9LS7TM'],
};

const LISTENER_PROTOCOLS: Record<LoadBalancer['type'], string[]> = {
  application: ['HTTP', 'HTTPS'],
  network: ['TCP', 'TLS', 'UDP', 'TCP_UDP'],
};

function loadBalancerNotFound(): AwsError {
  return new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
}

function requireLoadBalancer(region: RegionState, arn: string | undefined): LoadBalancer {
  const lbArn = required(arn, 'LoadBalancerArn');
  checkArn(lbArn, 'load balancer');
  const lb = region.elbv2.loadBalancers.get(lbArn);
  if (!lb) throw loadBalancerNotFound();
  return lb;
}

export function describeLoadBalancer(lb: LoadBalancer): SdkLoadBalancer {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: lb.canonicalHostedZoneId,
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: lb.availabilityZones.map((az) => ({ ZoneName: az.zoneName, SubnetId: az.subnetId, LoadBalancerAddresses: [] })),
    SecurityGroups: lb.type === 'application' || lb.securityGroups.length > 0 ? lb.securityGroups : undefined,
    IpAddressType: lb.ipAddressType as SdkLoadBalancer['IpAddressType'],
  };
}

/** The subnets a request names, resolved: all exist, in one VPC, one per zone; two zones at least for an ALB. */
function placeSubnets(region: RegionState, type: LoadBalancer['type'], input: CreateLoadBalancerInput): SubnetPlacement[] {
  if (input.Subnets?.length && input.SubnetMappings?.length) {
    throw validationError('You can specify subnets or subnet mappings, not both');
  }
  const ids = input.Subnets?.length ? input.Subnets : (input.SubnetMappings ?? []).map((m) => required(m.SubnetId, 'SubnetMappings.member.SubnetId'));
  const placements = ids.map((id) => {
    const subnet = findSubnet(region, id);
    if (!subnet) throw new AwsError('SubnetNotFound', `The subnet ID '${id}' is not valid`);
    return subnet;
  });
  if (new Set(placements.map((p) => p.vpcId)).size > 1) throw new AwsError('InvalidSubnet', 'The subnets must all belong to the same VPC');
  const zones = new Set(placements.map((p) => p.availabilityZone));
  if (zones.size < placements.length) {
    throw validationError('A load balancer cannot be attached to multiple subnets in the same Availability Zone');
  }
  if (type === 'application' && zones.size < 2) throw validationError('At least two subnets in two different Availability Zones must be specified');
  if (zones.size < 1) throw validationError('At least one subnet must be specified');
  return placements;
}

function sameLoadBalancer(lb: LoadBalancer, type: string, scheme: string, subnets: SubnetPlacement[]): boolean {
  const ids = (list: string[]) => [...list].sort().join(',');
  return lb.type === type && lb.scheme === scheme && ids(lb.availabilityZones.map((a) => a.subnetId)) === ids(subnets.map((s) => s.subnetId));
}

function randomDigits(sim: Simulation, n: number): string {
  let out = '';
  while (out.length < n) out += String(sim.rng.int(10));
  return out;
}

export function createLoadBalancer(ctx: RequestContext, input: CreateLoadBalancerInput): CreateLoadBalancerOutput {
  const { sim, region } = ctx;
  const name = required(input.Name, 'Name');
  checkResourceName(name, 'Load balancer');
  const type = input.Type ?? 'application';
  if (type !== 'application' && type !== 'network') {
    throw validationError(`Load balancer type '${type}' is not supported by this emulator; use 'application' or 'network'`);
  }
  const scheme = input.Scheme ?? 'internet-facing';
  const subnets = placeSubnets(region, type, input);
  const tags = input.Tags ? checkTagList(input.Tags) : [];

  // The API is idempotent: the same name with the same settings answers the existing load balancer.
  const existing = region.elbv2.loadBalancersByName.get(name);
  if (existing) {
    if (sameLoadBalancer(existing, type, scheme, subnets)) return { LoadBalancers: [describeLoadBalancer(existing)] };
    throw new AwsError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`);
  }

  const vpcId = subnets[0]?.vpcId;
  const short = type === 'application' ? 'app' : 'net';
  const id = sim.rng.hex(16);
  const prefix = scheme === 'internal' ? 'internal-' : '';
  const dnsName =
    type === 'application'
      ? `${prefix}${name}-${randomDigits(sim, 10)}.${region.region}.elb.amazonaws.com`
      : `${name}-${sim.rng.hex(16)}.elb.${region.region}.amazonaws.com`;
  const zones = HOSTED_ZONES[region.region] ?? HOSTED_ZONES['us-east-1']!;
  const defaultGroup = type === 'application' && vpcId ? defaultSecurityGroupOf(region, vpcId) : undefined;
  const lb: LoadBalancer = {
    arn: `arn:aws:elasticloadbalancing:${region.region}:${region.accountId}:loadbalancer/${short}/${name}/${id}`,
    name,
    type,
    scheme,
    ipAddressType: input.IpAddressType ?? 'ipv4',
    dnsName,
    canonicalHostedZoneId: type === 'application' ? zones[0] : zones[1],
    vpcId,
    createdAt: sim.now,
    securityGroups: input.SecurityGroups?.length ? [...input.SecurityGroups] : defaultGroup ? [defaultGroup] : [],
    availabilityZones: subnets.map((s) => ({ zoneName: s.availabilityZone, subnetId: s.subnetId })),
    state: 'provisioning',
    attributes: defaultLoadBalancerAttributes(type),
    listenerArns: new Set(),
  };
  armActivation(sim, region, lb, sim.now + LOAD_BALANCER_PROVISIONING_SECONDS * 1000);
  region.elbv2.loadBalancers.set(lb.arn, lb);
  region.elbv2.loadBalancersByName.set(name, lb);
  addTags(region, lb.arn, tags);
  return { LoadBalancers: [describeLoadBalancer(lb)] };
}

export function describeLoadBalancers(ctx: RequestContext, input: DescribeLoadBalancersInput): DescribeLoadBalancersOutput {
  const { region } = ctx;
  const names = input.Names ?? [];
  const arns = input.LoadBalancerArns ?? [];
  if (names.length > 0 && arns.length > 0) {
    throw validationError('Load balancer names and load balancer ARNs cannot be specified at the same time');
  }
  let list: LoadBalancer[];
  if (names.length > 0) {
    const missing = names.filter((n) => !region.elbv2.loadBalancersByName.has(n));
    if (missing.length > 0) throw new AwsError('LoadBalancerNotFound', `Load balancers '[${missing.join(', ')}]' not found`);
    list = names.map((n) => region.elbv2.loadBalancersByName.get(n)!);
  } else if (arns.length > 0) {
    list = arns.map((arn) => requireLoadBalancer(region, arn));
  } else {
    list = [...region.elbv2.loadBalancers.values()];
  }
  const sorted = [...new Set(list)].sort(byKey((lb) => lb.name));
  const page = paginate(sorted, (lb) => lb.name, input);
  return { LoadBalancers: page.items.map(describeLoadBalancer), NextMarker: page.nextMarker };
}

/** Deletes the load balancer and its listeners (their target groups fall out of use). Gone already: success, as on AWS. */
export function deleteLoadBalancer(ctx: RequestContext, input: DeleteLoadBalancerInput): DeleteLoadBalancerOutput {
  const { sim, region } = ctx;
  const arn = required(input.LoadBalancerArn, 'LoadBalancerArn');
  checkArn(arn, 'load balancer');
  const lb = region.elbv2.loadBalancers.get(arn);
  if (!lb) return {};
  if (lb.attributes.get('deletion_protection.enabled') === 'true') {
    throw new AwsError('OperationNotPermitted', `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`);
  }
  for (const listenerArn of [...lb.listenerArns]) removeListener(sim, region, listenerArn);
  sim.scheduler.cancel(lb.activation);
  region.elbv2.loadBalancers.delete(arn);
  region.elbv2.loadBalancersByName.delete(lb.name);
  region.elbv2.tags.delete(arn);
  return {};
}

export function describeLoadBalancerAttributes(ctx: RequestContext, input: DescribeLoadBalancerAttributesInput): DescribeLoadBalancerAttributesOutput {
  const lb = requireLoadBalancer(ctx.region, input.LoadBalancerArn);
  return { Attributes: [...lb.attributes].map(([Key, Value]) => ({ Key, Value })) };
}

/**
 * Checks a listener's default actions and returns them as AWS echoes them
 * (a forward to one group carries both `TargetGroupArn` and `ForwardConfig`),
 * with the target groups they forward to.
 */
function normalizeActions(region: RegionState, lb: LoadBalancer, protocol: string, actions: Action[]): { actions: ListenerAction[]; targetGroupArns: string[] } {
  if (actions.length === 0) throw validationError('At least one default action must be specified');
  const targetGroupArns: string[] = [];
  const normalized = actions.map((action): ListenerAction => {
    const type = required(action.Type, 'DefaultActions.member.Type');
    const order = action.Order === undefined ? {} : { Order: action.Order };
    switch (type) {
      case 'forward': {
        const tuples = action.ForwardConfig?.TargetGroups ?? [];
        const arns = tuples.length > 0 ? tuples.map((t) => required(t.TargetGroupArn, 'ForwardConfig.TargetGroups.member.TargetGroupArn')) : [];
        if (action.TargetGroupArn !== undefined) {
          if (arns.length > 0 && (arns.length !== 1 || arns[0] !== action.TargetGroupArn)) {
            throw validationError('You cannot specify a target group in both TargetGroupArn and ForwardConfig unless they are the same');
          }
          if (arns.length === 0) arns.push(action.TargetGroupArn);
        }
        if (arns.length === 0) throw validationError('A target group ARN must be specified for a forward action');
        for (const arn of arns) {
          checkArn(arn, 'target group');
          const tg = region.elbv2.targetGroups.get(arn);
          if (!tg) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
          if (isHttpFamily(protocol) !== isHttpFamily(tg.protocol)) {
            throw new AwsError('IncompatibleProtocols', `The target group protocol '${tg.protocol}' is not compatible with the listener protocol '${protocol}'`);
          }
          if (lb.vpcId && tg.vpcId !== lb.vpcId) {
            throw validationError(`The target group '${arn}' is in VPC '${tg.vpcId}', not in the load balancer's VPC '${lb.vpcId}'`);
          }
          const others = loadBalancerArnsOf(region, tg).filter((a) => a !== lb.arn);
          if (others.length > 0) {
            throw new AwsError('TargetGroupAssociationLimit', `The following target groups cannot be associated with more than one load balancer: ${arn}`);
          }
          targetGroupArns.push(arn);
        }
        const weights = new Map(tuples.map((t) => [t.TargetGroupArn, t.Weight]));
        return {
          Type: 'forward',
          ...order,
          ...(arns.length === 1 ? { TargetGroupArn: arns[0] } : {}),
          ForwardConfig: {
            TargetGroups: arns.map((arn) => ({ TargetGroupArn: arn, Weight: weights.get(arn) ?? 1 })),
            TargetGroupStickinessConfig: action.ForwardConfig?.TargetGroupStickinessConfig ?? { Enabled: false },
          },
        };
      }
      case 'fixed-response': {
        const config = action.FixedResponseConfig;
        const status = required(config?.StatusCode, 'FixedResponseConfig.StatusCode');
        if (!/^[2-5]\d\d$/.test(status)) throw validationError(`Fixed response status code '${status}' must be between 200 and 599`);
        return { Type: 'fixed-response', ...order, FixedResponseConfig: { ...config } };
      }
      case 'redirect': {
        const config = required(action.RedirectConfig, 'RedirectConfig');
        required(config.StatusCode, 'RedirectConfig.StatusCode');
        return { Type: 'redirect', ...order, RedirectConfig: { ...config } };
      }
      default:
        throw validationError(`Action type '${type}' is not supported by this emulator; use forward, fixed-response or redirect`);
    }
  });
  return { actions: normalized, targetGroupArns: [...new Set(targetGroupArns)] };
}

function describeListener(listener: Listener): SdkListener {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol as SdkListener['Protocol'],
    DefaultActions: listener.defaultActions as SdkListener['DefaultActions'],
    Certificates: listener.certificates,
    SslPolicy: listener.sslPolicy,
  };
}

export function createListener(ctx: RequestContext, input: CreateListenerInput): CreateListenerOutput {
  const { sim, region } = ctx;
  const lb = requireLoadBalancer(region, input.LoadBalancerArn);
  if (input.Protocol === undefined) throw validationError('A listener protocol must be specified');
  if (input.Port === undefined) throw validationError('A listener port must be specified');
  const protocol = input.Protocol;
  const allowed = LISTENER_PROTOCOLS[lb.type];
  if (!allowed.includes(protocol)) throw validationError(`Listener protocol '${protocol}' must be one of '${allowed.join(', ')}'`);
  const port = integerInRange(input.Port, 'Port', 1, 65535)!;
  const secure = protocol === 'HTTPS' || protocol === 'TLS';
  if (secure && !input.Certificates?.length) throw validationError(`A certificate must be specified for ${protocol} listeners`);
  const { actions, targetGroupArns } = normalizeActions(region, lb, protocol, required(input.DefaultActions, 'DefaultActions'));
  const tags = input.Tags ? checkTagList(input.Tags) : [];

  for (const arn of lb.listenerArns) {
    const other = region.elbv2.listeners.get(arn);
    if (other?.port !== port) continue;
    // Same port, same settings: the existing listener (the API is idempotent).
    if (other.protocol === protocol && JSON.stringify(other.defaultActions) === JSON.stringify(actions)) return { Listeners: [describeListener(other)] };
    throw new AwsError('DuplicateListener', 'A listener already exists on this port for this load balancer');
  }

  const lbId = lb.arn.split('/').slice(-2).join('/');
  const listener: Listener = {
    arn: `arn:aws:elasticloadbalancing:${region.region}:${region.accountId}:listener/${lb.type === 'application' ? 'app' : 'net'}/${lbId}/${sim.rng.hex(16)}`,
    loadBalancerArn: lb.arn,
    port,
    protocol,
    defaultActions: actions,
    certificates: input.Certificates?.map((c) => ({ CertificateArn: c.CertificateArn })),
    sslPolicy: secure ? (input.SslPolicy ?? 'ELBSecurityPolicy-2016-08') : undefined,
    targetGroupArns,
  };
  region.elbv2.listeners.set(listener.arn, listener);
  lb.listenerArns.add(listener.arn);
  addTags(region, listener.arn, tags);
  for (const tgArn of targetGroupArns) {
    const tg = region.elbv2.targetGroups.get(tgArn)!;
    tg.listenerArns.add(listener.arn);
    syncTargetGroup(sim, region, tg);
  }
  return { Listeners: [describeListener(listener)] };
}

function listenerSortKey(region: RegionState, listener: Listener): string {
  const lbName = region.elbv2.loadBalancers.get(listener.loadBalancerArn)?.name ?? '';
  return `${lbName}/${String(listener.port).padStart(5, '0')}/${listener.arn}`;
}

export function describeListeners(ctx: RequestContext, input: DescribeListenersInput): DescribeListenersOutput {
  const { region } = ctx;
  const arns = input.ListenerArns ?? [];
  if (arns.length > 0 && input.LoadBalancerArn !== undefined) {
    throw validationError('Listener ARNs and a load balancer ARN cannot be specified at the same time');
  }
  let list: Listener[];
  if (arns.length > 0) {
    list = arns.map((arn) => {
      checkArn(arn, 'listener');
      const listener = region.elbv2.listeners.get(arn);
      if (!listener) throw new AwsError('ListenerNotFound', 'One or more listeners not found');
      return listener;
    });
  } else if (input.LoadBalancerArn !== undefined) {
    const lb = requireLoadBalancer(region, input.LoadBalancerArn);
    list = [...lb.listenerArns].map((arn) => region.elbv2.listeners.get(arn)!).filter(Boolean);
  } else {
    throw validationError('You must specify either listener ARNs or a load balancer ARN');
  }
  const keyOf = (l: Listener) => listenerSortKey(region, l);
  const sorted = [...new Set(list)].sort(byKey(keyOf));
  const page = paginate(sorted, keyOf, input);
  return { Listeners: page.items.map(describeListener), NextMarker: page.nextMarker };
}

/** Removes a listener; the groups it forwarded to re-evaluate their targets (maybe now unused). */
function removeListener(sim: Simulation, region: RegionState, listenerArn: string): void {
  const listener = region.elbv2.listeners.get(listenerArn);
  if (!listener) return;
  region.elbv2.listeners.delete(listenerArn);
  region.elbv2.tags.delete(listenerArn);
  region.elbv2.loadBalancers.get(listener.loadBalancerArn)?.listenerArns.delete(listenerArn);
  for (const tgArn of listener.targetGroupArns) {
    const tg = region.elbv2.targetGroups.get(tgArn);
    if (!tg) continue;
    tg.listenerArns.delete(listenerArn);
    syncTargetGroup(sim, region, tg);
  }
}

export function deleteListener(ctx: RequestContext, input: DeleteListenerInput): DeleteListenerOutput {
  const { sim, region } = ctx;
  const arn = required(input.ListenerArn, 'ListenerArn');
  checkArn(arn, 'listener');
  if (!region.elbv2.listeners.has(arn)) throw new AwsError('ListenerNotFound', 'One or more listeners not found');
  removeListener(sim, region, arn);
  return {};
}

/** `provisioning` → `active` at `at`. */
function armActivation(sim: Simulation, region: RegionState, lb: LoadBalancer, at: number): void {
  lb.activation = sim.scheduler.at(at, 'elbv2 load balancer active', () => {
    lb.activation = undefined;
    if (region.elbv2.loadBalancers.get(lb.arn) === lb && lb.state === 'provisioning') lb.state = 'active';
  });
}

/** After a state file is loaded (E-23): a provisioning load balancer turns active when it was due. */
export function rehydrateLoadBalancer(sim: Simulation, region: RegionState, lb: LoadBalancer): void {
  const due = lb.activation;
  lb.activation = undefined;
  if (lb.state === 'provisioning') armActivation(sim, region, lb, due && !due.cancelled ? due.at : sim.now);
}
