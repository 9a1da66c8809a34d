/**
 * The lines `status` adds for a deploy's guardrails: paused at a checkpoint
 * (since when, until when or until `continue`), the bake time left, a signal
 * not yet picked up, and the watched alarms' states. Self-contained: the
 * status command appends `guardrailStatusLines(guardrailStatus(group), now, alarms)`.
 */
import type { AlarmState } from '../aws/index.js';
import { formatDuration } from '../core/index.js';
import type { GuardrailStatus } from '../deploy/guardrails/index.js';

export function guardrailStatusLines(status: GuardrailStatus, now: number, alarms: readonly AlarmState[] = []): string[] {
  const lines: string[] = [];
  const ago = (t: number) => formatDuration(Math.max(0, now - t));
  if (status.paused) {
    const p = status.paused;
    lines.push(
      p.until === undefined
        ? `    paused at the ${p.percent}% checkpoint for ${ago(p.since)}, waiting for \`asg-deploy continue\` (or \`asg-deploy abort\`)`
        : `    paused at the ${p.percent}% checkpoint, ${formatDuration(Math.max(0, p.until - now))} left (\`asg-deploy continue\` goes on now)`,
    );
  }
  if (status.baking) lines.push(`    bake time: ${formatDuration(Math.max(0, status.baking.until - now))} left of ${formatDuration(status.baking.until - status.baking.since)}`);
  if (status.pendingSignal) lines.push(`    ${status.pendingSignal.action} signalled by ${status.pendingSignal.by} ${ago(status.pendingSignal.at)} ago, not yet picked up`);
  if (alarms.length > 0) lines.push(`    alarms: ${alarms.map((a) => `${a.name} ${a.state}`).join(', ')}`);
  return lines;
}
