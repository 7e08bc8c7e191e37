import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src-main/store/store';
import { TaskService } from '../../../src-main/engine/task-service';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import { readSideEffects, spawnEngine } from './engine-child';

let directory: string;
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** 40 tasks: four chains of ten, with cross links, so the crash hits a graph in motion. */
function seedTasks(databasePath: string, count: number): void {
  const store = Store.open(databasePath);
  const tasks = Array.from({ length: count }, (_, index) => {
    const id = index + 1;
    const dependencies = id > 4 ? [String(id - 4)] : [];
    if (id > 8 && id % 3 === 0) dependencies.push(String(id - 7));
    return { id: String(id), title: `task ${id}`, dependencies };
  });
  new TaskService(store, new EngineEventBus()).addTasks(tasks);
  store.close();
}

describe('crash and restart', () => {
  it('a run killed with SIGKILL while workers are busy finishes after a restart: no task lost, none completed twice', async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'co-crash-'));
    const databasePath = path.join(directory, '.orchestrator', 'state.db');
    const sideEffects = path.join(directory, 'side-effects.log');
    seedTasks(databasePath, 40);

    const first = spawnEngine(databasePath, sideEffects, 4, 150);
    await first.waitForLine((line) => line === 'ready');
    first.go();
    // Kill once 8 tasks finished and the line just printed is a start: workers are mid-task.
    await first.waitForLine((line, all) => line.startsWith('started') && all.filter((l) => l.startsWith('finished')).length >= 8);
    first.process.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');

    const afterCrash = Store.open(databasePath);
    const held = afterCrash.tasks.list({ statuses: ['claimed', 'in_progress', 'review'] });
    afterCrash.close();
    expect(held.length).toBeGreaterThan(0);

    const second = spawnEngine(databasePath, sideEffects, 4, 150);
    await second.waitForLine((line) => line === 'ready');
    second.go();
    const done = await second.waitForLine((line) => line.startsWith('done'));
    expect(JSON.parse(done.slice(5))).toMatchObject({ status: 'succeeded' });
    expect((await second.exited).code).toBe(0);

    const store = Store.open(databasePath);
    const tasks = store.tasks.list();
    expect(tasks).toHaveLength(40);
    expect(tasks.every((task) => task.status === 'done')).toBe(true);
    const effects = readSideEffects(sideEffects);
    let interrupted = 0;
    for (const task of tasks) {
      const attempts = store.attempts.listForTask(task.id);
      const succeeded = attempts.filter((attempt) => attempt.status === 'succeeded');
      expect(succeeded, `task ${task.id} succeeded attempts`).toHaveLength(1);
      const finishes = effects.filter((effect) => effect.kind === 'finish' && effect.taskId === task.id);
      expect(finishes, `task ${task.id} completed side effects`).toHaveLength(1);
      expect(finishes[0]?.attemptId).toBe(succeeded[0]?.id);
      // Every attempt that started but never finished is recorded as interrupted, not lost.
      for (const start of effects.filter((effect) => effect.kind === 'start' && effect.taskId === task.id)) {
        if (start.attemptId === succeeded[0]?.id) continue;
        expect(attempts.find((attempt) => attempt.id === start.attemptId)?.status).toBe('interrupted');
        interrupted += 1;
      }
    }
    expect(interrupted).toBeGreaterThan(0);
    // The attempts the crash cut short are exactly those of the tasks it left leased.
    const interruptedAttempts = tasks.flatMap((task) => store.attempts.listForTask(task.id)).filter((attempt) => attempt.status === 'interrupted');
    expect(interruptedAttempts.map((attempt) => attempt.taskId).sort()).toEqual(held.map((task) => task.id).sort());
    expect(store.runs.list().map((run) => run.status).sort()).toEqual(['interrupted', 'succeeded']);
    store.close();
  });
});
