/**
 * The contract between the deploy engine and the checks that go beyond health
 * checks (deploys.md "Guardrails": CloudWatch alarms, checkpoints, bake time and
 * the user's own checks). The engine owns the run; a guardrail only answers the
 * engine's questions, so every strategy gets every guardrail by construction.
 *
 * The engine calls, for each guardrail it was given:
 * - `preflight` once before any change (a throw refuses the deploy: exit 2);
 * - `watch` on every poll of the wave loop, through checkpoint pauses and
 *   through the bake time (a failing verdict stops the deploy and rolls back
 *   unless `--no-rollback`; for blue/green the rollback is the one from Standby);
 * - `admit` once for each new instance after it is healthy and has stayed so
 *   for the stability window: only an admitted instance counts toward replacing
 *   an old one; a failing verdict makes it a failed launch;
 * - `pauseAfter` after each forward step with how far the deploy has got: a
 *   pause request holds the launches (checkpoints) while `watch` keeps running.
 *
 * @example
 *   const alarms: Guardrail = {
 *     name: 'alarms',
 *     async watch() { return alarmState === 'ALARM' ? { ok: false, code: 'alarm', reason: 'alarm web-5xx is in ALARM' } : { ok: true }; },
 *   };
 */
import type { AwsClients } from '../aws/index.js';
import type { Clock } from '../clock/index.js';
import type { CheckpointPause } from '../core/index.js';
import type { EventSink } from './events.js';

/** A guardrail's answer: fine, or why the deploy must stop (a stable code, a sentence a person reads, details for the event). */
export type GuardVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: string; readonly reason: string; readonly detail?: Readonly<Record<string, unknown>> };

/** What a guardrail is told about the deploy it watches. */
export interface GuardContext {
  readonly aws: AwsClients;
  readonly clock: Clock;
  readonly emit: EventSink;
  readonly signal?: AbortSignal;
  readonly group: string;
  readonly deployId: string;
  /** The launch template version being deployed (a number, as a string). */
  readonly targetVersion: string;
  /** `forward` while deploying, `back` while rolling back (a guardrail may stay quiet then). */
  readonly direction: 'forward' | 'back';
}

/** A new instance the engine is about to count. */
export interface CandidateInstance {
  readonly instanceId: string;
  readonly availabilityZone?: string;
  readonly privateIp?: string;
  readonly version: string;
}

/** How far a deploy has got: instances on the target version out of the fleet it is replacing. */
export interface DeployProgress {
  readonly onTarget: number;
  readonly total: number;
}

/** Hold the launches: for a while, or until someone runs `asg-deploy continue GROUP`. */
export type PauseRequest =
  | { readonly kind: 'for'; readonly ms: number; readonly reason: string }
  | { readonly kind: 'until-continued'; readonly reason: string };

/**
 * What rebuilds a guardrail on another machine: the settings written on the
 * group with the deployment record (guardrails/stored-guardrails.ts), so a
 * deploy resumed elsewhere keeps its alarms, checkpoints and check. A
 * guardrail without it (a library user's own object) cannot be stored, and a
 * resume says it runs without it.
 */
export interface GuardrailSettingsPart {
  readonly alarms?: readonly string[];
  readonly checkpoints?: readonly number[];
  readonly checkpointPause?: CheckpointPause;
  readonly check?: string;
  readonly checkTimeoutMs?: number;
}

export interface Guardrail {
  readonly name: string;
  /** The settings that rebuild this guardrail on a resume (absent: it cannot be stored). */
  readonly stored?: GuardrailSettingsPart;
  preflight?(ctx: GuardContext): Promise<void>;
  watch?(ctx: GuardContext): Promise<GuardVerdict>;
  admit?(ctx: GuardContext, instance: CandidateInstance): Promise<GuardVerdict>;
  pauseAfter?(ctx: GuardContext, progress: DeployProgress): PauseRequest | undefined;
}

/** What a deploy is given beyond its strategy's own options (the same for every strategy). */
export interface GuardrailOptions {
  readonly guardrails?: readonly Guardrail[];
  /** After the last replacement (after the switch, for blue/green): keep watching this long before calling it done. */
  readonly bakeTimeMs?: number;
  /**
   * Default true: a failure rolls back. false (`--no-rollback`) leaves the group as it is for `resume`/`abort`.
   * Stored with the guardrails, so a resume on another machine keeps it.
   */
  readonly rollback?: boolean;
}

export const PASS: GuardVerdict = { ok: true };
