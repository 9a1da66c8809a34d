/**
 * Test harness: an in-process emulator on a manual clock, and real SDK v3
 * clients pointed at it over HTTP (never a mocked SDK).
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { HistoryEntry } from '../../src/emulator/history.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' };

export interface TestEmulator {
  emu: RunningEmulator;
  clock: ManualClock;
  asg: AutoScalingClient;
  ec2: EC2Client;
  elb: ElasticLoadBalancingV2Client;
  /** Advances simulated time by `seconds`, firing every event that comes due. */
  advance(seconds: number): void;
  /** Advances in `stepSeconds` steps until `check` is true; fails after `maxSeconds`. */
  advanceUntil(check: () => Promise<boolean>, options?: { maxSeconds?: number; stepSeconds?: number }): Promise<number>;
  history(): HistoryEntry[];
  close(): Promise<void>;
}

export async function startTestEmulator(options: { seed?: number; region?: string; stateFile?: string } = {}): Promise<TestEmulator> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  // With a state file the clock is moved on to the saved instant (E-23); periodic saves are left to close().
  const emu = await startEmulator({ clock, seed: options.seed ?? 7, stateFile: options.stateFile, stateSaveIntervalMs: 0 });
  const config = {
    endpoint: emu.endpoint,
    region: options.region ?? TEST_REGION,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  };
  const asg = new AutoScalingClient(config);
  const ec2 = new EC2Client(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const advance = (seconds: number) => emu.advance(seconds * 1000);
  return {
    emu,
    clock,
    asg,
    ec2,
    elb,
    advance,
    async advanceUntil(check, { maxSeconds = 3600, stepSeconds = 1 } = {}) {
      let elapsed = 0;
      while (!(await check())) {
        if (elapsed >= maxSeconds) throw new Error(`condition not met after ${maxSeconds} simulated seconds`);
        advance(stepSeconds);
        elapsed += stepSeconds;
      }
      return elapsed;
    },
    history: () => emu.sim.history.entries,
    async close() {
      asg.destroy();
      ec2.destroy();
      elb.destroy();
      await emu.close();
    },
  };
}
