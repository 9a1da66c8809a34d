import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance } from '../../src/config/index.js';

test('editDistance counts inserts, deletes, substitutions and swaps as 1', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['web', 'web', 0],
    ['web', 'wbe', 1],
    ['maxsurg', 'maxsurge', 1],
    ['region', 'regoin', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(editDistance(a, b), expected, `${a} → ${b}`);
    assert.equal(editDistance(b, a), expected, `${b} → ${a}`);
  }
});

test('closest finds typos, other casings, snake_case and parts of a key, and nothing far off', () => {
  const strategy = ['maxSurge', 'minHealthy', 'warmup', 'timeout', 'maxFailedLaunches'];
  const app = ['region', 'profile', 'strategy', 'health', 'group', 'bluegreen', 'launchTemplate', 'sourceInstance', 'image', 'envs'];
  const cases: [string, readonly string[], string | undefined][] = [
    ['maxSurg', strategy, 'maxSurge'],
    ['max_surge', strategy, 'maxSurge'],
    ['MAXSURGE', strategy, 'maxSurge'],
    ['surge', strategy, 'maxSurge'],
    ['min-healthy', strategy, 'minHealthy'],
    ['warmUp', strategy, 'warmup'],
    ['launch_template', app, 'launchTemplate'],
    ['instance', app, 'sourceInstance'],
    ['blue_green', app, 'bluegreen'],
    ['env', app, 'envs'],
    ['groups', app, 'group'],
    ['colour', app, undefined],
    ['x', app, undefined],
    ['', app, undefined],
    ['requireTargetGroups', ['group'], undefined],
  ];
  for (const [word, known, expected] of cases) assert.equal(closest(word, known), expected, word);
});
