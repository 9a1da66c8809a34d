/**
 * What a person reads about stored guardrails (issue 9): `status` lines for a
 * deploy's stored guardrails (the check command a resume runs here, no
 * rollback, what could not be stored) and its alarms' states (MISSING, a read
 * that was refused), and the lines of the `guardrails-resumed` and
 * `continue-signalled` events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEvent } from '../../src/cli/render.js';
import { guardrailStatusLines } from '../../src/cli/guardrail-status.js';

const now = Date.UTC(2026, 0, 1, 12, 10);
const base = { t: now, deployId: 'd-1', group: 'web' };

test('status lines: the stored guardrails, the check a resume runs, the alarms now (MISSING, or why their states were not read)', () => {
  assert.deepEqual(
    guardrailStatusLines(
      {
        settings: { alarms: ['web-5xx', 'gone'], checkpoints: [10, 50], checkpointPause: { kind: 'wait' }, bakeTimeMs: 600_000, check: 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health', checkTimeoutMs: 30_000, noRollback: true, unstored: ['my-guard'] },
        alarms: [{ name: 'web-5xx', state: 'ALARM', reason: 'Threshold Crossed' }, { name: 'gone', state: 'MISSING' }],
      },
      now,
    ),
    [
      '    guardrails: checkpoints 10%,50% (wait for `asg-deploy continue`); bake time 10m; no rollback (started with --no-rollback)',
      '    check per new instance (limit 30s), run by the machine that runs or resumes the deploy: curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health',
      '    not stored (a resume runs without them unless given again): my-guard',
      '    alarms: web-5xx ALARM (Threshold Crossed), gone MISSING',
    ],
  );
  assert.deepEqual(guardrailStatusLines({ settings: { alarms: ['web-5xx'] }, alarmsError: 'not authorized to perform cloudwatch:DescribeAlarms' }, now), [
    '    alarms web-5xx: states not read (not authorized to perform cloudwatch:DescribeAlarms)',
  ]);
  assert.deepEqual(guardrailStatusLines({ settings: { alarms: [], unreadable: 'tag asg-deploy:guardrails:2 (part 2 of 2) is missing' } }, now), [
    '    guardrails stored on the group cannot be read: tag asg-deploy:guardrails:2 (part 2 of 2) is missing',
  ]);
});

test('event lines: guardrails-resumed names what runs here and what came from the command line; continue-signalled', () => {
  assert.equal(
    describeEvent({ ...base, code: 'guardrails-resumed', alarms: ['web-5xx', 'web-latency'], checkpoints: '10%,50%', checkpointPause: 'wait', bakeSeconds: 600, check: './smoke.sh', checkTimeoutSeconds: 30, noRollback: false, fromFlags: ['--alarm'], unstored: [] }),
    "resuming with the deploy's guardrails (--alarm from the command line): alarms web-5xx, web-latency; checkpoints 10%,50% (wait for continue); bake time 10m; check on this machine (limit 30s): ./smoke.sh",
  );
  assert.equal(
    describeEvent({ ...base, code: 'guardrails-resumed', alarms: [], noRollback: true, fromFlags: [], unstored: [] }),
    "resuming with the deploy's guardrails: no rollback",
  );
  assert.equal(describeEvent({ ...base, code: 'continue-signalled', percent: 10, by: 'ops@box:1' }), 'continue signalled at the 10% checkpoint by ops@box:1; the deploy goes on at its next poll');
});
