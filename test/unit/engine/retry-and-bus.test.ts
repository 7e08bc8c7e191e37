import { describe, expect, it, vi } from 'vitest';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import { backoffDelay, decideRetry } from '../../../src-main/engine/retry-policy';

const settings = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 5000 };

describe('retry policy', () => {
  it('fails permanent errors at once', () => {
    expect(decideRetry('permanent', 1, settings)).toEqual({ retry: false, why: 'a permanent error is not retried' });
  });

  it('retries transient and recoverable errors within max_retries', () => {
    expect(decideRetry('transient', 3, settings, undefined, () => 0).retry).toBe(true);
    expect(decideRetry('recoverable', 4, settings)).toEqual({ retry: false, why: 'gave up after 4 failed attempts (max_retries 3)' });
  });

  it('backs off exponentially with jitter, capped, and honours retry-after', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings, () => 0))).toEqual([500, 1000, 2000, 2500, 2500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings, () => 0.999999))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(decideRetry('transient', 1, settings, 30_000, () => 0)).toEqual({ retry: true, delayMs: 30_000 });
  });
});

describe('event bus', () => {
  it('delivers typed events to named and catch-all handlers; unsubscribe works', () => {
    const bus = new EngineEventBus();
    const named = vi.fn();
    const all = vi.fn();
    const off = bus.on('pool.paused', named);
    bus.onAny(all);
    bus.emit('pool.paused', { until: 5, reason: 'rate limit' });
    off();
    bus.emit('pool.paused', { until: 6, reason: 'again' });
    expect(named).toHaveBeenCalledTimes(1);
    expect(all).toHaveBeenCalledWith('pool.paused', { until: 6, reason: 'again' });
  });

  it('a throwing handler does not break the others', () => {
    const errors: string[] = [];
    const bus = new EngineEventBus((_, name) => errors.push(name));
    const after = vi.fn();
    bus.on('pool.resumed', () => {
      throw new Error('boom');
    });
    bus.on('pool.resumed', after);
    bus.emit('pool.resumed', {});
    expect(after).toHaveBeenCalled();
    expect(errors).toEqual(['pool.resumed']);
  });

  it('once resolves on the first matching event', async () => {
    const bus = new EngineEventBus();
    const waiting = bus.once('pool.paused', (event) => event.until > 1);
    bus.emit('pool.paused', { until: 1, reason: 'a' });
    bus.emit('pool.paused', { until: 2, reason: 'b' });
    await expect(waiting).resolves.toEqual({ until: 2, reason: 'b' });
  });
});
