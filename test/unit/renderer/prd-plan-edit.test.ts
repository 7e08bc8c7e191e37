import { describe, expect, it } from 'vitest';
import { removeTask, toNewTasks, toggleDependency, updateTask, type PlanDraft, type ProposedTask } from '../../../src-renderer/features/prd/plan-edit';
import { prdFileProblem } from '../../../src-renderer/features/prd/prd-file';

function task(id: string, dependencies: string[] = []): ProposedTask {
  return { id, title: `Task ${id}`, description: '', details: '', testStrategy: '', acceptanceCriteria: ['works'], priority: 'medium', dependencies, contextFiles: [], hints: [] };
}

const draft: PlanDraft = { tasks: [task('4'), task('5', ['4']), task('6', ['4', '5', '2'])], notes: [{ kind: 'cycle_broken', message: 'Dropped 4 → 6.' }], costUsd: 0.01 };

describe('editing a proposed plan', () => {
  it('changes a title and a priority of one task only', () => {
    const edited = updateTask(updateTask(draft, '5', { title: 'API' }), '6', { priority: 'high' });
    expect(edited.tasks.map((entry) => [entry.title, entry.priority])).toEqual([
      ['Task 4', 'medium'],
      ['API', 'medium'],
      ['Task 6', 'high'],
    ]);
    expect(draft.tasks[1]?.title).toBe('Task 5');
  });

  it('adds and removes dependencies, never on the task itself', () => {
    expect(toggleDependency(draft, '4', '6', true).tasks[0]?.dependencies).toEqual(['6']);
    expect(toggleDependency(draft, '6', '5', false).tasks[2]?.dependencies).toEqual(['4', '2']);
    expect(toggleDependency(draft, '5', '4', true).tasks[1]?.dependencies).toEqual(['4']);
    expect(toggleDependency(draft, '4', '4', true)).toBe(draft);
  });

  it('removes a task with the dependencies on it, and says which tasks changed', () => {
    const edited = removeTask(draft, '4');
    expect(edited.tasks.map((entry) => [entry.id, entry.dependencies])).toEqual([
      ['5', []],
      ['6', ['5', '2']],
    ]);
    expect(edited.notes.at(-1)).toEqual({ kind: 'edit', message: 'Removed task 4 "Task 4"; tasks 5, 6 no longer depend on it.' });
    expect(removeTask(draft, '6').notes.at(-1)?.message).toBe('Removed task 6 "Task 6".');
    expect(removeTask(draft, '99')).toBe(draft);
  });

  it('sends the tasks as the user left them, ids and dependencies included', () => {
    expect(toNewTasks(draft)[2]).toMatchObject({ id: '6', title: 'Task 6', dependencies: ['4', '5', '2'], acceptanceCriteria: ['works'] });
  });
});

describe('which files import as a PRD', () => {
  it('accepts Markdown and text files, and says why others are refused', () => {
    expect(prdFileProblem({ name: 'PRD.md', size: 10 })).toBeNull();
    expect(prdFileProblem({ name: 'notes.TXT', size: 10 })).toBeNull();
    expect(prdFileProblem({ name: 'spec.markdown', size: 10 })).toBeNull();
    expect(prdFileProblem({ name: 'logo.png', size: 10 })).toMatch(/"logo.png" is not a PRD file/);
    expect(prdFileProblem({ name: 'huge.md', size: 5_000_000 })).toMatch(/too large/);
  });
});
