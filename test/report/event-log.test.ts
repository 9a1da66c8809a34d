import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeployEvent } from '../../src/deploy/index.js';
import { createEventLogWriter, eventLogPath, eventLogsForGroup, parseEventLog, readEventLog, runsDirectory } from '../../src/report/index.js';

const home = () => mkdtempSync(join(tmpdir(), 'asg-deploy-log-'));

test('runs directory: $XDG_STATE_HOME when absolute, else ~/.local/state (XDG Base Directory spec)', () => {
  assert.equal(runsDirectory({ HOME: '/home/ann' }), '/home/ann/.local/state/asg-deploy/runs');
  assert.equal(runsDirectory({ HOME: '/home/ann', XDG_STATE_HOME: '/var/state' }), '/var/state/asg-deploy/runs');
  assert.equal(runsDirectory({ HOME: '/home/ann', XDG_STATE_HOME: 'relative/state' }), '/home/ann/.local/state/asg-deploy/runs', 'a relative path is ignored');
  assert.equal(runsDirectory({ HOME: '/home/ann', XDG_STATE_HOME: '' }), '/home/ann/.local/state/asg-deploy/runs');
  assert.equal(eventLogPath('d-20260101T120000-ab12', { HOME: '/h' }), '/h/.local/state/asg-deploy/runs/d-20260101T120000-ab12.ndjson');
  assert.throws(() => eventLogPath('../../etc/passwd', { HOME: '/h' }), /not a deploy id/);
});

test('the writer holds events until the deploy id is known, then appends one line per event to that deploy\'s file', () => {
  const env = { HOME: home() };
  const w = createEventLogWriter(env);
  const plan: DeployEvent = { t: 1, group: 'web', code: 'plan', strategy: 'roll', fromVersion: '1', toVersion: '2', templateId: 'lt-1', desired: 4, floor: 4, surge: 1, waves: 4, expectedSeconds: 300, replace: 4, maxSizeNeeded: 5 };
  w.sink(plan);
  assert.deepEqual(w.paths(), [], 'nothing written before an id');
  w.sink({ t: 2, group: 'web', deployId: 'd-1', code: 'locked', lockOwner: 'ann@box' });
  w.sink({ t: 3, group: 'web', code: 'unlocked' });
  w.sink({ t: 4, group: 'web', deployId: 'd-2', code: 'unlocked' });
  assert.deepEqual(w.paths().sort(), [eventLogPath('d-1', env), eventLogPath('d-2', env)]);
  const one = readEventLog('d-1', env)!;
  assert.deepEqual(one.map((e) => e.code), ['plan', 'locked', 'unlocked'], 'the held plan first, then the id-less event after it');
  assert.deepEqual(one[0], plan);
  assert.equal(statSync(eventLogPath('d-1', env)).mode & 0o777, 0o600, 'only the user reads it');
  assert.equal(readEventLog('d-404', env), undefined);
  assert.deepEqual([...eventLogsForGroup('web', env).keys()].sort(), ['d-1', 'd-2']);
  assert.equal(eventLogsForGroup('api', env).size, 0);
});

test('a torn last line (a killed writer) and junk lines are skipped; a write failure is kept, not thrown', () => {
  const env = { HOME: home() };
  const w = createEventLogWriter(env);
  w.sink({ t: 1, group: 'web', deployId: 'd-3', code: 'unlocked' });
  appendFileSync(eventLogPath('d-3', env), '{"t":2,"code":"unl');
  assert.deepEqual(readEventLog('d-3', env)!.map((e) => e.t), [1]);
  assert.deepEqual(parseEventLog('[1]\n{"code":"x"}\n\n{"t":5,"code":"warning","message":"m"}\n').map((e) => e.t), [5]);
  assert.match(readFileSync(eventLogPath('d-3', env), 'utf8'), /^\{"t":1/);

  // HOME is a file: the directory cannot be made (ENOTDIR).
  const file = join(home(), 'not-a-dir');
  appendFileSync(file, 'x');
  const blocked = createEventLogWriter({ HOME: file });
  blocked.sink({ t: 1, group: 'web', deployId: 'd-4', code: 'unlocked' });
  assert.ok(blocked.error() instanceof Error);
  assert.deepEqual(blocked.paths(), []);
});
