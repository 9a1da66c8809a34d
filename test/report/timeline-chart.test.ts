import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Activity } from '../../src/aws/index.js';
import { buildTimeline, InstanceTimeline, renderReportHtml, renderTimelineSvg, stateChanges, type DeployHistoryEntry } from '../../src/report/index.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const at = (s: number) => new Date(T0 + s * 1000);
const act = (description: string, start: number, end: number): Activity => ({ ActivityId: description, Description: description, Cause: 'user request', StartTime: at(start), EndTime: at(end), StatusCode: 'Successful', AutoScalingGroupName: 'web', Progress: 100 });

const deploy: DeployHistoryEntry = {
  kind: 'deploy',
  id: 'd-<1>',
  groups: ['web'],
  strategy: 'roll',
  fromVersion: '1',
  toVersion: '2',
  startedAt: T0,
  endedAt: T0 + 200_000,
  durationSeconds: 200,
  outcome: 'succeeded',
  launched: 2,
  terminated: 2,
  failedLaunches: 0,
  sources: ['last', 'activities'],
};
const activities = [
  act('Launching a new EC2 instance: i-n1', 10, 40),
  act('Terminating EC2 instance: i-o1', 50, 80),
  act('Launching a new EC2 instance: i-n2', 90, 120),
  act('Terminating EC2 instance: i-o2', 130, 160),
];

test('the timeline counts instances by version and state from the activities; the floor defaults to everyone serving at the start', () => {
  const tl = buildTimeline({ deploy, instances: new InstanceTimeline(stateChanges(activities), ['i-n1', 'i-n2']), currentVersions: new Map([['i-n1', '2'], ['i-n2', '2']]), now: T0 + 300_000 });
  assert.deepEqual(tl.versions, ['1', '2']);
  assert.equal(tl.floor, 2);
  assert.equal(tl.floorSource, 'assumed');
  const sample = (s: number) => [...tl.samples].reverse().find((x) => x.t <= T0 + s * 1000)!;
  assert.deepEqual(sample(20).byVersion, { '1': { launching: 0, serving: 2, idle: 0 }, '2': { launching: 1, serving: 0, idle: 0 } });
  assert.deepEqual(sample(60).byVersion, { '1': { launching: 0, serving: 1, idle: 1 }, '2': { launching: 0, serving: 1, idle: 0 } });
  assert.equal(sample(60).serving, 2);
  assert.equal(sample(170).byVersion['2']?.serving, 2);
  assert.equal(sample(170).byVersion['1'], undefined);
  assert.deepEqual(tl.markers.map((m) => m.kind), ['done']);
});

test('the SVG: one band per version and state, the floor line, escaped labels; the HTML holds the summary and no script', () => {
  const tl = buildTimeline({ deploy, instances: new InstanceTimeline(stateChanges(activities), ['i-n1', 'i-n2']), currentVersions: new Map(), now: T0 + 300_000 });
  const svg = renderTimelineSvg(tl);
  const bands = [...svg.matchAll(/data-version="([^"]+)" data-state="([^"]+)"/g)].map((m) => `${m[1]}/${m[2]}`).sort();
  assert.deepEqual(bands, ['1/idle', '1/serving', '2/launching', '2/serving']);
  assert.equal((svg.match(/class="floor" data-floor="2"/g) ?? []).length, 1);
  assert.match(svg, /aria-label="deploy d-&lt;1&gt; timeline/);
  const html = renderReportHtml(tl, { generatedAt: T0 + 300_000, groups: ['web'] });
  assert.match(html, /<title>asg-deploy report: d-&lt;1&gt; on web<\/title>/);
  assert.match(html, /<th scope="row">duration<\/th><td>3m20s<\/td>/);
  assert.doesNotMatch(html, /<script/);
});
