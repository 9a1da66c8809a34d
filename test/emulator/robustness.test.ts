/**
 * Issue 12 item 7, docs/emulator-state.md E-40 … E-45: made-up regions are
 * refused and never created, the history is a bounded ring that says what it
 * dropped, oversized bodies get a 413 on every route (never a TCP reset),
 * only loopback Host names and same-origin admin pages are answered, a NUL in
 * a group name is a ValidationError, and an HTTP target group's default
 * health-check timeout is AWS's 6 s.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ManualClock } from '../../src/clock/index.js';
import { servingTimeline, startEmulator } from '../../src/emulator/index.js';
import { History, type HistoryEntry } from '../../src/emulator/history.js';
import { requestOriginProblem } from '../../src/emulator/request-guard.js';
import { AWS_REGIONS } from '../../src/emulator/regions.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';

let t: TestEmulator;
before(async () => {
  t = await startTestEmulator();
});
after(async () => {
  await t.close();
});

interface RawResponse {
  status: number;
  body: string;
}

function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const SCOPE = (region: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;

// --- E-40 regions ----------------------------------------------------------

test('E-40: a made-up region answers SignatureDoesNotMatch (403) and creates no region', async () => {
  const before = t.emu.sim.allRegions().map((r) => r.region);
  for (const region of ['mars-north-1', 'us-east-42', 'test']) {
    const asg = new AutoScalingClient({ endpoint: t.emu.endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    await assert.rejects(asg.send(new DescribeAutoScalingGroupsCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'SignatureDoesNotMatch');
      assert.equal(e.message, `Credential should be scoped to a valid region, not '${region}'.`);
      assert.equal(e.$metadata?.httpStatusCode, 403);
      return true;
    });
    asg.destroy();
  }
  // The same through EC2's protocol.
  const ec2 = new EC2Client({ endpoint: t.emu.endpoint, region: 'nowhere-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  await assert.rejects(ec2.send(new DescribeVpcsCommand({})), /Credential should be scoped to a valid region, not 'nowhere-1'/);
  ec2.destroy();
  assert.deepEqual(t.emu.sim.allRegions().map((r) => r.region), before);
  assert.throws(() => t.emu.sim.region('mars-north-1'), /not an AWS region/);
});

test('E-40: every AWS region (all partitions) is served, e.g. eu-west-3 and us-gov-west-1', async () => {
  assert.ok(AWS_REGIONS.size >= 40);
  for (const region of ['eu-west-3', 'us-gov-west-1', 'cn-north-1']) {
    const ec2 = new EC2Client({ endpoint: t.emu.endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const vpcs = await ec2.send(new DescribeVpcsCommand({}));
    assert.equal(vpcs.Vpcs?.length, 1, `${region} has its default VPC`);
    ec2.destroy();
  }
  assert.ok(t.emu.sim.allRegions().some((r) => r.region === 'us-gov-west-1'));
});

// --- E-41 history ring -----------------------------------------------------

test('E-41: the history ring keeps the newest entries and counts what it dropped', () => {
  const h = new History(100);
  const seen: number[] = [];
  h.subscribe((e) => seen.push(e.t));
  for (let i = 0; i < 250; i++) h.record({ t: i, type: 'image', region: 'us-east-1', imageId: `ami-${i}`, from: null, to: 'available' });
  assert.equal(h.size, 100);
  assert.equal(h.dropped, 150);
  assert.deepEqual(h.entries.map((e) => e.t), Array.from({ length: 100 }, (_, i) => 150 + i));
  assert.equal(seen.length, 250, 'listeners see every entry, dropped or not');
  assert.deepEqual(h.since(245).map((e) => e.t), [245, 246, 247, 248, 249]);
  h.resize(120);
  assert.equal(h.size, 100);
  h.resize(10 ** 3);
  h.resize(100);
  assert.equal(h.dropped, 150);
  h.clear();
  assert.equal(h.size, 0);
  assert.equal(h.dropped, 0);
  assert.throws(() => new History(5), /history size must be a whole number between 100 and/);
});

test('E-41: GET /_emulator/history and /health report the ring; a serving timeline from an uncut ring is exact', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const emu = await startEmulator({ clock, historySize: 100 });
  try {
    const asg = new AutoScalingClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    for (let i = 0; i < 130; i++) await asg.send(new DescribeAutoScalingGroupsCommand({}));
    asg.destroy();
    const history = JSON.parse((await raw(emu.port, { method: 'GET', path: '/_emulator/history' })).body) as {
      capacity: number;
      size: number;
      dropped: number;
      entries: HistoryEntry[];
    };
    assert.equal(history.capacity, 100);
    assert.equal(history.size, 100);
    assert.equal(history.dropped, 30);
    assert.equal(history.entries.length, 100);
    const health = JSON.parse((await raw(emu.port, { method: 'GET', path: '/_emulator/health' })).body) as { history: { dropped: number; capacity: number } };
    assert.deepEqual(health.history, { capacity: 100, size: 100, dropped: 30 });
    const serving = JSON.parse((await raw(emu.port, { method: 'GET', path: '/_emulator/serving?group=web' })).body) as { history: { dropped: number } };
    assert.ok(serving.history.dropped >= 30, 'the serving replay says its history was cut');
  } finally {
    await emu.close();
  }
});

test('E-41: serving/history consumers read the ring: a group coming up is replayed exactly', async () => {
  const name = 'ring-web';
  const ec2 = t.ec2;
  const { DescribeImagesCommand, CreateLaunchTemplateCommand } = await import('@aws-sdk/client-ec2');
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: images.Images![0]!.ImageId!, InstanceType: 't3.micro' } }));
  await t.asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      MinSize: 3,
      MaxSize: 3,
      DesiredCapacity: 3,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      LaunchTemplate: { LaunchTemplateName: name, Version: '$Latest' },
    }),
  );
  t.advance(120);
  assert.equal(t.emu.sim.history.dropped, 0);
  const timeline = servingTimeline(t.history(), { group: name, targetGroupArns: [] });
  assert.equal(timeline.at(-1)?.serving, 3);
  assert.equal(timeline[0]?.serving, 0, 'the timeline starts from the first launch: nothing was cut');
});

// --- E-43 oversized bodies -------------------------------------------------

test('E-43: a 10 MB body gets a 413 response on every route, admin included, never a reset', async () => {
  const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
  const routes: { path: string; headers: Record<string, string>; method?: string }[] = [
    { path: '/_emulator/clock', headers: { 'Content-Type': 'application/json' } },
    { path: '/_emulator/faults', headers: { 'Content-Type': 'application/json' } },
    { path: '/_emulator/reset', headers: {} },
    { path: '/', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: SCOPE('us-east-1', 'autoscaling') } },
    { path: '/', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'GraniteServiceVersion20100801.DescribeAlarms', Authorization: SCOPE('us-east-1', 'monitoring') } },
  ];
  for (const r of routes) {
    const res = await raw(t.emu.port, { path: r.path, headers: r.headers, body: big });
    assert.equal(res.status, 413, `${r.path} ${JSON.stringify(r.headers)}: ${res.body.slice(0, 200)}`);
  }
  // The emulator still answers afterwards, and nothing was reset by the huge reset body.
  const after = await raw(t.emu.port, { method: 'GET', path: '/_emulator/health' });
  assert.equal(after.status, 200);
  // Routes that take no body read and discard it rather than resetting.
  for (const path of ['/_emulator/health', '/_emulator/no-such-thing']) {
    const res = await raw(t.emu.port, { method: 'POST', path, body: big });
    assert.ok(res.status === 404 || res.status === 413 || res.status === 200, `${path}: ${res.status}`);
  }
});

test('E-43: a body declared far too large is answered 413 at once, without waiting for it', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: t.emu.port, method: 'POST', path: '/_emulator/clock', headers: { 'Content-Length': String(1024 * 1024 * 1024) }, agent: false },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      },
    );
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.write(Buffer.alloc(1024 * 1024));
  });
  assert.equal(status, 413);
  assert.equal((await raw(t.emu.port, { method: 'GET', path: '/_emulator/health' })).status, 200, 'still serving');
});

// --- E-42 Host and Origin --------------------------------------------------

test('E-42: only loopback Host names are answered by a loopback emulator', async () => {
  for (const host of ['evil.example', 'evil.example:4545', '10.0.0.1', 'localhost.evil.example']) {
    const res = await raw(t.emu.port, { method: 'GET', path: '/_emulator/health', headers: { Host: host } });
    assert.equal(res.status, 403, `Host ${host}`);
    assert.match(res.body, /loopback name/);
    const aws = await raw(t.emu.port, {
      path: '/',
      headers: { Host: host, 'Content-Type': 'application/x-www-form-urlencoded', Authorization: SCOPE('us-east-1', 'autoscaling') },
      body: 'Action=DescribeAutoScalingGroups&Version=2011-01-01',
    });
    assert.equal(aws.status, 403, `AWS route, Host ${host}`);
  }
  for (const host of ['127.0.0.1', `127.0.0.1:${t.emu.port}`, 'localhost', `LOCALHOST:${t.emu.port}`, '[::1]', `[::1]:${t.emu.port}`]) {
    const res = await raw(t.emu.port, { method: 'GET', path: '/_emulator/health', headers: { Host: host } });
    assert.equal(res.status, 200, `Host ${host}`);
  }
});

test('E-42: admin requests from a page of another origin are refused; the AWS routes keep working for loopback pages', async () => {
  const clock = { path: '/_emulator/clock', headers: { 'Content-Type': 'application/json' }, body: '{"advanceSeconds":1}' };
  for (const origin of ['http://evil.example', 'https://evil.example:443', 'null', 'not a url']) {
    const res = await raw(t.emu.port, { ...clock, headers: { ...clock.headers, Origin: origin } });
    assert.equal(res.status, 403, `Origin ${origin}`);
    assert.match(res.body, /origin/);
  }
  for (const origin of [`http://127.0.0.1:${t.emu.port}`, 'http://localhost:3000']) {
    const res = await raw(t.emu.port, { ...clock, headers: { ...clock.headers, Origin: origin } });
    assert.equal(res.status, 200, `Origin ${origin}`);
  }
});

test('E-42: the rule itself: --host given (not loopback) serves any Host; admin still same-origin only', () => {
  assert.equal(requestOriginProblem({ host: 'build-box.lan:4545', origin: undefined, listenHost: '0.0.0.0', admin: true }), undefined);
  assert.equal(requestOriginProblem({ host: 'build-box.lan:4545', origin: 'http://build-box.lan:4545', listenHost: '0.0.0.0', admin: true }), undefined);
  assert.match(requestOriginProblem({ host: 'build-box.lan:4545', origin: 'http://evil.example', listenHost: '0.0.0.0', admin: true }) ?? '', /another origin/);
  assert.equal(requestOriginProblem({ host: 'build-box.lan', origin: 'http://evil.example', listenHost: '0.0.0.0', admin: false }), undefined);
  assert.match(requestOriginProblem({ host: 'build-box.lan', origin: undefined, listenHost: '127.0.0.1', admin: false }) ?? '', /--host/);
  assert.equal(requestOriginProblem({ host: '127.0.0.5:80', origin: undefined, listenHost: '::1', admin: false }), undefined);
});

// --- E-44 NUL in a name ----------------------------------------------------

test('E-44: a group name with a NUL byte is a ValidationError citing the pattern; nothing is created', async () => {
  await assert.rejects(
    t.asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'web\u0000evil',
        MinSize: 0,
        MaxSize: 1,
        AvailabilityZones: ['us-east-1a'],
        LaunchConfigurationName: 'none',
      }),
    ),
    (e: Error) => {
      assert.equal(e.name, 'ValidationError');
      assert.match(e.message, /at 'autoScalingGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t\]\*/);
      return true;
    },
  );
  const groups = await t.asg.send(new DescribeAutoScalingGroupsCommand({}));
  assert.ok(!groups.AutoScalingGroups?.some((g) => g.AutoScalingGroupName?.includes('\u0000')));
  // EC2 and ELBv2 names have narrower rules of their own, which a NUL fails too.
  const { CreateLaunchTemplateCommand } = await import('@aws-sdk/client-ec2');
  await assert.rejects(
    t.ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web\u0000evil', LaunchTemplateData: { ImageId: 'ami-0abcdef1234567890' } })),
    (e: Error) => e.name === 'InvalidLaunchTemplateName.MalformedException',
  );
  const vpcs = await t.ec2.send(new DescribeVpcsCommand({}));
  await assert.rejects(
    t.elb.send(new CreateTargetGroupCommand({ Name: 'web\u0000evil', Protocol: 'HTTP', Port: 80, VpcId: vpcs.Vpcs![0]!.VpcId! })),
    (e: Error) => e.name === 'ValidationError' && /can only contain characters that are alphanumeric characters or hyphens/.test(e.message),
  );
  // Tabs, newlines and non-ASCII letters are in the pattern: accepted up to the next check.
  await assert.rejects(
    t.asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: 'wéb\tx', MinSize: 0, MaxSize: 1, AvailabilityZones: ['us-east-1a'], LaunchConfigurationName: 'none' })),
    (e: Error) => !/regular expression pattern/.test(e.message),
  );
});

// --- E-45 target group timeout -----------------------------------------------

test('E-45: an HTTP target group defaults to a 6 s health-check timeout, HTTPS and TCP to 10 s', async () => {
  const vpcs = await t.ec2.send(new DescribeVpcsCommand({}));
  const VpcId = vpcs.Vpcs![0]!.VpcId!;
  const expected: [string, 'HTTP' | 'HTTPS' | 'TCP', number][] = [
    ['tg-http', 'HTTP', 6],
    ['tg-https', 'HTTPS', 10],
    ['tg-tcp', 'TCP', 10],
  ];
  for (const [Name, Protocol, timeout] of expected) {
    const created = await t.elb.send(new CreateTargetGroupCommand({ Name, Protocol, Port: 443, VpcId }));
    assert.equal(created.TargetGroups?.[0]?.HealthCheckTimeoutSeconds, timeout, Name);
  }
  const described = await t.elb.send(new DescribeTargetGroupsCommand({ Names: ['tg-http'] }));
  assert.equal(described.TargetGroups?.[0]?.HealthCheckTimeoutSeconds, 6);
  assert.equal(described.TargetGroups?.[0]?.HealthCheckIntervalSeconds, 30);
});
