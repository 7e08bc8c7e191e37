/**
 * `co list --json` latency on a 1,000-task project (issue 6; target: median under 300 ms).
 * Spawns the BUILT CLI (node scripts/build-main.mjs first) N times and prints min / median / p95,
 * next to a bare `node -e ''` start for scale. Prints figures; asserts nothing.
 * Run: npx tsx bench/cli-list.bench.ts   (CO_BENCH_RUNS=N, CO_BENCH_CLI=path/to/cli.mjs to compare builds)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom as random } from '../test/support/prng';

const repoRoot = path.join(import.meta.dirname, '..');
const cli = path.resolve(process.env['CO_BENCH_CLI'] ?? path.join(repoRoot, 'bin', 'co.js'));
const runs = Number(process.env['CO_BENCH_RUNS'] ?? 20);
const TASKS = 1_000;

/** A Task Master file with 1,000 tasks, each depending on up to two of the ten before it. */
function taskMasterFile(): unknown {
  const next = random(6);
  const statuses = ['pending', 'done', 'pending', 'in-progress', 'deferred'];
  const tasks = Array.from({ length: TASKS }, (_, index) => {
    const id = index + 1;
    const dependencies = new Set<number>();
    for (let k = 0; k < 2; k += 1) if (id > 1 && next() < 0.6) dependencies.add(Math.max(1, id - 1 - Math.floor(next() * 10)));
    return {
      id,
      title: `Task ${id}: implement part ${id} of the system`,
      description: `Description of task ${id}. `.repeat(4),
      details: `Details for task ${id}.`,
      testStrategy: 'Unit tests.',
      status: statuses[Math.floor(next() * statuses.length)],
      priority: ['high', 'medium', 'low'][id % 3],
      dependencies: [...dependencies].sort((a, b) => a - b),
      subtasks: [],
    };
  });
  return { master: { tasks } };
}

function co(cwd: string, args: ReadonlyArray<string>): { readonly ms: number; readonly stdout: string } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`co ${args.join(' ')} failed: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

function timeOf(command: ReadonlyArray<string>): number {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, command, { encoding: 'utf8' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function percentile(sorted: ReadonlyArray<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(label: string, samples: ReadonlyArray<number>): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (value: number): string => `${value.toFixed(0)} ms`;
  return `${label.padEnd(28)} min ${fmt(sorted[0] ?? Number.NaN)}  median ${fmt(percentile(sorted, 50))}  p95 ${fmt(percentile(sorted, 95))}  (n=${sorted.length})`;
}

function main(): void {
  if (!existsSync(cli) || (cli.endsWith('co.js') && !existsSync(path.join(repoRoot, 'dist', 'main', 'cli.mjs')))) {
    throw new Error('build the CLI first: node scripts/build-main.mjs');
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'co-bench-list-'));
  try {
    const project = path.join(root, 'project');
    mkdirSync(path.join(project, '.taskmaster', 'tasks'), { recursive: true });
    writeFileSync(path.join(project, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify(taskMasterFile()));
    co(project, ['init']);
    co(project, ['import-taskmaster']);
    const listed = JSON.parse(co(project, ['list', '--json']).stdout) as unknown[];
    if (listed.length !== TASKS) throw new Error(`expected ${TASKS} tasks, got ${listed.length}`);
    const node = Array.from({ length: runs }, () => timeOf(['-e', '']));
    const version = Array.from({ length: runs }, () => timeOf([cli, '--version']));
    const list = Array.from({ length: runs }, () => co(project, ['list', '--json']).ms);
    const table = Array.from({ length: runs }, () => co(project, ['list']).ms);
    console.log(`co list on a ${TASKS}-task project; CLI ${path.relative(repoRoot, cli)}; Node ${process.versions.node}; ${os.cpus().length} cores; load ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
    console.log(summary("node -e '' (process start)", node));
    console.log(summary('co --version (load only)', version));
    console.log(summary('co list --json', list));
    console.log(summary('co list (table)', table));
    const median = percentile([...list].sort((a, b) => a - b), 50);
    console.log(`target: co list --json median < 300 ms → ${median < 300 ? 'met' : 'NOT met'} on this machine`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
