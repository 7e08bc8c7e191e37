/**
 * Time from restart to the first re-claim after `kill -9` of a process holding leases.
 *
 * A real engine process (test/integration/engine/fixtures/run-engine.ts: the real scheduler and
 * store, an in-process backend) claims two tasks under leases of CO_BENCH_LEASE_MS (default 60 s,
 * the config default `execution.lease_duration`) and is killed with SIGKILL while both run. A
 * second engine process is then started on the same database; the figure is the time from its
 * spawn to its first "started" line (every ready task was held by the dead owner, so its first
 * start is a re-claim), and the part of it spent starting the process (spawn to "ready").
 *
 * Usage: npm run bench:reclaim   (CO_BENCH_RUNS, default 3; CO_BENCH_LEASE_MS, default 60000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineEventBus } from '../src-main/engine/engine-events';
import { TaskService } from '../src-main/engine/task-service';
import { Store } from '../src-main/store/store';
import { spawnEngine } from '../test/integration/engine/engine-child';

const runs = Number(process.env['CO_BENCH_RUNS'] ?? 3);
const leaseMs = Number(process.env['CO_BENCH_LEASE_MS'] ?? 60_000);

async function measureOnce(): Promise<{ readonly startupMs: number; readonly reclaimMs: number }> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'co-bench-reclaim-'));
  try {
    const databasePath = path.join(directory, '.orchestrator', 'state.db');
    const sideEffects = path.join(directory, 'side-effects.log');
    const seed = Store.open(databasePath);
    new TaskService(seed, new EngineEventBus()).addTasks([{ title: 'first' }, { title: 'second' }]);
    seed.close();

    const first = spawnEngine(databasePath, sideEffects, 2, 600_000, leaseMs);
    await first.waitForLine((line) => line === 'ready');
    first.go();
    await first.waitForLine((_, all) => all.filter((line) => line.startsWith('started')).length === 2);
    first.process.kill('SIGKILL');
    await first.exited;

    const spawnedAt = performance.now();
    const second = spawnEngine(databasePath, sideEffects, 2, 10, leaseMs);
    await second.waitForLine((line) => line === 'ready');
    const readyAt = performance.now();
    second.go();
    await second.waitForLine((line) => line.startsWith('started'));
    const reclaimedAt = performance.now();
    await second.waitForLine((line) => line.startsWith('done'));
    await second.exited;
    return { startupMs: readyAt - spawnedAt, reclaimMs: reclaimedAt - spawnedAt };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

console.log(`restart to first re-claim after kill -9 (leases of ${leaseMs / 1000} s, ${runs} runs)`);
for (let run = 1; run <= runs; run += 1) {
  const { startupMs, reclaimMs } = await measureOnce();
  console.log(`run ${run}: first re-claim ${Math.round(reclaimMs)} ms after the restart (of which process start to ready: ${Math.round(startupMs)} ms)`);
}
