import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recoverWhileIdle } from '../../../src-main/runtime/mid-run-recovery';

describe('recoverWhileIdle (the app’s open project between runs)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes every interval only while no run goes on, never during a run’s start, and none after stop', async () => {
    const calls: string[] = [];
    let running = false;
    const idle = recoverWhileIdle(async () => void calls.push('pass'), { intervalMs: 100, isRunning: () => running });
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual(['pass']);

    running = true;
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toEqual(['pass']);

    running = false;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const start = idle.exclusive(async () => {
      calls.push('start');
      await gate;
      calls.push('started');
    });
    await vi.advanceTimersByTimeAsync(300);
    // Ticks during the start wait for it, and only one pass is queued however many ticks came.
    expect(calls).toEqual(['pass', 'start']);
    release();
    await start;
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual(['pass', 'start', 'started', 'pass']);

    await idle.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toEqual(['pass', 'start', 'started', 'pass']);
  });

  it('a failing pass is logged and the next one still runs', async () => {
    const logged: string[] = [];
    let passes = 0;
    const idle = recoverWhileIdle(
      async () => {
        passes += 1;
        if (passes === 1) throw new Error('git is gone');
      },
      { intervalMs: 100, isRunning: () => false, log: (line) => logged.push(line) },
    );
    await vi.advanceTimersByTimeAsync(200);
    expect(passes).toBe(2);
    expect(logged).toEqual(['recovering what a stopped process left failed: git is gone']);
    await idle.stop();
  });
});
