/**
 * The parts of a region's state and how each one's pending work comes back
 * after a load (E-23, docs/emulator-state.md).
 *
 * The state itself is saved whole (state-codec.ts: every Map, Set and object
 * reachable from the RegionState, shared references kept), so new data joins
 * without code here. What does not travel is pending work: closures on the
 * scheduler. Each part therefore names the fields it knows about and a
 * `rehydrate` that arms its timers again from the loaded data (due instants
 * stored in the state, or the inert handles the codec restores in place of
 * scheduler handles). After every part has run, a handle still inert is a
 * bug: the load fails naming where it was (state-snapshot.ts).
 *
 * Adding state? Add the field to the part's `fields` below (the test
 * test/emulator/state-file.test.ts fails until you do) and, if the field
 * holds pending work, arm it in the part's rehydrate. A new RegionState key
 * needs one more entry in STATE_PARTS.
 */
import type { RegionState, Simulation } from '../world.js';
import { rehydrateEc2 } from '../services/ec2/index.js';
import { rehydrateElbv2 } from '../services/elbv2/index.js';
import { rehydrateAutoScaling, resumeInstanceRefreshes, resumeWarmPools } from '../services/autoscaling/index.js';
import { armMinuteTick } from '../metrics/index.js';

/** RegionState keys that are the region's identity, not a service's state. */
export const REGION_IDENTITY_KEYS = ['region', 'accountId', 'availabilityZones'] as const;

export interface StatePart {
  /** The RegionState key of the part. */
  readonly key: Exclude<keyof RegionState, (typeof REGION_IDENTITY_KEYS)[number]>;
  /** Every field of the part's state object (optional ones too); a field of a new state not listed fails the coverage test. */
  readonly fields: readonly string[];
  /** Arms the part's pending work again after a load, at the instants it was due. */
  rehydrate(sim: Simulation, region: RegionState): void;
}

/** In the order they are rehydrated: EC2 first (instances boot), then ELBv2 (their targets), then Auto Scaling (which reacts to both). */
export const STATE_PARTS: readonly StatePart[] = [
  {
    key: 'ec2',
    fields: ['instances', 'images', 'snapshots', 'launchTemplates', 'launchTemplateIdsByName', 'vpcs', 'subnets', 'securityGroups', 'keyPairs', 'clientTokens'],
    rehydrate: rehydrateEc2,
  },
  {
    key: 'elbv2',
    fields: ['targetGroups', 'targetGroupsByName', 'loadBalancers', 'loadBalancersByName', 'listeners', 'tags', 'targetsByInstance'],
    rehydrate: rehydrateElbv2,
  },
  {
    key: 'autoscaling',
    fields: [
      'groups',
      'instanceGroups',
      'activities',
      'activityById',
      'activitySeq',
      'launchConfigurations',
      'policies',
      'scheduledActions',
      // docs/emulator-refresh.md (E-32 … E-39)
      'instanceRefreshes',
      'warmPools',
      'notificationConfigurations',
    ],
    rehydrate: (sim, region) => {
      rehydrateAutoScaling(sim, region);
      // Instance refreshes and warm pools keep their timers outside the state: they are armed again here.
      resumeInstanceRefreshes(sim, region);
      resumeWarmPools(sim, region);
    },
  },
  {
    key: 'cloudwatch',
    fields: ['alarms', 'series', 'load', 'alarmHistory', 'nextMinuteAt'],
    // The minute tick (metrics, alarm evaluation, scheduled actions) back at the saved instant (docs/emulator-automation.md E-31).
    rehydrate: armMinuteTick,
  },
];
