import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  TaskMasterFormatError,
  buildTaskMasterDocument,
  parseTaskMasterDocument,
  statusFromTaskMaster,
  statusToTaskMaster,
  tasksFromTaskMaster,
  tasksToTaskMaster,
  TASK_MASTER_STATUSES,
  type ExportableTask,
  type ImportedTask,
} from '../../../src-shared/interop/taskmaster';
import { TASK_STATUSES, type TaskStatus } from '../../../src-shared/domain/task-status';

const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', 'integration', 'cli', 'fixtures', 'taskmaster-tasks.json'), 'utf8')) as Record<string, unknown>;

/** What the store would hold after import: ready for pending tasks whose dependencies are done. */
function asStored(imported: ReadonlyArray<ImportedTask>): ReadonlyArray<ExportableTask> {
  const status = new Map(imported.map((task) => [task.id, task.status]));
  return imported.map((task) => ({
    ...task,
    status: task.status === 'pending' && task.dependencies.every((dep) => status.get(dep) === 'done') ? ('ready' as TaskStatus) : task.status,
  }));
}

describe('Task Master interop mapping', () => {
  it('reads the tagged format and the legacy untagged one', () => {
    expect(parseTaskMasterDocument(fixture)).toMatchObject({ layout: 'tagged', tag: 'master' });
    expect(parseTaskMasterDocument(fixture, 'feature-x').tasks).toHaveLength(1);
    expect(parseTaskMasterDocument({ tasks: [{ id: 1, title: 'Only' }] })).toMatchObject({ layout: 'legacy', tasks: [{ id: 1, title: 'Only' }] });
  });

  it('says which key is wrong, and which tags exist', () => {
    expect(() => parseTaskMasterDocument({ master: { tasks: [{ id: 1, title: 'x', status: 'half-done' }] } })).toThrow(
      /key master\.tasks\.0\.status: unknown Task Master status "half-done"/,
    );
    expect(() => parseTaskMasterDocument({ master: { tasks: [{ id: 'one', title: 'x' }] } })).toThrow(/key master\.tasks\.0\.id: invalid task id: expected a number/);
    expect(() => parseTaskMasterDocument(fixture, 'nope')).toThrow('no tag "nope" in the file (tags: master, feature-x)');
    expect(() => parseTaskMasterDocument([])).toThrow(TaskMasterFormatError);
  });

  it('maps subtasks to parent.sub ids and resolves sibling and cross-task dependencies', () => {
    const imported = tasksFromTaskMaster(parseTaskMasterDocument(fixture).tasks);
    const byId = new Map(imported.map((task) => [task.id, task]));
    expect(byId.get('2.3')).toMatchObject({ parentId: '2', dependencies: ['2.1', '2.2'], status: 'done', sourceRef: 'taskmaster:2.3' });
    expect(byId.get('4')).toMatchObject({ dependencies: ['2', '3'], status: 'blocked', statusReason: 'blocked in Task Master' });
    expect(byId.get('4.1')?.dependencies).toEqual(['2.2']);
    // A subtask's number with no such sibling names the top-level task.
    expect(byId.get('4.2')?.dependencies).toEqual(['4.1', '3']);
    expect(byId.get('6')).toMatchObject({ priority: 'medium', details: '', testStrategy: '' });
  });

  it('gives back exactly the original tasks when nothing changed', () => {
    const imported = tasksFromTaskMaster(parseTaskMasterDocument(fixture).tasks);
    const originals = new Map(imported.map((task) => [task.id, task.original]));
    const master = fixture['master'] as { tasks: unknown };
    expect(tasksToTaskMaster(asStored(imported), originals)).toEqual(master.tasks);
  });

  it('writes our changes in Task Master terms', () => {
    const imported = tasksFromTaskMaster(parseTaskMasterDocument(fixture).tasks);
    const originals = new Map(imported.map((task) => [task.id, task.original]));
    const changed = asStored(imported).map((task) =>
      task.id === '2' ? { ...task, status: 'done' as const, title: 'Schema' } : task.id === '3' ? { ...task, status: 'failed' as const, dependencies: ['1', '2.3'] } : task,
    );
    const exported = tasksToTaskMaster(changed, originals);
    expect(exported[1]).toMatchObject({ id: 2, title: 'Schema', status: 'done' });
    expect(exported[2]).toMatchObject({ id: 3, status: 'blocked', dependencies: [1, '2.3'] });
  });

  it('exports tasks made here (no original) with every field, and refuses ids Task Master cannot hold', () => {
    const task: ExportableTask = { id: '7', parentId: null, title: 'New', description: 'd', details: '', testStrategy: '', priority: 'low', status: 'ready', dependencies: [] };
    const sub: ExportableTask = { ...task, id: '7.1', parentId: '7', title: 'Sub', dependencies: ['7.2', '3'] };
    expect(tasksToTaskMaster([task, sub])).toEqual([
      {
        id: 7,
        title: 'New',
        description: 'd',
        details: '',
        testStrategy: '',
        status: 'pending',
        dependencies: [],
        priority: 'low',
        subtasks: [{ id: 1, title: 'Sub', description: 'd', details: '', testStrategy: '', status: 'pending', dependencies: [2, '3'], priority: 'low' }],
      },
    ]);
    expect(() => tasksToTaskMaster([{ ...task, id: 'auth' }])).toThrow('these cannot be exported: auth');
    expect(() => tasksToTaskMaster([task, sub, { ...sub, id: '7.1.1', parentId: '7.1' }])).toThrow('nested too deeply');
  });

  it('maps every status both ways', () => {
    for (const status of TASK_MASTER_STATUSES) expect(TASK_STATUSES).toContain(statusFromTaskMaster(status));
    for (const status of TASK_STATUSES) expect(TASK_MASTER_STATUSES).toContain(statusToTaskMaster(status));
    expect(statusFromTaskMaster('in-progress')).toBe('pending');
    expect(statusFromTaskMaster('review')).toBe('done');
    expect(statusToTaskMaster('failed')).toBe('blocked');
    expect(statusToTaskMaster('in_progress')).toBe('in-progress');
  });

  it('keeps the other tags of an existing file, or its legacy layout', () => {
    const tasks = [{ id: 1, title: 'T' }];
    const tagged = buildTaskMasterDocument(tasks, { tag: 'master', existing: fixture });
    expect(Object.keys(tagged)).toEqual(['master', 'feature-x']);
    expect((tagged['master'] as { tasks: unknown; metadata: unknown }).tasks).toEqual(tasks);
    expect((tagged['master'] as { metadata: unknown }).metadata).toEqual((fixture['master'] as { metadata: unknown }).metadata);
    expect(buildTaskMasterDocument(tasks, { tag: 'master', existing: { tasks: [] } })).toEqual({ tasks });
    expect(buildTaskMasterDocument(tasks, { tag: 'master' })).toEqual({ master: { tasks } });
  });
});
