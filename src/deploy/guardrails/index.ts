/** Guardrails beyond health checks (deploys.md "Guardrails"), each a plug-in of the engine's Guardrail contract. */
export { alarmGuardrail, normaliseAlarmNames, ALARM_STATE, ALARM_VERDICT_CODE } from './alarm-guardrail.js';
export type { AlarmGuardrailOptions } from './alarm-guardrail.js';
export { checkGuardrail, checkEnvironment, DEFAULT_CHECK_TIMEOUT_MS, CHECK_VERDICT_CODE, CHECK_OUTPUT_LINES } from './check-guardrail.js';
export type { CheckGuardrailOptions } from './check-guardrail.js';
export { runCheck } from './run-check.js';
export type { RunCheckInput, CheckRun } from './run-check.js';
