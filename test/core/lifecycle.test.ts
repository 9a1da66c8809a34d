import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LIFECYCLE_STATES,
  LifecycleStatus,
  isDetached,
  isDetaching,
  isEnteringStandby,
  isGone,
  isInService,
  isLaunchingOrServing,
  isLeaving,
  isLifecycleState,
  isPending,
  isQuarantined,
  isStandby,
  isTerminated,
  isTerminating,
  isReplacingRootVolume,
  isWarmPool,
  type LifecycleState,
} from '../../src/core/index.js';

const predicates = {
  isPending,
  isInService,
  isStandby,
  isEnteringStandby,
  isTerminating,
  isReplacingRootVolume,
  isTerminated,
  isDetaching,
  isDetached,
  isQuarantined,
  isWarmPool,
  isLaunchingOrServing,
  isLeaving,
  isGone,
} as const;

/** For each predicate, exactly the states for which it holds. */
const expected: Record<keyof typeof predicates, LifecycleState[]> = {
  isPending: ['Pending', 'Pending:Wait', 'Pending:Proceed'],
  isInService: ['InService'],
  isStandby: ['Standby'],
  isEnteringStandby: ['EnteringStandby'],
  isTerminating: ['Terminating', 'Terminating:Wait', 'Terminating:Proceed', 'Terminating:Retained'],
  isReplacingRootVolume: ['ReplacingRootVolume', 'ReplacingRootVolume:Wait', 'ReplacingRootVolume:Proceed', 'RootVolumeReplaced'],
  isTerminated: ['Terminated'],
  isDetaching: ['Detaching'],
  isDetached: ['Detached'],
  isQuarantined: ['Quarantined'],
  isWarmPool: [
    'Warmed:Pending',
    'Warmed:Pending:Wait',
    'Warmed:Pending:Proceed',
    'Warmed:Pending:Retained',
    'Warmed:Terminating',
    'Warmed:Terminating:Wait',
    'Warmed:Terminating:Proceed',
    'Warmed:Terminating:Retained',
    'Warmed:Terminated',
    'Warmed:Stopped',
    'Warmed:Running',
    'Warmed:Hibernated',
  ],
  isLaunchingOrServing: ['Pending', 'Pending:Wait', 'Pending:Proceed', 'InService'],
  isLeaving: ['Terminating', 'Terminating:Wait', 'Terminating:Proceed', 'Terminating:Retained', 'Terminated', 'Detaching', 'Detached'],
  isGone: ['Terminated', 'Detached', 'Warmed:Terminated'],
};

test('every predicate over every lifecycle state', () => {
  assert.equal(LIFECYCLE_STATES.length, 30);
  assert.equal(new Set(LIFECYCLE_STATES).size, 30);
  for (const [name, predicate] of Object.entries(predicates)) {
    const holds = expected[name as keyof typeof predicates];
    for (const state of LIFECYCLE_STATES) {
      assert.equal(predicate(state), holds.includes(state), `${name}(${state})`);
      assert.equal((LifecycleStatus.of(state) as unknown as Record<string, boolean>)[name], holds.includes(state), `LifecycleStatus.${name} ${state}`);
    }
  }
});

test('a launching-or-serving state is never leaving, standby or warm', () => {
  for (const state of LIFECYCLE_STATES) {
    if (isLaunchingOrServing(state)) {
      assert.equal(isLeaving(state) || isStandby(state) || isWarmPool(state) || isGone(state), false, state);
    }
  }
});

test('isLifecycleState and LifecycleStatus.toString', () => {
  assert.ok(isLifecycleState('Pending:Wait'));
  assert.equal(isLifecycleState('pending'), false);
  assert.equal(isLifecycleState('Running'), false);
  assert.equal(String(LifecycleStatus.of('Standby')), 'Standby');
  assert.equal(LifecycleStatus.of('Standby').state, 'Standby');
});
