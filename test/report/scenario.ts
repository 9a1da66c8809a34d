/**
 * Three deploys on one emulated fleet, the way a person meets them in
 * `history` and `report`: a successful roll, a roll of a never-healthy image
 * that rolls back, and a roll interrupted (Ctrl-C: the AbortSignal) during its
 * first wave, which leaves the record on the group. Each run's events are kept
 * (the event log a CLI run would write) for the tests that use them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roll, type DeployEvent, type DeployResult } from '../../src/deploy/index.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

export interface Scenario {
  fleet: TestFleet;
  success: DeployResult;
  rolledBack: DeployResult;
  interrupted: DeployResult;
  images: { good: string; bad: string; third: string };
  events: Map<string, DeployEvent[]>;
}

export async function threeDeploys(size = 4): Promise<Scenario> {
  const fleet = await startFleet({ size, speed: 200 });
  const events = new Map<string, DeployEvent[]>();
  const run = async (image: string, extra: { abortOn?: DeployEvent['code'] } = {}) => {
    const { ctx, log } = fleet.context();
    const controller = new AbortController();
    const emit = ctx.emit;
    const result = await roll(
      {
        ...ctx,
        signal: controller.signal,
        emit: (e) => {
          emit(e);
          if (e.code === extra.abortOn) controller.abort(new Error('interrupted'));
        },
      },
      { group: fleet.group, image },
    ).catch((e: unknown) => {
      throw new Error(`roll failed: ${String(e)}\n${log.events.map((x) => x.code).join(' ')}`);
    });
    events.set(result.deployId!, log.events);
    return result;
  };
  const good = await fleet.image();
  const success = await run(good);
  // A quiet minute between deploys, as between real ones: the next deploy's
  // window (it starts 30 s early) must not swallow this one's last terminate.
  await fleet.clock.sleep(60_000);
  const bad = await fleet.image({ 'emulator:health': 'unhealthy' });
  const rolledBack = await run(bad);
  await fleet.clock.sleep(60_000);
  const third = await fleet.image();
  const interrupted = await run(third, { abortOn: 'instance-launched' });
  return { fleet, success, rolledBack, interrupted, images: { good, bad, third }, events };
}

/** A HOME with nothing in it: no event logs, no AWS config, as on a fresh machine. */
export function freshHome(): string {
  return mkdtempSync(join(tmpdir(), 'asg-deploy-home-'));
}
