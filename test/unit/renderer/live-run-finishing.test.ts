import { describe, expect, it } from 'vitest';
import { finishingText } from '../../../src-renderer/features/runs/RunFinishingStatus';
import { LiveRunStore } from '../../../src-renderer/features/runs/live-run-store';
import type { Run } from '../../../src-shared/rpc/contract';

const run = (id: string) => ({ id, goal: null, status: 'running', owner: 'o', maxWorkers: 1, taskIds: null, startedAt: 1, finishedAt: null, summary: null }) as unknown as Run;

describe('the finish stage in the Run view (LiveRunStore and its wording)', () => {
  it('follows the pushed steps and forgets the stage once it is done or a new run starts', () => {
    const store = new LiveRunStore(undefined, 10);
    store.finishStep({ runId: 'r1', step: 'merge', branch: 'main' });
    store.flush();
    expect(store.getSnapshot().finishing).toEqual({ runId: 'r1', step: 'merge', branch: 'main' });
    store.finishStep({ runId: 'r1', step: 'final-review', branch: 'main' });
    store.flush();
    expect(store.getSnapshot().finishing?.step).toBe('final-review');
    store.finishStep({ runId: 'r1', step: 'done', branch: 'main' });
    store.flush();
    expect(store.getSnapshot().finishing).toBeNull();

    store.finishStep({ runId: 'r1', step: 'summary', branch: null });
    store.runStarted(run('r2'));
    store.flush();
    expect(store.getSnapshot().finishing).toBeNull();
    store.dispose();
  });

  it('takes the finish step from the seed of a view opened mid-finish, unless a newer step was pushed meanwhile', () => {
    const opened = new LiveRunStore(undefined, 10);
    opened.beginSeed();
    opened.seed({ run: null, attempts: [], finishing: { runId: 'r1', step: 'final-review', branch: 'main' } });
    opened.flush();
    expect(opened.getSnapshot().finishing?.step).toBe('final-review');
    opened.dispose();

    const raced = new LiveRunStore(undefined, 10);
    raced.beginSeed();
    raced.finishStep({ runId: 'r1', step: 'done', branch: 'main' });
    raced.seed({ run: null, attempts: [], finishing: { runId: 'r1', step: 'final-review', branch: 'main' } });
    raced.flush();
    expect(raced.getSnapshot().finishing).toBeNull();
    raced.dispose();
  });

  it('says which branch the work is merged into, and what the final review does', () => {
    expect(finishingText({ runId: 'r1', step: 'merge', branch: 'feature/x' })).toBe("Merging the run's work into feature/x…");
    expect(finishingText({ runId: 'r1', step: 'merge', branch: null })).toBe("Merging the run's work into your branch…");
    expect(finishingText({ runId: 'r1', step: 'final-review', branch: 'main' })).toMatch(/^Final review: /);
  });
});
