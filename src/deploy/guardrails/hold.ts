/**
 * The two waits a guardrail asks of the engine, written once so every
 * strategy waits the same way: a checkpoint pause ({@link holdAtCheckpoint})
 * and the bake time ({@link holdForBake}). Both keep running the engine's
 * checks (`watch`: every guardrail's watch, health, and the lock heartbeat)
 * at each poll, say where they are on the group (pause-tags.ts), sleep on the
 * injected Clock, and end early on the deploy's AbortSignal (the rejection
 * is the signal's reason: the engine turns it into its interrupted result).
 *
 * @example
 *   const out = await holdAtCheckpoint(gctx, { request, watch: () => engine.watchAll() });
 *   if (out.kind === 'stopped') return rollBack(out.verdict.reason);
 *   if (out.kind === 'abort-requested') return rollBack('aborted by request', 'aborted');
 */
import type { GuardContext, GuardVerdict, PauseRequest } from '../guardrail.js';
import {
  BAKE_TAG,
  CHECKPOINT_TAG,
  SIGNAL_TAG,
  encodeBakeMark,
  encodeCheckpointMark,
  readBakeMark,
  readSignal,
  writeTag,
  type CheckpointMark,
  type PauseSignal,
} from './pause-tags.js';

/** How often a hold polls when the engine gives no interval (deploy/context.ts DEFAULT_POLL_INTERVAL_MS). */
export const DEFAULT_HOLD_POLL_MS = 5_000;

export interface HoldAtCheckpointOptions {
  /** As pauseAfter returned it; a checkpoint guardrail's request names its checkpoint. */
  request: PauseRequest & { readonly checkpoint?: { readonly percent: number; readonly passed: number } };
  /** The checkpoint reached (what `continue` names). Default: the request's, else 0. */
  percent?: number;
  /** The highest checkpoint passed before it. Default: the request's, else 0. */
  passed?: number;
  /** The engine's checks, run at every poll; a failing verdict ends the pause. */
  watch: () => Promise<GuardVerdict>;
  pollMs?: number;
}

export type HoldOutcome =
  | { readonly kind: 'continued'; readonly by: 'timer' | 'continue'; readonly pausedMs: number }
  | { readonly kind: 'stopped'; readonly verdict: Extract<GuardVerdict, { ok: false }> }
  | { readonly kind: 'abort-requested'; readonly by: string };

function signalFor(signal: PauseSignal | undefined, deployId: string, percent: number): PauseSignal | undefined {
  if (signal === undefined || signal.deployId !== deployId) return undefined;
  // A continue given for an earlier checkpoint (read late) must not skip this one; an abort always counts.
  if (signal.action === 'continue' && signal.percent !== undefined && signal.percent !== percent) return undefined;
  return signal;
}

/**
 * Holds the launches at a checkpoint: writes the pause on the group, then
 * until the time is up (`for`) or a `continue` arrives (`until-continued`)
 * keeps watching. Ends on a failing check (`stopped`), on `abort` from another
 * machine (`abort-requested`), or by going on (`continued`).
 */
export async function holdAtCheckpoint(ctx: GuardContext, options: HoldAtCheckpointOptions): Promise<HoldOutcome> {
  const { clock } = ctx;
  const pollMs = options.pollMs ?? DEFAULT_HOLD_POLL_MS;
  const percent = options.percent ?? options.request.checkpoint?.percent ?? 0;
  const passed = options.passed ?? options.request.checkpoint?.passed ?? 0;
  // The pause starts at one instant, read once: the tag on the group, the event's `t` and `until`, and the
  // time waited all use it. Reading the clock again after the tag write (an AWS call: seconds of simulated
  // time under load) made the event say the pause began later than the engine counted it from.
  const since = clock.now();
  const until = options.request.kind === 'for' ? since + options.request.ms : undefined;
  const mark: CheckpointMark = { deployId: ctx.deployId, percent, state: 'paused', passed, since, ...(until === undefined ? {} : { until }) };
  const at = (t: number) => ({ t, deployId: ctx.deployId, group: ctx.group });
  await writeTag(ctx.aws.autoscaling, ctx.group, CHECKPOINT_TAG, encodeCheckpointMark(mark));
  ctx.emit({
    ...at(since),
    code: 'checkpoint-paused',
    percent,
    ...(until === undefined ? {} : { until }),
    continueCommand: `asg-deploy continue ${ctx.group}`,
    abortCommand: `asg-deploy abort ${ctx.group}`,
  });

  // `ended` is the instant the pause was found over (the same reading that decided it): the event's `t`
  // and pausedSeconds use it, so `t` − the paused event's `t` is the pause the engine kept, never less than
  // the duration asked for. Nothing launches until this function returns, after the tag writes.
  const finish = async (by: 'timer' | 'continue', hadSignal: boolean, ended: number): Promise<HoldOutcome> => {
    await writeTag(ctx.aws.autoscaling, ctx.group, CHECKPOINT_TAG, encodeCheckpointMark({ ...mark, state: 'continued' }));
    if (hadSignal) await ctx.aws.autoscaling.deleteTags(ctx.group, [SIGNAL_TAG]);
    const pausedMs = ended - since;
    ctx.emit({ ...at(ended), code: 'checkpoint-continued', percent, by, pausedSeconds: pausedMs / 1000 });
    return { kind: 'continued', by, pausedMs };
  };

  for (;;) {
    const verdict = await options.watch();
    if (!verdict.ok) return { kind: 'stopped', verdict };
    const { group } = await ctx.aws.autoscaling.describeGroup(ctx.group);
    const now = clock.now();
    const signal = signalFor(readSignal(group), ctx.deployId, percent);
    if (signal?.action === 'abort') {
      await ctx.aws.autoscaling.deleteTags(ctx.group, [SIGNAL_TAG]);
      return { kind: 'abort-requested', by: signal.by };
    }
    if (signal?.action === 'continue') return finish('continue', true, now);
    if (until !== undefined && now >= until) return finish('timer', false, now);
    const wait = until === undefined ? pollMs : Math.min(pollMs, until - now);
    await clock.sleep(wait, ctx.signal);
  }
}

export interface HoldForBakeOptions {
  ms: number;
  watch: () => Promise<GuardVerdict>;
  pollMs?: number;
}

export type BakeOutcome = { readonly kind: 'baked' } | { readonly kind: 'stopped'; readonly verdict: Extract<GuardVerdict, { ok: false }>; readonly afterMs: number };

/**
 * The bake time (`--bake-time`): after the last replacement (after the switch,
 * for blue/green) keep running the checks this long before calling the deploy
 * done, like Instance Refresh's BakeTime. A failing verdict ends it: the engine
 * then rolls back (for blue/green, from Standby). Writes its end time on the
 * group so `status` shows the time left; the engine's clearGuardrailTags removes it.
 */
export async function holdForBake(ctx: GuardContext, options: HoldForBakeOptions): Promise<BakeOutcome> {
  const { clock } = ctx;
  const pollMs = options.pollMs ?? DEFAULT_HOLD_POLL_MS;
  // A bake this deploy started before it was interrupted goes on from where it was (issue 9: a resume
  // bakes the rest, not all of it again), counted from when it began; else it starts now.
  const { group } = await ctx.aws.autoscaling.describeGroup(ctx.group);
  // As for a pause: the start is read once (after the group is read, before the tag is written) and the tag,
  // the bake-started event (`t`, `seconds`, `until`) and the wait all use that one instant.
  const started = clock.now();
  const earlier = readBakeMark(group);
  const resumed = earlier !== undefined && earlier.deployId === ctx.deployId && earlier.since <= started;
  const since = resumed ? earlier.since : started;
  const until = since + options.ms;
  const at = (t: number) => ({ t, deployId: ctx.deployId, group: ctx.group });
  await writeTag(ctx.aws.autoscaling, ctx.group, BAKE_TAG, encodeBakeMark({ deployId: ctx.deployId, since, until }));
  ctx.emit({ ...at(started), code: 'bake-started', seconds: Math.max(0, until - started) / 1000, until });
  for (;;) {
    const verdict = await options.watch();
    // One reading per poll decides and dates what follows (bake-ended's `t` and `seconds`, the wait).
    const now = clock.now();
    if (!verdict.ok) {
      const afterMs = now - since;
      ctx.emit({ ...at(now), code: 'bake-ended', seconds: afterMs / 1000, ok: false, reason: verdict.reason });
      return { kind: 'stopped', verdict, afterMs };
    }
    if (now >= until) {
      ctx.emit({ ...at(now), code: 'bake-ended', seconds: (now - since) / 1000, ok: true });
      return { kind: 'baked' };
    }
    await clock.sleep(Math.min(pollMs, until - now), ctx.signal);
  }
}
