import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckCopyPathError, commitExcludePathspecs, copyCheckFiles } from '../../../src-main/project/checks';
import { makeTempDir, makeTempGitRepo } from '../../support/fake-anthropic';
import { git } from '../runtime/pipeline-support';

describe('copyCheckFiles into a real git worktree', () => {
  let repo: ReturnType<typeof makeTempGitRepo>;
  let outside: ReturnType<typeof makeTempDir>;
  let worktree: string;

  beforeEach(() => {
    repo = makeTempGitRepo('co-copy-');
    outside = makeTempDir('co-copy-outside-');
    writeFileSync(join(repo.path, '.env'), 'DATABASE_URL=postgres://localhost/dev\n', { mode: 0o600 });
    chmodSync(join(repo.path, '.env'), 0o600);
    mkdirSync(join(repo.path, 'config'));
    writeFileSync(join(repo.path, 'config', 'local.json'), '{"debug":true}\n', { mode: 0o640 });
    chmodSync(join(repo.path, 'config', 'local.json'), 0o640);
    worktree = join(outside.path, 'attempt');
    git(repo.path, 'worktree', 'add', '-q', '-b', 'attempt', worktree);
  });
  afterEach(() => {
    repo.cleanup();
    outside.cleanup();
  });

  it('copies the listed untracked files with their modes, skips missing and tracked ones with a note, and never commits them', async () => {
    const result = await copyCheckFiles(repo.path, worktree, ['.env', 'config/local.json', '.env.local', 'README.md']);
    expect(result.copied).toEqual(['.env', 'config/local.json']);
    expect(result.notes).toEqual([
      'checks.copy: .env.local does not exist in the project; skipped.',
      'checks.copy: README.md is tracked by git, so the workspace has it already; skipped.',
    ]);
    expect(readFileSync(join(worktree, '.env'), 'utf8')).toBe('DATABASE_URL=postgres://localhost/dev\n');
    expect(statSync(join(worktree, '.env')).mode & 0o777).toBe(0o600);
    expect(statSync(join(worktree, 'config', 'local.json')).mode & 0o777).toBe(0o640);

    // The agent's work plus the copied files; the commit step stages with the exclusions.
    writeFileSync(join(worktree, 'feature.txt'), 'work\n');
    git(worktree, 'add', '-A', '--', '.', ...commitExcludePathspecs(result.copied));
    git(worktree, 'commit', '-q', '-m', 'attempt');
    const committed = git(worktree, 'show', '--name-only', '--format=', 'HEAD').split('\n');
    expect(committed).toEqual(['feature.txt']);
    expect(existsSync(join(worktree, '.env'))).toBe(true);
  });

  it('refuses a path outside the project and follows a symlink inside it', async () => {
    await expect(copyCheckFiles(repo.path, worktree, ['../elsewhere/.env'])).rejects.toThrow(CheckCopyPathError);
    await expect(copyCheckFiles(repo.path, worktree, ['/etc/hostname'])).rejects.toThrow(/not a path inside the project/);
    writeFileSync(join(outside.path, 'shared.env'), 'TOKEN=1\n');
    symlinkSync(join(outside.path, 'shared.env'), join(repo.path, '.env.shared'));
    const result = await copyCheckFiles(repo.path, worktree, ['.env.shared']);
    expect(result.copied).toEqual(['.env.shared']);
    expect(lstatSync(join(worktree, '.env.shared')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(worktree, '.env.shared'), 'utf8')).toBe('TOKEN=1\n');
  });

  it('makes pathspecs anchored at the root that treat wildcards literally', () => {
    expect(commitExcludePathspecs(['.env', './config/local.json', 'data/a*b/'])).toEqual([':(top,exclude,literal).env', ':(top,exclude,literal)config/local.json', ':(top,exclude,literal)data/a*b']);
  });
});
