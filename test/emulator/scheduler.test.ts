import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scheduler } from '../../src/emulator/scheduler.js';
import { servingTimeline, lowestServing } from '../../src/emulator/serving.js';
import type { HistoryEntry } from '../../src/emulator/history.js';

test('scheduler fires events in (time, insertion) order, each at its own instant', () => {
  const s = new Scheduler(0);
  const seen: [string, number][] = [];
  s.at(20, 'b', () => seen.push(['b', s.now]));
  s.at(10, 'a', () => {
    seen.push(['a', s.now]);
    s.after(5, 'a2', () => seen.push(['a2', s.now])); // scheduled from inside an event
  });
  s.at(20, 'c', () => seen.push(['c', s.now]));
  const cancelled = s.at(12, 'x', () => seen.push(['x', s.now]));
  s.cancel(cancelled);
  s.runUntil(18);
  assert.deepEqual(seen, [['a', 10], ['a2', 15]]);
  assert.equal(s.now, 18);
  s.runUntil(100);
  assert.deepEqual(seen.slice(2), [['b', 20], ['c', 20]]);
  assert.equal(s.now, 100);
});

test('scheduler never moves time backwards: an event asked for the past runs now', () => {
  const s = new Scheduler(100);
  let at = -1;
  s.at(50, 'late', () => (at = s.now));
  s.runUntil(100);
  assert.equal(at, 100);
});

test('scheduler keeps order over many random events (heap)', () => {
  const s = new Scheduler(0);
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = (i * 7919) % 1009;
    s.at(t, 'e', () => times.push(s.now));
  }
  s.runUntil(2000);
  assert.equal(times.length, 2000);
  for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!);
});

const R = 'us-east-1';
const TG = 'arn:tg';
const life = (t: number, id: string, from: string | null, to: string | null): HistoryEntry => ({ t, type: 'lifecycle', region: R, group: 'web', instanceId: id, from, to });
const target = (t: number, id: string, from: string | null, to: string | null): HistoryEntry => ({ t, type: 'target', region: R, targetGroupArn: TG, instanceId: id, from, to });

test('servingTimeline counts an instance only when InService and healthy in every target group', () => {
  const entries: HistoryEntry[] = [
    life(0, 'i-1', null, 'Pending'),
    life(30, 'i-1', 'Pending', 'InService'),
    target(30, 'i-1', null, 'initial'),
    target(180, 'i-1', 'initial', 'healthy'),
    life(200, 'i-2', null, 'Pending'),
    life(230, 'i-2', 'Pending', 'InService'),
    target(230, 'i-2', null, 'initial'),
    target(380, 'i-2', 'initial', 'healthy'),
    target(400, 'i-1', 'healthy', 'draining'),
    life(400, 'i-1', 'InService', 'Terminating'),
  ];
  const timeline = servingTimeline(entries, { group: 'web', targetGroupArns: [TG] });
  assert.deepEqual(
    timeline.map((p) => [p.t, p.serving, p.launchingOrServing]),
    [[0, 0, 1], [180, 1, 1], [200, 1, 2], [380, 2, 2], [400, 1, 1]],
  );
  assert.equal(lowestServing(timeline, 180, 500), 1);
  assert.equal(lowestServing(timeline, 380, 390), 2);
  // Without target groups, InService alone serves.
  const groupOnly = servingTimeline(entries, { group: 'web', targetGroupArns: [] });
  assert.equal(groupOnly.find((p) => p.t === 30)?.serving, 1);
});
