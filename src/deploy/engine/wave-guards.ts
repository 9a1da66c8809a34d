/**
 * Binds one deploy's guardrails (guardrails/guardrail-run.ts) to the wave
 * loop's calls (wave-loop.ts WaveGuards): the same wiring for every strategy
 * that drives waves (docs/guardrails.md "What the engine does with them").
 */
import { AsgDeployError, checkpointReached, type Instance } from '../../core/index.js';
import type { DeployProgress, GuardrailOptions, GuardVerdict } from '../guardrail.js';
import { candidateInstance } from '../guardrails/candidate-instance.js';
import type { CheckpointGuardrail } from '../guardrails/checkpoint-guardrail.js';
import type { GuardrailRun } from '../guardrails/guardrail-run.js';
import type { DeploymentRecord } from './record.js';
import type { DeployStore } from './store.js';
import type { WaveGuards } from './wave-loop.js';

function isCheckpointGuardrail(g: unknown): g is CheckpointGuardrail {
  return typeof g === 'object' && g !== null && (g as { name?: string }).name === 'checkpoints' && typeof (g as CheckpointGuardrail).passed === 'function';
}

/** A checkpoint the progress has reached but the deploy has not paused at yet. */
export function checkpointPending(guards: GuardrailRun, progress: DeployProgress): boolean {
  return guards.set.guardrails.some((g) => isCheckpointGuardrail(g) && checkpointReached(g.checkpoints, progress, g.passed()) !== undefined);
}

/** The wave loop's guard calls for one leg (forward, or back while rolling back); undefined when there is nothing to do. */
export function waveGuards(guards: GuardrailRun, direction: 'forward' | 'back', store: DeployStore, record: DeploymentRecord): WaveGuards | undefined {
  if (guards.set.empty) return undefined;
  const admits = guards.set.guardrails.some((g) => g.admit !== undefined);
  return {
    direction,
    watch: () => guards.watch(direction),
    ...(admits && direction === 'forward' ? { admit: (i: Instance) => guards.admit(candidateInstance(i, record.toVersion)) } : {}),
    stepLimit: (p) => guards.stepLimit(p),
    checkpointPending: (p) => checkpointPending(guards, p),
    afterStep: (p, watchAll: () => Promise<GuardVerdict>) => guards.afterStep(p, watchAll),
    heartbeat: () => store.heartbeat(record),
  };
}

/** The guardrail calls of a ready-wait (readiness-wait.ts): watch every poll, admit each new instance. */
export function readyGuards(guards: GuardrailRun, record: DeploymentRecord, terminateRefused: boolean): { watch(): Promise<GuardVerdict>; admit?(i: Instance): Promise<GuardVerdict>; terminateRefused: boolean } | undefined {
  if (guards.set.empty) return undefined;
  const admits = guards.set.guardrails.some((g) => g.admit !== undefined);
  return {
    watch: () => guards.watch('forward'),
    ...(admits ? { admit: (i: Instance) => guards.admit(candidateInstance(i, record.toVersion)) } : {}),
    terminateRefused,
  };
}

/**
 * Refuses `--checkpoints` on a strategy that launches its whole new fleet in
 * one step (shrink, swap, blue/green): there is no step to pause after, and
 * silently ignoring the flag would let the release reach every instance.
 */
export function refuseCheckpoints(options: GuardrailOptions, strategy: string): void {
  if (!(options.guardrails ?? []).some((g) => isCheckpointGuardrail(g))) return;
  throw new AsgDeployError('BAD_INPUT', `--checkpoints does not apply to ${strategy}: it puts its whole new fleet up in one step, so there is no step to pause after`, {
    hint: 'use `asg-deploy roll` with --checkpoints to pause at a share of the fleet, or drop --checkpoints (--alarm, --check and --bake-time still apply)',
    details: { option: '--checkpoints', strategy },
  });
}
