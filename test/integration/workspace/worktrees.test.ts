import { readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanupStaleWorktrees,
  commitAllChanges,
  createAttemptWorktree,
  diffAttempt,
  ensureIntegrationBranch,
  ensureWorkspace,
  listWorktrees,
  mergeAttemptBranch,
  mergeIntoCurrentBranch,
  taskCommitMessage,
} from '../../../src-main/workspace';
import { git, makeRepo, userGitState, writeFiles } from './git-fixtures';

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

const LINES = ['one', 'two', 'three', 'four', 'five', 'six'].join('\n') + '\n';

describe('attempt worktrees', () => {
  it('merges two parallel attempts that edit different files, leaving the user untouched until the final merge', async () => {
    const dir = await project({ 'a.txt': LINES, 'b.txt': LINES });
    await writeFile(path.join(dir, 'user-notes.txt'), 'uncommitted user work\n');
    await writeFile(path.join(dir, 'a.txt'), `${LINES}user edit\n`);
    git(dir, 'add', 'a.txt');
    const before = await userGitState(dir);

    const integration = await ensureIntegrationBranch(dir, { runId: 'run1' });
    const [first, second] = await Promise.all([
      createAttemptWorktree(dir, { attemptId: 'att-a', integrationBranch: integration.branch }),
      createAttemptWorktree(dir, { attemptId: 'att-b', integrationBranch: integration.branch }),
    ]);
    if (!first || !second) throw new Error('worktrees missing');
    await writeFile(path.join(first.path, 'a.txt'), LINES.replace('two', 'TWO from A'));
    await writeFiles(second.path, { 'b.txt': LINES.replace('five', 'FIVE from B'), 'src/new.ts': 'export {};\n' });
    await Promise.all([
      commitAllChanges(first.path, taskCommitMessage('[orchestrator]', { id: 't1', title: 'Edit a' })),
      commitAllChanges(second.path, taskCommitMessage('[orchestrator]', { id: 't2', title: 'Edit b' })),
    ]);
    const results = await Promise.all([
      mergeAttemptBranch(dir, { integrationBranch: integration.branch, attemptBranch: first.branch, message: 'merge t1\n' }),
      mergeAttemptBranch(dir, { integrationBranch: integration.branch, attemptBranch: second.branch, message: 'merge t2\n' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['merged', 'merged']);
    expect(git(dir, 'show', `${integration.branch}:a.txt`)).toContain('TWO from A');
    expect(git(dir, 'show', `${integration.branch}:b.txt`)).toContain('FIVE from B');
    expect(git(dir, 'show', `${integration.branch}:src/new.ts`)).toBe('export {};\n');
    expect(git(dir, 'log', '--format=%s', integration.branch)).toContain('[orchestrator] Edit a (task t1)');

    expect(await userGitState(dir)).toEqual(before);

    // The merge into the user's branch refuses to overwrite the user's uncommitted a.txt…
    const blocked = await mergeIntoCurrentBranch(dir, { sourceBranch: integration.branch, message: 'Merge run1\n' });
    expect(blocked).toEqual({ status: 'blocked-by-local-changes', files: ['a.txt'] });
    expect(await userGitState(dir)).toEqual(before);
    // …and succeeds once the user has committed it, keeping both sides.
    git(dir, 'commit', '-q', '-m', 'user work');
    const merged = await mergeIntoCurrentBranch(dir, { sourceBranch: integration.branch, message: 'Merge run1\n' });
    expect(merged.status).toBe('merged');
    const a = await readFile(path.join(dir, 'a.txt'), 'utf8');
    expect(a).toContain('TWO from A');
    expect(a).toContain('user edit');
    expect(await readFile(path.join(dir, 'src/new.ts'), 'utf8')).toBe('export {};\n');
    expect(await readFile(path.join(dir, 'user-notes.txt'), 'utf8')).toBe('uncommitted user work\n');
  });

  it('merges one of two attempts editing the same lines and blocks the other, naming the file and losing nothing', async () => {
    const dir = await project({ 'shared.txt': LINES, 'other.txt': 'x\n' });
    const before = await userGitState(dir);
    const integration = await ensureIntegrationBranch(dir, { runId: 'run2' });
    const first = await createAttemptWorktree(dir, { attemptId: 'first', integrationBranch: integration.branch });
    const second = await createAttemptWorktree(dir, { attemptId: 'second', integrationBranch: integration.branch });
    await writeFile(path.join(first.path, 'shared.txt'), LINES.replace('three', 'three by first'));
    await writeFile(path.join(second.path, 'shared.txt'), LINES.replace('three', 'three by second'));
    await writeFile(path.join(second.path, 'other.txt'), 'second also changed this\n');
    await commitAllChanges(first.path, 'first\n');
    const secondCommit = await commitAllChanges(second.path, 'second\n');

    const one = await mergeAttemptBranch(dir, { integrationBranch: integration.branch, attemptBranch: first.branch, message: 'm1\n' });
    const integrationAfterFirst = git(dir, 'rev-parse', integration.branch).trim();
    const two = await mergeAttemptBranch(dir, { integrationBranch: integration.branch, attemptBranch: second.branch, message: 'm2\n' });
    expect(one.status).toBe('merged');
    expect(two).toEqual({ status: 'conflict', conflictingFiles: ['shared.txt'] });
    // Nothing lost: integration unchanged by the failed merge, the blocked attempt's branch and worktree keep its work.
    expect(git(dir, 'rev-parse', integration.branch).trim()).toBe(integrationAfterFirst);
    expect(git(dir, 'rev-parse', second.branch).trim()).toBe(secondCommit);
    expect(await readFile(path.join(second.path, 'shared.txt'), 'utf8')).toContain('three by second');
    expect(git(dir, 'show', `${integration.branch}:shared.txt`)).toContain('three by first');
    expect(await userGitState(dir)).toEqual(before);
  });

  it('reports a conflict with the user’s own commits without touching their branch or tree', async () => {
    const dir = await project({ 'shared.txt': LINES });
    const integration = await ensureIntegrationBranch(dir, { runId: 'user-conflict' });
    const attempt = await createAttemptWorktree(dir, { attemptId: 'w', integrationBranch: integration.branch });
    await writeFile(path.join(attempt.path, 'shared.txt'), LINES.replace('four', 'four by worker'));
    await commitAllChanges(attempt.path, 'worker\n');
    await mergeAttemptBranch(dir, { integrationBranch: integration.branch, attemptBranch: attempt.branch, message: 'm\n' });
    await writeFile(path.join(dir, 'shared.txt'), LINES.replace('four', 'four by user'));
    git(dir, 'commit', '-q', '-am', 'user change');
    await writeFile(path.join(dir, 'scratch.txt'), 'uncommitted\n');
    const before = await userGitState(dir);
    const result = await mergeIntoCurrentBranch(dir, { sourceBranch: integration.branch, message: 'Merge\n' });
    expect(result).toEqual({ status: 'conflict', conflictingFiles: ['shared.txt'] });
    expect(await userGitState(dir)).toEqual(before);
    expect(await readFile(path.join(dir, 'shared.txt'), 'utf8')).toContain('four by user');
  });

  it('starts a later attempt from the integration tip so it sees its dependencies’ work', async () => {
    const dir = await project();
    const integration = await ensureIntegrationBranch(dir, { runId: 'deps' });
    const dependency = await createAttemptWorktree(dir, { attemptId: 'dep', integrationBranch: integration.branch });
    await writeFiles(dependency.path, { 'lib.ts': 'export const x = 1;\n' });
    await commitAllChanges(dependency.path, 'dep\n');
    expect((await mergeAttemptBranch(dir, { integrationBranch: integration.branch, attemptBranch: dependency.branch, message: 'm\n' })).status).toBe('merged');
    const dependent = await createAttemptWorktree(dir, { attemptId: 'dependent', integrationBranch: integration.branch });
    expect(await readFile(path.join(dependent.path, 'lib.ts'), 'utf8')).toBe('export const x = 1;\n');
  });

  it('diffs an attempt including uncommitted and untracked work, then from its branch once the worktree is gone', async () => {
    const dir = await project({ 'a.txt': LINES, 'gone.txt': 'bye\n' });
    const integration = await ensureIntegrationBranch(dir, { runId: 'diff' });
    const attempt = await createAttemptWorktree(dir, { attemptId: 'd1', integrationBranch: integration.branch });
    await writeFile(path.join(attempt.path, 'a.txt'), LINES.replace('one', 'ONE'));
    await writeFiles(attempt.path, { 'fresh/new.txt': 'hello\n', 'image.bin': Buffer.from([0, 1, 2, 255, 0]) });
    git(attempt.path, 'rm', '-q', 'gone.txt');
    const live = await diffAttempt(dir, { baseCommit: attempt.baseCommit, branch: attempt.branch, worktreePath: attempt.path });
    expect(live.files).toEqual([
      { path: 'a.txt', status: 'modified', additions: 1, deletions: 1 },
      { path: 'fresh/new.txt', status: 'added', additions: 1, deletions: 0 },
      { path: 'gone.txt', status: 'deleted', additions: 0, deletions: 1 },
      { path: 'image.bin', status: 'added', additions: null, deletions: null },
    ]);
    expect(live.patch).toContain('+ONE');
    expect(live.truncated).toBe(false);
    await commitAllChanges(attempt.path, 'work\n');
    await cleanupStaleWorktrees(dir, { isActive: () => false });
    const stored = await diffAttempt(dir, { baseCommit: attempt.baseCommit, branch: attempt.branch, worktreePath: attempt.path });
    expect(stored.files).toEqual(live.files);
  });

  it('cleans up stale worktrees, committing their uncommitted work to the branch first', async () => {
    const dir = await project();
    const integration = await ensureIntegrationBranch(dir, { runId: 'stale' });
    const live = await createAttemptWorktree(dir, { attemptId: 'live', integrationBranch: integration.branch });
    const crashed = await createAttemptWorktree(dir, { attemptId: 'crashed', integrationBranch: integration.branch });
    const merged = await createAttemptWorktree(dir, { attemptId: 'merged', integrationBranch: integration.branch });
    await writeFiles(crashed.path, { 'half-done.txt': 'precious\n' });
    await writeFiles(merged.path, { 'm.txt': 'm\n' });
    await commitAllChanges(merged.path, 'm\n');
    await mergeAttemptBranch(dir, { integrationBranch: integration.branch, attemptBranch: merged.branch, message: 'm\n' });

    const livePath = (await listWorktrees(dir)).find((entry) => entry.branch === live.branch)?.path;
    const report = await cleanupStaleWorktrees(dir, { isActive: (worktreePath) => worktreePath === livePath, mergedInto: integration.branch });
    expect(report.removedWorktrees).toHaveLength(2);
    expect(report.salvagedBranches).toEqual([crashed.branch]);
    expect(report.deletedBranches).toEqual([merged.branch]);
    expect(await stat(crashed.path).catch(() => null)).toBeNull();
    expect(await stat(live.path).then((info) => info.isDirectory())).toBe(true);
    expect(git(dir, 'show', `${crashed.branch}:half-done.txt`)).toBe('precious\n');
    expect(git(dir, 'branch', '--list', merged.branch).trim()).toBe('');
  });

  it('commits with a fallback identity when git has none configured', async () => {
    const dir = await project();
    git(dir, 'config', '--unset', 'user.name');
    git(dir, 'config', '--unset', 'user.email');
    const saved = { global: process.env['GIT_CONFIG_GLOBAL'], system: process.env['GIT_CONFIG_NOSYSTEM'] };
    process.env['GIT_CONFIG_GLOBAL'] = '/dev/null';
    process.env['GIT_CONFIG_NOSYSTEM'] = '1';
    try {
      const integration = await ensureIntegrationBranch(dir, { runId: 'ci' });
      const attempt = await createAttemptWorktree(dir, { attemptId: 'ci1', integrationBranch: integration.branch });
      await writeFiles(attempt.path, { 'x.txt': 'x\n' });
      const commit = await commitAllChanges(attempt.path, 'x\n');
      expect(git(dir, 'log', '-1', '--format=%an <%ae>', commit ?? '')).toBe('Claude Orchestrator <orchestrator@localhost>\n');
    } finally {
      for (const [name, value] of [['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.system]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
