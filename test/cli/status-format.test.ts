/**
 * `status` wording (issue 10 item 4): a switched blue/green deploy awaits a
 * decision (not "interrupted?") and prints the two commands; an age is never
 * negative when clocks mixed; the instance table sizes its columns to content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatus, formatTable } from '../../src/cli/commands/status.js';
import type { FleetStatus } from '../../src/deploy/index.js';

function sample(over: Partial<FleetStatus> = {}): FleetStatus {
  return {
    group: 'shop-web',
    takenAt: 1_000_000,
    minSize: 0,
    maxSize: 12,
    desiredCapacity: 0,
    launchTemplate: { name: 'shop', version: '2' },
    suspendedProcesses: [],
    serving: 0,
    versions: [{ version: '2', instances: 2, serving: 0, byState: { Standby: 1, 'Terminating:Proceed': 1 } }],
    instances: [
      { id: 'i-0123456789abcdef0', az: 'us-east-1a', version: '2', lifecycleState: 'Terminating:Proceed', healthStatus: 'Healthy', targetHealth: { 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web/abc': 'draining' }, serving: false },
      { id: 'i-0fedcba9876543210', az: 'us-east-1b', version: '2', lifecycleState: 'Standby', healthStatus: 'Healthy', targetHealth: {}, serving: false },
    ],
    ...over,
  };
}

const bluegreenDeploy = (step: string, ageSeconds: number) =>
  ({
    id: 'd-1',
    strategy: 'bluegreen',
    phase: 'suspended',
    startedAt: 0,
    updatedAt: 0,
    templateId: 'lt-1',
    fromVersion: '2',
    toVersion: '4',
    original: { min: 6, max: 12, desired: 6 },
    suspendedByUs: [],
    settings: { surge: 6, floor: 6, warmupSeconds: 30, maxFailedLaunches: 2, timeoutSeconds: 600 },
    ageSeconds,
    state: { step, app: 'shop-web', role: 'live' },
  }) as unknown as NonNullable<FleetStatus['deploy']>;

test('a switched blue/green deploy awaits finish or rollback; it is not called interrupted', () => {
  const lines = formatStatus(sample({ deploy: bluegreenDeploy('switched', 30) })).join('\n');
  assert.doesNotMatch(lines, /interrupted\?/);
  assert.match(lines, /awaiting your decision/);
  assert.match(lines, /asg-deploy finish shop-web +keeps the new version/);
  assert.match(lines, /asg-deploy rollback shop-web +goes back to version 2/);
});

test('an unlocked deploy mid-way names how to go on and how to undo', () => {
  const lines = formatStatus(sample({ deploy: bluegreenDeploy('scale', 30) })).join('\n');
  assert.match(lines, /not locked: no process runs it .*`asg-deploy resume shop-web` goes on, `asg-deploy rollback shop-web` undoes/);
});

test('an age from a clock ahead of this one prints as 0s, never negative', () => {
  const lines = formatStatus(sample({ deploy: bluegreenDeploy('switched', -2) })).join('\n');
  assert.match(lines, /started 0s ago/);
  assert.doesNotMatch(lines, /-\d+(\.\d+)?[smhd]\b/);
});

test('the instance table sizes its columns to content: Terminating:Proceed does not overflow', () => {
  const lines = formatStatus(sample());
  const header = lines.find((l) => l.includes('lifecycle'))!;
  const rows = lines.filter((l) => l.includes('i-0'));
  assert.equal(rows.length, 2);
  // Every column starts at the same offset in the header and each row.
  for (const col of ['health', 'target health']) {
    const at = header.indexOf(col === 'health' ? ' health' : col) + (col === 'health' ? 1 : 0);
    for (const row of rows) assert.match(row.slice(at), /^(Healthy|web=|-)/, `column ${col} misaligned in "${row}"`);
  }
  assert.ok(rows[0]!.includes('Terminating:Proceed  Healthy'), rows[0]);
  assert.deepEqual(formatTable([['a', 'bb'], ['ccc', 'd']]), ['  a    bb', '  ccc  d']);
});
