/**
 * What blue/green, swap and shrink must remember beyond the deployment record
 * (record.ts stays as it is): a strategy step and a few named values in one
 * tag, `asg-deploy:state`, and instance ids in `asg-deploy:ids:N` tags (12 ids
 * of up to 19 characters each per tag, within the 256-character tag value
 * limit). Like the record, these are written before the step they describe and
 * removed when the deploy ends. PropagateAtLaunch is always false.
 *
 * @example
 *   encodeState({ step: 'scale', pair: 'web-green', role: 'live' }) // 'step=scale;pair=web-green;role=live'
 */
import type { AutoScalingApi } from '../../aws/index.js';
import { AsgDeployError, type Group, type GroupTag } from '../../core/index.js';
import { encodePairs, parsePairs, TAG_PREFIX } from './record.js';

export const STATE_TAG = `${TAG_PREFIX}state`;
export const IDS_TAG_PREFIX = `${TAG_PREFIX}ids:`;
/** AWS: tag values are at most 256 characters. */
const MAX_TAG_VALUE = 256;
const IDS_PER_TAG = 12;
/** Keeps a group well inside AWS's 50 tags per group. */
export const MAX_RECORDED_IDS = IDS_PER_TAG * 10;

/** The state tag as written: `key=value` pairs, untyped (each strategy's {@link StateCodec} types it). */
export type StrategyState = Record<string, string>;

/** `key=value;…`; values may not hold `;` or `=` (they are replaced by spaces, as record.ts does). */
export function encodeState(state: StrategyState): string {
  const out = encodePairs(state);
  if (out.length > MAX_TAG_VALUE) {
    throw new AsgDeployError('BAD_INPUT', `the deploy state does not fit in one tag (${out.length} > ${MAX_TAG_VALUE} characters): ${out.slice(0, 80)}…`, {
      hint: 'shorter Auto Scaling group names leave room for it',
    });
  }
  return out;
}

export function decodeState(value: string | undefined): StrategyState {
  return Object.fromEntries(parsePairs(value));
}

export function readState(group: Group): StrategyState {
  return decodeState(group.tags.find((t) => t.key === STATE_TAG)?.value);
}

/** The ids recorded in `asg-deploy:ids:N`, in order. */
export function readIds(group: Group): string[] {
  return group.tags
    .filter((t) => t.key.startsWith(IDS_TAG_PREFIX))
    .sort((a, b) => Number(a.key.slice(IDS_TAG_PREFIX.length)) - Number(b.key.slice(IDS_TAG_PREFIX.length)))
    .flatMap((t) => t.value.split(',').filter(Boolean));
}

function tag(key: string, value: string): GroupTag {
  return { key, value, propagateAtLaunch: false };
}

/** Writes the state tag. */
export async function writeState(autoscaling: AutoScalingApi, groupName: string, state: StrategyState): Promise<void> {
  await autoscaling.createOrUpdateTags(groupName, [tag(STATE_TAG, encodeState(state))]);
}

/** Writes the id tags (replacing any earlier list) and the state tag in one call. */
export async function writeStateAndIds(autoscaling: AutoScalingApi, group: Group, state: StrategyState, ids: readonly string[]): Promise<void> {
  if (ids.length > MAX_RECORDED_IDS) {
    throw new AsgDeployError('BAD_INPUT', `too many instances to record on the group: ${ids.length} (at most ${MAX_RECORDED_IDS})`, {
      hint: 'split the work into several runs',
    });
  }
  const tags = [tag(STATE_TAG, encodeState(state))];
  for (let i = 0; i * IDS_PER_TAG < ids.length; i++) tags.push(tag(`${IDS_TAG_PREFIX}${i}`, ids.slice(i * IDS_PER_TAG, (i + 1) * IDS_PER_TAG).join(',')));
  const stale = group.tags.filter((t) => t.key.startsWith(IDS_TAG_PREFIX) && !tags.some((n) => n.key === t.key)).map((t) => t.key);
  await autoscaling.createOrUpdateTags(group.name, tags);
  if (stale.length > 0) await autoscaling.deleteTags(group.name, stale);
}

/** Removes the state and id tags (the deploy is over). */
export async function clearState(autoscaling: AutoScalingApi, group: Group): Promise<void> {
  const keys = group.tags.filter((t) => t.key === STATE_TAG || t.key.startsWith(IDS_TAG_PREFIX)).map((t) => t.key);
  await autoscaling.deleteTags(group.name, keys);
}
