/**
 * The `guardrails:` block of asg-deploy.yaml resolved into settings (schema.ts
 * GUARDRAILS_SHAPE has the formats and messages). Levels (defaults, app,
 * environment) merge key by key like every block: an environment that sets
 * `bakeTime` keeps the app's `alarms`; a list is replaced, not appended to.
 *
 * @example
 *   resolveGuardrailSettings([{ alarms: ['web-5xx'] }, { bakeTime: '10m' }])
 *   // { alarms: ['web-5xx'], bakeTimeMs: 600_000 }
 */
import { parseCheckpointPause, parseCheckpoints, parseDuration, type CheckpointPause } from '../core/index.js';
import type { GUARDRAILS_SHAPE } from './schema.js';
import type { z } from 'zod';

type RawGuardrails = { [K in keyof typeof GUARDRAILS_SHAPE]?: z.infer<(typeof GUARDRAILS_SHAPE)[K]> };

export interface GuardrailSettings {
  /** CloudWatch alarms to watch (empty: none). */
  alarms: string[];
  checkpoints?: number[];
  checkpointPause?: CheckpointPause;
  bakeTimeMs?: number;
  check?: string;
  checkTimeoutMs?: number;
}

export function resolveGuardrailSettings(levels: readonly (RawGuardrails | undefined)[], where = 'guardrails'): GuardrailSettings {
  const g = Object.assign({}, ...levels.map((level) => level ?? {})) as RawGuardrails;
  return {
    alarms: [...(g.alarms ?? [])],
    ...(g.checkpoints === undefined ? {} : { checkpoints: parseCheckpoints(g.checkpoints, `${where}.checkpoints`) }),
    ...(g.checkpointPause === undefined ? {} : { checkpointPause: parseCheckpointPause(g.checkpointPause, `${where}.checkpointPause`) }),
    ...(g.bakeTime === undefined ? {} : { bakeTimeMs: parseDuration(g.bakeTime, `${where}.bakeTime`) }),
    ...(g.check === undefined ? {} : { check: g.check }),
    ...(g.checkTimeout === undefined ? {} : { checkTimeoutMs: parseDuration(g.checkTimeout, `${where}.checkTimeout`) }),
  };
}
