import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../src-main/engine/errors';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { temporaryFolder } from './helpers';

function orchestrator(backend = new InProcessBackend()) {
  return new Orchestrator({ workingDirectory: temporaryFolder(), backend, pollMs: 20 });
}

/** Every task event of the bus, as "name:taskId:status" lines (status only for task.changed). */
function recordTaskEvents(o: Orchestrator): string[] {
  const seen: string[] = [];
  o.events.on('task.changed', (event) => seen.push(`changed:${event.taskId}:${event.status}`));
  o.events.on('task.removed', (event) => seen.push(`removed:${event.taskId}`));
  o.events.on('tasks.reset', (event) => seen.push(`reset:${event.reason}`));
  return seen;
}

describe('task.removed', () => {
  it('is announced for a deleted task and each subtask it takes with it, after the delete committed', async () => {
    const o = orchestrator();
    o.addTasksBatch([{ title: 'parent' }, { title: 'other' }]);
    o.addTasksBatch([{ title: 'child a', parentId: '1' }, { title: 'child b', parentId: '1' }]);
    o.addTasksBatch([{ title: 'grandchild', parentId: '1.1' }]);
    const seen = recordTaskEvents(o);
    const stillThere: boolean[] = [];
    o.events.on('task.removed', (event) => stillThere.push(o.store.tasks.get(event.taskId) !== undefined));

    o.deleteTask('1');

    expect(seen.filter((line) => line.startsWith('removed:')).sort()).toEqual(['removed:1', 'removed:1.1', 'removed:1.1.1', 'removed:1.2']);
    expect(stillThere).toEqual([false, false, false, false]);
    expect(o.listTasks().map((task) => task.id)).toEqual(['2']);
    await o.close();
  });

  it('is not announced when the delete is refused, and a subtask with outside dependents needs force', async () => {
    const o = orchestrator();
    o.addTasksBatch([{ title: 'parent' }]);
    o.addTasksBatch([{ title: 'child', parentId: '1' }]);
    o.addTasksBatch([{ title: 'uses the child', dependencies: ['1.1'] }]);
    const seen = recordTaskEvents(o);

    expect(() => o.deleteTask('1')).toThrow('task 1 or one of its subtasks is a dependency of 2');
    expect(seen).toEqual([]);
    expect(o.listTasks()).toHaveLength(3);

    o.deleteTask('1', { force: true });
    expect(seen).toEqual(['removed:1', 'removed:1.1', 'changed:2:ready']);
    expect(o.getTask('2').dependencies).toEqual([]);
    await o.close();
  });

  it('refuses to delete a task whose subtask a worker holds', async () => {
    const o = orchestrator();
    o.addTasksBatch([{ title: 'parent', dependencies: [] }]);
    o.addTasksBatch([{ title: 'child', parentId: '1' }]);
    o.setTaskStatus('1', 'deferred');
    expect(o.claimTask('agent')?.id).toBe('1.1');
    const seen = recordTaskEvents(o);
    expect(() => o.deleteTask('1')).toThrow(InvalidStateError);
    expect(() => o.deleteTask('1')).toThrow('task 1.1 is in_progress by a worker; cancel it first');
    expect(seen).toEqual([]);
    expect(o.listTasks()).toHaveLength(2);
    await o.close();
  });
});

describe('tasks.reset', () => {
  it('is announced after a state file replaced the task table', async () => {
    const source = orchestrator();
    source.addTasksBatch(['a', 'b']);
    const file = path.join(temporaryFolder(), 'state.json');
    await source.saveState(file);
    await source.close();

    const target = orchestrator();
    target.addTask('replaced');
    const seen = recordTaskEvents(target);
    let tasksWhenAnnounced: string[] = [];
    target.events.on('tasks.reset', () => (tasksWhenAnnounced = target.listTasks().map((task) => task.title)));
    await target.loadState(file);
    expect(seen).toEqual(['reset:state-loaded']);
    expect(tasksWhenAnnounced).toEqual(['a', 'b']);
    await target.close();
  });
});

describe('getActiveAttempts', () => {
  it('lists the attempts running now, and none once the run is over', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const o = orchestrator(
      new InProcessBackend(async (input) => {
        if (input.task.title === 'slow') await gate;
        return { output: 'ok' };
      }),
    );
    o.addTasksBatch([{ title: 'slow' }, { title: 'after', dependencies: ['1'] }]);
    expect(o.getActiveAttempts()).toEqual([]);
    const started = o.events.once('attempt.started');
    o.start();
    const { attempt } = await started;

    expect(o.getActiveAttempts()).toEqual([expect.objectContaining({ id: attempt.id, taskId: '1', status: 'running', number: 1 })]);

    release();
    await o.waitForCompletion(10_000);
    expect(o.getActiveAttempts()).toEqual([]);
    await o.close();
  });
});
