import { describe, expect, it } from 'vitest';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

const taskFields = { description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'medium', status: 'pending', contextFiles: [], hints: [], sourceRef: null } as const;

describe('TaskRepository.subtreeIds', () => {
  it('lists a task and its subtasks at any depth, the task first, and nothing else', () => {
    const store = Store.open(temporaryDatabasePath());
    store.write(() => {
      for (const [id, parentId] of [['1', null], ['1.1', '1'], ['1.2', '1'], ['1.1.1', '1.1'], ['2', null], ['2.1', '2']] as const) {
        store.tasks.insert({ ...taskFields, id, parentId, title: id }, 1);
      }
    });
    const subtree = store.tasks.subtreeIds('1');
    expect(subtree[0]).toBe('1');
    expect([...subtree].sort()).toEqual(['1', '1.1', '1.1.1', '1.2']);
    expect(store.tasks.subtreeIds('2.1')).toEqual(['2.1']);
    expect(store.tasks.subtreeIds('404')).toEqual([]);
    store.close();
  });
});

describe('LogEventRepository.listLatestForAttempt', () => {
  it('returns the newest lines after a sequence number, oldest first', () => {
    const store = Store.open(temporaryDatabasePath());
    store.write(() => {
      store.tasks.insert({ ...taskFields, id: '1', parentId: null, title: 't' }, 1);
      store.attempts.insert({ id: 'a1', taskId: '1', runId: null, number: 1, backend: 'in-process', workerOwner: 'o' }, 2);
      store.attempts.insert({ id: 'a2', taskId: '1', runId: null, number: 2, backend: 'in-process', workerOwner: 'o' }, 3);
    });
    store.logEvents.append(Array.from({ length: 50 }, (_, index) => ({ attemptId: 'a1', seq: index + 1, at: index, kind: 'stdout', text: `line ${index + 1}` })));
    store.logEvents.append([{ attemptId: 'a2', seq: 1, at: 0, kind: 'stdout', text: 'other attempt' }]);

    expect(store.logEvents.listLatestForAttempt('a1', 0, 3).map((event) => event.seq)).toEqual([48, 49, 50]);
    expect(store.logEvents.listLatestForAttempt('a1', 47, 10).map((event) => event.text)).toEqual(['line 48', 'line 49', 'line 50']);
    expect(store.logEvents.listLatestForAttempt('a1')).toHaveLength(50);
    expect(store.logEvents.listForAttempt('a1', 0, 3).map((event) => event.seq)).toEqual([1, 2, 3]);
    store.close();
  });
});
