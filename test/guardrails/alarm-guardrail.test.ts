import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAsgDeployError } from '../../src/core/index.js';
import { alarmGuardrail, normaliseAlarmNames } from '../../src/deploy/guardrails/index.js';
import { startGuardHarness, type GuardHarness } from './harness.js';

let h: GuardHarness;
before(async () => {
  h = await startGuardHarness();
});
after(async () => {
  await h.close();
});

test('preflight refuses an alarm that does not exist, naming it (BAD_INPUT: exit 2)', async () => {
  await h.putAlarm('exists-ok');
  const guard = alarmGuardrail(['exists-ok', 'no-such-alarm']);
  await assert.rejects(guard.preflight!(h.ctx()), (e: unknown) => {
    assert.ok(isAsgDeployError(e, 'BAD_INPUT'));
    assert.match(e.message, /"no-such-alarm" not found/);
    assert.doesNotMatch(e.message, /exists-ok/);
    assert.deepEqual(e.details?.missing, ['no-such-alarm']);
    return true;
  });
});

test('preflight refuses an alarm already in ALARM, with its name and state reason', async () => {
  await h.putAlarm('already-firing');
  await h.setAlarm('already-firing', 'ALARM', 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).');
  const guard = alarmGuardrail(['already-firing']);
  await assert.rejects(guard.preflight!(h.ctx()), (e: unknown) => {
    assert.ok(isAsgDeployError(e, 'BAD_INPUT'));
    assert.match(e.message, /alarm "already-firing" is already in ALARM: Threshold Crossed: 1 datapoint \[12\.0\]/);
    return true;
  });
});

test('preflight accepts OK and INSUFFICIENT_DATA and says what it watches; watch reports the transition to ALARM with the reason', async () => {
  await h.putAlarm('web-5xx');
  await h.putAlarm('web-latency');
  await h.setAlarm('web-5xx', 'OK', 'Threshold Crossed: no datapoints were breaching');
  const guard = alarmGuardrail(['web-5xx', 'web-latency', 'web-5xx']);
  const ctx = h.ctx({ deployId: 'd-watch' });
  await guard.preflight!(ctx);
  const watched = h.log.of('alarm-watched').filter((e) => e.deployId === 'd-watch');
  assert.equal(watched.length, 1);
  assert.deepEqual(watched[0]!.alarms, [
    { name: 'web-5xx', state: 'OK' },
    { name: 'web-latency', state: 'INSUFFICIENT_DATA' },
  ]);

  assert.deepEqual(await guard.watch!(ctx), { ok: true });
  await h.setAlarm('web-5xx', 'ALARM', 'Threshold Crossed: 1 datapoint [40.0] was greater than the threshold (5.0).');
  const verdict = await guard.watch!(ctx);
  assert.equal(verdict.ok, false);
  assert.ok(!verdict.ok);
  assert.equal(verdict.code, 'alarm');
  assert.equal(verdict.reason, 'alarm web-5xx is in ALARM: Threshold Crossed: 1 datapoint [40.0] was greater than the threshold (5.0).');
  assert.equal(verdict.detail?.alarm, 'web-5xx');
  const changed = h.log.of('alarm-state-changed').filter((e) => e.deployId === 'd-watch');
  assert.deepEqual(
    changed.map((e) => [e.alarm, e.from, e.to]),
    [['web-5xx', 'OK', 'ALARM']],
  );
  assert.match(changed[0]!.reason ?? '', /40\.0/);
  // A second poll in ALARM: still failing, no second transition event.
  assert.equal((await guard.watch!(ctx)).ok, false);
  assert.equal(h.log.of('alarm-state-changed').filter((e) => e.deployId === 'd-watch').length, 1);
  await h.setAlarm('web-5xx', 'OK', 'recovered');
});

test('watch stays quiet while rolling back (the alarm the release caused keeps firing while the old version returns)', async () => {
  await h.putAlarm('rb-alarm');
  const guard = alarmGuardrail(['rb-alarm']);
  await guard.preflight!(h.ctx());
  await h.setAlarm('rb-alarm', 'ALARM', 'breaching');
  assert.deepEqual(await guard.watch!(h.ctx({ direction: 'back' })), { ok: true });
  assert.equal((await guard.watch!(h.ctx({ direction: 'forward' }))).ok, false);
  const strict = alarmGuardrail(['rb-alarm'], { watchDuringRollback: true });
  assert.equal((await strict.watch!(h.ctx({ direction: 'back' }))).ok, false);
});

test('more than 100 alarms are read in batches of 100 names, each paged (DescribeAlarms takes up to 100 names)', async () => {
  const names = Array.from({ length: 130 }, (_, i) => `many-${String(i).padStart(3, '0')}`);
  for (const n of names) await h.putAlarm(n);
  await h.setAlarm('many-117', 'ALARM', 'the 118th alarm fires');
  const states = await h.aws.cloudwatch.describeAlarmStates(names);
  assert.equal(states.length, 130);
  assert.deepEqual(new Set(states.map((s) => s.name)), new Set(names));
  assert.ok(states.every((s) => s.type === 'metric'));
  const verdict = await alarmGuardrail(names).watch!(h.ctx({ deployId: 'd-many' }));
  assert.ok(!verdict.ok);
  assert.match(verdict.reason, /many-117 is in ALARM: the 118th alarm fires/);
  const calls = h.t.history().filter((e) => e.type === 'call' && (e as { action?: string }).action === 'DescribeAlarms');
  assert.ok(calls.length >= 2);
});

test('alarm names are trimmed, de-duplicated, and an empty one is refused naming the flag', () => {
  assert.deepEqual(normaliseAlarmNames([' a ', 'b', 'a']), ['a', 'b']);
  assert.throws(() => normaliseAlarmNames(['']), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && /--alarm ""/.test(e.message));
  assert.throws(() => normaliseAlarmNames(['x'.repeat(256)]), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT'));
});

test('a resumed deploy (no preflight in this process) says what it watches at its first watch, once', async () => {
  await h.putAlarm('resumed-alarm');
  const guard = alarmGuardrail(['resumed-alarm', 'deleted-meanwhile']);
  const ctx = h.ctx({ deployId: 'd-resumed' });
  assert.deepEqual(await guard.watch!(ctx), { ok: true });
  assert.deepEqual(await guard.watch!(ctx), { ok: true });
  const watched = h.log.of('alarm-watched').filter((e) => e.deployId === 'd-resumed');
  assert.equal(watched.length, 1);
  assert.deepEqual(watched[0]!.alarms, [
    { name: 'resumed-alarm', state: 'INSUFFICIENT_DATA' },
    { name: 'deleted-meanwhile', state: 'MISSING' },
  ]);
});
