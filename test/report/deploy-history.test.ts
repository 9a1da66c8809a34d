import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Activity } from '../../src/aws/index.js';
import type { DeploymentRecord } from '../../src/deploy/index.js';
import { InstanceTimeline, mergeGroupHistories, reconstructHistory, stateChanges } from '../../src/report/index.js';

const T0 = Date.UTC(2026, 0, 1, 12);
const at = (s: number) => new Date(T0 + s * 1000);
let seq = 0;
function launch(id: string, start: number, end: number | undefined, cause = 'At … an instance was started in response to a difference between desired and actual capacity', status = 'Successful'): Activity {
  return { ActivityId: `a-${seq++}`, Description: `Launching a new EC2 instance: ${id}`, Cause: cause, StartTime: at(start), EndTime: end === undefined ? undefined : at(end), StatusCode: end === undefined ? 'InProgress' : (status as Activity['StatusCode']), AutoScalingGroupName: 'web', Progress: 0 };
}
function terminate(id: string, start: number, end: number, cause = `At … instance ${id} was taken out of service in response to a user request.`): Activity {
  return { ActivityId: `a-${seq++}`, Description: `Terminating EC2 instance: ${id}`, Cause: cause, StartTime: at(start), EndTime: at(end), StatusCode: 'Successful', AutoScalingGroupName: 'web', Progress: 100 };
}

test('the instance timeline: launching until InService, serving, draining until gone; instances with no launch kept were there before', () => {
  const acts = [terminate('i-old', 100, 130), launch('i-new', 40, 90)];
  const tl = new InstanceTimeline(stateChanges(acts), ['i-new', 'i-quiet']);
  assert.equal(tl.stateAt('i-new', T0 + 30_000), undefined);
  assert.equal(tl.stateAt('i-new', T0 + 50_000), 'launching');
  assert.equal(tl.stateAt('i-new', T0 + 95_000), 'serving');
  assert.equal(tl.stateAt('i-old', T0), 'serving', 'first seen terminating: it was serving before');
  assert.equal(tl.stateAt('i-old', T0 + 110_000), 'draining');
  assert.equal(tl.stateAt('i-old', T0 + 131_000), undefined);
  assert.equal(tl.stateAt('i-quiet', T0 + 500_000), 'serving');
  assert.equal(tl.count(T0 + 95_000, 'serving'), 3);
  assert.equal(tl.lowestServing(T0, T0 + 200_000), 2, 'i-old leaves');
});

const record = (over: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  id: 'd-3',
  strategy: 'roll',
  phase: 'rolling',
  startedAt: T0 + 1000_000,
  updatedAt: T0 + 1030_000,
  templateId: 'lt-1',
  fromVersion: '2',
  toVersion: '3',
  original: { min: 2, max: 4, desired: 2 },
  suspendedByUs: [],
  settings: { surge: 1, floor: 2, warmupSeconds: 0, maxFailedLaunches: 3, timeoutSeconds: 1200 },
  ...over,
});

test('a record with a live lock is in progress, with an expired or no lock interrupted; the last tag and older changes follow, newest first', () => {
  const activities = [
    launch('i-a', 0, 20, 'At … a user request created an AutoScalingGroup changing the desired capacity from 0 to 2.'),
    launch('i-b', 0, 20, 'At … a user request created an AutoScalingGroup changing the desired capacity from 0 to 2.'),
    // An earlier deploy (no record left) that asg-deploy made version 2 for.
    launch('i-c', 300, 330, 'At … a user request explicitly set group desired capacity changing the desired capacity from 2 to 3.'),
    terminate('i-a', 340, 360),
    launch('i-d', 361, 390),
    terminate('i-b', 395, 420),
    // The last finished deploy (summary tag): 2 → 3 rolled back.
    launch('i-e', 600, 640),
    terminate('i-e', 700, 720),
    // The deploy in progress.
    launch('i-f', 1000, undefined),
  ];
  const base = {
    group: 'web',
    activities,
    currentInstances: ['i-c', 'i-d', 'i-f'],
    last: { id: 'd-2', strategy: 'roll', outcome: 'rolled-back', from: '2', to: '3', started: at(590).toISOString(), finished: at(730).toISOString(), reason: 'version 3 never became healthy' },
    templateVersions: [
      { version: '1', createdAt: T0 - 100_000, imageId: 'ami-1' },
      { version: '2', createdAt: T0 + 290_000, createdBy: 'arn:aws:iam::1:user/ann', description: 'asg-deploy: ami-2 (from version 1)', imageId: 'ami-2' },
      { version: '3', createdAt: T0 + 585_000, createdBy: 'arn:aws:iam::1:user/bob', description: 'asg-deploy: ami-3 (from version 2)', imageId: 'ami-3' },
    ],
  };
  const live = reconstructHistory({ ...base, now: T0 + 1040_000, record: record(), lock: { deployId: 'd-3', owner: 'ann@box', expiresAt: T0 + 1600_000, renewedAt: T0 + 1030_000 } });
  const [current, last, earlier, created] = live.entries;
  assert.equal(live.entries.length, 4, JSON.stringify(live.entries, null, 1));
  assert.deepEqual([current?.id, current?.outcome, current?.startedBy, current?.floor, current?.durationSeconds], ['d-3', 'in-progress', 'ann@box', 2, undefined]);
  assert.deepEqual(current?.sources.sort(), ['activities', 'lock', 'record']);
  assert.deepEqual([last?.id, last?.outcome, last?.fromImage, last?.toImage, last?.startedBy, last?.durationSeconds, last?.launched, last?.terminated], ['d-2', 'rolled-back', 'ami-2', 'ami-3', 'arn:aws:iam::1:user/bob', 140, 1, 1]);
  assert.equal(last?.lowestServingEstimated, true);
  assert.equal(last?.lowestServing, 2);
  assert.deepEqual([earlier?.kind, earlier?.fromVersion, earlier?.toVersion, earlier?.toImage, earlier?.startedBy, earlier?.launched, earlier?.terminated], ['unrecorded', '1', '2', 'ami-2', 'arn:aws:iam::1:user/ann', 2, 2]);
  assert.deepEqual([created?.kind, created?.reason, created?.launched], ['unrecorded', 'the group was created', 2]);

  const dead = reconstructHistory({ ...base, now: T0 + 2000_000, record: record(), lock: { deployId: 'd-3', owner: 'ann@box', expiresAt: T0 + 1600_000, renewedAt: T0 + 1030_000 } });
  assert.equal(dead.entries[0]?.outcome, 'interrupted', 'the holder\'s lock expired');
  assert.equal(reconstructHistory({ ...base, now: T0 + 1040_000, record: record({ phase: 'failed', reason: 'x' }) }).entries[0]?.outcome, 'failed');
  assert.equal(dead.otherActivities.length, 6, 'the activities outside the two recorded deploys');
});

test('the event log adds who, the exact lowest serving and the floor; a pair\'s deploy is one entry naming both groups', () => {
  const activities = [launch('i-n', 10, 40), terminate('i-o', 50, 70)];
  const events = [
    { t: T0 + 5000, group: 'web', code: 'plan' as const, strategy: 'bluegreen', fromVersion: '4', toVersion: '5', templateId: 'lt-1', desired: 1, floor: 1, surge: 1, waves: 1, expectedSeconds: 60, replace: 1, maxSizeNeeded: 0 },
    { t: T0 + 6000, group: 'web', deployId: 'd-9', code: 'locked' as const, lockOwner: 'cy@laptop' },
    { t: T0 + 80_000, group: 'web', deployId: 'd-9', code: 'done' as const, outcome: 'succeeded' as const, seconds: 75, version: '5', lowestServing: 1, floor: 1 },
  ];
  const blue = reconstructHistory({ group: 'shop-blue', now: T0 + 100_000, activities, currentInstances: ['i-n'], logs: new Map([['d-9', events]]) });
  const green = reconstructHistory({ group: 'shop-green', now: T0 + 100_000, activities: [], currentInstances: [], last: { id: 'd-9', strategy: 'bluegreen', outcome: 'done', from: '4', to: '5', started: at(5).toISOString(), finished: at(80).toISOString() } });
  const [entry] = blue.entries;
  assert.deepEqual([entry?.startedBy, entry?.lowestServing, entry?.lowestServingEstimated, entry?.floor, entry?.outcome, entry?.durationSeconds], ['cy@laptop', 1, false, 1, 'succeeded', 75]);
  const merged = mergeGroupHistories([blue, green]);
  assert.equal(merged.entries.length, 1);
  assert.deepEqual(merged.entries[0]?.groups, ['shop-blue', 'shop-green']);
  assert.deepEqual(merged.entries[0]?.sources.sort(), ['activities', 'event-log', 'last']);
});
