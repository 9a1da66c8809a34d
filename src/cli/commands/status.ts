/** `status [GROUP]`: the fleet and the deploy in progress, from the group's tags. */
import type { Command } from 'commander';
import { formatDuration } from '../../core/index.js';
import type { FleetStatus } from '../../deploy/index.js';
import type { CliContext } from '../context.js';
import { addAppFlags, type AppFlags } from '../flags.js';
import { withInventory } from '../inventory.js';
import { createRuntime } from '../runtime.js';
import { toJsonLine } from '../../events/index.js';

function shortArn(arn: string): string {
  const m = /targetgroup\/([^/]+)/.exec(arn);
  return m ? m[1]! : arn;
}

/** Pads every column to its widest cell, so no value (e.g. `Terminating:Proceed`) overflows into the next (issue 10). */
export function formatTable(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, cell.length)));
  return rows.map((row) => `${indent}${row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')}`.trimEnd());
}

/** A blue/green deploy that switched and waits for `finish` or `rollback`: no process holds it, and that is normal. */
function awaitingDecision(d: NonNullable<FleetStatus['deploy']>): boolean {
  return d.strategy === 'bluegreen' && d.state?.step === 'switched' && d.phase !== 'failed';
}

export function formatStatus(s: FleetStatus): string[] {
  const lines: string[] = [];
  const lt = s.launchTemplate ? `${s.launchTemplate.name ?? s.launchTemplate.id} version ${s.launchTemplate.version}` : 'no launch template';
  lines.push(`${s.group}: desired ${s.desiredCapacity} (min ${s.minSize}, max ${s.maxSize}), serving ${s.serving}, launches ${lt}`);
  if (s.suspendedProcesses.length) lines.push(`  suspended: ${s.suspendedProcesses.join(', ')}`);
  for (const v of s.versions) {
    const states = Object.entries(v.byState).map(([k, n]) => `${n} ${k}`).join(', ');
    lines.push(`  version ${v.version}: ${v.instances} instance(s), ${v.serving} serving (${states})`);
  }
  if (s.deploy) {
    const d = s.deploy;
    const app = d.state?.app ?? s.group;
    const waiting = awaitingDecision(d);
    const lock = d.lock
      ? `, lock held by ${d.lock.owner} (expires ${new Date(d.lock.expiresAt).toISOString()})`
      : waiting
        ? ', switched and awaiting your decision (no process runs it; nothing is interrupted)'
        : `, not locked: no process runs it (interrupted or gave up); \`asg-deploy resume ${app}\` goes on, \`asg-deploy ${d.strategy === 'bluegreen' ? 'rollback' : 'abort'} ${app}\` undoes`;
    lines.push(`  deploy ${d.id} (${d.strategy}): phase ${d.phase}, ${d.fromVersion} → ${d.toVersion}, started ${formatDuration(Math.max(0, d.ageSeconds) * 1000)} ago${lock}`);
    lines.push(`    surge ${d.settings.surge}, floor ${d.settings.floor}; original min ${d.original.min} max ${d.original.max} desired ${d.original.desired}${d.reason ? `; ${d.reason}` : ''}`);
    if (d.state?.step) {
      lines.push(`    ${d.strategy} step ${d.state.step}${d.state.role ? ` (this is the ${d.state.role} group)` : ''}${waiting ? ' — the old fleet waits in Standby:' : ''}`);
    }
    if (waiting) {
      lines.push(`      asg-deploy finish ${app}     keeps the new version (terminates the Standby fleet)`);
      lines.push(`      asg-deploy rollback ${app}   goes back to version ${d.fromVersion} (the Standby fleet serves again)`);
    }
  } else if (s.lastDeploy) {
    const l = s.lastDeploy;
    lines.push(`  last deploy ${l.id}: ${l.outcome} ${l.from} → ${l.to}, finished ${l.finished}${l.reason ? ` (${l.reason})` : ''}`);
  }
  const rows = [['instance', 'az', 'version', 'lifecycle', 'health', 'target health']];
  for (const i of s.instances) {
    const th = Object.entries(i.targetHealth).map(([arn, st]) => `${shortArn(arn)}=${st}`).join(' ') || '-';
    rows.push([i.id, i.az, i.version, i.lifecycleState, i.healthStatus, `${th}${i.serving ? '' : '  (not serving)'}`]);
  }
  lines.push(...formatTable(rows));
  return lines;
}

export function registerStatusCommand(program: Command, ctx: CliContext): void {
  const status = program
    .command('status')
    .argument('[group]', 'the Auto Scaling group')
    .description('the fleet by version, lifecycle state, group and target health, and the deploy in progress')
    .option('--watch', 'keep it live (refreshes every 5 s of the clock) until Ctrl-C');
  addAppFlags(status, 'the group').action(async (groupArg: string | undefined, flags: AppFlags & { watch?: boolean }, command: Command) => {
    const { group, app } = await withInventory(groupArg, flags, 'status');
    const runtime = await createRuntime(ctx, command, app);
    try {
      const { describeFleetStatus } = await import('../../deploy/status.js');
      for (;;) {
        const status = await describeFleetStatus(runtime.deploy, group);
        if (ctx.output === 'json') ctx.io.out(toJsonLine({ code: 'status', t: runtime.clock.now(), ...status }));
        else {
          if (flags.watch && ctx.io.isTty) ctx.io.clearScreen?.();
          for (const line of formatStatus(status)) ctx.io.out(line);
          // Guardrails (issue 9): what the deploy stored, a checkpoint pause, the bake time left, a pending signal, the alarms' states.
          if (status.guardrails) {
            const { guardrailStatusLines } = await import('../guardrail-status.js');
            for (const line of guardrailStatusLines(status.guardrails, runtime.deploy.clock.now())) ctx.io.out(line);
          }
        }
        if (!flags.watch) break;
        try {
          await runtime.clock.sleep(5000, runtime.deploy.signal);
        } catch {
          break;
        }
      }
    } finally {
      runtime.dispose();
    }
  });
}
