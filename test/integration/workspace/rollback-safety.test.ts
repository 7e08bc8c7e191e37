import { chmod, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckpoint, ensureWorkspace, getCheckpoint, rollback } from '../../../src-main/workspace';
import { git, makeRepo, tempDir, writeFiles } from './git-fixtures';
import { MemoryTaskTable } from './memory-tasks';
import { diskEntries, expectFullPromise, expectRecoverable, ignoredNow, treeEntries } from './rollback-oracle';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function repo(files: Record<string, string>) {
  const made = await makeRepo(files);
  cleanups.push(made.cleanup);
  await ensureWorkspace(made.dir);
  return { dir: made.dir, tasks: new MemoryTaskTable() };
}

/** Checkpoint now, let `change` happen, FULL rollback, and check the promise (restored, ignored left alone, nothing lost). */
async function fullRollbackAround(dir: string, tasks: MemoryTaskTable, change: () => Promise<void>) {
  const checkpoint = await createCheckpoint(dir, { description: 'before', taskSnapshot: tasks.snapshotTasks() });
  await change();
  const before = await diskEntries(dir);
  const ignoredBefore = await ignoredNow(dir, [...before.keys()]);
  const result = await rollback(dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks);
  const after = await diskEntries(dir);
  const safety = await treeEntries(dir, (await getCheckpoint(dir, result.safetyCheckpointId))?.tree ?? '');
  await expectFullPromise(dir, { checkpoint: await treeEntries(dir, checkpoint.tree), before, ignoredBefore, after, safety }, 'FULL');
  return { result, before, after, safety };
}

describe('FULL rollback never destroys what the safety checkpoint did not record', () => {
  it('overwrites a file tracked at the checkpoint and ignored now only after recording it', async () => {
    const { dir, tasks } = await repo({ 'config.ini': 'v0\n', '.gitignore': '*.log\n' });
    const { result, safety } = await fullRollbackAround(dir, tasks, async () => {
      // The user stops tracking config.ini, ignores it, and edits it: `git status` no longer shows it at all.
      git(dir, 'rm', '-q', '--cached', 'config.ini');
      await writeFile(path.join(dir, '.gitignore'), '*.log\nconfig.ini\n');
      await writeFile(path.join(dir, 'config.ini'), 'local secret settings\n');
    });
    expect(await readFile(path.join(dir, 'config.ini'), 'utf8')).toBe('v0\n');
    expect(result.restoredFiles).toContain('config.ini');
    expect(git(dir, 'show', `refs/orchestrator/checkpoints/${result.safetyCheckpointId}:config.ini`)).toBe('local secret settings\n');
    expect(safety.has('config.ini')).toBe(true);
  });

  it('records tracked files that .gitignore matches in every checkpoint, and restores them', async () => {
    const { dir, tasks } = await repo({ '.gitignore': '*.log\n', 'README.md': 'r\n' });
    await writeFiles(dir, { 'keep.log': 'tracked on purpose\n' });
    git(dir, 'add', '-f', 'keep.log');
    git(dir, 'commit', '-q', '-m', 'track a log');
    await fullRollbackAround(dir, tasks, async () => {
      await writeFile(path.join(dir, 'keep.log'), 'overwritten\n');
      await chmod(path.join(dir, 'keep.log'), 0o755);
    });
    expect(await readFile(path.join(dir, 'keep.log'), 'utf8')).toBe('tracked on purpose\n');
  });

  it('leaves a file ignored at the checkpoint in place even when .gitignore stopped ignoring it since', async () => {
    const { dir, tasks } = await repo({ '.gitignore': 'notes.txt\n', 'README.md': 'r\n' });
    await writeFiles(dir, { 'notes.txt': 'my notes at checkpoint time\n' });
    const { result } = await fullRollbackAround(dir, tasks, async () => {
      await writeFile(path.join(dir, '.gitignore'), '');
      await writeFile(path.join(dir, 'notes.txt'), 'my notes, later\n');
    });
    // The checkpoint never recorded notes.txt (ignored then), so it cannot say it was absent: it stays.
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('my notes, later\n');
    expect(result.keptIgnoredFiles).toEqual(['notes.txt']);
    expect(result.deletedFiles).toEqual([]);
  });

  it('records an ignored folder that stands where a file goes back, and a symlink where a folder goes back, without touching the link target', async () => {
    const { dir, tasks } = await repo({ '.gitignore': '', build: 'build is a file at first\n', 'lib/a.txt': 'a\n' });
    const outside = await tempDir('co-outside-');
    cleanups.push(outside.cleanup);
    await writeFiles(outside.dir, { 'a.txt': 'outside, must survive\n' });
    const { before, after, safety } = await fullRollbackAround(dir, tasks, async () => {
      // Neither tracked nor visible to `git status` any more: only the rollback's own capture can record them.
      git(dir, 'rm', '-r', '-q', '--cached', 'build', 'lib');
      await writeFile(path.join(dir, '.gitignore'), 'build/\nlib\n');
      await rm(path.join(dir, 'build'));
      await writeFiles(dir, { 'build/out.js': 'ignored build output\n' });
      await rm(path.join(dir, 'lib'), { recursive: true });
      await symlink(outside.dir, path.join(dir, 'lib'));
    });
    expect(await readFile(path.join(dir, 'build'), 'utf8')).toBe('build is a file at first\n');
    expect(await readFile(path.join(dir, 'lib/a.txt'), 'utf8')).toBe('a\n');
    expect(await readFile(path.join(outside.dir, 'a.txt'), 'utf8')).toBe('outside, must survive\n');
    expect(safety.get('build/out.js')).toBe(before.get('build/out.js'));
    expect(safety.get('lib')).toBe(before.get('lib'));
    expect(after.has('build/out.js')).toBe(false);
  });

  it('restores the executable bit and symlinks of a file ignored now', async () => {
    const { dir, tasks } = await repo({ 'run.sh': '#!/bin/sh\necho hi\n', 'target.txt': 't\n' });
    await chmod(path.join(dir, 'run.sh'), 0o755);
    await symlink('target.txt', path.join(dir, 'link'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'exec and link');
    await fullRollbackAround(dir, tasks, async () => {
      git(dir, 'rm', '-q', '--cached', 'run.sh', 'link');
      await writeFile(path.join(dir, '.gitignore'), 'run.sh\nlink\n');
      await chmod(path.join(dir, 'run.sh'), 0o644);
      await rm(path.join(dir, 'link'));
      await symlink('README.md', path.join(dir, 'link'));
    });
    expect(await readlink(path.join(dir, 'link'))).toBe('target.txt');
  });

  it('refuses, before writing anything, to delete a nested git repository it cannot record', async () => {
    const { dir, tasks } = await repo({ 'vendor': 'vendor was a file\n', 'README.md': 'r\n' });
    const checkpoint = await createCheckpoint(dir, { description: 'before', taskSnapshot: tasks.snapshotTasks() });
    await rm(path.join(dir, 'vendor'));
    await mkdir(path.join(dir, 'vendor'));
    // A cloned library with a commit, and uncommitted work in it.
    const nested = path.join(dir, 'vendor');
    git(nested, 'init', '-q');
    await writeFiles(nested, { 'lib.txt': 'library\n' });
    git(nested, 'add', '-A');
    git(nested, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'lib');
    await writeFiles(dir, { 'vendor/work.txt': 'uncommitted work in a nested repository\n', 'README.md': 'edited\n' });
    const before = await diskEntries(dir);
    await expect(rollback(dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks)).rejects.toThrow(/"vendor".*nested git repository.*Nothing was changed on disk/);
    const after = await diskEntries(dir);
    expect(Object.fromEntries(after)).toEqual(Object.fromEntries(before));
  });

  it('undo brings back every byte, ignored files the rollback touched included', async () => {
    const { dir, tasks } = await repo({ 'a.txt': 'a0\n', '.gitignore': '' });
    const { before } = await fullRollbackAround(dir, tasks, async () => {
      await writeFile(path.join(dir, '.gitignore'), 'a.txt\n');
      git(dir, 'rm', '-q', '--cached', 'a.txt');
      await writeFile(path.join(dir, 'a.txt'), 'a, ignored and edited\n');
      await writeFiles(dir, { 'new.txt': 'new\n' });
    });
    const undo = await rollback(dir, { strategy: 'FULL', checkpointId: (await latestRollback(dir)) ?? '' }, tasks);
    const afterUndo = await diskEntries(dir);
    expectRecoverable(before, afterUndo, new Map(), `undo ${undo.safetyCheckpointId}`);
  });
});

async function latestRollback(dir: string): Promise<string | null> {
  const refs = git(dir, 'for-each-ref', '--sort=-refname', '--format=%(refname:strip=3)', 'refs/orchestrator/checkpoints/').split('\n').filter(Boolean);
  for (const id of refs) if ((await getCheckpoint(dir, id))?.kind === 'rollback') return id;
  return null;
}
