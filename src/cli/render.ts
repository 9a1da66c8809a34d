/**
 * Renders every event of the registry (src/events/): NDJSON with
 * --output json; otherwise one line per event, and on a terminal a live
 * block under them (src/cli/live/) where `progress` and `image-pending`
 * show instead of scrolling. Every write goes through the injected {@link CliIo}.
 */
import { formatDuration } from '../core/index.js';
import { levelOf, toJsonLine, type AnyEvent, type EventCode, type EventOf } from '../events/index.js';
import type { CliIo, OutputFormat } from './context.js';
import { GUARDRAIL_EVENT_LINES } from './describe-guardrail-event.js';
import { createPalette, LiveBlock } from './live/index.js';

const time = (s: number) => formatDuration(Math.max(0, s) * 1000);
const day = (iso: string) => iso.slice(0, 10);

/** What a line may need from the events before it: how the instances counted as launching join (leaving Standby in a blue/green rollback, attached in a swap). */
export interface LineContext {
  joining?: 'launching' | 'leaving Standby' | 'warming up';
}

type Describe<C extends EventCode> = (e: EventOf<C>, context?: LineContext) => string | undefined;

/**
 * What a plan changes, in words: a swap brings prepared instances (no version),
 * and a group already pinned to the target (a shrink or roll after an
 * interrupted pin) is not "from 2 to 2" (issue 10).
 */
function planWhat(e: EventOf<'plan'>): string {
  if (e.strategy === 'swap') return `swap ${e.toVersion} into ${e.group} (now on version ${e.fromVersion})`;
  if (e.fromVersion === e.toVersion) return `${e.group} to version ${e.toVersion} (the group launches it already; its older instances go)`;
  return `${e.group} from version ${e.fromVersion} to ${e.toVersion}`;
}

/** Codes with no line of their own: shown with --verbose, in JSON, or as the command's summary. */
export const SILENT_CODES: ReadonlySet<EventCode> = new Set<EventCode>(['record-written', 'retry', 'bake-done', 'prune-done']);

/**
 * One human line per code; undefined for events shown only with --verbose,
 * in JSON, or as the command's summary. The compiler checks it has every code.
 */
export const EVENT_LINES = {
  plan: (e) =>
    `plan: ${planWhat(e)}: replace ${e.replace} of ${e.desired} in ${e.waves} wave(s), surge ${e.surge}, floor ${e.floor} serving${e.maxSizeNeeded > 0 ? `, max size ${e.maxSizeNeeded}` : ''}; about ${time(e.expectedSeconds)}${e.expectedNote ? ` (${e.expectedNote})` : ''}`,
  'nothing-to-do': (e) => `nothing to do: ${e.reason}`,
  'template-version-created': (e) =>
    e.templateName !== undefined && e.sourceVersion !== undefined
      ? `created ${e.templateName} version ${e.version}: a copy of version ${e.sourceVersion} with ImageId ${e.imageId}`
      : `created launch template ${e.templateId} version ${e.version} (image ${e.imageId})`,
  locked: (e) => `locked ${e.group} for deploy ${e.deployId} (${e.lockOwner})`,
  'record-written': () => undefined,
  'processes-suspended': (e) => `suspended ${e.processes.join(', ')} on ${e.group}`,
  'processes-resumed': (e) => `resumed ${e.processes.join(', ')} on ${e.group}`,
  'group-pinned': (e) => `group ${e.group} now launches ${e.templateId} version ${e.version}`,
  'max-size-raised': (e) => `raised MaxSize ${e.from} → ${e.to} for the surge (restored at the end)`,
  'wave-started': (e) => `wave ${e.wave}: launching ${e.launching}${e.batch !== undefined ? ' more' : ''} (desired ${e.desired})`,
  'instance-launched': (e) => {
    const where = e.az ? ` in ${e.az}` : '';
    if (e.via === 'standby') return `  + ${e.instanceId} leaving Standby, version ${e.version}${where}`;
    if (e.via === 'attach') return `  + ${e.instanceId} attached${e.version === 'prepared' ? ' (prepared)' : `, version ${e.version}`}${where}`;
    return `  + ${e.instanceId} launching on version ${e.version}${where}`;
  },
  'instance-ready': (e) => `  ✓ ${e.instanceId} ready after ${time(e.afterSeconds)}`,
  'instance-failed': (e) => `  ✗ ${e.instanceId} failed before it was ready (${e.reason}); failed launches ${e.failedLaunches}, limit ${e.maxFailedLaunches}`,
  'instance-retiring': (e) => `  - ${e.instanceId}${e.version === '?' ? '' : ` (version ${e.version})`} draining and terminating`,
  'instance-gone': (e) => `  - ${e.instanceId} gone`,
  progress: (e, context) =>
    `${e.phase}: ${e.onTarget - e.launching} of ${e.startDesired} ${e.targetVersion === 'prepared' ? 'prepared instance(s)' : `on version ${e.targetVersion}`} ready, ${e.launching} ${e.phase === 'swap' ? 'warming up' : (context?.joining ?? 'launching')}, ${e.old} old left, serving ${e.serving} (floor ${e.floor})${e.etaSeconds === undefined ? '' : e.etaSeconds > 0 ? `, about ${time(e.etaSeconds)} left` : ', finishing'}${e.etaReason ? ` (${e.etaReason})` : ''}`,
  waiting: (e) => `waiting: ${e.what}`,
  'rollback-started': (e) => `rolling back to version ${e.toVersion}: ${e.reason}`,
  interrupted: (e) => `interrupted in phase ${e.phase}; the record is on the group. Continue with \`${e.resumeCommand}\` or undo with \`${e.abortCommand}\``,
  restored: (e) => `restored min ${e.min}, max ${e.max}, desired ${e.desired}`,
  unlocked: (e) => `released ${e.group}`,
  done: (e) => {
    const what = { succeeded: 'deployed', 'rolled-back': 'rolled back to', failed: 'FAILED at', aborted: 'aborted; back on' }[e.outcome];
    const head = e.outcome === 'succeeded' && e.summary ? e.summary : `${what} version ${e.version}`;
    return `${head} in ${time(e.seconds)}; lowest serving ${e.lowestServing} (floor ${e.floor})${e.apiCalls !== undefined ? `, ${e.apiCalls} API calls` : ''}${e.reason ? ` — ${e.reason}` : ''}`;
  },
  retry: () => undefined,
  warning: (e) => `warning: ${e.message}`,
  // blue/green, swap, shrink
  pair: (e) => `pair ${e.app}: ${e.live} is live (desired ${e.liveDesired}), ${e.idle} is idle`,
  'group-sized': (e) => `${e.group}: min ${e.min}, max ${e.max}, desired ${e.desired} — ${e.why}`,
  'version-tagged': (e) => `${e.group}: tag ${e.key}=${e.value} (copied to new instances)`,
  'policies-moved': (e) => {
    const what = [`${e.policies.length} scaling polic${e.policies.length === 1 ? 'y' : 'ies'}`, `${e.scheduledActions.length} scheduled action(s)`];
    if (e.alarms.length > 0) what.push(`alarm(s) ${e.alarms.join(', ')} re-pointed`);
    return `${e.copyOnly ? 'copied' : 'moved'} ${what.join(', ')} from ${e.from} to ${e.to}`;
  },
  'standby-entered': (e) => `${e.group}: ${e.instanceIds.length} instance(s) into Standby (desired ${e.desired})`,
  'standby-exited': (e) => `${e.group}: ${e.instanceIds.length} instance(s) out of Standby (desired ${e.desired})`,
  'traffic-switched': (e) => `switched: ${e.live} serves (${e.serving} serving, floor ${e.floor}); ${e.standby} keeps the old fleet warm in Standby`,
  'awaiting-decision': (e) =>
    `the old fleet (${e.standbyInstances} instance(s) of ${e.standby}) waits in Standby: keep the new version with \`${e.finishCommand}\`, or go back with \`${e.rollbackCommand}\``,
  'instances-attached': (e) => `${e.group}: attached ${e.instanceIds.join(', ')} (desired ${e.desired})`,
  'instances-detached': (e) => `${e.group}: detached ${e.instanceIds.join(', ')} (they keep running; desired ${e.desired})`,
  'termination-policies-set': (e) => `${e.group}: termination policies ${e.policies.join(', ')}`,
  ...GUARDRAIL_EVENT_LINES,
  'scale-in-protection': (e) => `${e.group}: ${e.protectedFromScaleIn ? 'protected' : 'unprotected'} ${e.instanceIds.length} instance(s) from scale-in`,
  'handed-over': (e) =>
    `gave up: ${e.reason}${e.restored.length > 0 ? ` (resumed ${e.restored.join(', ')})` : ''}; the lock is released and the record is on the group. Continue with \`${e.resumeCommand}\` or undo with \`${e.abortCommand}\``,
  'launch-failed': (e) => `${e.group}: a launch ${e.statusCode.toLowerCase()}: ${e.statusMessage} (failed launches ${e.failedLaunches}/${e.maxFailedLaunches})`,
  'instances-held': (e) => `${e.group}: ${e.instanceIds.length} instance(s) held in ${e.lifecycleState} by a lifecycle hook: ${e.instanceIds.join(', ')}`,
  // bake and prune
  'bake-plan': (e) =>
    `${e.dryRun ? 'would bake' : 'baking'} ${e.imageName} from ${e.instanceId} (${e.reboot ? 'rebooting it' : 'no reboot'}) for ${e.templateName} (${e.templateId}), copying version ${e.sourceVersion}`,
  'image-requested': (e) => `creating image ${e.imageId} (${e.imageName}) from ${e.instanceId}`,
  'image-pending': (e) => `image ${e.imageId} pending for ${time(e.seconds)}${e.snapshotProgress === undefined ? '' : `, snapshots ${e.snapshotProgress}`}`,
  'image-available': (e) => `image ${e.imageId} available after ${time(e.seconds)} (snapshots ${e.snapshotIds.join(', ') || 'none'})`,
  'image-failed': (e) => `image ${e.imageId} failed (${e.state}): ${e.reason}`,
  'default-version-set': (e) => `${e.templateName} default version ${e.previous} → ${e.version}`,
  'bake-done': () => undefined,
  'prune-plan': (e) =>
    `${e.images} image(s) of ${e.app}: keep ${e.keep}; ${e.dryRun ? 'would delete' : 'deleting'} ${e.deleteImages} image(s), ${e.deleteSnapshots} snapshot(s), ${e.deleteVersions} launch template version(s)`,
  'image-kept': (e) => `  keep    ${e.imageId}  ${e.imageName}  ${day(e.createdAt)}  ${e.because.join('; ')}`,
  'image-deregistered': (e) => `  ${e.dryRun ? 'would deregister' : 'deregistered'} ${e.imageId}  ${e.imageName}  ${day(e.createdAt)}`,
  'snapshot-deleted': (e) => `  ${e.dryRun ? 'would delete' : 'deleted'} snapshot ${e.snapshotId} (of ${e.imageId})`,
  'snapshot-kept': (e) => `  kept snapshot ${e.snapshotId} (of ${e.imageId}): ${e.reason}`,
  'version-deleted': (e) => `  ${e.dryRun ? 'would delete' : 'deleted'} ${e.templateName} version ${e.version}${e.imageId === undefined ? '' : ` (image ${e.imageId})`}`,
  'version-kept': (e) => `  kept ${e.templateName} version ${e.version}: ${e.reason}`,
  'prune-done': () => undefined,
  // the CLI
  error: (e) => `error: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}`,
  // The CLI's own results: in text the commands print richer lines themselves; these are the one-line forms.
  'emulator-listening': (e) => `asg-deploy emulator listening on ${e.endpoint} (speed ${e.speed}×, seed ${e.seed})`,
  'demo-summary': (e) => `demo: ${e.acts.length} act(s): ${e.acts.map((a) => a.name).join(', ')}`,
  'report-written': (e) => `wrote the report of deploy ${e.deployId ?? '(unrecorded)'} on ${e.groups.join(' + ')} (${e.outcome}) to ${e.path}`,
  status: (e) => `${e.group ?? 'the group'}: desired ${e.desiredCapacity} (min ${e.minSize}, max ${e.maxSize}), serving ${e.serving}, ${e.instances.length} instance(s)`,
  history: (e) =>
    e.kind === 'activity'
      ? `${e.started}  ${e.group ?? ''} activity ${e.status ?? ''}: ${e.description ?? ''}`.replace(/ {2,}(?=\S)/g, '  ')
      : `${e.started}  deploy ${e.id ?? '(unrecorded)'}${e.outcome ? ` ${e.outcome}` : ''}${e.fromVersion && e.toVersion ? `, version ${e.fromVersion} → ${e.toVersion}` : ''}`,
  'iam-policy': (e) => `the least-privilege IAM policy for ${e.commands.join(', ')}${e.groups.length > 0 ? ` on ${e.groups.join(', ')}` : ''}`,
  rehearsal: (e) => `rehearsal of ${e.group ?? 'the group'}: the deploy ${e.succeeded ? 'succeeded' : 'failed'} on the copy; lowest serving ${e.lowestServing}, about ${e.apiCalls} AWS calls`,
} satisfies { [C in EventCode]: Describe<C> };

/** One human line for an event, or undefined when it has none (see {@link EVENT_LINES}). */
export function describeEvent(e: AnyEvent, context?: LineContext): string | undefined {
  return (EVENT_LINES[e.code] as Describe<EventCode>)(e as EventOf<EventCode>, context);
}

/** Codes shown only in the live block on a terminal (elsewhere as lines): they change too often to scroll. */
const LIVE_CODES: ReadonlySet<EventCode> = new Set<EventCode>(['progress', 'image-pending']);

/** How often (simulated seconds) a pending image gets a line when there is no live block. */
const PENDING_LINE_EVERY_S = 60;

export interface Renderer {
  event(e: AnyEvent): void;
  /** Erases the live block, if any, and stops its timer. */
  close(): void;
}

export interface RendererOptions {
  verbose?: boolean;
  /** Colour on a terminal (default: the IO's `color`); never in plain lines off a terminal, nor in JSON. */
  color?: boolean;
  /** The tool's clock, for the live block's elapsed time and ETA (default: the last event's `t`, moved on in real time). */
  now?: () => number;
}

/**
 * NDJSON with --output json; otherwise one line per event, and on a terminal
 * that can redraw (`io.liveBlock`) a live block under those lines: a bar per
 * wave, instance states, serving against the floor, elapsed time and the ETA,
 * redrawn every second (src/cli/live/).
 */
export function createRenderer(io: CliIo, output: OutputFormat, options: RendererOptions = {}): Renderer {
  if (output === 'json') {
    return { event: (e) => io.out(toJsonLine(e)), close() {} };
  }
  let lastT = 0;
  let lastAt = Date.now();
  const now = options.now ?? (() => lastT + (Date.now() - lastAt));
  const palette = createPalette(io.isTty && (options.color ?? io.color ?? false));
  const block =
    io.isTty && io.liveBlock
      ? new LiveBlock((lines) => io.liveBlock!(lines), { now, palette, columns: () => io.columns ?? 80, ...(io.everySecond ? { everySecond: io.everySecond } : {}) })
      : undefined;
  let lastPendingLine = -Infinity;
  // Instances that leave Standby (a blue/green rollback) are not launching: progress says what they do (issue 10).
  const context: LineContext = {};
  /** On a terminal, warnings and errors stand out; plain lines stay plain. */
  const tint = (e: AnyEvent, line: string) => {
    const level = levelOf(e);
    return level === 'error' ? palette.red(line) : level === 'warn' ? palette.yellow(line) : line;
  };
  return {
    event(e) {
      lastT = e.t;
      lastAt = Date.now();
      block?.apply(e);
      if (e.code === 'plan' || e.code === 'locked') context.joining = undefined;
      if (e.code === 'instance-launched') context.joining = e.via === 'standby' ? 'leaving Standby' : e.via === 'attach' ? 'warming up' : 'launching';
      // The run ended: erase the block before the last lines (done, interrupted, …).
      if (block && !block.active) block.close();
      const hidden = levelOf(e) === 'debug' && !options.verbose;
      const line = hidden ? undefined : (describeEvent(e, context) ?? (options.verbose ? `${e.code} ${JSON.stringify(e)}` : undefined));
      const live = LIVE_CODES.has(e.code);
      if (line !== undefined && !(live && block)) {
        if (e.code === 'image-pending' && !options.verbose && e.seconds - lastPendingLine < PENDING_LINE_EVERY_S) {
          // Off a terminal a pending image gets a line a minute, not one per poll.
        } else {
          if (e.code === 'image-pending') lastPendingLine = e.seconds;
          io.out(tint(e, line));
        }
      }
      if (block?.active) block.redraw();
    },
    close: () => block?.close(),
  };
}
