import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import type { TaskStatus } from '../../../src-shared/domain/task-status';
import { InProcessBackend, type InProcessScript } from '../../../src-main/engine/in-process-backend';
import type { AttemptLifecycle } from '../../../src-main/engine/lifecycle';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { temporaryFolder } from './helpers';

const fastRetries = resolveConfig({ execution: { max_retries: 2, retry_base_delay: 0.01, retry_max_delay: 0.04 } });

function orchestrator(script: InProcessScript, options: { maxWorkers?: number; taskTimeout?: number; lifecycle?: AttemptLifecycle; leaseMs?: number } = {}) {
  return new Orchestrator({ workingDirectory: temporaryFolder(), backend: new InProcessBackend(script), config: fastRetries, pollMs: 20, ...options });
}

/** Records each task's status changes. */
function history(o: Orchestrator): Map<string, TaskStatus[]> {
  const seen = new Map<string, TaskStatus[]>();
  o.events.on('task.changed', (event) => seen.set(event.taskId, [...(seen.get(event.taskId) ?? []), event.status]));
  return seen;
}

describe('scheduler', () => {
  it('runs every task after its dependencies, never more than max_workers at once', async () => {
    let running = 0;
    let peak = 0;
    const finished: string[] = [];
    const o = orchestrator(async (input) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      finished.push(input.task.id);
      return {};
    }, { maxWorkers: 3 });
    const ids = o.addTasksBatch(Array.from({ length: 30 }, (_, i) => ({ title: `t${i + 1}`, dependencies: i >= 5 ? [String(i - 4), String(i - 2)] : [] })));
    const run = await o.run();
    expect(run.status).toBe('succeeded');
    expect(peak).toBe(3);
    for (const id of ids) {
      for (const dependency of o.getTask(id).dependencies) expect(finished.indexOf(dependency)).toBeLessThan(finished.indexOf(id));
    }
    expect(o.getStatus().counts.done).toBe(30);
    await o.close();
  });

  it('takes the critical path first, then priority, then id', async () => {
    const order: string[] = [];
    const o = orchestrator((input) => {
      order.push(input.task.id);
      return {};
    }, { maxWorkers: 1 });
    o.addTasksBatch([
      { id: 'd', title: 'd', priority: 'high' },
      { id: 'a', title: 'a', priority: 'low' },
      { id: 'b', title: 'b', dependencies: ['a'] },
      { id: 'c', title: 'c', dependencies: ['b'] },
      { id: 'e', title: 'e', priority: 'low' },
    ]);
    await o.run();
    expect(order).toEqual(['a', 'b', 'd', 'c', 'e']);
    await o.close();
  });

  it('passes each task to the backend with its details and status changes in order', async () => {
    const o = orchestrator((input) => {
      expect(input.task).toMatchObject({ title: 'Parser', acceptanceCriteria: ['parses'], hints: ['use zod'], contextFiles: ['src/p.ts'] });
      expect(input.model).toBe(fastRetries.models.worker);
      return { logs: ['reading files', 'writing parser'], output: 'parser written' };
    });
    const seen = history(o);
    const logs: string[] = [];
    o.events.on('attempt.log', (event) => logs.push(event.text));
    const id = o.addTask({ title: 'Parser', acceptanceCriteria: ['parses'], hints: ['use zod'], contextFiles: ['src/p.ts'] });
    await o.run();
    expect(seen.get(id)).toEqual(['pending', 'ready', 'claimed', 'in_progress', 'done']);
    expect(logs).toEqual(['reading files', 'writing parser']);
    const [attempt] = o.store.attempts.listForTask(id);
    expect(o.store.logEvents.listForAttempt(attempt?.id ?? '').map((event) => event.text)).toEqual(logs);
    expect(o.getTask(id).result?.output).toBe('parser written');
    await o.close();
  });

  it('retries a transient error with backoff, then succeeds', async () => {
    let calls = 0;
    const o = orchestrator(() => (++calls < 3 ? { error: { errorClass: 'transient', message: '529 overloaded' } } : {}));
    const id = o.addTask('flaky');
    const run = await o.run();
    expect(run.status).toBe('succeeded');
    expect(o.store.attempts.listForTask(id).map((a) => [a.status, a.errorClass])).toEqual([
      ['failed', 'transient'],
      ['failed', 'transient'],
      ['succeeded', null],
    ]);
    await o.close();
  });

  it('fails a permanent error at once; dependents wait as pending, naming the task and the reason', async () => {
    const o = orchestrator((input) => (input.task.id === '1' ? { error: { errorClass: 'permanent', message: 'invalid API key' } } : {}));
    o.addTasksBatch([{ title: 'a' }, { title: 'b', dependencies: ['1'] }, { title: 'c', dependencies: ['2'] }, { title: 'free' }]);
    const run = await o.run();
    expect(run.status).toBe('failed');
    expect(o.getTask('1')).toMatchObject({ status: 'failed', statusReason: 'invalid API key', attempts: 1 });
    expect(o.getTask('2')).toMatchObject({ status: 'pending', statusReason: 'waiting for task 1 (failed: invalid API key)' });
    expect(o.getTask('3')).toMatchObject({ status: 'pending', statusReason: 'waiting for task 1 (failed: invalid API key)' });
    expect(o.getTask('4').status).toBe('done');
    await o.close();
  });

  it('gives up after max_retries and says so', async () => {
    const o = orchestrator(() => ({ error: { errorClass: 'recoverable', message: 'max turns reached' } }));
    const id = o.addTask('hard');
    await o.run();
    expect(o.getTask(id)).toMatchObject({ status: 'failed', attempts: 3, statusReason: 'max turns reached (gave up after 3 failed attempts (max_retries 2))' });
    await o.close();
  });

  it('times a task out through its AbortSignal', async () => {
    let aborted = false;
    const o = orchestrator(async (input) => {
      await new Promise((resolve) => input.signal.addEventListener('abort', resolve));
      aborted = true;
      return {};
    }, { taskTimeout: 0.05 });
    const id = o.addTask('slow');
    await o.run();
    expect(aborted).toBe(true);
    expect(o.store.attempts.listForTask(id)[0]).toMatchObject({ status: 'failed', errorClass: 'recoverable', errorMessage: 'timed out after 50 ms' });
    await o.close();
  });
});
