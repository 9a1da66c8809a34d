import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunk, collectPages, pages } from '../../src/aws/index.js';
import { isAsgDeployError } from '../../src/core/index.js';

/** A fake paginated listing of `total` items, `size` per page, with opaque tokens. */
function listing(total: number, size: number) {
  const tokens: (string | undefined)[] = [];
  const fetchPage = async (token: string | undefined) => {
    tokens.push(token);
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64').toString());
    const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, k) => start + k);
    const end = start + items.length;
    return { items, next: end < total ? Buffer.from(String(end)).toString('base64') : undefined };
  };
  return { fetchPage, tokens };
}

test('collects every page in order', async () => {
  for (const [total, size] of [
    [0, 100],
    [1, 100],
    [100, 100],
    [101, 100],
    [250, 100],
    [1_000, 7],
  ]) {
    const { fetchPage, tokens } = listing(total, size);
    const all = await collectPages(fetchPage);
    assert.deepEqual(all, Array.from({ length: total }, (_, k) => k), `${total}/${size}`);
    assert.equal(tokens.length, Math.max(1, Math.ceil(total / size)));
    assert.equal(tokens[0], undefined);
  }
});

test('limit stops early and cuts', async () => {
  const { fetchPage, tokens } = listing(1_000, 100);
  const first = await collectPages(fetchPage, { limit: 150 });
  assert.equal(first.length, 150);
  assert.equal(first[149], 149);
  assert.equal(tokens.length, 2);
});

test('an empty-string token ends paging (some services send one)', async () => {
  let calls = 0;
  const all = await collectPages(async () => ({ items: [calls++], next: '' }));
  assert.deepEqual(all, [0]);
});

test('a repeated token or too many pages is a bug, not an endless loop', async () => {
  await assert.rejects(
    collectPages(async () => ({ items: [1], next: 'same' })),
    (e: unknown) => isAsgDeployError(e, 'INTERNAL') && /twice/.test(e.message),
  );
  let n = 0;
  await assert.rejects(
    collectPages(async () => ({ items: [1], next: String(n++) }), { maxPages: 5 }),
    (e: unknown) => isAsgDeployError(e, 'INTERNAL') && /5 pages/.test(e.message),
  );
});

test('pages yields page by page', async () => {
  const { fetchPage } = listing(5, 2);
  const seen: number[][] = [];
  for await (const page of pages(fetchPage)) seen.push([...page]);
  assert.deepEqual(seen, [[0, 1], [2, 3], [4]]);
});

test('chunk', () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([], 20), []);
  assert.deepEqual(chunk([1], 20), [[1]]);
  assert.equal(chunk(Array.from({ length: 2_500 }, (_, k) => k), 1_000).length, 3);
  assert.throws(() => chunk([1], 0), RangeError);
});
