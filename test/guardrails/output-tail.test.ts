import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputTail } from '../../src/core/index.js';

test('keeps the last lines across chunks split mid-line, CRLF or LF', () => {
  const tail = new OutputTail(3);
  tail.push('one\r\ntw');
  tail.push('o\nthree\nfo');
  tail.push('ur');
  assert.deepEqual(tail.lines(), ['two', 'three', 'four']);
});

test('drops trailing blank lines and cuts long lines, even one never terminated', () => {
  const tail = new OutputTail(5, 10);
  tail.push('short\n' + 'x'.repeat(50) + '\n\n\n');
  assert.deepEqual(tail.lines(), ['short', 'xxxxxxxxx…']);
  const endless = new OutputTail(5, 10);
  for (let i = 0; i < 1000; i++) endless.push('y'.repeat(100));
  assert.deepEqual(endless.lines(), ['yyyyyyyyy…']);
});

test('nothing printed: no lines', () => {
  assert.deepEqual(new OutputTail().lines(), []);
});
