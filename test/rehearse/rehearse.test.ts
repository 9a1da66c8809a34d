/**
 * Rehearsal against a "live" account: a separate emulator with a fleet built
 * through the API (test/rehearse/live-fleet.ts). The rehearsal may only read
 * it (proven from the live emulator's call log), must predict the real
 * deploy's duration within 15 %, and must find and name what was planted in
 * the live fleet (a launch hook no one completes; MaxSize equal to desired).
 *
 * The real deploy runs on the live emulator's VirtualClock, not on a
 * ScaledClock: a scaled clock turns the runner's real latency into simulated
 * time (at speed 10 a busy machine stretched the real roll from 241 s to
 * 407 s), so the comparison measured the machine's load instead of the
 * rehearsal. On a VirtualClock both sides count only simulated time: the
 * boots, hooks, health checks and drains the emulator models, which is what a
 * rehearsal claims to predict. live-fleet.ts says more.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll } from '../../src/deploy/index.js';
import { rehearse } from '../../src/rehearse/index.js';
import { TEST_REGION } from '../helpers/emulator.js';
import { startLiveAccount } from './live-fleet.js';

test('rehearse roll: reads the live account only, predicts the real duration within 15 %, names the hook and the MaxSize', { timeout: 120_000 }, async (t) => {
  const live = await startLiveAccount();
  try {
    const { aws, clock, newImage } = live;
    const before = live.calls().length;

    const report = await rehearse({
      live: aws,
      region: TEST_REGION,
      // The CLI's three seeds, plus the live emulator's own (5), so that one
      // rehearsal meets the AZ tie-breaks the real run meets. Before balanced
      // waves (src/deploy) the ties decided whether zero, one or two extra waves
      // evened the AZs out (241, 311 or 391 s by seed, for the live world and
      // its copy alike); now every seed 1–10 takes 229 s in both.
      seeds: [1, 2, 3, 5],
      appReadySeconds: 10,
      // The live account's present is its clock's, not the machine's.
      now: clock.now(),
      deploy: {
        groups: ['web'],
        images: [newImage],
        createsTemplateVersion: true,
        run: (ctx, ids) => roll({ ...ctx, pollIntervalMs: 5000 }, { group: 'web', image: ids.image(newImage), maxSurge: { kind: 'count', count: 2 } }),
      },
    });

    // Only reads reached the live account.
    const during = live.calls().slice(before);
    assert.ok(during.length > 0, 'the rehearsal read the live account');
    const writes = during.filter((c) => !/^(Describe|Get|List)/.test(c.action));
    assert.deepEqual(writes.map((c) => c.action), [], 'no write reached the live account');

    assert.equal(report.runs.length, 4);
    assert.ok(report.succeeded, `every rehearsal succeeded: ${JSON.stringify(report.runs)}`);
    const codes = report.problems.map((p) => p.code);
    assert.ok(codes.includes('lifecycle-hook'), `the launch hook is named: ${codes}`);
    assert.ok(codes.includes('hook-held-instances'), `the hook holding instances is seen in the rehearsal: ${codes}`);
    assert.ok(codes.includes('max-size'), `MaxSize = desired is named: ${codes}`);
    assert.ok(report.problems.find((p) => p.code === 'lifecycle-hook')!.message.includes('wait-for-config'));
    assert.ok(report.problems.every((p) => p.fix.length > 0), 'every problem has a fix');

    // The real deploy, on the live emulator, afterwards.
    const started = clock.now();
    const result = await roll({ aws, clock, emit: () => undefined, owner: 'test:1', pollIntervalMs: 5000 }, { group: 'web', image: newImage, maxSurge: { kind: 'count', count: 2 } });
    assert.equal(result.outcome, 'succeeded');
    // The runner's figure is the live emulator's own clock: nothing else moved it.
    assert.equal(result.seconds, Math.round((clock.now() - started) / 1000), 'the real duration is the live clock\'s');
    // The real run must fall in the predicted range, give or take 15 %; and the
    // rehearsal on the live world's own seed, where the AZ ties fall the same
    // way, must match it within 15 % (it matches to the second today: the copy
    // boots, holds, checks and drains as the original does).
    const { min, max, median } = report.predictedSeconds;
    const sameSeed = report.runs.find((r) => r.seed === live.emu.sim.seed)!;
    assert.ok(Math.abs(sameSeed.simulatedSeconds - result.seconds) <= result.seconds * 0.15, `rehearsed on the live seed ${sameSeed.seed}: ${sameSeed.simulatedSeconds} s, real ${result.seconds} s`);
    t.diagnostic(`rehearsal: predicted ${median} s (${min}–${max} s over ${report.runs.length} seeds: ${report.runs.map((r) => `${r.seed}:${r.simulatedSeconds}`).join(' ')}), real ${result.seconds} s, ${report.apiCalls} calls per run, lowest serving ${report.lowestServing} / floor ${report.floor}`);
    assert.ok(
      result.seconds >= min * 0.85 && result.seconds <= max * 1.15,
      `predicted ${median} s (range ${min}–${max}), real ${result.seconds} s`,
    );
    assert.ok(report.lowestServing >= 6, `the rehearsal held the floor: ${report.lowestServing}`);
  } finally {
    await live.close();
  }
});
