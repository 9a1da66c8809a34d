/**
 * Invariant 5 with a real process death: `asg-deploy roll` runs as a child
 * process against the emulator in this process, its NDJSON events are read
 * line by line, and it is killed with SIGKILL (no safe point, no cleanup) when
 * a chosen event arrives. Then `resume` or `abort` (library calls, `force`:
 * the dead holder's lock has not expired) must finish or undo the deploy with
 * the floor held throughout, as the emulator's history shows.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AsgDeployError } from '../../src/core/index.js';
import { abort, resume, type DeployResult } from '../../src/deploy/index.js';
import type { HistoryEntry } from '../../src/emulator/index.js';
import { CLI_BIN, cliEnv, startFleet, type TestFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, assertSurgeCapHeld, groupShape, pinnedVersion, recordOnGroup, trace, type GroupShape } from './checks.js';

export const SPEED = 200;
const SIZE = 6;
const SURGE = 2;

/** A parsed NDJSON line of `--output json`. */
export type JsonEvent = { code: string; [key: string]: unknown };

export interface KillPoint {
  name: string;
  /** Deploy a never-healthy image (so the deploy is rolling back when killed). */
  badImage?: boolean;
  /** True for the event after which the child is killed; sees every event so far. */
  at: (event: JsonEvent, seen: readonly JsonEvent[]) => boolean;
  /**
   * Then wait until the emulator has answered this API action of the child's
   * (the step the event announced has landed) before killing: the history is
   * recorded in this process, so this is exact, not a race.
   */
  thenAfterCall?: string;
}

export const KILL_POINTS: KillPoint[] = [
  { name: 'right after group-pinned', at: (e) => e.code === 'group-pinned' },
  { name: 'after the 2nd wave-started', at: (e, seen) => e.code === 'wave-started' && seen.filter((s) => s.code === 'wave-started').length === 2 },
  { name: 'after the first instance-retiring (its terminate call answered)', at: (e) => e.code === 'instance-retiring', thenAfterCall: 'TerminateInstanceInAutoScalingGroup' },
  { name: 'during the rollback of a bad image, after rollback-started', badImage: true, at: (e) => e.code === 'rollback-started' },
];

export interface Killed {
  fleet: TestFleet;
  events: JsonEvent[];
  startedAt: number;
  before: GroupShape;
  fromVersion: string;
}

const children = new Set<ChildProcess>();

/** Kills every child this module started that is still alive (for `finally`). */
export function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

/**
 * Starts `asg-deploy --output json roll web --image AMI` and SIGKILLs it when
 * `point.at` says so. Resolves once it is dead, with the events it printed.
 */
async function runAndKill(fleet: TestFleet, image: string, point: KillPoint): Promise<JsonEvent[]> {
  const child = spawn(
    process.execPath,
    [CLI_BIN, '--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--time-scale', String(SPEED), '--output', 'json', 'roll', fleet.group, '--image', image],
    { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  const events: JsonEvent[] = [];
  let stderr = '';
  let killed = false;
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const kill = () => {
    if (killed) return;
    killed = true;
    child.kill('SIGKILL');
  };
  const spawnedAt = fleet.clock.now();
  let armed = false;
  const answered = (e: HistoryEntry) => e.type === 'call' && e.ok && e.action === point.thenAfterCall && e.t >= spawnedAt;
  fleet.emu.sim.history.subscribe((e) => {
    if (armed && answered(e)) kill();
  });
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    if (killed) return;
    let event: JsonEvent;
    try {
      event = JSON.parse(line) as JsonEvent;
    } catch {
      event = { code: 'not-json', line }; // kept for the failure message; --output json must print only JSON
    }
    events.push(event);
    if (armed || !point.at(event, events)) return;
    if (!point.thenAfterCall || fleet.history().some(answered)) kill();
    else armed = true;
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  try {
    const { code, signal } = await exited;
    const why = `child exit ${code} ${signal}; stderr: ${stderr}\n${trace(events as never)}`;
    assert.ok(killed, `the kill point "${point.name}" never came: ${why}`);
    assert.equal(signal, 'SIGKILL', why);
    assert.ok(!events.some((e) => e.code === 'done' || e.code === 'unlocked'), `the child must die before it finishes: ${why}`);
    assert.deepEqual(events.filter((e) => e.code === 'not-json'), [], `--output json prints only NDJSON: ${why}`);
  } finally {
    clearTimeout(guard);
    lines.close();
    children.delete(child);
  }
  return events;
}

/** A fleet of 6 with a deploy SIGKILLed at `point`; the record (and the dead holder's lock) left on the group. */
export async function deployAndKill(point: KillPoint): Promise<Killed> {
  const fleet = await startFleet({ size: SIZE, speed: SPEED });
  try {
    const image = await fleet.image(point.badImage ? { 'emulator:health': 'unhealthy' } : {});
    // The surge is the default 25 % of 6 = 2; three waves.
    const before = await groupShape(fleet);
    const fromVersion = (await pinnedVersion(fleet))!;
    const startedAt = fleet.clock.now();
    const events = await runAndKill(fleet, image, point);
    const record = await recordOnGroup(fleet);
    assert.equal(record.id, events.find((e) => e.code === 'locked')?.deployId, 'the record is the dead deploy\'s');
    assert.ok(!['done', 'rolled-back', 'aborted'].includes(record.phase), `phase ${record.phase}`);
    assert.equal(record.fromVersion, fromVersion, 'the previous version is recorded');
    assert.equal(record.original.desired, SIZE);
    if (point.badImage) assert.equal(record.phase, 'rolling-back');
    return { fleet, events, startedAt, before, fromVersion };
  } catch (e) {
    await fleet.close();
    throw e;
  }
}

/**
 * From another machine the dead holder's lock stops a takeover without
 * --force, and the refusal says why and names --force (issue 8).
 */
export async function assertRefusedWithoutForce(k: Killed, verb: 'resume' | 'abort'): Promise<void> {
  const { ctx } = k.fleet.context({ owner: 'other:7', holder: { host: 'another-machine', pid: 7, processStartedAt: 0 } });
  const error = await (verb === 'resume' ? resume : abort)(ctx, { group: k.fleet.group }).then(
    (r) => assert.fail(`${verb} without force should be refused while the lock is fresh, got ${JSON.stringify(r)}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AsgDeployError && error.code === 'LOCKED', String(error));
  assert.match(error.message, /another machine .*cannot tell whether it still runs/, error.message);
  assert.match(error.hint ?? '', /--force/, error.hint);
}

/** After a takeover: the fleet on `version`, the group as before, released, and the invariants from the deploy's start to the takeover's end. */
export async function assertSettled(k: Killed, result: DeployResult, endedAt: number, version: string, lastOutcome: string, why: string): Promise<void> {
  assert.equal(await pinnedVersion(k.fleet), version, why);
  await assertAllOn(k.fleet, version, SIZE);
  assert.deepEqual(await groupShape(k.fleet), k.before, why);
  await assertReleased(k.fleet, lastOutcome, result.deployId);
  assertFloorHeld(k.fleet, k.startedAt, SIZE, endedAt);
  assertSurgeCapHeld(k.fleet, k.startedAt, SIZE + SURGE, endedAt);
}
