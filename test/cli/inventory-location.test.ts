/**
 * `--app`'s region and profile reach the AWS client factory as options and are
 * never written into process.env (issue 8 "a thin CLI"): an app whose profile
 * does not exist fails with exit 5 naming that profile, and afterwards this
 * process's environment holds neither AWS_PROFILE nor AWS_REGION; the global
 * --profile flag wins over the app's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, useTestCredentials } from '../bake/harness.js';

test('the app\'s region and profile go to the client factory, not into process.env', async () => {
  useTestCredentials();
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_REGION;
  const dir = await mkdtemp(path.join(tmpdir(), 'asg-deploy-inventory-'));
  try {
    const config = path.join(dir, 'asg-deploy.yaml');
    await writeFile(config, ['apps:', '  web:', '    region: eu-west-3', '    profile: app-profile', '    group: web', ''].join('\n'));
    // Port 9 refuses connections: nothing can succeed, but the profile is checked before any call goes out.
    const target = ['--endpoint-url', 'http://127.0.0.1:9', '--time-scale', '1000'];
    const fromApp = await runCli([...target, 'status', '--app', 'web', '--config', config]);
    assert.equal(fromApp.code, 5, fromApp.stderr);
    assert.match(fromApp.stderr, /profile "app-profile" not found/);
    assert.equal(process.env.AWS_PROFILE, undefined);
    assert.equal(process.env.AWS_REGION, undefined);

    const flagWins = await runCli([...target, '--profile', 'flag-profile', 'status', '--app', 'web', '--config', config]);
    assert.equal(flagWins.code, 5, flagWins.stderr);
    assert.match(flagWins.stderr, /profile "flag-profile" not found/);
    assert.equal(process.env.AWS_PROFILE, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
