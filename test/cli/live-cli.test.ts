/**
 * The live block in a real CLI run (`exec` in-process, a fake terminal
 * CliIo) against the emulator: redrawn on every event and on the UI timer
 * with elapsed time ticking between events, lines scrolling above it, erased
 * before the last line and stopped at the end; colour unless --no-color.
 * (Off a terminal nothing changes: the other CLI tests run with isTty false.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/context.js';
import { startFleet } from '../helpers/fleet.js';
import { useTestCredentials } from '../bake/harness.js';

type Entry = { kind: 'out' | 'err'; text: string } | { kind: 'block'; lines: string[] } | { kind: 'erased' } | { kind: 'tick' };

function fakeTerminal(): { io: CliIo; log: Entry[] } {
  const log: Entry[] = [];
  const io: CliIo = {
    out: (text) => log.push({ kind: 'out', text }),
    err: (text) => log.push({ kind: 'err', text }),
    isTty: true,
    columns: 120,
    color: true,
    liveBlock: (lines) => log.push(lines === undefined ? { kind: 'erased' } : { kind: 'block', lines }),
    // The UI timer, fast: a real second would outlast this whole deploy at --time-scale 400.
    everySecond: (tick) => {
      const timer = setInterval(() => {
        log.push({ kind: 'tick' });
        tick();
      }, 10);
      return () => clearInterval(timer);
    },
  };
  return { io, log };
}

const SGR = /\x1b\[[0-9;]*m/;
const elapsedOf = (e: Entry) => (e.kind === 'block' ? /(\d+m)?(\d+)s elapsed/.exec(e.lines[0]!.replace(/\x1b\[[0-9;]*m/g, '')) : null);
const seconds = (m: RegExpExecArray) => (m[1] ? Number(m[1].slice(0, -1)) * 60 : 0) + Number(m[2]);

test('roll on a terminal: a live block that ticks between events, lines above it, erased at the end', { timeout: 120_000 }, async () => {
  useTestCredentials();
  const speed = 400;
  const fleet = await startFleet({ size: 2, speed });
  try {
    const target = ['--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--time-scale', String(speed)];
    const { io, log } = fakeTerminal();
    const image = await fleet.image();
    const code = await exec([...target, 'roll', fleet.group, '--image', image], io);
    const why = log.map((e) => (e.kind === 'block' ? `[block] ${e.lines.join(' / ')}` : e.kind === 'out' || e.kind === 'err' ? `[${e.kind}] ${e.text}` : `[${e.kind}]`)).join('\n');
    assert.equal(code, 0, why);

    const blocks = log.filter((e): e is Extract<Entry, { kind: 'block' }> => e.kind === 'block');
    assert.ok(blocks.some((b) => b.lines.some((l) => /wave 1\/\d/.test(l)) && b.lines.some((l) => /serving .*\(floor \d\)/.test(l.replace(SGR, '')))), `a bar per wave and serving against the floor:\n${why}`);
    assert.ok(blocks.some((b) => b.lines.some((l) => / launching \d/.test(l.replace(/\x1b\[[0-9;]*m/g, '')))), `instance states with their time:\n${why}`);
    assert.ok(blocks.every((b) => b.lines.every((l) => l.replace(/\x1b\[[0-9;]*m/g, '').length <= 119)), 'cut to the width');
    assert.ok(blocks.some((b) => b.lines.some((l) => SGR.test(l))), 'colour on a colour terminal');

    // The timer redraws with no event in between, and elapsed has moved on.
    let tickedForward = 0;
    let last: number | undefined;
    for (let i = 0; i < log.length; i++) {
      const m = elapsedOf(log[i]!);
      if (!m) continue;
      const s = seconds(m);
      if (last !== undefined) assert.ok(s >= last, `elapsed never goes back: ${last} → ${s}`);
      if (log[i - 1]?.kind === 'tick' && last !== undefined && s > last) tickedForward++;
      last = s;
    }
    assert.ok(tickedForward >= 3, `elapsed ticked forward on the timer ${tickedForward} times:\n${why}`);

    // Progress lives in the block, not in scrolling lines; the launches scroll above it.
    const outs = log.filter((e) => e.kind === 'out').map((e) => (e as { text: string }).text);
    assert.ok(!outs.some((l) => /^rolling: /.test(l)), why);
    assert.ok(outs.some((l) => /^ {2}\+ i-\w+ launching on version 2/.test(l)), why);
    // Erased before the last line, never drawn again, timer stopped.
    const doneAt = log.findIndex((e) => e.kind === 'out' && /^deployed version 2 in /.test(e.text));
    assert.ok(doneAt > 0, why);
    const lastErase = log.map((e) => e.kind).lastIndexOf('erased');
    assert.ok(lastErase >= 0 && lastErase < doneAt, `the block is erased before "deployed …":\n${why}`);
    assert.ok(!log.slice(doneAt).some((e) => e.kind === 'block'), 'no block after the end');
    const size = log.length;
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(log.length, size, 'the timer is stopped');

    // --no-color: the same block without a single escape.
    const plain = fakeTerminal();
    const image3 = await fleet.image();
    assert.equal(await exec([...target, '--no-color', 'roll', fleet.group, '--image', image3], plain.io), 0);
    const plainBlocks = plain.log.filter((e): e is Extract<Entry, { kind: 'block' }> => e.kind === 'block');
    assert.ok(plainBlocks.length > 0);
    assert.ok(!plainBlocks.some((b) => b.lines.some((l) => l.includes('\x1b'))), 'no colour with --no-color');
  } finally {
    await fleet.close();
  }
});
