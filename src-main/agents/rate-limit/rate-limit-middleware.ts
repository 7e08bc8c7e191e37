import type { Middleware } from '@anthropic-ai/sdk';
import { parseRateLimitHeaders } from './rate-limit-headers';
import type { RateLimitGate } from './rate-limit-gate';
import { pauseForResponse, type RateLimitPause } from './rate-limit-policy';

/** Settings of rateLimitMiddleware. */
export interface RateLimitMiddlewareOptions {
  /** Share of a limit that may be used before a pause is asked for (0..1). */
  readonly threshold: number;
  /** Shared by every request that should wait when the API says nothing can succeed yet. */
  readonly gate: RateLimitGate;
  /** Told every pause a response asks for (a listener that throws is the caller's to catch). */
  readonly onPause: (pause: RateLimitPause) => void;
  /** Aborts a wait at the gate: the call's own signal. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/**
 * SDK middleware around every HTTP attempt, the SDK's own retries of 429/529 included (a custom
 * `fetch` would see the same; middleware can be given per call, so each call reports to its own
 * listener). Before sending it waits while the gate is held; after, it reads the response's status
 * and its anthropic-ratelimit-* / retry-after headers, holds the gate and reports the pause.
 * Only response headers are read: request headers carry the API key and are never touched.
 */
export function rateLimitMiddleware(options: RateLimitMiddlewareOptions): Middleware {
  const now = options.now ?? Date.now;
  return async (request, next) => {
    await options.gate.waitUntilOpen(options.signal);
    const response = await next(request);
    // The SDK neither retries nor wraps an error thrown here, so reading headers must never fail the call.
    try {
      const at = now();
      const verdict = pauseForResponse(response.status, parseRateLimitHeaders(response.headers, at), options.threshold, at);
      if (verdict.holdUntil !== null) options.gate.holdUntil(verdict.holdUntil);
      if (verdict.pause !== null) options.onPause(verdict.pause);
    } catch (error) {
      console.error(`reading rate-limit headers failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return response;
  };
}
