/**
 * `asg-deploy emulator --iam-policy FILE` (the binary): the policy printed by
 * `iam-policy status` is enforced from the first call; a malformed file exits 2
 * naming the file and the element.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { CLI_BIN, cliEnv } from '../helpers/fleet.js';
import { TEST_CREDENTIALS } from '../helpers/emulator.js';
import { policyFor } from '../../src/permissions/index.js';

const dir = mkdtempSync(join(tmpdir(), 'asg-deploy-iam-'));

test('the emulator started with --iam-policy enforces it; the admin API lifts it', { timeout: 60_000 }, async () => {
  const file = join(dir, 'status.json');
  writeFileSync(file, JSON.stringify(policyFor(['status'], { groups: ['web'] })));
  const child = spawn(process.execPath, [CLI_BIN, '--output', 'json', 'emulator', '--port', '0', '--iam-policy', file], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const line = buf.split('\n').find((l) => l.includes('emulator.listening'));
        if (line) resolve((JSON.parse(line) as { endpoint: string }).endpoint);
      });
      child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
    });
    const asg = new AutoScalingClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      assert.deepEqual((await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups, []);
      await assert.rejects(asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 1 })), (e: Error) => e.name === 'AccessDenied' && /autoscaling:SetDesiredCapacity on resource: arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:\*:autoScalingGroupName\/web/.test(e.message));
      await fetch(`${endpoint}/_emulator/iam-policy`, { method: 'DELETE' });
      // Lifted: the call now reaches Auto Scaling, which says the group does not exist.
      await assert.rejects(asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'web', DesiredCapacity: 1 })), (e: Error) => e.name === 'ValidationError');
    } finally {
      asg.destroy();
    }
  } finally {
    child.kill('SIGTERM');
  }
});

test('a malformed policy file exits 2 naming the file and the element', { timeout: 30_000 }, async () => {
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'SetDesiredCapacity', Resource: '*' }] }));
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(process.execPath, [CLI_BIN, 'emulator', '--port', '0', '--iam-policy', file], { env: cliEnv(), timeout: 20_000 }, (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }));
  });
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stderr.includes(file), r.stderr);
  assert.match(r.stderr, /Statement\[0\]: action "SetDesiredCapacity" is not "service:Action"/);
});
