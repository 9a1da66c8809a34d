/**
 * The emulated world: one simulation (clock, event queue, seeded randomness,
 * recorded history) holding one state per region. Each service keeps its own
 * part of a region's state (services/<service>/state.ts); they reach each other
 * only through the functions each service exports for that purpose and through
 * the history's change feed (a target turning unhealthy wakes the Auto Scaling
 * controller, E-6).
 */
import type { Clock } from '../clock/index.js';
import { History } from './history.js';
import { isKnownRegion } from './regions.js';
import { Rng } from './rng.js';
import { Scheduler } from './scheduler.js';
import { createEc2State, type Ec2State } from './services/ec2/state.js';
import { createElbv2State, type Elbv2State } from './services/elbv2/state.js';
import { createAutoScalingState, type AutoScalingState } from './services/autoscaling/state.js';
import { createCloudWatchState, type CloudWatchState } from './services/cloudwatch/state.js';

export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';

/** A clock the admin API can steer (E-2, E-20): ScaledClock and ManualClock both fit. */
export interface SteerableClock extends Clock {
  advance(ms: number): void;
  setSpeed?(speed: number): void;
}

export interface RegionState {
  readonly region: string;
  readonly accountId: string;
  /** The region's availability zones, e.g. us-east-1a, -1b, -1c. */
  readonly availabilityZones: readonly string[];
  readonly ec2: Ec2State;
  readonly elbv2: Elbv2State;
  readonly autoscaling: AutoScalingState;
  readonly cloudwatch: CloudWatchState;
}

/** Launch failures and outages injected through the admin API (E-20). */
export interface Faults {
  /** Per action name ('*' for all) and service ('*' for all): a fraction of calls answered with throttling or a 5xx. */
  calls: { service: string; action: string; rate: number; kind: 'throttle' | 'server-error' }[];
  /** AZ name → EC2 error code returned for launches there (e.g. InsufficientInstanceCapacity). */
  launchFailures: Map<string, string>;
  /** AZs that are down: no launches succeed there and running instances there fail their checks. */
  azOutages: Set<string>;
}

export interface SimulationOptions {
  clock: SteerableClock;
  seed?: number;
  accountId?: string;
  /** Entries kept in the history ring (E-41); default DEFAULT_HISTORY_SIZE. */
  historySize?: number;
}

export class Simulation {
  readonly clock: SteerableClock;
  readonly scheduler: Scheduler;
  readonly history: History;
  readonly accountId: string;
  readonly seed: number;
  rng: Rng;
  faults: Faults = { calls: [], launchFailures: new Map(), azOutages: new Set() };
  private regions = new Map<string, RegionState>();
  private regionInits: ((region: RegionState) => void)[] = [];

  constructor(options: SimulationOptions) {
    this.clock = options.clock;
    this.seed = options.seed ?? 1;
    this.rng = new Rng(this.seed);
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.history = new History(options.historySize);
    this.scheduler = new Scheduler(options.clock.now());
  }

  /** The simulation's present instant (ms since epoch): the due time of the event being run, or the last catch-up. */
  get now(): number {
    return this.scheduler.now;
  }

  /** Fires every event that has come due on the clock. Called before each request and by the pump. */
  catchUp(): void {
    this.scheduler.runUntil(this.clock.now());
  }

  /** Registers something to run on each region as it is first created (e.g. base images, default VPC). */
  onRegionCreated(init: (region: RegionState) => void): void {
    this.regionInits.push(init);
    for (const r of this.regions.values()) init(r);
  }

  /**
   * The state of region `name`, created on first use. Only AWS's own region
   * names exist (E-40): the HTTP adapter refuses the others before this, and a
   * caller in this process that asks for a made-up one is told so.
   */
  region(name: string): RegionState {
    let state = this.regions.get(name);
    if (!state) {
      if (!isKnownRegion(name)) throw new Error(`"${name}" is not an AWS region; the emulator only creates AWS's regions (src/emulator/regions.ts)`);
      state = this.emptyRegionState(name);
      this.regions.set(name, state);
      for (const init of this.regionInits) init(state);
    }
    return state;
  }

  /** A region's state with every service's part empty: what a new region starts from, before the region inits run. */
  emptyRegionState(name: string): RegionState {
    return {
      region: name,
      accountId: this.accountId,
      availabilityZones: ['a', 'b', 'c'].map((s) => `${name}${s}`),
      ec2: createEc2State(),
      elbv2: createElbv2State(),
      autoscaling: createAutoScalingState(),
      cloudwatch: createCloudWatchState(),
    };
  }

  /**
   * Puts back a region loaded from a state file (E-23). The region inits do not
   * run (base images and the default network are in the loaded state); the
   * caller re-arms the region's pending work (persistence/state-parts.ts).
   */
  restoreRegion(state: RegionState): void {
    if (!isKnownRegion(state.region)) throw new Error(`"${state.region}" is not an AWS region`);
    this.regions.set(state.region, state);
  }

  allRegions(): RegionState[] {
    return [...this.regions.values()];
  }

  /** Forgets everything (admin reset): regions, queued events, history, faults; reseeds. */
  reset(seed = this.seed): void {
    this.regions.clear();
    this.scheduler.clear(this.clock.now());
    this.history.clear();
    this.rng = new Rng(seed);
    this.faults = { calls: [], launchFailures: new Map(), azOutages: new Set() };
  }
}

/** What every handler gets: the simulation, the region from the request's SigV4 scope, and the request id. */
export interface RequestContext {
  readonly sim: Simulation;
  readonly region: RegionState;
  readonly requestId: string;
}

/**
 * A pure operation handler: parsed input (the SDK v3 input shape, built by the
 * protocol layer from the service model) → output object (the SDK v3 output
 * shape; `undefined` members are omitted). Throws AwsError for AWS errors.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (ctx: RequestContext, input: any) => unknown;

export type ServiceHandlers = Readonly<Record<string, Handler>>;
