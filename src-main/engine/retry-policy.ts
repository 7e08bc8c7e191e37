import type { ErrorClass } from '../../src-shared/domain/error-class';
import { assertNever } from '../../src-shared/domain/assert-never';

/** Retry settings (ms). */
export interface RetrySettings {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** What to do after a failed attempt. */
export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly why: string };

/**
 * Permanent errors fail at once; transient and recoverable ones retry while `failuresSoFar`
 * (including this one) stays within max_retries, after an exponential delay with full jitter,
 * never sooner than the server's retry-after.
 */
export function decideRetry(
  errorClass: ErrorClass,
  failuresSoFar: number,
  settings: RetrySettings,
  retryAfterMs?: number,
  random: () => number = Math.random,
): RetryDecision {
  switch (errorClass) {
    case 'permanent':
      return { retry: false, why: 'a permanent error is not retried' };
    case 'transient':
    case 'recoverable': {
      if (failuresSoFar > settings.maxRetries) {
        return { retry: false, why: `gave up after ${failuresSoFar} failed attempts (max_retries ${settings.maxRetries})` };
      }
      const delay = backoffDelay(failuresSoFar, settings, random);
      return { retry: true, delayMs: Math.max(delay, retryAfterMs ?? 0) };
    }
    default:
      return assertNever(errorClass, 'error class');
  }
}

/** base · 2^(n-1) capped at max, then "equal jitter": half fixed, half random, so delays never collapse to zero. */
export function backoffDelay(failureNumber: number, settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const exponential = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, failureNumber - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
