/**
 * Binds one deploy's guardrails (guardrails/guardrail-run.ts) to the wave
 * loop's calls (wave-loop.ts WaveGuards): the same wiring for every strategy
 * that drives waves (docs/guardrails.md "What the engine does with them").
 */
import { checkpointReached, type Instance } from '../../core/index.js';
import type { DeployProgress, GuardVerdict } from '../guardrail.js';
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
