import { describe, expect, it } from 'vitest';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import { InvalidInputError, InvalidStateError, TaskNotFoundError } from '../../../src-main/engine/errors';
import { TaskService } from '../../../src-main/engine/task-service';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from './helpers';

function setup() {
  const store = Store.open(temporaryDatabasePath());
  const bus = new EngineEventBus();
  const service = new TaskService(store, bus);
  service.addTasks([{ title: 'schema' }, { title: 'api', dependencies: ['1'] }, { title: 'ui', dependencies: ['2'] }]);
  /** Everything a user could see, to prove a refused change changed nothing. */
  const snapshot = () => JSON.stringify(store.tasks.list().map(({ updatedAt: _u, ...task }) => task));
  return { store, bus, service, snapshot };
}

describe('TaskService: adding tasks', () => {
  it('numbers tasks and subtasks like Task Master and sets readiness', () => {
    const { store, service } = setup();
    const [sub] = service.addTasks([{ title: 'sub', parentId: '2' }]);
    expect(sub?.id).toBe('2.1');
    expect(store.tasks.list().map((task) => [task.id, task.status])).toEqual([
      ['1', 'ready'],
      ['2', 'pending'],
      ['2.1', 'ready'],
      ['3', 'pending'],
    ]);
    expect(store.tasks.get('1')?.criticalRank).toBe(3);
    store.close();
  });

  it.each([
    ['an unknown dependency', [{ title: 'x', dependencies: ['99'] }], 'task 4 depends on 99, which does not exist'],
    ['a self-dependency', [{ id: 'x', title: 'x', dependencies: ['x'] }], 'task x depends on itself'],
    ['a cycle inside the batch', [{ id: 'a', title: 'a', dependencies: ['b'] }, { id: 'b', title: 'b', dependencies: ['a'] }], 'dependency cycle: a → b → a'],
    ['a duplicate id', [{ id: '2', title: 'again' }], 'task id 2 is already in use'],
    ['an invalid priority', [{ title: 'x', priority: 'urgent' }], 'task "x": key priority: invalid priority "urgent"'],
    ['a missing title', [{ description: 'no title' }], 'task #1: key title'],
    ['a missing parent', [{ title: 'x', parentId: '42' }], 'task 42.1: parent 42 does not exist'],
  ])('refuses %s with a clear error and changes nothing', (_, input, message) => {
    const { store, service, snapshot } = setup();
    const before = snapshot();
    expect(() => service.addTasks(input)).toThrow(InvalidInputError);
    expect(() => service.addTasks(input)).toThrow(message);
    expect(snapshot()).toBe(before);
    store.close();
  });

  it('returns the new tasks in input order, generated ids skipping given ones', () => {
    const { store, service } = setup();
    const added = service.addTasks([{ title: 'x' }, { id: '10', title: 'ten' }, { title: 'y' }, { id: 'a', title: 'named' }]);
    expect(added.map((task) => task.id)).toEqual(['11', '10', '12', 'a']);
    store.close();
  });

  it('is all or nothing: one bad task in a batch adds none', () => {
    const { store, service } = setup();
    expect(() => service.addTasks([{ title: 'good' }, { title: 'bad', dependencies: ['nope'] }])).toThrow('depends on nope');
    expect(store.tasks.list()).toHaveLength(3);
    store.close();
  });

  it('a task added after its dependency failed starts blocked with the reason', () => {
    const { store, service } = setup();
    service.setStatus('1', 'failed', 'schema is wrong');
    const [task] = service.addTasks([{ title: 'late', dependencies: ['1'] }]);
    expect(task).toMatchObject({ status: 'blocked', statusReason: 'dependency 1 is failed: schema is wrong' });
    store.close();
  });
});

describe('TaskService: editing', () => {
  it('refuses an edit that would create a cycle, and changes nothing', () => {
    const { store, service, snapshot } = setup();
    const before = snapshot();
    expect(() => service.updateTask('1', { dependencies: ['3'] })).toThrow('dependency cycle: 1 → 3 → 2 → 1');
    expect(snapshot()).toBe(before);
    store.close();
  });

  it('moves a ready task back to pending when it gains an open dependency', () => {
    const { store, service } = setup();
    service.addTasks([{ id: 'x', title: 'x' }]);
    service.updateTask('x', { dependencies: ['3'], priority: 9 });
    expect(store.tasks.get('x')).toMatchObject({ status: 'pending', priority: 'high', dependencies: ['3'] });
    store.close();
  });

  it('reports unknown ids and invalid statuses', () => {
    const { store, service, snapshot } = setup();
    const before = snapshot();
    expect(() => service.updateTask('77', { title: 'x' })).toThrow(TaskNotFoundError);
    expect(() => service.updateTask('77', { title: 'x' })).toThrow('task 77 does not exist');
    expect(() => service.setStatus('1', 'finished')).toThrow('invalid status "finished": expected one of pending, ready');
    expect(() => service.setStatus('1', 'in_progress')).toThrow('status in_progress is set by the scheduler');
    expect(() => service.updateTask('1', { priority: 11 })).toThrow('invalid priority 11');
    expect(() => service.updateTask('1', { colour: 'red' })).toThrow(InvalidInputError);
    expect(snapshot()).toBe(before);
    store.close();
  });
});

describe('TaskService: statuses and deletion', () => {
  it('failing a task blocks its dependents with the reason; retrying unblocks them', () => {
    const { store, service } = setup();
    service.setStatus('1', 'failed', 'tests do not pass');
    expect(store.tasks.get('2')).toMatchObject({ status: 'blocked', statusReason: 'dependency 1 failed: tests do not pass' });
    expect(store.tasks.get('3')?.status).toBe('blocked');
    service.setStatus('1', 'pending');
    expect(store.tasks.list().map((task) => task.status)).toEqual(['ready', 'pending', 'pending']);
    store.close();
  });

  it('completing by hand makes dependents ready', () => {
    const { store, service, bus } = setup();
    const changes: string[] = [];
    bus.on('task.changed', (event) => changes.push(`${event.taskId}:${event.status}`));
    service.setStatus('1', 'done');
    expect(changes).toEqual(['1:done', '2:ready']);
    store.close();
  });

  it('refuses to delete a dependency unless forced', () => {
    const { store, service } = setup();
    expect(() => service.deleteTask('2')).toThrow(InvalidStateError);
    expect(() => service.deleteTask('2')).toThrow('task 2 is a dependency of 3');
    expect(store.tasks.list()).toHaveLength(3);
    service.deleteTask('2', { force: true });
    expect(store.tasks.get('3')).toMatchObject({ status: 'ready', dependencies: [] });
    store.close();
  });
});

describe('TaskService: a task open in a terminal', () => {
  it('refuses edits and deletion while a person holds it, saying to close the terminal, and allows them once the hold has expired', () => {
    const { store, service, snapshot } = setup();
    const now = Date.now();
    store.write(() => store.holds.hold('1', 'terminal t1', now + 60_000, now));
    const before = snapshot();
    expect(() => service.updateTask('1', { title: 'renamed' })).toThrow('task 1 is open in a terminal; close the terminal before editing');
    expect(() => service.deleteTask('1', { force: true })).toThrow('task 1 is open in a terminal; close the terminal first');
    expect(snapshot()).toBe(before);
    // An app that died left its hold behind; once past its time it no longer counts.
    store.write(() => store.holds.renew('1', 'terminal t1', now - 1));
    expect(service.updateTask('1', { title: 'renamed' }).title).toBe('renamed');
    store.close();
  });
});
