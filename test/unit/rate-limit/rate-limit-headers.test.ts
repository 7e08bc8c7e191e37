import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders } from '../../../src-main/agents/rate-limit';

const NOW = Date.parse('2026-11-25T13:00:00Z');
const RESET = '2026-11-25T13:00:30Z';

/** The headers the Messages API sends, for one bucket. */
function bucketHeaders(name: string, limit: string, remaining: string, reset: string = RESET): Record<string, string> {
  return {
    [`anthropic-ratelimit-${name}-limit`]: limit,
    [`anthropic-ratelimit-${name}-remaining`]: remaining,
    [`anthropic-ratelimit-${name}-reset`]: reset,
  };
}

describe('parseRateLimitHeaders', () => {
  it('reads all four buckets from fetch Headers', () => {
    const headers = new Headers({
      ...bucketHeaders('requests', '4000', '3999'),
      ...bucketHeaders('tokens', '400000', '12000'),
      ...bucketHeaders('input-tokens', '300000', '10000'),
      ...bucketHeaders('output-tokens', '80000', '2000', '2026-11-25T13:01:00Z'),
    });
    expect(parseRateLimitHeaders(headers, NOW)).toEqual({
      buckets: [
        { name: 'requests', limit: 4000, remaining: 3999, resetAt: new Date(RESET) },
        { name: 'tokens', limit: 400000, remaining: 12000, resetAt: new Date(RESET) },
        { name: 'input-tokens', limit: 300000, remaining: 10000, resetAt: new Date(RESET) },
        { name: 'output-tokens', limit: 80000, remaining: 2000, resetAt: new Date('2026-11-25T13:01:00Z') },
      ],
      retryAfterMs: null,
    });
  });

  it('reads a plain record whatever the case of the names', () => {
    const state = parseRateLimitHeaders({ 'Anthropic-RateLimit-Requests-Remaining': '5', 'ANTHROPIC-RATELIMIT-REQUESTS-LIMIT': '50', 'retry-after': '3' }, NOW);
    expect(state).toEqual({ buckets: [{ name: 'requests', limit: 50, remaining: 5, resetAt: null }], retryAfterMs: 3000 });
  });

  it('leaves out buckets without a readable remaining count, and unreadable limits and resets', () => {
    const state = parseRateLimitHeaders(
      {
        ...bucketHeaders('requests', 'lots', '7', 'soon'),
        ...bucketHeaders('tokens', '100', '-1'),
        ...bucketHeaders('input-tokens', '100', '1.5'),
        'anthropic-ratelimit-output-tokens-limit': '100',
      },
      NOW,
    );
    expect(state.buckets).toEqual([{ name: 'requests', limit: null, remaining: 7, resetAt: null }]);
  });

  it('gives an empty state for no headers', () => {
    expect(parseRateLimitHeaders(undefined)).toEqual({ buckets: [], retryAfterMs: null });
    expect(parseRateLimitHeaders(new Headers())).toEqual({ buckets: [], retryAfterMs: null });
  });

  it('reads retry-after-ms first, then retry-after in seconds or as an HTTP date', () => {
    expect(parseRateLimitHeaders({ 'retry-after-ms': '1500', 'retry-after': '9' }, NOW).retryAfterMs).toBe(1500);
    expect(parseRateLimitHeaders({ 'retry-after': '0' }, NOW).retryAfterMs).toBe(0);
    expect(parseRateLimitHeaders({ 'retry-after': '2.5' }, NOW).retryAfterMs).toBe(2500);
    expect(parseRateLimitHeaders({ 'retry-after': new Date(NOW + 20_000).toUTCString() }, NOW).retryAfterMs).toBe(20_000);
    expect(parseRateLimitHeaders({ 'retry-after': new Date(NOW - 20_000).toUTCString() }, NOW).retryAfterMs).toBe(0);
    expect(parseRateLimitHeaders({ 'retry-after': 'later' }, NOW).retryAfterMs).toBeNull();
    expect(parseRateLimitHeaders({ 'retry-after': '-4' }, NOW).retryAfterMs).toBeNull();
  });
});
