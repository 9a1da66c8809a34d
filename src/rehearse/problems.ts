/**
 * What a rehearsal found that the user should fix before the real deploy, each
 * with the fix. Two kinds: what the live fleet's shape says on its own (a
 * target group no load balancer uses, a template another group launches at
 * `$Latest`, a launch hook, recent launch failures), and what happened when the
 * deploy ran on the copy (a hook held instances, a policy or scheduled action
 * fired mid-deploy, the deploy failed). Pure: the orchestrator gathers the facts.
 */
import { launchFailuresSince, type ActivitySample } from '../core/rehearsal-timings.js';
import type { FleetShape } from './fleet-shape.js';

export interface RehearsalProblem {
  /** Stable, for scripts: `unused-target-group`, `template-shared`, `lifecycle-hook`, `max-size`, `launch-failures`, `scaling-mid-deploy`, `hook-held-instances`, `deploy-failed`. */
  code: string;
  message: string;
  fix: string;
}

/** What the live fleet's shape shows before anything runs. */
export function shapeProblems(shape: FleetShape, options: { createsTemplateVersion: boolean; recentDays?: number }): RehearsalProblem[] {
  const problems: RehearsalProblem[] = [];
  for (const { raw } of shape.targetGroups) {
    if ((raw.LoadBalancerArns ?? []).length === 0) {
      problems.push({
        code: 'unused-target-group',
        message: `target group ${raw.TargetGroupName} is not used by any load balancer, so its targets report "unused" and no instance can be judged serving`,
        fix: `add a listener or rule that forwards to ${raw.TargetGroupName}, or detach it from the group (aws autoscaling detach-traffic-sources)`,
      });
    }
  }
  if (options.createsTemplateVersion) {
    for (const user of shape.otherTemplateUsers) {
      if (user.version === '$Latest') {
        problems.push({
          code: 'template-shared',
          message: `group ${user.group} launches the same launch template (${user.templateId}) at $Latest: the new version this deploy creates would change what ${user.group} launches`,
          fix: `pin ${user.group} to a version number (aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${user.group} --launch-template LaunchTemplateId=${user.templateId},Version=N), or deploy with --template-version`,
        });
      }
    }
  }
  for (const group of shape.groups) {
    const name = group.raw.AutoScalingGroupName!;
    for (const hook of group.lifecycleHooks) {
      if (hook.LifecycleTransition !== 'autoscaling:EC2_INSTANCE_LAUNCHING') continue;
      problems.push({
        code: 'lifecycle-hook',
        message: `group ${name} has a launch lifecycle hook ${hook.LifecycleHookName}: every new instance waits in Pending:Wait until something completes it (or ${hook.HeartbeatTimeout ?? 3600} s pass and it ${hook.DefaultResult === 'ABANDON' ? 'is abandoned' : 'continues'})`,
        fix: `make sure whatever completes ${hook.LifecycleHookName} (a Lambda, a script on the instance) runs during the deploy, or lower its heartbeat timeout`,
      });
    }
    const activities: ActivitySample[] = group.activities.map((a) => ({
      ...(a.Description === undefined ? {} : { description: a.Description }),
      ...(a.StatusCode === undefined ? {} : { statusCode: a.StatusCode }),
      ...(a.StatusMessage === undefined ? {} : { statusMessage: a.StatusMessage }),
      ...(a.StartTime === undefined ? {} : { startTime: a.StartTime.getTime() }),
      ...(a.EndTime === undefined ? {} : { endTime: a.EndTime.getTime() }),
      ...(a.Details === undefined ? {} : { details: a.Details }),
    }));
    const since = shape.takenAt - (options.recentDays ?? 7) * 86_400_000;
    const byAz = new Map<string, string[]>();
    for (const f of launchFailuresSince(activities, since)) byAz.set(f.availabilityZone, [...(byAz.get(f.availabilityZone) ?? []), f.reason]);
    for (const [az, reasons] of byAz) {
      problems.push({
        code: 'launch-failures',
        message: `group ${name}: ${reasons.length} launch${reasons.length === 1 ? '' : 'es'} failed in ${az} in the last ${options.recentDays ?? 7} days (latest: ${reasons[0]})`,
        fix: `check capacity and quotas in ${az} (aws autoscaling describe-scaling-activities --auto-scaling-group-name ${name}), or add another instance type or AZ`,
      });
    }
  }
  return problems;
}

/** What happened on the copy while the deploy ran. */
export interface RehearsalObservations {
  group: string;
  /** MaxSize before the deploy and the size the surge needs (the plan's `maxSizeNeeded`). */
  maxSize: number;
  maxSizeNeeded?: number;
  /** Longest and count of Pending:Wait holds in the deploy window (seconds). */
  hookHolds: { count: number; longestSeconds: number };
  /** Causes of the scaling activities in the deploy window that the deploy did not start. */
  outsideScaling: string[];
  outcome: string;
  reason?: string;
}

export function runProblems(o: RehearsalObservations): RehearsalProblem[] {
  const problems: RehearsalProblem[] = [];
  if (o.maxSizeNeeded !== undefined && o.maxSize < o.maxSizeNeeded) {
    problems.push({
      code: 'max-size',
      message: `group ${o.group}: MaxSize ${o.maxSize} leaves no room for the surge (it needs ${o.maxSizeNeeded}); the deploy raises it for the deploy and restores it after`,
      fix: `if CloudFormation, Terraform or another tool manages ${o.group}'s MaxSize, set it to ${o.maxSizeNeeded} there so it does not fight the deploy, or lower --max-surge`,
    });
  }
  if (o.hookHolds.count > 0) {
    problems.push({
      code: 'hook-held-instances',
      message: `group ${o.group}: ${o.hookHolds.count} new instance${o.hookHolds.count === 1 ? ' was' : 's were'} held in Pending:Wait by a lifecycle hook, up to ${o.hookHolds.longestSeconds} s each (nothing completed the hook in the rehearsal)`,
      fix: 'make sure the hook is completed (aws autoscaling complete-lifecycle-action) during the real deploy, or remove or shorten it',
    });
  }
  for (const cause of o.outsideScaling) {
    problems.push({
      code: 'scaling-mid-deploy',
      message: `group ${o.group}: the group's own automation acted during the deploy: ${cause}`,
      fix: 'deploy outside that window, or suspend the policy or scheduled action for the deploy (the deploy already keeps the desired capacity it did not set)',
    });
  }
  if (o.outcome !== 'succeeded' && o.outcome !== 'nothing-to-do' && o.outcome !== 'planned') {
    problems.push({
      code: 'deploy-failed',
      message: `the deploy ended ${o.outcome} in the rehearsal${o.reason ? `: ${o.reason}` : ''}`,
      fix: 'fix the cause above before deploying for real; `asg-deploy report` on the rehearsal (--report FILE) shows the timeline',
    });
  }
  return problems;
}

/** One list, each problem once (the same finding from several seeds). */
export function dedupeProblems(problems: readonly RehearsalProblem[]): RehearsalProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
