/** Guardrails beyond health checks (deploys.md "Guardrails"), each a plug-in of the engine's Guardrail contract. */
export { alarmGuardrail, normaliseAlarmNames, ALARM_STATE, ALARM_VERDICT_CODE } from './alarm-guardrail.js';
export type { AlarmGuardrailOptions } from './alarm-guardrail.js';
