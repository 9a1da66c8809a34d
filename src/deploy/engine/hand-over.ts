/**
 * Giving up cleanly (issue 8, "AWS faults are retried, then handed over
 * cleanly"): when an AWS call still fails after the SDK's retries, the deploy
 * puts back what it can without losing capacity — the processes it suspended
 * that fight a deploy (AZRebalance, AlarmNotification, ScheduledActions) —
 * keeps its record for resume/abort, releases its lock on every group it
 * holds, and raises the same error with the exact commands to go on. MaxSize
 * and desired stay as they are: lowering them now could terminate serving
 * instances; resume or abort settles them (and suspends again what they need).
 */
import { AsgDeployError } from '../../core/index.js';
import type { DeployContext } from './context.js';
import type { DeploymentRecord } from './record.js';
import type { DeployStore } from './store.js';
import { FIGHTING_PROCESSES } from './types.js';

/** One group a run holds: its name, lock store and record. */
export interface RunMember {
  name: string;
  store: DeployStore;
  record: DeploymentRecord;
}

/** What the engine needs of any strategy's run: the context and every group it holds (the first names the deploy). */
export interface EngineRun {
  ctx: DeployContext;
  members: readonly RunMember[];
}

/** The commands that go on from a deploy left on its groups. */
export interface RunCommands {
  resume: string;
  abort: string;
}

/** Drops the lock on every group of the run; the records stay for resume/abort. Errors are the caller's. */
export async function releaseLocks(run: EngineRun): Promise<void> {
  for (const m of run.members) await m.store.release(m.record);
}

/**
 * Hands the deploy over after an error it cannot recover from: the fighting
 * processes it suspended are resumed, each lock released, the record kept
 * with the reason, a `handed-over` event names the commands, and the error is
 * raised again (same code, so the exit code is the AWS one: 5) with them in its hint.
 */
export async function handOver(run: EngineRun, error: AsgDeployError, commands: RunCommands): Promise<never> {
  const { ctx } = run;
  const first = run.members[0]!;
  const reason = error.message;
  const restored: string[] = [];
  let cleanup = '';
  try {
    for (const m of run.members) {
      const { group } = await ctx.aws.autoscaling.describeGroup(m.name);
      const toResume = m.record.suspendedByUs.filter((p) => (FIGHTING_PROCESSES as readonly string[]).includes(p) && group.suspendedProcesses.includes(p));
      if (toResume.length > 0) {
        await ctx.aws.autoscaling.resumeProcesses(m.name, toResume);
        restored.push(...toResume.filter((p) => !restored.includes(p)));
        ctx.emit({ t: ctx.clock.now(), deployId: m.record.id, group: m.name, code: 'processes-resumed', processes: toResume });
      }
    }
    for (const m of run.members) {
      m.record.reason = `stopped on an AWS failure: ${reason}`;
      await m.store.release(m.record);
      ctx.emit({ t: ctx.clock.now(), deployId: m.record.id, group: m.name, code: 'unlocked' });
    }
  } catch (e) {
    cleanup = ` (putting the group back failed too: ${e instanceof Error ? e.message : String(e)}; the lock expires by itself, and \`${commands.resume}\` on this machine takes it over)`;
  }
  ctx.emit({ t: ctx.clock.now(), deployId: first.record.id, group: first.name, code: 'handed-over', reason, restored, resumeCommand: commands.resume, abortCommand: commands.abort });
  const where = run.members.map((m) => m.name).join(' and ');
  const hint = `the deploy stopped and left its record on ${where}${cleanup}: finish it with \`${commands.resume}\` or undo it with \`${commands.abort}\``;
  throw new AsgDeployError(error.code, error.message, { hint, cause: error, ...(error.details === undefined ? {} : { details: error.details }) });
}
