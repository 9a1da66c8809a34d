/**
 * Bake, then deploy what was baked: the image of a running instance becomes a
 * launch template version (bakeImage), and a rolling deploy takes the group
 * onto exactly that version. The group is checked before anything is created
 * (it must launch from the template), and a pending image is never rolled.
 *
 * @example
 *   const { bake, deploy } = await bakeAndRoll({ bake: bakeCtx, deploy: deployCtx },
 *     { source: { instanceId: 'i-0123456789abcdef0' }, template: { name: 'web-lt' } },
 *     { group: 'web' });
 */
import { AsgDeployError } from '../core/index.js';
import { roll, type DeployContext, type DeployResult, type RollOptions } from '../deploy/index.js';
import { bakeImage, type BakeOptions, type BakeResult } from './bake.js';
import type { BakeContext } from './context.js';

/** The rolling deploy after the bake: its group and settings; the version is the one just baked. */
export type RollAfterBake = Omit<RollOptions, 'templateVersion' | 'image' | 'dryRun'>;

export interface BakeAndRollResult {
  bake: BakeResult;
  /** Absent on a dry run (nothing baked, nothing rolled). */
  deploy?: DeployResult;
}

export async function bakeAndRoll(ctx: { bake: BakeContext; deploy: DeployContext }, options: BakeOptions, rollOptions: RollAfterBake): Promise<BakeAndRollResult> {
  if (options.wait === false) {
    throw new AsgDeployError('BAD_INPUT', '--roll cannot go with --no-wait: instances cannot launch from a pending image', { hint: 'drop --no-wait (bake waits for the image, then rolls)' });
  }
  const bake = await bakeImage(ctx.bake, { ...options, forGroup: rollOptions.group });
  if (bake.outcome !== 'baked' || bake.version === undefined) return { bake };
  const deploy = await roll(ctx.deploy, { ...rollOptions, templateVersion: bake.version });
  return { bake, deploy };
}
