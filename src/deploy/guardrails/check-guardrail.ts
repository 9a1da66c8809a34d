/**
 * `--check 'COMMAND'` (deploys.md "Guardrails"): the user's own smoke test,
 * run once for each new instance when the engine is about to count it
 * (`admit`, after it stayed healthy). Exit 0 admits it; any other exit, a
 * signal, or `--check-timeout` makes it a failed launch, with the command's
 * last lines of output in the event and the verdict. CodeDeploy's
 * ValidateService hook plays the same part
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html).
 *
 * The command sees, besides this process's environment:
 * ASG_DEPLOY_GROUP, ASG_DEPLOY_INSTANCE_ID, ASG_DEPLOY_PRIVATE_IP (empty when
 * the instance has none), ASG_DEPLOY_VERSION (the launch template version the
 * instance runs) and ASG_DEPLOY_DEPLOY_ID.
 *
 * @example
 *   checkGuardrail({ command: 'curl -fsS --max-time 5 http://$ASG_DEPLOY_PRIVATE_IP:8080/health' })
 */
import { AsgDeployError, DEFAULT_CHECK_TIMEOUT_MS, formatDuration } from '../../core/index.js';
import type { CandidateInstance, GuardContext, GuardVerdict, Guardrail } from '../guardrail.js';
import { runCheck, type CheckRun } from './run-check.js';

export { DEFAULT_CHECK_TIMEOUT_MS };
export const CHECK_VERDICT_CODE = 'check-failed';
/** How many output lines a failed check carries into its event and verdict. */
export const CHECK_OUTPUT_LINES = 20;

export interface CheckGuardrailOptions {
  command: string;
  /** Default {@link DEFAULT_CHECK_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** The environment the command runs with. */
export function checkEnvironment(ctx: Pick<GuardContext, 'group' | 'deployId'>, instance: CandidateInstance): Record<string, string> {
  return {
    ASG_DEPLOY_GROUP: ctx.group,
    ASG_DEPLOY_INSTANCE_ID: instance.instanceId,
    ASG_DEPLOY_PRIVATE_IP: instance.privateIp ?? '',
    ASG_DEPLOY_VERSION: instance.version,
    ASG_DEPLOY_DEPLOY_ID: ctx.deployId,
  };
}

function failureReason(instanceId: string, run: CheckRun, timeoutMs: number): string {
  const last = run.output.length > 0 ? `: ${run.output[run.output.length - 1]}` : '';
  if (run.spawnError) return `check could not start for ${instanceId}: ${run.spawnError}`;
  if (run.timedOut) return `check timed out on ${instanceId} after ${formatDuration(timeoutMs)}${last}`;
  if (run.exitCode !== undefined) return `check failed on ${instanceId} (exit ${run.exitCode})${last}`;
  return `check failed on ${instanceId} (killed by ${run.signal ?? 'a signal'})${last}`;
}

export function checkGuardrail(options: CheckGuardrailOptions): Guardrail {
  const command = options.command.trim();
  if (command === '') {
    throw new AsgDeployError('BAD_INPUT', 'invalid --check "": the command is empty', {
      hint: "pass a shell command that exits 0 when the instance is good, e.g. --check 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health'",
      details: { option: '--check' },
    });
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  if (!(timeoutMs > 0)) {
    throw new AsgDeployError('BAD_INPUT', `invalid --check-timeout: it must be more than 0, got ${timeoutMs} ms`, {
      hint: 'give the check time to run, e.g. --check-timeout 30s',
      details: { option: '--check-timeout', value: timeoutMs },
    });
  }
  return {
    name: 'check',
    stored: { check: command, checkTimeoutMs: timeoutMs },
    async admit(ctx, instance): Promise<GuardVerdict> {
      const run = await runCheck({
        command,
        env: checkEnvironment(ctx, instance),
        clock: ctx.clock,
        timeoutMs,
        tailLines: CHECK_OUTPUT_LINES,
        ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      });
      const base = { t: ctx.clock.now(), deployId: ctx.deployId, group: ctx.group };
      if (run.aborted) {
        // Ctrl-C is not the instance's fault: hand the interruption back to the engine.
        throw ctx.signal?.reason ?? new AsgDeployError('INTERRUPTED', `interrupted while checking ${instance.instanceId}`);
      }
      if (run.ok) {
        ctx.emit({ ...base, code: 'check-passed', instanceId: instance.instanceId, seconds: run.durationMs / 1000 });
        return { ok: true };
      }
      const reason = failureReason(instance.instanceId, run, timeoutMs);
      ctx.emit({
        ...base,
        code: 'check-failed',
        instanceId: instance.instanceId,
        reason,
        ...(run.exitCode === undefined ? {} : { exitCode: run.exitCode }),
        timedOut: run.timedOut,
        output: run.output,
      });
      return {
        ok: false,
        code: CHECK_VERDICT_CODE,
        reason,
        detail: { instanceId: instance.instanceId, exitCode: run.exitCode, timedOut: run.timedOut, output: run.output },
      };
    },
  };
}
