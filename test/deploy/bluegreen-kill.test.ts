/**
 * Invariant 5 with a real process death: `asg-deploy --output json bluegreen`
 * runs as a child process against the emulator in this process and is
 * SIGKILLed right after its EnterStandby call was answered (the old fleet is
 * leaving the load balancer, nothing recorded after). `resume --force` through
 * the record dispatch must finish the switch with the floor held across both
 * groups. The child is the built CLI (buildProgram) with the strategy commands
 * registered, as main.ts will have them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AsgDeployError } from '../../src/core/index.js';
import { readRecord, resumeStrategy } from '../../src/deploy/index.js';
import type { HistoryEntry } from '../../src/emulator/index.js';
import { cliEnv, lowestServingSince } from '../helpers/fleet.js';
import { addScalingConfiguration, scalingConfigurationOf, startPair, traceOf } from '../helpers/pair.js';

const MAIN = new URL('../../src/cli/main.js', import.meta.url).href;
const STRATEGIES = new URL('../../src/cli/commands/bluegreen.js', import.meta.url).href;
/** exec() of main.ts, with registerStrategyCommands added when main.ts does not register it yet. */
const CHILD = `
const { buildProgram } = await import(${JSON.stringify(MAIN)});
const { registerStrategyCommands } = await import(${JSON.stringify(STRATEGIES)});
const ctx = { io: { out: (l) => process.stdout.write(l + '\\n'), err: (l) => process.stderr.write(l + '\\n'), isTty: false }, output: 'text', exitCode: 0 };
const program = buildProgram(ctx);
if (!program.commands.some((c) => c.name() === 'bluegreen')) registerStrategyCommands(program, ctx);
try { await program.parseAsync(process.argv.slice(1), { from: 'user' }); process.exitCode = ctx.exitCode; }
catch (e) { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exitCode = 70; }
`;

const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

test('bluegreen SIGKILLed right after EnterStandby: refused from another machine (names --force); resume on this machine without --force completes the switch, floor held across the pair', async () => {
  const pair = await startPair({ size: 4, maxSize: 6, minSize: 2 });
  try {
    const { fleet } = pair;
    await addScalingConfiguration(pair, pair.blue);
    const image = await fleet.image();
    const startedAt = fleet.clock.now();
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', CHILD, '--', '--endpoint-url', fleet.emu.endpoint, '--region', 'us-east-1', '--time-scale', '200', '--output', 'json', 'bluegreen', pair.app, '--image', image],
      { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(child);
    const events: { code: string; [k: string]: unknown }[] = [];
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    // Killed the moment the emulator has answered the child's EnterStandby: exact, not a race with its output.
    fleet.emu.sim.history.subscribe((e: HistoryEntry) => {
      if (e.type === 'call' && e.ok && e.action === 'EnterStandby' && e.t >= startedAt) kill();
    });
    createInterface({ input: child.stdout! }).on('line', (line) => events.push(JSON.parse(line)));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const signal = await exited;
    clearTimeout(guard);
    children.delete(child);
    const childTrace = `stderr: ${stderr}\n${traceOf(events as never)}`;
    assert.ok(killed && signal === 'SIGKILL', `the child should have been killed at EnterStandby: ${childTrace}`);
    assert.ok(!events.some((e) => e.code === 'done'), childTrace);
    const deployId = events.find((e) => e.code === 'locked')?.deployId;
    for (const name of [pair.blue, pair.green]) {
      assert.equal(readRecord((await fleet.aws.autoscaling.describeGroup(name)).group)?.id, deployId, `${name} keeps the dead deploy's record`);
    }

    // From another machine nobody can tell the child is dead: refused, naming --force (issue 8).
    const elsewhere = fleet.context({ owner: 'other:7', holder: { host: 'another-machine', pid: 7, processStartedAt: 0 } });
    const refused = await resumeStrategy(elsewhere.ctx, { group: pair.blue }).then(
      (r) => assert.fail(`the dead child's fresh lock must refuse resume from another machine without --force: ${JSON.stringify(r)}`),
      (e: unknown) => e,
    );
    assert.ok(refused instanceof AsgDeployError && refused.code === 'LOCKED', String(refused));
    assert.match(refused.hint ?? '', /--force/);
    // On this machine the dead child's lock is taken over without --force.
    const { ctx, log } = fleet.context({ owner: 'test:resume' });
    const result = await resumeStrategy(ctx, { group: pair.blue });
    const why = `${JSON.stringify(result)}\nchild:\n${childTrace}\nresume:\n${traceOf(log.events)}`;
    assert.equal(result?.outcome, 'succeeded', why);
    assert.equal(result?.deployId, deployId, why);
    const green = await fleet.aws.autoscaling.describeGroup(pair.green);
    const blue = await fleet.aws.autoscaling.describeGroup(pair.blue);
    assert.equal(green.instances.filter((i) => i.lifecycleState === 'InService' && i.launchTemplate?.version === result!.toVersion).length, 4, why);
    assert.equal(blue.instances.filter((i) => i.lifecycleState === 'Standby').length, 4, why);
    assert.deepEqual(await scalingConfigurationOf(pair, pair.green), { policies: ['cpu-50', 'scale-out'], actions: ['nightly'] }, why);
    assert.ok(lowestServingSince(pair.serving(), startedAt) >= 4, `serving dropped to ${lowestServingSince(pair.serving(), startedAt)}\n${why}`);
  } finally {
    await pair.close();
  }
});
