/**
 * ETA from recorded deploys on the emulator (issue 10 item 3): every progress
 * event carries an ETA from the very first one; etaSeconds never go up while
 * nothing fails, and when one does go up it carries etaReason (a failed
 * launch, a pause, a wave that evens out AZs); a `wait` checkpoint makes the
 * time left unknown — no number, with the reason — until someone continues.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/clock/index.js';
import type { ScaledClock } from '../../src/clock/index.js';
import { checkpointGuardrail, signalPausedDeploy } from '../../src/deploy/guardrails/index.js';
import { resumeRoll, roll, type DeployEvent, type RollOptions } from '../../src/deploy/index.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

type Progress = Extract<DeployEvent, { code: 'progress' }>;

const RACE = { bootSeconds: 30, readySeconds: 20, deregistrationDelaySeconds: 10, healthCheck: { intervalSeconds: 5, healthyThreshold: 2 } };

/** Every progress event's ETA, as a readable sequence. */
function sequence(progress: readonly Progress[]): string {
  return progress.map((e) => `${e.etaSeconds ?? '?'}${e.etaReason ? `(${e.etaReason})` : ''}`).join(' → ');
}

/** Non-increasing between numbers, except where etaReason says why it rose. */
function assertOnlyDownUnlessSaid(progress: readonly Progress[]): void {
  const seq = sequence(progress);
  let last: number | undefined;
  for (const e of progress) {
    if (e.etaSeconds === undefined) {
      assert.ok(e.etaReason, `an ETA without a number must say why: ${seq}`);
      last = undefined;
      continue;
    }
    if (last !== undefined && e.etaSeconds > last) assert.ok(e.etaReason, `ETA rose without a reason: ${seq}`);
    last = e.etaSeconds;
  }
}

/** A fleet with the race timings on a VirtualClock (deterministic in simulated time). */
async function raceFleet(size: number): Promise<TestFleet> {
  // startFleet takes a ScaledClock; it only calls now() and sleep(), which a VirtualClock has.
  return startFleet({ size, clock: new VirtualClock(Date.UTC(2026, 0, 1, 12)) as unknown as ScaledClock, ...RACE });
}

test('roll 6 with surge 2: the first progress event has an ETA, and every ETA is non-increasing or says why it rose', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } });
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result));
    const progress = log.of('progress');
    assert.ok(progress.length >= 2, `only ${progress.length} progress events`);
    assert.equal(typeof progress[0]!.etaSeconds, 'number', `the first progress event has an ETA: ${sequence(progress)}`);
    assert.ok(progress.every((e) => e.etaSeconds !== undefined), `every progress event has an ETA: ${sequence(progress)}`);
    assertOnlyDownUnlessSaid(progress);
    assert.ok(progress[0]!.etaSeconds! <= log.of('plan')[0]!.expectedSeconds, 'the first ETA is the plan less the time spent');
    assert.equal(log.of('instance-failed').length, 0);
  } finally {
    await fleet.close();
  }
});

test('a timed checkpoint pause and a bake time: foreseen, so the ETA runs down through the pause without rising for it', async () => {
  const fleet = await raceFleet(6);
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const options: RollOptions = {
      group: fleet.group,
      image,
      maxSurge: { kind: 'count', count: 2 },
      guardrails: [checkpointGuardrail({ checkpoints: [50], pause: { kind: 'for', ms: 120_000 } })],
      bakeTimeMs: 60_000,
    };
    const result = await roll(ctx, options);
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result));
    const progress = log.of('progress');
    assertOnlyDownUnlessSaid(progress);
    const seq = sequence(progress);
    assert.ok(progress.every((e) => e.etaSeconds !== undefined), `a timed pause leaves the time left known: ${seq}`);
    assert.ok(!progress.some((e) => /paused/.test(e.etaReason ?? '')), `a foreseen pause does not raise the ETA: ${seq}`);
    // Before the pause the ETA counts the pause and the bake time still ahead.
    const paused = log.of('checkpoint-paused')[0]!;
    const before = progress.filter((e) => e.t <= paused.t).at(-1)!;
    assert.ok(before.etaSeconds! >= 120 + 60, `the ETA as the pause starts (${before.etaSeconds}s) counts the 2m pause and the 1m bake: ${seq}`);
    const after = progress.find((e) => e.t > paused.t)!;
    assert.ok(after.etaSeconds! <= before.etaSeconds! - 120, `after the pause the ETA is down by it: ${seq}`);
  } finally {
    await fleet.close();
  }
});

test('a wait checkpoint: no made-up number while it is ahead — the reason instead; after continue, a number again', async () => {
  const fleet = await raceFleet(6);
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const continued: Promise<unknown>[] = [];
    const result = await roll(
      {
        ...ctx,
        emit: (e) => {
          ctx.emit(e);
          // Someone runs `asg-deploy continue web` as soon as the deploy pauses.
          if (e.code === 'checkpoint-paused') continued.push(signalPausedDeploy(fleet.aws.autoscaling, fleet.group, 'continue', { by: 'tester@ci', now: e.t }));
        },
      },
      { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 }, guardrails: [checkpointGuardrail({ checkpoints: [50], pause: { kind: 'wait' } })] },
    );
    await Promise.all(continued);
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result));
    const plan = log.of('plan')[0]!;
    assert.equal(plan.expectedNote, 'not counting the pause: a checkpoint pause ahead waits for `asg-deploy continue web`');
    const progress = log.of('progress');
    const seq = sequence(progress);
    assertOnlyDownUnlessSaid(progress);
    const paused = log.of('checkpoint-continued')[0]!;
    const before = progress.filter((e) => e.t <= paused.t);
    const after = progress.filter((e) => e.t > paused.t);
    assert.ok(before.length > 0 && before.every((e) => e.etaSeconds === undefined && /continue/.test(e.etaReason ?? '')), `unknown, with why, until continue: ${seq}`);
    assert.ok(before.some((e) => /paused at checkpoint 50% until `asg-deploy continue web`/.test(e.etaReason ?? '')), `the pause itself is named: ${seq}`);
    assert.ok(after.length > 0 && after.every((e) => e.etaSeconds !== undefined), `a number after continue: ${seq}`);
  } finally {
    await fleet.close();
  }
});

test('a failed launch: the ETA rises, and says a launch failed', async () => {
  const fleet = await raceFleet(4);
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const tagged: Promise<void>[] = [];
    const result = await roll(
      {
        ...ctx,
        emit: (e) => {
          ctx.emit(e);
          // The first new instance never passes its health checks (E-19: the instance's own tag wins).
          if (e.code === 'instance-launched' && tagged.length === 0) tagged.push(fleet.aws.ec2.createTags([e.instanceId], { 'emulator:health': 'unhealthy' }));
        },
      },
      { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } },
    );
    await Promise.all(tagged);
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result));
    assert.ok(log.of('instance-failed').length >= 1, 'the tagged instance failed');
    const progress = log.of('progress');
    assertOnlyDownUnlessSaid(progress);
    assert.ok(progress.some((e) => /launch\(es\) failed; replacing them adds time/.test(e.etaReason ?? '')), `the rise names the failed launch: ${sequence(progress)}`);
  } finally {
    await fleet.close();
  }
});

test('a resumed deploy with a whole wave to go: its first progress event already has an honest ETA (not "about 1s left")', async () => {
  const fleet = await raceFleet(6);
  try {
    const image = await fleet.image();
    const first = fleet.context();
    const controller = new AbortController();
    const interrupted = await roll(
      {
        ...first.ctx,
        signal: controller.signal,
        emit: (e) => {
          first.ctx.emit(e);
          // Ctrl-C as the first wave's instances are counted: two waves are left.
          if (e.code === 'instance-ready') controller.abort(new Error('interrupted'));
        },
      },
      { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } },
    );
    assert.equal(interrupted.outcome, 'interrupted', JSON.stringify(interrupted));
    const { ctx, log } = fleet.context();
    const resumed = await resumeRoll(ctx, { group: fleet.group });
    assert.equal(resumed.outcome, 'succeeded', JSON.stringify(resumed));
    const progress = log.of('progress');
    const seq = sequence(progress);
    assertOnlyDownUnlessSaid(progress);
    const old = progress[0]!.old;
    assert.ok(old >= 4, `the resume starts with old instances left: ${seq}`);
    // At least the waves left (2 a wave, 70 simulated seconds each here) and the drain.
    assert.ok(progress[0]!.etaSeconds! >= (old / 2) * 60, `the first ETA of the resume counts the ${old} old instances left: ${seq}`);
  } finally {
    await fleet.close();
  }
});
