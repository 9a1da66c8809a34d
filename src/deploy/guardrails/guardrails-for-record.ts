/**
 * The guardrails a deploy writes on its group with the record (issue 9: a
 * resumed deploy keeps its guardrails). Each strategy spreads it into the
 * record it builds, one line:
 *
 * @example
 *   const record: DeploymentRecord = { id, strategy: 'roll', …, ...guardrailsForRecord(options) };
 *
 * Every guardrail built from flags or asg-deploy.yaml carries its settings
 * (`Guardrail.stored`); a library user's own guardrail object cannot be written
 * down, so its name is stored as `unstored` and a resume says it runs without
 * it. Throws BAD_INPUT (before any change: the record is built before the
 * lock) when the settings do not fit in the group's tags.
 */
import type { GuardrailOptions } from '../guardrail.js';
import { encodeStoredGuardrails, isEmptyGuardrails, type StoredGuardrails } from './stored-guardrails.js';

/** The settings of `options` (undefined fields left out). */
export function storedGuardrailsOf(options: GuardrailOptions & { rollback?: boolean }): StoredGuardrails {
  const g: StoredGuardrails = { alarms: [] };
  const unstored: string[] = [];
  for (const guardrail of options.guardrails ?? []) {
    const s = guardrail.stored;
    if (s === undefined) {
      unstored.push(guardrail.name);
      continue;
    }
    if (s.alarms) g.alarms.push(...s.alarms.filter((a) => !g.alarms.includes(a)));
    if (s.checkpoints) g.checkpoints = [...s.checkpoints];
    if (s.checkpointPause) g.checkpointPause = s.checkpointPause;
    if (s.check !== undefined) g.check = s.check;
    if (s.checkTimeoutMs !== undefined) g.checkTimeoutMs = s.checkTimeoutMs;
  }
  if (options.bakeTimeMs !== undefined && options.bakeTimeMs > 0) g.bakeTimeMs = options.bakeTimeMs;
  if (options.rollback === false) g.noRollback = true;
  if (unstored.length > 0) g.unstored = unstored;
  return g;
}

/** `{ guardrails }` for a DeploymentRecord, or `{}` when the deploy has none (no tag is written then). */
export function guardrailsForRecord(options: GuardrailOptions & { rollback?: boolean }): { guardrails?: StoredGuardrails } {
  const g = storedGuardrailsOf(options);
  if (isEmptyGuardrails(g)) return {};
  // Refuse now, naming the limit, rather than fail on the tag write after the deploy started.
  encodeStoredGuardrails('d-00000000T000000-0000', g);
  return { guardrails: g };
}
