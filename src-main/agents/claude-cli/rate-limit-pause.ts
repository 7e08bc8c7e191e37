import type { RateLimitPause } from '../rate-limit';
import type { ApiRetryEvent } from './stream-events';

/** The pause after a final 429 when the CLI said nothing about the wait (config-free default; see ClaudeCliBackendOptions.rateLimitPauseMs). */
export const DEFAULT_CLI_RATE_LIMIT_PAUSE_MS = 60_000;

// What Claude Code 2.1.x prints about a 429 in stream-json (it never shows the response headers):
// - before each retry, {"type":"system","subtype":"api_retry","retry_delay_ms":3000,"error_status":429,"error":"rate_limit",…},
//   where retry_delay_ms is max(the response's retry-after, its own backoff);
// - at the end, a synthetic assistant message with "error":"rate_limit" and a result with "api_error_status":429
//   whose text is "API Error: Request rejected (429) · <the API's error message>", which has no reset time.
// The anthropic-ratelimit-*-reset headers never appear. A retry-after above 60 s makes it give up at once, and with
// CLAUDE_CODE_MAX_RETRIES=0 it never retries: then there is no api_retry line and the default pause applies.

/** True for an api_retry event caused by a 429. */
export function isRateLimitRetry(retry: ApiRetryEvent): boolean {
  return retry.error_status === 429 || ((retry.error_status === null || retry.error_status === undefined) && retry.error === 'rate_limit');
}

/** While Claude Code waits to retry a 429 by itself, the pool waits as long (from `api_retry.retry_delay_ms`). */
export function pauseForCliRetry(retry: ApiRetryEvent, now: number = Date.now()): RateLimitPause | null {
  if (!isRateLimitRetry(retry) || retry.retry_delay_ms <= 0) return null;
  const attempt = retry.attempt === undefined ? '' : ` (retry ${retry.attempt}${retry.max_retries === undefined ? '' : `/${retry.max_retries}`})`;
  return { until: new Date(now + retry.retry_delay_ms), reason: `Claude Code was rate limited by the API (429); it retries in ${formatSeconds(retry.retry_delay_ms)}${attempt}` };
}

/**
 * After a 429 Claude Code gave up on: pause for the delay of its last 429 retry (`api_retry.retry_delay_ms`, the
 * API's latest retry-after) when it made one, else for `fallbackMs`, since the final failure carries no time.
 */
export function pauseForCliRateLimitFailure(message: string, lastRetryDelayMs: number | undefined, fallbackMs: number, now: number = Date.now()): RateLimitPause {
  const announced = lastRetryDelayMs !== undefined && lastRetryDelayMs > 0;
  const ms = announced ? lastRetryDelayMs : fallbackMs;
  const source = announced ? "Claude Code's last retry delay" : 'Claude Code did not say how long to wait';
  return { until: new Date(now + ms), reason: `${message} Pausing ${formatSeconds(ms)} (${source}).` };
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}
