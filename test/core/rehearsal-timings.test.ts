import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootSecondsFromActivities, launchFailuresSince, readySeconds } from '../../src/core/rehearsal-timings.js';

const launch = (startTime: number, seconds: number, statusCode = 'Successful') => ({
  description: `Launching a new EC2 instance: i-${startTime}`,
  statusCode,
  startTime,
  endTime: startTime + seconds * 1000,
});

test('boot time is the median of successful launches; other activities and failures do not count', () => {
  const activities = [
    launch(0, 40),
    launch(1, 50),
    launch(2, 300), // an outlier (a hook held it) does not drag the median
    launch(3, 10, 'Failed'),
    { description: 'Terminating EC2 instance: i-9', statusCode: 'Successful', startTime: 0, endTime: 999_000 },
  ];
  assert.deepEqual(bootSecondsFromActivities(activities), { seconds: 50, samples: 3 });
  assert.deepEqual(bootSecondsFromActivities([launch(0, 40), launch(1, 60)]), { seconds: 50, samples: 2 });
  assert.equal(bootSecondsFromActivities([]), undefined);
});

test('launch failures since a time, with the AZ from AWS Details and the status message', () => {
  const failures = launchFailuresSince(
    [
      { ...launch(5_000, 0, 'Failed'), statusMessage: 'We currently do not have sufficient capacity', details: '{"Subnet ID":"subnet-1","Availability Zone":"us-east-1b"}' },
      { ...launch(1_000, 0, 'Failed'), statusMessage: 'too old' },
      launch(6_000, 30),
    ],
    2_000,
  );
  assert.deepEqual(failures, [{ availabilityZone: 'us-east-1b', reason: 'We currently do not have sufficient capacity', at: 5_000 }]);
});

test('ready time is the application start plus the healthy threshold of checks', () => {
  assert.equal(readySeconds({ intervalSeconds: 30, healthyThresholdCount: 5 }, 20), 170);
  assert.equal(readySeconds({ intervalSeconds: 5, healthyThresholdCount: 2 }, 0), 10);
});
