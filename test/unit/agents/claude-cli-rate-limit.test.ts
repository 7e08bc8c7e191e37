import { describe, expect, it } from 'vitest';
import { parseStreamLine } from '../../../src-main/agents/claude-cli';
import { DEFAULT_CLI_RATE_LIMIT_PAUSE_MS, pauseForCliRateLimitFailure, pauseForCliRetry } from '../../../src-main/agents/claude-cli/rate-limit-pause';
import { parseApiRetry } from '../../../src-main/agents/claude-cli/stream-events';

const NOW = Date.parse('2026-11-25T13:00:00Z');
// As Claude Code 2.1.197 printed it against the fake API (429 with retry-after: 3), ids shortened.
const RETRY_LINE = '{"type":"system","subtype":"api_retry","attempt":1,"max_retries":1,"retry_delay_ms":3000,"error_status":429,"error":"rate_limit","session_id":"s-1","uuid":"u-1"}';

function retryOf(line: string) {
  const event = parseStreamLine(line);
  return event?.kind === 'system' ? parseApiRetry(event.raw) : undefined;
}

describe('api_retry events of Claude Code', () => {
  it('reads the retry delay and status of a 429 retry', () => {
    expect(retryOf(RETRY_LINE)).toMatchObject({ attempt: 1, max_retries: 1, retry_delay_ms: 3000, error_status: 429, error: 'rate_limit' });
  });

  it('gives nothing for other system events or an api_retry without a delay', () => {
    expect(retryOf('{"type":"system","subtype":"compact_boundary","session_id":"s"}')).toBeUndefined();
    expect(retryOf('{"type":"system","subtype":"api_retry","error_status":429}')).toBeUndefined();
  });
});

describe('pauseForCliRetry', () => {
  it('pauses for the delay Claude Code waits before retrying a 429', () => {
    expect(pauseForCliRetry(retryOf(RETRY_LINE)!, NOW)).toEqual({
      until: new Date(NOW + 3000),
      reason: 'Claude Code was rate limited by the API (429); it retries in 3 s (retry 1/1)',
    });
  });

  it('does not pause for retries of other failures', () => {
    const overloaded = retryOf(RETRY_LINE.replace('"error_status":429', '"error_status":529').replace('"rate_limit"', '"server_error"'))!;
    expect(pauseForCliRetry(overloaded, NOW)).toBeNull();
    const connection = retryOf(RETRY_LINE.replace('"error_status":429', '"error_status":null').replace('"rate_limit"', '"unknown"'))!;
    expect(pauseForCliRetry(connection, NOW)).toBeNull();
  });
});

describe('pauseForCliRateLimitFailure', () => {
  it("uses the last 429 retry's delay when Claude Code made one", () => {
    expect(pauseForCliRateLimitFailure('Rate limited (HTTP 429).', 3000, DEFAULT_CLI_RATE_LIMIT_PAUSE_MS, NOW)).toEqual({
      until: new Date(NOW + 3000),
      reason: "Rate limited (HTTP 429). Pausing 3 s (Claude Code's last retry delay).",
    });
  });

  it('falls back to the configured pause, 60 s by default, when it reported no delay', () => {
    expect(pauseForCliRateLimitFailure('Rate limited.', undefined, DEFAULT_CLI_RATE_LIMIT_PAUSE_MS, NOW).until).toEqual(new Date(NOW + 60_000));
    expect(pauseForCliRateLimitFailure('Rate limited.', 0, 30_000, NOW)).toEqual({
      until: new Date(NOW + 30_000),
      reason: 'Rate limited. Pausing 30 s (Claude Code did not say how long to wait).',
    });
  });
});
