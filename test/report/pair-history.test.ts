/**
 * `history APP` and `report APP` for a blue/green pair (groups tagged
 * asg-deploy:app): the deploy over both groups is one entry naming both, its
 * state after the switch is "awaiting finish or rollback", and after the
 * rollback the report shows both versions over the two groups' instances.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bluegreen, rollbackBlueGreen } from '../../src/deploy/index.js';
import { buildDeployReport, loadHistory } from '../../src/report/index.js';
import { startPair } from '../helpers/pair.js';

test('a blue/green deploy and its rollback, by app name: one entry over both groups, awaiting a decision, then rolled back', async () => {
  const pair = await startPair({ size: 4, maxSize: 6, minSize: 2 });
  try {
    const { fleet } = pair;
    const image = await fleet.image();
    const { ctx } = fleet.context();
    const deployed = await bluegreen(ctx, { app: pair.app, image });
    assert.equal(deployed.outcome, 'succeeded');

    const waiting = await loadHistory(fleet.aws, pair.app, { now: fleet.clock.now(), env: false });
    assert.deepEqual(waiting.groups.sort(), [pair.blue, pair.green].sort());
    const [entry] = waiting.entries.filter((e) => e.kind === 'deploy');
    assert.equal(entry?.id, deployed.deployId, JSON.stringify(waiting.entries, null, 1));
    assert.equal(entry?.strategy, 'bluegreen');
    assert.equal(entry?.outcome, 'awaiting-decision');
    assert.deepEqual(entry?.groups.sort(), [pair.blue, pair.green].sort());
    assert.equal(entry?.toImage, image);
    assert.ok(Number(entry?.lowestServing) >= 4, `serving counted over both groups: ${entry?.lowestServing}`);

    const byGroup = await loadHistory(fleet.aws, pair.blue, { now: fleet.clock.now(), env: false });
    assert.deepEqual(byGroup.groups.sort(), waiting.groups.sort(), 'a member group\'s name finds its pair');

    const back = await rollbackBlueGreen(fleet.context().ctx, { app: pair.app });
    assert.equal(back.outcome, 'rolled-back');
    const report = await buildDeployReport(fleet.aws, pair.app, { now: fleet.clock.now(), env: false });
    assert.equal(report.deploy.id, deployed.deployId);
    assert.equal(report.deploy.outcome, 'rolled-back');
    assert.deepEqual(report.timeline.versions, [deployed.fromVersion, deployed.toVersion]);
    const bands = new Set([...report.html.matchAll(/data-version="([^"]+)" data-state="([^"]+)"/g)].map((m) => m[1]));
    assert.deepEqual([...bands].sort(), [deployed.fromVersion, deployed.toVersion].sort());
    assert.match(report.html, /standby or draining/, 'the old fleet\'s Standby shows as its own band');
    assert.ok(report.timeline.samples.some((s) => (s.byVersion[deployed.fromVersion!]?.idle ?? 0) >= 4), 'the 4 old instances waited in Standby');
  } finally {
    await pair.close();
  }
});
