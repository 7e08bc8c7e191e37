import { describe, expect, it } from 'vitest';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

function storeWithTasks(ids: ReadonlyArray<string>): Store {
  const store = Store.open(temporaryDatabasePath());
  store.write(() => {
    for (const id of ids) {
      store.tasks.insert({ id, parentId: null, title: `t${id}`, description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'high', status: 'ready', contextFiles: [], hints: [], sourceRef: null }, 1);
    }
  });
  return store;
}

describe("a person's hold on a task (terminal takeover)", () => {
  it('keeps workers off a held ready task until the hold is released, claiming the next one instead', () => {
    const store = storeWithTasks(['1', '2']);
    expect(store.write(() => store.holds.hold('1', 'person', 1_000, 10))).toBeNull();
    expect(store.leases.peekNextReady(20)?.id).toBe('2');
    expect(store.write(() => store.leases.claimNextReady('worker', 'a2', 20, 500, null))?.id).toBe('2');
    expect(store.write(() => store.leases.claimNextReady('worker', 'a3', 20, 500, null))).toBeUndefined();
    expect(store.tasks.get('1')).toMatchObject({ status: 'ready', leaseOwner: 'person' });
    store.write(() => store.holds.release('1', 'person'));
    expect(store.write(() => store.leases.claimNextReady('worker', 'a1', 30, 500, null))?.id).toBe('1');
  });

  it('lets a hold nobody renews expire, so a crashed app strands no task', () => {
    const store = storeWithTasks(['1']);
    store.write(() => store.holds.hold('1', 'person', 100, 10));
    expect(store.write(() => store.holds.renew('1', 'person', 200))).toBe(true);
    expect(store.write(() => store.leases.claimNextReady('worker', 'a1', 150, 500, null))).toBeUndefined();
    expect(store.write(() => store.leases.claimNextReady('worker', 'a1', 201, 500, null))?.id).toBe('1');
  });

  it('refuses a task a worker holds or another person holds, and says which', () => {
    const store = storeWithTasks(['1', '2']);
    store.write(() => store.leases.claimNextReady('worker', 'a1', 10, 500, ['1']));
    expect(store.write(() => store.holds.hold('1', 'person', 1_000, 20))).toEqual({ reason: 'worker', status: 'claimed' });
    expect(store.write(() => store.holds.hold('2', 'first', 1_000, 20))).toBeNull();
    expect(store.write(() => store.holds.hold('2', 'second', 1_000, 20))).toEqual({ reason: 'held', holder: 'first' });
    expect(store.write(() => store.holds.hold('3', 'person', 1_000, 20))).toEqual({ reason: 'missing' });
  });

  it('hands the work to the pipeline: the task is ready again with the attempt to resume, the hold gone', () => {
    const store = storeWithTasks(['1']);
    store.write(() => store.tasks.setStatus('1', 'done', null, 5));
    store.write(() => store.holds.hold('1', 'person', 1_000, 10));
    expect(store.write(() => store.holds.releaseForReview('1', 'someone-else', { attemptId: 'attempt-9', number: 4 }, 'why', 20))).toBe(false);
    expect(store.write(() => store.holds.releaseForReview('1', 'person', { attemptId: 'attempt-9', number: 4 }, 'changes made in a terminal', 20))).toBe(true);
    expect(store.tasks.get('1')).toMatchObject({ status: 'ready', leaseOwner: null, resumeAttemptId: 'attempt-9', statusReason: 'changes made in a terminal', attempts: 4 });
  });
});
