/**
 * The typed side of a strategy's state tag (state.ts keeps the untyped tag
 * I/O): zod codecs per strategy. Kept apart so that reading a group's state
 * (`status`) does not load zod (issue 11: commands load only what they use).
 */
import { z } from 'zod';
import { AsgDeployError, type Group } from '../../core/index.js';
import { encodePairs, type DeployStrategy } from './record.js';
import { readState, STATE_TAG, type StrategyState } from './state.js';

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
