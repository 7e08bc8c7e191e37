import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import type { AttemptOutcome, WorkerBackend } from '../../../src-main/engine/worker-backend';
import { temporaryFolder } from '../engine/helpers';

const config = resolveConfig({ execution: { max_retries: 2, retry_base_delay: 0.01, retry_max_delay: 0.02 } });
const ZERO = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
const COMMON = { filesModified: [], filesCreated: [], discoveries: [], usage: ZERO, costUsd: 0 };

/** A backend whose first attempt reports a rate limit lasting `pauseMs` and fails transient; later attempts succeed. */
function limitedOnce(pauseMs: number): WorkerBackend {
  let calls = 0;
  return {
    name: 'limited',
    runAttempt(_input, io): Promise<AttemptOutcome> {
      calls += 1;
      if (calls > 1) return Promise.resolve({ ...COMMON, status: 'succeeded', output: 'ok' });
      io.rateLimited?.(new Date(Date.now() + pauseMs), 'rate limited by the API (429)');
      return Promise.resolve({ ...COMMON, status: 'failed', error: { errorClass: 'transient', message: '429' } });
    },
  };
}

describe('a rate-limit pause is stored for other processes', () => {
  it('another Orchestrator on the same project sees the pause and its reason; stopping the run clears it', async () => {
    const folder = temporaryFolder();
    const running = new Orchestrator({ workingDirectory: folder, config, pollMs: 20, maxWorkers: 1, backend: limitedOnce(60_000) });
    const observer = new Orchestrator({ workingDirectory: folder, config });
    running.addTask('x');
    const paused = running.events.once('pool.paused').then((event) => event.until);
    running.start();
    const until = await paused;

    expect(observer.getStatus()).toMatchObject({ running: false, pausedUntil: until, pauseReason: 'rate limited by the API (429)' });
    expect(running.getStatus()).toMatchObject({ running: true, pausedUntil: until, pauseReason: 'rate limited by the API (429)' });

    const resumed = running.events.once('pool.resumed');
    await running.stop();
    await resumed;
    expect(observer.getStatus()).toMatchObject({ pausedUntil: null, pauseReason: null });
    await running.close();
    await observer.close();
  });

  it('is cleared when the pause ends and the run goes on', async () => {
    const folder = temporaryFolder();
    const o = new Orchestrator({ workingDirectory: folder, config, pollMs: 20, maxWorkers: 1, backend: limitedOnce(50) });
    const events: string[] = [];
    o.events.on('pool.paused', () => events.push(`paused:${o.store.meta.getPoolPause() === null ? 'not stored' : 'stored'}`));
    o.events.on('pool.resumed', () => events.push(`resumed:${o.store.meta.getPoolPause() === null ? 'cleared' : 'still stored'}`));
    o.addTask('x');
    const run = await o.run();
    expect(run.status).toBe('succeeded');
    expect(events).toEqual(['paused:stored', 'resumed:cleared']);
    await o.close();
  });

  it('ignores a stored pause that has already ended (e.g. left by a crashed process)', async () => {
    const o = new Orchestrator({ workingDirectory: temporaryFolder(), config });
    o.store.write(() => o.store.meta.setPoolPause({ until: Date.now() - 1000, reason: 'old' }));
    expect(o.getStatus()).toMatchObject({ pausedUntil: null, pauseReason: null });
    o.store.write(() => o.store.meta.setPoolPause({ until: Date.now() + 60_000, reason: 'new' }));
    expect(o.getStatus().pauseReason).toBe('new');
    await o.close();
  });

  it('pausePool (the manager path) pauses a running pool and stores it; without a run it does nothing', async () => {
    let paused: boolean | undefined;
    const backend: WorkerBackend = {
      name: 'manager-limited',
      runAttempt(input): Promise<AttemptOutcome> {
        if (input.task.title === 'first') paused = o.pausePool(new Date(Date.now() + 50), 'manager: tokens 10/100 left');
        return Promise.resolve({ ...COMMON, status: 'succeeded', output: 'ok' });
      },
    };
    const o: Orchestrator = new Orchestrator({ workingDirectory: temporaryFolder(), config, pollMs: 20, maxWorkers: 1, backend });
    expect(o.pausePool(new Date(Date.now() + 60_000), 'idle')).toBe(false);
    expect(o.getStatus().pausedUntil).toBeNull();
    const events: string[] = [];
    o.events.on('pool.paused', (event) => events.push(`paused:${event.reason}:${o.store.meta.getPoolPause()?.reason ?? 'not stored'}`));
    o.events.on('pool.resumed', () => events.push('resumed'));
    o.addTasksBatch(['first', 'second']);
    const run = await o.run();
    expect(run.status).toBe('succeeded');
    expect(paused).toBe(true);
    expect(events).toEqual(['paused:manager: tokens 10/100 left:manager: tokens 10/100 left', 'resumed']);
    await o.close();
  });
});
