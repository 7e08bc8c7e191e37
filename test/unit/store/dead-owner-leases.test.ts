import { describe, expect, it } from 'vitest';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

/** Three ready tasks, claimed by two owners (1 and 2 by "dead", 3 by "alive"), with attempt rows. */
function storeWithLeases(): Store {
  const store = Store.open(temporaryDatabasePath());
  store.write(() => {
    for (const id of ['1', '2', '3']) {
      store.tasks.insert({ id, parentId: null, title: `t${id}`, description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'high', status: 'ready', contextFiles: [], hints: [], sourceRef: null }, 1);
    }
    for (const [owner, attempt] of [['dead', 'a1'], ['dead', 'a2'], ['alive', 'a3']] as const) {
      const task = store.leases.claimNextReady(owner, attempt, 10, 1_000_000, null);
      store.attempts.insert({ id: attempt, taskId: task?.id as string, runId: null, number: 1, backend: 'test', workerOwner: owner }, 10);
    }
  });
  return store;
}

describe('leases of dead owners', () => {
  it('reclaimDeadOwners frees every task a dead owner holds at once, long before the lease expires, and asks once per owner', () => {
    const store = storeWithLeases();
    const asked: string[] = [];
    const freed = store.write(() => store.leases.reclaimDeadOwners((owner) => (asked.push(owner), owner !== 'dead'), 20));
    expect(asked.sort()).toEqual(['alive', 'dead']);
    expect(freed.map((lease) => lease.attemptId).sort()).toEqual(['a1', 'a2']);
    const [first, second, third] = ['1', '2', '3'].map((id) => store.tasks.get(id));
    expect(first).toMatchObject({ status: 'ready', leaseOwner: null, currentAttemptId: null, statusReason: expect.stringContaining('worker process died') });
    expect(second?.status).toBe('ready');
    expect(third).toMatchObject({ status: 'claimed', leaseOwner: 'alive' });
    // A reclaimed attempt's late transition is fenced off.
    expect(store.leases.transitionLeased(first?.id as string, 'a1', 'in_progress', 21)).toBe(false);
    store.close();
  });

  it('a task whose attempts keep ending with their worker gone counts each as a failure, and fails once past max_retries', () => {
    const store = storeWithLeases();
    for (let round = 1; round <= 3; round += 1) {
      store.write(() => {
        const freed = store.leases.reclaimDeadOwners((owner) => owner !== 'dead', 100 * round);
        const failed = store.leases.failRepeatedlyReclaimed(freed.map((lease) => lease.taskId), 2, 100 * round);
        expect(failed).toEqual(round === 3 ? ['1'] : []);
        if (round < 3) store.leases.claimNextReady('dead', `again-${round}`, 100 * round, 1_000_000, ['1']);
      });
    }
    expect(store.tasks.get('1')).toMatchObject({ status: 'failed', failures: 3, statusReason: expect.stringContaining('kept ending with their worker process gone (3 times)') });
    expect(store.tasks.get('2')).toMatchObject({ status: 'ready', failures: 1 });
    store.close();
  });

  it('with max_retries 0, one kill of the app does not fail a task: only the third vanished worker in a row does', () => {
    const store = storeWithLeases();
    for (let round = 1; round <= 3; round += 1) {
      store.write(() => {
        const freed = store.leases.reclaimDeadOwners((owner) => owner !== 'dead', 100 * round);
        const failed = store.leases.failRepeatedlyReclaimed(freed.map((lease) => lease.taskId), 0, 100 * round);
        expect(failed).toEqual(round === 3 ? ['1'] : []);
        if (round < 3) store.leases.claimNextReady('dead', `again-${round}`, 100 * round, 1_000_000, ['1']);
      });
      if (round === 1) expect(store.tasks.get('2')).toMatchObject({ status: 'ready', failures: 1 });
    }
    expect(store.tasks.get('1')).toMatchObject({ status: 'failed', failures: 3 });
    store.close();
  });

  it('renewLease extends one lease only while the same owner and attempt hold it', () => {
    const store = storeWithLeases();
    const id = store.tasks.list().find((task) => task.currentAttemptId === 'a3')?.id as string;
    expect(store.leases.renewLease(id, 'alive', 'a3', 5_000_000)).toBe(true);
    expect(store.tasks.get(id)?.leaseExpiresAt).toBe(5_000_000);
    expect(store.leases.renewLease(id, 'alive', 'stale-attempt', 6_000_000)).toBe(false);
    expect(store.leases.renewLease(id, 'someone-else', 'a3', 6_000_000)).toBe(false);
    expect(store.tasks.get(id)?.leaseExpiresAt).toBe(5_000_000);
    store.close();
  });

  it('records an attempt’s process group and lists those of attempts that did not end cleanly', () => {
    const store = storeWithLeases();
    store.write(() => {
      store.attempts.setProcess('a1', { pid: 4242, processGroup: 4242, startTime: '123' });
      store.attempts.setProcess('a3', { pid: 4343, processGroup: 4343, startTime: null });
      store.attempts.finish('a3', { status: 'succeeded' }, 30);
    });
    expect(store.attempts.listUnfinishedProcesses()).toEqual([
      { attemptId: 'a1', taskId: store.attempts.get('a1')?.taskId, status: 'running', workerOwner: 'dead', pid: 4242, processGroup: 4242, startTime: '123' },
    ]);
    store.close();
  });
});
