/**
 * The proof of a command's policy (issue 13): run the command against an
 * emulator enforcing exactly what `asg-deploy iam-policy` printed for it — it
 * succeeds, and every call it made is in the table; then once per required
 * action with only that action removed — it fails naming the action.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setIamPolicy } from '../../src/emulator/iam/index.js';
import { COMMAND_PERMISSIONS, type CommandName } from '../../src/permissions/index.js';
import { callsSince, runCli, SCENARIOS, VARIANTS, type CliRun, type Prepared, type Scenario } from './scenarios.js';

type PolicyJson = { Version: string; Statement: { Sid: string; Action: string[]; [k: string]: unknown }[] };

/** What `asg-deploy --output json iam-policy COMMAND --group … --template …` prints (the CLI, not the library). */
export async function printedPolicy(prepared: Prepared, command: string): Promise<PolicyJson> {
  const args = ['--output', 'json', 'iam-policy', command, ...prepared.scope.groups.flatMap((g) => ['--group', g]), ...prepared.scope.templates.flatMap((t) => ['--template', t])];
  const r = await runCli(prepared.emu.endpoint, args);
  assert.equal(r.code, 0, `iam-policy: ${r.err}`);
  return (JSON.parse(r.out) as { policy: PolicyJson }).policy;
}

/** The policy without one action (a statement left with no action goes). */
export function withoutAction(policy: PolicyJson, action: string): PolicyJson {
  return {
    ...policy,
    Statement: policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== action) })).filter((s) => s.Action.length > 0),
  };
}

const show = (r: CliRun) => `exit ${r.code}\nstdout:\n${r.out.slice(-3000)}\nstderr:\n${r.err.slice(-3000)}`;

async function runUnder(command: string, policyOf: (printed: PolicyJson) => PolicyJson, scenario: Scenario | undefined = SCENARIOS.find((s) => s.command === command)): Promise<{ run: CliRun; calls: Set<string>; refused: string[] }> {
  assert.ok(scenario, `no scenario for ${command}`);
  const prepared = await scenario.prepare();
  try {
    const policy = policyOf(await printedPolicy(prepared, command));
    setIamPolicy(prepared.emu.sim, policy);
    const from = prepared.emu.sim.history.entries.length;
    const run = await runCli(prepared.emu.endpoint, prepared.args);
    const entries = prepared.emu.sim.history.entries.slice(from);
    const refused = entries.filter((e) => e.type === 'call' && !e.ok && /AccessDenied|UnauthorizedOperation/.test(e.code ?? '')).map((e) => (e as { action: string }).action);
    return { run, calls: callsSince(entries, 0), refused };
  } finally {
    await prepared.close();
  }
}

/** Registers the proof tests of one command. */
export function provePolicy(command: CommandName): void {
  const table = COMMAND_PERMISSIONS[command].permissions;
  const inTable = new Set(table.map((p) => p.action));

  test(`${command}: succeeds under exactly the policy iam-policy prints, and every call it made is in the table`, { timeout: 300_000 }, async () => {
    const { run, calls, refused } = await runUnder(command, (p) => p);
    assert.equal(run.code, 0, show(run));
    assert.deepEqual(refused, [], 'no call was refused');
    const missing = [...calls].filter((a) => !inTable.has(a));
    assert.deepEqual(missing, [], `${command} made calls the table (src/permissions/command-permissions.ts) does not list for it: add them`);
  });

  for (const perm of table) {
    if (perm.optional) {
      test(`${command}: ${perm.action} is optional (${perm.optional})`, () => {
        assert.ok(perm.optional!.length > 10, 'an optional action says why');
      });
      continue;
    }
    test(`${command}: without ${perm.action} it fails, naming ${perm.action} and the iam-policy command`, { timeout: 300_000 }, async () => {
      const { run, refused } = await runUnder(command, (p) => withoutAction(p, perm.action));
      assert.notEqual(run.code, 0, `${command} succeeded without ${perm.action}: the table lists an action it does not need\n${show(run)}`);
      assert.ok(refused.length > 0, `a call was refused: ${show(run)}`);
      assert.ok((run.out + run.err).includes(perm.action), `the output names ${perm.action}: ${show(run)}`);
      if (/^error: /m.test(run.err)) {
        // Stopped by the refusal: the error names the command that prints the policy it needs, and exits 5.
        assert.ok(run.err.includes(`asg-deploy iam-policy ${command}`), `the error names the iam-policy command: ${show(run)}`);
      } else {
        // Carried on past the refusal (prune reports each failed deletion as a warning): exit 5 all the same.
        assert.equal(run.code, 5, show(run));
      }
    });
  }
}

/** Registers the runs that reach the table's optional actions (scenarios.ts VARIANTS). */
export function proveVariants(): void {
  for (const variant of VARIANTS) {
    test(`${variant.name}: succeeds under the printed policy${variant.uses.length ? `, using ${variant.uses.join(', ')}` : ''}${variant.avoids ? `, without ${variant.avoids.join(', ')}` : ''}`, { timeout: 300_000 }, async () => {
      const table = COMMAND_PERMISSIONS[variant.command as CommandName].permissions;
      for (const a of variant.uses) assert.ok(table.some((p) => p.action === a && p.optional), `${a} is an optional action of ${variant.command}`);
      const { run, calls, refused } = await runUnder(variant.command, (p) => p, variant);
      assert.equal(run.code, 0, show(run));
      assert.deepEqual(refused, []);
      assert.deepEqual([...calls].filter((a) => !table.some((p) => p.action === a)), [], 'every call is in the table');
      for (const a of variant.uses) assert.ok(calls.has(a), `${a} was called: ${[...calls].join(', ')}`);
      for (const a of variant.avoids ?? []) assert.ok(!calls.has(a), `${a} was not called`);
    });
  }
}
