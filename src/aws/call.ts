/**
 * One AWS call with our retries and error mapping: every method of the narrow
 * clients goes through a {@link Caller}, so retries wait on the injected
 * Clock, and every failure leaves src/aws/ as an AsgDeployError.
 */
import type { Clock } from '../clock/clock.js';
import { toAsgDeployError, type AwsService } from './classify.js';
import { retryableFor, withRetry } from './retry.js';

/** What happened to one attempt of one call (for events, metrics and tests). */
export interface AwsCallEvent {
  service: AwsService;
  operation: string;
  /** 1-based. */
  attempt: number;
  outcome: 'ok' | 'retry' | 'error';
  /** With `retry`: how long we wait before the next attempt. */
  delayMs?: number;
  /** With `retry` and `error`: the AWS error code (or the error's name). */
  errorCode?: string;
}

export interface CallerOptions {
  clock: Clock;
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  random?: () => number;
  signal?: AbortSignal;
  onCall?: (event: AwsCallEvent) => void;
}

export interface CallSpec {
  service: AwsService;
  operation: string;
  /** Safe to repeat after a 5xx or a lost answer (describes, set-to-value calls, calls with a client token). */
  idempotent: boolean;
  /** What the call is about, for error messages. */
  resource?: string;
}

export type Caller = <T>(spec: CallSpec, run: (abortSignal: AbortSignal | undefined) => Promise<T>) => Promise<T>;

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : undefined;
}

export function createCaller(options: CallerOptions): Caller {
  return async (spec, run) => {
    let attempts = 0;
    try {
      const result = await withRetry(
        async (n) => {
          attempts = n;
          // A virtual clock must not jump while the answer is on its way.
          const release = options.clock.hold?.();
          try {
            return await run(options.signal);
          } finally {
            release?.();
          }
        },
        {
          clock: options.clock,
          maxAttempts: options.maxAttempts,
          baseMs: options.retryBaseMs,
          capMs: options.retryCapMs,
          isRetryable: retryableFor(spec.idempotent),
          ...(options.random === undefined ? {} : { random: options.random }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onRetry: ({ attempt, delayMs, error }) =>
            options.onCall?.({ service: spec.service, operation: spec.operation, attempt, outcome: 'retry', delayMs, ...codeOf(error) }),
        },
      );
      options.onCall?.({ service: spec.service, operation: spec.operation, attempt: attempts, outcome: 'ok' });
      return result;
    } catch (error) {
      options.onCall?.({ service: spec.service, operation: spec.operation, attempt: Math.max(1, attempts), outcome: 'error', ...codeOf(error) });
      throw toAsgDeployError(error, {
        service: spec.service,
        operation: spec.operation,
        attempts: Math.max(1, attempts),
        ...(spec.resource === undefined ? {} : { resource: spec.resource }),
      });
    }
  };
}

function codeOf(error: unknown): { errorCode?: string } {
  const code = errorCode(error);
  return code === undefined ? {} : { errorCode: code };
}
