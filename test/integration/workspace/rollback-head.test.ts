import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckpoint, ensureWorkspace, rollback } from '../../../src-main/workspace';
import { headMovementSince } from '../../../src-main/workspace/rollback-head';
import { git, makeRepo, writeFiles } from './git-fixtures';
import { MemoryTaskTable } from './memory-tasks';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function repoWithCheckpoint() {
  const repo = await makeRepo({ 'README.md': 'v0\n' });
  cleanups.push(repo.cleanup);
  await ensureWorkspace(repo.dir);
  const tasks = new MemoryTaskTable();
  tasks.add('t1');
  const checkpoint = await createCheckpoint(repo.dir, { description: 'before', taskSnapshot: tasks.snapshotTasks() });
  return { dir: repo.dir, tasks, checkpoint };
}

async function commit(dir: string, content: string): Promise<void> {
  await writeFiles(dir, { 'README.md': content });
  git(dir, 'commit', '-q', '-am', content.trim());
}

describe('HEAD movement since a checkpoint', () => {
  it('is none while HEAD stays where it was', async () => {
    const { dir, checkpoint, tasks } = await repoWithCheckpoint();
    expect(await headMovementSince(dir, checkpoint.head)).toEqual({ moved: false, branch: 'main', commitsSinceCheckpoint: 0, commitsNoLongerOnHead: 0 });
    const result = await rollback(dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks);
    expect(result).toMatchObject({ headMovedSinceCheckpoint: false, headMovement: { moved: false, commitsSinceCheckpoint: 0 } });
  });

  it('counts the commits made since, which a rollback leaves on the branch while it puts the files back', async () => {
    const { dir, checkpoint, tasks } = await repoWithCheckpoint();
    await commit(dir, 'v1\n');
    await commit(dir, 'v2\n');
    const headBefore = git(dir, 'rev-parse', 'HEAD').trim();

    const result = await rollback(dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks);

    expect(result.headMovedSinceCheckpoint).toBe(true);
    expect(result.headMovement).toEqual({ moved: true, branch: 'main', commitsSinceCheckpoint: 2, commitsNoLongerOnHead: 0 });
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(headBefore);
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toBe('v0\n');
    expect(git(dir, 'status', '--porcelain', 'README.md').trim()).toBe('M README.md');
  });

  it('counts commits HEAD lost since (a reset), and names no branch when HEAD is detached', async () => {
    const { dir } = await repoWithCheckpoint();
    await commit(dir, 'v1\n');
    const tasks = new MemoryTaskTable();
    const atV1 = await createCheckpoint(dir, { description: 'at v1', taskSnapshot: tasks.snapshotTasks() });
    git(dir, 'reset', '-q', '--hard', 'HEAD~1');
    await commit(dir, 'other\n');
    expect(await headMovementSince(dir, atV1.head)).toEqual({ moved: true, branch: 'main', commitsSinceCheckpoint: 1, commitsNoLongerOnHead: 1 });

    git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    expect(await headMovementSince(dir, atV1.head)).toEqual({ moved: true, branch: null, commitsSinceCheckpoint: 0, commitsNoLongerOnHead: 1 });
  });
});
