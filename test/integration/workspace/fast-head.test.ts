import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHeadCommit } from '../../../src-main/workspace/fast-head';
import { git, makeRepo, tempDir } from './git-fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe('readHeadCommit', () => {
  it('agrees with git for loose, packed, detached, unborn and linked-worktree HEADs', async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    const head = (dir: string): string => git(dir, 'rev-parse', 'HEAD').trim();
    expect(await readHeadCommit(repo.dir)).toBe(head(repo.dir));
    git(repo.dir, 'commit', '-q', '--allow-empty', '-m', 'second');
    git(repo.dir, 'pack-refs', '--all');
    expect(await readHeadCommit(repo.dir)).toBe(head(repo.dir));
    git(repo.dir, 'checkout', '-q', '--detach', 'HEAD~1');
    expect(await readHeadCommit(repo.dir)).toBe(head(repo.dir));
    git(repo.dir, 'checkout', '-q', '--orphan', 'fresh');
    expect(await readHeadCommit(repo.dir)).toBeNull();
    const linked = path.join(repo.dir, 'linked');
    git(repo.dir, 'worktree', 'add', '-q', '-b', 'side', linked, 'main');
    git(linked, 'commit', '-q', '--allow-empty', '-m', 'on side');
    expect(await readHeadCommit(linked)).toBe(head(linked));

    const empty = await tempDir();
    cleanups.push(empty.cleanup);
    git(empty.dir, 'init', '-q');
    expect(await readHeadCommit(empty.dir)).toBeNull();
  });
});
