/**
 * `rehearse` promises a result that does not depend on how busy the machine
 * is (src/clock/virtual-clock.ts). It did not: the emulator drew each
 * request's id from the world's seeded RNG when the request arrived, before
 * its body was read, so parallel calls (a fleet snapshot's Describes)
 * interleaved their draws with other handlers' in the order the sockets
 * happened to deliver them, and every later instance id, AZ tie and
 * termination pick shifted: the same seed rehearsed 241 s or 311 s. These
 * tests pin the fix (request ids on their own stream, src/emulator/emulator.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAwsClients } from '../../src/aws/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { roll, type DeployEvent } from '../../src/deploy/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { rehearse, type RehearsalRun } from '../../src/rehearse/index.js';
import { TEST_CREDENTIALS, TEST_REGION } from '../helpers/emulator.js';
import { startLiveAccount, type LiveAccount } from './live-fleet.js';

/** A target group's ARN (its id is drawn from the world's RNG) after `reads` parallel Describe calls. */
async function targetGroupArnAfter(reads: number): Promise<string> {
  const clock = new ManualClock();
  const emu = await startEmulator({ clock, seed: 3, stateSaveIntervalMs: 0 });
  const aws = createAwsClients({ endpoint: emu.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, clock, env: {} });
  try {
    const network = await aws.provision.defaultNetwork();
    await Promise.all(Array.from({ length: reads }, () => aws.ec2.describeImages({ owners: ['self'] })));
    return await aws.provision.createTargetGroup({ name: 'tg', vpcId: network.vpcId });
  } finally {
    aws.destroy();
    await emu.close();
  }
}

test('emulator: reads answered before a create do not change the ids the seed gives it (request ids draw from their own stream)', async () => {
  const quiet = await targetGroupArnAfter(0);
  const busy = await targetGroupArnAfter(5);
  assert.equal(busy, quiet, 'five Describe calls in parallel shifted the seeded target group id');
});

interface Observed {
  seed: number;
  run: RehearsalRun;
  /** Simulated instant and code of every deploy event (deploy ids are random by design and left out). */
  timeline: string[];
}

async function rehearseOnce(live: LiveAccount, now: number): Promise<Observed[]> {
  const timelines = new Map<number, string[]>();
  const report = await rehearse({
    live: live.aws,
    region: TEST_REGION,
    seeds: [1, 2, 3],
    appReadySeconds: 10,
    now,
    onEvent: (seed, e: DeployEvent) => {
      const list = timelines.get(seed) ?? [];
      list.push(`${e.t - now} ${e.code}`);
      timelines.set(seed, list);
    },
    deploy: {
      groups: ['web'],
      images: [live.newImage],
      createsTemplateVersion: true,
      run: (ctx, ids) => roll({ ...ctx, pollIntervalMs: 5000 }, { group: 'web', image: ids.image(live.newImage), maxSurge: { kind: 'count', count: 2 } }),
    },
  });
  return report.runs.map((run) => ({ seed: run.seed, run, timeline: timelines.get(run.seed) ?? [] }));
}

/**
 * Load of both kinds that reorders socket events: busy child processes take
 * the CPU from this one (the machine two engineers saw the flake on), and a
 * timer in this process blocks the event loop for a random 0–2 ms every
 * 2 ms, so concurrent requests' reads finish in a different order
 * from run to run.
 */
function startLoad(children: number): () => void {
  const busy: ChildProcess[] = Array.from({ length: children }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  const jitter = setInterval(() => {
    const until = performance.now() + Math.random() * 2;
    while (performance.now() < until) {
      // Hold the event loop: the load under test.
    }
  }, 2);
  return () => {
    clearInterval(jitter);
    for (const child of busy) child.kill('SIGKILL');
  };
}

test('rehearse: the same seed gives the same duration, calls and timeline alone and under CPU load', { timeout: 300_000 }, async (t) => {
  const live = await startLiveAccount();
  try {
    const now = live.clock.now();
    const alone = await rehearseOnce(live, now);
    const loaded: Observed[][] = [];
    const stop = startLoad(2);
    try {
      for (let i = 0; i < 2; i++) loaded.push(await rehearseOnce(live, now));
    } finally {
      stop();
    }
    t.diagnostic(`alone: ${alone.map((o) => `seed ${o.seed} ${o.run.simulatedSeconds} s ${o.run.apiCalls} calls`).join(', ')}`);
    for (const [i, runs] of loaded.entries()) {
      t.diagnostic(`under load #${i + 1}: ${runs.map((o) => `seed ${o.seed} ${o.run.simulatedSeconds} s ${o.run.apiCalls} calls`).join(', ')}`);
      for (const [k, o] of runs.entries()) {
        const base = alone[k]!;
        assert.equal(o.seed, base.seed);
        assert.equal(o.run.simulatedSeconds, base.run.simulatedSeconds, `seed ${o.seed}: simulated duration under load #${i + 1}`);
        assert.equal(o.run.apiCalls, base.run.apiCalls, `seed ${o.seed}: calls under load #${i + 1}`);
        assert.equal(o.run.lowestServing, base.run.lowestServing, `seed ${o.seed}: lowest serving under load #${i + 1}`);
        assert.deepEqual(o.timeline, base.timeline, `seed ${o.seed}: event timeline under load #${i + 1}`);
      }
    }
    assert.ok(alone.every((o) => o.timeline.length > 10 && o.run.outcome === 'succeeded'), 'every rehearsal ran a whole deploy');
  } finally {
    await live.close();
  }
});
