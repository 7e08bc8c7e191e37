import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import { TaskService } from '../../../src-main/engine/task-service';
import { Store } from '../../../src-main/store/store';
import { readSideEffects, spawnEngine } from './engine-child';

let directory: string;
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('two processes on one project database', () => {
  it('never run the same task, and together finish every task', async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'co-two-'));
    const databasePath = path.join(directory, '.orchestrator', 'state.db');
    const sideEffects = path.join(directory, 'side-effects.log');
    const store = Store.open(databasePath);
    new TaskService(store, new EngineEventBus()).addTasks(
      Array.from({ length: 60 }, (_, index) => ({ id: String(index + 1), title: `task ${index + 1}`, dependencies: index >= 6 ? [String(index - 5)] : [] })),
    );
    store.close();

    const children = [spawnEngine(databasePath, sideEffects, 3, 40), spawnEngine(databasePath, sideEffects, 3, 40)];
    await Promise.all(children.map((child) => child.waitForLine((line) => line === 'ready')));
    for (const child of children) child.go();
    const results = await Promise.all(children.map((child) => child.exited));
    expect(results.map((result) => result.code), results.map((result) => result.stderr).join('\n')).toEqual([0, 0]);

    const effects = readSideEffects(sideEffects);
    const starts = effects.filter((effect) => effect.kind === 'start');
    expect(starts).toHaveLength(60);
    expect(new Set(starts.map((effect) => effect.taskId)).size).toBe(60);
    const pids = new Set(starts.map((effect) => effect.pid));
    expect(pids.size).toBe(2);

    const after = Store.open(databasePath);
    expect(after.tasks.countByStatus().done).toBe(60);
    after.close();
  });
});
