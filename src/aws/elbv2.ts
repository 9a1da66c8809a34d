/**
 * The narrow ELBv2 client: target health, (de)registration and target group
 * settings. Built by createAwsClients.
 */
import {
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Caller } from './call.js';
import { toTargetHealthEntry, type TargetHealthEntry } from './map.js';
import { chunk, collectPages } from './paginate.js';

/** An instance target; without a port, the target group's port. */
export interface TargetRef {
  id: string;
  port?: number;
}

export interface Elbv2Api {
  /**
   * Health of every target of the group (one call; DescribeTargetHealth is not
   * paginated), or of the given instance ids only (registered on the target
   * group's default port).
   */
  describeTargetHealth(targetGroupArn: string, instanceIds?: readonly string[]): Promise<TargetHealthEntry[]>;
  deregisterTargets(targetGroupArn: string, targets: readonly TargetRef[]): Promise<void>;
  registerTargets(targetGroupArn: string, targets: readonly TargetRef[]): Promise<void>;
  /** By ARNs (20 per call), names, or load balancer; all pages. No query: every target group. */
  describeTargetGroups(query?: { arns?: readonly string[]; names?: readonly string[]; loadBalancerArn?: string }): Promise<TargetGroup[]>;
  /** Attributes as a map, e.g. `deregistration_delay.timeout_seconds` → `"300"`. */
  describeTargetGroupAttributes(targetGroupArn: string): Promise<Record<string, string>>;
}

const ARNS_PER_CALL = 20;
const PAGE_SIZE = 400;
const TARGETS_PER_CALL = 500;

const targetList = (targets: readonly TargetRef[]) => targets.map((t) => (t.port === undefined ? { Id: t.id } : { Id: t.id, Port: t.port }));

export function createElbv2Api(client: ElasticLoadBalancingV2Client, call: Caller): Elbv2Api {
  const spec = (operation: string, idempotent: boolean, resource?: string) => ({
    service: 'elasticloadbalancing' as const,
    operation,
    idempotent,
    ...(resource === undefined ? {} : { resource }),
  });

  const describePages = (input: { TargetGroupArns?: string[]; Names?: string[]; LoadBalancerArn?: string }, label?: string) =>
    collectPages(async (marker) => {
      const out = await call(spec('DescribeTargetGroups', true, label), (abortSignal) =>
        client.send(new DescribeTargetGroupsCommand({ ...input, Marker: marker, PageSize: PAGE_SIZE }), { abortSignal }),
      );
      return { items: out.TargetGroups ?? [], next: out.NextMarker };
    });

  return {
    async describeTargetHealth(targetGroupArn, instanceIds) {
      if (instanceIds !== undefined && instanceIds.length === 0) return [];
      const out = await call(spec('DescribeTargetHealth', true, targetGroupArn), (abortSignal) =>
        client.send(
          new DescribeTargetHealthCommand({
            TargetGroupArn: targetGroupArn,
            Targets: instanceIds === undefined ? undefined : instanceIds.map((Id) => ({ Id })),
          }),
          { abortSignal },
        ),
      );
      return (out.TargetHealthDescriptions ?? []).map(toTargetHealthEntry);
    },

    async deregisterTargets(targetGroupArn, targets) {
      for (const batch of chunk(targets, TARGETS_PER_CALL)) {
        await call(spec('DeregisterTargets', true, targetGroupArn), (abortSignal) =>
          client.send(new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targetList(batch) }), { abortSignal }),
        );
      }
    },

    async registerTargets(targetGroupArn, targets) {
      for (const batch of chunk(targets, TARGETS_PER_CALL)) {
        await call(spec('RegisterTargets', true, targetGroupArn), (abortSignal) =>
          client.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targetList(batch) }), { abortSignal }),
        );
      }
    },

    async describeTargetGroups(query = {}) {
      if (query.names !== undefined && query.names.length === 0) return [];
      if (query.arns !== undefined) {
        const out: TargetGroup[] = [];
        for (const arns of chunk(query.arns, ARNS_PER_CALL)) out.push(...(await describePages({ TargetGroupArns: arns }, arns.join(', '))));
        return out;
      }
      return describePages(
        {
          ...(query.names === undefined ? {} : { Names: [...query.names] }),
          ...(query.loadBalancerArn === undefined ? {} : { LoadBalancerArn: query.loadBalancerArn }),
        },
        query.names?.join(', ') ?? query.loadBalancerArn,
      );
    },

    async describeTargetGroupAttributes(targetGroupArn) {
      const out = await call(spec('DescribeTargetGroupAttributes', true, targetGroupArn), (abortSignal) =>
        client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn }), { abortSignal }),
      );
      const attributes: Record<string, string> = {};
      for (const a of out.Attributes ?? []) if (a.Key !== undefined) attributes[a.Key] = a.Value ?? '';
      return attributes;
    },
  };
}
