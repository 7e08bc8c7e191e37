import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src-shared/domain/task';
import { cliBuilt, tempProject } from './cli-harness';

describe.skipIf(!cliBuilt)('co task commands (built CLI)', async () => {
  it('init → add → list → show → update → next → delete', async () => {
    const project = tempProject();
    try {
      expect((await project.co(['init'])).status).toBe(0);
      const first = await project.co(['add', 'Set up the database\nUse SQLite with migrations.', '--priority', 'high', '--file', 'db/schema.sql', '--file', 'db/migrate.ts', '--hint', 'keep it STRICT']);
      expect(first).toMatchObject({ status: 0, stdout: '1\n' });
      expect((await project.co(['add', 'Write the API', '--title', 'API', '--depends-on', '1', '--priority', '2'])).stdout).toBe('2\n');
      const third = await project.coJson<Task>(['add', 'Write docs', '--depends-on', '1,2']);
      expect(third).toMatchObject({ id: '3', title: 'Write docs', dependencies: ['1', '2'], status: 'pending', expectsNoChanges: false });

      const table = (await project.co(['list'])).stdout.split('\n');
      expect(table[0]).toMatch(/^ID\s+STATUS\s+PRIORITY\s+DEPS\s+TITLE$/);
      expect(table[1]).toMatch(/^1\s+ready\s+high\s+-\s+Set up the database$/);
      expect(table[2]).toMatch(/^2\s+pending\s+low\s+1\s+API$/);
      expect(table[3]).toMatch(/^3\s+pending\s+medium\s+1,2\s+Write docs$/);
      // Columns line up: STATUS starts at the same offset in every row.
      expect(new Set(table.filter((line) => line !== '').map((line) => line.search(/(STATUS|ready|pending)/))).size).toBe(1);

      const shown = await project.coJson<Task & { dependents: string[] }>(['show', '1']);
      expect(shown).toMatchObject({ id: '1', title: 'Set up the database', contextFiles: ['db/schema.sql', 'db/migrate.ts'], hints: ['keep it STRICT'], dependents: ['2', '3'] });
      expect((await project.co(['show', '2'])).stdout).toContain('Depends on:   1 (ready)');
      const verification = await project.coJson<Task>(['add', 'Run the test suite and report', '--no-changes']);
      expect(verification.expectsNoChanges).toBe(true);
      expect((await project.co(['show', verification.id])).stdout).toContain('none needed (verification only)');
      expect((await project.co(['delete', verification.id])).status).toBe(0);

      expect((await project.coJson<Task | null>(['next']))).toMatchObject({ id: '1' });
      expect((await project.co(['update', '1', '--status', 'done', '--title', 'Database'])).status).toBe(0);
      expect((await project.coJson<Task[]>(['list', '--filter-status', 'ready'])).map((task) => task.id)).toEqual(['2']);
      expect((await project.co(['next'])).stdout).toContain('Next: task 2 [low] API');

      const refused = await project.co(['delete', '2']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe('co: task 3 depends on task 2; nothing was deleted. Use --force to delete it anyway (dropping those dependencies).\n');
      expect((await project.co(['delete', '2', '--force'])).stdout).toContain('Deleted task 2');
      expect((await project.coJson<Task[]>(['list'])).map((task) => [task.id, task.status, task.dependencies])).toEqual([
        ['1', 'done', []],
        ['3', 'ready', ['1']],
      ]);
      const status = await project.coJson<{ total: number; counts: Record<string, number>; usage: { costUsd: number } }>(['status']);
      expect(status).toMatchObject({ total: 2, counts: { done: 1, ready: 1 }, usage: { costUsd: 0 } });
    } finally {
      project.cleanup();
    }
  });

  it('works from another folder with --working-dir and ORCHESTRATOR_WORKING_DIR', async () => {
    const project = tempProject();
    try {
      expect((await project.co(['-d', project.dir, 'init'], { cwd: project.userData })).status).toBe(0);
      expect((await project.co(['add', 'From elsewhere', '--working-dir', project.dir], { cwd: project.userData })).stdout).toBe('1\n');
      const listed = await project.co(['list', '--json'], { cwd: project.userData, env: { ORCHESTRATOR_WORKING_DIR: project.dir } });
      expect((JSON.parse(listed.stdout) as Task[]).map((task) => task.title)).toEqual(['From elsewhere']);
    } finally {
      project.cleanup();
    }
  });
});
