import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { isConfigError, parseInventory } from '../../src/config/index.js';
import { isAsgDeployError } from '../../src/core/index.js';
import { addGuardrailFlags, describeGuardrails, guardrailOptions, type GuardrailFlags } from '../../src/cli/guardrail-flags.js';
import { describeEvent } from '../../src/cli/render.js';
import type { AnyEvent } from '../../src/events/index.js';
const describeGuardrailEvent = (e: AnyEvent) => describeEvent(e);

function parse(argv: string[]): GuardrailFlags {
  const cmd = addGuardrailFlags(new Command('roll').exitOverride().argument('[group]'));
  cmd.parse(argv, { from: 'user' });
  return cmd.opts() as GuardrailFlags;
}

test('the flag group: --alarm repeats, every flag becomes its guardrail, bake time goes to the engine', async () => {
  const flags = parse(['web', '--alarm', 'web-5xx', '--alarm', 'web-latency', '--checkpoints', '10%,50%', '--checkpoint-pause', 'wait', '--bake-time', '10m', '--check', 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health', '--check-timeout', '30s']);
  assert.deepEqual(flags.alarm, ['web-5xx', 'web-latency']);
  const { options, summary } = await guardrailOptions(flags);
  assert.deepEqual(options.guardrails?.map((g) => g.name), ['alarms', 'checkpoints', 'check']);
  assert.equal(options.bakeTimeMs, 600_000);
  assert.deepEqual(summary, {
    alarms: ['web-5xx', 'web-latency'],
    checkpoints: [10, 50],
    checkpointPause: { kind: 'wait' },
    bakeTimeMs: 600_000,
    check: 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health',
    checkTimeoutMs: 30_000,
  });
  assert.deepEqual(await describeGuardrails(summary), [
    'alarms watched: web-5xx, web-latency',
    'checkpoints: 10%,50%, wait for `asg-deploy continue` at each',
    'bake time: 10m after the last replacement',
    'check per new instance (limit 30s): curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health',
  ]);
});

test('no guardrail flag: no guardrails and no bake time (the engine runs as before)', async () => {
  const { options, summary } = await guardrailOptions(parse(['web']));
  assert.deepEqual(options, {});
  assert.deepEqual(await describeGuardrails(summary), []);
});

test('checkpoints without a pause pause for an hour (Instance Refresh CheckpointDelay default)', async () => {
  const { summary } = await guardrailOptions(parse(['web', '--checkpoints', '25%']));
  assert.deepEqual(summary.checkpointPause, { kind: 'for', ms: 3_600_000 });
});

test('bad values and flags missing their partner are refused (BAD_INPUT) naming the flag', async () => {
  const cases: [string[], RegExp][] = [
    [['--checkpoints', '50%,10%'], /--checkpoints "50%,10%": 10% does not come after 50%/],
    [['--checkpoint-pause', '10'], /--checkpoint-pause/],
    [['--checkpoint-pause', 'wait'], /--checkpoint-pause wait needs --checkpoints/],
    [['--check-timeout', '10s'], /--check-timeout needs --check/],
    [['--bake-time', 'soon'], /--bake-time/],
    [['--alarm', ' '], /--alarm " "/],
    [['--check', ''], /--check ""/],
  ];
  for (const [argv, why] of cases) {
    await assert.rejects(guardrailOptions(parse(['web', ...argv])), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && why.test(e.message), argv.join(' '));
  }
});

const YAML = `
defaults:
  region: us-east-1
  guardrails:
    alarms: [web-5xx]
    checkTimeout: 20s
    check: "curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health"
apps:
  web:
    group: web-asg
    guardrails:
      checkpoints: "10%,50%"
      checkpointPause: wait
      bakeTime: 15m
  api:
    group: api-asg
    guardrails:
      alarms: [api-5xx, api-latency]
      checkpoints: ["20%", "60%"]
`;

test('asg-deploy.yaml: the guardrails block merges key by key from defaults to app, and flags win over it', async () => {
  const inv = parseInventory(YAML, 'asg-deploy.yaml');
  assert.deepEqual(inv.apps.web!.guardrails, {
    alarms: ['web-5xx'],
    checkpoints: [10, 50],
    checkpointPause: { kind: 'wait' },
    bakeTimeMs: 900_000,
    check: 'curl -fsS http://$ASG_DEPLOY_PRIVATE_IP/health',
    checkTimeoutMs: 20_000,
  });
  assert.deepEqual(inv.apps.api!.guardrails?.alarms, ['api-5xx', 'api-latency']);
  assert.deepEqual(inv.apps.api!.guardrails?.checkpoints, [20, 60]);
  const { summary } = await guardrailOptions(parse(['web', '--alarm', 'other', '--bake-time', '0']), inv.apps.web!.guardrails);
  assert.deepEqual(summary.alarms, ['other']);
  assert.equal(summary.bakeTimeMs, 0);
  assert.deepEqual(summary.checkpoints, [10, 50]);
  assert.equal((await guardrailOptions(parse(['web', '--bake-time', '0']), inv.apps.web!.guardrails)).options.bakeTimeMs, undefined);
});

test('asg-deploy.yaml: a bad guardrails value is a config error that names the key and the fix', () => {
  const bad: [string, RegExp][] = [
    ['checkpoints: "50%,10%"', /checkpoints.*ascending order/],
    ['checkpoints: 10', /10 has no %/],
    ['checkpointPause: later', /"later" is neither a duration nor wait/],
    ['alarms: web-5xx', /not a list of alarm names/],
    ['bakeTime: 10', /10 has no unit/],
    ['retries: 3', /retries/],
  ];
  for (const [line, why] of bad) {
    const text = `apps:\n  web:\n    region: us-east-1\n    group: web-asg\n    guardrails:\n      ${line}\n`;
    assert.throws(() => parseInventory(text, 'asg-deploy.yaml'), (e: unknown) => isConfigError(e) && why.test(e.message) && /guardrails/.test(e.message), line);
  }
});

test('every guardrail event has a human line; a failed check shows its last output lines', () => {
  const base = { t: 0, deployId: 'd', group: 'web' };
  const lines = [
    describeGuardrailEvent({ ...base, code: 'alarm-watched', alarms: [{ name: 'web-5xx', state: 'OK' }] }),
    describeGuardrailEvent({ ...base, code: 'alarm-state-changed', alarm: 'web-5xx', from: 'OK', to: 'ALARM', reason: 'Threshold Crossed' }),
    describeGuardrailEvent({ ...base, code: 'checkpoint-reached', percent: 10, onTarget: 1, total: 10 }),
    describeGuardrailEvent({ ...base, code: 'checkpoint-paused', percent: 10, continueCommand: 'asg-deploy continue web', abortCommand: 'asg-deploy abort web' }),
    describeGuardrailEvent({ ...base, code: 'checkpoint-continued', percent: 10, by: 'continue', pausedSeconds: 90 }),
    describeGuardrailEvent({ ...base, code: 'bake-started', seconds: 600, until: 600_000 }),
    describeGuardrailEvent({ ...base, code: 'bake-ended', seconds: 42, ok: false, reason: 'alarm web-5xx is in ALARM' }),
    describeGuardrailEvent({ ...base, code: 'check-passed', instanceId: 'i-1', seconds: 1.5 }),
    describeGuardrailEvent({ ...base, code: 'check-failed', instanceId: 'i-1', reason: 'check failed on i-1 (exit 22)', exitCode: 22, timedOut: false, output: ['a', 'curl: (22) 503'] }),
  ];
  assert.ok(lines.every((l) => typeof l === 'string' && l.length > 0));
  assert.equal(lines[1], 'alarm web-5xx: OK → ALARM (Threshold Crossed)');
  assert.equal(lines[3], 'paused at 10%: `asg-deploy continue web` to go on, `asg-deploy abort web` to undo');
  assert.equal(lines[8], 'check failed: check failed on i-1 (exit 22)\n  | a\n  | curl: (22) 503');
  assert.equal(describeGuardrailEvent({ ...base, code: 'record-written', phase: 'rolling' }), undefined, 'other codes keep their own lines');
});

test('status lines: a pause (timed or wait), the bake time left, a pending signal, the alarms', async () => {
  const { guardrailStatusLines } = await import('../../src/cli/guardrail-status.js');
  const now = Date.UTC(2026, 0, 1, 12, 10);
  const since = Date.UTC(2026, 0, 1, 12, 0);
  assert.deepEqual(guardrailStatusLines({}, now), []);
  assert.deepEqual(guardrailStatusLines({ paused: { deployId: 'd', percent: 10, since } }, now), [
    '    paused at the 10% checkpoint for 10m, waiting for `asg-deploy continue` (or `asg-deploy abort`)',
  ]);
  assert.deepEqual(
    guardrailStatusLines(
      { paused: { deployId: 'd', percent: 50, since, until: now + 90_000 }, pendingSignal: { deployId: 'd', action: 'continue', percent: 50, by: 'ops@box:1', at: now - 5_000 } },
      now,
      [{ name: 'web-5xx', type: 'metric', state: 'OK' }],
    ),
    [
      '    paused at the 50% checkpoint, 1m30s left (`asg-deploy continue` goes on now)',
      '    continue signalled by ops@box:1 5s ago, not yet picked up',
      '    alarms: web-5xx OK',
    ],
  );
  assert.deepEqual(guardrailStatusLines({ baking: { deployId: 'd', since, until: now + 300_000 } }, now), ['    bake time: 5m left of 15m']);
});
