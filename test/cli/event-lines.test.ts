/**
 * Every event code of the registry renders (issue 10 item 4): a sample
 * payload built from the declared fields gives a non-empty, sensible line for
 * each code — none silently dropped — except the few codes that are the
 * command's summary or debug detail (SILENT_CODES), which --verbose still
 * shows. And the wordings issue 10 names: what the commands really did.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRenderer, describeEvent, SILENT_CODES } from '../../src/cli/render.js';
import { EVENT_CODES, EVENT_FIELDS, type AnyEvent, type EventCode } from '../../src/events/index.js';

/** A plausible value per declared field kind; enums take their first allowed value. */
function sampleValue(field: string, spec: unknown): unknown {
  if (Array.isArray(spec)) return spec[0];
  const kind = String(spec).replace(/\?$/, '');
  switch (kind) {
    case 'number':
      return 3;
    case 'boolean':
      return true;
    case 'string[]':
      return [`${field}-a`, `${field}-b`];
    case 'string-map':
      return { key: 'value' };
    case 'object[]':
      return [{ name: `${field}-1`, state: 'OK' }];
    case 'object':
      return {};
    default:
      if (/At$|until|createdAt/i.test(field)) return '2026-12-06T03:00:00.000Z';
      return `${field}-x`;
  }
}

function sampleEvent(code: EventCode): AnyEvent {
  const fields = EVENT_FIELDS[code] as Record<string, unknown>;
  const payload = Object.fromEntries(Object.entries(fields).map(([k, spec]) => [k, sampleValue(k, spec)]));
  return { code, t: Date.parse('2026-12-06T03:00:00Z'), deployId: 'd-1', group: 'web', app: 'shop', ...payload } as unknown as AnyEvent;
}

const SENSELESS = /undefined|NaN|\[object Object\]|null|-\d+s\b/;

test('every event code renders a non-empty, sensible line from a sample payload', () => {
  assert.ok(EVENT_CODES.length > 40, `the registry lists ${EVENT_CODES.length} codes`);
  const silentSeen: EventCode[] = [];
  for (const code of EVENT_CODES) {
    const line = describeEvent(sampleEvent(code));
    if (SILENT_CODES.has(code)) {
      silentSeen.push(code);
      assert.equal(line, undefined, `${code} is listed as silent but renders "${line}"`);
      continue;
    }
    assert.equal(typeof line, 'string', `${code} renders no line`);
    assert.ok(line!.trim().length > 5, `${code} renders "${line}"`);
    assert.doesNotMatch(line!, SENSELESS, `${code} renders "${line}"`);
  }
  assert.deepEqual(new Set(silentSeen), new Set(SILENT_CODES), 'every silent code is a registry code');
});

test('with --verbose even the silent codes print, so nothing is dropped', () => {
  const out: string[] = [];
  const renderer = createRenderer({ out: (l) => out.push(l), err: () => {}, isTty: false }, 'text', { verbose: true });
  for (const code of EVENT_CODES) {
    const before = out.length;
    renderer.event(sampleEvent(code));
    assert.ok(out.length > before, `${code} printed nothing with --verbose`);
  }
});

test('a blue/green rollback shows instances leaving Standby, not launching', () => {
  const e = { ...sampleEvent('instance-launched'), instanceId: 'i-1', version: '2', az: 'us-east-1a', via: 'standby' } as AnyEvent;
  const line = describeEvent(e)!;
  assert.match(line, /i-1 leaving Standby, version 2 in us-east-1a/);
  assert.doesNotMatch(line, /launching/);
  const launched = describeEvent({ ...e, via: undefined } as AnyEvent)!;
  assert.match(launched, /i-1 launching on version 2/);
});

test('swap wording: attached prepared instances, no "version prepared", no "version ?"', () => {
  const attached = describeEvent({ ...sampleEvent('instance-launched'), instanceId: 'i-9', version: 'prepared', via: 'attach' } as AnyEvent)!;
  assert.match(attached, /i-9 attached \(prepared\)/);
  const progress = describeEvent({ ...sampleEvent('progress'), phase: 'swap', targetVersion: 'prepared', onTarget: 2, launching: 1, startDesired: 4, etaSeconds: undefined, etaReason: undefined } as AnyEvent)!;
  assert.match(progress, /1 of 4 prepared instance\(s\) ready, 1 warming up/);
  assert.doesNotMatch(progress, /version prepared/);
  const retiring = describeEvent({ ...sampleEvent('instance-retiring'), instanceId: 'i-3', version: '?' } as AnyEvent)!;
  assert.doesNotMatch(retiring, /version \?/);
  const plan = describeEvent({ ...sampleEvent('plan'), strategy: 'swap', fromVersion: '2', toVersion: '2 prepared instance(s)' } as AnyEvent)!;
  assert.match(plan, /^plan: swap 2 prepared instance\(s\) into web \(now on version 2\)/);
});

test('a plan whose group already launches the target does not read "2 to 2"', () => {
  const plan = describeEvent({ ...sampleEvent('plan'), strategy: 'shrink', fromVersion: '2', toVersion: '2' } as AnyEvent)!;
  assert.doesNotMatch(plan, /2 to 2|2 → 2/);
  assert.match(plan, /web to version 2 \(the group launches it already/);
});

test('done says what finish and swap did when given a summary; otherwise the outcome', () => {
  const base = { ...sampleEvent('done'), outcome: 'succeeded', version: '4', seconds: 10, lowestServing: 6, floor: 6, apiCalls: undefined, reason: undefined, summary: undefined } as AnyEvent;
  assert.match(describeEvent(base)!, /^deployed version 4 in 10s; lowest serving 6 \(floor 6\)$/);
  const finished = describeEvent({ ...base, summary: 'finished: terminated 6 Standby instance(s) of web; version 4 stays live on web-green' } as AnyEvent)!;
  assert.match(finished, /^finished: terminated 6 Standby instance\(s\) of web; version 4 stays live on web-green in 10s/);
  assert.doesNotMatch(finished, /deployed version/);
});

test('a progress line says why the ETA went up when it did', () => {
  const line = describeEvent({ ...sampleEvent('progress'), etaSeconds: 120, etaReason: 'a launch failed: one more instance to launch' } as AnyEvent)!;
  assert.match(line, /about 2m0?s? left \(a launch failed: one more instance to launch\)$/);
});

test('an ETA of zero while the deploy still runs reads "finishing", not "about 0s left"', () => {
  const line = describeEvent({ ...sampleEvent('progress'), etaSeconds: 0, etaReason: undefined } as AnyEvent)!;
  assert.match(line, /, finishing$/);
  assert.doesNotMatch(line, /0s left/);
});

test('a blue/green rollback\'s progress says its instances are leaving Standby, on a terminal and off it', () => {
  const events = [
    { ...sampleEvent('locked') },
    { ...sampleEvent('instance-launched'), instanceId: 'i-1', version: '2', via: 'standby' },
    { ...sampleEvent('progress'), phase: 'rolling-back', targetVersion: '2', onTarget: 2, launching: 2, startDesired: 2, etaSeconds: undefined, etaReason: undefined },
    { ...sampleEvent('plan') },
    { ...sampleEvent('instance-launched'), instanceId: 'i-2', version: '3', via: undefined },
    { ...sampleEvent('progress'), onTarget: 1, launching: 1, etaSeconds: undefined, etaReason: undefined },
  ] as AnyEvent[];
  const out: string[] = [];
  const renderer = createRenderer({ out: (l) => out.push(l), err: () => {}, isTty: false }, 'text');
  for (const e of events) renderer.event(e);
  const progress = out.filter((l) => /^(rolling-back|phase-x):/.test(l));
  assert.equal(progress.length, 2, out.join('\n'));
  assert.match(progress[0]!, /0 of 2 on version 2 ready, 2 leaving Standby/);
  assert.doesNotMatch(progress[0]!, /launching/);
  assert.match(progress[1]!, /1 launching/, 'a new deploy launches again');
});
