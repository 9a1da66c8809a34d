import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roll, type DeployEvent } from '../../src/deploy/index.js';
import { startFleet } from '../helpers/fleet.js';
import { assertAllOn, assertFloorHeld, assertReleased, assertSurgeCapHeld, groupShape, trace } from './checks.js';

test('a new instance the group kills and replaces mid-wave (it turns unhealthy before it is ready): counted as a failed launch, the deploy completes, floor held', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await fleet.image();
    const before = await groupShape(fleet);
    const { ctx, log } = fleet.context();
    let sawReady = false;
    let victim: string | undefined;
    let tagging: Promise<void> | undefined;
    ctx.emit = (e: DeployEvent) => {
      log.sink(e);
      if (e.code === 'instance-ready') sawReady = true;
    };
    // The first instance the group launches after a new one became ready: it
    // is caught the instant it enters Pending (the emulator's history is
    // recorded in this process), so it cannot have been counted ready however
    // slow this machine is. Make its application fail (EC2 CreateTags).
    fleet.emu.sim.history.subscribe((h) => {
      if (sawReady && !victim && h.type === 'lifecycle' && h.group === fleet.group && h.from === null && h.to === 'Pending') {
        victim = h.instanceId;
        tagging = fleet.aws.ec2.createTags([h.instanceId], { 'emulator:health': 'unhealthy' });
      }
    });
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } });
    const endedAt = fleet.clock.now();
    await tagging;
    const why = `victim ${victim}\n${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.ok(victim, why);
    assert.equal(result.outcome, 'succeeded', why);

    // The engine saw it fail and never counted it ready or retired it itself.
    assert.deepEqual(log.of('instance-failed').map((e) => e.instanceId), [victim], why);
    assert.ok(!log.of('instance-ready').some((e) => e.instanceId === victim), why);
    assert.ok(!log.of('instance-retiring').some((e) => e.instanceId === victim), why);
    // The group itself took it out of service and replaced it (history).
    const victimStates = fleet.history().filter((h) => h.type === 'lifecycle' && h.instanceId === victim).map((h) => (h as { to: string | null }).to);
    assert.ok(victimStates.includes('Terminating') || victimStates.includes(null), `victim lifecycle: ${victimStates.join(' → ')}`);
    assert.ok(!victimStates.includes('InService') || fleet.history().some((h) => h.type === 'health' && h.instanceId === victim && h.to === 'Unhealthy'), `victim lifecycle: ${victimStates.join(' → ')}`);
    // Six new instances plus one replacement, plus one per AZ-evening round the engine announced.
    const evening = log.of('warning').filter((w) => w.message.includes('availability zones uneven')).length;
    assert.equal(log.of('instance-launched').length, 7 + evening, 'six new instances plus one replacement (plus AZ evening)');

    await assertAllOn(fleet, result.toVersion!, 6);
    const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
    assert.ok(!instances.some((i) => i.id === victim && i.lifecycleState === 'InService'), 'the victim is not in service');
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'done', result.deployId);
    assertFloorHeld(fleet, startedAt, 6, endedAt);
    assertSurgeCapHeld(fleet, startedAt, 8, endedAt);
  } finally {
    await fleet.close();
  }
});

test('an old instance terminated behind the deploy\'s back mid-wave (without decrement): the group replaces it, the deploy completes, and serving never dips below the floor minus the one we killed', async () => {
  const fleet = await startFleet({ size: 6 });
  try {
    const image = await fleet.image();
    const before = await groupShape(fleet);
    const fromVersion = before && (await fleet.aws.autoscaling.describeGroup(fleet.group)).group.launchTemplate!.version;
    const { ctx, log } = fleet.context();
    let victim: string | undefined;
    let killing: Promise<unknown> | undefined;
    ctx.emit = (e: DeployEvent) => {
      log.sink(e);
      if (e.code === 'wave-started' && !killing) {
        killing = (async () => {
          const { instances } = await fleet.aws.autoscaling.describeGroup(fleet.group);
          const old = instances.find((i) => i.launchTemplate?.version === fromVersion && i.lifecycleState === 'InService');
          victim = old?.id;
          if (old) await fleet.aws.autoscaling.terminateInstance(old.id, false);
        })();
      }
    };
    const startedAt = fleet.clock.now();
    const result = await roll(ctx, { group: fleet.group, image, maxSurge: { kind: 'count', count: 2 } });
    const endedAt = fleet.clock.now();
    await killing;
    const why = `victim ${victim}\n${JSON.stringify(result)}\n${trace(log.events)}`;
    assert.ok(victim, why);
    assert.equal(result.outcome, 'succeeded', why);
    assert.ok(!log.of('instance-retiring').some((e) => e.instanceId === victim), 'the deploy did not retire it a second time');
    await assertAllOn(fleet, result.toVersion!, 6);
    assert.deepEqual(await groupShape(fleet), before);
    await assertReleased(fleet, 'done', result.deployId);
    // We took one serving instance away ourselves; the deploy never takes another below that.
    assertFloorHeld(fleet, startedAt, 5, endedAt);
    assertSurgeCapHeld(fleet, startedAt, 8, endedAt);
  } finally {
    await fleet.close();
  }
});
