import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, lstat, readlink, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Runs git synchronously in a test repository (test-side only; the code under test uses execa). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'core.quotepath=off', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'co-ws-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A git repository with its own identity and one commit holding `files`. */
export async function makeRepo(files: Readonly<Record<string, string>> = { 'README.md': '# project\n' }): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const temp = await tempDir();
  git(temp.dir, 'init', '-q', '-b', 'main');
  git(temp.dir, 'config', 'user.name', 'Test User');
  git(temp.dir, 'config', 'user.email', 'test@example.com');
  git(temp.dir, 'config', 'commit.gpgsign', 'false');
  await writeFiles(temp.dir, files);
  git(temp.dir, 'add', '-A');
  git(temp.dir, 'commit', '-q', '-m', 'initial');
  return temp;
}

/** Writes files (creating folders) relative to `dir`. */
export async function writeFiles(dir: string, files: Readonly<Record<string, string | Buffer>>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

/** What the user would notice about their repository: status, HEAD, branch and the index file's bytes. */
export async function userGitState(dir: string): Promise<{ status: string; head: string; branch: string; indexHash: string }> {
  const index = await readFile(path.join(dir, '.git', 'index')).catch(() => Buffer.alloc(0));
  return {
    status: git(dir, 'status', '--porcelain=v1', '--untracked-files=all'),
    head: git(dir, 'rev-parse', 'HEAD').trim(),
    branch: git(dir, 'symbolic-ref', 'HEAD').trim(),
    indexHash: createHash('sha256').update(index).digest('hex'),
  };
}

/** sha256 and executable bit (symlinks: target) of every file under `dir`, excluding .git and .orchestrator. */
export async function treeFingerprint(dir: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  async function walk(relative: string): Promise<void> {
    for (const name of await readdir(path.join(dir, relative))) {
      const child = relative === '' ? name : `${relative}/${name}`;
      if (child === '.git' || child === '.orchestrator') continue;
      const full = path.join(dir, child);
      const info = await lstat(full);
      if (info.isDirectory()) await walk(child);
      else if (info.isSymbolicLink()) result.set(child, `link:${await readlink(full)}`);
      else {
        const hash = createHash('sha256').update(await readFile(full)).digest('hex');
        result.set(child, `${hash}:${(info.mode & 0o111) !== 0 ? 'x' : '-'}`);
      }
    }
  }
  await walk('');
  return result;
}
