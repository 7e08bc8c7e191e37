import { describe, expect, it } from 'vitest';
import { checkUsageWarningThreshold, pauseForRateLimitError, pauseForUsage, type RateLimitBucket, type RateLimitState } from '../../../src-main/agents/rate-limit';

const NOW = Date.parse('2026-11-25T13:00:00Z');
const in_ = (seconds: number): Date => new Date(NOW + seconds * 1000);

function state(buckets: ReadonlyArray<RateLimitBucket>, retryAfterMs: number | null = null): RateLimitState {
  return { buckets, retryAfterMs };
}

describe('pauseForUsage', () => {
  it('does not pause while every limit has more than 1 − threshold left', () => {
    const plenty = state([
      { name: 'requests', limit: 100, remaining: 21, resetAt: in_(30) },
      { name: 'tokens', limit: 1000, remaining: 900, resetAt: in_(30) },
    ]);
    expect(pauseForUsage(plenty, 0.8, NOW)).toBeNull();
  });

  it('pauses until the reset of a limit at or below the reserve, naming it', () => {
    const pause = pauseForUsage(state([{ name: 'requests', limit: 100, remaining: 20, resetAt: in_(30) }]), 0.8, NOW);
    expect(pause?.until).toEqual(in_(30));
    expect(pause?.reason).toBe('API usage above 80% of the limit (requests 20/100 left); pausing until it resets');
  });

  it('waits for the latest reset among the low limits, ignoring healthy ones', () => {
    const pause = pauseForUsage(
      state([
        { name: 'requests', limit: 100, remaining: 10, resetAt: in_(5) },
        { name: 'input-tokens', limit: 1000, remaining: 50, resetAt: in_(40) },
        { name: 'output-tokens', limit: 1000, remaining: 900, resetAt: in_(90) },
      ]),
      0.8,
      NOW,
    );
    expect(pause?.until).toEqual(in_(40));
    expect(pause?.reason).toContain('requests 10/100 left, input-tokens 50/1000 left');
  });

  it('pauses on an empty bucket even at threshold 1 or without a known limit', () => {
    expect(pauseForUsage(state([{ name: 'tokens', limit: 1000, remaining: 1, resetAt: in_(9) }]), 1, NOW)).toBeNull();
    expect(pauseForUsage(state([{ name: 'tokens', limit: 1000, remaining: 0, resetAt: in_(9) }]), 1, NOW)?.until).toEqual(in_(9));
    expect(pauseForUsage(state([{ name: 'tokens', limit: null, remaining: 0, resetAt: in_(9) }]), 0.8, NOW)?.until).toEqual(in_(9));
  });

  it('does not pause for a reset that has passed or is unknown', () => {
    expect(pauseForUsage(state([{ name: 'requests', limit: 100, remaining: 0, resetAt: in_(0) }]), 0.8, NOW)).toBeNull();
    expect(pauseForUsage(state([{ name: 'requests', limit: 100, remaining: 0, resetAt: null }]), 0.8, NOW)).toBeNull();
  });
});

describe('pauseForRateLimitError', () => {
  it('pauses for the retry-after the server sent', () => {
    const pause = pauseForRateLimitError(state([{ name: 'requests', limit: 100, remaining: 0, resetAt: in_(60) }], 2000), NOW);
    expect(pause).toEqual({ until: in_(2), reason: 'rate limited by the API (429); retry after 2 s' });
  });

  it('does not pause for a retry-after of 0', () => {
    expect(pauseForRateLimitError(state([{ name: 'requests', limit: 100, remaining: 0, resetAt: in_(60) }], 0), NOW)).toBeNull();
  });

  it('without retry-after, waits for the latest reset of an exhausted bucket', () => {
    const pause = pauseForRateLimitError(
      state([
        { name: 'requests', limit: 100, remaining: 0, resetAt: in_(10) },
        { name: 'tokens', limit: 100, remaining: 0, resetAt: in_(20) },
        { name: 'output-tokens', limit: 100, remaining: 5, resetAt: in_(90) },
      ]),
      NOW,
    );
    expect(pause?.until).toEqual(in_(20));
    expect(pauseForRateLimitError(state([]), NOW)).toBeNull();
  });
});

describe('checkUsageWarningThreshold', () => {
  it('defaults to 0.8 and refuses values outside 0..1', () => {
    expect(checkUsageWarningThreshold(undefined)).toBe(0.8);
    expect(checkUsageWarningThreshold(0)).toBe(0);
    expect(checkUsageWarningThreshold(1)).toBe(1);
    expect(() => checkUsageWarningThreshold(80)).toThrow(/between 0 and 1/);
    expect(() => checkUsageWarningThreshold(Number.NaN)).toThrow(RangeError);
  });
});
