import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import type { NewTaskInput } from '../../../src-shared/domain/task';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import type { TaskConflictRule } from '../../../src-main/engine/task-conflicts';
import { contextFilesConflict } from '../../../src-main/workspace/shared-folder';
import { GatedWork } from './gated-work';
import { temporaryFolder } from './helpers';

const fastRetries = resolveConfig({ execution: { max_retries: 2, retry_base_delay: 0.01, retry_max_delay: 0.04 } });

function orchestrator(work: GatedWork, maxWorkers: number, options: { conflicts?: TaskConflictRule; pollMs?: number } = {}): Orchestrator {
  return new Orchestrator({
    workingDirectory: temporaryFolder(),
    backend: new InProcessBackend(work.backendScript),
    config: fastRetries,
    pollMs: options.pollMs ?? 20,
    maxWorkers,
    conflicts: 'conflicts' in options ? options.conflicts : contextFilesConflict,
  });
}

function task(id: string, contextFiles: ReadonlyArray<string>, extra: Partial<NewTaskInput> = {}): NewTaskInput {
  return { id, title: id, contextFiles: [...contextFiles], ...extra };
}

describe('scheduler with a conflict rule (workers sharing one folder)', () => {
  it('runs two tasks whose context files cannot overlap at the same time', async () => {
    const work = new GatedWork().gate('a', 'b');
    const o = orchestrator(work, 2);
    o.addTasksBatch([task('a', ['src/a.ts']), task('b', ['src/b.ts'])]);
    o.start();
    await Promise.all([work.started('a'), work.started('b')]);
    work.release('a');
    work.release('b');
    expect((await o.waitForCompletion()).status).toBe('succeeded');
    expect(work.ranTogether('a', 'b')).toBe(true);
    await o.close();
  });

  it('never runs tasks whose context files overlap at the same time, and runs the others beside them', async () => {
    const work = new GatedWork().gate('a', 'b', 'c');
    const o = orchestrator(work, 3);
    o.addTasksBatch([task('a', ['src/']), task('b', ['./src/lib/x.ts']), task('c', ['docs/guide.md'])]);
    o.start();
    await Promise.all([work.started('a'), work.started('c')]);
    expect(o.getTask('b').status).toBe('ready');
    work.release('a');
    await work.started('b');
    expect(work.isRunning('c')).toBe(true);
    work.release('b');
    work.release('c');
    expect((await o.waitForCompletion()).status).toBe('succeeded');
    expect(work.ranTogether('a', 'b')).toBe(false);
    expect(work.ranTogether('a', 'c')).toBe(true);
    expect(work.ranTogether('b', 'c')).toBe(true);
    await o.close();
  });

  it('runs a task naming no context files alone', async () => {
    const work = new GatedWork().gate('first', 'a', 'b', 'last');
    const o = orchestrator(work, 3);
    o.addTasksBatch([task('first', [], { priority: 'high' }), task('a', ['a.ts']), task('b', ['b.ts']), task('last', [], { priority: 'low' })]);
    o.start();
    await work.started('first');
    expect(['a', 'b', 'last'].map((id) => o.getTask(id).status)).toEqual(['ready', 'ready', 'ready']);
    work.release('first');
    await Promise.all([work.started('a'), work.started('b')]);
    expect(o.getTask('last').status).toBe('ready');
    work.release('a');
    work.release('b');
    await work.started('last');
    work.release('last');
    expect((await o.waitForCompletion()).status).toBe('succeeded');
    for (const alone of ['first', 'last']) {
      for (const other of ['first', 'a', 'b', 'last'].filter((id) => id !== alone)) expect(work.ranTogether(alone, other), `${alone} with ${other}`).toBe(false);
    }
    expect(work.ranTogether('a', 'b')).toBe(true);
    await o.close();
  });

  it('lets a lower-ranked task that conflicts with nothing start past a waiting one (no head-of-line blocking)', async () => {
    const work = new GatedWork().gate('a', 'b', 'c');
    const o = orchestrator(work, 2);
    const claims: string[] = [];
    o.events.on('task.changed', (event) => {
      if (event.status === 'claimed') claims.push(event.taskId);
    });
    o.addTasksBatch([task('a', ['src/a.ts'], { priority: 'high' }), task('b', ['src/a.ts'], { priority: 'high' }), task('c', ['src/c.ts'], { priority: 'low' })]);
    o.start();
    await Promise.all([work.started('a'), work.started('c')]);
    expect(o.getTask('b').status).toBe('ready');
    work.release('a');
    await work.started('b');
    work.release('b');
    work.release('c');
    expect((await o.waitForCompletion()).status).toBe('succeeded');
    expect(claims).toEqual(['a', 'c', 'b']);
    expect(work.ranTogether('a', 'b')).toBe(false);
    expect(work.ranTogether('b', 'c')).toBe(true);
    await o.close();
  });

  it('keeps the critical-path, priority, id order among tasks that do not conflict', async () => {
    const work = new GatedWork();
    const order: string[] = [];
    const o = orchestrator(work, 1);
    o.events.on('task.changed', (event) => {
      if (event.status === 'claimed') order.push(event.taskId);
    });
    o.addTasksBatch([
      task('d', ['d.ts'], { priority: 'high' }),
      task('a', ['a.ts'], { priority: 'low' }),
      task('b', ['b.ts'], { dependencies: ['a'] }),
      task('c', ['c.ts'], { dependencies: ['b'] }),
      task('e', ['e.ts'], { priority: 'low' }),
    ]);
    await o.run();
    expect(order).toEqual(['a', 'b', 'd', 'c', 'e']);
    await o.close();
  });

  it('releases the files of a running task that is cancelled', async () => {
    const work = new GatedWork().gate('a', 'b');
    const o = orchestrator(work, 2);
    o.addTasksBatch([task('a', ['x.ts'], { priority: 'high' }), task('b', ['x.ts'])]);
    o.start();
    await work.started('a');
    expect(o.getTask('b').status).toBe('ready');
    o.cancelTask('a');
    await work.started('b');
    work.release('b');
    await o.waitForCompletion();
    expect(o.getTask('a').status).toBe('cancelled');
    expect(o.getTask('b').status).toBe('done');
    expect(work.ranTogether('a', 'b')).toBe(false);
    await o.close();
  });

  it('releases the files of a running task that fails for good', async () => {
    const work = new GatedWork().gate('a', 'b').script('a', { error: { errorClass: 'permanent', message: 'broken' } });
    const o = orchestrator(work, 2);
    o.addTasksBatch([task('a', ['x.ts'], { priority: 'high' }), task('b', ['x.ts'])]);
    o.start();
    await work.started('a');
    work.release('a');
    await work.started('b');
    work.release('b');
    await o.waitForCompletion();
    expect(o.getTask('a').status).toBe('failed');
    expect(o.getTask('b').status).toBe('done');
    expect(work.ranTogether('a', 'b')).toBe(false);
    await o.close();
  });

  it('holds a due retry back while a conflicting task runs, without spinning, then runs it', async () => {
    // a fails once (retry after 10-40 ms); b takes its files meanwhile and works for 300 ms.
    const work = new GatedWork().gate('a').script('a', { error: { errorClass: 'transient', message: '529 overloaded' } }).script('b', { durationMs: 300 });
    const o = orchestrator(work, 2, { pollMs: 50 });
    o.addTasksBatch([task('a', ['x.ts'], { priority: 'high' }), task('b', ['x.ts'])]);
    o.start();
    await work.started('a');
    work.release('a');
    await work.started('b');
    const writesBefore = o.store.writeTransactions;
    await work.ended('b');
    const writesWhileBRan = o.store.writeTransactions - writesBefore;
    expect((await o.waitForCompletion()).status).toBe('succeeded');
    expect(work.spansOf('a')).toHaveLength(2);
    expect(work.ranTogether('a', 'b')).toBe(false);
    // About one claim attempt per poll (300 / 50) plus b's own transitions (10 here); a loop spinning on the due retry made 45-115.
    expect(writesWhileBRan).toBeLessThan(25);
    await o.close();
  });

  it('counts a task leased by another worker (an external agent) as running', async () => {
    const work = new GatedWork().gate('c');
    const o = orchestrator(work, 2);
    o.addTasksBatch([task('a', ['src/a.ts'], { priority: 'high' }), task('b', ['src/a.ts']), task('c', ['src/c.ts'], { priority: 'low' })]);
    expect(o.claimTask('agent-1')?.id).toBe('a');
    o.start();
    await work.started('c');
    expect(o.getTask('b').status).toBe('ready');
    work.release('c');
    await work.ended('c');
    const completedAt = work.mark();
    o.completeTask('a', { output: 'done outside' }, 'agent-1');
    expect((await o.waitForCompletion()).status).toBe('succeeded');
    expect(work.spansOf('b')[0]?.start).toBeGreaterThan(completedAt);
    await o.close();
  });

  it('passes the candidate and every running task to the rule', async () => {
    const work = new GatedWork().gate('a');
    const seen: string[] = [];
    const rule: TaskConflictRule = (candidate, running) => {
      seen.push(`${candidate.id}<${running.map((other) => other.id).sort().join(',')}`);
      return candidate.id === 'b' && running.some((other) => other.id === 'a');
    };
    const o = orchestrator(work, 3, { conflicts: rule });
    o.addTasksBatch([task('a', [], { priority: 'high' }), task('b', []), task('c', [], { priority: 'low' })]);
    o.start();
    await Promise.all([work.started('a'), work.started('c')]);
    work.release('a');
    await o.waitForCompletion();
    expect(seen.slice(0, 3)).toEqual(['b<a', 'c<a', 'b<a,c']);
    expect(work.ranTogether('a', 'b')).toBe(false);
    await o.close();
  });

  it('without a rule, runs tasks with the same files at once as before', async () => {
    const work = new GatedWork().gate('a', 'b');
    const o = orchestrator(work, 2, { conflicts: undefined });
    o.addTasksBatch([task('a', ['x.ts']), task('b', ['x.ts'])]);
    o.start();
    await Promise.all([work.started('a'), work.started('b')]);
    work.release('a');
    work.release('b');
    await o.waitForCompletion();
    expect(work.ranTogether('a', 'b')).toBe(true);
    await o.close();
  });
});
