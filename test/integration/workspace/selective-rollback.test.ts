import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckpoint, ensureWorkspace, getCheckpoint, rollback } from '../../../src-main/workspace';
import { git, makeRepo, writeFiles } from './git-fixtures';
import { MemoryTaskTable } from './memory-tasks';
import { diskEntries, expectRecoverable, treeEntries } from './rollback-oracle';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const lines = (count: number, edits: Record<number, string> = {}): string =>
  Array.from({ length: count }, (_unused, index) => edits[index + 1] ?? `line ${index + 1}`).join('\n') + '\n';

/** A repository with shared.txt (20 lines), run.sh and a checkpoint, and a task table. */
async function scenario() {
  const repo = await makeRepo({ 'shared.txt': lines(20), 'run.sh': 'echo run\n', '.gitignore': '*.log\n' });
  cleanups.push(repo.cleanup);
  await ensureWorkspace(repo.dir);
  git(repo.dir, 'commit', '-q', '-am', 'ignore .orchestrator');
  const tasks = new MemoryTaskTable();
  for (const id of ['t1', 't2']) tasks.add(id);
  const checkpoint = await createCheckpoint(repo.dir, { description: 'before run', kind: 'run', taskSnapshot: tasks.snapshotTasks() });
  return { dir: repo.dir, tasks, checkpoint };
}

/** A task's work as the orchestrator records it: a commit from `before` to `after` on the user's branch. */
async function commitTask(dir: string, tasks: MemoryTaskTable, taskId: string, files: string[], work: () => Promise<void>, merge = false): Promise<void> {
  const before = git(dir, 'rev-parse', 'HEAD').trim();
  if (merge) git(dir, 'switch', '-q', '-c', `attempt-${taskId}`);
  await work();
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `task ${taskId}`);
  if (merge) {
    // As the integration branch records it: "Merge task …" with the attempt's own commit as second parent.
    git(dir, 'switch', '-q', 'main');
    git(dir, 'merge', '-q', '--no-ff', '-m', `Merge task ${taskId}: work`, `attempt-${taskId}`);
  }
  tasks.finish(taskId, files);
  tasks.recordCommit(taskId, before, git(dir, 'rev-parse', 'HEAD').trim());
}

describe('SELECTIVE rollback undoes the tasks’ own changes', () => {
  it('reverts only the named task’s hunks, files and modes; later edits by other tasks and the user survive', async () => {
    const { dir, tasks, checkpoint } = await scenario();
    await commitTask(dir, tasks, 't1', ['shared.txt', 't1.txt', 'run.sh'], async () => {
      await writeFile(path.join(dir, 'shared.txt'), lines(20, { 2: 'two by t1' }));
      await writeFiles(dir, { 't1.txt': 'new from t1\n' });
      await chmod(path.join(dir, 'run.sh'), 0o755);
    }, true);
    await commitTask(dir, tasks, 't2', ['shared.txt'], async () => {
      await writeFile(path.join(dir, 'shared.txt'), lines(20, { 2: 'two by t1', 10: 'ten by t2' }));
    });
    // The user's own edits since, uncommitted: another line of the same file, a new file, an ignored file.
    await writeFile(path.join(dir, 'shared.txt'), lines(20, { 2: 'two by t1', 10: 'ten by t2', 17: 'seventeen by the user' }));
    await writeFiles(dir, { 'notes.txt': 'mine\n', 'debug.log': 'ignored\n' });
    const before = await diskEntries(dir);

    const result = await rollback(dir, { strategy: 'SELECTIVE', checkpointId: checkpoint.id, taskIds: ['t1'] }, tasks);

    expect(await readFile(path.join(dir, 'shared.txt'), 'utf8')).toBe(lines(20, { 10: 'ten by t2', 17: 'seventeen by the user' }));
    expect(await stat(path.join(dir, 't1.txt')).catch(() => null)).toBeNull();
    expect((await stat(path.join(dir, 'run.sh'))).mode & 0o111).toBe(0);
    expect(result).toMatchObject({ unrevertedFiles: [], notes: [], tasksResetToPending: ['t1'] });
    expect([...result.restoredFiles].sort()).toEqual(['run.sh', 'shared.txt']);
    expect(result.deletedFiles).toEqual(['t1.txt']);
    const after = await diskEntries(dir);
    for (const untouched of ['notes.txt', 'debug.log', '.gitignore']) expect(after.get(untouched)).toBe(before.get(untouched));
    const safety = await getCheckpoint(dir, result.safetyCheckpointId);
    expectRecoverable(before, after, await treeEntries(dir, safety?.tree ?? ''), 'SELECTIVE');
    expect(tasks.statusOf('t1')).toBe('pending');
    expect(tasks.statusOf('t2')).toBe('done');
  });

  it('leaves a file whose undo conflicts with later edits exactly as it is, and names the task’s hunks', async () => {
    const { dir, tasks, checkpoint } = await scenario();
    await commitTask(dir, tasks, 't1', ['shared.txt', 'other.txt'], async () => {
      await writeFile(path.join(dir, 'shared.txt'), lines(20, { 3: 'three by t1', 15: 'fifteen by t1' }));
      await writeFiles(dir, { 'other.txt': 'from t1\n' });
    });
    // The user then edits t1's line 15 and t1's new file.
    const edited = lines(20, { 3: 'three by t1', 15: 'fifteen, reworded by the user' });
    await writeFile(path.join(dir, 'shared.txt'), edited);
    await writeFile(path.join(dir, 'other.txt'), 'from t1, edited by the user\n');

    const result = await rollback(dir, { strategy: 'SELECTIVE', checkpointId: checkpoint.id, taskIds: ['t1'] }, tasks);

    expect(await readFile(path.join(dir, 'shared.txt'), 'utf8')).toBe(edited);
    expect(await readFile(path.join(dir, 'other.txt'), 'utf8')).toBe('from t1, edited by the user\n');
    expect(result.restoredFiles).toEqual([]);
    expect(result.deletedFiles).toEqual([]);
    expect([...result.unrevertedFiles].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { taskId: 't1', path: 'other.txt', reason: 'the task created it, and it was changed since', hunks: [], showCommand: expect.stringMatching(/^git diff [0-9a-f]{12} [0-9a-f]{12} -- 'other\.txt'$/) as unknown as string },
      { taskId: 't1', path: 'shared.txt', reason: expect.stringContaining('edited since') as unknown as string, hunks: ['@@ -15 +15 @@'], showCommand: expect.stringContaining("-- 'shared.txt'") as unknown as string },
    ]);
  });

  it('brings back a file the task deleted, and reports (without recreating) a file the user deleted after the task changed it', async () => {
    const { dir, tasks, checkpoint } = await scenario();
    await commitTask(dir, tasks, 't1', ['run.sh', 'shared.txt'], async () => {
      await rm(path.join(dir, 'run.sh'));
      await writeFile(path.join(dir, 'shared.txt'), lines(20, { 1: 'one by t1' }));
    });
    git(dir, 'rm', '-q', 'shared.txt');
    const result = await rollback(dir, { strategy: 'SELECTIVE', checkpointId: checkpoint.id, taskIds: ['t1'] }, tasks);
    expect(await readFile(path.join(dir, 'run.sh'), 'utf8')).toBe('echo run\n');
    expect(result.unrevertedFiles.map((file) => [file.path, file.reason])).toEqual([['shared.txt', 'it was deleted since the task changed it']]);
    expect(await stat(path.join(dir, 'shared.txt')).catch(() => null)).toBeNull();
  });
});
