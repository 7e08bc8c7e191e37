import { afterEach, describe, expect, it } from 'vitest';
import { Manager, ManagerError, type ModelClientOptions } from '../../../src-main/agents/manager';
import { TEST_API_KEY, startFakeAnthropic, textReply, type FakeAnthropic } from '../../support/fake-anthropic';

const RUN = { tasks: [{ id: '1', title: 'Skeleton', status: 'done' }], outcomes: [{ taskId: '1', status: 'succeeded' }] };

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A manager on a fresh fake API that records every onRateLimit call. */
async function startManager(options: Partial<Pick<ModelClientOptions, 'usageWarningThreshold' | 'maxRetries'>> = {}): Promise<{ manager: Manager; calls: Array<{ resetAt: Date; reason: string }> }> {
  fake = await startFakeAnthropic();
  const calls: Array<{ resetAt: Date; reason: string }> = [];
  const manager = new Manager({ apiKey: TEST_API_KEY, baseURL: fake.url, maxRetries: 0, onRateLimit: (resetAt, reason) => void calls.push({ resetAt, reason }), ...options });
  return { manager, calls };
}

describe("the manager's onRateLimit (real SDK, fake API)", () => {
  it('is called with the reset time when headers show a limit past the threshold, and the call still succeeds', async () => {
    const { manager, calls } = await startManager();
    const resetAt = new Date(Date.now() + 30_000);
    fake?.setRateLimit({ tokensLimit: 400_000, tokensRemaining: 20_000, resetAt });
    fake?.enqueue(textReply('All done.'));

    const summary = await manager.summarizeRun(RUN);

    expect(summary.text).toBe('All done.');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.resetAt).toEqual(resetAt);
    expect(calls[0]?.reason).toContain('tokens 20000/400000 left');
  });

  it('follows usageWarningThreshold: 25% left pauses at 0.5 but not at the default 0.8', async () => {
    const lenient = await startManager();
    fake?.setRateLimit({ tokensLimit: 400_000, tokensRemaining: 100_000, resetAt: new Date(Date.now() + 30_000) });
    await lenient.manager.summarizeRun(RUN);
    expect(lenient.calls).toEqual([]);
    await fake?.close();

    const strict = await startManager({ usageWarningThreshold: 0.5 });
    fake?.setRateLimit({ tokensLimit: 400_000, tokensRemaining: 100_000, resetAt: new Date(Date.now() + 30_000) });
    await strict.manager.summarizeRun(RUN);
    expect(strict.calls).toHaveLength(1);
  });

  it('is called for a final 429 with retry-after, and the call fails as transient', async () => {
    const { manager, calls } = await startManager();
    fake?.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 5 });
    const before = Date.now();

    const failure = await manager.summarizeRun(RUN).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ManagerError);
    expect(failure).toMatchObject({ errorClass: 'transient', retryAfterMs: 5000 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.reason).toBe('rate limited by the API (429); retry after 5 s');
    expect(calls[0]?.resetAt.getTime()).toBeGreaterThanOrEqual(before + 5000);
  });

  it('is called for a 429 that the SDK then retries successfully, and the call waits out the retry-after', async () => {
    const { manager, calls } = await startManager({ maxRetries: 1 });
    fake?.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 1 });
    fake?.enqueue(textReply('All done.'));
    const before = Date.now();

    const summary = await manager.summarizeRun(RUN);

    expect(summary.text).toBe('All done.');
    expect(calls.map((call) => call.reason)).toEqual(['rate limited by the API (429); retry after 1 s']);
    expect(calls[0]?.resetAt.getTime()).toBeGreaterThanOrEqual(before + 1000);
    const [limited, retried] = fake?.messageRequests() ?? [];
    expect([limited?.outcome, retried?.outcome]).toEqual(['fault:rate_limit', 'script']);
    expect(retried?.receivedAt).toBeGreaterThanOrEqual(calls[0]?.resetAt.getTime() ?? Number.POSITIVE_INFINITY);
  });

  it('refuses a threshold outside 0..1', () => {
    expect(() => new Manager({ apiKey: TEST_API_KEY, usageWarningThreshold: 80 })).toThrow(/between 0 and 1/);
  });
});
