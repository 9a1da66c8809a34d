/**
 * Scheduled actions' `Recurrence`: the Unix cron format (minute, hour, day of
 * month, month, day of week) in the action's `TimeZone` (an IANA name, UTC by
 * default), as "Scheduled scaling for Amazon EC2 Auto Scaling" describes
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html).
 * Written here rather than taken from a library: five fields, lists, ranges,
 * steps and month/day names are all the format has, and Intl knows the zones.
 *
 * @example
 * nextCronTime('0 9 * * MON-FRI', 'Europe/Paris', Date.UTC(2026, 0, 1)) // 2026-01-01T08:00:00Z
 */
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  /** Day of month and day of week both restricted: either matches (cron's rule). */
  eitherDay: boolean;
}

function parseField(field: string, min: number, max: number, names?: string[]): { values: Set<number>; restricted: boolean } | undefined {
  const values = new Set<number>();
  const value = (text: string): number | undefined => {
    const named = names?.indexOf(text.toUpperCase()) ?? -1;
    if (named >= 0) return named + (names === MONTHS ? 1 : 0);
    if (!/^\d+$/.test(text)) return undefined;
    return Number(text);
  };
  for (const part of field.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const step = m[2] ? Number(m[2]) : 1;
    if (step < 1) return undefined;
    let lo: number | undefined;
    let hi: number | undefined;
    if (m[1] === '*') {
      lo = min;
      hi = max;
    } else {
      const [a, b] = m[1]!.split('-');
      lo = value(a!);
      hi = b === undefined ? (m[2] ? max : lo) : value(b);
    }
    if (lo === undefined || hi === undefined || lo < min || hi > max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, restricted: field !== '*' };
}

/** Parses a five-field cron expression; undefined when it is not one. */
export function parseCron(expression: string): CronSchedule | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const minutes = parseField(fields[0]!, 0, 59);
  const hours = parseField(fields[1]!, 0, 23);
  const dom = parseField(fields[2]!, 1, 31);
  const months = parseField(fields[3]!, 1, 12, MONTHS);
  const dow = parseField(fields[4]!, 0, 7, DAYS);
  if (!minutes || !hours || !dom || !months || !dow) return undefined;
  if (dow.values.has(7)) dow.values.add(0); // 7 is Sunday too
  return {
    minutes: minutes.values,
    hours: hours.values,
    daysOfMonth: dom.values,
    months: months.values,
    daysOfWeek: dow.values,
    eitherDay: dom.restricted && dow.restricted,
  };
}

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localFields(ms: number, zone: string): { month: number; day: number; weekday: number; hour: number; minute: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', month: 'numeric', day: 'numeric', weekday: 'short', hour: 'numeric', minute: 'numeric' });
    formatters.set(zone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: DAYS.indexOf(parts.weekday!.toUpperCase().slice(0, 3)),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

/** The first whole minute strictly after `after` (epoch ms) that the schedule names, in `zone`; undefined if none within ~5 years. */
export function nextCronTime(schedule: CronSchedule | string, zone: string | undefined, after: number): number | undefined {
  const cron = typeof schedule === 'string' ? parseCron(schedule) : schedule;
  if (!cron) return undefined;
  const tz = zone || 'UTC';
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < 20_000; i++) {
    const f = localFields(t, tz);
    const domOk = cron.daysOfMonth.has(f.day);
    const dowOk = cron.daysOfWeek.has(f.weekday);
    const dayOk = cron.months.has(f.month) && (cron.eitherDay ? domOk || dowOk : domOk && dowOk);
    if (!dayOk) {
      t += (24 * 60 - (f.hour * 60 + f.minute)) * 60_000; // to the next local midnight (DST: the next pass corrects)
      continue;
    }
    if (!cron.hours.has(f.hour)) {
      t += (60 - f.minute) * 60_000;
      continue;
    }
    if (!cron.minutes.has(f.minute)) {
      t += 60_000;
      continue;
    }
    return t;
  }
  return undefined;
}
