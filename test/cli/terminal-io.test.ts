/**
 * The terminal adapter behind processIo (context.ts createTerminalIo), on fake
 * streams: the live block is drawn as whole lines and replaced in place with
 * ECMA-48 CUU (CSI n A) + ED (CSI J); a line written meanwhile appears above
 * the block; erasing leaves nothing; no block where the cursor cannot move
 * (not a TTY, TERM=dumb); a block still shown at exit is erased.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTerminalIo, type TerminalStream } from '../../src/cli/context.js';
import { visibleLength } from '../../src/cli/live/index.js';

function stream(isTTY: boolean, columns = 40): TerminalStream & { text: string; writes: string[]; rows?: number } {
  const s = {
    text: '',
    writes: [] as string[],
    isTTY,
    columns,
    rows: undefined as number | undefined,
    write(t: string) {
      s.text += t;
      s.writes.push(t);
      return true;
    },
  };
  return s;
}

/** What a terminal shows for `text`: CR, LF, CUU and ED applied to a grid of rows (enough for these tests). */
function screen(text: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  let col = 0;
  for (let i = 0; i < text.length; ) {
    const csi = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i));
    if (csi) {
      const n = csi[1] === '' ? 1 : Number(csi[1]);
      if (csi[2] === 'A') row = Math.max(0, row - n);
      else if (csi[2] === 'J') {
        rows[row] = rows[row]!.slice(0, col);
        rows.length = row + 1;
      } else if (csi[2] !== 'm') throw new Error(`unexpected control ${csi[0]}`);
      i += csi[0].length;
      continue;
    }
    const ch = text[i]!;
    if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      col = 0;
      rows[row] ??= '';
    } else {
      const line = rows[row]!.padEnd(col);
      rows[row] = line.slice(0, col) + ch + line.slice(col + 1);
      col++;
    }
    i++;
  }
  return rows;
}

test('the block is redrawn in place with CUU + ED, lines scroll above it, and erasing it leaves only the lines', () => {
  const out = stream(true);
  const err = stream(true);
  const io = createTerminalIo(out, err, { TERM: 'xterm-256color' });
  assert.ok(io.liveBlock, 'a TTY that can move its cursor gets the block');
  io.out('plan: web from version 1 to 2');
  io.liveBlock!(['roll web · 1s elapsed', '  wave 1/3 [░░░░]']);
  assert.deepEqual(screen(out.text), ['plan: web from version 1 to 2', 'roll web · 1s elapsed', '  wave 1/3 [░░░░]', '']);
  io.liveBlock!(['roll web · 2s elapsed', '  wave 1/3 [█░░░]']);
  assert.equal(out.writes.at(-1), '\r\x1b[2A\x1b[Jroll web · 2s elapsed\n  wave 1/3 [█░░░]\n', 'CR, up 2 rows (CUU), erase to the end (ED), redraw');
  io.out('  + i-1 launching on version 2');
  assert.deepEqual(screen(out.text), ['plan: web from version 1 to 2', '  + i-1 launching on version 2', 'roll web · 2s elapsed', '  wave 1/3 [█░░░]', '']);
  io.err('warning: something');
  assert.equal(err.text, 'warning: something\n');
  assert.deepEqual(screen(out.text).slice(-3), ['roll web · 2s elapsed', '  wave 1/3 [█░░░]', ''], 'the block is drawn again after a stderr line');
  io.liveBlock!(undefined);
  io.out('deployed version 2 in 4m');
  assert.deepEqual(screen(out.text), ['plan: web from version 1 to 2', '  + i-1 launching on version 2', 'deployed version 2 in 4m', '']);
});

test('block lines are cut to the width so none wraps; a one-line block shrinks to nothing cleanly', () => {
  const out = stream(true, 20);
  const io = createTerminalIo(out, stream(true), {});
  io.liveBlock!(['x'.repeat(50), 'short']);
  const rows = screen(out.text);
  assert.ok(rows.every((r) => visibleLength(r) <= 19), JSON.stringify(rows));
  io.liveBlock!(['one']);
  io.liveBlock!([]);
  assert.deepEqual(screen(out.text), ['']);
  // Never taller than the screen: cursor-up could not reach its first line.
  const short = stream(true, 40);
  short.rows = 3;
  const shortIo = createTerminalIo(short, stream(true), {});
  shortIo.liveBlock!(['1', '2', '3', '4', '5']);
  assert.deepEqual(screen(short.text), ['1', '2', '']);
});

test('no block off a terminal or with TERM=dumb; colour follows NO_COLOR', () => {
  assert.equal(createTerminalIo(stream(false), stream(false), {}).liveBlock, undefined);
  assert.equal(createTerminalIo(stream(true), stream(true), { TERM: 'dumb' }).liveBlock, undefined);
  assert.equal(createTerminalIo(stream(true), stream(true), {}).color, true);
  assert.equal(createTerminalIo(stream(true), stream(true), { NO_COLOR: '1' }).color, false);
  assert.equal(createTerminalIo(stream(false), stream(false), {}).color, false);
  const plainOut = stream(false);
  createTerminalIo(plainOut, stream(false), {}).out('a line');
  assert.equal(plainOut.text, 'a line\n');
});

test('a block still shown when the process exits (a second Ctrl-C) is erased', () => {
  const out = stream(true);
  let atExit: (() => void) | undefined;
  const io = createTerminalIo(out, stream(true), {}, (erase) => (atExit = erase));
  io.out('first');
  io.liveBlock!(['a', 'b', 'c']);
  assert.ok(atExit, 'hooked when the block is first drawn');
  atExit!();
  assert.deepEqual(screen(out.text), ['first', '']);
});
