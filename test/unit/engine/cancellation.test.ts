import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import { InProcessBackend, type InProcessScript } from '../../../src-main/engine/in-process-backend';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { Store } from '../../../src-main/store/store';
import { temporaryFolder } from './helpers';

const config = resolveConfig({ execution: { max_retries: 1, retry_base_delay: 0.01, retry_max_delay: 0.02 } });

function orchestrator(script: InProcessScript, extra: { leaseMs?: number; abortGraceMs?: number; workingDirectory?: string } = {}) {
  return new Orchestrator({ workingDirectory: extra.workingDirectory ?? temporaryFolder(), backend: new InProcessBackend(script), config, pollMs: 20, maxWorkers: 2, ...extra });
}

/** A backend whose attempts wait until aborted, announcing each start. */
function blockingScript(started: (taskId: string) => void): InProcessScript {
  return async (input) => {
    started(input.task.id);
    return { durationMs: 60_000 };
  };
}

describe('cancellation and leases', () => {
  it('cancelling a running task aborts it, marks it cancelled and blocks its dependents; the run goes on', async () => {
    let release: (id: string) => void = () => {};
    const firstStarted = new Promise<string>((resolve) => (release = resolve));
    const o = orchestrator(async (input) => {
      if (input.task.id !== '1') return {};
      release(input.task.id);
      return { durationMs: 60_000 };
    });
    o.addTasksBatch([{ title: 'long' }, { title: 'after', dependencies: ['1'] }, { title: 'other' }]);
    o.start();
    await firstStarted;
    o.cancelTask('1');
    const run = await o.waitForCompletion();
    expect(o.getTask('1')).toMatchObject({ status: 'cancelled', statusReason: 'cancelled by the user' });
    expect(o.getTask('2')).toMatchObject({ status: 'blocked', statusReason: 'dependency 1 was cancelled' });
    expect(o.getTask('3').status).toBe('done');
    expect(run.status).toBe('failed');
    expect(o.store.attempts.listForTask('1')[0]?.status).toBe('cancelled');
    await o.close();
  });

  it('stop() cancels the run: workers stop and their tasks go back to ready, to run next time', async () => {
    let starts = 0;
    let bothStarted: () => void = () => {};
    const ready = new Promise<void>((resolve) => (bothStarted = resolve));
    const o = orchestrator(blockingScript(() => ++starts === 2 && bothStarted()));
    o.addTasksBatch([{ title: 'a' }, { title: 'b' }]);
    o.start();
    await ready;
    const run = await o.stop();
    expect(run?.status).toBe('cancelled');
    expect(o.listTasks().map((task) => task.status)).toEqual(['ready', 'ready']);
    expect(o.listTasks().map((task) => task.failures)).toEqual([0, 0]);
    await o.close();
  });

  it('an attempt whose lease is taken away (task changed elsewhere) is aborted and recorded as interrupted', async () => {
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const folder = temporaryFolder();
    const o = orchestrator(blockingScript(() => started()), { leaseMs: 90, workingDirectory: folder });
    const id = o.addTask('x');
    o.start();
    await running;
    // Another process (the CLI) marks the task failed directly in the database.
    const other = Store.open(o.store.db.name);
    other.write(() => other.tasks.setStatus(id, 'failed', 'marked failed from the CLI', Date.now()));
    other.close();
    await o.waitForCompletion();
    expect(o.getTask(id)).toMatchObject({ status: 'failed', statusReason: 'marked failed from the CLI' });
    expect(o.store.attempts.listForTask(id)[0]?.status).toBe('interrupted');
    await o.close();
  });

  it('gives up on a backend that ignores the abort after the grace period', async () => {
    const o = orchestrator(() => ({ durationMs: 60_000, ignoreAbort: true }), { abortGraceMs: 30 });
    o.addTask('stubborn');
    o.start();
    const run = await o.stop();
    expect(run?.status).toBe('cancelled');
    await o.close();
  });

  it('reclaims expired leases of a dead worker at start-up and runs the task again', async () => {
    const folder = temporaryFolder();
    const o = orchestrator(() => ({}), { workingDirectory: folder });
    const id = o.addTask('was running when the app crashed');
    const store = o.store;
    store.write(() => {
      store.leases.claimNextReady('gone-host:1:dead', 'old-attempt', 1, 2, null);
      store.attempts.insert({ id: 'old-attempt', taskId: id, runId: null, number: 1, backend: 'in-process', workerOwner: 'gone-host:1:dead' }, 1);
    });
    const changes: string[] = [];
    o.events.on('task.changed', (event) => changes.push(`${event.status}:${event.reason ?? ''}`));
    await o.run();
    expect(changes[0]).toBe('ready:reclaimed after its lease expired');
    expect(store.attempts.listForTask(id).map((attempt) => attempt.status)).toEqual(['interrupted', 'succeeded']);
    expect(o.getTask(id).status).toBe('done');
    await o.close();
  });

  it('pauses the pool when the backend reports a rate limit, then resumes', async () => {
    let calls = 0;
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      config,
      pollMs: 20,
      maxWorkers: 1,
      backend: {
        name: 'limited',
        async runAttempt(_input, io) {
          calls += 1;
          const common = { filesModified: [], filesCreated: [], discoveries: [], usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0 };
          if (calls === 1) {
            io.rateLimited?.(new Date(Date.now() + 60), '429 rate limited');
            return { ...common, status: 'failed', error: { errorClass: 'transient', message: '429', retryAfterMs: 60 } };
          }
          return { ...common, status: 'succeeded', output: 'ok' };
        },
      },
    });
    const events: string[] = [];
    o.events.on('pool.paused', (event) => events.push(`paused:${event.reason}`));
    o.events.on('pool.resumed', () => events.push('resumed'));
    o.addTask('x');
    const run = await o.run();
    expect(run.status).toBe('succeeded');
    expect(events).toEqual(['paused:429 rate limited', 'resumed']);
    await o.close();
  });

  it('a store failure mid-run stops the run with the error instead of hanging or crashing the process', async () => {
    const o: Orchestrator = orchestrator(() => {
      o.store.db.close();
      return {};
    });
    o.addTasksBatch(['a', 'b', 'c']);
    await expect(o.run()).rejects.toThrow(/database connection is not open/);
  });
});
