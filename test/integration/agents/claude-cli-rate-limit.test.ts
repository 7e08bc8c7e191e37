import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClaudeCliBackend } from '../../../src-main/agents/claude-cli';
import type { ClaudeCliBackendOptions } from '../../../src-main/agents/claude-cli';
import { CLAUDE_BIN, claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, textReply } from '../../support/fake-anthropic';
import type { FakeAnthropic } from '../../support/fake-anthropic';
import { makeInput, recordingIO } from './support';

describe('Claude Code CLI worker rate limits (real CLI, fake API)', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic({ validApiKeys: ['sk-ant-test'] });
    repo = makeTempGitRepo();
    home = makeTempDir('co-home-');
  });
  afterEach(async () => {
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  // claudeTestEnv sets CLAUDE_CODE_MAX_RETRIES=1: one retry of its own, then it gives up.
  const backend = (options: ClaudeCliBackendOptions = {}) =>
    createClaudeCliBackend({ claudePath: CLAUDE_BIN, env: claudeTestEnv(fake, home.path), inheritEnv: false, killGraceMs: 2_000, ...options });

  it('pauses for the retry-after Claude Code reports, not 60 s, while it retries and after it gives up', async () => {
    // The 429s also carry anthropic-ratelimit-*-reset headers 45 s away, which the CLI never shows.
    fake.setRateLimit({ resetAt: new Date(Date.now() + 45_000) });
    fake.failNext(2, { kind: 'rate_limit', retryAfterSeconds: 3 }, matchers.hasTools);
    const io = recordingIO();

    const outcome = await backend().runAttempt(makeInput(repo.path), io);
    const ended = Date.now();

    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.error).toMatchObject({ errorClass: 'transient', message: expect.stringContaining('429') });
    const [limited, retried] = fake.messageRequests().filter(matchers.hasTools);
    expect([limited?.outcome, retried?.outcome]).toEqual(['fault:rate_limit', 'fault:rate_limit']);
    const [whileRetrying, afterGivingUp] = io.rateLimits;
    expect(io.rateLimits).toHaveLength(2);
    // From its {"subtype":"api_retry","retry_delay_ms":3000,"error_status":429} line, while it waited to retry.
    expect(whileRetrying?.reason).toBe('Claude Code was rate limited by the API (429); it retries in 3 s (retry 1/1)');
    expect(whileRetrying?.resetAt.getTime()).toBeGreaterThanOrEqual((limited?.receivedAt ?? 0) + 3000);
    expect(whileRetrying?.resetAt.getTime()).toBeLessThanOrEqual((retried?.receivedAt ?? 0) + 1000);
    // After the final 429: the same announced delay again, from the end of the run.
    expect(afterGivingUp?.reason).toMatch(/Pausing 3 s \(Claude Code's last retry delay\)\.$/);
    expect(afterGivingUp?.resetAt.getTime()).toBeGreaterThanOrEqual((retried?.receivedAt ?? 0) + 3000);
    expect(afterGivingUp?.resetAt.getTime()).toBeLessThanOrEqual(ended + 3000);
    expect(io.logs).toContainEqual(expect.objectContaining({ kind: 'system', text: 'API retry 1/1 after 429' }));
  });

  it('pauses while Claude Code retries a 429 by itself, even when the retry then succeeds', async () => {
    fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 2 }, matchers.hasTools);
    fake.script({ match: matchers.hasTools, replies: [textReply('Recovered.')] });
    const io = recordingIO();

    const outcome = await backend().runAttempt(makeInput(repo.path), io);

    expect(outcome.status).toBe('succeeded');
    const [limited] = fake.messageRequests().filter(matchers.hasTools);
    expect(io.rateLimits).toHaveLength(1);
    expect(io.rateLimits[0]?.resetAt.getTime()).toBeGreaterThanOrEqual((limited?.receivedAt ?? 0) + 2000);
    expect(io.rateLimits[0]?.resetAt.getTime()).toBeLessThan((limited?.receivedAt ?? 0) + 10_000);
  });

  it('falls back to rateLimitPauseMs when Claude Code gave up without a retry, so it reported no delay', async () => {
    fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 3 }, matchers.hasTools);
    const io = recordingIO();

    const outcome = await backend({ env: claudeTestEnv(fake, home.path, { CLAUDE_CODE_MAX_RETRIES: '0' }), rateLimitPauseMs: 30_000 }).runAttempt(makeInput(repo.path), io);

    expect(outcome.status).toBe('failed');
    expect(io.rateLimits).toHaveLength(1);
    expect(io.rateLimits[0]?.reason).toMatch(/Pausing 30 s \(Claude Code did not say how long to wait\)\.$/);
    expect(io.rateLimits[0]?.resetAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
  });
});
