import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import { TaskService } from '../../../src-main/engine/task-service';
import { Store } from '../../../src-main/store/store';
import { spawnEngine, type EngineChild } from './engine-child';

const LEASE_MS = 120_000;

let directory: string;
const engines: EngineChild[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.process.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

describe('restart after kill -9 of a process holding leases', () => {
  it('re-claims the dead owner’s tasks at once instead of waiting for its 120 s leases to expire', async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'co-dead-owner-'));
    const databasePath = path.join(directory, '.orchestrator', 'state.db');
    const sideEffects = path.join(directory, 'side-effects.log');
    const seed = Store.open(databasePath);
    new TaskService(seed, new EngineEventBus()).addTasks([{ title: 'first' }, { title: 'second' }]);
    seed.close();

    // Two workers busy for ten minutes on both tasks, under 120 s leases; then kill -9.
    const first = spawnEngine(databasePath, sideEffects, 2, 600_000, LEASE_MS);
    engines.push(first);
    await first.waitForLine((line) => line === 'ready');
    first.go();
    await first.waitForLine((_, all) => all.filter((line) => line.startsWith('started')).length === 2);
    first.process.kill('SIGKILL');
    await first.exited;

    const afterCrash = Store.open(databasePath);
    const held = afterCrash.tasks.list({ statuses: ['claimed', 'in_progress'] });
    afterCrash.close();
    expect(held).toHaveLength(2);
    const leaseEnds = Math.min(...held.map((task) => task.leaseExpiresAt as number));

    const second = spawnEngine(databasePath, sideEffects, 2, 50, LEASE_MS);
    engines.push(second);
    await second.waitForLine((line) => line === 'ready');
    second.go();
    const done = await second.waitForLine((line) => line.startsWith('done'));
    expect(JSON.parse(done.slice(5))).toMatchObject({ status: 'succeeded' });

    const store = Store.open(databasePath);
    for (const task of held) {
      const attempts = store.attempts.listForTask(task.id);
      const [killed, rerun] = attempts;
      expect(attempts).toHaveLength(2);
      // The killed owner's attempt was cut short because its process was proven dead, not because its lease ran out...
      expect(killed).toMatchObject({ status: 'interrupted', errorMessage: 'its worker process died' });
      // ...so the task ran again well before that lease would have expired.
      expect(rerun?.status).toBe('succeeded');
      expect(rerun?.startedAt).toBeLessThan(leaseEnds);
    }
    store.close();
  });
});
