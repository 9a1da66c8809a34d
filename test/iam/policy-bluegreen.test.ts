/** The proof of the policies of bluegreen, rollback and finish (see proof.ts). */
import { provePolicy } from './proof.js';

provePolicy('bluegreen');
provePolicy('rollback');
provePolicy('finish');

// The optional actions of bluegreen, exercised: a live group with a scaling policy driven by an
// alarm, a target-tracking policy and a scheduled action. They move under the printed policy, and
// every call made is in the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setIamPolicy } from '../../src/emulator/iam/index.js';
import { COMMAND_PERMISSIONS } from '../../src/permissions/index.js';
import { addScalingConfiguration, scalingConfigurationOf, startPair } from '../helpers/pair.js';
import { printedPolicy } from './proof.js';
import { callsSince, runCli, SPEED } from './scenarios.js';

test('bluegreen: with scaling policies, alarms and scheduled actions on the live group, the optional actions are used and allowed', { timeout: 300_000 }, async () => {
  const pair = await startPair({ size: 2, speed: SPEED });
  try {
    await addScalingConfiguration(pair, pair.blue);
    const image = await pair.fleet.image();
    const prepared = { emu: pair.fleet.emu, args: [], scope: { groups: [pair.blue, pair.green], templates: [pair.fleet.templateId] }, close: async () => {} };
    setIamPolicy(pair.fleet.emu.sim, await printedPolicy(prepared, 'bluegreen'));
    const from = pair.fleet.emu.sim.history.entries.length;
    const run = await runCli(pair.fleet.emu.endpoint, ['bluegreen', pair.app, '--image', image]);
    assert.equal(run.code, 0, `${run.out}\n${run.err}`);
    const calls = callsSince(pair.fleet.emu.sim.history.entries.slice(from), 0);
    const table = new Set(COMMAND_PERMISSIONS.bluegreen.permissions.map((p) => p.action));
    assert.deepEqual([...calls].filter((a) => !table.has(a)), [], 'every call is in the table');
    for (const a of ['autoscaling:PutScalingPolicy', 'autoscaling:DeletePolicy', 'autoscaling:PutScheduledUpdateGroupAction', 'autoscaling:DeleteScheduledAction', 'cloudwatch:DescribeAlarms']) {
      assert.ok(calls.has(a), `${a} was used: ${[...calls].join(', ')}`);
    }
    assert.ok((await scalingConfigurationOf(pair, pair.green)).policies.length > 0, 'the policies moved to the new live group');
  } finally {
    await pair.close();
  }
});
