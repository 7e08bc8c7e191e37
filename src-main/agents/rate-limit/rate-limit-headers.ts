/** The four limits the Messages API reports in anthropic-ratelimit-* headers. */
export const RATE_LIMIT_BUCKETS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

/** Name of one reported limit. */
export type RateLimitBucketName = (typeof RATE_LIMIT_BUCKETS)[number];

/** One limit as a response reported it. */
export interface RateLimitBucket {
  readonly name: RateLimitBucketName;
  /** Null when the limit header is missing or unreadable (the fraction left is then unknown). */
  readonly limit: number | null;
  readonly remaining: number;
  /** When the bucket is fully replenished; null when the reset header is missing or unreadable. */
  readonly resetAt: Date | null;
}

/** What one response said about rate limits. */
export interface RateLimitState {
  /** Only the buckets whose `remaining` header was present and readable. */
  readonly buckets: ReadonlyArray<RateLimitBucket>;
  /** From retry-after-ms or retry-after (seconds or an HTTP date), or null when absent. */
  readonly retryAfterMs: number | null;
}

/** Response headers: a fetch `Headers` or a plain record (names in any case). */
export type HeaderSource = { get(name: string): string | null } | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;

/** Reads the anthropic-ratelimit-* and retry-after headers; unreadable values are left out, never thrown on. */
export function parseRateLimitHeaders(headers: HeaderSource | undefined | null, now: number = Date.now()): RateLimitState {
  if (headers === undefined || headers === null) return { buckets: [], retryAfterMs: null };
  const read = lookup(headers);
  const buckets = RATE_LIMIT_BUCKETS.flatMap((name): RateLimitBucket[] => {
    const remaining = count(read(`anthropic-ratelimit-${name}-remaining`));
    if (remaining === null) return [];
    return [{ name, limit: count(read(`anthropic-ratelimit-${name}-limit`)), remaining, resetAt: timestamp(read(`anthropic-ratelimit-${name}-reset`)) }];
  });
  return { buckets, retryAfterMs: retryAfter(read, now) };
}

function lookup(headers: HeaderSource): (name: string) => string | null {
  if (typeof headers.get === 'function') {
    const fetchHeaders = headers as { get(name: string): string | null };
    return (name) => fetchHeaders.get(name);
  }
  const byLowerName = new Map<string, string>();
  for (const [name, value] of Object.entries(headers as Readonly<Record<string, string | ReadonlyArray<string> | undefined>>)) {
    if (value === undefined) continue;
    byLowerName.set(name.toLowerCase(), typeof value === 'string' ? value : value.join(', '));
  }
  return (name) => byLowerName.get(name) ?? null;
}

/** A non-negative whole number, or null. */
function count(text: string | null): number | null {
  if (text === null || !/^\s*\d+\s*$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/** An RFC 3339 time (what the API sends), or null. */
function timestamp(text: string | null): Date | null {
  if (text === null || text.trim() === '') return null;
  const ms = Date.parse(text.trim());
  return Number.isFinite(ms) ? new Date(ms) : null;
}

function retryAfter(read: (name: string) => string | null, now: number): number | null {
  const ms = Number(read('retry-after-ms')?.trim() || Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const text = read('retry-after')?.trim();
  if (text === undefined || text === '') return null;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}
