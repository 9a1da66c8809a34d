/** Guardrails beyond health checks (deploys.md "Guardrails"), each a plug-in of the engine's Guardrail contract. */
export { alarmGuardrail, normaliseAlarmNames, ALARM_STATE, ALARM_VERDICT_CODE } from './alarm-guardrail.js';
export type { AlarmGuardrailOptions } from './alarm-guardrail.js';
export { checkGuardrail, checkEnvironment, DEFAULT_CHECK_TIMEOUT_MS, CHECK_VERDICT_CODE, CHECK_OUTPUT_LINES } from './check-guardrail.js';
export type { CheckGuardrailOptions } from './check-guardrail.js';
export { runCheck } from './run-check.js';
export type { RunCheckInput, CheckRun } from './run-check.js';
export { checkpointGuardrail } from './checkpoint-guardrail.js';
export type { CheckpointGuardrail, CheckpointGuardrailOptions, CheckpointPauseRequest } from './checkpoint-guardrail.js';
export { holdAtCheckpoint, holdForBake, DEFAULT_HOLD_POLL_MS } from './hold.js';
export type { HoldAtCheckpointOptions, HoldOutcome, HoldForBakeOptions, BakeOutcome } from './hold.js';
export {
  CHECKPOINT_TAG,
  SIGNAL_TAG,
  BAKE_TAG,
  encodeCheckpointMark,
  decodeCheckpointMark,
  encodeSignal,
  decodeSignal,
  encodeBakeMark,
  decodeBakeMark,
  readCheckpointMark,
  readSignal,
  readBakeMark,
  clearGuardrailTags,
  guardrailStatus,
  signalPausedDeploy,
  requestAbortOfPausedDeploy,
} from './pause-tags.js';
export type { CheckpointMark, PauseSignal, SignalAction, BakeMark, GuardrailStatus } from './pause-tags.js';
export { GuardrailSet } from './guardrail-set.js';
export { candidateInstance } from './candidate-instance.js';
export { guardrailRun } from './guardrail-run.js';
export type { GuardrailRun, GuardrailRunTarget } from './guardrail-run.js';
export { GUARDRAILS_TAG, GUARDRAIL_TAGS_MAX, encodeStoredGuardrails, decodeStoredGuardrails, guardrailTagKeys, staleGuardrailTagKeys, isEmptyGuardrails, guardrailsText } from './stored-guardrails.js';
export type { StoredGuardrails } from './stored-guardrails.js';
export { guardrailsForRecord, storedGuardrailsOf } from './guardrails-for-record.js';
export { guardrailsFromSettings } from './guardrails-from-settings.js';
export type { GuardrailSettingsInput } from './guardrails-from-settings.js';
export { withStoredGuardrails, mergeGuardrailSettings } from './resume-guardrails.js';
export type { GuardrailOverrides, ResumeGuardrailOptions } from './resume-guardrails.js';
