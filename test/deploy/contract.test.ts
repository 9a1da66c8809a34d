/**
 * The contract every strategy keeps (issue 8), one suite run over roll,
 * bluegreen, swap and shrink the way Hono runs one router suite over every
 * router: under throttling and 5xx it completes with the floor held (from
 * the emulator's history), the group restored and the lock released; stopped
 * at a safe point it can be resumed, or aborted, through the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAsgDeployError } from '../../src/core/index.js';
import { exitCodeForError } from '../../src/cli/exit-codes.js';
import { abort, bluegreen, FIGHTING_PROCESSES, finishBlueGreen, readLock, readRecord, resume, roll, shrink, swap, type DeployContext, type DeployEvent, type DeployResult, type DeployStrategy } from '../../src/deploy/index.js';
import type { ServingPoint } from '../../src/emulator/index.js';
import { lowestServingSince, startFleet, type TestFleet } from '../helpers/fleet.js';
import { prepareInstances, startPair } from '../helpers/pair.js';
import { trace } from './checks.js';

interface Subject {
  fleet: TestFleet;
  /** Every group the deploy touches; the first is the one resume/abort are given. */
  groups: string[];
  floor: number;
  serving(): ServingPoint[];
  deploy(ctx: DeployContext): Promise<DeployResult>;
  /** Whether sizes come back exactly (blue/green hands the sizes to the other group by design). */
  sizesRestored: boolean;
  /** A call the deploy makes mid-way that is not retried (not idempotent): a persistent 5xx on it makes the deploy give up. */
  giveUpOn: string;
  /** Ends a deploy that succeeded but waits for a decision (blue/green keeps the old fleet in Standby until `finish`). */
  finish?(ctx: DeployContext): Promise<DeployResult>;
  close(): Promise<void>;
}

const CASES: Record<DeployStrategy, () => Promise<Subject>> = {
  async roll() {
    const fleet = await startFleet({ size: 4 });
    const image = await fleet.image();
    return { fleet, groups: [fleet.group], floor: 4, serving: fleet.serving, deploy: (ctx) => roll(ctx, { group: fleet.group, image }), giveUpOn: 'TerminateInstanceInAutoScalingGroup', sizesRestored: true, close: fleet.close };
  },
  async shrink() {
    const fleet = await startFleet({ size: 4, maxSize: 8 });
    const image = await fleet.image();
    return { fleet, groups: [fleet.group], floor: 4, serving: fleet.serving, deploy: (ctx) => shrink(ctx, { group: fleet.group, image }), giveUpOn: 'SetInstanceProtection', sizesRestored: true, close: fleet.close };
  },
  async swap() {
    const fleet = await startFleet({ size: 4, maxSize: 4 });
    const image = await fleet.image();
    const { ids } = await prepareInstances(fleet, 4, { image });
    return { fleet, groups: [fleet.group], floor: 4, serving: fleet.serving, deploy: (ctx) => swap(ctx, { group: fleet.group, instances: ids }), giveUpOn: 'AttachInstances', sizesRestored: true, close: fleet.close };
  },
  async bluegreen() {
    const pair = await startPair({ size: 4, maxSize: 6, minSize: 2 });
    const image = await pair.fleet.image();
    return {
      fleet: pair.fleet,
      groups: [pair.blue, pair.green],
      floor: 4,
      serving: () => pair.serving(),
      deploy: (ctx) => bluegreen(ctx, { app: pair.app, image }),
      giveUpOn: 'EnterStandby',
      sizesRestored: false,
      finish: (ctx) => finishBlueGreen(ctx, { app: pair.app }),
      close: () => pair.close(),
    };
  },
};

async function setFaults(endpoint: string, body: unknown): Promise<void> {
  const res = await fetch(`${endpoint}/_emulator/faults`, { method: body === undefined ? 'DELETE' : 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

/** Throttling on every call; 5xx on the calls the engine repeats safely (describes, and terminate). */
const FAULTS = {
  calls: [
    { action: '*', rate: 0.1, kind: 'throttle' },
    ...['DescribeAutoScalingGroups', 'DescribeTargetHealth', 'DescribeScalingActivities', 'TerminateInstanceInAutoScalingGroup'].map((action) => ({ action, rate: 0.1, kind: 'server-error' })),
  ],
};

async function shapes(s: Subject) {
  const out = [];
  for (const name of s.groups) {
    const { group } = await s.fleet.aws.autoscaling.describeGroup(name);
    out.push({ name, sizes: s.sizesRestored ? [group.minSize, group.maxSize, group.desiredCapacity] : [], suspended: [...group.suspendedProcesses].sort() });
  }
  return out;
}

async function assertReleasedEverywhere(s: Subject, why: string): Promise<void> {
  for (const name of s.groups) {
    const { group } = await s.fleet.aws.autoscaling.describeGroup(name);
    assert.equal(readLock(group), undefined, `lock left on ${name}\n${why}`);
    const record = readRecord(group);
    assert.ok(record === undefined || ['done', 'rolled-back', 'aborted'].includes(record.phase), `unfinished record on ${name}\n${why}`);
  }
}

/** A context whose signal aborts at the second record write (a safe point every strategy reaches early). */
function stoppable(fleet: TestFleet) {
  const { ctx, log } = fleet.context();
  const controller = new AbortController();
  let writes = 0;
  ctx.signal = controller.signal;
  ctx.emit = (e: DeployEvent) => {
    log.sink(e);
    if (e.code === 'record-written' && ++writes === 2) controller.abort();
  };
  return { ctx, log };
}

for (const [name, make] of Object.entries(CASES) as [DeployStrategy, () => Promise<Subject>][]) {
  test(`contract ${name}: under 10 % throttling and 5xx it succeeds, floor held (history), group restored, lock released`, async () => {
    const s = await make();
    try {
      const before = await shapes(s);
      await setFaults(s.fleet.emu.endpoint, FAULTS);
      const { ctx, log } = s.fleet.context();
      const startedAt = s.fleet.clock.now();
      let result: DeployResult;
      try {
        result = await s.deploy(ctx);
      } finally {
        await setFaults(s.fleet.emu.endpoint, undefined);
      }
      const why = `${JSON.stringify(result)}\n${trace(log.events)}`;
      assert.equal(result.outcome, 'succeeded', why);
      const faulted = s.fleet.history().filter((h) => h.type === 'call' && !h.ok && h.t >= startedAt);
      assert.ok(faulted.length > 0, 'faults were injected');
      assert.ok(lowestServingSince(s.serving(), startedAt) >= s.floor, `serving fell to ${lowestServingSince(s.serving(), startedAt)}\n${why}`);
      assert.deepEqual(await shapes(s), before, why);
      if (s.finish) assert.equal((await s.finish(ctx)).outcome, 'succeeded', why);
      await assertReleasedEverywhere(s, why);
    } finally {
      await s.close();
    }
  });

  for (const verb of ['resume', 'abort'] as const) {
    test(`contract ${name}: interrupted at a safe point, then ${verb} through the registry: finished, floor held, lock released`, async () => {
      const s = await make();
      try {
        const before = await shapes(s);
        const { ctx, log } = stoppable(s.fleet);
        const startedAt = s.fleet.clock.now();
        const first = await s.deploy(ctx);
        const why1 = `${JSON.stringify(first)}\n${trace(log.events)}`;
        assert.equal(first.outcome, 'interrupted', why1);
        for (const g of s.groups) assert.equal(readLock((await s.fleet.aws.autoscaling.describeGroup(g)).group), undefined, `interrupted releases the lock on ${g}`);
        const next = s.fleet.context({ owner: `test:${verb}` });
        const result = await (verb === 'resume' ? resume : abort)(next.ctx, { group: s.groups[0]! });
        const why = `${JSON.stringify(result)}\n${trace(next.log.events)}`;
        assert.ok(verb === 'resume' ? result.outcome === 'succeeded' : ['aborted', 'rolled-back'].includes(result.outcome), why);
        assert.ok(lowestServingSince(s.serving(), startedAt) >= s.floor, `serving fell to ${lowestServingSince(s.serving(), startedAt)}\n${why}`);
        if (verb === 'abort' || name !== 'bluegreen') assert.deepEqual(await shapes(s), before, why);
        if (verb === 'resume' && s.finish) assert.equal((await s.finish(next.ctx)).outcome, 'succeeded', why);
        await assertReleasedEverywhere(s, why);
      } finally {
        await s.close();
      }
    });
  }
}

for (const [name, make] of Object.entries(CASES) as [DeployStrategy, () => Promise<Subject>][]) {
  test(`contract ${name}: AWS keeps failing mid-deploy: exit 5 with the resume/abort commands, processes resumed, locks released, record kept; resume without --force finishes`, async () => {
    const s = await make();
    try {
      const before = await shapes(s);
      await setFaults(s.fleet.emu.endpoint, { calls: [{ action: s.giveUpOn, rate: 1, kind: 'server-error' }] });
      const { ctx, log } = s.fleet.context();
      const startedAt = s.fleet.clock.now();
      let error: unknown;
      try {
        const r = await s.deploy(ctx);
        assert.fail(`expected the deploy to give up on ${s.giveUpOn}, got ${JSON.stringify(r)}\n${trace(log.events)}`);
      } catch (e) {
        error = e;
      } finally {
        await setFaults(s.fleet.emu.endpoint, undefined);
      }
      const why1 = `${String(error)}\n${trace(log.events)}`;
      assert.ok(isAsgDeployError(error, 'AWS_SERVER'), why1);
      assert.equal(exitCodeForError(error), 5, why1);
      const handed = log.of('handed-over')[0];
      assert.ok(handed, `a handed-over event\n${why1}`);
      assert.match(handed.resumeCommand, /^asg-deploy resume \S+$/, why1);
      assert.match(handed.abortCommand, /^asg-deploy (abort|rollback) \S+$/, why1);
      assert.ok((error.hint ?? '').includes(handed.resumeCommand) && (error.hint ?? '').includes(handed.abortCommand), `the hint names both commands: ${error.hint}`);
      let records = 0;
      for (const g of s.groups) {
        const { group } = await s.fleet.aws.autoscaling.describeGroup(g);
        assert.equal(readLock(group), undefined, `the lock on ${g} is released\n${why1}`);
        if (readRecord(group)) records++;
        const left = group.suspendedProcesses.filter((p) => (FIGHTING_PROCESSES as readonly string[]).includes(p));
        assert.deepEqual(left, [], `the fighting processes it suspended on ${g} are resumed\n${why1}`);
      }
      assert.ok(records >= 1, `the record stays for resume/abort\n${why1}`);

      const next = s.fleet.context({ owner: 'test:resume' });
      const result = await resume(next.ctx, { group: s.groups[0]! });
      // On a dip below the floor, say when it happened and what changed groups meanwhile (not the describes).
      const dip = s.serving().find((p) => p.t >= startedAt && p.serving < s.floor);
      const changes = dip === undefined ? [] : s.fleet.history().filter((h) => h.t >= dip.t - 40_000 && h.t <= dip.t && h.type !== 'target' && (h.type !== 'call' || !h.action.startsWith('Describe')));
      const why = `${JSON.stringify(result)}\n${dip === undefined ? '' : `below the floor at ${dip.t}:\n${changes.map((h) => JSON.stringify(h)).join('\n')}\n`}${trace(log.events)}\n${trace(next.log.events)}`;
      assert.equal(result.outcome, 'succeeded', why);
      assert.ok(lowestServingSince(s.serving(), startedAt) >= s.floor, `serving fell to ${lowestServingSince(s.serving(), startedAt)}\n${why}`);
      if (name !== 'bluegreen') assert.deepEqual(await shapes(s), before, why);
      if (s.finish) assert.equal((await s.finish(next.ctx)).outcome, 'succeeded', why);
      await assertReleasedEverywhere(s, why);
    } finally {
      await s.close();
    }
  });
}
