/**
 * The lines `status` adds for a deploy's guardrails (issue 9, deliver 5): what
 * the deploy stored (checkpoints, bake time, the check command that a resume
 * runs on the resuming machine, --no-rollback), paused at a checkpoint (since
 * when, until when or until `continue`), the bake time left, a signal not yet
 * picked up, and the watched alarms' states as CloudWatch has them now.
 * Self-contained: the status command appends `guardrailStatusLines(status.guardrails, now)`.
 */
import type { AlarmState } from '../aws/index.js';
import { DEFAULT_CHECK_TIMEOUT_MS, formatCheckpoints, formatDuration } from '../core/index.js';
import type { GuardrailView, WatchedAlarm } from '../deploy/status.js';

function alarmText(a: WatchedAlarm | AlarmState): string {
  return `${a.name} ${a.state}${a.state === 'ALARM' && a.reason ? ` (${a.reason})` : ''}`;
}

export function guardrailStatusLines(status: GuardrailView, now: number, alarms: readonly AlarmState[] = []): string[] {
  const lines: string[] = [];
  const ago = (t: number) => formatDuration(Math.max(0, now - t));
  const s = status.settings;
  if (s) {
    const parts = [
      ...(s.checkpoints === undefined ? [] : [`checkpoints ${formatCheckpoints(s.checkpoints)} (${s.checkpointPause?.kind === 'wait' ? 'wait for `asg-deploy continue`' : `pause ${formatDuration(s.checkpointPause?.ms ?? 3_600_000)}`})`]),
      ...(s.bakeTimeMs === undefined ? [] : [`bake time ${formatDuration(s.bakeTimeMs)}`]),
      ...(s.noRollback ? ['no rollback (started with --no-rollback)'] : []),
    ];
    if (parts.length > 0) lines.push(`    guardrails: ${parts.join('; ')}`);
    if (s.check !== undefined) lines.push(`    check per new instance (limit ${formatDuration(s.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS)}), run by the machine that runs or resumes the deploy: ${s.check}`);
    if ((s.unstored ?? []).length > 0) lines.push(`    not stored (a resume runs without them unless given again): ${s.unstored!.join(', ')}`);
    if (s.unreadable !== undefined) lines.push(`    guardrails stored on the group cannot be read: ${s.unreadable}`);
  }
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
  const shown: readonly (WatchedAlarm | AlarmState)[] = status.alarms ?? alarms;
  if (shown.length > 0) lines.push(`    alarms: ${shown.map(alarmText).join(', ')}`);
  else if (status.alarmsError !== undefined && s) lines.push(`    alarms ${s.alarms.join(', ')}: states not read (${status.alarmsError})`);
  return lines;
}
