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
import { z } from 'zod';
import type { AutoScalingApi } from '../../aws/index.js';
import { AsgDeployError, type Group, type GroupTag } from '../../core/index.js';
import { encodePairs, parsePairs, TAG_PREFIX, type DeployStrategy } from './record.js';

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

/**
 * A strategy's state on the group, typed: a zod schema from the state tag's
 * `key=value` pairs to the strategy's own object and back (zod codecs turn
 * e.g. `keep=1` into `keepOld: true`). A hand-edited tag that does not fit is
 * refused with the tag, the value and the fix, never misread.
 *
 * @example
 *   const swapState = stateCodec('swap', z.object({ step: z.enum(['prepare', 'attach']), keep: flag01 }));
 *   swapState.decode(group) // { step: 'attach', keep: true } from `step=attach;keep=1`
 */
export interface StateCodec<S> {
  readonly strategy: DeployStrategy;
  /** The typed state of `group` (throws BAD_INPUT naming the tag, its value and the fix when it does not fit). */
  decode(group: Group): S;
  /** The typed state from the pairs of a tag read on `groupName`. */
  parse(pairs: StrategyState, groupName: string): S;
  /** The tag's pairs for a state (undefined fields are left out). */
  encode(state: S): StrategyState;
}

/** A `0`/`1` tag value as a boolean. */
export const flag01 = z.codec(z.enum(['0', '1']), z.boolean(), { decode: (v) => v === '1', encode: (b) => (b ? '1' : '0') });
/** A `yes` tag value (absent: false) as a boolean. */
export const flagYes = z.codec(z.enum(['yes', 'no']), z.boolean(), { decode: (v) => v === 'yes', encode: (b) => (b ? 'yes' : 'no') });
/** How an undo in progress ends: the outcome it reports. */
export const undoOutcome = z.enum(['rolled-back', 'aborted']);

/** Builds the codec of one strategy's state from a zod object schema over the tag's string pairs. */
export function stateCodec<Schema extends z.ZodType<unknown, StrategyState>>(strategy: DeployStrategy, schema: Schema): StateCodec<z.output<Schema>> {
  const parse = (pairs: StrategyState, groupName: string): z.output<Schema> => {
    const out = schema.safeParse(pairs);
    if (out.success) return out.data;
    const problems = out.error.issues.map((i) => {
      const key = i.path.join('.');
      const value = key in pairs ? `${key}=${pairs[key]}` : `no ${key}`;
      return `${value} (${i.message.replace(/^Invalid option: /, '').replace(/^Invalid input: /, '')})`;
    });
    const raw = encodePairs(pairs);
    throw new AsgDeployError('BAD_INPUT', `the ${strategy} deploy state on group ${groupName} does not read: tag ${STATE_TAG} = ${JSON.stringify(raw)}: ${problems.join('; ')}`, {
      hint: `the tag was edited by hand or by another tool: put the value it had back (\`asg-deploy status ${groupName}\` shows the deploy), or, if no deploy runs on ${groupName}, remove its asg-deploy:* tags (\`aws autoscaling delete-tags\`) and check its sizes and suspended processes by hand; resume and abort cannot go on from a state they cannot read`,
      details: { tag: STATE_TAG, value: raw, problems },
    });
  };
  return {
    strategy,
    parse,
    decode: (group) => parse(readState(group), group.name),
    encode: (state) => {
      const pairs = z.encode(schema, state) as Record<string, string | undefined>;
      return Object.fromEntries(Object.entries(pairs).filter((e): e is [string, string] => e[1] !== undefined));
    },
  };
}
