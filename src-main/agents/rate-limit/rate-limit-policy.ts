import type { RateLimitBucket, RateLimitState } from './rate-limit-headers';

/** Default share of a limit that may be used before the pool pauses (config monitoring.usage_warning_threshold). */
export const DEFAULT_USAGE_WARNING_THRESHOLD = 0.8;

/** A request to pause the pool until a time, with a reason a user can read. */
export interface RateLimitPause {
  readonly until: Date;
  readonly reason: string;
}

/** Called when the rate-limit policy asks the pool to pause. */
export type RateLimitListener = (resetAt: Date, reason: string) => void;

/** Checks a usage_warning_threshold (a share of a limit, 0..1); throws RangeError otherwise. */
export function checkUsageWarningThreshold(threshold: number | undefined): number {
  const value = threshold ?? DEFAULT_USAGE_WARNING_THRESHOLD;
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`usageWarningThreshold must be between 0 and 1 (a share of the limit), not ${String(threshold)}`);
  }
  return value;
}

/**
 * After a successful response: pause when a bucket is empty or its remaining share is at or below
 * 1 − threshold, until the latest reset among such buckets. Buckets whose reset has passed (or is
 * unknown) do not pause: their window is already over.
 */
export function pauseForUsage(state: RateLimitState, threshold: number, now: number = Date.now()): RateLimitPause | null {
  const reserve = 1 - threshold;
  const low = state.buckets.filter((bucket) => isLow(bucket, reserve) && bucket.resetAt !== null && bucket.resetAt.getTime() > now);
  if (low.length === 0) return null;
  const latest = low.reduce((a, b) => ((b.resetAt as Date).getTime() > (a.resetAt as Date).getTime() ? b : a));
  const details = low.map(describe).join(', ');
  return { until: latest.resetAt as Date, reason: `API usage above ${percent(threshold)} of the limit (${details}); pausing until it resets` };
}

/**
 * After a 429: pause for the server's retry-after when it sent one (even 0, which means no pause);
 * otherwise until the latest reset of an exhausted bucket; otherwise no pause.
 */
export function pauseForRateLimitError(state: RateLimitState, now: number = Date.now()): RateLimitPause | null {
  if (state.retryAfterMs !== null) {
    if (state.retryAfterMs <= 0) return null;
    return { until: new Date(now + state.retryAfterMs), reason: `rate limited by the API (429); retry after ${formatSeconds(state.retryAfterMs)}` };
  }
  const reset = latestEmptyReset(state, now);
  if (reset === null) return null;
  return { until: new Date(reset), reason: 'rate limited by the API (429); waiting for the limit to reset' };
}

/** What one HTTP response asks for: a pool pause (or none), and until when every request must wait (or null). */
export interface ResponseVerdict {
  readonly pause: RateLimitPause | null;
  /** Epoch ms before which no request can succeed: set for a 429 that says how long, and for an empty bucket. */
  readonly holdUntil: number | null;
}

/**
 * Reads any response, including the 429s the SDK retries by itself: a 429 pauses (and holds every
 * request) for what pauseForRateLimitError finds; any other response pauses per pauseForUsage and
 * holds requests only while a bucket is empty (nothing can succeed before its reset).
 */
export function pauseForResponse(status: number, state: RateLimitState, threshold: number, now: number = Date.now()): ResponseVerdict {
  if (status === 429) {
    const pause = pauseForRateLimitError(state, now);
    return { pause, holdUntil: pause === null ? null : pause.until.getTime() };
  }
  return { pause: pauseForUsage(state, threshold, now), holdUntil: latestEmptyReset(state, now) };
}

/** The latest future reset among buckets with nothing left, or null. */
function latestEmptyReset(state: RateLimitState, now: number): number | null {
  const resets = state.buckets
    .filter((bucket) => bucket.remaining === 0 && bucket.resetAt !== null && bucket.resetAt.getTime() > now)
    .map((bucket) => (bucket.resetAt as Date).getTime());
  return resets.length === 0 ? null : Math.max(...resets);
}

function isLow(bucket: RateLimitBucket, reserve: number): boolean {
  if (bucket.remaining === 0) return true;
  // The epsilon keeps the boundary inclusive despite floating point (1 − 0.8 is 0.19999…).
  return bucket.limit !== null && bucket.limit > 0 && bucket.remaining / bucket.limit <= reserve + 1e-9;
}

function describe(bucket: RateLimitBucket): string {
  return bucket.limit === null ? `${bucket.name} ${bucket.remaining} left` : `${bucket.name} ${bucket.remaining}/${bucket.limit} left`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
