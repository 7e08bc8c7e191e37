import { afterEach, describe, expect, it } from 'vitest';
import { textReply, toolUseReply, type RecordedRequest, type RequestMatcher } from '../../support/fake-anthropic';
import { startRateLimitProject, type PoolEvent, type RateLimitProject } from './fixtures';

let project: RateLimitProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** Requests of the worker on the task with this title (its first message names the task). */
function forTask(title: string): RequestMatcher {
  return (request) => JSON.stringify(request.body?.messages?.[0] ?? '').includes(title);
}

function pauses(events: ReadonlyArray<PoolEvent>): Array<Extract<PoolEvent, { name: 'pool.paused' }>> {
  return events.flatMap((event) => (event.name === 'pool.paused' ? [event] : []));
}

describe('the pool pauses on what every SDK response says (real SDK, fake API, two workers)', () => {
  it('pauses for a 429 the SDK then retries by itself, and holds every worker back until its retry-after', async () => {
    project = await startRateLimitProject({ maxRetries: 2 }, { maxWorkers: 2 });
    const { fake, orchestrator } = project;
    fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: 3 }, forTask('Write a.txt'));
    // b's first answer comes after a's 429, so its next request is one the pause should hold back.
    fake.script({ match: forTask('Write b.txt'), replies: [toolUseReply('list_files', {}, { delayMs: 1000 }), textReply('b is done.')] });
    const [first, second] = orchestrator.addTasksBatch(['Write a.txt', 'Write b.txt']);

    const run = await orchestrator.run();

    expect(run.status).toBe('succeeded');
    // The SDK's retry succeeded: no attempt failed, yet the pool was paused for the retry-after.
    for (const id of [first, second]) expect(orchestrator.store.attempts.listForTask(id as string).map((attempt) => attempt.status)).toEqual(['succeeded']);
    const rateLimited = fake.messageRequests().find((request) => request.outcome === 'fault:rate_limit') as RecordedRequest;
    const [pause] = pauses(project.poolEvents);
    expect(pause?.payload.reason).toBe('rate limited by the API (429); retry after 3 s');
    const until = pause?.payload.until ?? 0;
    expect(until).toBeGreaterThanOrEqual(rateLimited.receivedAt + 3000);
    expect(until).toBeLessThan(rateLimited.receivedAt + 3500);
    // Neither worker sent anything between the pause and its end: a's retry and b's second turn both waited.
    const afterPause = fake.messageRequests().filter((request) => request.receivedAt >= (pause?.at ?? 0));
    expect(afterPause.filter(forTask('Write a.txt')).map((request) => request.outcome)).toEqual(['default']);
    expect(afterPause.filter(forTask('Write b.txt')).map((request) => request.outcome)).toEqual(['script']);
    for (const request of afterPause) expect(request.receivedAt).toBeGreaterThanOrEqual(until);
  });

  it('pauses until the announced reset when a response shows no requests left, and holds running workers until then', async () => {
    project = await startRateLimitProject({}, { maxWorkers: 2 });
    const { fake, orchestrator } = project;
    const resetAt = new Date(Date.now() + 1500);
    fake.setRateLimit({ requestsLimit: 50, requestsRemaining: 0, resetAt });
    for (const title of ['Write a.txt', 'Write b.txt']) fake.script({ match: forTask(title), replies: [toolUseReply('list_files', {}), textReply(`${title}: done.`)] });
    orchestrator.addTasksBatch(['Write a.txt', 'Write b.txt']);

    const run = await orchestrator.run();

    expect(run.status).toBe('succeeded');
    const [pause] = pauses(project.poolEvents);
    expect(pause?.payload.until).toBe(resetAt.getTime());
    expect(pause?.payload.reason).toContain('requests 0/50 left');
    const requests = fake.messageRequests();
    expect(requests).toHaveLength(4);
    // Each worker's first turn said "0 left"; both second turns waited for the reset instead of drawing a 429.
    const secondTurns = requests.filter((request) => (request.body?.messages?.length ?? 0) > 1);
    expect(secondTurns).toHaveLength(2);
    for (const request of secondTurns) expect(request.receivedAt).toBeGreaterThanOrEqual(resetAt.getTime());
    expect(requests.every((request) => request.outcome === 'script')).toBe(true);
  });
});
