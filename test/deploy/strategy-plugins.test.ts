/**
 * One Strategy interface (issue 8, deliver 1): every strategy is one plug-in
 * object of the engine, found in the registry by the name its record carries,
 * with its state on the group as a typed zod codec. A hand-edited state tag
 * is refused with the tag, the value and the fix — never misread (the old
 * code read `keep=yes` as "not --keep-old" and went on).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAsgDeployError } from '../../src/core/index.js';
import { resume, STATE_TAG, STRATEGY_PLUGINS, swap, type DeployEvent, type DeployStrategy } from '../../src/deploy/index.js';
import { mutatingCallsBetween, startFleet } from '../helpers/fleet.js';
import { prepareInstances } from '../helpers/pair.js';
import { trace } from './checks.js';

test('the registry holds one plug-in per strategy, under the name its record carries, each with its steps and state codec', () => {
  const names: DeployStrategy[] = ['roll', 'bluegreen', 'swap', 'shrink'];
  assert.deepEqual(Object.keys(STRATEGY_PLUGINS).sort(), [...names].sort());
  for (const name of names) {
    const s = STRATEGY_PLUGINS[name];
    assert.equal(s.name, name);
    assert.equal(s.state.strategy, name);
    assert.ok(s.steps.length > 0 && s.backSteps.length > 0, name);
    for (const fn of ['plan', 'start', 'takeOver', 'resumeAt', 'assertCanGoBack', 'forward', 'back', 'interrupted', 'commands', 'end'] as const) assert.equal(typeof s[fn], 'function', `${name}.${fn}`);
  }
});

test('state codecs: typed values from the tag pairs and back (swap keep=1 → true, bluegreen moved=yes → true), optional keys left out', () => {
  const swapState = STRATEGY_PLUGINS.swap.state;
  assert.deepEqual(swapState.parse({ step: 'retire', keep: '1' }, 'web'), { step: 'retire', keep: true });
  assert.deepEqual(swapState.encode({ step: 'attach', keep: false }), { step: 'attach', keep: '0' });
  const bg = STRATEGY_PLUGINS.bluegreen.state;
  const decoded = bg.parse({ step: 'back', role: 'old', pair: 'web-green', app: 'web', moved: 'yes', undo: 'aborted' }, 'web-blue');
  assert.deepEqual(decoded, { step: 'back', role: 'old', pair: 'web-green', app: 'web', moved: true, undo: 'aborted' });
  assert.deepEqual(bg.encode(decoded), { step: 'back', role: 'old', pair: 'web-green', app: 'web', moved: 'yes', undo: 'aborted' });
  assert.deepEqual(STRATEGY_PLUGINS.shrink.state.encode({ step: 'double', policy: 'OldestLaunchTemplate', tp: 'Default' }), { step: 'double', policy: 'OldestLaunchTemplate', tp: 'Default' });
  assert.deepEqual(STRATEGY_PLUGINS.roll.state.parse({}, 'web'), {});
});

test('a malformed state tag is refused naming the tag, the bad value, what was expected and the fix', () => {
  const refused = (fn: () => unknown, value: RegExp) =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(isAsgDeployError(e, 'BAD_INPUT'), String(e));
      assert.match(e.message, new RegExp(STATE_TAG));
      assert.match(e.message, value);
      assert.match(e.hint ?? '', /put the value it had back|remove its asg-deploy:\* tags/);
      return true;
    });
  refused(() => STRATEGY_PLUGINS.swap.state.parse({ step: 'retire', keep: 'yes' }, 'web'), /keep=yes \(expected one of "0"\|"1"\)/);
  refused(() => STRATEGY_PLUGINS.swap.state.parse({ step: 'sideways', keep: '0' }, 'web'), /step=sideways/);
  refused(() => STRATEGY_PLUGINS.bluegreen.state.parse({ step: 'scale', role: 'new' }, 'web-green'), /no pair/);
  refused(() => STRATEGY_PLUGINS.shrink.state.parse({ step: 'back', undo: 'maybe' }, 'web'), /undo=maybe/);
});

test('resume of a swap whose state tag was edited by hand (keep=yes): refused before anything changes, the tag and value named', async () => {
  const fleet = await startFleet({ size: 2, maxSize: 2 });
  try {
    const image = await fleet.image();
    const { ids } = await prepareInstances(fleet, 2, { image });
    const { ctx, log } = fleet.context();
    const controller = new AbortController();
    let writes = 0;
    ctx.signal = controller.signal;
    ctx.emit = (e: DeployEvent) => {
      log.sink(e);
      if (e.code === 'record-written' && ++writes === 2) controller.abort();
    };
    const first = await swap(ctx, { group: fleet.group, instances: ids });
    assert.equal(first.outcome, 'interrupted', trace(log.events));
    await fleet.aws.autoscaling.createOrUpdateTags(fleet.group, [{ key: STATE_TAG, value: 'step=suspend;keep=yes', propagateAtLaunch: false }]);
    await fleet.clock.sleep(2000); // the hand edit is history before what is checked
    const startedAt = fleet.clock.now();
    const next = fleet.context({ owner: 'test:resume' });
    const error = await resume(next.ctx, { group: fleet.group }).then(
      (r) => assert.fail(`expected a refusal, got ${JSON.stringify(r)}`),
      (e: unknown) => e,
    );
    assert.ok(isAsgDeployError(error, 'BAD_INPUT'), String(error));
    assert.match(error.message, /swap deploy state on group web does not read: tag asg-deploy:state = "step=suspend;keep=yes": keep=yes/);
    assert.deepEqual(mutatingCallsBetween(fleet.history(), startedAt).map((c) => c.action), [], 'nothing changed, no lock taken');
  } finally {
    await fleet.close();
  }
});
