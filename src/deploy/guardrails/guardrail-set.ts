/**
 * The guardrails of one deploy as the engine sees them: one object that asks
 * each guardrail in turn, so the engine has a single call at each of its
 * points (guardrail.ts lists them) and cannot forget one guardrail in one
 * strategy. The first failing verdict wins (guardrails run in the order the
 * user gave them); every admit must pass; the first pause request wins; the
 * step limit is the smallest any checkpoint guardrail allows.
 *
 * @example
 *   const guards = new GuardrailSet(options.guardrails ?? []);
 *   await guards.preflight(gctx);                       // before any change
 *   const v = await guards.watch(gctx);                 // every poll
 *   if (!v.ok) return rollBack(run, v.reason);
 */
import type { CandidateInstance, DeployProgress, GuardContext, GuardVerdict, Guardrail, PauseRequest } from '../guardrail.js';

type Failing = Extract<GuardVerdict, { ok: false }>;

export class GuardrailSet {
  readonly guardrails: readonly Guardrail[];

  constructor(guardrails: readonly Guardrail[] = []) {
    this.guardrails = guardrails;
  }

  get empty(): boolean {
    return this.guardrails.length === 0;
  }

  /** Every guardrail's preflight, in order; the first throw refuses the deploy. */
  async preflight(ctx: GuardContext): Promise<void> {
    for (const g of this.guardrails) await g.preflight?.(ctx);
  }

  /** Every guardrail's watch; the first failing verdict, named after its guardrail in `detail.guardrail`. */
  async watch(ctx: GuardContext): Promise<GuardVerdict> {
    for (const g of this.guardrails) {
      const v = await g.watch?.(ctx);
      if (v && !v.ok) return withGuardrail(v, g.name);
    }
    return { ok: true };
  }

  /** Every guardrail's admit for one new instance; the first failure makes it a failed launch. */
  async admit(ctx: GuardContext, instance: CandidateInstance): Promise<GuardVerdict> {
    for (const g of this.guardrails) {
      const v = await g.admit?.(ctx, instance);
      if (v && !v.ok) return withGuardrail(v, g.name);
    }
    return { ok: true };
  }

  /** The first pause any guardrail asks for after a forward step. Every guardrail is asked (each keeps its own count). */
  pauseAfter(ctx: GuardContext, progress: DeployProgress): PauseRequest | undefined {
    let first: PauseRequest | undefined;
    for (const g of this.guardrails) {
      const request = g.pauseAfter?.(ctx, progress);
      if (first === undefined && request !== undefined) first = request;
    }
    return first;
  }

  /** How many instances the next forward step may put on the new version (undefined: no limit). */
  stepLimit(progress: DeployProgress): number | undefined {
    let limit: number | undefined;
    for (const g of this.guardrails) {
      const l = (g as { stepLimit?: (p: DeployProgress) => number | undefined }).stepLimit?.(progress);
      if (l !== undefined) limit = limit === undefined ? l : Math.min(limit, l);
    }
    return limit;
  }
}

function withGuardrail(v: Failing, name: string): Failing {
  return { ...v, detail: { ...(v.detail ?? {}), guardrail: name } };
}
