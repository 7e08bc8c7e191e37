import { readFile, writeFile, rm, chmod, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCheckpoint,
  deleteCheckpoint,
  ensureWorkspace,
  getCheckpoint,
  listCheckpoints,
  pruneCheckpoints,
  rollback,
  showCheckpoint,
} from '../../../src-main/workspace';
import { git, makeRepo, tempDir, treeFingerprint, userGitState, writeFiles } from './git-fixtures';
import { MemoryTaskTable } from './memory-tasks';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function project(files?: Record<string, string>): Promise<string> {
  const repo = await makeRepo(files);
  cleanups.push(repo.cleanup);
  await ensureWorkspace(repo.dir);
  return repo.dir;
}

describe('checkpoints', () => {
  it('records untracked files, skips ignored files and .orchestrator, and leaves index, HEAD and branches alone', async () => {
    const dir = await project({ '.gitignore': 'build/\n*.log\n', 'tracked.txt': 'v1\n' });
    await writeFile(path.join(dir, 'tracked.txt'), 'v2 unstaged\n');
    await writeFiles(dir, { 'staged.txt': 'staged\n', 'new/untracked.txt': 'untracked\n', 'build/out.js': 'ignored\n', 'debug.log': 'ignored\n' });
    await writeFiles(dir, { '.orchestrator/state.db': 'db', '.orchestrator/logs/a.log': 'log' });
    git(dir, 'add', 'staged.txt');
    const before = await userGitState(dir);
    const branchesBefore = git(dir, 'for-each-ref', 'refs/heads', 'refs/tags');

    const checkpoint = await createCheckpoint(dir, { description: 'before run', taskSnapshot: [{ id: 't1', status: 'pending' }] });

    expect(await userGitState(dir)).toEqual(before);
    expect(git(dir, 'for-each-ref', 'refs/heads', 'refs/tags')).toBe(branchesBefore);
    expect(git(dir, 'rev-parse', `refs/orchestrator/checkpoints/${checkpoint.id}`).trim()).toBe(checkpoint.commit);
    const files = git(dir, 'ls-tree', '-r', '--name-only', checkpoint.commit).trim().split('\n').sort();
    expect(files).toEqual(['.gitignore', 'new/untracked.txt', 'staged.txt', 'tracked.txt']);
    expect(git(dir, 'show', `${checkpoint.commit}:tracked.txt`)).toBe('v2 unstaged\n');
    expect(checkpoint.head).toBe(before.head);
  });

  it('a later checkpoint (from the index kept since the last one) still records every change: same-size edits, deletions, files ignored since, tracked-ignored files', async () => {
    const dir = await project({ '.gitignore': 'build/\n', 'a.txt': 'aaaa\n', 'b.txt': 'bbbb\n', 'tracked.log': 'tracked\n' });
    await writeFiles(dir, { 'notes.txt': 'untracked notes\n', 'scratch.txt': 'scratch\n' });
    const first = await createCheckpoint(dir, { description: 'first', taskSnapshot: [] });
    expect(git(dir, 'ls-tree', '-r', '--name-only', first.commit).trim().split('\n').sort()).toEqual(['.gitignore', 'a.txt', 'b.txt', 'notes.txt', 'scratch.txt', 'tracked.log']);
    expect((await stat(path.join(dir, '.orchestrator', 'snapshot.index'))).isFile()).toBe(true);

    // Same size, same second; a deletion; scratch.txt ignored from now on; tracked.log ignored too, but the user's index tracks it.
    await writeFile(path.join(dir, 'a.txt'), 'AAAA\n');
    await rm(path.join(dir, 'b.txt'));
    await writeFile(path.join(dir, '.gitignore'), 'build/\nscratch.txt\n*.log\n');
    await writeFile(path.join(dir, 'tracked.log'), 'tracked, edited\n');
    const second = await createCheckpoint(dir, { description: 'second', taskSnapshot: [] });

    expect(git(dir, 'ls-tree', '-r', '--name-only', second.commit).trim().split('\n').sort()).toEqual(['.gitignore', 'a.txt', 'notes.txt', 'tracked.log']);
    expect(git(dir, 'show', `${second.commit}:a.txt`)).toBe('AAAA\n');
    expect(git(dir, 'show', `${second.commit}:tracked.log`)).toBe('tracked, edited\n');
    // A kept index that cannot be read is ignored, not trusted.
    await writeFile(path.join(dir, '.orchestrator', 'snapshot.index'), 'not an index');
    await writeFile(path.join(dir, 'notes.txt'), 'notes, edited\n');
    const third = await createCheckpoint(dir, { description: 'third', taskSnapshot: [] });
    expect(git(dir, 'show', `${third.commit}:notes.txt`)).toBe('notes, edited\n');
    expect(git(dir, 'ls-tree', '-r', '--name-only', third.commit).trim().split('\n').sort()).toEqual(['.gitignore', 'a.txt', 'notes.txt', 'tracked.log']);
  });

  it('a same-size edit made in the second the last checkpoint was taken is recorded, however much later the next one comes', async () => {
    const dir = await project({ 'a.txt': 'aaaa\n' });
    // Only mtime and size then tell an edit apart (ctime is not trusted, as some users configure git).
    git(dir, 'config', 'core.trustctime', 'false');
    const stamp = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    await utimes(path.join(dir, 'a.txt'), stamp, stamp);
    await createCheckpoint(dir, { description: 'first', taskSnapshot: [] });
    // The racy case: the kept index was written in the same second as the file's last change, and the
    // file changes again within that second (same size, same mtime). Git must look at its content.
    const kept = path.join(dir, '.orchestrator', 'snapshot.index');
    await utimes(kept, stamp, stamp);
    await writeFile(path.join(dir, 'a.txt'), 'AAAA\n');
    await utimes(path.join(dir, 'a.txt'), stamp, stamp);

    const second = await createCheckpoint(dir, { description: 'second', taskSnapshot: [] });
    expect(git(dir, 'show', `${second.commit}:a.txt`)).toBe('AAAA\n');
  });

  it('lists newest first, shows the task snapshot and pending changes, deletes and prunes', async () => {
    const dir = await project();
    const first = await createCheckpoint(dir, { description: 'first', taskSnapshot: { n: 1 }, now: new Date('2026-01-01T00:00:00Z') });
    const second = await createCheckpoint(dir, { description: 'second', kind: 'run', taskSnapshot: { n: 2 }, now: new Date('2026-02-01T00:00:00Z') });
    const third = await createCheckpoint(dir, { description: 'third\u0000\twith\ndetail “quoted”', taskSnapshot: { n: 3 }, now: new Date('2026-03-01T00:00:00Z') });
    expect((await listCheckpoints(dir)).map((checkpoint) => checkpoint.id)).toEqual([third.id, second.id, first.id]);
    expect((await listCheckpoints(dir))[1]).toMatchObject({ description: 'second', kind: 'run', createdAt: new Date('2026-02-01T00:00:00Z') });
    expect((await listCheckpoints(dir))[0]?.description).toBe('third\u0000\twith\ndetail “quoted”');

    await writeFile(path.join(dir, 'README.md'), 'changed\n');
    await writeFiles(dir, { 'extra.txt': 'x' });
    const details = await showCheckpoint(dir, second.id);
    expect(details.taskSnapshot).toEqual({ n: 2 });
    expect(details.description).toBe('second');
    expect(details.changesSinceCheckpoint).toEqual([
      { path: 'README.md', status: 'modified' },
      { path: 'extra.txt', status: 'deleted' },
    ]);

    expect(await deleteCheckpoint(dir, second.id)).toBe(true);
    expect(await deleteCheckpoint(dir, second.id)).toBe(false);
    expect(await getCheckpoint(dir, second.id)).toBeNull();
    expect(git(dir, 'for-each-ref', 'refs/orchestrator').split('\n').filter(Boolean)).toHaveLength(4);

    const fourth = await createCheckpoint(dir, { description: 'fourth', taskSnapshot: null, now: new Date('2026-04-01T00:00:00Z') });
    expect(await pruneCheckpoints(dir, { olderThan: new Date('2026-02-15T00:00:00Z') })).toEqual([first.id]);
    expect(await pruneCheckpoints(dir, { keepLatest: 1 })).toEqual([third.id]);
    expect((await listCheckpoints(dir)).map((checkpoint) => checkpoint.id)).toEqual([fourth.id]);
    await expect(showCheckpoint(dir, first.id)).rejects.toThrow(`Checkpoint "${first.id}" does not exist.`);
    await expect(showCheckpoint(dir, '../../HEAD')).rejects.toThrow('is not a checkpoint id');
  });

  it('works in a repository without commits and refuses a folder that is not a repository', async () => {
    const temp = await tempDir();
    cleanups.push(temp.cleanup);
    git(temp.dir, 'init', '-q');
    await writeFiles(temp.dir, { 'a.txt': 'a\n' });
    const tasks = new MemoryTaskTable();
    const checkpoint = await createCheckpoint(temp.dir, { description: 'empty repo', taskSnapshot: tasks.snapshotTasks() });
    expect(checkpoint.head).toBeNull();
    await writeFiles(temp.dir, { 'b.txt': 'b\n', 'a.txt': 'changed' });
    await rollback(temp.dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks);
    expect(Object.fromEntries(await treeFingerprint(temp.dir))).toEqual({ 'a.txt': expect.stringMatching(/:-$/) as unknown });
    expect(await readFile(path.join(temp.dir, 'a.txt'), 'utf8')).toBe('a\n');

    const plain = await tempDir();
    cleanups.push(plain.cleanup);
    await expect(createCheckpoint(plain.dir, { description: 'x', taskSnapshot: null })).rejects.toThrow(/not a git repository/);
  });

  it('FULL rollback leaves ignored files alone and restores staged changes and the executable bit', async () => {
    const dir = await project({ '.gitignore': '*.log\n', 'run.sh': '#!/bin/sh\n', 'a.txt': 'a\n' });
    await writeFiles(dir, { 'keep.log': 'before\n', 'a.txt': 'staged version\n' });
    git(dir, 'add', 'a.txt');
    await writeFile(path.join(dir, 'a.txt'), 'working version\n');
    const before = await userGitState(dir);
    const tasks = new MemoryTaskTable();
    const checkpoint = await createCheckpoint(dir, { description: 'x', taskSnapshot: tasks.snapshotTasks() });

    await writeFile(path.join(dir, 'keep.log'), 'after\n');
    await chmod(path.join(dir, 'run.sh'), 0o755);
    git(dir, 'add', '-A');
    await rm(path.join(dir, 'a.txt'));
    const result = await rollback(dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks);

    expect(result.indexRestored).toBe(true);
    expect(await userGitState(dir)).toEqual({ ...before, indexHash: expect.any(String) as unknown });
    expect(git(dir, 'diff', '--cached', '--name-only')).toBe('a.txt\n');
    expect(git(dir, 'show', ':a.txt')).toBe('staged version\n');
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('working version\n');
    expect((await stat(path.join(dir, 'run.sh'))).mode & 0o111).toBe(0);
    expect(await readFile(path.join(dir, 'keep.log'), 'utf8')).toBe('after\n');
  });
});
