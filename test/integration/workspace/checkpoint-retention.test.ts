import { afterEach, describe, expect, it } from 'vitest';
import { createCheckpoint, ensureWorkspace, listCheckpoints } from '../../../src-main/workspace';
import { git, makeRepo } from './git-fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const day = (n: number): Date => new Date(Date.UTC(2026, 0, 1) + n * 24 * 60 * 60 * 1000);

describe('checkpoint retention', () => {
  it('prunes after each new checkpoint what is neither among the newest keep_last nor younger than keep_days, never the undo of the last rollback', async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    await ensureWorkspace(repo.dir);
    const dir = repo.dir;
    const make = (n: number, kind: 'manual' | 'run' | 'rollback') => createCheckpoint(dir, { description: `day ${n}`, kind, taskSnapshot: null, now: day(n) });
    const undo = await make(0, 'rollback');
    const olderRollback = await make(-1, 'rollback');
    const old = [await make(1, 'run'), await make(2, 'manual')];
    const recent = [await make(40, 'run'), await make(41, 'run'), await make(42, 'manual')];
    expect(await listCheckpoints(dir)).toHaveLength(7);

    // keep_last 2, keep_days 5, applied when the checkpoint of day 45 is made: days 40-45 are recent, day 0 is the undo.
    const newest = await createCheckpoint(dir, { description: 'day 45', kind: 'run', taskSnapshot: null, now: day(45), retention: { keepLast: 2, keepDays: 5 } });
    const kept = (await listCheckpoints(dir)).map((checkpoint) => checkpoint.id);
    expect(kept).toEqual([newest.id, ...recent.map((checkpoint) => checkpoint.id).reverse(), undo.id]);
    // Both refs of each pruned checkpoint are gone (the data ref keeps the task snapshot and index).
    const refs = git(dir, 'for-each-ref', '--format=%(refname)', 'refs/orchestrator/').split('\n').filter(Boolean);
    for (const gone of [olderRollback, ...old]) expect(refs.filter((ref) => ref.endsWith(gone.id))).toEqual([]);
    expect(refs).toHaveLength(kept.length * 2);

    // keep_days 0: only the newest keep_last (and the undo) stay.
    const last = await createCheckpoint(dir, { description: 'day 46', taskSnapshot: null, now: day(46), retention: { keepLast: 1, keepDays: 0 } });
    expect((await listCheckpoints(dir)).map((checkpoint) => checkpoint.id)).toEqual([last.id, undo.id]);
  });
});
