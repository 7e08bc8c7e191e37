import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src-shared/domain/task';
import { cliBuilt, git, isOneLineError, tempProject } from './cli-harness';

describe.skipIf(!cliBuilt)('co init, check, checkpoints, rollback, security-audit (built CLI)', async () => {
  it('init creates config, .env (600, no key), .gitignore entries and .orchestrator/ (700); re-running keeps them', async () => {
    const project = tempProject({ git: true });
    try {
      expect((await project.co(['init'])).status).toBe(0);
      const config = JSON.parse(readFileSync(path.join(project.dir, 'orchestrator_config.json'), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(config).sort()).toEqual(['budget', 'checkpoints', 'checks', 'claude_cli', 'execution', 'feedback', 'git', 'models', 'monitoring', 'notifications']);
      const envFile = path.join(project.dir, '.env');
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(envFile, 'utf8')).not.toMatch(/^ANTHROPIC_API_KEY=\S/m);
      expect(statSync(path.join(project.dir, '.orchestrator')).mode & 0o777).toBe(0o700);
      const ignore = readFileSync(path.join(project.dir, '.gitignore'), 'utf8');
      expect(ignore).toContain('.orchestrator/');
      expect(ignore).toContain('.env');

      writeFileSync(path.join(project.dir, 'orchestrator_config.json'), JSON.stringify({ execution: { max_workers: 2 } }));
      writeFileSync(envFile, 'ANTHROPIC_API_KEY=sk-ant-api03-keep-this-value-please-0123456789\n', { mode: 0o600 });
      const again = await project.co(['init']);
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('kept');
      expect(JSON.parse(readFileSync(path.join(project.dir, 'orchestrator_config.json'), 'utf8'))).toEqual({ execution: { max_workers: 2 } });
      expect(readFileSync(envFile, 'utf8')).toContain('keep-this-value');
      expect(readFileSync(path.join(project.dir, '.gitignore'), 'utf8')).toBe(ignore);

      const check = await project.co(['check', '--json']);
      const report = JSON.parse(check.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
      expect(report.checks.map((line) => line.name)).toEqual(['Node.js', 'git', 'claude CLI', 'project', 'config', 'API key', 'keychain']);
      expect(report.checks.find((line) => line.name === 'API key')).toMatchObject({ ok: true });
      expect(check.stdout).not.toContain('keep-this-value');
      expect(check.status).toBe(report.ok ? 0 : 1);
      const human = await project.co(['check'], { env: { ORCHESTRATOR_CONFIG: 'missing.json' } });
      expect(human.status).toBe(1);
      expect(human.stdout).toMatch(/^✗ config/m);
      expect(human.stdout).not.toContain('keep-this-value');
    } finally {
      project.cleanup();
    }
  });

  it('checkpoint → change files and tasks → list-checkpoints → rollback restores both; the rollback can be undone', async () => {
    const project = tempProject({ git: true, files: { 'README.md': '# demo\n', 'src.txt': 'original\n' } });
    try {
      await project.co(['init']);
      await project.co(['add', 'Keep me']);
      const checkpoint = await project.coJson<{ id: string }>(['checkpoint', 'Before the experiment']);
      const statusAtCheckpoint = git(project.dir, 'status', '--porcelain');
      writeFileSync(path.join(project.dir, 'src.txt'), 'changed\n');
      writeFileSync(path.join(project.dir, 'new.txt'), 'untracked\n');
      await project.co(['add', 'Added after the checkpoint']);
      await project.co(['update', '1', '--status', 'done']);

      const listed = await project.coJson<Array<{ id: string; description: string; kind: string }>>(['list-checkpoints']);
      expect(listed).toEqual([expect.objectContaining({ id: checkpoint.id, description: 'Before the experiment', kind: 'manual' })]);
      expect((await project.co(['list-checkpoints'])).stdout).toContain('Before the experiment');

      const result = await project.coJson<{ safetyCheckpointId: string; tasksRestored: boolean }>(['rollback', checkpoint.id]);
      expect(result.tasksRestored).toBe(true);
      expect(readFileSync(path.join(project.dir, 'src.txt'), 'utf8')).toBe('original\n');
      expect(existsSync(path.join(project.dir, 'new.txt'))).toBe(false);
      expect((await project.coJson<Task[]>(['list'])).map((task) => [task.id, task.title, task.status])).toEqual([['1', 'Keep me', 'ready']]);
      expect(git(project.dir, 'status', '--porcelain')).toBe(statusAtCheckpoint);

      // The undo: the task added since the checkpoint and the changed files come back.
      const listedAfter = await project.coJson<Array<{ id: string; kind: string; keptBecause: string[] }>>(['list-checkpoints']);
      expect(listedAfter[0]).toMatchObject({ id: result.safetyCheckpointId, kind: 'rollback', keptBecause: ['newest', 'recent', 'undo'] });
      const table = (await project.co(['list-checkpoints'])).stdout;
      expect(table).toMatch(/KEPT/);
      expect(table).toContain('last 50, 30 days, undo');
      expect(table).toContain('Keeping the newest 50 and every checkpoint from the last 30 days');
      const undo = await project.co(['rollback', '--undo']);
      expect(undo.status, undo.stderr).toBe(0);
      expect(undo.stdout).toContain('Undoing the rollback of');
      expect(undo.stdout).toContain('Undo with: co rollback --undo');
      expect(readFileSync(path.join(project.dir, 'src.txt'), 'utf8')).toBe('changed\n');
      expect((await project.coJson<Task[]>(['list'])).map((task) => [task.title, task.status])).toEqual([
        ['Keep me', 'done'],
        ['Added after the checkpoint', 'ready'],
      ]);
      expect((await project.co(['rollback', '--undo', checkpoint.id])).stderr).toContain('--undo takes no checkpoint id');

      // PARTIAL: files back to the checkpoint; the task done since then runs again, the task added since stays.
      const partial = await project.coJson<{ tasksResetToPending: string[] }>(['rollback', checkpoint.id, '--strategy', 'partial']);
      expect(partial.tasksResetToPending).toEqual(['1']);
      expect(readFileSync(path.join(project.dir, 'src.txt'), 'utf8')).toBe('original\n');
      expect((await project.coJson<Task[]>(['list'])).map((task) => [task.id, task.status])).toEqual([
        ['1', 'ready'],
        ['2', 'ready'],
      ]);
    } finally {
      project.cleanup();
    }
  });

  it('checkpoints outside a git repository fail in one line; security-audit exits 1 on a high finding', async () => {
    const project = tempProject();
    try {
      await project.co(['init']);
      const refused = await project.co(['checkpoint', 'nope']);
      expect(isOneLineError(refused)).toBe(true);
      expect(refused.stderr).toContain('not the top folder of a git repository');
      expect((await project.co(['security-audit', '--json'])).status).toBe(0);
      writeFileSync(path.join(project.dir, 'config.js'), `const key = "sk-ant-api03-${'A1b2C3d4'.repeat(12)}";\n`);
      const audit = await project.co(['security-audit']);
      expect(audit.status).toBe(1);
      expect(audit.stdout).toContain('config.js');
      expect(audit.stdout).not.toContain('A1b2C3d4A1b2C3d4');
    } finally {
      project.cleanup();
    }
  });

  it('init --git makes a repository with the folder as its first commit (never .env); checkpoints then work', async () => {
    const project = tempProject();
    try {
      writeFileSync(path.join(project.dir, 'app.js'), 'console.log("hi");\n');
      const plain = await project.co(['init']);
      expect(plain.stdout).toContain('run `co init --git`');
      expect(existsSync(path.join(project.dir, '.git'))).toBe(false);

      const init = await project.co(['init', '--git']);
      expect(init.status).toBe(0);
      expect(init.stdout).toMatch(/created a git repository; first commit [0-9a-f]{12}/);
      const committed = git(project.dir, 'ls-files').trim().split('\n').sort();
      expect(committed).toEqual(['.gitignore', 'README.md', 'app.js', 'orchestrator_config.json']);
      expect(git(project.dir, 'status', '--porcelain')).toBe('');
      expect((await project.co(['checkpoint', 'after git init'])).status).toBe(0);

      // Re-running on a repository leaves its history alone.
      const again = await project.co(['init', '--git']);
      expect(again.stdout).not.toContain('created a git repository');
      expect(git(project.dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    } finally {
      project.cleanup();
    }
  });
});
