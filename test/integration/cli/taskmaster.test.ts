import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src-shared/domain/task';
import { cliBuilt, isOneLineError, projectState, tempProject } from './cli-harness';

const fixture = path.join(import.meta.dirname, 'fixtures', 'taskmaster-tasks.json');

describe.skipIf(!cliBuilt)('co import-taskmaster / export-taskmaster (built CLI)', async () => {
  it('round-trips a tagged tasks.json: every task, subtask, dependency and status, other tags kept', async () => {
    const project = tempProject();
    try {
      await project.co(['init']);
      const taskmasterDir = path.join(project.dir, '.taskmaster', 'tasks');
      mkdirSync(taskmasterDir, { recursive: true });
      const file = path.join(taskmasterDir, 'tasks.json');
      copyFileSync(fixture, file);

      expect((await project.coJson<{ tasks: number; subtasks: number }>(['import-taskmaster']))).toMatchObject({ tasks: 6, subtasks: 7 });
      const tasks = await project.coJson<Task[]>(['list', '--show-subtasks']);
      const byId = new Map(tasks.map((task) => [task.id, task]));
      expect(tasks.map((task) => task.id)).toEqual(['1', '1.1', '1.2', '2', '2.1', '2.2', '2.3', '3', '4', '4.1', '4.2', '5', '6']);
      expect(byId.get('1.2')).toMatchObject({ parentId: '1', dependencies: ['1.1'], status: 'done', details: 'noUncheckedIndexedAccess too' });
      expect(byId.get('4')).toMatchObject({ dependencies: ['2', '3'], status: 'blocked' });
      expect(byId.get('4.2')).toMatchObject({ dependencies: ['3', '4.1'], status: 'deferred' });
      expect(byId.get('2')).toMatchObject({ status: 'ready', testStrategy: 'Migration tests against a temp database.' });
      expect((await project.co(['list'])).stdout).not.toContain('1.1');
      expect((await project.co(['list', '--show-subtasks'])).stdout).toMatch(/\n {2}1\.1\s+done/);

      // Export over the same file: master is rewritten, the other tag stays.
      expect((await project.co(['export-taskmaster'])).status).toBe(0);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(readFileSync(fixture, 'utf8')));

      // A change made here shows up in Task Master's terms.
      await project.co(['update', '3', '--status', 'done']);
      await project.co(['export-taskmaster', 'out.json']);
      const exported = JSON.parse(readFileSync(path.join(project.dir, 'out.json'), 'utf8')) as { master: { tasks: Array<{ id: number; status: string }> } };
      expect(exported.master.tasks.map((task) => [task.id, task.status])).toEqual([
        [1, 'done'],
        [2, 'in-progress'],
        [3, 'done'],
        [4, 'blocked'],
        [5, 'deferred'],
        [6, 'cancelled'],
      ]);
    } finally {
      project.cleanup();
    }
  });

  it('refuses clashing ids, missing and malformed files in one line, changing nothing; --replace replaces', async () => {
    const project = tempProject();
    try {
      await project.co(['init']);
      await project.co(['add', 'Existing task']);
      const before = projectState(project.dir);
      const clash = await project.co(['import-taskmaster', fixture]);
      expect(isOneLineError(clash)).toBe(true);
      expect(clash.stderr).toContain('already has tasks with the ids 1;');
      expect(isOneLineError((await project.co(['import-taskmaster', 'missing/tasks.json'])))).toBe(true);
      const legacyBad = path.join(project.dir, 'bad.json');
      copyFileSync(fixture, legacyBad);
      const broken = readFileSync(legacyBad, 'utf8').replace('"status": "review"', '"status": "almost"');
      mkdirSync(path.join(project.dir, 'bad'), { recursive: true });
      const badFile = path.join(project.dir, 'bad', 'tasks.json');
      writeText(badFile, broken);
      const invalid = await project.co(['import-taskmaster', badFile, '--replace']);
      expect(isOneLineError(invalid)).toBe(true);
      expect(invalid.stderr).toContain('key master.tasks.1.subtasks.2.status: unknown Task Master status "almost"');
      expect(projectState(project.dir).replace(/\nbad[^\n]*/g, '')).toBe(before.replace(/\nbad[^\n]*/g, ''));

      writeText(path.join(project.dir, 'legacy.json'), JSON.stringify({ tasks: [{ id: 1, title: 'Legacy', status: 'in-progress', dependencies: [] }] }));
      expect((await project.coJson<{ replaced: number }>(['import-taskmaster', 'legacy.json', '--replace']))).toMatchObject({ replaced: 1 });
      expect((await project.coJson<Task[]>(['list'])).map((task) => [task.id, task.title, task.status])).toEqual([['1', 'Legacy', 'ready']]);
      await project.co(['export-taskmaster', 'legacy-out.json']);
      expect(JSON.parse(readFileSync(path.join(project.dir, 'legacy-out.json'), 'utf8'))).toMatchObject({
        tasks: [{ id: 1, title: 'Legacy', status: 'in-progress', dependencies: [] }],
      });
    } finally {
      project.cleanup();
    }
  });
});

function writeText(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
