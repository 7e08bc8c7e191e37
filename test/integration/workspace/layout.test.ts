import { readFile, stat, writeFile, chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWorkspace, initGitRepository, isGitRepository, workspacePaths } from '../../../src-main/workspace';
import { git, makeRepo, tempDir, writeFiles } from './git-fixtures';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe('workspace layout', () => {
  it('creates .orchestrator with mode 700, tightens an existing one and ignores it once', async () => {
    const repo = await makeRepo({ '.gitignore': 'node_modules\r\ndist' });
    cleanups.push(repo.cleanup);
    const first = await ensureWorkspace(repo.dir);
    expect(first).toMatchObject({ createdOrchestratorDir: true, gitignoreUpdated: true, isGitRepository: true });
    for (const dir of [first.paths.orchestratorDir, first.paths.logsDir, first.paths.worktreesDir, first.paths.tmpDir]) {
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
    }
    expect(await readFile(path.join(repo.dir, '.gitignore'), 'utf8')).toBe(
      'node_modules\r\ndist\r\n\r\n# Claude Orchestrator workspace (database, logs, worktrees)\r\n.orchestrator/\r\n',
    );
    await chmod(first.paths.orchestratorDir, 0o755);
    const second = await ensureWorkspace(repo.dir);
    expect(second).toMatchObject({ createdOrchestratorDir: false, gitignoreUpdated: false });
    expect((await stat(first.paths.orchestratorDir)).mode & 0o777).toBe(0o700);
    expect(git(repo.dir, 'status', '--porcelain')).toBe(' M .gitignore\n');
    expect(workspacePaths(repo.dir)).toMatchObject({
      stateDb: path.join(repo.dir, '.orchestrator', 'state.db'),
      configFile: path.join(repo.dir, 'orchestrator_config.json'),
      envFile: path.join(repo.dir, '.env'),
    });
  });

  it('recognises an existing ignore line in any spelling', async () => {
    const repo = await makeRepo({ '.gitignore': '/.orchestrator\n' });
    cleanups.push(repo.cleanup);
    expect((await ensureWorkspace(repo.dir)).gitignoreUpdated).toBe(false);
  });

  it('initialises a git repository only with consent, ignoring .env before the first commit', async () => {
    const temp = await tempDir();
    cleanups.push(temp.cleanup);
    await writeFiles(temp.dir, { 'app.js': 'console.log(1);\n', '.env': 'ANTHROPIC_API_KEY=x\n' });
    expect(await isGitRepository(temp.dir)).toBe(false);
    await expect(initGitRepository(temp.dir, { userConsented: false })).rejects.toThrow('consent');
    expect(await isGitRepository(temp.dir)).toBe(false);
    const { commit } = await initGitRepository(temp.dir, { userConsented: true });
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(temp.dir, 'ls-files').split('\n').filter(Boolean).sort()).toEqual(['.gitignore', 'app.js']);
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
  });

  it('does not treat a subfolder of a repository as a repository root', async () => {
    const repo = await makeRepo();
    cleanups.push(repo.cleanup);
    await mkdir(path.join(repo.dir, 'sub'));
    await writeFile(path.join(repo.dir, 'sub', 'x'), 'x');
    expect(await isGitRepository(repo.dir)).toBe(true);
    expect(await isGitRepository(path.join(repo.dir, 'sub'))).toBe(false);
  });
});
