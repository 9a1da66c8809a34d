/** Human lines for the guardrail events (alarms, checkpoints, bake time, checks), one per code; render.ts spreads them into its table. */
import { formatDuration } from '../core/index.js';
import type { EventOf, GuardrailEventPayloads } from '../events/index.js';

const time = (s: number) => formatDuration(Math.max(0, s) * 1000);

export const GUARDRAIL_EVENT_LINES: { [C in keyof GuardrailEventPayloads]: (e: EventOf<C>) => string | undefined } = {
  'alarm-watched': (e) => `watching alarm${e.alarms.length > 1 ? 's' : ''} ${e.alarms.map((a) => `${a.name} (${a.state})`).join(', ')}`,
  'alarm-state-changed': (e) => `alarm ${e.alarm}: ${e.from} → ${e.to}${e.reason ? ` (${e.reason})` : ''}`,
  'checkpoint-reached': (e) => `checkpoint ${e.percent}%: ${e.onTarget} of ${e.total} instances on the new version`,
  'checkpoint-paused': (e) =>
    e.until === undefined
      ? `paused at ${e.percent}%: \`${e.continueCommand}\` to go on, \`${e.abortCommand}\` to undo`
      : `paused at ${e.percent}% until ${new Date(e.until).toISOString()} (\`${e.continueCommand}\` goes on now, \`${e.abortCommand}\` undoes)`,
  'checkpoint-continued': (e) => `going on from ${e.percent}% after ${time(e.pausedSeconds)} (${e.by === 'continue' ? 'continue' : 'pause over'})`,
  'bake-started': (e) => `baking: watching for ${time(e.seconds)} before calling it done`,
  'bake-ended': (e) => (e.ok ? `bake time over after ${time(e.seconds)}: all checks held` : `bake time stopped after ${time(e.seconds)}: ${e.reason ?? 'a check failed'}`),
  'check-passed': (e) => `check passed on ${e.instanceId} (${time(e.seconds)})`,
  'check-failed': (e) => [`check failed: ${e.reason}`, ...e.output.slice(-5).map((l) => `  | ${l}`)].join('\n'),
  'guardrails-resumed': (e) => {
    const parts = [
      ...(e.alarms.length > 0 ? [`alarms ${e.alarms.join(', ')}`] : []),
      ...(e.checkpoints === undefined ? [] : [`checkpoints ${e.checkpoints} (${e.checkpointPause === 'wait' ? 'wait for continue' : `pause ${e.checkpointPause ?? '1h'}`})`]),
      ...(e.bakeSeconds === undefined ? [] : [`bake time ${time(e.bakeSeconds)}`]),
      ...(e.check === undefined ? [] : [`check on this machine (limit ${time(e.checkTimeoutSeconds ?? 300)}): ${e.check}`]),
      ...(e.noRollback ? ['no rollback'] : []),
    ];
    const flags = e.fromFlags.length > 0 ? ` (${e.fromFlags.join(', ')} from the command line)` : '';
    return `resuming with the deploy's guardrails${flags}: ${parts.length > 0 ? parts.join('; ') : 'none'}`;
  },
  'continue-signalled': (e) => `continue signalled at the ${e.percent}% checkpoint by ${e.by}; the deploy goes on at its next poll`,
};
