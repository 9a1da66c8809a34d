/**
 * Lifecycle-state predicates, so no code compares state strings by hand
 * (like the CDK's `StackStatus.isDeploySuccess`).
 * States: https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-lifecycle.html
 *
 * @example
 *   isLaunchingOrServing('Pending:Wait')          // true
 *   LifecycleStatus.of('Terminating:Wait').isTerminating // true
 */
import type { LifecycleState } from './fleet.js';

/** Launching: `Pending`, `Pending:Wait` (a launch hook holds it), `Pending:Proceed`. */
export function isPending(state: LifecycleState): boolean {
  return state === 'Pending' || state === 'Pending:Wait' || state === 'Pending:Proceed';
}

export function isInService(state: LifecycleState): boolean {
  return state === 'InService';
}

/** In Standby (out of service, kept warm; does not count toward desired capacity). */
export function isStandby(state: LifecycleState): boolean {
  return state === 'Standby';
}

export function isEnteringStandby(state: LifecycleState): boolean {
  return state === 'EnteringStandby';
}

/** On the way out: `Terminating`, `Terminating:Wait`, `Terminating:Proceed`, `Terminating:Retained`. */
export function isTerminating(state: LifecycleState): boolean {
  return state === 'Terminating' || state === 'Terminating:Wait' || state === 'Terminating:Proceed' || state === 'Terminating:Retained';
}

/** Being updated in place by a root-volume replacement (an instance refresh strategy): not serving. */
export function isReplacingRootVolume(state: LifecycleState): boolean {
  return state.startsWith('ReplacingRootVolume') || state === 'RootVolumeReplaced';
}

export function isTerminated(state: LifecycleState): boolean {
  return state === 'Terminated';
}

export function isDetaching(state: LifecycleState): boolean {
  return state === 'Detaching';
}

export function isDetached(state: LifecycleState): boolean {
  return state === 'Detached';
}

/** Quarantined: AWS is checking the instance (used by some capacity features). */
export function isQuarantined(state: LifecycleState): boolean {
  return state === 'Quarantined';
}

/** Any `Warmed:*` state: the instance is in the warm pool, not in the group's capacity. */
export function isWarmPool(state: LifecycleState): boolean {
  return state.startsWith('Warmed:');
}

/**
 * Launching or serving (`Pending*` or `InService`): what Auto Scaling counts
 * toward desired capacity, and what invariant 2 caps (deploys.md).
 */
export function isLaunchingOrServing(state: LifecycleState): boolean {
  return isPending(state) || isInService(state);
}

/** Leaving the group for good: terminating, terminated, detaching, detached. */
export function isLeaving(state: LifecycleState): boolean {
  return isTerminating(state) || isTerminated(state) || isDetaching(state) || isDetached(state);
}

/** No longer part of the group at all (`Terminated`, `Detached`, `Warmed:Terminated`). */
export function isGone(state: LifecycleState): boolean {
  return state === 'Terminated' || state === 'Detached' || state === 'Warmed:Terminated';
}

/** A lifecycle state with its predicates as properties, for code that reads better that way. */
export class LifecycleStatus {
  static of(state: LifecycleState): LifecycleStatus {
    return new LifecycleStatus(state);
  }

  private constructor(readonly state: LifecycleState) {}

  get isPending(): boolean {
    return isPending(this.state);
  }
  get isInService(): boolean {
    return isInService(this.state);
  }
  get isStandby(): boolean {
    return isStandby(this.state);
  }
  get isEnteringStandby(): boolean {
    return isEnteringStandby(this.state);
  }
  get isTerminating(): boolean {
    return isTerminating(this.state);
  }
  get isReplacingRootVolume(): boolean {
    return isReplacingRootVolume(this.state);
  }
  get isTerminated(): boolean {
    return isTerminated(this.state);
  }
  get isDetaching(): boolean {
    return isDetaching(this.state);
  }
  get isDetached(): boolean {
    return isDetached(this.state);
  }
  get isQuarantined(): boolean {
    return isQuarantined(this.state);
  }
  get isWarmPool(): boolean {
    return isWarmPool(this.state);
  }
  get isLaunchingOrServing(): boolean {
    return isLaunchingOrServing(this.state);
  }
  get isLeaving(): boolean {
    return isLeaving(this.state);
  }
  get isGone(): boolean {
    return isGone(this.state);
  }

  toString(): string {
    return this.state;
  }
}
