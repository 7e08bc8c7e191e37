export { RATE_LIMIT_BUCKETS, parseRateLimitHeaders } from './rate-limit-headers';
export type { HeaderSource, RateLimitBucket, RateLimitBucketName, RateLimitState } from './rate-limit-headers';
export { DEFAULT_USAGE_WARNING_THRESHOLD, checkUsageWarningThreshold, pauseForRateLimitError, pauseForUsage } from './rate-limit-policy';
export type { RateLimitListener, RateLimitPause } from './rate-limit-policy';
