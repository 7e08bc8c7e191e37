export { RATE_LIMIT_BUCKETS, parseRateLimitHeaders } from './rate-limit-headers';
export type { HeaderSource, RateLimitBucket, RateLimitBucketName, RateLimitState } from './rate-limit-headers';
export { DEFAULT_USAGE_WARNING_THRESHOLD, checkUsageWarningThreshold, pauseForRateLimitError, pauseForResponse, pauseForUsage } from './rate-limit-policy';
export type { RateLimitListener, RateLimitPause, ResponseVerdict } from './rate-limit-policy';
export { RateLimitGate } from './rate-limit-gate';
export { rateLimitMiddleware } from './rate-limit-middleware';
export type { RateLimitMiddlewareOptions } from './rate-limit-middleware';
