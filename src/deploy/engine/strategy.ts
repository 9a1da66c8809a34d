/**
 * The one interface every deploy strategy implements (issue 8, deliver 1),
 * and the take-over the engine builds from it. A strategy says how to plan a
 * deploy, how to start one, its forward steps (resumable from the step its
 * state tag records), its back steps (the undo), and its state on the group
 * as a typed codec (state.ts `stateCodec`, validated with zod). The engine
 * owns the rest of the run lifecycle once for all of them: `resume` and
 * `abort` from the record on the group (take over the lock, choose the way,
 * release it when the strategy refuses), interruptions at a safe point, and
 * the clean hand-over when AWS keeps failing (hand-over.ts).
 *
 * @example
 *   export const swapStrategy = { name: 'swap', state: swapState, steps: STEPS, plan, start, takeOver, resumeAt, forward, back, … } satisfies Strategy<SwapState, SwapOptions, SwapRun>;
 *   const { resume, abort } = takeOverOf(swapStrategy);
 */
import { isAsgDeployError } from '../../core/index.js';
import type { DeployContext } from './context.js';
import { handOver, releaseLocks, type EngineRun, type RunCommands } from './hand-over.js';
import type { DeployStrategy } from './record.js';
import type { StateCodec } from './state-codec.js';
import type { DeployResult, TakeOverOptions } from './types.js';
import { Interrupted } from './wave-loop.js';

/** How an undo ends: rolled back after a failure, or aborted on request. */
export type UndoOutcome = 'rolled-back' | 'aborted';

/** Which way a resumed deploy goes: on forward from its recorded step, or on with the undo it was doing. */
export type Resumption = { way: 'forward' } | { way: 'back'; reason: string; outcome: UndoOutcome };

export interface Strategy<State, Options = never, Run extends EngineRun = EngineRun, Result extends DeployResult = DeployResult> {
  /** The name its deployment record carries (the registry's key). */
  readonly name: DeployStrategy;
  /** Its state on the group (`asg-deploy:state`), typed and validated; roll keeps none (an empty object). */
  readonly state: StateCodec<State>;
  /** Its forward steps, in order, as recorded in the state (roll: the record's phases). */
  readonly steps: readonly string[];
  /** Its back steps (the undo), in order. */
  readonly backSteps: readonly string[];
  /** Everything checked and computed before anything changes, `plan` event included (the dry run): nothing is written. */
  plan(ctx: DeployContext, options: Options): Promise<Result>;
  /** A new deploy: plan, record and lock, then the forward steps (through {@link runLeg}). */
  start(ctx: DeployContext, options: Options): Promise<Result>;
  /** Reads the unfinished record and state of a group and takes its lock(s) for resume or abort. */
  takeOver(ctx: DeployContext, options: TakeOverOptions, verb: 'resume' | 'abort'): Promise<Run>;
  /** Where a resume goes from the recorded step; throws (the lock is then released) when there is nothing to resume. May run the guardrails' preflight. */
  resumeAt(run: Run): Promise<Resumption>;
  /** Throws, saying what to run instead, when the deploy can no longer be undone (the lock is then released). */
  assertCanGoBack(run: Run): void;
  /** The forward steps from the step the state records, to the end (success, rollback, failure, interruption). */
  forward(run: Run): Promise<Result>;
  /** The back steps from wherever the run is. */
  back(run: Run, reason: string, outcome: UndoOutcome): Promise<Result>;
  /** Releases the lock(s) at a safe point after Ctrl-C, keeping the record, and says how to go on. */
  interrupted(run: Run): Promise<Result>;
  /** The commands that go on from this run when it is left on the group. */
  commands(run: Run): RunCommands;
  /** After every leg that ended (not interrupted): the guardrails' tags go. */
  end(run: Run, result: Result): Promise<Result>;
}

/**
 * Runs one leg of a deploy (forward or back) under the engine's guards: an
 * interruption releases the lock at a safe point, any other failure is handed
 * over cleanly (processes resumed, lock released, record kept, commands
 * printed; exit 5 for AWS failures); a bug is raised as it is.
 */
export async function runLeg<Run extends EngineRun, Result extends DeployResult>(
  strategy: Pick<Strategy<unknown, never, Run, Result>, 'interrupted' | 'commands' | 'end'>,
  run: Run,
  leg: () => Promise<Result>,
): Promise<Result> {
  let out: Result;
  try {
    out = await leg();
  } catch (e) {
    if (e instanceof Interrupted) return strategy.interrupted(run);
    // An AWS failure past the retries (or any classified failure) is handed over; anything else is a
    // bug, raised as it is (exit 70) like a crash: the lock expires, resume/abort take over.
    if (isAsgDeployError(e)) return handOver(run, e, strategy.commands(run));
    throw e;
  }
  return out.outcome === 'interrupted' ? out : strategy.end(run, out);
}

/** Runs `check`; when it refuses, the run's locks are released before the refusal is raised. */
async function orRelease<T>(run: EngineRun, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    try {
      await releaseLocks(run);
    } catch {
      // The lock expires by itself; the refusal is what the user must see.
    }
    throw e;
  }
}

/** Finishes an interrupted or failed deploy of this strategy from its record, on any machine. */
export async function resumeWith<Run extends EngineRun, Result extends DeployResult>(strategy: Strategy<unknown, never, Run, Result>, ctx: DeployContext, options: TakeOverOptions): Promise<Result> {
  const run = await strategy.takeOver(ctx, options, 'resume');
  const at = await orRelease(run, () => strategy.resumeAt(run));
  return runLeg(strategy, run, () => (at.way === 'back' ? strategy.back(run, at.reason, at.outcome) : strategy.forward(run)));
}

/** Undoes a deploy of this strategy in progress or interrupted, from its record, on any machine. */
export async function abortWith<Run extends EngineRun, Result extends DeployResult>(strategy: Strategy<unknown, never, Run, Result>, ctx: DeployContext, options: TakeOverOptions): Promise<Result> {
  const run = await strategy.takeOver(ctx, options, 'abort');
  await orRelease(run, () => strategy.assertCanGoBack(run));
  return runLeg(strategy, run, () => strategy.back(run, 'aborted by request', 'aborted'));
}
