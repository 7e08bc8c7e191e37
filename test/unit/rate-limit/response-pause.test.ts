import type { MiddlewareContext } from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimitGate, pauseForResponse, rateLimitMiddleware, type RateLimitPause, type RateLimitState } from '../../../src-main/agents/rate-limit';

const NOW = Date.parse('2026-11-25T13:00:00Z');
const in_ = (seconds: number): Date => new Date(NOW + seconds * 1000);

afterEach(() => {
  vi.useRealTimers();
});

describe('pauseForResponse', () => {
  const empty: RateLimitState = { buckets: [{ name: 'requests', limit: 50, remaining: 0, resetAt: in_(20) }], retryAfterMs: null };

  it('holds every request for the retry-after of a 429, even when the SDK will retry it', () => {
    const verdict = pauseForResponse(429, { ...empty, retryAfterMs: 3000 }, 0.8, NOW);
    expect(verdict).toEqual({ pause: { until: in_(3), reason: 'rate limited by the API (429); retry after 3 s' }, holdUntil: NOW + 3000 });
  });

  it('holds a 429 without retry-after until the empty limit resets, and not at all with nothing to go by', () => {
    expect(pauseForResponse(429, empty, 0.8, NOW).holdUntil).toBe(in_(20).getTime());
    expect(pauseForResponse(429, { buckets: [], retryAfterMs: null }, 0.8, NOW)).toEqual({ pause: null, holdUntil: null });
  });

  it('pauses and holds until the reset when a successful response shows a limit with nothing left', () => {
    const verdict = pauseForResponse(200, empty, 0.8, NOW);
    expect(verdict.pause?.until).toEqual(in_(20));
    expect(verdict.pause?.reason).toContain('requests 0/50 left');
    expect(verdict.holdUntil).toBe(in_(20).getTime());
  });

  it('only pauses the pool (running work goes on) when a limit is past the threshold but not empty', () => {
    const verdict = pauseForResponse(200, { buckets: [{ name: 'tokens', limit: 1000, remaining: 100, resetAt: in_(30) }], retryAfterMs: null }, 0.8, NOW);
    expect(verdict.pause?.until).toEqual(in_(30));
    expect(verdict.holdUntil).toBeNull();
  });

  it('ignores an empty limit whose reset has passed', () => {
    expect(pauseForResponse(200, { buckets: [{ name: 'requests', limit: 50, remaining: 0, resetAt: in_(-1) }], retryAfterMs: null }, 0.8, NOW)).toEqual({ pause: null, holdUntil: null });
  });
});

describe('RateLimitGate', () => {
  it('is open at first, and a later hold extends an earlier one while an earlier one changes nothing', () => {
    let now = NOW;
    const gate = new RateLimitGate(() => now);
    expect(gate.heldUntil()).toBeNull();
    gate.holdUntil(NOW + 5000);
    gate.holdUntil(NOW + 2000);
    expect(gate.heldUntil()).toBe(NOW + 5000);
    now = NOW + 5000;
    expect(gate.heldUntil()).toBeNull();
  });

  it('lets waiters through when the hold ends, including a hold extended while they wait', async () => {
    vi.useFakeTimers({ now: NOW });
    const gate = new RateLimitGate();
    gate.holdUntil(NOW + 1000);
    let passedAt: number | undefined;
    const waiting = gate.waitUntilOpen().then(() => void (passedAt = Date.now()));
    await vi.advanceTimersByTimeAsync(500);
    gate.holdUntil(NOW + 3000);
    await vi.advanceTimersByTimeAsync(600);
    expect(passedAt).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2000);
    await waiting;
    expect(passedAt).toBe(NOW + 3000);
  });

  it('stops waiting when the signal aborts', async () => {
    vi.useFakeTimers({ now: NOW });
    const gate = new RateLimitGate();
    gate.holdUntil(NOW + 60_000);
    const controller = new AbortController();
    const waiting = gate.waitUntilOpen(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });
});

describe('rateLimitMiddleware', () => {
  const context = {} as MiddlewareContext;
  const request = { url: 'https://api.example/v1/messages', method: 'POST', headers: new Headers({ 'x-api-key': 'sk-ant-secret' }) } as Parameters<ReturnType<typeof rateLimitMiddleware>>[0];
  const reply = (status: number, headers: Record<string, string>) => async (): Promise<Response> => new Response(null, { status, headers });

  it('reports a 429 and holds the gate, handing the response on unchanged for the SDK to retry', async () => {
    const pauses: RateLimitPause[] = [];
    const gate = new RateLimitGate(() => NOW);
    const middleware = rateLimitMiddleware({ threshold: 0.8, gate, onPause: (pause) => void pauses.push(pause), now: () => NOW });
    const response = await middleware(request, reply(429, { 'retry-after': '3' }), context);
    expect(response.status).toBe(429);
    expect(pauses).toEqual([{ until: in_(3), reason: 'rate limited by the API (429); retry after 3 s' }]);
    expect(gate.heldUntil()).toBe(NOW + 3000);
  });

  it('waits at a held gate before sending', async () => {
    vi.useFakeTimers({ now: NOW });
    const gate = new RateLimitGate();
    gate.holdUntil(NOW + 2000);
    const sentAt: number[] = [];
    const middleware = rateLimitMiddleware({ threshold: 0.8, gate, onPause: () => undefined });
    const sending = middleware(request, async () => {
      sentAt.push(Date.now());
      return new Response(null, { status: 200 });
    }, context);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sentAt).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await sending;
    expect(sentAt).toEqual([NOW + 2000]);
  });

  it('never fails the call when reporting throws', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const middleware = rateLimitMiddleware({
      threshold: 0.8,
      gate: new RateLimitGate(() => NOW),
      onPause: () => {
        throw new Error('listener broke');
      },
      now: () => NOW,
    });
    const response = await middleware(request, reply(200, { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': in_(10).toISOString() }), context);
    expect(response.status).toBe(200);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('listener broke'));
    errors.mockRestore();
  });
});
