/**
 * Engine benchmarks (issue 3). Prints figures; nothing is asserted. Run: npm run bench:engine
 *  1. 10,000-task random DAG, in-process instant backend, 8 workers, every transition persisted,
 *     next to the same number of bare SQLite write transactions.
 *  2. 200 random DAGs with simulated durations on 4 workers: makespan / lower bound for the
 *     engine's ranking (critical path, priority, id) and a plain priority-then-id queue; plus a
 *     few DAGs run through the real engine in real time to show it achieves its policy.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PRIORITIES, priorityRank, type Priority } from '../src-shared/domain/priority';
import { compareTaskIds } from '../src-shared/domain/task-id';
import { criticalPathRanks, makespanLowerBound } from '../src-shared/graph/critical-path';
import type { GraphNode } from '../src-shared/graph/graph-node';
import { dependentsIndex } from '../src-shared/graph/graph-node';
import { InProcessBackend } from '../src-main/engine/in-process-backend';
import { Orchestrator } from '../src-main/engine/orchestrator';
import { STORE_PRAGMAS } from '../src-main/store/database';
import { seededRandom as random } from '../test/support/prng';

interface BenchTask extends GraphNode {
  readonly priority: Priority;
  readonly duration: number;
}

/** Random DAG: task i depends on 0-3 earlier tasks within a window, so the graph has depth and width. */
function randomDag(count: number, rand: () => number, window: number): ReadonlyArray<BenchTask> {
  const tasks: BenchTask[] = [];
  for (let index = 1; index <= count; index += 1) {
    const dependencies = new Set<string>();
    const wanted = index === 1 ? 0 : Math.floor(rand() * 4);
    for (let k = 0; k < wanted; k += 1) {
      const target = Math.max(1, index - 1 - Math.floor(rand() * Math.min(window, index - 1)));
      if (target < index) dependencies.add(String(target));
    }
    tasks.push({
      id: String(index),
      dependencies: [...dependencies],
      priority: PRIORITIES[Math.floor(rand() * 3)] as Priority,
      duration: 1 + Math.floor(rand() * 10),
    });
  }
  return tasks;
}

function temporaryDirectory(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'co-bench-'));
}

async function throughputBenchmark(): Promise<void> {
  const count = 10_000;
  const workers = 8;
  const tasks = randomDag(count, random(42), 300);
  const directory = temporaryDirectory();
  try {
    const orchestrator = new Orchestrator({ workingDirectory: directory, maxWorkers: workers, backend: new InProcessBackend() });
    const addStarted = performance.now();
    orchestrator.addTasksBatch(tasks.map((task) => ({ id: task.id, title: `task ${task.id}`, dependencies: [...task.dependencies], priority: task.priority })));
    const addMs = performance.now() - addStarted;
    const transactionsBefore = orchestrator.store.writeTransactions;
    const runStarted = performance.now();
    const run = await orchestrator.run();
    const runMs = performance.now() - runStarted;
    const transactions = orchestrator.store.writeTransactions - transactionsBefore;
    const done = orchestrator.getStatus().counts.done;
    await orchestrator.close();

    const floorPerTask = bareTransactions(count);
    const floorSameCount = bareTransactions(transactions);
    const floorSameSize = bareTransactions(transactions, 4);
    console.log('\n== 1. Throughput: 10,000-task random DAG, instant in-process backend, 8 workers ==');
    console.log(`run status ${run.status}, ${done} tasks done`);
    console.log(`adding the graph (one validated transaction): ${addMs.toFixed(0)} ms`);
    console.log(`run: ${runMs.toFixed(0)} ms total, ${((runMs * 1000) / count).toFixed(1)} µs per task, ${transactions} write transactions (${(transactions / count).toFixed(2)} per task)`);
    console.log(`floor A, ${count} bare write transactions (one per task): ${floorPerTask.toFixed(0)} ms → engine/floor ${(runMs / floorPerTask).toFixed(2)}x`);
    console.log(`floor B, ${transactions} bare write transactions (as many as the engine made): ${floorSameCount.toFixed(0)} ms → engine/floor ${(runMs / floorSameCount).toFixed(2)}x`);
    console.log(`floor C, ${transactions} bare transactions updating 4 scattered rows each (≈ the pages an engine transaction writes): ${floorSameSize.toFixed(0)} ms → engine/floor ${(runMs / floorSameSize).toFixed(2)}x`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Time of `count` bare BEGIN IMMEDIATE / UPDATE×rows / COMMIT transactions on a fresh file with the store's pragmas. */
function bareTransactions(count: number, rowsPerTransaction = 1): number {
  const directory = temporaryDirectory();
  try {
    const db = new Database(path.join(directory, 'floor.db'));
    for (const pragma of STORE_PRAGMAS) db.pragma(pragma);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, status TEXT NOT NULL, n INTEGER NOT NULL, pad TEXT NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO t (id, status, n, pad) VALUES (?, ?, 0, ?)');
    db.transaction(() => {
      for (let id = 1; id <= 10_000; id += 1) insert.run(id, 'ready', 'x'.repeat(300));
    })();
    const update = db.prepare('UPDATE t SET status = ?, n = n + 1 WHERE id = ?');
    const transaction = db.transaction((index: number) => {
      for (let row = 0; row < rowsPerTransaction; row += 1) update.run('done', ((index * 7919 + row * 2503) % 10_000) + 1);
    });
    const started = performance.now();
    for (let index = 0; index < count; index += 1) transaction.immediate(index);
    const elapsed = performance.now() - started;
    db.close();
    return elapsed;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

type Policy = (tasks: ReadonlyArray<BenchTask>) => (a: BenchTask, b: BenchTask) => number;

/** The engine's order: critical-path rank with unit durations (durations are unknown to it), then priority, then id. */
const enginePolicy: Policy = (tasks) => {
  const ranks = criticalPathRanks(tasks);
  return (a, b) => (ranks.get(b.id) ?? 0) - (ranks.get(a.id) ?? 0) || priorityRank(b.priority) - priorityRank(a.priority) || compareTaskIds(a.id, b.id);
};

/** A plain ready queue: priority, then id. */
const priorityPolicy: Policy = () => (a, b) => priorityRank(b.priority) - priorityRank(a.priority) || compareTaskIds(a.id, b.id);

/** For reference: critical path over the true durations (if estimates were known). */
const durationAwarePolicy: Policy = (tasks) => {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const ranks = criticalPathRanks(tasks, (id) => byId.get(id)?.duration ?? 1);
  return (a, b) => (ranks.get(b.id) ?? 0) - (ranks.get(a.id) ?? 0) || priorityRank(b.priority) - priorityRank(a.priority) || compareTaskIds(a.id, b.id);
};

/** Event-driven list schedule on `workers` workers; returns the makespan. */
function simulate(tasks: ReadonlyArray<BenchTask>, workers: number, policy: Policy): number {
  const compare = policy(tasks);
  const dependents = dependentsIndex(tasks);
  const remaining = new Map(tasks.map((task) => [task.id, task.dependencies.length]));
  const byId = new Map(tasks.map((task) => [task.id, task]));
  let ready = tasks.filter((task) => task.dependencies.length === 0);
  let running: Array<{ task: BenchTask; end: number }> = [];
  let now = 0;
  while (ready.length > 0 || running.length > 0) {
    ready.sort(compare);
    while (running.length < workers && ready.length > 0) {
      const task = ready.shift() as BenchTask;
      running.push({ task, end: now + task.duration });
    }
    now = Math.min(...running.map((entry) => entry.end));
    const finished = running.filter((entry) => entry.end === now);
    running = running.filter((entry) => entry.end !== now);
    for (const { task } of finished) {
      for (const dependent of dependents.get(task.id) ?? []) {
        const left = (remaining.get(dependent) ?? 0) - 1;
        remaining.set(dependent, left);
        if (left === 0) ready = [...ready, byId.get(dependent) as BenchTask];
      }
    }
  }
  return now;
}

async function makespanBenchmark(): Promise<void> {
  const workers = 4;
  const rand = random(7);
  const ratios = { engine: [] as number[], priority: [] as number[], durationAware: [] as number[] };
  const samples: Array<ReadonlyArray<BenchTask>> = [];
  for (let dag = 0; dag < 200; dag += 1) {
    const tasks = randomDag(20 + Math.floor(rand() * 181), rand, 4 + Math.floor(rand() * 30));
    const bound = makespanLowerBound(tasks, (id) => tasks[Number(id) - 1]?.duration ?? 1, workers);
    ratios.engine.push(simulate(tasks, workers, enginePolicy) / bound);
    ratios.priority.push(simulate(tasks, workers, priorityPolicy) / bound);
    ratios.durationAware.push(simulate(tasks, workers, durationAwarePolicy) / bound);
    if (dag < 5) samples.push(tasks);
  }
  const mean = (values: ReadonlyArray<number>) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const worst = (values: ReadonlyArray<number>) => Math.max(...values);
  console.log('\n== 2. Makespan: 200 random DAGs (20-200 tasks, durations 1-10), 4 workers, ratio to max(critical path, work/workers) ==');
  console.log(`engine order (critical path by task count, priority, id): mean ${mean(ratios.engine).toFixed(3)}, worst ${worst(ratios.engine).toFixed(3)}`);
  console.log(`plain priority-then-id ready queue:                       mean ${mean(ratios.priority).toFixed(3)}, worst ${worst(ratios.priority).toFixed(3)}`);
  console.log(`reference, critical path by true durations:               mean ${mean(ratios.durationAware).toFixed(3)}, worst ${worst(ratios.durationAware).toFixed(3)}`);

  console.log('\nreal engine, real time (1 duration unit = 20 ms), first 5 DAGs:');
  for (const tasks of samples) {
    const directory = temporaryDirectory();
    try {
      const byId = new Map(tasks.map((task) => [task.id, task]));
      const orchestrator = new Orchestrator({
        workingDirectory: directory,
        maxWorkers: workers,
        backend: new InProcessBackend((input) => ({ durationMs: (byId.get(input.task.id)?.duration ?? 1) * 20 })),
      });
      orchestrator.addTasksBatch(tasks.map((task) => ({ id: task.id, title: `task ${task.id}`, dependencies: [...task.dependencies], priority: task.priority })));
      const started = performance.now();
      await orchestrator.run();
      const measured = (performance.now() - started) / 20;
      await orchestrator.close();
      const simulated = simulate(tasks, workers, enginePolicy);
      const bound = makespanLowerBound(tasks, (id) => byId.get(id)?.duration ?? 1, workers);
      console.log(`  ${tasks.length} tasks: measured ${measured.toFixed(1)} units, simulated ${simulated}, bound ${bound.toFixed(1)} → measured/bound ${(measured / bound).toFixed(3)}`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
}

console.log(`Engine benchmarks — ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs`);
const only = process.argv[2];
if (only === undefined || only === 'throughput') await throughputBenchmark();
if (only === undefined || only === 'makespan') await makespanBenchmark();
