import { readFile, rm, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckpoint, ensureWorkspace, getCheckpoint, listCheckpoints, rollback } from '../../../src-main/workspace';
import { makeRepo, treeFingerprint, writeFiles } from './git-fixtures';
import { MemoryTaskTable } from './memory-tasks';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const past = new Date(Date.now() - 60_000);

/** A project with tasks t-old (done before the checkpoint), t1 and t2 (pending), and a checkpoint. */
async function scenario() {
  const repo = await makeRepo({ 'README.md': 'readme\n', 'a.txt': 'a0\n', 'b.txt': 'b0\n', 'c.txt': 'c0\n', 'lib/keep.txt': 'keep\n' });
  cleanups.push(repo.cleanup);
  await ensureWorkspace(repo.dir);
  const tasks = new MemoryTaskTable();
  for (const id of ['t-old', 't1', 't2', 't3']) tasks.add(id);
  tasks.finish('t-old', ['c.txt'], 'done', past);
  const checkpointTree = await treeFingerprint(repo.dir);
  const checkpointTasks = tasks.snapshotTasks();
  const checkpoint = await createCheckpoint(repo.dir, { description: 'before run', kind: 'run', taskSnapshot: checkpointTasks });
  // After the checkpoint: t1 edits a.txt and creates t1.txt; t2 edits b.txt and deletes lib/keep.txt;
  // t3 fails after touching c.txt; the user edits README.md; a new task t4 is planned.
  await writeFiles(repo.dir, { 'a.txt': 'a1 by t1\n', 't1.txt': 'new from t1\n' });
  tasks.finish('t1', ['a.txt', 't1.txt']);
  await writeFiles(repo.dir, { 'b.txt': 'b1 by t2\n' });
  await rm(path.join(repo.dir, 'lib/keep.txt'));
  tasks.finish('t2', ['b.txt', 'lib/keep.txt']);
  await writeFiles(repo.dir, { 'c.txt': 'c1 by failed t3\n' });
  tasks.finish('t3', ['c.txt'], 'failed');
  await writeFile(path.join(repo.dir, 'README.md'), 'user edit\n');
  tasks.add('t4');
  return { dir: repo.dir, tasks, checkpoint, checkpointTree, checkpointTasks };
}

describe('rollback', () => {
  it('FULL puts files and the task table back exactly, and can itself be undone', async () => {
    const { dir, tasks, checkpoint, checkpointTree, checkpointTasks } = await scenario();
    const beforeRollbackTree = await treeFingerprint(dir);
    const beforeRollbackTasks = tasks.snapshotTasks();
    const result = await rollback(dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks);
    expect(Object.fromEntries(await treeFingerprint(dir))).toEqual(Object.fromEntries(checkpointTree));
    expect(tasks.snapshotTasks()).toEqual(checkpointTasks);
    expect(result).toMatchObject({ strategy: 'FULL', tasksRestored: true, headMovedSinceCheckpoint: false });
    expect([...result.restoredFiles].sort()).toEqual(['README.md', 'a.txt', 'b.txt', 'c.txt', 'lib/keep.txt']);
    expect(result.deletedFiles).toEqual(['t1.txt']);
    expect(await getCheckpoint(dir, result.safetyCheckpointId)).toMatchObject({ kind: 'rollback', rollbackOf: checkpoint.id });

    await rollback(dir, { strategy: 'FULL', checkpointId: result.safetyCheckpointId }, tasks);
    expect(Object.fromEntries(await treeFingerprint(dir))).toEqual(Object.fromEntries(beforeRollbackTree));
    expect(tasks.snapshotTasks()).toEqual(beforeRollbackTasks);
  });

  it('PARTIAL restores the tree and sends only tasks done after the checkpoint back to pending', async () => {
    const { dir, tasks, checkpoint, checkpointTree } = await scenario();
    const result = await rollback(dir, { strategy: 'PARTIAL', checkpointId: checkpoint.id }, tasks);
    expect(Object.fromEntries(await treeFingerprint(dir))).toEqual(Object.fromEntries(checkpointTree));
    expect([...result.tasksResetToPending].sort()).toEqual(['t1', 't2']);
    expect(result.tasksRestored).toBe(false);
    expect(tasks.statusOf('t1')).toBe('pending');
    expect(tasks.statusOf('t2')).toBe('pending');
    expect(tasks.statusOf('t-old')).toBe('done');
    expect(tasks.statusOf('t3')).toBe('failed');
    expect(tasks.statusOf('t4')).toBe('pending');
    expect(tasks.tasks.map((task) => task.id)).toEqual(['t-old', 't1', 't2', 't3', 't4']);
  });

  it('SELECTIVE without git history restores the named tasks’ files whole, says so, and resets only those tasks', async () => {
    const { dir, tasks, checkpoint } = await scenario();
    const result = await rollback(dir, { strategy: 'SELECTIVE', checkpointId: checkpoint.id, taskIds: ['t1', 't2'] }, tasks);
    // t1's edit reverted and its new file removed; t2's edit reverted and its deleted file back.
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('a0\n');
    expect(await stat(path.join(dir, 't1.txt')).catch(() => null)).toBeNull();
    expect(await readFile(path.join(dir, 'b.txt'), 'utf8')).toBe('b0\n');
    expect(await readFile(path.join(dir, 'lib/keep.txt'), 'utf8')).toBe('keep\n');
    // Everything else as it was just before the rollback.
    expect(await readFile(path.join(dir, 'c.txt'), 'utf8')).toBe('c1 by failed t3\n');
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toBe('user edit\n');
    expect([...result.restoredFiles].sort()).toEqual(['a.txt', 'b.txt', 'lib/keep.txt']);
    expect(result.deletedFiles).toEqual(['t1.txt']);
    expect(result.tasksResetToPending).toEqual(['t1', 't2']);
    expect(result.notes).toEqual([
      expect.stringMatching(/^Task t1: it has no commits of its own .* restored whole from the checkpoint \(a\.txt, t1\.txt\)/),
      expect.stringMatching(/^Task t2: it has no commits of its own .* restored whole from the checkpoint \(b\.txt, lib\/keep\.txt\)/),
    ]);
    expect(tasks.statusOf('t1')).toBe('pending');
    expect(tasks.statusOf('t2')).toBe('pending');
    expect(tasks.statusOf('t3')).toBe('failed');
    expect(tasks.statusOf('t-old')).toBe('done');
  });

  it('SELECTIVE refuses paths outside the project and needs a task, before writing anything', async () => {
    const { dir, tasks, checkpoint } = await scenario();
    const before = await treeFingerprint(dir);
    tasks.finish('t1', ['../outside.txt']);
    await expect(rollback(dir, { strategy: 'SELECTIVE', checkpointId: checkpoint.id, taskIds: ['t1'] }, tasks)).rejects.toThrow(
      '"../outside.txt" is not a path inside the project.',
    );
    await expect(rollback(dir, { strategy: 'SELECTIVE', checkpointId: checkpoint.id, taskIds: [] }, tasks)).rejects.toThrow(
      'at least one task',
    );
    expect(Object.fromEntries(await treeFingerprint(dir))).toEqual(Object.fromEntries(before));
    expect((await listCheckpoints(dir)).map((found) => found.id)).toEqual([checkpoint.id]);
  });
});

