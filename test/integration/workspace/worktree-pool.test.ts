import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWorkspace } from '../../../src-main/workspace';
import { listPoolSlots, recoverPoolSlots, removePool } from '../../../src-main/workspace/pool-maintenance';
import { poolDir } from '../../../src-main/workspace/worktree-pool';
import { slotLockFile, slotPath, worktreePool, type SlotEvent } from '../../../src-main/workspace/worktree-pool';
import { git, makeRepo, writeFiles } from './git-fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function project(): Promise<string> {
  const repo = await makeRepo({ '.gitignore': 'node_modules/\n', 'app.txt': 'v1\n', 'other.txt': 'base\n' });
  cleanups.push(repo.cleanup);
  await ensureWorkspace(repo.dir);
  git(repo.dir, 'add', '.gitignore');
  git(repo.dir, 'commit', '-q', '-m', 'ignore the workspace');
  return repo.dir;
}

/** A new commit on `main` changing app.txt, as the integration tip moves between attempts. */
function advance(dir: string, content: string): string {
  git(dir, 'checkout', '-q', 'main');
  return commitFile(dir, 'app.txt', content);
}

function commitFile(dir: string, file: string, content: string): string {
  execWrite(path.join(dir, file), content);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', `write ${file}`);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

function execWrite(file: string, content: string): void {
  spawnSync('sh', ['-c', `printf '%s' "$1" > "$2"`, 'sh', content, file]);
}

/** What a user would see in a checkout: HEAD, and every path git reports as differing (untracked and ignored files apart). */
function checkoutState(folder: string): { head: string; status: string; branch: string } {
  return {
    head: git(folder, 'rev-parse', 'HEAD').trim(),
    status: git(folder, 'status', '--porcelain', '--untracked-files=all'),
    branch: git(folder, 'symbolic-ref', '-q', '--short', 'HEAD').trim(),
  };
}

/** The pid of a process that has exited (so a lock naming it belongs to a dead owner). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('worktree pool', () => {
  it('re-points a released slot to the next attempt: exactly the new tip, untracked files gone, ignored folders kept, old branch deletable', async () => {
    const dir = await project();
    const events: SlotEvent[] = [];
    const pool = worktreePool(dir, { onSlotEvent: (event) => events.push(event) });
    const base1 = git(dir, 'rev-parse', 'HEAD').trim();
    const first = await pool.acquire({ attemptId: 'a1', branch: 'orchestrator/task-1-attempt-1', baseCommit: base1 });
    expect(first.created).toBe(true);
    expect(first.path).toBe(slotPath(dir, 1));
    await writeFiles(first.path, { 'node_modules/dep/index.js': 'module.exports = 1;\n', 'scratch.txt': 'agent left this\n', 'app.txt': 'edited, never committed\n' });
    await pool.release(first);

    const base2 = advance(dir, 'v2\n');
    const second = await pool.acquire({ attemptId: 'a2', branch: 'orchestrator/task-2-attempt-1', baseCommit: base2 });
    expect(second.path).toBe(first.path);
    expect(second.created).toBe(false);
    expect(checkoutState(second.path)).toEqual({ head: base2, status: '', branch: 'orchestrator/task-2-attempt-1' });
    expect(await readFile(path.join(second.path, 'app.txt'), 'utf8')).toBe('v2\n');
    expect(existsSync(path.join(second.path, 'scratch.txt'))).toBe(false);
    expect(await readFile(path.join(second.path, 'node_modules/dep/index.js'), 'utf8')).toBe('module.exports = 1;\n');
    // The first attempt's uncommitted work was saved on its branch when it gave the slot back, and that branch is free to delete.
    expect(git(dir, 'show', 'orchestrator/task-1-attempt-1:app.txt')).toBe('edited, never committed\n');
    git(dir, 'branch', '-D', 'orchestrator/task-1-attempt-1');
    expect(events.map((event) => event.kind)).toEqual(['created', 'reused']);
    // Work committed by the pipeline, then the checks' leftovers: given back without saving those.
    await writeFiles(second.path, { 'app.txt': 'the work\n' });
    git(second.path, 'commit', '-q', '-am', 'the work');
    const workCommit = git(second.path, 'rev-parse', 'HEAD').trim();
    await writeFiles(second.path, { 'coverage.txt': 'output of the checks\n', 'app.txt': 'reformatted by a check\n' });
    await pool.release(second, { saveLeftovers: false });
    expect(git(dir, 'rev-parse', 'orchestrator/task-2-attempt-1').trim()).toBe(workCommit);
    const third = await pool.acquire({ attemptId: 'a3', branch: 'orchestrator/task-3-attempt-1', baseCommit: base2 });
    expect(checkoutState(third.path)).toEqual({ head: base2, status: '', branch: 'orchestrator/task-3-attempt-1' });
    expect(existsSync(path.join(third.path, 'coverage.txt'))).toBe(false);
    await pool.release(third);
  });

  it('gives concurrent attempts different slots, and the pool keeps them between attempts', async () => {
    const dir = await project();
    const pool = worktreePool(dir);
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    const [a, b] = await Promise.all([
      pool.acquire({ attemptId: 'a', branch: 'orchestrator/a', baseCommit: base }),
      pool.acquire({ attemptId: 'b', branch: 'orchestrator/b', baseCommit: base }),
    ]);
    expect(new Set([a.path, b.path])).toEqual(new Set([slotPath(dir, 1), slotPath(dir, 2)]));
    expect((await listPoolSlots(dir)).map((slot) => slot.state)).toEqual(['in-use', 'in-use']);
    await Promise.all([pool.release(a), pool.release(b)]);
    expect((await listPoolSlots(dir)).map((slot) => [slot.state, slot.present, slot.branch])).toEqual([
      ['free', true, null],
      ['free', true, null],
    ]);
  });

  it('cleans a slot a killed attempt left dirty (untracked files, a half-done merge, an index.lock) before the next attempt uses it', async () => {
    const dir = await project();
    const pool = worktreePool(dir);
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    const killed = await pool.acquire({ attemptId: 'killed', branch: 'orchestrator/killed', baseCommit: base });
    await writeFiles(killed.path, { 'node_modules/dep/index.js': 'warm\n' });
    // The agent started a merge that conflicted, then its process died mid-command (index.lock left behind).
    git(dir, 'branch', 'side', base);
    const sideWorktree = path.join(os.tmpdir(), `co-pool-side-${process.pid}-${Date.now()}`);
    git(dir, 'worktree', 'add', '-q', sideWorktree, 'side');
    cleanups.push(async () => rm(sideWorktree, { recursive: true, force: true }));
    commitFile(sideWorktree, 'app.txt', 'side\n');
    commitFile(killed.path, 'app.txt', 'killed attempt\n');
    const merge = spawnSync('git', ['merge', 'side'], { cwd: killed.path, encoding: 'utf8' });
    expect(merge.status).not.toBe(0);
    const gitDir = git(killed.path, 'rev-parse', '--absolute-git-dir').trim();
    expect(existsSync(path.join(gitDir, 'MERGE_HEAD'))).toBe(true);
    await writeFile(path.join(gitDir, 'index.lock'), '');
    await writeFiles(killed.path, { 'half-written.tmp': 'x', 'new-folder/file.txt': 'y' });
    // Its process is gone: the lock names a dead pid.
    const lock = JSON.parse(await readFile(slotLockFile(dir, 1), 'utf8')) as Record<string, unknown>;
    await writeFile(slotLockFile(dir, 1), JSON.stringify({ ...lock, pid: deadPid(), startTime: null }));
    expect((await listPoolSlots(dir))[0]?.state).toBe('stale');

    const tip = advance(dir, 'integration tip\n');
    const next = await worktreePool(dir).acquire({ attemptId: 'next', branch: 'orchestrator/next', baseCommit: tip });
    expect(next.path).toBe(killed.path);
    expect(checkoutState(next.path)).toEqual({ head: tip, status: '', branch: 'orchestrator/next' });
    const nextGitDir = git(next.path, 'rev-parse', '--absolute-git-dir').trim();
    expect(['MERGE_HEAD', 'index.lock'].filter((name) => existsSync(path.join(nextGitDir, name)))).toEqual([]);
    expect(existsSync(path.join(next.path, 'half-written.tmp'))).toBe(false);
    expect(existsSync(path.join(next.path, 'new-folder'))).toBe(false);
    expect(await readFile(path.join(next.path, 'node_modules/dep/index.js'), 'utf8')).toBe('warm\n');
    // A commit made there now is an ordinary one-parent commit on the tip (no leftover merge).
    commitFile(next.path, 'other.txt', 'next attempt\n');
    expect(git(next.path, 'rev-list', '--parents', '-n', '1', 'HEAD').trim().split(' ')).toHaveLength(2);
  });

  it('leaves a lock being written alone, and takes over one its writer left unreadable long ago', async () => {
    const dir = await project();
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    await mkdir(poolDir(dir), { recursive: true });
    await writeFile(slotLockFile(dir, 1), '');
    const pool = worktreePool(dir);
    const beside = await pool.acquire({ attemptId: 'beside', branch: 'orchestrator/beside', baseCommit: base });
    expect(beside.path).toBe(slotPath(dir, 2));
    const longAgo = new Date(Date.now() - 5 * 60_000);
    await utimes(slotLockFile(dir, 1), longAgo, longAgo);
    const takenOver = await pool.acquire({ attemptId: 'taken-over', branch: 'orchestrator/taken-over', baseCommit: base });
    expect(takenOver.path).toBe(slotPath(dir, 1));
    await Promise.all([pool.release(beside), pool.release(takenOver)]);
  });

  it('makes a slot again when the user deleted its folder or broke it, instead of failing the attempt', async () => {
    const dir = await project();
    const events: SlotEvent[] = [];
    const pool = worktreePool(dir, { onSlotEvent: (event) => events.push(event) });
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    await pool.release(await pool.acquire({ attemptId: 'a1', branch: 'orchestrator/a1', baseCommit: base }));
    await rm(slotPath(dir, 1), { recursive: true, force: true });
    const again = await pool.acquire({ attemptId: 'a2', branch: 'orchestrator/a2', baseCommit: base });
    expect(again.created).toBe(true);
    expect(checkoutState(again.path)).toEqual({ head: base, status: '', branch: 'orchestrator/a2' });
    await pool.release(again);
    // Broken: its .git link removed, so git there would act on the user's repository.
    await rm(path.join(slotPath(dir, 1), '.git'));
    const replaced = await pool.acquire({ attemptId: 'a3', branch: 'orchestrator/a3', baseCommit: base });
    expect(checkoutState(replaced.path)).toEqual({ head: base, status: '', branch: 'orchestrator/a3' });
    expect(git(dir, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('main');
    expect(events.map((event) => event.kind)).toEqual(['created', 'created', 'replaced']);
    await pool.release(replaced);
  });

  it('recovery frees the slots of dead processes (their uncommitted work saved on the branch); co clean refuses while a slot is held, then removes the pool', async () => {
    const dir = await project();
    const pool = worktreePool(dir);
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    const dead = await pool.acquire({ attemptId: 'dead', branch: 'orchestrator/dead', baseCommit: base });
    const live = await pool.acquire({ attemptId: 'live', branch: 'orchestrator/live', baseCommit: base });
    expect(live.path).toBe(slotPath(dir, 2));
    await writeFiles(dead.path, { 'app.txt': 'work of a killed process\n' });
    const lock = JSON.parse(await readFile(slotLockFile(dir, 1), 'utf8')) as Record<string, unknown>;
    await writeFile(slotLockFile(dir, 1), JSON.stringify({ ...lock, pid: deadPid(), startTime: null }));

    expect(await recoverPoolSlots(dir)).toEqual([1]);
    expect(git(dir, 'show', 'orchestrator/dead:app.txt')).toBe('work of a killed process\n');
    expect((await listPoolSlots(dir)).map((slot) => slot.state)).toEqual(['free', 'in-use']);

    await expect(removePool(dir)).rejects.toThrow(/slot 2 is in use by process \d+ \(attempt live\)\. Stop that run .*co clean/);
    expect((await listPoolSlots(dir)).map((slot) => [slot.state, slot.present])).toEqual([
      ['free', true],
      ['in-use', true],
    ]);
    await pool.release(live);
    expect(await removePool(dir)).toEqual([slotPath(dir, 1), slotPath(dir, 2)]);
    expect(await listPoolSlots(dir)).toEqual([]);
    expect(git(dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(git(dir, 'rev-parse', 'orchestrator/live').trim()).toBe(base);
  });

  it('after max_workers is lowered, recovery removes the free slots above it (their work kept on their branches) and leaves held ones', async () => {
    const dir = await project();
    const pool = worktreePool(dir);
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    const held = [];
    // One after the other, so attempt a gets slot 1, b slot 2 and so on.
    for (const id of ['a', 'b', 'c', 'd']) held.push(await pool.acquire({ attemptId: id, branch: `orchestrator/${id}`, baseCommit: base }));
    expect(held.map((workspace) => workspace.path)).toEqual([1, 2, 3, 4].map((slot) => slotPath(dir, slot)));
    await writeFiles(held[2]?.path ?? '', { 'app.txt': 'work of attempt c\n' });
    // Slots 1-3 given back; slot 4 still held by a live attempt.
    await Promise.all(held.slice(0, 3).map((workspace) => pool.release(workspace)));

    await recoverPoolSlots(dir, { keepSlots: 2 });

    expect((await listPoolSlots(dir)).map((slot) => [slot.slot, slot.state, slot.present])).toEqual([
      [1, 'free', true],
      [2, 'free', true],
      [4, 'in-use', true],
    ]);
    expect(existsSync(slotPath(dir, 3))).toBe(false);
    expect(git(dir, 'show', 'orchestrator/c:app.txt')).toBe('work of attempt c\n');
    expect(git(dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(4);
    const next = await pool.acquire({ attemptId: 'e', branch: 'orchestrator/e', baseCommit: base });
    expect(next.path).toBe(slotPath(dir, 1));
    await pool.release(next);
    await pool.release(held[3] ?? next);
  });
});
