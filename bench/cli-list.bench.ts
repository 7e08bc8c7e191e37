/**
 * `co list --json` latency on a 1,000-task project (issue 6; target: median under 300 ms).
 * Spawns the BUILT CLI (node scripts/build-main.mjs first) N times and prints min / median / p95,
 * next to a bare `node -e ''` start for scale. Prints figures; asserts nothing.
 * The commands take turns within each round, so a change in the machine's load hits them alike.
 * Besides wall time it prints the CPU time (user + system) the child used, which a busy machine
 * inflates far less (Linux only: read from /proc; 10 ms resolution).
 * Run: npx tsx bench/cli-list.bench.ts
 *   CO_BENCH_RUNS=N               rounds (default 20)
 *   CO_BENCH_CLI=path/to/cli.mjs  the CLI to time (default bin/co.js)
 *   CO_BENCH_BASELINE=path        another build of the CLI (e.g. a copy of an older dist/main) timed in the same rounds
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRandom as random } from '../test/support/prng';

const repoRoot = path.join(import.meta.dirname, '..');
const cli = path.resolve(process.env['CO_BENCH_CLI'] ?? path.join(repoRoot, 'bin', 'co.js'));
const baseline = process.env['CO_BENCH_BASELINE'] ? path.resolve(process.env['CO_BENCH_BASELINE']) : undefined;
const runs = Number(process.env['CO_BENCH_RUNS'] ?? 20);
const TASKS = 1_000;
/** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
const MS_PER_TICK = 10;

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

/** CPU time (ms) used so far by this process's finished children, or NaN where /proc is missing. */
function childrenCpuMs(): number {
  try {
    const fields = (readFileSync('/proc/self/stat', 'utf8').split(') ')[1] ?? '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) * MS_PER_TICK;
  } catch {
    return Number.NaN;
  }
}

/** One timed run of a command. */
interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly stdout: string;
}

function timed(args: ReadonlyArray<string>, cwd: string): Sample {
  const cpuBefore = childrenCpuMs();
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  return { ms, cpuMs: childrenCpuMs() - cpuBefore, stdout: result.stdout };
}

function percentile(sorted: ReadonlyArray<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(label: string, samples: ReadonlyArray<Sample>): string {
  const wall = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const cpu = samples.map((sample) => sample.cpuMs).sort((a, b) => a - b);
  const fmt = (value: number): string => `${value.toFixed(0)} ms`;
  return (
    `${label.padEnd(36)} min ${fmt(wall[0] ?? Number.NaN)}  median ${fmt(percentile(wall, 50))}  p95 ${fmt(percentile(wall, 95))}` +
    `  | CPU median ${fmt(percentile(cpu, 50))}  (n=${wall.length})`
  );
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
}

/** The commands timed, in the order they take turns. */
function commands(project: string): ReadonlyArray<{ readonly label: string; readonly args: ReadonlyArray<string>; readonly cwd: string }> {
  const clis = [{ name: 'co', path: cli }, ...(baseline === undefined ? [] : [{ name: 'baseline co', path: baseline }])];
  return [
    { label: "node -e '' (process start)", args: ['-e', ''], cwd: project },
    ...clis.flatMap(({ name, path: file }) => [
      { label: `${name} --version`, args: [file, '--version'], cwd: project },
      { label: `${name} list --json`, args: [file, 'list', '--json'], cwd: project },
      { label: `${name} list (table)`, args: [file, 'list'], cwd: project },
    ]),
  ];
}

function main(): void {
  if (!existsSync(cli) || (cli.endsWith('co.js') && !existsSync(path.join(repoRoot, 'dist', 'main', 'cli.mjs')))) {
    throw new Error('build the CLI first: node scripts/build-main.mjs');
  }
  if (baseline !== undefined && !existsSync(baseline)) throw new Error(`no baseline CLI at ${baseline}`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'co-bench-list-'));
  try {
    const project = path.join(root, 'project');
    mkdirSync(path.join(project, '.taskmaster', 'tasks'), { recursive: true });
    writeFileSync(path.join(project, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify(taskMasterFile()));
    timed([cli, 'init'], project);
    timed([cli, 'import-taskmaster'], project);
    const listed = timed([cli, 'list', '--json'], project).stdout;
    if ((JSON.parse(listed) as unknown[]).length !== TASKS) throw new Error(`expected ${TASKS} tasks in co list --json`);
    if (baseline !== undefined && timed([baseline, 'list', '--json'], project).stdout !== listed) throw new Error('the baseline CLI lists the tasks differently');
    const timedCommands = commands(project);
    const loadBefore = loadAverage();
    const samples = timedCommands.map((): Sample[] => []);
    for (let round = 0; round < runs; round += 1) {
      timedCommands.forEach((command, index) => samples[index]?.push(timed(command.args, command.cwd)));
    }
    console.log(
      `co list on a ${TASKS}-task project; CLI ${path.relative(repoRoot, cli)}${baseline ? `, baseline ${path.relative(repoRoot, baseline)}` : ''}; ` +
        `Node ${process.versions.node}; ${os.cpus().length} cores; load ${loadBefore} before, ${loadAverage()} after`,
    );
    timedCommands.forEach((command, index) => console.log(summary(command.label, samples[index] ?? [])));
    const listIndex = timedCommands.findIndex((command) => command.label === 'co list --json');
    const median = percentile((samples[listIndex] ?? []).map((sample) => sample.ms).sort((a, b) => a - b), 50);
    console.log(`target: co list --json median < 300 ms → ${median < 300 ? 'met' : 'NOT met'} on this machine`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
