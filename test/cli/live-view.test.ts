/**
 * The live block's pure parts (src/cli/live/): the state built from events,
 * the view at a given `now` (bars per wave, instance states, serving against
 * the floor, elapsed and ETA that tick without events), colour only when
 * enabled (NO_COLOR, FORCE_COLOR, TERM=dumb, a TTY), and every line cut to
 * the terminal's width.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colorEnabled, createPalette, fitToWidth, initialLiveState, liveView, reduceLiveState, visibleLength, type LiveState } from '../../src/cli/live/index.js';
import type { AnyEvent } from '../../src/events/index.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const at = (s: number) => T0 + s * 1000;
const plain = createPalette(false);
const SGR = /\x1b\[[0-9;]*m/;

function reduce(events: AnyEvent[]): LiveState {
  return events.reduce(reduceLiveState, initialLiveState());
}

const plan: AnyEvent = { code: 'plan', t: at(0), group: 'web', strategy: 'roll', fromVersion: '1', toVersion: '2', templateId: 'lt-1', desired: 6, floor: 6, surge: 2, waves: 3, expectedSeconds: 270, replace: 6, maxSizeNeeded: 8 };
const launched = (s: number, id: string, extra: object = {}): AnyEvent => ({ code: 'instance-launched', t: at(s), group: 'web', instanceId: id, version: '2', az: 'us-east-1a', ...extra }) as AnyEvent;
const wave = (s: number, n: number, launching: number): AnyEvent => ({ code: 'wave-started', t: at(s), group: 'web', wave: n, waves: 3, launching, desired: 6 + launching });
const progress = (s: number, fields: object = {}): AnyEvent =>
  ({ code: 'progress', t: at(s), group: 'web', phase: 'rolling', targetVersion: '2', onTarget: 2, old: 4, serving: 6, floor: 6, startDesired: 6, desired: 8, launching: 1, etaSeconds: 200, ...fields }) as AnyEvent;

/** A roll in its first wave: 4 launching, 2 ready, 1 failed (replaced), 1 still launching. */
const rolling: AnyEvent[] = [
  plan,
  { code: 'locked', t: at(1), group: 'web', lockOwner: 'me' },
  wave(2, 1, 4),
  launched(2, 'i-0000000000000000a'),
  launched(2, 'i-0000000000000000b'),
  launched(2, 'i-0000000000000000c'),
  launched(2, 'i-0000000000000000d'),
  { code: 'instance-ready', t: at(60), instanceId: 'i-0000000000000000a', version: '2', afterSeconds: 58 },
  { code: 'instance-ready', t: at(61), instanceId: 'i-0000000000000000b', version: '2', afterSeconds: 59 },
  { code: 'instance-failed', t: at(62), instanceId: 'i-0000000000000000c', reason: 'Unhealthy', failedLaunches: 1, maxFailedLaunches: 3 },
  { code: 'instance-retiring', t: at(63), instanceId: 'i-old1', version: '1' },
  progress(70, { onTarget: 3, old: 5, serving: 7, launching: 1, etaSeconds: 200, etaReason: 'a launch failed' }),
];

test('a dry run shows no block; a locked deploy does; the block goes when the deploy is done', () => {
  assert.deepEqual(liveView(reduce([plan]), at(5), { columns: 100, palette: plain }), [], 'planned only: nothing runs');
  const running = reduce(rolling);
  assert.ok(liveView(running, at(95), { columns: 100, palette: plain }).length >= 4);
  const done: AnyEvent = { code: 'done', t: at(300), group: 'web', outcome: 'succeeded', seconds: 300, version: '2', lowestServing: 6, floor: 6 };
  assert.deepEqual(liveView(reduceLiveState(running, done), at(301), { columns: 100, palette: plain }), []);
});

test('a bar per wave with its instances ready / launching / failed, the instances by state, serving against the floor', () => {
  const lines = liveView(reduce(rolling), at(95), { columns: 100, palette: plain });
  assert.equal(lines[0], 'roll web: version 1 → 2 · 1m35s elapsed · about 2m55s left (a launch failed)');
  // 24 cells for 4 instances: 2 ready = 12 solid, 1 launching = 6 shaded, 6 empty.
  assert.equal(lines[1], `  wave 1/3  [${'█'.repeat(12)}${'▒'.repeat(6)}${'░'.repeat(6)}]  2/4 ready, 1 launching, 1 failed`);
  assert.equal(lines[2], '   i-0000000000000000a ✓ ready · i-0000000000000000b ✓ ready · i-0000000000000000c ✗ failed +1 more');
  // Serving 7 of 8 (the scale is the largest of desired, serving, floor): 21 cells, the floor (6) marked at cell 18.
  assert.equal(lines[3], `  serving   [${'█'.repeat(17)}│${'█'.repeat(3)}${'░'.repeat(3)}]  7 serving (floor 6); 5 old left, 1 retired`);
  assert.equal(lines[4], '  failed launches 1/3');
});

test('elapsed time and the ETA move with `now` alone, between events', () => {
  const state = reduce(rolling);
  const a = liveView(state, at(95), { columns: 100, palette: plain })[0]!;
  const b = liveView(state, at(96), { columns: 100, palette: plain })[0]!;
  assert.match(a, /1m35s elapsed · about 2m55s left/);
  assert.match(b, /1m36s elapsed · about 2m54s left/);
  assert.match(liveView(state, at(400), { columns: 100, palette: plain })[0]!, /6m40s elapsed · finishing/, 'an ETA run out says finishing, never a negative time');
  const unknown = reduceLiveState(state, progress(100, { etaSeconds: undefined, etaReason: 'a wait checkpoint pause at 50% ahead' }));
  assert.match(liveView(unknown, at(100), { columns: 140, palette: plain })[0]!, /1m40s elapsed · time left unknown \(a wait checkpoint pause at 50% ahead\)$/);
  // A launching instance shows how long it has been launching.
  const launching = reduce([...rolling.slice(0, 7)]);
  assert.match(liveView(launching, at(42), { columns: 200, palette: plain }).join('\n'), /i-0000000000000000d launching 40s/);
});

test('colour: SGR on the block only when enabled; NO_COLOR, FORCE_COLOR=0, TERM=dumb and a non-TTY turn it off', () => {
  const state = reduce(rolling);
  const coloured = liveView(state, at(95), { columns: 100, palette: createPalette(true) });
  assert.ok(coloured.some((l) => SGR.test(l)), 'colour when enabled');
  assert.ok(coloured.some((l) => l.includes('\x1b[31m1 failed\x1b[39m')), 'failed in red');
  assert.ok(!liveView(state, at(95), { columns: 100, palette: plain }).some((l) => l.includes('\x1b')), 'no escape at all when disabled');
  // Coloured lines keep the same visible text.
  assert.deepEqual(coloured.map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')), liveView(state, at(95), { columns: 100, palette: plain }));

  assert.equal(colorEnabled({}, true), true);
  assert.equal(colorEnabled({}, false), false, 'never off a terminal');
  assert.equal(colorEnabled({ FORCE_COLOR: '1' }, false), false, 'plain lines stay plain even with FORCE_COLOR');
  assert.equal(colorEnabled({ NO_COLOR: '1' }, true), false, 'NO_COLOR set: no colour (no-color.org)');
  assert.equal(colorEnabled({ NO_COLOR: '' }, true), true, 'NO_COLOR empty counts as unset (no-color.org)');
  assert.equal(colorEnabled({ FORCE_COLOR: '0' }, true), false);
  assert.equal(colorEnabled({ TERM: 'dumb' }, true), false);
  assert.equal(colorEnabled({ TERM: 'dumb', FORCE_COLOR: '1' }, true), true);
  assert.equal(colorEnabled({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), false, 'NO_COLOR wins');
});

test('every line fits the terminal: cut to columns - 1 with an ellipsis, colour reset after a cut', () => {
  const state = reduce(rolling);
  for (const columns of [30, 48, 64, 80]) {
    for (const palette of [plain, createPalette(true)]) {
      const lines = liveView(state, at(95), { columns, palette });
      for (const l of lines) assert.ok(visibleLength(l) <= columns - 1, `${columns} columns: ${JSON.stringify(l)} is ${visibleLength(l)} wide`);
    }
  }
  const narrow = liveView(state, at(95), { columns: 48, palette: plain });
  assert.match(narrow[0]!, /…$/);
  assert.equal(fitToWidth('serving 5 of 6 (floor 6)', 12), 'serving 5 o…');
  assert.equal(fitToWidth('short', 12), 'short');
  const cut = fitToWidth('\x1b[32mgreen text that is long\x1b[39m', 8);
  assert.equal(visibleLength(cut), 8);
  assert.ok(cut.endsWith('…\x1b[0m'), JSON.stringify(cut));
  assert.equal(visibleLength('\x1b[1mab\x1b[22m✓'), 3);
});

test('older waves fold into one line; the block stays short on a big fleet', () => {
  const events: AnyEvent[] = [plan, { code: 'locked', t: at(1), group: 'web', lockOwner: 'me' }];
  for (let n = 1; n <= 6; n++) {
    events.push(wave(n * 100, n, 1), launched(n * 100, `i-00000000000000${String(n).padStart(3, '0')}`));
    if (n < 6) events.push({ code: 'instance-ready', t: at(n * 100 + 50), instanceId: `i-00000000000000${String(n).padStart(3, '0')}`, version: '2', afterSeconds: 50 });
  }
  const lines = liveView(reduce(events), at(620), { columns: 100, palette: plain });
  assert.equal(lines[1], '  3 earlier wave(s): 3 ready');
  assert.deepEqual(lines.slice(2, 5).map((l) => l.slice(0, 11)), ['  wave 4/4 ', '  wave 5/5 ', '  wave 6/6 ']);
  assert.ok(lines.length <= 8, lines.join('\n'));
});

test('blue/green rollback: instances leaving Standby are not "launching"; rolling back is said first', () => {
  const events: AnyEvent[] = [
    { code: 'locked', t: at(0), group: 'web', lockOwner: 'me' },
    { code: 'rollback-started', t: at(1), group: 'web', reason: 'rollback requested', toVersion: '2' },
    launched(2, 'i-000000000000000s1', { via: 'standby' }),
    launched(2, 'i-000000000000000s2', { via: 'standby' }),
    progress(3, { phase: 'rolling-back', onTarget: 2, old: 6, serving: 6, launching: 2, etaSeconds: undefined }),
  ];
  const lines = liveView(reduce(events), at(20), { columns: 120, palette: plain });
  assert.match(lines[0]!, /^rolling back web to version 2 · 20s elapsed$/);
  assert.match(lines[1]!, /^ {2}leaving Standby/);
  assert.match(lines[1]!, /0\/2 ready, 2 leaving Standby/);
  assert.match(lines[2]!, /i-000000000000000s1 leaving Standby 18s/);
  assert.doesNotMatch(lines.join('\n'), /launching/);
});

test('guardrails in the block: a timed pause counts down, a wait pause names continue, bake time, alarms, checks', () => {
  const base = reduce(rolling);
  const paused = reduceLiveState(base, { code: 'checkpoint-paused', t: at(100), group: 'web', percent: 50, until: at(400), continueCommand: 'asg-deploy continue web', abortCommand: 'asg-deploy abort web' });
  const lines = liveView(paused, at(160), { columns: 120, palette: plain });
  assert.doesNotMatch(lines[0]!, /left/, 'no ETA while paused');
  assert.match(lines.join('\n'), /paused at 50%, 4m left/);
  const waiting = reduceLiveState(base, { code: 'checkpoint-paused', t: at(100), group: 'web', percent: 10, continueCommand: 'asg-deploy continue web', abortCommand: 'asg-deploy abort web' });
  assert.match(liveView(waiting, at(160), { columns: 120, palette: plain }).join('\n'), /paused at 10%, waiting for `asg-deploy continue web`/);
  const more = [
    { code: 'checkpoint-continued', t: at(170), group: 'web', percent: 10, by: 'continue', pausedSeconds: 70 },
    { code: 'alarm-watched', t: at(171), group: 'web', alarms: [{ name: 'web-5xx', state: 'OK' }] },
    { code: 'alarm-state-changed', t: at(172), group: 'web', alarm: 'web-5xx', from: 'OK', to: 'ALARM' },
    { code: 'check-passed', t: at(173), group: 'web', instanceId: 'i-1', seconds: 2 },
    { code: 'bake-started', t: at(174), group: 'web', seconds: 600, until: at(774) },
  ] as AnyEvent[];
  const after = liveView(more.reduce(reduceLiveState, waiting), at(274), { columns: 120, palette: plain }).join('\n');
  assert.doesNotMatch(after, /paused/);
  assert.match(after, /baking, 8m20s left · alarm web-5xx ALARM · checks 1 passed/);
});
