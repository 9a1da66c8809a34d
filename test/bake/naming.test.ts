import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BAKE_TAGS,
  bakeTags,
  checkImage,
  checkImageName,
  defaultImageName,
  isBakedName,
  NOT_YET_VISIBLE_MS,
  parseSourceVersion,
  parseTagAssignment,
  templateKeyOf,
} from '../../src/bake/index.js';
import { isAsgDeployError } from '../../src/core/index.js';

const badInputNaming = (value: string) => (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && e.message.includes(value);

test('image names: APP-YYYYMMDD-HHMMSS in UTC, recognised back only in that exact form', () => {
  assert.equal(defaultImageName('web', Date.UTC(2026, 0, 2, 3, 4, 5)), 'web-20260102-030405');
  assert.equal(defaultImageName('shop-api-prod', Date.UTC(2026, 11, 31, 23, 59, 59, 999)), 'shop-api-prod-20261231-235959');
  assert.equal(isBakedName('web-20260102-030405', 'web'), true);
  assert.equal(isBakedName('web-api-20260102-030405', 'web'), false);
  assert.equal(isBakedName('web-20260102-030405', 'web-api'), false);
  assert.equal(isBakedName('web-2026010-030405', 'web'), false);
  assert.equal(isBakedName('xweb-20260102-030405', 'web'), false);
  assert.equal(checkImageName("web (blue) [1] ./@'_-"), "web (blue) [1] ./@'_-");
  for (const bad of ['ab', 'x'.repeat(129), 'web!', 'wéb-1']) assert.throws(() => checkImageName(bad), badInputNaming(bad.slice(0, 20)));
});

test('--tag KEY=VALUE: the value may be empty or hold "="; keys are checked as EC2 checks them', () => {
  assert.deepEqual(parseTagAssignment('team=web'), ['team', 'web']);
  assert.deepEqual(parseTagAssignment('note=a=b'), ['note', 'a=b']);
  assert.deepEqual(parseTagAssignment('empty='), ['empty', '']);
  for (const bad of ['novalue', '=v', 'aws:x=1', 'AWS:x=1', `${'k'.repeat(129)}=v`, `k=${'v'.repeat(257)}`]) {
    assert.throws(() => parseTagAssignment(bad), badInputNaming(bad.slice(0, 10)), bad.slice(0, 20));
  }
});

test('bake\'s own tags win over extra tags of the same key; 50 tags at most', () => {
  const tags = bakeTags({ app: 'not-me', team: 'web' }, { app: 'web', instanceId: 'i-0abc', createdAt: Date.UTC(2026, 0, 1), templateId: 'lt-0aaaaaaaaaaaaaaaa' });
  assert.deepEqual(tags, {
    team: 'web',
    [BAKE_TAGS.app]: 'web',
    [BAKE_TAGS.sourceInstance]: 'i-0abc',
    [BAKE_TAGS.createdAt]: '2026-01-01T00:00:00.000Z',
    [BAKE_TAGS.launchTemplate]: 'lt-0aaaaaaaaaaaaaaaa',
  });
  const many = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, 'v']));
  assert.throws(() => bakeTags(many, { app: 'web', instanceId: 'i-0abc', createdAt: 0, templateId: 'lt-0aaaaaaaaaaaaaaaa' }), badInputNaming('51'));
  assert.throws(() => bakeTags({ 'aws:x': '1' }, { app: 'web', instanceId: 'i-0abc', createdAt: 0, templateId: 'lt-0aaaaaaaaaaaaaaaa' }), badInputNaming('aws:x'));
});

test('source versions and template keys', () => {
  assert.equal(parseSourceVersion('7'), '7');
  assert.equal(parseSourceVersion('$Latest'), '$Latest');
  assert.equal(parseSourceVersion(' $Default '), '$Default');
  for (const bad of ['0', '-1', 'latest', '$latest', '1.5', '']) assert.throws(() => parseSourceVersion(bad), badInputNaming(JSON.stringify(bad)));
  assert.deepEqual(templateKeyOf('lt-0123456789abcdef0'), { id: 'lt-0123456789abcdef0' });
  assert.deepEqual(templateKeyOf('web-lt'), { name: 'web-lt' });
});

test('the image waiter\'s check: available succeeds, pending and transient retry, the rest fail with AWS\'s reason', () => {
  assert.deepEqual(checkImage({ State: 'available' }, 0), { kind: 'success' });
  assert.deepEqual(checkImage({ State: 'pending' }, 10 * 60_000), { kind: 'retry' });
  assert.deepEqual(checkImage({ State: 'transient' }, 0), { kind: 'retry' });
  assert.deepEqual(checkImage({ State: 'failed', StateReason: { Code: 'Server.InternalError', Message: 'Internal error while creating snapshot' } }, 0), {
    kind: 'failure',
    state: 'failed',
    reason: 'Internal error while creating snapshot',
  });
  assert.deepEqual(checkImage({ State: 'error', StateReason: { Code: 'Client.VolumeLimitExceeded' } }, 0), { kind: 'failure', state: 'error', reason: 'Client.VolumeLimitExceeded' });
  assert.deepEqual(checkImage({ State: 'deregistered' }, 0), { kind: 'failure', state: 'deregistered', reason: 'the image is deregistered' });
  // Not visible yet right after CreateImage (eventual consistency), gone later.
  assert.deepEqual(checkImage(undefined, NOT_YET_VISIBLE_MS - 1), { kind: 'retry' });
  assert.equal(checkImage(undefined, NOT_YET_VISIBLE_MS).kind, 'failure');
});
