import { describe, expect, it } from 'vitest';
import { deadOwnersLeftWork } from '../../../src-main/pipeline/recover';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

const isAlive = (owner: string): boolean => owner !== 'dead';

function storeWithTask(): Store {
  const store = Store.open(temporaryDatabasePath());
  store.write(() => {
    store.tasks.insert({ id: '1', parentId: null, title: 't1', description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'high', status: 'ready', contextFiles: [], hints: [], sourceRef: null }, 1);
  });
  return store;
}

describe('deadOwnersLeftWork (whether a live run must recover what another process left)', () => {
  it('is false while only live owners hold leases and open integrations', () => {
    const store = storeWithTask();
    store.write(() => {
      store.leases.claimNextReady('alive', 'a1', 10, 1_000_000, null);
      store.integrations.insert({ runId: 'r1', branch: 'orchestrator/run-r1', baseCommit: 'abc', owner: 'alive' }, 10);
    });
    expect(store.leases.leaseHolders()).toEqual(['alive']);
    expect(deadOwnersLeftWork(store, isAlive)).toBe(false);
    store.close();
  });

  it('is true when a dead owner still leases a task', () => {
    const store = storeWithTask();
    store.write(() => store.leases.claimNextReady('dead', 'a1', 10, 1_000_000, null));
    expect(deadOwnersLeftWork(store, isAlive)).toBe(true);
    store.close();
  });

  it('is true when a dead owner’s integration branch is still open, and false once it is settled (kept work is for the user)', () => {
    const store = storeWithTask();
    store.write(() => store.integrations.insert({ runId: 'r1', branch: 'orchestrator/run-r1', baseCommit: 'abc', owner: 'dead' }, 10));
    expect(deadOwnersLeftWork(store, isAlive)).toBe(true);
    store.write(() => store.integrations.settle('r1', { status: 'kept', note: 'a conflict' }, 20));
    expect(deadOwnersLeftWork(store, isAlive)).toBe(false);
    store.close();
  });
});
