import { describe, expect, it } from 'vitest';
import { describeRetention, retentionOf, type Checkpoint } from '../../../src-main/workspace';

const checkpoint = (id: string, kind: Checkpoint['kind'], daysAgo: number, now: Date): Checkpoint => ({
  id,
  description: id,
  kind,
  createdAt: new Date(now.getTime() - daysAgo * 24 * 60 * 60 * 1000),
  commit: 'c',
  tree: 't',
  head: null,
  indexTree: null,
});

describe('retentionOf', () => {
  it('says why each checkpoint is kept, and keeps the newest rollback checkpoint whatever its age', () => {
    const now = new Date('2026-05-01T00:00:00Z');
    const list = [checkpoint('a', 'run', 1, now), checkpoint('b', 'manual', 10, now), checkpoint('c', 'rollback', 50, now), checkpoint('d', 'rollback', 60, now), checkpoint('e', 'run', 70, now)];
    expect(retentionOf(list, { keepLast: 1, keepDays: 30 }, now).map((retained) => [retained.checkpoint.id, retained.keptBecause])).toEqual([
      ['a', ['newest', 'recent']],
      ['b', ['recent']],
      ['c', ['undo']],
      ['d', []],
      ['e', []],
    ]);
    expect(describeRetention({ keepLast: 50, keepDays: 30 })).toBe(
      'Keeping the newest 50 and every checkpoint from the last 30 days, and always the undo of the last rollback (config: checkpoints.keep_last, checkpoints.keep_days).',
    );
  });
});
