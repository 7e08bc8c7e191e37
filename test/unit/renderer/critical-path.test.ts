import { describe, expect, it } from 'vitest';
import { criticalPath, edgeKey } from '../../../src-renderer/features/graph/critical-path';

const task = (id: string, ...dependencies: string[]) => ({ id, dependencies });

describe('criticalPath', () => {
  it('is empty for no tasks', () => {
    const path = criticalPath([]);
    expect(path.ids).toEqual([]);
    expect(path.edges.size).toBe(0);
  });

  it('follows the longest chain, not the widest', () => {
    // 1 → 2 → 4 → 5 is longer than 1 → 3 → 5.
    const tasks = [task('1'), task('2', '1'), task('3', '1'), task('4', '2'), task('5', '3', '4')];
    const path = criticalPath(tasks);
    expect(path.ids).toEqual(['1', '2', '4', '5']);
    expect([...path.edges]).toEqual([edgeKey('1', '2'), edgeKey('2', '4'), edgeKey('4', '5')]);
    expect(path.nodes.has('3')).toBe(false);
  });

  it('breaks ties by the smaller ids, in natural order', () => {
    const tasks = [task('10'), task('2'), task('11', '10'), task('3', '2')];
    expect(criticalPath(tasks).ids).toEqual(['2', '3']);
  });

  it('ignores unknown dependencies, self references and duplicates', () => {
    const tasks = [task('a', 'ghost'), task('b', 'a', 'a', 'b')];
    expect(criticalPath(tasks).ids).toEqual(['a', 'b']);
  });

  it('leaves out tasks the filter rejects (finished work)', () => {
    const tasks = [task('1'), task('2', '1'), task('3', '2'), task('4')];
    const open = (candidate: { id: string }) => candidate.id !== '1';
    expect(criticalPath(tasks, open).ids).toEqual(['2', '3']);
  });

  it('does not loop on a cycle and still finds the acyclic part', () => {
    const tasks = [task('x', 'y'), task('y', 'x'), task('1'), task('2', '1')];
    expect(criticalPath(tasks).ids).toEqual(['1', '2']);
  });

  it('handles 500 tasks in a long chain quickly', () => {
    const tasks = Array.from({ length: 500 }, (_, index) => task(String(index + 1), ...(index === 0 ? [] : [String(index)])));
    const started = performance.now();
    const path = criticalPath(tasks);
    expect(performance.now() - started).toBeLessThan(200);
    expect(path.ids).toHaveLength(500);
    expect(path.edges.size).toBe(499);
  });
});
