/**
 * `--alarm NAME` (deploys.md "Guardrails"): CloudWatch alarms watched for the
 * whole deploy, its checkpoint pauses and its bake time. Preflight refuses an
 * alarm that does not exist or is already in ALARM (a deploy started into a
 * firing alarm would roll back at its first poll, or worse, be blamed for it);
 * `watch` stops the deploy the moment one goes to ALARM, naming it and quoting
 * CloudWatch's StateReason. This is Instance Refresh's AlarmSpecification:
 * "If any of the alarms goes into ALARM state, the instance refresh fails"
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AlarmSpecification.html).
 *
 * INSUFFICIENT_DATA does not stop a deploy: an alarm on a metric the new
 * instances have not reported yet is in it, and Instance Refresh ignores it too.
 *
 * @example
 *   const guard = alarmGuardrail(['web-5xx', 'web-latency']);
 *   await roll(ctx, { group: 'web', image, guardrails: [guard] });
 */
import type { AlarmState } from '../../aws/index.js';
import { AsgDeployError } from '../../core/index.js';
import type { GuardContext, GuardVerdict, Guardrail } from '../guardrail.js';

/** CloudWatch's StateValue that stops a deploy (API_MetricAlarm "StateValue"). */
export const ALARM_STATE = 'ALARM';

/** What a failing verdict of the alarm guardrail carries. */
export const ALARM_VERDICT_CODE = 'alarm';

export interface AlarmGuardrailOptions {
  /** Also stop while rolling back? Default false: an alarm caused by the release stays in ALARM while the old version comes back. */
  watchDuringRollback?: boolean;
}

/** The names the user gave, trimmed and without repeats, refused when empty or longer than CloudWatch allows (1–255). */
export function normaliseAlarmNames(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name.length === 0 || name.length > 255) {
      throw new AsgDeployError('BAD_INPUT', `invalid --alarm ${JSON.stringify(raw)}: an alarm name is 1 to 255 characters`, {
        hint: 'pass the alarm\'s exact name as CloudWatch shows it, e.g. --alarm web-5xx; list them with `aws cloudwatch describe-alarms --query "MetricAlarms[].AlarmName"`',
        details: { option: '--alarm', value: raw },
      });
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function reasonText(alarm: AlarmState): string {
  return alarm.reason ? `: ${alarm.reason}` : '';
}

export function alarmGuardrail(names: readonly string[], options: AlarmGuardrailOptions = {}): Guardrail {
  const alarms = normaliseAlarmNames(names);
  /** Last state seen per alarm, to emit only transitions. */
  const seen = new Map<string, string>();

  const read = async (ctx: GuardContext): Promise<Map<string, AlarmState>> => {
    const states = await ctx.aws.cloudwatch.describeAlarmStates(alarms);
    return new Map(states.map((s) => [s.name, s]));
  };

  return {
    name: 'alarms',
    stored: { alarms },

    async preflight(ctx) {
      if (alarms.length === 0) return;
      const states = await read(ctx);
      const missing = alarms.filter((n) => !states.has(n));
      if (missing.length > 0) {
        throw new AsgDeployError('BAD_INPUT', `cloudwatch alarm${missing.length > 1 ? 's' : ''} ${missing.map((n) => JSON.stringify(n)).join(', ')} not found`, {
          hint: 'check the name (alarm names are case-sensitive) and the region; list alarms with `aws cloudwatch describe-alarms --query "MetricAlarms[].AlarmName"`',
          details: { option: '--alarm', missing },
        });
      }
      const firing = alarms.map((n) => states.get(n)!).filter((s) => s.state === ALARM_STATE);
      if (firing.length > 0) {
        const first = firing[0]!;
        throw new AsgDeployError('BAD_INPUT', `cloudwatch alarm "${first.name}" is already in ALARM${reasonText(first)}${firing.length > 1 ? ` (and ${firing.slice(1).map((s) => s.name).join(', ')})` : ''}`, {
          hint: 'a deploy watching it would roll back at once: fix what fires it first, or deploy without --alarm for it',
          details: { option: '--alarm', alarms: firing.map((s) => ({ name: s.name, reason: s.reason })) },
        });
      }
      for (const n of alarms) seen.set(n, states.get(n)!.state);
      ctx.emit({ t: ctx.clock.now(), deployId: ctx.deployId, group: ctx.group, code: 'alarm-watched', alarms: alarms.map((n) => ({ name: n, state: states.get(n)!.state })) });
    },

    async watch(ctx): Promise<GuardVerdict> {
      if (alarms.length === 0) return { ok: true };
      if (ctx.direction === 'back' && !options.watchDuringRollback) return { ok: true };
      const states = await read(ctx);
      if (seen.size === 0) {
        // First look after a resume (preflight ran in another process): say what is watched.
        ctx.emit({ t: ctx.clock.now(), deployId: ctx.deployId, group: ctx.group, code: 'alarm-watched', alarms: alarms.map((n) => ({ name: n, state: states.get(n)?.state ?? 'MISSING' })) });
      }
      let firing: AlarmState | undefined;
      for (const n of alarms) {
        const s = states.get(n);
        const state = s?.state ?? 'MISSING';
        const before = seen.get(n);
        if (before !== undefined && before !== state) {
          ctx.emit({ t: ctx.clock.now(), deployId: ctx.deployId, group: ctx.group, code: 'alarm-state-changed', alarm: n, from: before, to: state, ...(s?.reason === undefined ? {} : { reason: s.reason }) });
        }
        seen.set(n, state);
        if (s?.state === ALARM_STATE && firing === undefined) firing = s;
      }
      if (firing === undefined) return { ok: true };
      return {
        ok: false,
        code: ALARM_VERDICT_CODE,
        reason: `alarm ${firing.name} is in ALARM${reasonText(firing)}`,
        detail: { alarm: firing.name, stateReason: firing.reason, since: firing.updatedAt },
      };
    },
  };
}
