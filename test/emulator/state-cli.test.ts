/**
 * E-23 through the CLI: `asg-deploy emulator --state FILE` in a child process,
 * stopped by a real SIGTERM (then SIGINT), keeps what was created and the
 * simulated time; a corrupt file exits 2 naming the file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateLaunchTemplateCommand, DescribeLaunchTemplatesCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CLI_BIN, cliEnv } from '../helpers/fleet.js';
import { TEST_CREDENTIALS } from '../helpers/emulator.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'emu-state-cli-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  listening: { endpoint: string; now?: string; stateFile?: string };
  exit: Promise<{ code: number | null; stderr: string }>;
}

function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [CLI_BIN, '--output', 'json', 'emulator', '--port', '0', ...args], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`emulator did not start; stderr: ${stderr}`));
    }, 20_000);
    let stdout = '';
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      const event = JSON.parse(line) as { event: string; endpoint: string };
      if (event.event === 'emulator.listening') {
        clearTimeout(timer);
        resolve({ child, listening: event, exit });
      }
    });
    void exit.then(({ code }) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`emulator exited ${code} before listening; stdout: ${stdout} stderr: ${stderr}`), { code, stdout, stderr }));
    });
  });
}

const ec2Of = (endpoint: string) => new EC2Client({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });

test('asg-deploy emulator --state FILE: what was created survives SIGTERM and SIGINT restarts, and the clock resumes', async () => {
  const file = join(dir, 'world.json');
  const first = await startCli(['--state', file, '--speed', '1']);
  const ec2 = ec2Of(first.listening.endpoint);
  const lt = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'survivor', LaunchTemplateData: { ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.micro' } }));
  ec2.destroy();
  // Jump the simulated clock a day ahead through the admin API.
  const clock = (await (
    await fetch(`${first.listening.endpoint}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: 86_400 }) })
  ).json()) as { epochMs: number };
  first.child.kill('SIGTERM');
  const firstExit = await first.exit;
  assert.equal(firstExit.code, 0, firstExit.stderr);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { now: number };
  assert.ok(saved.now >= clock.epochMs, 'saved at shutdown, after the clock jump');

  const second = await startCli(['--state', file]);
  assert.ok(Date.parse(second.listening.now!) >= saved.now, `resumes from the saved instant: ${second.listening.now}`);
  const ec2b = ec2Of(second.listening.endpoint);
  const templates = await ec2b.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['survivor'] }));
  assert.equal(templates.LaunchTemplates?.[0]?.LaunchTemplateId, lt.LaunchTemplate!.LaunchTemplateId);
  // The base images are the loaded ones, not a second set.
  const amazon = await ec2b.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  assert.equal(new Set(amazon.Images!.map((i) => i.Name)).size, amazon.Images!.length);
  ec2b.destroy();
  second.child.kill('SIGINT');
  const secondExit = await second.exit;
  assert.equal(secondExit.code, 0, secondExit.stderr);
});

test('asg-deploy emulator --state with a corrupt file exits 2, names the file and leaves it alone', async () => {
  const file = join(dir, 'corrupt.json');
  writeFileSync(file, '{"format":"asg-deploy-emulator-state","version":1,');
  await assert.rejects(startCli(['--state', file]), (e: Error & { code?: number; stdout?: string }) => {
    assert.equal(e.code, 2, e.message);
    // --output json: the error is one JSON event on stdout.
    const event = JSON.parse(e.stdout!.trim().split('\n').at(-1)!) as { code: string; errorCode: string; exitCode: number; message: string };
    assert.equal(event.code, 'error');
    assert.equal(event.errorCode, 'BAD_INPUT');
    assert.equal(event.exitCode, 2);
    assert.ok(event.message.includes(file), event.message);
    assert.match(event.message, /not valid JSON/);
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), '{"format":"asg-deploy-emulator-state","version":1,');
});
