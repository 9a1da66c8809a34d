/**
 * What the live block shows, built from the event stream alone (so it works
 * the same for a fresh deploy, a resume, a rollback and a bake): a pure
 * reducer, `reduceLiveState(state, event) → state`. Times are the events' `t`
 * (the tool's clock: simulated under --time-scale); the view adds `now`.
 */
import type { AnyEvent, EventOf } from '../../events/index.js';

/** Where a new instance is on its way to serving. */
export type LiveInstanceState = 'launching' | 'ready' | 'failed';

export interface LiveInstance {
  id: string;
  version: string;
  state: LiveInstanceState;
  /** How it joined: launched, or (blue/green rollback) leaving Standby, or (swap) attached. */
  via: 'launch' | 'standby' | 'attach';
  /** When it joined (event `t`). */
  since: number;
}

export interface LiveWave {
  wave: number;
  /** The plan's wave count when the wave started (extra waves, e.g. to even out AZs, can make `wave > waves`). */
  waves: number;
  /** How many instances the wave launches (0 when instances join without a wave: leaving Standby, attached). */
  launching: number;
  instances: LiveInstance[];
}

export interface LiveState {
  /** A deploy or bake is under way: the block is shown. */
  active: boolean;
  /** When the run began (event `t`): elapsed counts from here. */
  startedAt?: number;
  group?: string;
  plan?: Pick<EventOf<'plan'>, 'strategy' | 'fromVersion' | 'toVersion' | 'desired' | 'floor' | 'waves' | 'expectedSeconds'>;
  waves: LiveWave[];
  /**
   * Instances this run took out (draining and terminating, or already gone).
   * No event says when termination ends, so the block counts them as retired, not as draining.
   */
  retired: string[];
  progress?: EventOf<'progress'>;
  rollback?: { toVersion: string; reason: string; t: number };
  /** A checkpoint pause: `until` for a timed one, none for `wait` (until `continue`). */
  pause?: { percent: number; until?: number; continueCommand: string; t: number };
  bake?: { until: number };
  alarms: { name: string; state: string }[];
  checks: { passed: number; failed: number };
  failedLaunches?: { count: number; max: number };
  held?: { lifecycleState: string; count: number };
  waiting?: { what: string; t: number };
  /** `bake`: the image being created. */
  image?: { imageId: string; since: number; snapshotProgress?: string };
}

export function initialLiveState(): LiveState {
  return { active: false, waves: [], retired: [], alarms: [], checks: { passed: 0, failed: 0 } };
}

function withInstance(state: LiveState, id: string, change: (i: LiveInstance) => LiveInstance): LiveState {
  return {
    ...state,
    waves: state.waves.map((w) => (w.instances.some((i) => i.id === id) ? { ...w, instances: w.instances.map((i) => (i.id === id ? change(i) : i)) } : w)),
  };
}

/** The state after one more event. Codes it does not show leave it as it is. */
export function reduceLiveState(state: LiveState, e: AnyEvent): LiveState {
  switch (e.code) {
    case 'plan':
      // A new deploy (the demo and `bake --roll` run several through one renderer): start over.
      return {
        ...initialLiveState(),
        group: e.group,
        startedAt: e.t,
        plan: { strategy: e.strategy, fromVersion: e.fromVersion, toVersion: e.toVersion, desired: e.desired, floor: e.floor, waves: e.waves, expectedSeconds: e.expectedSeconds },
      };
    case 'locked':
      // A dry run plans but never locks: the block appears once the deploy really starts (or resumes).
      return { ...state, active: true, startedAt: state.startedAt ?? e.t, group: state.group ?? e.group };
    case 'wave-started': {
      // A further batch of the wave on screen joins its bar.
      const current = state.waves[state.waves.length - 1];
      if (e.batch !== undefined && current?.wave === e.wave) {
        return { ...state, active: true, waves: [...state.waves.slice(0, -1), { ...current, launching: current.launching + e.launching }] };
      }
      return {
        ...state,
        active: true,
        startedAt: state.startedAt ?? e.t,
        waves: [...state.waves, { wave: e.wave, waves: e.waves, launching: e.launching, instances: [] }],
      };
    }
    case 'instance-launched': {
      const instance: LiveInstance = { id: e.instanceId, version: e.version, state: 'launching', via: e.via ?? 'launch', since: e.t };
      const waves = state.waves.length > 0 ? state.waves : [{ wave: 1, waves: 1, launching: 0, instances: [] }];
      const last = waves[waves.length - 1]!;
      return { ...state, active: true, startedAt: state.startedAt ?? e.t, waves: [...waves.slice(0, -1), { ...last, instances: [...last.instances, instance] }] };
    }
    case 'instance-ready':
      return withInstance(state, e.instanceId, (i) => ({ ...i, state: 'ready', since: e.t }));
    case 'instance-failed':
      return { ...withInstance(state, e.instanceId, (i) => ({ ...i, state: 'failed', since: e.t })), failedLaunches: { count: e.failedLaunches, max: e.maxFailedLaunches } };
    case 'launch-failed':
      return { ...state, failedLaunches: { count: e.failedLaunches, max: e.maxFailedLaunches } };
    case 'instance-retiring':
    case 'instance-gone':
      return state.retired.includes(e.instanceId) ? state : { ...state, retired: [...state.retired, e.instanceId] };
    case 'progress':
      return { ...state, active: true, startedAt: state.startedAt ?? e.t, progress: e, waiting: undefined, held: undefined };
    case 'waiting':
      return { ...state, waiting: { what: e.what, t: e.t } };
    case 'instances-held':
      return { ...state, held: { lifecycleState: e.lifecycleState, count: e.instanceIds.length } };
    case 'rollback-started':
      return { ...state, rollback: { toVersion: e.toVersion, reason: e.reason, t: e.t }, pause: undefined, bake: undefined };
    case 'checkpoint-paused':
      return { ...state, pause: { percent: e.percent, until: e.until, continueCommand: e.continueCommand, t: e.t } };
    case 'checkpoint-continued':
      return { ...state, pause: undefined };
    case 'bake-started':
      return { ...state, bake: { until: e.until } };
    case 'bake-ended':
      return { ...state, bake: undefined };
    case 'alarm-watched':
      return { ...state, alarms: e.alarms.map((a) => ({ name: a.name, state: a.state })) };
    case 'alarm-state-changed': {
      const known = state.alarms.some((a) => a.name === e.alarm);
      return { ...state, alarms: known ? state.alarms.map((a) => (a.name === e.alarm ? { ...a, state: e.to } : a)) : [...state.alarms, { name: e.alarm, state: e.to }] };
    }
    case 'check-passed':
      return { ...state, checks: { ...state.checks, passed: state.checks.passed + 1 } };
    case 'check-failed':
      return { ...state, checks: { ...state.checks, failed: state.checks.failed + 1 } };
    case 'image-requested':
      return { ...initialLiveState(), active: true, startedAt: e.t, image: { imageId: e.imageId, since: e.t } };
    case 'image-pending':
      return { ...state, active: true, startedAt: state.startedAt ?? e.t - e.seconds * 1000, image: { imageId: e.imageId, since: state.image?.since ?? e.t - e.seconds * 1000, snapshotProgress: e.snapshotProgress } };
    case 'image-available':
    case 'image-failed':
    case 'bake-done':
      // The image is settled: a `bake --roll` goes on with a plan of its own.
      return initialLiveState();
    case 'done':
    case 'interrupted':
    case 'handed-over':
    case 'nothing-to-do':
    case 'error':
      // The run is over: the block goes (its last facts are in the lines above), and the next run starts clean.
      return initialLiveState();
    default:
      return state;
  }
}
