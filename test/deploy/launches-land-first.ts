/**
 * A fault-injected order for invariant 1: a deploy context whose every
 * lowering of desired capacity (SetDesiredCapacity, or UpdateAutoScalingGroup
 * with a lower DesiredCapacity) reaches the emulator only after the group has
 * placed every launch it owed. That is the worst order a loaded machine can
 * produce by chance (the group launches between the deploy's look and its
 * call), and then the group's own scale-in picks the victims by its
 * termination policy, serving or not ("Control which Auto Scaling instances
 * terminate during scale in", EC2 Auto Scaling User Guide). The real SDK
 * clients still make every call; only their timing is forced.
 */
import type { DeployContext } from '../../src/deploy/index.js';
import type { TestFleet } from '../helpers/fleet.js';

/** How long (simulated) to wait for the group to place its owed launches before letting the call through anyway. */
const MAX_WAIT_MS = 300_000;

export function launchesLandFirst(fleet: TestFleet, ctx: DeployContext): { ctx: DeployContext; forced: () => number } {
  let forced = 0;
  const placeOwedLaunches = async (name: string, to: number): Promise<void> => {
    const until = fleet.clock.now() + MAX_WAIT_MS;
    for (;;) {
      const { group, instances } = await fleet.aws.autoscaling.describeGroup(name);
      if (to >= group.desiredCapacity) return;
      const active = instances.filter((i) => i.lifecycleState === 'InService' || i.lifecycleState.startsWith('Pending')).length;
      if (active >= group.desiredCapacity || fleet.clock.now() >= until) {
        forced++;
        return;
      }
      await fleet.clock.sleep(1_000);
    }
  };
  const real = ctx.aws.autoscaling;
  const autoscaling = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'setDesiredCapacity') {
        return async (name: string, desired: number, options?: { honorCooldown?: boolean }) => {
          await placeOwedLaunches(name, desired);
          return target.setDesiredCapacity(name, desired, options);
        };
      }
      if (prop === 'updateGroup') {
        return async (name: string, changes: Parameters<typeof real.updateGroup>[1]) => {
          if (changes.desiredCapacity !== undefined) await placeOwedLaunches(name, changes.desiredCapacity);
          return target.updateGroup(name, changes);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const aws = new Proxy(ctx.aws, {
    get(target, prop, receiver) {
      if (prop === 'autoscaling') return autoscaling;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ctx: { ...ctx, aws }, forced: () => forced };
}
