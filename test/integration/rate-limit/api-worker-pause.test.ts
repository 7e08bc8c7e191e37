import { afterEach, describe, expect, it } from 'vitest';
import { formatPause } from '../../../src-main/cli/commands/status';
import { runCo, startRateLimitProject, type RateLimitProject } from './fixtures';

let project: RateLimitProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

describe('API worker rate limits pause the pool (real SDK, fake API)', () => {
  it('pauses until the reset when headers show 10% of requests left, then finishes every task', async () => {
    project = await startRateLimitProject();
    const { fake, orchestrator, folder } = project;
    const resetAt = new Date(Date.now() + 1500);
    fake.setRateLimit({ requestsLimit: 4000, requestsRemaining: 400, resetAt });
    const duringPause = orchestrator.events.once('pool.paused').then(async () => ({ status: orchestrator.getStatus(), printed: await runCo(['-d', folder, 'status']) }));
    const [first, second] = orchestrator.addTasksBatch(['Write a.txt', 'Write b.txt']);

    const run = await orchestrator.run();

    expect(run.status).toBe('succeeded');
    expect(orchestrator.getTask(first as string).status).toBe('done');
    expect(orchestrator.getTask(second as string).status).toBe('done');
    const paused = project.poolEvents.filter((event) => event.name === 'pool.paused');
    expect(paused).toHaveLength(1);
    const pause = paused[0]?.name === 'pool.paused' ? paused[0].payload : undefined;
    expect(pause?.until).toBe(resetAt.getTime());
    expect(pause?.reason).toContain('requests 400/4000 left');
    expect(project.poolEvents.map((event) => event.name)).toEqual(['pool.paused', 'pool.resumed']);
    // The second task was held back until the limit reset, instead of being started and failing.
    const secondAttempts = orchestrator.store.attempts.listForTask(second as string);
    expect(secondAttempts.map((attempt) => attempt.status)).toEqual(['succeeded']);
    expect(secondAttempts[0]?.startedAt).toBeGreaterThanOrEqual(resetAt.getTime());
    expect(orchestrator.store.attempts.listForTask(first as string).map((attempt) => attempt.status)).toEqual(['succeeded']);
    // While paused, the status (and `co status` from another connection) showed the pause; it is cleared afterwards.
    const { status, printed } = await duringPause;
    expect(status).toMatchObject({ pausedUntil: resetAt.getTime(), pauseReason: pause?.reason });
    expect(printed).toContain(`Workers ${formatPause(resetAt.getTime(), pause?.reason ?? null)}`);
    expect(orchestrator.store.meta.getPoolPause()).toBeNull();
    expect(orchestrator.getStatus().pausedUntil).toBeNull();
  });

  it('does not pause while usage stays below the threshold', async () => {
    project = await startRateLimitProject({ usageWarningThreshold: 0.95 });
    project.fake.setRateLimit({ requestsLimit: 4000, requestsRemaining: 400, resetAt: new Date(Date.now() + 60_000) });
    project.orchestrator.addTasksBatch(['Write a.txt', 'Write b.txt']);

    const run = await project.orchestrator.run();

    expect(run.status).toBe('succeeded');
    expect(project.poolEvents).toEqual([]);
  });

  it('turns a 429 with retry-after into a pause and a transient failure, then the retry succeeds', async () => {
    project = await startRateLimitProject();
    const { fake, orchestrator } = project;
    fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 1 });
    const id = orchestrator.addTask('Write a.txt');
    const started = Date.now();

    const run = await orchestrator.run();

    expect(run.status).toBe('succeeded');
    expect(orchestrator.getTask(id).status).toBe('done');
    const attempts = orchestrator.store.attempts.listForTask(id);
    expect(attempts.map((attempt) => [attempt.status, attempt.errorClass])).toEqual([
      ['failed', 'transient'],
      ['succeeded', null],
    ]);
    expect(attempts[0]?.errorMessage).toMatch(/rate limited \(429\)/);
    const pause = project.poolEvents[0];
    expect(pause?.name).toBe('pool.paused');
    if (pause?.name !== 'pool.paused') return;
    expect(pause.payload.reason).toBe('rate limited by the API (429); retry after 1 s');
    expect(pause.payload.until).toBeGreaterThanOrEqual(started + 1000);
    expect(attempts[1]?.startedAt).toBeGreaterThanOrEqual(pause.payload.until);
    expect(fake.messageRequests().map((request) => request.outcome)).toEqual(['fault:rate_limit', 'default']);
  });
});
