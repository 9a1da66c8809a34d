/**
 * Defaults of the guardrails that are not checkpoints (those are in
 * checkpoints.ts), kept in core so the CLI's help and parsing need not load
 * the deploy engine.
 */

/** A `--check` run's time limit when `--check-timeout` is not given: a smoke test should take seconds; five minutes is generous. */
export const DEFAULT_CHECK_TIMEOUT_MS = 5 * 60_000;
