import { afterEach, describe, expect, it } from 'vitest';
import { ManagerError } from '../../../src-main/agents/manager';
import { toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { SHOP_PRD, shopPlan, startManager } from './fixtures';

const SECRET_KEY = 'sk-ant-api03-SECRET-do-not-leak-0123456789';

describe('Manager prompt caching and error handling', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('marks the system prompt and the PRD for caching and reads ≥ 80% of a repeated plan from cache', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.script({ respond: () => toolUseReply('parse_prd', shopPlan()) });
    await started.manager.parsePrd(SHOP_PRD);
    await started.manager.parsePrd(SHOP_PRD);

    const body = fake.messageRequests()[0]?.body;
    const system = body?.system as Array<{ text: string; cache_control?: unknown }>;
    expect(system.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    const content = body?.messages?.[0]?.content as Array<{ text: string; cache_control?: unknown }>;
    const prdBlock = content.find((block) => block.text.includes('# Product requirements: Tiny Shop'));
    expect(prdBlock?.cache_control).toEqual({ type: 'ephemeral' });

    const [first, second] = started.usage.map((report) => report.usage);
    expect(first?.cacheReadInputTokens).toBe(0);
    expect(first?.cacheCreationInputTokens).toBeGreaterThan(0);
    const total = (second?.inputTokens ?? 0) + (second?.cacheCreationInputTokens ?? 0) + (second?.cacheReadInputTokens ?? 0);
    expect((second?.cacheReadInputTokens ?? 0) / total).toBeGreaterThanOrEqual(0.8);
    expect(started.usage[1]?.costUsd).toBeLessThan(started.usage[0]?.costUsd ?? 0);
  });

  it('fails a rejected key at once as permanent, without the key in the message', async () => {
    const started = await startManager({ apiKey: SECRET_KEY }, { validApiKeys: ['sk-ant-some-other-key'] });
    fake = started.fake;
    const failure = await started.manager.parsePrd(SHOP_PRD).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManagerError);
    expect((failure as ManagerError).errorClass).toBe('permanent');
    expect((failure as ManagerError).message).toMatch(/rejected the API key \(401\)/);
    expect(String(failure)).not.toContain(SECRET_KEY);
    expect(JSON.stringify(failure)).not.toContain(SECRET_KEY);
    expect(fake.messageRequests()).toHaveLength(1);
  });

  it('succeeds after a 429 and a 529 (retried by the SDK)', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(toolUseReply('parse_prd', shopPlan()));
    fake.failNext(2, [{ kind: 'rate_limit', retryAfterSeconds: 0 }, { kind: 'overloaded' }]);
    const plan = await started.manager.parsePrd(SHOP_PRD);
    expect(plan.tasks).toHaveLength(8);
    expect(fake.messageRequests().map((request) => request.outcome)).toEqual(['fault:rate_limit', 'fault:overloaded', 'script']);
  });

  it('reports persistent overload as a transient error', async () => {
    const started = await startManager({ maxRetries: 0 });
    fake = started.fake;
    fake.failNext(1, { kind: 'overloaded', retryAfterSeconds: 7 });
    const failure = await started.manager.parsePrd(SHOP_PRD).catch((error: unknown) => error);
    expect(failure).toMatchObject({ errorClass: 'transient', retryAfterMs: 7_000 });
    expect((failure as ManagerError).message).toContain('overloaded (529)');
  });

  it('retries an error event that arrives mid-stream itself, and gives up after its bounded attempts', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(toolUseReply('parse_prd', shopPlan()));
    fake.failNext(2, { kind: 'mid_stream_error', afterEvents: 3 });
    const plan = await started.manager.parsePrd(SHOP_PRD);
    expect(plan.tasks).toHaveLength(8);
    expect(fake.messageRequests().map((request) => request.outcome)).toEqual(['fault:mid_stream_error', 'fault:mid_stream_error', 'script']);

    fake.failNext(3, { kind: 'mid_stream_error' });
    const failure = await started.manager.parsePrd(SHOP_PRD).catch((error: unknown) => error);
    expect(failure).toMatchObject({ errorClass: 'transient', midStream: true });
    expect((failure as ManagerError).message).toContain('stream failed mid-way');
  });

  it('stops at once when the caller aborts', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue({ ...toolUseReply('parse_prd', shopPlan()), delayMs: 5_000 });
    const controller = new AbortController();
    const pending = started.manager.parsePrd(SHOP_PRD, { signal: controller.signal });
    await fake.waitForRequest((request) => request.path === '/v1/messages');
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'CallAbortedError' });
  });
});
