import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from '../../src/core/duration.js';
import {
  DURATION,
  INSTANCE_ID,
  LAUNCH_TEMPLATE,
  LAUNCH_TEMPLATE_ID,
  NAME,
  PERCENT_0_TO_100,
  PERCENT_0_TO_1000,
  REGION,
  TAG_KEY,
  validateInventoryData,
} from '../../src/config/index.js';

function check(pattern: RegExp, good: string[], bad: string[]) {
  for (const value of good) assert.ok(pattern.test(value), `${pattern} should accept ${JSON.stringify(value)}`);
  for (const value of bad) assert.ok(!pattern.test(value), `${pattern} should refuse ${JSON.stringify(value)}`);
}

test('ids: instances i- and 8 to 17 hex digits, launch templates lt- and 17', () => {
  check(INSTANCE_ID, ['i-0123456789abcdef0', 'i-12345678', 'i-0123abcd'], ['i-xyz', 'i-1234567', 'i-0123456789ABCDEF0', 'i-0123456789abcdef01', 'I-12345678', '']);
  check(LAUNCH_TEMPLATE_ID, ['lt-0123456789abcdef0'], ['lt-123', 'lt-0123456789abcdef', 'lt-0123456789ABCDEF0', 'web']);
  check(LAUNCH_TEMPLATE, ['lt-0123456789abcdef0', 'web', 'web-template', 'team/web_v1.(2)'], ['lt-123', 'lt-web', 'ab', 'web template', 'x'.repeat(129)]);
});

test('regions: us-east-1 and friends, not zones or names', () => {
  check(REGION, ['us-east-1', 'eu-west-2', 'ap-southeast-4', 'us-gov-west-1', 'cn-northwest-1', 'il-central-1'], ['us-east-1a', 'US-EAST-1', 'virginia', 'us-east', 'useast1', '']);
});

test('durations: what core parseDuration reads, lowercase, largest unit first', () => {
  const good: [string, number][] = [
    ['0', 0],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['30d', 2_592_000_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['1m30s', 90_000],
    ['2d3h4m5s6ms', 183_845_006],
  ];
  for (const [text, ms] of good) {
    assert.ok(DURATION.test(text), text);
    assert.equal(parseDuration(text), ms, text);
  }
  for (const text of ['', '90', '5m1h', '30s5m', '1h 30m', '5M', '-5s', 's', '1.5', '5mm', '30 days', '1h1h']) {
    assert.ok(!DURATION.test(text), `should refuse ${JSON.stringify(text)}`);
  }
});

test('percentages: 0% to 100% for the floor, to 1000% for the surge', () => {
  check(PERCENT_0_TO_100, ['0%', '25%', '99.5%', '100%', '100.0%'], ['101%', '100.5%', '150%', '25', '25 %', '-5%', '%']);
  check(PERCENT_0_TO_1000, ['0%', '25%', '150%', '1000%'], ['1001%', '1000.1%', '25']);
});

test('names after --app, and tag keys outside aws:', () => {
  check(NAME, ['web', 'web-prod', 'shop_api', '3d', 'A'], ['', '-web', 'my web', 'web.prod', '__proto__', 'x'.repeat(65)]);
  check(TAG_KEY, ['Name', 'team', 'cost:center'], ['aws:cloudformation:stack-name', '', 'k'.repeat(129)]);
});

test('a minimal file is valid; the parsed value is the file as written', () => {
  const data = { apps: { web: { region: 'us-east-1', group: 'web-asg', strategy: { maxSurge: 2, minHealthy: '90%' } } } };
  const { value, problems } = validateInventoryData(data);
  assert.deepEqual(problems, []);
  assert.deepEqual(value, data);
});

test('validateInventoryData reports every problem with its path and where to point', () => {
  const { value, problems } = validateInventoryData({ apps: { web: { regin: 'us-east-1', strategy: { maxSurge: '25' } } }, extra: true });
  assert.equal(value, undefined);
  assert.deepEqual(
    problems.map((p) => [p.path.join('.'), p.at]),
    [
      ['apps.web.strategy.maxSurge', 'value'],
      ['apps.web.regin', 'key'],
      ['extra', 'key'],
    ],
  );
});
