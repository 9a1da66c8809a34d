/**
 * Preflight and small group steps shared by blue/green, swap and shrink —
 * the same checks `roll` makes (deploys.md "Rolling": the group exists and is
 * free, no instance refresh runs on it, the target version and its AMI exist
 * and the AMI is available) and the same way of pinning a group.
 */
import { AsgDeployError, healthCheckMs, resolveWarmupMs, waveMs, type Group, type LaunchTemplateRef, type WaveTiming } from '../../core/index.js';
import type { DeployContext } from './context.js';
import { assertGroupFree } from './store.js';
import { assertImageAvailable, describeTemplateVersion, groupTemplateKey, resolveTargetVersion, type TemplateVersionInfo } from './target.js';

/** Assumed EC2 boot + Auto Scaling Pending → InService, for estimates only (AWS does not say). */
export const ASSUMED_BOOT_MS = 30_000;
/** Assumed time from running until the application answers, for estimates only. */
export const ASSUMED_READY_MS = 20_000;

const ACTIVE_REFRESH = ['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'];

/** The group is usable for a new deploy: not being deleted, not locked or mid-deploy, no instance refresh running. */
export async function assertDeployable(ctx: DeployContext, group: Group): Promise<void> {
  if (group.status) throw new AsgDeployError('CONFLICT', `group ${group.name} is being deleted (${group.status})`);
  assertGroupFree(group, ctx.clock.now());
  const refreshes = await ctx.aws.autoscaling.describeInstanceRefreshes(group.name, { limit: 1 });
  const active = refreshes.find((r) => ACTIVE_REFRESH.includes(r.Status ?? ''));
  if (active) {
    throw new AsgDeployError('LOCKED', `group ${group.name} has an instance refresh ${active.InstanceRefreshId} ${active.Status}`, {
      hint: `wait for it, or cancel it with \`aws autoscaling cancel-instance-refresh --auto-scaling-group-name ${group.name}\``,
    });
  }
  await assertTargetGroupsInUse(ctx, group);
}

/**
 * Refuses a group whose target group no load balancer uses: every target of
 * such a group reports `unused` (ELBv2 API Reference, TargetHealth: reason
 * `Target.NotInUse`, "the target group is not used by any load balancer"), so
 * serving reads 0 and the floor cannot be judged — a deploy would retire every
 * instance at once (issue 8, "Refuse what can't be judged"). A target group is
 * in use when DescribeTargetGroups lists a LoadBalancerArn for it.
 */
export async function assertTargetGroupsInUse(ctx: DeployContext, group: Group): Promise<void> {
  if (group.targetGroupArns.length === 0) return;
  const tgs = await ctx.aws.elbv2.describeTargetGroups({ arns: group.targetGroupArns });
  const unused = tgs.filter((tg) => (tg.LoadBalancerArns ?? []).length === 0);
  if (unused.length === 0) return;
  const names = unused.map((tg) => tg.TargetGroupName ?? tg.TargetGroupArn ?? '?').join(', ');
  throw new AsgDeployError('BAD_INPUT', `target group ${names} of group ${group.name} is not used by any load balancer: its targets report \`unused\`, so asg-deploy cannot tell what serves and refuses to deploy`, {
    hint: `attach it to a load balancer (a listener or rule forwarding to it: \`aws elbv2 create-listener … --default-actions Type=forward,TargetGroupArn=…\`), or detach it from the group with \`aws autoscaling detach-traffic-sources --auto-scaling-group-name ${group.name} …\``,
    details: { targetGroups: unused.map((tg) => tg.TargetGroupArn) },
  });
}

/** Exactly one of --template-version and --image, and a well-formed AMI id. */
export function checkVersionOptions(command: string, options: { templateVersion?: number; image?: string }): void {
  if ((options.templateVersion === undefined) === (options.image === undefined)) {
    throw new AsgDeployError('BAD_INPUT', options.image === undefined ? `${command} needs --template-version N or --image AMI` : 'give either --template-version or --image, not both', {
      hint: `e.g. \`asg-deploy ${command} … --image ami-0123456789abcdef0\` (creates a new launch template version) or \`--template-version 7\``,
    });
  }
  if (options.image !== undefined && !/^ami-[0-9a-f]{8,17}$/.test(options.image)) {
    throw new AsgDeployError('BAD_INPUT', `invalid --image ${JSON.stringify(options.image)}: expected an AMI id like ami-0123456789abcdef0`);
  }
}

export interface ResolvedTarget {
  current: TemplateVersionInfo;
  target: TemplateVersionInfo;
  /** A dry run with --image: the version that would be created (`N?`). */
  wouldCreate: boolean;
  /** The version deployed, as recorded: a number, or `N?` in a dry run. */
  toVersion: string;
}

/**
 * The version to deploy onto `group`'s template, seen from `source` (the group
 * whose running version a new `--image` version is copied from; the same group
 * unless a blue/green pair shares one template). Creates it unless `dryRun`.
 */
export async function resolveTarget(
  ctx: DeployContext,
  group: Group,
  source: Group,
  options: { templateVersion?: number; image?: string; dryRun?: boolean },
): Promise<ResolvedTarget> {
  const key = groupTemplateKey(group);
  const sameTemplate = source !== group && source.launchTemplate && (source.launchTemplate.id ?? source.launchTemplate.name) === (group.launchTemplate!.id ?? group.launchTemplate!.name);
  const current = await describeTemplateVersion(ctx.aws, key, sameTemplate ? source.launchTemplate!.version : group.launchTemplate!.version);
  const { target, created, wouldCreate } = await resolveTargetVersion(ctx.aws, group, current, options, !options.dryRun, [source.name]);
  if (created) ctx.emit({ t: ctx.clock.now(), group: group.name, code: 'template-version-created', templateId: target.templateId, version: target.version, imageId: target.imageId! });
  else if (!wouldCreate) await assertImageAvailable(ctx.aws, target.imageId, `launch template ${target.templateId} version ${target.version}`);
  return { current, target, wouldCreate: wouldCreate === true, toVersion: wouldCreate ? `${target.version}?` : String(target.version) };
}

/**
 * The deploy's warmup on `group` (core `resolveWarmupMs`: `--warmup`, else 0
 * with target groups, else the group's DefaultInstanceWarmup or grace period)
 * and its wave timing: what every strategy's plan starts from.
 */
export async function warmupAndTiming(ctx: DeployContext, group: Group, explicitMs: number | undefined): Promise<{ warmupMs: number; timing: WaveTiming }> {
  const warmupMs = resolveWarmupMs({
    explicitMs,
    targetGroupCount: group.targetGroupArns.length,
    defaultInstanceWarmupMs: group.defaultInstanceWarmupMs,
    healthCheckGracePeriodMs: group.healthCheckGracePeriodMs,
  });
  return { warmupMs, timing: await estimateTiming(ctx, group, warmupMs) };
}

/** Boot, health-check and drain times for the plan's estimate (the first target group's settings, as roll uses). */
export async function estimateTiming(ctx: DeployContext, group: Group, warmupMs: number): Promise<WaveTiming> {
  let health = 0;
  let drainMs = 0;
  if (group.targetGroupArns.length > 0) {
    const tgs = await ctx.aws.elbv2.describeTargetGroups({ arns: group.targetGroupArns });
    for (const tg of tgs) {
      health = Math.max(health, healthCheckMs(tg.HealthyThresholdCount ?? 5, tg.HealthCheckIntervalSeconds ?? 30));
      const attributes = await ctx.aws.elbv2.describeTargetGroupAttributes(tg.TargetGroupArn!);
      drainMs = Math.max(drainMs, Number(attributes['deregistration_delay.timeout_seconds'] ?? 300) * 1000);
    }
  }
  return { bootMs: ASSUMED_BOOT_MS, readyMs: ASSUMED_READY_MS, healthCheckMs: health, warmupMs, drainMs };
}

/** One wave's time, as the one estimator counts it (core/eta.ts waveMs: boot, ready, health checks, stability window, half a poll). */
export function launchToReadyMs(t: WaveTiming): number {
  return waveMs(t);
}

/** Points a group at a launch template reference (its own, or its MixedInstancesPolicy's). */
export async function pinGroup(ctx: DeployContext, group: Group, ref: LaunchTemplateRef, deployId?: string): Promise<void> {
  await ctx.aws.autoscaling.updateGroup(group.name, group.mixedInstancesPolicy ? { mixedInstancesLaunchTemplate: ref } : { launchTemplate: ref });
  ctx.emit({ t: ctx.clock.now(), deployId, group: group.name, code: 'group-pinned', templateId: ref.id ?? ref.name ?? '?', version: ref.version });
}
