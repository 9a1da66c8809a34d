import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, endpointSettings, nodeSupportNote, regionSetting, silenceSdkNodeVersionWarning } from '../../src/aws/index.js';
import { isAsgDeployError } from '../../src/core/index.js';

test('region: option, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
  assert.equal(regionSetting('eu-west-1', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }), 'eu-west-1');
  assert.equal(regionSetting(undefined, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' }), 'us-east-1');
  assert.equal(regionSetting(undefined, { AWS_DEFAULT_REGION: 'us-west-2' }), 'us-west-2');
  assert.equal(regionSetting(' ', { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-west-2' }), 'us-west-2');
  assert.equal(regionSetting(undefined, {}), undefined);
});

test('endpoint: option, then the service variable, then AWS_ENDPOINT_URL', () => {
  const env = { AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_EC2: 'http://ec2:2' };
  assert.deepEqual(endpointSettings('http://opt:3', env), { autoscaling: 'http://opt:3', ec2: 'http://opt:3', elbv2: 'http://opt:3' });
  assert.deepEqual(endpointSettings(undefined, env), { autoscaling: 'http://all:1', ec2: 'http://ec2:2', elbv2: 'http://all:1' });
  assert.deepEqual(endpointSettings(undefined, { AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: 'http://elb:4', AWS_ENDPOINT_URL_AUTO_SCALING: 'http://asg:5' }), {
    autoscaling: 'http://asg:5',
    elbv2: 'http://elb:4',
  });
  assert.deepEqual(endpointSettings(undefined, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), {});
  assert.deepEqual(endpointSettings('http://opt:3', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).ec2, 'http://opt:3');
  assert.deepEqual(endpointSettings(undefined, {}), {});
});

test('the SDK node-version warning is silenced unless the user chose', () => {
  const env: Record<string, string | undefined> = {};
  silenceSdkNodeVersionWarning(env);
  assert.equal(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, 'true');
  const chosen: Record<string, string | undefined> = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
  silenceSdkNodeVersionWarning(chosen);
  assert.equal(chosen.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, 'false');
  assert.match(nodeSupportNote('v20.20.2') ?? '', /^note: node v20\.20\.2 works/);
  assert.equal(nodeSupportNote('v22.1.0'), undefined);
  assert.equal(nodeSupportNote('v24.0.0'), undefined);
});

test('createAwsClients: region and endpoint reach the SDK clients; no warning printed', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  const aws = createAwsClients({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, env: {} });
  try {
    assert.equal(aws.region, 'eu-central-1');
    assert.deepEqual(aws.endpoints, { autoscaling: 'http://127.0.0.1:9', ec2: 'http://127.0.0.1:9', elbv2: 'http://127.0.0.1:9' });
    assert.equal(await aws.resolveRegion(), 'eu-central-1');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warnings.filter((w) => /NodeVersionSupportWarning/.test(w)),
      [],
    );
  } finally {
    process.off('warning', onWarning);
    aws.destroy();
  }
});

test('createAwsClients: region from the profile, or NO_REGION naming --region and AWS_REGION', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'asg-deploy-config-'));
  const configFile = join(dir, 'config');
  writeFileSync(configFile, '[profile with-region]\nregion = ap-south-1\n\n[profile no-region]\noutput = json\n');
  const saved = { ...process.env };
  process.env.AWS_CONFIG_FILE = configFile;
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  delete process.env.AWS_PROFILE;
  try {
    const withRegion = createAwsClients({ profile: 'with-region', env: {} });
    assert.equal(withRegion.region, undefined);
    assert.equal(await withRegion.resolveRegion(), 'ap-south-1');
    withRegion.destroy();
    const without = createAwsClients({ profile: 'no-region', env: {} });
    await assert.rejects(without.resolveRegion(), (e: unknown) => {
      assert.ok(isAsgDeployError(e, 'NO_REGION'));
      assert.match(e.message, /pass --region or set AWS_REGION/);
      return true;
    });
    // and a real call fails the same way, without retrying
    await assert.rejects(without.autoscaling.describeGroups(), (e: unknown) => isAsgDeployError(e, 'NO_REGION'));
    without.destroy();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
});
