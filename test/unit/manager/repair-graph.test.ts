import { describe, expect, it } from 'vitest';
import { repairPlan, type RepairResult } from '../../../src-main/agents/manager/repair-graph';
import type { ModelTask } from '../../../src-main/agents/manager/plan-schema';
import { validateGraph } from '../../../src-shared/graph/validate';

function task(id: number | string, dependencies: ReadonlyArray<number | string> = [], priority: ModelTask['priority'] = 'medium'): ModelTask {
  return {
    id,
    title: `T${id}`,
    description: '',
    details: '',
    acceptance_criteria: ['done'],
    test_strategy: '',
    priority,
    dependencies: [...dependencies],
    context_files: [],
    hints: [],
    expects_no_changes: false,
  };
}

const numbered = { idFor: (index: number) => String(index + 1), cyclePolicy: 'break' as const };

function ok(result: RepairResult): Extract<RepairResult, { ok: true }> {
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe('repairPlan', () => {
  it('leaves a valid plan untouched', () => {
    const result = ok(repairPlan([task(1), task(2, [1]), task(3, [1, 2])], numbered));
    expect(result.notes).toEqual([]);
    expect(result.tasks.map((t) => t.dependencies)).toEqual([[], ['1'], ['1', '2']]);
  });

  it('accepts string and number ids alike and removes repeated dependencies', () => {
    const result = ok(repairPlan([task('1'), task(2, ['1', 1, ' 1 '])], numbered));
    expect(result.notes).toEqual([]);
    expect(result.tasks[1]?.dependencies).toEqual(['1']);
  });

  it('points dependencies on a duplicated id at its first task', () => {
    const result = ok(repairPlan([task(1), task(1, [1]), task(2, [1])], numbered));
    expect(result.notes.map((note) => note.message)).toEqual(['duplicate id 1: task "T1" renumbered to 2', 'ids made contiguous: 2 → 3']);
    expect(result.tasks.map((t) => t.dependencies)).toEqual([[], ['1'], ['1']]);
  });

  it('breaks a two-task cycle on the back edge even when the other edge has lower priority', () => {
    const result = ok(repairPlan([task(1, [2], 'high'), task(2, [1], 'low')], numbered));
    expect(result.notes.map((note) => note.message)).toEqual(['dependency cycle 1 → 2 → 1 broken: task 1 ("T1") no longer depends on task 2']);
    expect(result.tasks.map((t) => t.dependencies)).toEqual([[], ['1']]);
  });

  it('among back edges drops the one whose task has the lowest priority', () => {
    // 1 → 3 and 2 → 4 are back edges of the cycle 1 → 3 → 2 → 4 → 1.
    const result = ok(repairPlan([task(1, [3], 'high'), task(2, [4], 'low'), task(3, [2]), task(4, [1])], numbered));
    expect(result.notes.map((note) => note.message)).toEqual(['dependency cycle 1 → 3 → 2 → 4 → 1 broken: task 2 ("T2") no longer depends on task 4']);
    expect(validateGraph(result.tasks)).toEqual([]);
  });

  it('refuses a cycle when asked to', () => {
    const result = repairPlan([task(1, [3]), task(2, [1]), task(3, [2])], { ...numbered, cyclePolicy: 'refuse' });
    expect(result).toEqual({ ok: false, message: 'the plan has a dependency cycle 1 → 3 → 2 → 1', cycle: ['1', '3', '2', '1'] });
  });

  it('keeps dependencies on external tasks and numbers from an offset', () => {
    const result = ok(repairPlan([task('x', ['7']), task('y', ['x', '8'])], { idFor: (index) => String(10 + index), externalIds: new Set(['7']), cyclePolicy: 'break' }));
    expect(result.tasks.map((t) => [t.id, t.dependencies])).toEqual([
      ['10', ['7']],
      ['11', ['10']],
    ]);
    expect(result.notes.map((note) => note.kind)).toEqual(['renumbered', 'unknown_dependency']);
  });

  it('always returns a graph that validates, whatever the input', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round += 1) {
      const count = 1 + Math.floor(random() * 9);
      const tasks = Array.from({ length: count }, () =>
        task(
          1 + Math.floor(random() * 12),
          Array.from({ length: Math.floor(random() * 4) }, () => 1 + Math.floor(random() * 12)),
          (['high', 'medium', 'low'] as const)[Math.floor(random() * 3)],
        ),
      );
      const result = ok(repairPlan(tasks, numbered));
      expect(validateGraph(result.tasks)).toEqual([]);
      expect(result.tasks.map((t) => t.id)).toEqual(Array.from({ length: count }, (_, index) => String(index + 1)));
    }
  });
});
