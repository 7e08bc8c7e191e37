import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { git, makeRepo, writeFiles } from './git-fixtures';

/** tsx's loader by absolute URL, so the fixture runs as its own Node process. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'merge-into-head.ts');
const HOLD_FIXTURE = path.join(import.meta.dirname, 'fixtures', 'hold-merge-lock.ts');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Merges the branches into HEAD from a separate process; its JSON lines. */
async function mergeFromProcess(dir: string, branches: ReadonlyArray<string>): Promise<Array<{ branch: string; status?: string; error?: string }>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', TSX_LOADER, FIXTURE, dir, ...branches], { encoding: 'utf8' });
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { branch: string; status?: string; error?: string });
}

describe('merging into the user’s branch from two processes at once (the app and `co run` finishing runs)', () => {
  it('merges every branch, each exactly once, with no failure and a clean working tree', { timeout: 120_000 }, async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    const base = git(repo.dir, 'rev-parse', 'HEAD').trim();
    // Ten branches per process, each adding its own file on top of the first commit.
    const branchesOf = (side: string): string[] => Array.from({ length: 10 }, (_, index) => `run-${side}-${index}`);
    for (const branch of [...branchesOf('a'), ...branchesOf('b')]) {
      git(repo.dir, 'checkout', '-q', '-b', branch, base);
      await writeFiles(repo.dir, { [`${branch}.txt`]: `${branch}\n` });
      git(repo.dir, 'add', `${branch}.txt`);
      git(repo.dir, 'commit', '-q', '-m', branch);
    }
    git(repo.dir, 'checkout', '-q', 'main');

    const results = (await Promise.all([mergeFromProcess(repo.dir, branchesOf('a')), mergeFromProcess(repo.dir, branchesOf('b'))])).flat();
    expect(results.filter((result) => result.status !== 'merged')).toEqual([]);
    const files = git(repo.dir, 'ls-tree', '--name-only', 'HEAD').split('\n').filter((name) => name.startsWith('run-'));
    expect(files.sort()).toEqual([...branchesOf('a'), ...branchesOf('b')].map((branch) => `${branch}.txt`).sort());
    // Each branch's commit is on the branch once; the checkout matches HEAD.
    expect(git(repo.dir, 'log', '--no-merges', '--format=%s', 'HEAD').split('\n').filter((subject) => subject.startsWith('run-')).length).toBe(20);
    expect(git(repo.dir, 'status', '--porcelain')).toBe('');
    expect(existsSync(path.join(repo.dir, '.git', 'orchestrator-merge.lock'))).toBe(false);
  });

  it('takes over the merge lock of a process that died mid-merge', { timeout: 60_000 }, async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    git(repo.dir, 'checkout', '-q', '-b', 'run-x');
    await writeFiles(repo.dir, { 'x.txt': 'x\n' });
    git(repo.dir, 'add', 'x.txt');
    git(repo.dir, 'commit', '-q', '-m', 'x');
    git(repo.dir, 'checkout', '-q', 'main');
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    writeFileSync(path.join(repo.dir, '.git', 'orchestrator-merge.lock'), JSON.stringify({ pid: dead, since: Date.now() }));

    expect(await mergeFromProcess(repo.dir, ['run-x'])).toEqual([{ branch: 'run-x', status: 'merged' }]);
    expect(git(repo.dir, 'ls-tree', '--name-only', 'HEAD')).toContain('x.txt');
    expect(existsSync(path.join(repo.dir, '.git', 'orchestrator-merge.lock'))).toBe(false);
  });

  it('lets one process at a time through when several take over the same dead lock at once', { timeout: 180_000 }, async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    const lockFile = path.join(repo.dir, '.git', 'orchestrator-merge.lock');
    const logFile = path.join(repo.dir, '.git', 'holders.log');
    const holders = 6;
    for (let round = 0; round < 3; round += 1) {
      // A lock left by a process killed mid-merge; the copies all find it dead and race to take it over.
      const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
      writeFileSync(lockFile, JSON.stringify({ pid: dead, since: Date.now() }));
      writeFileSync(logFile, '');
      const startAt = Date.now() + 5_000;
      // Start times a millisecond or so apart: some copies arrive while others are mid-takeover.
      await Promise.all(Array.from({ length: holders }, (_, index) => promisify(execFile)(process.execPath, ['--import', TSX_LOADER, HOLD_FIXTURE, repo.dir, logFile, String(startAt + (index % 4))])));
      const lines = readFileSync(logFile, 'utf8').split('\n').filter((line) => line !== '');
      // Every holder entered once, and none entered while another held the lock.
      expect(lines).toHaveLength(holders * 2);
      for (let index = 0; index < lines.length; index += 2) {
        expect(lines[index]).toMatch(/^enter \d+$/);
        expect(lines[index + 1]).toBe(lines[index]?.replace('enter', 'exit'));
      }
      expect(existsSync(lockFile)).toBe(false);
    }
  });
});
