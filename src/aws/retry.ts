/**
 * Retries with exponential backoff and full jitter, waiting on the injected
 * Clock.
 *
 * Why our own loop instead of the SDK's retry strategy: the SDK sleeps with
 * `setTimeout`, in real time. A deploy test runs on a manual or scaled clock
 * (architecture.md "Time"), so a throttled call must back off in *simulated*
 * time; and tests need deterministic delays (injected `random`). So the
 * factory builds every SDK client with `maxAttempts: 1` and wraps each call
 * here. We also decide per call what is safe to repeat: throttling is always
 * retried (AWS refused before doing anything); 5xx and network errors only for
 * idempotent calls (a describe, a set-to-value), since a TerminateInstance
 * whose answer was lost may already have run.
 *
 * Full jitter, from "Exponential Backoff And Jitter" (AWS Architecture Blog,
 * 2015): delay = random() × min(cap, base × 2^(attempt − 1)).
 *
 * @example
 *   const out = await withRetry(() => client.send(cmd), {
 *     clock, maxAttempts: 8, baseMs: 200, capMs: 20_000, isRetryable: isThrottling,
 *   });
 */
import type { Clock } from '../clock/clock.js';
import { isThrottling, isTransient } from './classify.js';

export interface BackoffPolicy {
  /** First retry waits up to this long. */
  baseMs: number;
  /** No retry waits longer than this. */
  capMs: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 200, capMs: 20_000 };

/**
 * The delay before retry number `retry` (1 for the first retry): full jitter
 * over an exponentially growing window. `random` returns [0, 1).
 */
export function backoffDelayMs(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const window = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * window);
}

export interface RetryEvent {
  /** The attempt that failed (1-based). */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  error: unknown;
}

export interface RetryOptions extends Partial<BackoffPolicy> {
  clock: Clock;
  /** Total attempts including the first (≥ 1). Default 8. */
  maxAttempts?: number;
  /** Which errors to retry. Default: {@link retryableFor} an idempotent call. */
  isRetryable?: (error: unknown) => boolean;
  /** Injected for deterministic tests. Default Math.random. */
  random?: () => number;
  /** Stops waiting (and retrying) when aborted. */
  signal?: AbortSignal;
  /** Called before each wait, e.g. to emit a "throttled, retrying" event. */
  onRetry?: (event: RetryEvent) => void;
}

/** What to retry: throttling always; 5xx, network and clock skew only when repeating the call is safe. */
export function retryableFor(idempotent: boolean): (error: unknown) => boolean {
  return (error) => isThrottling(error) || (idempotent && isTransient(error));
}

/**
 * Runs `attempt` until it succeeds, the error is not retryable, or attempts
 * run out; then rethrows the last error unchanged (`attempt` receives the
 * attempt number, so the caller knows how many were made). An abort while
 * waiting rejects with the signal's reason.
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
  const policy: BackoffPolicy = { baseMs: options.baseMs ?? DEFAULT_BACKOFF.baseMs, capMs: options.capMs ?? DEFAULT_BACKOFF.capMs };
  const isRetryable = options.isRetryable ?? retryableFor(true);
  for (let n = 1; ; n++) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(n);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (n >= maxAttempts) throw error;
      const delayMs = backoffDelayMs(n, policy, options.random);
      options.onRetry?.({ attempt: n, delayMs, error });
      await options.clock.sleep(delayMs, options.signal);
    }
  }
}
