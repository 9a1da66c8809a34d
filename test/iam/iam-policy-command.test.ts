/**
 * `asg-deploy iam-policy`: the printed document is one IAM accepts (Version
 * 2012-10-17, a unique alphanumeric Sid per statement), scoped to the named
 * groups and templates, `*` only for actions without resource-level
 * permissions; bad input exits 2 naming the value; the hint a denied command
 * prints names the right iam-policy command line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from '../../src/cli/main.js';
import { parsePolicyDocument, evaluatePolicy } from '../../src/emulator/iam/index.js';
import { COMMAND_PERMISSIONS, COMMANDS, actionsFor, iamPolicyCommandFor, policyFor } from '../../src/permissions/index.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await exec(args, { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const GROUP_ARN = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:6f1c0d1e-0000-4000-8000-000000000000:autoScalingGroupName/web';

test('every command\'s policy is a valid IAM document: Version 2012-10-17, unique alphanumeric Sids, every table action present', () => {
  for (const command of COMMANDS) {
    const doc = policyFor([command], { groups: ['web'], templates: ['lt-0123456789abcdef0'] });
    assert.equal(doc.Version, '2012-10-17');
    parsePolicyDocument(doc);
    const sids = doc.Statement.map((s) => s.Sid);
    assert.equal(new Set(sids).size, sids.length, `${command}: unique Sids`);
    for (const sid of sids) assert.match(sid, /^[A-Za-z0-9]+$/, 'IAM Sids are alphanumeric');
    const actions = doc.Statement.flatMap((s) => s.Action).sort();
    assert.deepEqual(actions, actionsFor([command]), `${command}: the policy holds exactly the table's actions`);
    for (const s of doc.Statement) {
      if (s.Resource === '*' && !s.Condition) for (const a of s.Action) assert.match(a, /:(Describe|Get)/, `${command}: ${a} on * only if it is a describe`);
    }
  }
});

test('scoped to the group: the policy allows SetDesiredCapacity on web, not on api; tag writes only on asg-deploy:* keys', () => {
  const policy = parsePolicyDocument(policyFor(['roll'], { groups: ['web'] }));
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:SetDesiredCapacity', resource: GROUP_ARN, context: {} }), 'allow');
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:SetDesiredCapacity', resource: GROUP_ARN.replace(/web$/, 'api'), context: {} }), 'implicitDeny');
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:CreateOrUpdateTags', resource: GROUP_ARN, context: { 'aws:TagKeys': ['asg-deploy:lock'] } }), 'allow');
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:CreateOrUpdateTags', resource: GROUP_ARN, context: { 'aws:TagKeys': ['asg-deploy:lock', 'owner'] } }), 'implicitDeny');
  assert.equal(evaluatePolicy(policy, { action: 'autoscaling:DeleteAutoScalingGroup', resource: GROUP_ARN, context: {} }), 'implicitDeny');
  const lt = parsePolicyDocument(policyFor(['roll'], { templates: ['lt-0123456789abcdef0'] }));
  const run = (id: string) => evaluatePolicy(lt, { action: 'ec2:RunInstances', resource: `arn:aws:ec2:us-east-1:123456789012:launch-template/${id}`, context: { 'ec2:LaunchTemplate': `arn:aws:ec2:us-east-1:123456789012:launch-template/${id}` } });
  assert.equal(run('lt-0123456789abcdef0'), 'allow');
  assert.equal(run('lt-0fffffffffffffff0'), 'implicitDeny');
});

test('status, history and report are read-only; no command gets a wildcard action', () => {
  for (const c of ['status', 'history', 'report'] as const) {
    for (const p of COMMAND_PERMISSIONS[c].permissions) assert.match(p.action, /:(Describe|Get|List)/, `${c}: ${p.action}`);
  }
  for (const c of COMMANDS) for (const p of COMMAND_PERMISSIONS[c].permissions) assert.doesNotMatch(p.action, /\*/);
});

test('the CLI prints the policy (text: the bare document on stdout, optional actions on stderr; json: one line)', async () => {
  const text = await cli(['iam-policy', 'roll', 'status', '--group', 'web', '--template', 'lt-0123456789abcdef0']);
  assert.equal(text.code, 0, text.err);
  const doc = JSON.parse(text.out);
  assert.deepEqual(doc, policyFor(['roll', 'status'], { groups: ['web'], templates: ['lt-0123456789abcdef0'] }));
  assert.ok(doc.Statement.some((s: { Resource: unknown }) => s.Resource === 'arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/web'));
  assert.match(text.err, /note: roll needs ec2:CreateLaunchTemplateVersion only with --image/);
  const json = await cli(['--output', 'json', 'iam-policy', 'bluegreen', '--group', 'web-blue,web-green']);
  assert.equal(json.code, 0, json.err);
  const lines = json.out.split('\n');
  assert.equal(lines.length, 1);
  const event = JSON.parse(lines[0]!);
  assert.equal(event.code, 'iam-policy');
  assert.deepEqual(event.groups, ['web-blue', 'web-green']);
  assert.ok(event.optional.some((o: { action: string }) => o.action === 'autoscaling:PutScalingPolicy'));
  const help = await cli(['iam-policy', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Examples:/);
  assert.match(help.out, /asg-deploy iam-policy roll --group web/);
});

test('bad input exits 2 naming the value: an unknown command, a template name instead of an id, a group pattern', async () => {
  const unknown = await cli(['iam-policy', 'rool']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /"rool" is not an asg-deploy command.*roll/);
  const name = await cli(['iam-policy', 'bake', '--template', 'web-lt']);
  assert.equal(name.code, 2);
  assert.match(name.err, /--template "web-lt" is not a launch template id/);
  assert.match(name.err, /describe-launch-templates --launch-template-names web-lt/);
  const pattern = await cli(['iam-policy', 'roll', '--group', 'web*']);
  assert.equal(pattern.code, 2);
  assert.match(pattern.err, /--group "web\*"/);
});

test('the hint of a denied command names the iam-policy command line for it', () => {
  assert.equal(iamPolicyCommandFor(['--region', 'eu-west-1', '--endpoint-url', 'http://x', 'roll', 'web', '--image', 'ami-1', '--max-surge', '2']), 'asg-deploy iam-policy roll --group web');
  assert.equal(iamPolicyCommandFor(['--output=json', 'bluegreen', 'shop', '--image', 'ami-1']), 'asg-deploy iam-policy bluegreen --group shop-blue --group shop-green');
  assert.equal(iamPolicyCommandFor(['rollback', 'shop', '--blue', 'a', '--green', 'b']), 'asg-deploy iam-policy rollback --group a --group b');
  assert.equal(iamPolicyCommandFor(['bake', '--instance', 'i-1', '--template', 'lt-0123456789abcdef0']), 'asg-deploy iam-policy bake --template lt-0123456789abcdef0');
  assert.equal(iamPolicyCommandFor(['status', '--app', 'web']), 'asg-deploy iam-policy status');
  assert.equal(iamPolicyCommandFor(['demo']), undefined);
});
