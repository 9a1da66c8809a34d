/** Human lines for the guardrail events (alarms, checkpoints, bake time, checks); undefined for any other event. */
import { formatDuration } from '../core/index.js';
import type { DeployEvent } from '../deploy/index.js';

const time = (s: number) => formatDuration(Math.max(0, s) * 1000);

export function describeGuardrailEvent(e: DeployEvent): string | undefined {
  switch (e.code) {
    case 'alarm-watched':
      return `watching alarm${e.alarms.length > 1 ? 's' : ''} ${e.alarms.map((a) => `${a.name} (${a.state})`).join(', ')}`;
    case 'alarm-state-changed':
      return `alarm ${e.alarm}: ${e.from} → ${e.to}${e.reason ? ` (${e.reason})` : ''}`;
    case 'checkpoint-reached':
      return `checkpoint ${e.percent}%: ${e.onTarget} of ${e.total} instances on the new version`;
    case 'checkpoint-paused':
      return e.until === undefined
        ? `paused at ${e.percent}%: \`${e.continueCommand}\` to go on, \`${e.abortCommand}\` to undo`
        : `paused at ${e.percent}% until ${new Date(e.until).toISOString()} (\`${e.continueCommand}\` goes on now, \`${e.abortCommand}\` undoes)`;
    case 'checkpoint-continued':
      return `going on from ${e.percent}% after ${time(e.pausedSeconds)} (${e.by === 'continue' ? 'continue' : 'pause over'})`;
    case 'bake-started':
      return `baking: watching for ${time(e.seconds)} before calling it done`;
    case 'bake-ended':
      return e.ok ? `bake time over after ${time(e.seconds)}: all checks held` : `bake time stopped after ${time(e.seconds)}: ${e.reason ?? 'a check failed'}`;
    case 'check-passed':
      return `check passed on ${e.instanceId} (${time(e.seconds)})`;
    case 'check-failed':
      return [`check failed: ${e.reason}`, ...e.output.slice(-5).map((l) => `  | ${l}`)].join('\n');
    default:
      return undefined;
  }
}
