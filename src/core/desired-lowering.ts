/**
 * How far the deploy may lower a group's desired capacity with
 * SetDesiredCapacity without letting the group break the floor.
 *
 * Lowering desired is a scale-in the group carries out itself: it picks the
 * victims by its termination policy — the AZ with the most instances first,
 * then instances not on the current launch template version, then the one
 * closest to its next billing hour, then at random ("Control which Auto
 * Scaling instances terminate during scale in", EC2 Auto Scaling User Guide).
 * Nothing in that order prefers an instance that does not serve yet, so a
 * serving instance may go. And the group may place the launches it owes
 * (desired above what launches or serves) between the deploy's look and its
 * call, so even a lowering that only meant to cancel owed launches may make
 * it terminate instances of its own choosing.
 *
 * The worst case is that every instance the group could remove serves: it
 * may remove max(active, desired) − proposed of them. The deploy lowers only
 * as far as what serves then stays at the floor; the rest of the surplus it
 * retires itself, with TerminateInstanceInAutoScalingGroup and
 * ShouldDecrementDesiredCapacity, choosing instances whose loss keeps the
 * floor (wave-loop.ts).
 *
 * @example
 *   safeDesiredLowering({ current: 4, proposed: 3, active: 3, serving: 3, floor: 3, launchesFailing: false }) // 4: hold
 *   safeDesiredLowering({ current: 4, proposed: 3, active: 3, serving: 4, floor: 3, launchesFailing: false }) // 3
 */
export interface DesiredLowering {
  /** The group's desired capacity now (after the step's own decrements). */
  current: number;
  /** The desired capacity the step wants. */
  proposed: number;
  /** Instances launching or serving that the group counts, after the step's retirements. */
  active: number;
  /** Instances serving, not counting those the step retires. */
  serving: number;
  /** Serving instances to keep at every instant. */
  floor: number;
  /**
   * The group's launches are failing (a Failed launch activity was seen): the
   * owed launches may never be placed, and the group backs off between tries,
   * so holding desired up could wait forever for a launch that is not coming.
   */
  launchesFailing: boolean;
}

/** The desired capacity to set: `proposed`, or the lowest value at or above it whose worst-case scale-in keeps the floor. */
export function safeDesiredLowering(input: DesiredLowering): number {
  const { current, proposed, active, serving, floor, launchesFailing } = input;
  if (proposed >= current || launchesFailing) return proposed;
  // The group can remove up to max(active, current) − d instances when desired goes to d.
  const top = Math.max(active, current);
  const spare = Math.max(0, serving - floor);
  const lowest = top - spare;
  return Math.min(current, Math.max(proposed, lowest));
}
