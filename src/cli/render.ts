/**
 * Renders deploy events (architecture.md "Events, not prints"): NDJSON with
 * --output json; otherwise one line per event, and on a TTY the progress
 * events redraw one status line in place instead of scrolling.
 */
import { formatDuration } from '../core/index.js';
import type { DeployEvent } from '../deploy/index.js';
import type { CliIo, OutputFormat } from './context.js';
import { describeStrategyEvent } from './commands/bluegreen.js';
import { describeGuardrailEvent } from './describe-guardrail-event.js';

const time = (s: number) => formatDuration(Math.max(0, s) * 1000);

/** One human line per event; undefined for events only shown with --verbose or in JSON. */
export function describeEvent(e: DeployEvent): string | undefined {
  switch (e.code) {
    case 'plan':
      return `plan: ${e.group} from version ${e.fromVersion} to ${e.toVersion}: replace ${e.replace} of ${e.desired} in ${e.waves} wave(s), surge ${e.surge}, floor ${e.floor} serving${e.maxSizeNeeded > 0 ? `, max size ${e.maxSizeNeeded}` : ''}; about ${time(e.expectedSeconds)}`;
    case 'nothing-to-do':
      return `nothing to do: ${e.reason}`;
    case 'template-version-created':
      return `created launch template ${e.templateId} version ${e.version} (image ${e.imageId})`;
    case 'locked':
      return `locked ${e.group} for deploy ${e.deployId} (${e.lockOwner})`;
    case 'processes-suspended':
      return `suspended ${e.processes.join(', ')} on ${e.group}`;
    case 'processes-resumed':
      return `resumed ${e.processes.join(', ')} on ${e.group}`;
    case 'group-pinned':
      return `group ${e.group} now launches ${e.templateId} version ${e.version}`;
    case 'max-size-raised':
      return `raised MaxSize ${e.from} → ${e.to} for the surge (restored at the end)`;
    case 'wave-started':
      return `wave ${e.wave}: launching ${e.launching} (desired ${e.desired})`;
    case 'instance-launched':
      return `  + ${e.instanceId} launching on version ${e.version}${e.az ? ` in ${e.az}` : ''}`;
    case 'instance-ready':
      return `  ✓ ${e.instanceId} ready after ${time(e.afterSeconds)}`;
    case 'instance-failed':
      return `  ✗ ${e.instanceId} failed before it was ready (${e.reason}); failed launches ${e.failedLaunches}, limit ${e.maxFailedLaunches}`;
    case 'instance-retiring':
      return `  - ${e.instanceId} (version ${e.version}) draining and terminating`;
    case 'instance-gone':
      return `  - ${e.instanceId} gone`;
    case 'progress':
      return `${e.phase}: ${e.onTarget - e.launching} of ${e.startDesired} on version ${e.targetVersion} ready, ${e.launching} launching, ${e.old} old left, serving ${e.serving} (floor ${e.floor})${e.etaSeconds !== undefined ? `, about ${time(e.etaSeconds)} left` : ''}`;
    case 'waiting':
      return `waiting: ${e.what}`;
    case 'rollback-started':
      return `rolling back to version ${e.toVersion}: ${e.reason}`;
    case 'interrupted':
      return `interrupted in phase ${e.phase}; the record is on the group. Continue with \`${e.resumeCommand}\` or undo with \`${e.abortCommand}\``;
    case 'restored':
      return `restored min ${e.min}, max ${e.max}, desired ${e.desired}`;
    case 'unlocked':
      return `released ${e.group}`;
    case 'done': {
      const what = { succeeded: 'deployed', 'rolled-back': 'rolled back to', failed: 'FAILED at', aborted: 'aborted; back on' }[e.outcome];
      return `${what} version ${e.version} in ${time(e.seconds)}; lowest serving ${e.lowestServing} (floor ${e.floor})${e.apiCalls !== undefined ? `, ${e.apiCalls} API calls` : ''}${e.reason ? ` — ${e.reason}` : ''}`;
    }
    case 'warning':
      return `warning: ${e.message}`;
    case 'retry':
    case 'record-written':
      return undefined;
    default:
      return describeGuardrailEvent(e) ?? describeStrategyEvent(e);
  }
}

export interface Renderer {
  event(e: DeployEvent): void;
  /** Ends a live line, if any. */
  close(): void;
}

export function createRenderer(io: CliIo, output: OutputFormat, options: { verbose?: boolean } = {}): Renderer {
  if (output === 'json') {
    return {
      event: (e) => io.out(JSON.stringify({ ...e, time: new Date(e.t).toISOString() })),
      close() {},
    };
  }
  let live = false;
  const clearLive = () => {
    if (live) {
      process.stdout.write('\r\x1b[2K');
      live = false;
    }
  };
  return {
    event(e) {
      const line = describeEvent(e) ?? (options.verbose ? `${e.code} ${JSON.stringify(e)}` : undefined);
      if (line === undefined) return;
      if (io.isTty && e.code === 'progress') {
        clearLive();
        process.stdout.write(line.slice(0, (process.stdout.columns ?? 120) - 1));
        live = true;
        return;
      }
      clearLive();
      io.out(line);
    },
    close: clearLive,
  };
}
