/**
 * The plan's estimate against the deploy it plans (issue 10 item 3): for the
 * race bench's scenarios (boot 30 s, ready 20 s, 2 × 5 s health checks, drain
 * 10 s; 6 instances at a surge of 2; 20 instances at the default surge; a
 * checkpoint pause; a bake time), `plan.expectedSeconds` is within 15 % of the
 * simulated duration. Run on a VirtualClock (src/clock/virtual-clock.ts, as
 * `rehearse` runs a deploy), so the result does not depend on the machine.
 *
 * The wave loop plans balanced waves (core/az-balance.ts, issue 11), so these
 * runs need no extra wave to even out AZs. Should one still run (the loop's
 * last resort, wave-loop.ts MAX_REBALANCE_ROUNDS), nothing at the start could
 * have foreseen it: such a run is held to the honest part — the wave was
 * announced and its ETA said why it rose — and the plan must match the
 * duration without it. Measured on this branch: every run compared as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/clock/index.js';
import type { ScaledClock } from '../../src/clock/index.js';
import { checkpointGuardrail } from '../../src/deploy/guardrails/index.js';
import { roll, type DeployEvent, type RollOptions } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';

const RACE = { bootSeconds: 30, readySeconds: 20, deregistrationDelaySeconds: 10, healthCheck: { intervalSeconds: 5, healthyThreshold: 2 } };
const TOLERANCE = 0.15;
const EVENING = /availability zones uneven after the waves/;

interface Measured {
  planSeconds: number;
  planWaves: number;
  seconds: number;
  events: DeployEvent[];
}

async function measure(size: number, seed: number, options: Partial<RollOptions>): Promise<Measured> {
  // startFleet takes a ScaledClock; it only calls now() and sleep(), which a VirtualClock has.
  const clock = new VirtualClock(Date.UTC(2026, 0, 1, 12)) as unknown as ScaledClock;
  const fleet = await startFleet({ size, seed, clock, ...RACE });
  try {
    const image = await fleet.image();
    const { ctx, log } = fleet.context();
    const started = clock.now();
    const result = await roll(ctx, { group: fleet.group, image, ...options });
    assert.equal(result.outcome, 'succeeded', JSON.stringify(result));
    const plan = log.of('plan')[0]!;
    return { planSeconds: plan.expectedSeconds, planWaves: plan.waves, seconds: (clock.now() - started) / 1000, events: log.events };
  } finally {
    await fleet.close();
  }
}

/** Simulated seconds spent in AZ-evening rounds: from each one's start to the next wave's start (or the last instance counted). */
function eveningSeconds(events: readonly DeployEvent[]): { rounds: number; seconds: number } {
  let rounds = 0;
  let ms = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.code !== 'warning' || !EVENING.test(e.message)) continue;
    rounds++;
    const end = events.slice(i + 1).filter((x) => x.code === 'instance-ready').at(-1)?.t ?? e.t;
    const next = events.slice(i + 1).find((x) => x.code === 'warning' && EVENING.test(x.message))?.t;
    ms += Math.min(end, next ?? Infinity) - e.t;
  }
  return { rounds, seconds: ms / 1000 };
}

/** `options` is called once per run: a guardrail keeps state (the checkpoints it passed). */
async function check(name: string, size: number, seeds: readonly number[], options: () => Partial<RollOptions>, expectedWaves: number): Promise<void> {
  const lines: string[] = [];
  for (const seed of seeds) {
    const m = await measure(size, seed, options());
    assert.equal(m.planWaves, expectedWaves, `${name}: the plan's waves`);
    const evening = eveningSeconds(m.events);
    if (evening.rounds > 0) {
      // Announced: the ETA of the wave that evens AZs out said why it rose.
      const reasons = m.events.filter((e): e is Extract<DeployEvent, { code: 'progress' }> => e.code === 'progress' && /availability zones uneven/.test(e.etaReason ?? ''));
      assert.ok(reasons.length >= 1, `${name} seed ${seed}: an AZ-evening wave ran without the ETA saying why`);
    }
    const seconds = m.seconds - evening.seconds;
    const error = Math.abs(m.planSeconds - seconds) / seconds;
    lines.push(`seed ${seed}: plan ${m.planSeconds}s, actual ${m.seconds}s${evening.rounds > 0 ? ` (${seconds}s without ${evening.rounds} AZ-evening round(s))` : ''}, off by ${(error * 100).toFixed(1)} %`);
    assert.ok(error <= TOLERANCE, `${name}: the plan is off by more than ${TOLERANCE * 100} %:\n${lines.join('\n')}`);
  }
  console.log(`${name}: ${lines.join('; ')}`);
}

test('6 instances at a surge of 2 (the race): the plan within 15 % of the simulated deploy', async () => {
  await check('6/2', 6, [1, 2, 3], () => ({ maxSurge: { kind: 'count', count: 2 } }), 3);
});

test('20 instances at the default surge (25 %: 5 a wave): the plan within 15 %', async () => {
  await check('20', 20, [1, 2], () => ({}), 4);
});

test('a checkpoint pause of 1 minute at 50 %: the plan counts the pause and the wave it splits off, within 15 %', async () => {
  await check('6/2 checkpoint', 6, [1, 2], () => ({ maxSurge: { kind: 'count', count: 2 }, guardrails: [checkpointGuardrail({ checkpoints: [50], pause: { kind: 'for', ms: 60_000 } })] }), 4);
});

test('a bake time of 2 minutes: the plan counts it (the drain runs during it), within 15 %', async () => {
  await check('6/2 bake', 6, [1, 2], () => ({ maxSurge: { kind: 'count', count: 2 }, bakeTimeMs: 120_000 }), 3);
});
