import { describe, expect, it } from 'vitest';
import { LiveRunStore } from '../../../src-renderer/features/runs/live-run-store';
import type { Attempt, Run } from '../../../src-shared/rpc/contract';

const run = { id: 'r1', goal: null, status: 'running', owner: 'o', maxWorkers: 2, taskIds: null, startedAt: 1, finishedAt: null, summary: null } as unknown as Run;
const attempt = (id: string, status = 'running') => ({ id, taskId: `t${id}`, number: 1, status, costUsd: 0 }) as unknown as Attempt;

describe('LiveRunStore', () => {
  it('batches many events into one notification', async () => {
    const store = new LiveRunStore(undefined, 10);
    let notified = 0;
    store.subscribe(() => (notified += 1));
    for (let seq = 1; seq <= 1_000; seq += 1) store.log({ attemptId: 'a', taskId: '1', seq, at: seq, kind: 'stdout', text: 'x' });
    expect(notified).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(notified).toBe(1);
    expect(store.getSnapshot().logVersion).toBe(1_000);
    expect(store.logs.size).toBe(1_000);
  });

  it('tracks lanes from attempt start to finish and clears finished ones on a new run', () => {
    const store = new LiveRunStore(undefined, 10);
    store.attemptStarted(attempt('a'));
    store.attemptStarted(attempt('b'));
    store.attemptFinished(attempt('a', 'succeeded'));
    store.flush();
    expect(store.getSnapshot().lanes.map((lane) => [lane.attempt.id, lane.running])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    store.runStarted(run);
    store.flush();
    expect(store.getSnapshot().lanes.map((lane) => lane.attempt.id)).toEqual(['b']);
    store.dispose();
  });

  it('shows and clears a pool pause', () => {
    const store = new LiveRunStore(undefined, 10);
    store.paused(5_000, 'rate limited (429)');
    store.flush();
    expect(store.getSnapshot().paused).toEqual({ until: 5_000, reason: 'rate limited (429)' });
    store.resumed();
    store.flush();
    expect(store.getSnapshot().paused).toBeNull();
  });
});
