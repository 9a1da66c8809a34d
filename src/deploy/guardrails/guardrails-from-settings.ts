/**
 * Guardrail settings (flags, asg-deploy.yaml, or what a deploy stored on its
 * group) → the engine's GuardrailOptions: one place that builds the alarm,
 * checkpoint and check guardrails, so `roll --alarm X` and a resume of that
 * roll on another machine watch the same thing.
 *
 * @example
 *   guardrailsFromSettings({ alarms: ['web-5xx'], bakeTimeMs: 600_000 })
 *   // { guardrails: [alarmGuardrail(['web-5xx'])], bakeTimeMs: 600000 }
 */
import type { Guardrail, GuardrailOptions } from '../guardrail.js';
import { alarmGuardrail } from './alarm-guardrail.js';
import { checkGuardrail } from './check-guardrail.js';
import { checkpointGuardrail } from './checkpoint-guardrail.js';
import type { StoredGuardrails } from './stored-guardrails.js';

export type GuardrailSettingsInput = Pick<StoredGuardrails, 'alarms' | 'checkpoints' | 'checkpointPause' | 'bakeTimeMs' | 'check' | 'checkTimeoutMs'>;

export function guardrailsFromSettings(s: GuardrailSettingsInput): GuardrailOptions {
  const guardrails: Guardrail[] = [];
  if (s.alarms.length > 0) guardrails.push(alarmGuardrail(s.alarms));
  if (s.checkpoints !== undefined) guardrails.push(checkpointGuardrail({ checkpoints: s.checkpoints, ...(s.checkpointPause === undefined ? {} : { pause: s.checkpointPause }) }));
  if (s.check !== undefined) guardrails.push(checkGuardrail({ command: s.check, ...(s.checkTimeoutMs === undefined ? {} : { timeoutMs: s.checkTimeoutMs }) }));
  return { ...(guardrails.length > 0 ? { guardrails } : {}), ...(s.bakeTimeMs === undefined || s.bakeTimeMs === 0 ? {} : { bakeTimeMs: s.bakeTimeMs }) };
}
