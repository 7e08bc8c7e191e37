import { describe, expect, it } from 'vitest';
import { criticalPathLength, criticalPathRanks, makespanLowerBound } from '../../../src-shared/graph/critical-path';
import { readySet, topologicalOrder } from '../../../src-shared/graph/order';
import { assertValidGraph, GraphValidationError, validateGraph } from '../../../src-shared/graph/validate';

const node = (id: string, ...dependencies: string[]) => ({ id, dependencies });

describe('validateGraph', () => {
  it('accepts a valid DAG', () => {
    expect(validateGraph([node('1'), node('2', '1'), node('3', '1', '2')])).toEqual([]);
  });

  it('names the cycle in dependency order', () => {
    const problems = validateGraph([node('1', '3'), node('2', '1'), node('3', '2'), node('4')]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'cycle', cycle: ['1', '3', '2', '1'] });
    expect(problems[0]?.message).toBe('dependency cycle: 1 → 3 → 2 → 1');
  });

  it('names self references, unknown references and duplicates', () => {
    const messages = validateGraph([node('1', '1'), node('2', '9'), node('2')]).map((problem) => problem.message);
    expect(messages).toEqual(['task 2 is defined more than once', 'task 1 depends on itself', 'task 2 depends on 9, which does not exist']);
  });

  it('handles a 20,000-long chain without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, index) => node(String(index), ...(index > 0 ? [String(index - 1)] : [])));
    chain[0] = node('0', '19999');
    expect(validateGraph(chain)[0]?.kind).toBe('cycle');
  });

  it('assertValidGraph throws with every problem listed', () => {
    expect(() => assertValidGraph([node('a', 'b'), node('b', 'a')])).toThrow(GraphValidationError);
    expect(() => assertValidGraph([node('a', 'b'), node('b', 'a')])).toThrow('dependency cycle: a → b → a');
  });
});

describe('order and readiness', () => {
  it('orders dependencies first, ties by natural id', () => {
    expect(topologicalOrder([node('10'), node('2'), node('3', '10'), node('1', '3')])).toEqual(['2', '10', '3', '1']);
  });

  it('throws on a cycle', () => {
    expect(() => topologicalOrder([node('1', '2'), node('2', '1')])).toThrow('dependency cycle');
  });

  it('finds the ready set', () => {
    const done = new Set(['1']);
    const open = new Set(['2', '3', '4']);
    const graph = [node('1'), node('2', '1'), node('3', '2'), node('4')];
    expect(readySet(graph, (id) => open.has(id), (id) => done.has(id))).toEqual(['2', '4']);
  });
});

describe('critical path', () => {
  const graph = [node('a'), node('b', 'a'), node('c', 'b'), node('d', 'a'), node('e')];

  it('ranks each task by the longest chain it starts', () => {
    expect(Object.fromEntries(criticalPathRanks(graph))).toEqual({ a: 3, b: 2, c: 1, d: 1, e: 1 });
    const durations: Record<string, number> = { a: 1, b: 1, c: 1, d: 10, e: 1 };
    expect(criticalPathRanks(graph, (id) => durations[id] ?? 1).get('a')).toBe(11);
    expect(criticalPathLength(graph)).toBe(3);
  });

  it('bounds the makespan by the critical path and by total work over workers', () => {
    expect(makespanLowerBound(graph, () => 1, 1)).toBe(5);
    expect(makespanLowerBound(graph, () => 1, 4)).toBe(3);
    expect(() => makespanLowerBound(graph, () => 1, 0)).toThrow(RangeError);
  });
});
