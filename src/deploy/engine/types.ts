/**
 * The types and defaults every strategy shares: the one result of a deploy
 * operation, the take-over options of resume/abort, the processes a deploy
 * suspends, and the default limits. Kept apart from any strategy so that the
 * strategies, the engine and the registry import it without a cycle.
 */
import type { RollingPlan } from '../../core/index.js';
import type { GuardrailOptions } from '../guardrail.js';

/**
 * The processes that fight a deploy and are suspended for its length
 * (deploys.md "Rolling"). Launch, Terminate, HealthCheck and ReplaceUnhealthy
 * keep running, so the group replaces a failed new instance itself.
 */
export const FIGHTING_PROCESSES = ['AZRebalance', 'AlarmNotification', 'ScheduledActions'] as const;

export const DEFAULT_TIMEOUT_MS = 20 * 60_000;
export const DEFAULT_MAX_FAILED_LAUNCHES = 3;

export type DeployOutcome = 'succeeded' | 'rolled-back' | 'failed' | 'nothing-to-do' | 'interrupted' | 'aborted' | 'planned';

/** What every result carries, whatever its outcome. */
interface ResultBase {
  group: string;
  deployId?: string;
  fromVersion?: string;
  toVersion?: string;
  /** Clock time the command took. */
  seconds: number;
  /** Lowest serving count the deploy observed (the emulator's history is the proof in tests). */
  lowestServing?: number;
  floor?: number;
  plan?: RollingPlan;
}

/**
 * The result of a deploy operation, tagged by `outcome`: the outcomes that
 * did not end on the target version carry the reason why.
 */
export type DeployResult =
  | (ResultBase & { outcome: 'succeeded' | 'nothing-to-do' | 'planned'; reason?: string })
  | (ResultBase & { outcome: 'rolled-back' | 'failed' | 'interrupted' | 'aborted'; reason: string });

export interface TakeOverOptions extends GuardrailOptions {
  group: string;
  /** Take over even though the lock has not expired (its holder is known to be dead). */
  force?: boolean;
}

export type ResultFields = ResultBase;
type ShortOutcome = 'rolled-back' | 'failed' | 'interrupted' | 'aborted';
const SHORT_OUTCOMES: readonly DeployOutcome[] = ['rolled-back', 'failed', 'interrupted', 'aborted'];

function isShort(outcome: DeployOutcome): outcome is ShortOutcome {
  return SHORT_OUTCOMES.includes(outcome);
}

/** Builds the tagged result: an outcome short of the target always carries a reason (its own name when none was given). */
export function deployResult(fields: ResultBase, outcome: DeployOutcome, reason?: string): DeployResult {
  if (isShort(outcome)) return { ...fields, outcome, reason: reason ?? outcome };
  return { ...fields, outcome, ...(reason === undefined ? {} : { reason }) };
}
