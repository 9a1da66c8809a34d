/**
 * E-23 (docs/emulator-state.md): the emulated fleet survives a restart. The
 * state file is loaded at start, saved atomically, the simulated clock resumes
 * where it stopped, and pending work (boots, health checks, draining, image
 * creation, the controller's reconciles) carries on after the load on a
 * ManualClock exactly as if nothing had happened. Corrupt and newer-format
 * files are refused, never reset.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeAutoScalingGroupsCommand,
  SetDesiredCapacityCommand,
  PutLifecycleHookCommand,
  PutScheduledUpdateGroupActionCommand,
  DescribeAutoScalingInstancesCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeLaunchTemplatesCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, Simulation } from '../../src/emulator/index.js';
import { isAsgDeployError } from '../../src/core/errors.js';
import {
  decodeState,
  encodeState,
  findInertEvents,
  isInertEvent,
  REGION_IDENTITY_KEYS,
  STATE_FORMAT,
  STATE_PARTS,
  STATE_VERSION,
  StateCodecError,
} from '../../src/emulator/persistence/index.js';
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from '../helpers/emulator.js';
import { createGroup, createStack, describeGroup, startWorld, waitInService, type AsgWorld } from './autoscaling-fixtures.test.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileCounter = 0;
const newFile = () => join(dir, `state-${++fileCounter}.json`);

/** A world whose emulator writes `file`; `restart` closes it (saving) and starts a new one from the file. */
async function worldWithState(file: string): Promise<AsgWorld> {
  const w = await startWorld();
  // startWorld has no state file: hand its world to an emulator that has one, by saving and reloading.
  const t2 = await restartInto(w.t, file);
  return { ...w, t: t2 };
}

async function restartInto(t: TestEmulator, file: string): Promise<TestEmulator> {
  // Save `t`'s state to `file` through a throwaway emulator API: write the snapshot directly.
  const { takeSnapshot, writeStateFile } = await import('../../src/emulator/persistence/index.js');
  writeStateFile(file, takeSnapshot(t.emu.sim));
  await t.close();
  return startTestEmulator({ stateFile: file });
}

async function restart(w: AsgWorld, file: string): Promise<AsgWorld> {
  const savedNow = w.t.emu.sim.now;
  await w.t.close();
  const t = await startTestEmulator({ stateFile: file });
  assert.equal(t.emu.sim.now, savedNow, 'the simulated clock resumes where it stopped');
  return { ...w, t };
}

// --- the codec ----------------------------------------------------------------

test('codec: Maps, Sets, shared objects, cycles and $-keys round-trip; scheduler handles come back inert', () => {
  const shared = { id: 'i-1', n: 1 };
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const handle = { at: 5000, label: 'boot', cancelled: false, seq: 3, run: () => {} };
  const cancelled = { at: 6000, label: 'gone', cancelled: true, seq: 4, run: () => {} };
  const root = {
    byId: new Map([['i-1', shared]]),
    index: new Map([['i-1', new Set([shared])]]),
    list: [shared, undefined, Infinity],
    cyclic,
    dollar: { $weird: 1, $ref: 'not a ref' },
    when: new Date(1234),
    pending: handle,
    done: cancelled,
    fn: () => 1,
  };
  const text = JSON.stringify(encodeState(root));
  const back = decodeState(JSON.parse(text)) as typeof root;
  assert.equal(back.byId.get('i-1'), [...back.index.get('i-1')!][0], 'shared object stays one object');
  assert.equal(back.list[0], back.byId.get('i-1'));
  assert.equal(back.list[1], undefined);
  assert.equal(back.list[2], Infinity);
  assert.equal((back.cyclic as Record<string, unknown>).self, back.cyclic);
  assert.deepEqual(back.dollar, { $weird: 1, $ref: 'not a ref' });
  assert.equal(back.when.getTime(), 1234);
  assert.ok(isInertEvent(back.pending));
  assert.equal((back.pending as unknown as { at: number }).at, 5000);
  assert.equal(back.done, undefined, 'a cancelled handle is no pending work');
  assert.equal('fn' in back, false);
  assert.deepEqual(findInertEvents(back), ['regions.pending']);
  class Widget {}
  assert.throws(() => encodeState({ a: { b: new Widget() } }), (e: Error) => e instanceof StateCodecError && /state\.a\.b: a Widget instance/.test(e.message));
  assert.throws(() => decodeState({ $ref: 9 }), StateCodecError);
});

// --- coverage: a forgotten part fails here at merge ------------------------------

test('every part of a region state is covered by a state part, field by field', () => {
  const sim = new Simulation({ clock: new ManualClock() });
  const region = sim.emptyRegionState('us-east-1') as unknown as Record<string, Record<string, unknown>>;
  const partKeys = STATE_PARTS.map((p) => p.key).sort();
  const regionKeys = Object.keys(region)
    .filter((k) => !(REGION_IDENTITY_KEYS as readonly string[]).includes(k))
    .sort();
  assert.deepEqual(partKeys, regionKeys, 'a RegionState key without a STATE_PARTS entry (src/emulator/persistence/state-parts.ts)');
  for (const part of STATE_PARTS) {
    const missing = Object.keys(region[part.key]!).filter((k) => !part.fields.includes(k));
    assert.deepEqual(missing, [], `state part "${part.key}": list the new field in STATE_PARTS and re-arm its pending work in rehydrate, if it has any`);
  }
});

// --- restarts ----------------------------------------------------------------

test('restart mid-boot: Pending instances go on to InService after the load, on the saved timeline', async () => {
  const file = newFile();
  let w = await worldWithState(file);
  try {
    const start = w.t.emu.sim.now;
    await createGroup(w, 'boot', { MinSize: 3, MaxSize: 3, DesiredCapacity: 3 });
    w.t.advance(10);
    const before = await describeGroup(w, 'boot');
    assert.equal(before.Instances?.length, 3);
    assert.ok(before.Instances!.every((i) => i.LifecycleState === 'Pending'));
    const ids = before.Instances!.map((i) => i.InstanceId).sort();

    w = await restart(w, file);
    const reloaded = await describeGroup(w, 'boot');
    assert.deepEqual(reloaded.Instances!.map((i) => i.InstanceId).sort(), ids);
    assert.ok(reloaded.Instances!.every((i) => i.LifecycleState === 'Pending'), 'still booting after the load');
    const running = await w.t.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids as string[] }));
    assert.ok(running.Reservations!.flatMap((r) => r.Instances!).every((i) => i.State?.Name === 'pending'));

    const done = await waitInService(w, 'boot', 3, 300);
    assert.deepEqual(done.Instances!.map((i) => i.InstanceId).sort(), ids, 'the same instances, no replacements');
    // The boot finished when it was due (default 30 s ± jitter), not 30 s after the restart.
    const runningAt = w.t.history().filter((e) => e.type === 'instance' && e.to === 'running').map((e) => (e.t - start) / 1000);
    assert.equal(runningAt.length, 3);
    assert.ok(runningAt.every((s) => s < 60), `boots end on the saved timeline: ${runningAt}`);
    // The history from before the restart is still there.
    assert.ok(w.t.history().some((e) => e.type === 'instance' && e.to === 'pending' && e.t < start + 10_000));
  } finally {
    await w.t.close();
  }
});

test('restart mid-drain and mid-image-creation: draining ends and the image becomes available after the load', async () => {
  const file = newFile();
  let w = await worldWithState(file);
  try {
    const stack = await createStack(w, 'drain', 120);
    await createGroup(w, 'drain', { MinSize: 0, MaxSize: 3, DesiredCapacity: 2, TargetGroupARNs: [stack.targetGroupArn], HealthCheckType: 'ELB', HealthCheckGracePeriod: 60 });
    await waitInService(w, 'drain', 2);
    await w.t.advanceUntil(async () => {
      const h = await w.t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
      return (h.TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State === 'healthy').length === 2;
    });
    const group = await describeGroup(w, 'drain');
    const image = await w.t.ec2.send(new CreateImageCommand({ InstanceId: group.Instances![0]!.InstanceId!, Name: 'release-2' }));
    await w.t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'drain', DesiredCapacity: 1 }));
    w.t.advance(20);
    const draining = await w.t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    const drainingIds = (draining.TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State === 'draining').map((d) => d.Target!.Id!);
    assert.equal(drainingIds.length, 1);
    const keep = group.Instances!.map((i) => i.InstanceId!).find((id) => id !== drainingIds[0])!;
    const pendingImage = await w.t.ec2.send(new DescribeImagesCommand({ ImageIds: [image.ImageId!] }));
    assert.equal(pendingImage.Images?.[0]?.State, 'pending');

    w = await restart(w, file);
    const still = await w.t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    assert.deepEqual(
      (still.TargetHealthDescriptions ?? []).map((d) => [d.Target!.Id, d.TargetHealth?.State]).sort(),
      [
        [drainingIds[0], 'draining'],
        [keep, 'healthy'],
      ].sort(),
    );
    assert.equal((await w.t.ec2.send(new DescribeImagesCommand({ ImageIds: [image.ImageId!] }))).Images?.[0]?.State, 'pending');
    // CreateImage takes 60 s by default: 20 s have passed, so 40 s after the load it is available.
    w.t.advance(41);
    assert.equal((await w.t.ec2.send(new DescribeImagesCommand({ ImageIds: [image.ImageId!] }))).Images?.[0]?.State, 'available');
    // Deregistration delay 120 s: the drained target disappears about 100 s after the load, and its instance terminates.
    w.t.advance(100);
    const after = await w.t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }));
    assert.deepEqual((after.TargetHealthDescriptions ?? []).map((d) => d.Target!.Id), [keep]);
    w.t.advance(60);
    const gone = await w.t.asg.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [drainingIds[0]!] }));
    assert.equal(gone.AutoScalingInstances?.length ?? 0, 0);
    const remaining = await describeGroup(w, 'drain');
    assert.deepEqual(remaining.Instances!.map((i) => i.InstanceId), [keep]);
    // Health checks keep running after the load: the kept target stays healthy, checked on schedule.
    assert.ok(w.t.emu.sim.scheduler.size > 0);
  } finally {
    await w.t.close();
  }
});

test('restart mid-lifecycle-hook: the instance waits in Pending:Wait and the heartbeat timeout still fires on time', async () => {
  const file = newFile();
  let w = await worldWithState(file);
  try {
    await createGroup(w, 'hooked', { MinSize: 0, MaxSize: 2, DesiredCapacity: 0 });
    await w.t.asg.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: 'hooked',
        LifecycleHookName: 'hold',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        HeartbeatTimeout: 120,
        DefaultResult: 'CONTINUE',
      }),
    );
    await w.t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'hooked', DesiredCapacity: 1 }));
    w.t.advance(60);
    assert.equal((await describeGroup(w, 'hooked')).Instances?.[0]?.LifecycleState, 'Pending:Wait');
    const waitFrom = w.t.history().find((e) => e.type === 'lifecycle' && e.group === 'hooked' && e.to === 'Pending:Wait')!.t;
    w = await restart(w, file);
    assert.equal((await describeGroup(w, 'hooked')).Instances?.[0]?.LifecycleState, 'Pending:Wait');
    // The heartbeat timeout (120 s) counts from when the wait began, before the restart.
    w.t.advance((waitFrom + 119_000 - w.t.emu.sim.now) / 1000);
    assert.equal((await describeGroup(w, 'hooked')).Instances?.[0]?.LifecycleState, 'Pending:Wait', 'not yet: 119 s of 120');
    w.t.advance(2);
    const done = w.t.history().find((e) => e.type === 'lifecycle' && e.group === 'hooked' && e.from === 'Pending:Wait');
    assert.equal(done?.t, waitFrom + 120_000, 'CONTINUE exactly at the heartbeat timeout');
  } finally {
    await w.t.close();
  }
});

test('restart before a scheduled action is due: the minute tick comes back and the action fires on time (E-23 with issue 12 automation)', async () => {
  const file = newFile();
  let w = await worldWithState(file);
  try {
    await createGroup(w, 'timed', { MinSize: 0, MaxSize: 3, DesiredCapacity: 0 });
    const due = w.t.emu.sim.now + 5 * 60_000;
    await w.t.asg.send(
      new PutScheduledUpdateGroupActionCommand({ AutoScalingGroupName: 'timed', ScheduledActionName: 'morning', StartTime: new Date(due), DesiredCapacity: 2 }),
    );
    w.t.advance(120);
    w = await restart(w, file);
    assert.equal((await describeGroup(w, 'timed')).DesiredCapacity, 0);
    w.t.advance(120);
    assert.equal((await describeGroup(w, 'timed')).DesiredCapacity, 0, 'not due yet');
    w.t.advance(120);
    assert.equal((await describeGroup(w, 'timed')).DesiredCapacity, 2, 'fired after the load, at its minute');
  } finally {
    await w.t.close();
  }
});

test('a restart keeps the fleet: groups, instances, target health, templates, images, load balancers and alarms answer the same', async () => {
  const file = newFile();
  let w = await worldWithState(file);
  const cw = (t: TestEmulator) => new CloudWatchClient({ endpoint: t.emu.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  try {
    const stack = await createStack(w, 'keep');
    await createGroup(w, 'keep', { MinSize: 2, MaxSize: 4, DesiredCapacity: 2, TargetGroupARNs: [stack.targetGroupArn], Tags: [{ Key: 'app', Value: 'keep', PropagateAtLaunch: true }] });
    await waitInService(w, 'keep', 2);
    w.t.advance(30);
    const cw1 = cw(w.t);
    await cw1.send(
      new PutMetricAlarmCommand({
        AlarmName: 'keep-cpu-high',
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'keep' }],
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 70,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    cw1.destroy();
    const snapshot = async (t: TestEmulator) => {
      const c = cw(t);
      const out = {
        groups: (await t.asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups,
        instances: (await t.ec2.send(new DescribeInstancesCommand({}))).Reservations,
        health: (await t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: stack.targetGroupArn }))).TargetHealthDescriptions,
        templates: (await t.ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates,
        images: (await t.ec2.send(new DescribeImagesCommand({ Owners: ['self', 'amazon'] }))).Images,
        lbs: (await t.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers,
        alarms: (await c.send(new DescribeAlarmsCommand({}))).MetricAlarms,
      };
      c.destroy();
      return out;
    };
    const before = await snapshot(w.t);
    assert.equal(before.alarms?.length, 1);
    assert.equal(before.health?.filter((h) => h.TargetHealth?.State === 'healthy').length, 2);
    w = await restart(w, file);
    const afterLoad = await snapshot(w.t);
    assert.deepEqual(afterLoad, before);
    // And it keeps behaving: a scale-out after the load launches from the same template into the same target group.
    await w.t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'keep', DesiredCapacity: 3 }));
    await waitInService(w, 'keep', 3);
    const ids = new Set((before.groups![0]!.Instances ?? []).map((i) => i.InstanceId));
    const fresh = (await describeGroup(w, 'keep')).Instances!.filter((i) => !ids.has(i.InstanceId));
    assert.equal(fresh.length, 1);
    assert.ok(!ids.has(fresh[0]!.InstanceId), 'a new id: the id generator went on from where it was');
  } finally {
    await w.t.close();
  }
});

// --- the file ------------------------------------------------------------------

test('a missing state file starts empty and is created; saving is atomic (no temporary file is left)', async () => {
  const file = join(dir, 'fresh', '..', 'fresh-state.json');
  assert.equal(existsSync(file), false);
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const emu = await startEmulator({ clock, stateFile: file, stateSaveIntervalMs: 0 });
  try {
    assert.equal(existsSync(file), true, 'created at start');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { format: string; version: number; now: number };
    assert.equal(saved.format, STATE_FORMAT);
    assert.equal(saved.version, STATE_VERSION);
    assert.equal(saved.now, Date.UTC(2026, 5, 1));
    emu.advance(3_600_000);
    emu.saveState();
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { now: number }).now, Date.UTC(2026, 5, 1) + 3_600_000);
  } finally {
    await emu.close();
  }
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), []);
  // The clock resumes from the saved instant even when the new clock starts earlier.
  const again = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1)), stateFile: file, stateSaveIntervalMs: 0 });
  assert.equal(again.sim.now, Date.UTC(2026, 5, 1) + 3_600_000);
  await again.close();
});

test('the state is also saved periodically (real time), without waiting for close', async () => {
  const file = newFile();
  const start = Date.UTC(2026, 2, 1);
  const emu = await startEmulator({ clock: new ManualClock(start), stateFile: file, stateSaveIntervalMs: 20 });
  try {
    emu.advance(600_000);
    // The saves run on a real-time interval by design: poll the file for a short real while.
    const deadline = Date.now() + 5_000;
    let now = 0;
    while (Date.now() < deadline) {
      now = (JSON.parse(readFileSync(file, 'utf8')) as { now: number }).now;
      if (now === start + 600_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(now, start + 600_000);
  } finally {
    await emu.close();
  }
});

test('a corrupt, foreign or newer-format state file is refused with the file named and left as it is', async () => {
  const cases: [string, string, RegExp][] = [
    ['{"format": "asg-deploy-emulator-state", "version": 1, "now": 1', 'truncated', /is not valid JSON/],
    ['{"hello": "world"}', 'foreign', /is not an asg-deploy emulator state file/],
    [JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION + 1, now: 0, seed: 1, rng: 1 }), 'newer', /was written by a newer asg-deploy \(state format 2; this one reads up to 1\)/],
    [
      JSON.stringify({ format: STATE_FORMAT, version: 1, now: 0, seed: 1, rng: 1, faults: {}, regions: [{ region: 'us-east-1', ec2: { $ref: 42 } }], history: { capacity: 100, dropped: 0, entries: [] } }),
      'bad-ref',
      /is corrupt: \$ref 42 points at nothing/,
    ],
  ];
  for (const [text, name, message] of cases) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, text);
    await assert.rejects(startEmulator({ clock: new ManualClock(), stateFile: file }), (e: unknown) => {
      assert.ok(isAsgDeployError(e, 'BAD_INPUT'), String(e));
      assert.match(e.message, message);
      assert.ok(e.message.includes(file), 'the message names the file');
      assert.ok(e.hint && /move|upgrade|another --state/.test(e.hint), 'and says what to do');
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), text, `${name}: the file is left as it was`);
  }
});
