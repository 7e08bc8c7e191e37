/**
 * Workspace benchmark (issue "Workspace speed"): the same plan (TASKS tasks, 4 workers, an instant
 * scripted agent through the real Claude Code CLI against the fake Anthropic server, review off) on a
 * generated 30,000-file repository (300 folders × 100 small files) and on a one-file repository, in
 * temporary folders, in this one process. Each repository runs the plan twice: a cold run (empty
 * worktree pool: the first attempt of each slot makes its worktree) and a warm run (the pool kept from
 * the first, as a user's next run finds it). Prints wall times and their ratio, per-attempt prepare
 * time (the attempt's `prepare` stage: take in dependencies, check out, setup) p50/p95 against a fresh
 * `git worktree add` (and its removal) measured here on the large repository, and restart speed: from
 * opening the project (recovery included) and from `run()` to the first agent request.
 * Goal: warm ratio ≤ 1.2. Run: npm run bench:workspace [-- tasks folders filesPerFolder]
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openProjectRuntime } from '../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type RecordedRequest } from '../test/support/fake-anthropic';
import { taskOf } from '../test/integration/pipeline/support';
import { writeFileTurn } from '../test/integration/runtime/pipeline-support';

const TASKS = Number(process.argv[2] ?? 8);
const FOLDERS = Number(process.argv[3] ?? 300);
const FILES_PER_FOLDER = Number(process.argv[4] ?? 100);
const WORKERS = 4;

/** What one run of the plan measured. */
interface RunMeasure {
  readonly wallMs: number;
  readonly prepareMs: ReadonlyArray<number>;
  readonly toFirstAgentMs: number;
  readonly done: number;
}

/** Both runs on one repository. */
interface RepoMeasure {
  readonly openMs: number;
  readonly cold: RunMeasure;
  readonly warm: RunMeasure;
}

function git(cwd: string, args: ReadonlyArray<string>, input?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, ...(input === undefined ? {} : { input }) });
}

/** A repository with FOLDERS × FILES_PER_FOLDER small files in one commit, written with fast-import, then checked out. */
function largeRepo(): { readonly path: string; readonly cleanup: () => void } {
  const dir = makeTempDir('co-bench-ws-large-');
  git(dir.path, ['init', '-q', '-b', 'main']);
  git(dir.path, ['config', 'user.email', 'bench@example.com']);
  git(dir.path, ['config', 'user.name', 'Bench']);
  const chunks: string[] = ['commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\ndata 8\ninitial\n'];
  const inline = (file: string, content: string) => chunks.push(`M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  inline('README.md', '# Large project\n');
  for (let folder = 0; folder < FOLDERS; folder += 1) {
    for (let file = 0; file < FILES_PER_FOLDER; file += 1) {
      inline(`pkg-${folder}/file-${file}.ts`, `export const value${folder}_${file} = ${folder * FILES_PER_FOLDER + file};\n// ${'x'.repeat(40)}\n`);
    }
  }
  git(dir.path, ['fast-import', '--quiet'], chunks.join(''));
  git(dir.path, ['reset', '-q', '--hard', 'main']);
  return dir;
}

async function runPlan(projectDir: string, label: string): Promise<RepoMeasure> {
  const fake = await startFakeAnthropic();
  const home = makeTempDir('co-bench-ws-home-');
  let firstAgentAt = 0;
  fake.script({
    match: matchers.hasTools,
    respond: (request: RecordedRequest) => {
      if (firstAgentAt === 0) firstAgentAt = performance.now();
      return writeFileTurn(request, `feature-${taskOf(request) ?? '0'}.txt`, 'done\n');
    },
  });
  writeFileSync(join(projectDir, 'orchestrator_config.json'), JSON.stringify({ models: { enable_opus_review: false }, execution: { max_workers: WORKERS, task_timeout: 600 } }));
  const opening = performance.now();
  const runtime = await openProjectRuntime({ projectDir, env: claudeTestEnv(fake, home.path) });
  const openMs = performance.now() - opening;
  const prepareStarted = new Map<string, number>();
  const prepareMs: number[] = [];
  runtime.orchestrator.events.on('attempt.stage', ({ attempt }) => {
    if (attempt.stage === 'prepare') prepareStarted.set(attempt.id, performance.now());
    const started = prepareStarted.get(attempt.id);
    if (attempt.stage === 'execute' && started !== undefined) prepareMs.push(performance.now() - started);
  });
  const once = async (round: number): Promise<RunMeasure> => {
    prepareMs.length = 0;
    firstAgentAt = 0;
    runtime.orchestrator.addTasksBatch(Array.from({ length: TASKS }, (_, index) => ({ title: `Feature ${round}.${index + 1}` })));
    const started = performance.now();
    await runtime.run();
    const wallMs = performance.now() - started;
    const done = runtime.orchestrator.listTasks().filter((task) => task.status === 'done').length - (round - 1) * TASKS;
    process.stderr.write(`${label} run ${round}: ${(wallMs / 1000).toFixed(1)} s\n`);
    return { wallMs, prepareMs: [...prepareMs], toFirstAgentMs: firstAgentAt - started, done };
  };
  try {
    const cold = await once(1);
    const warm = await once(2);
    return { openMs, cold, warm };
  } finally {
    await runtime.close();
    await fake.close();
    home.cleanup();
  }
}

/** A fresh `git worktree add` (and its `remove`) per attempt, as before the pool, timed on the same repository. */
function freshWorktreeTimes(projectDir: string, count: number): { readonly addMs: number[]; readonly removeMs: number[] } {
  const addMs: number[] = [];
  const removeMs: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const folder = join(projectDir, '.orchestrator', 'tmp', `fresh-${index}`);
    const start = performance.now();
    git(projectDir, ['worktree', 'add', '-q', '-b', `bench/fresh-${index}`, folder, 'HEAD']);
    const added = performance.now();
    git(projectDir, ['worktree', 'remove', '--force', folder]);
    addMs.push(added - start);
    removeMs.push(performance.now() - added);
  }
  return { addMs, removeMs };
}

function percentile(values: ReadonlyArray<number>, p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

const large = largeRepo();
const small = makeTempGitRepo('co-bench-ws-small-');
try {
  const files = git(large.path, ['ls-files']).split('\n').filter(Boolean).length;
  const largeResult = await runPlan(large.path, 'large');
  const smallResult = await runPlan(small.path, 'one-file');
  const fresh = freshWorktreeTimes(large.path, TASKS);
  console.log(`${TASKS} tasks, ${WORKERS} workers, instant scripted agent (real Claude Code CLI), review off; large repository: ${files} files\n`);
  console.log(`${'run'.padEnd(22)} ${'one-file'.padStart(10)} ${'large'.padStart(10)} ${'ratio'.padStart(7)}   large prepare p50 / p95`);
  for (const round of ['cold', 'warm'] as const) {
    const a = smallResult[round];
    const b = largeResult[round];
    console.log(
      `${`${round} (${round === 'cold' ? 'empty pool' : 'pool kept'})`.padEnd(22)} ${seconds(a.wallMs).padStart(10)} ${seconds(b.wallMs).padStart(10)} ${`${(b.wallMs / a.wallMs).toFixed(2)}×`.padStart(7)}   ${ms(percentile(b.prepareMs, 50))} / ${ms(percentile(b.prepareMs, 95))}` +
        `  (one-file ${ms(percentile(a.prepareMs, 50))} / ${ms(percentile(a.prepareMs, 95))}; done ${a.done}+${b.done}/${2 * TASKS})`,
    );
  }
  console.log(`fresh git worktree add on the large repository: p50 ${ms(percentile(fresh.addMs, 50))}, p95 ${ms(percentile(fresh.addMs, 95))}; its removal p50 ${ms(percentile(fresh.removeMs, 50))}`);
  console.log(`restart: open the project (recovery) ${ms(largeResult.openMs)} large / ${ms(smallResult.openMs)} one-file; run() to the first agent request, warm run: ${ms(largeResult.warm.toFirstAgentMs)} large / ${ms(smallResult.warm.toFirstAgentMs)} one-file`);
  console.log(`\nwarm ratio ${(largeResult.warm.wallMs / smallResult.warm.wallMs).toFixed(2)}× (goal ≤ 1.2×; before the pool: 4.6×)`);
} finally {
  rmSync(large.path, { recursive: true, force: true });
  small.cleanup();
}
