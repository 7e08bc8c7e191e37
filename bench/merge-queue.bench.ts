/**
 * Merge-queue benchmark (issue "Verified merges"): makespan of a conflict-heavy plan (every task adds
 * a line to one file) against the same plan without conflicts (every task writes its own file), with
 * 4 workers, review on (the manager approves and resolves conflicts in the queue), the real Claude
 * Code CLI and a scripted agent against the fake Anthropic server. Each model reply takes LATENCY ms,
 * standing for the time a real model takes. Goal: conflict-heavy ≤ 1.5× the conflict-free makespan.
 * Run: npm run bench:merge [-- tasks latencyMs]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openProjectRuntime } from '../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeReply, type RecordedRequest } from '../test/support/fake-anthropic';
import { appendLineTurn, approvingManager, forcedTool, taskOf } from '../test/integration/pipeline/support';

const TASKS = Number(process.argv[2] ?? 8);
const LATENCY_MS = Number(process.argv[3] ?? 1_500);
const WORKERS = 4;

interface Measured {
  readonly makespanMs: number;
  readonly attempts: number;
  readonly resolutions: number;
  readonly done: number;
}

async function measure(file: (taskId: string) => string): Promise<Measured> {
  const fake = await startFakeAnthropic();
  const repo = makeTempGitRepo('co-bench-merge-');
  const home = makeTempDir('co-bench-merge-home-');
  const slow = (reply: FakeReply): FakeReply => ({ ...reply, delayMs: LATENCY_MS });
  fake.script({ respond: (request: RecordedRequest) => { const reply = approvingManager(request); return reply === undefined ? undefined : slow(reply); } });
  fake.script({ match: matchers.hasTools, respond: (request) => slow(appendLineTurn(request, file(taskOf(request) ?? '0'), `note ${taskOf(request) ?? '?'}`)) });
  writeFileSync(join(repo.path, 'orchestrator_config.json'), JSON.stringify({ models: { enable_opus_review: true }, execution: { max_workers: WORKERS, max_retries: 8, task_timeout: 600 }, monitoring: { checkpoint_before_run: false } }));
  const runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
  try {
    runtime.orchestrator.addTasksBatch(Array.from({ length: TASKS }, (_, index) => ({ title: `Note ${index + 1}` })));
    const started = performance.now();
    await runtime.run();
    const makespanMs = performance.now() - started;
    const tasks = runtime.orchestrator.listTasks();
    return {
      makespanMs,
      attempts: tasks.reduce((sum, task) => sum + task.attempts, 0),
      resolutions: fake.messageRequests().filter((request) => forcedTool(request) === 'resolve_conflict').length,
      done: tasks.filter((task) => task.status === 'done').length,
    };
  } finally {
    await runtime.close();
    await fake.close();
    repo.cleanup();
    home.cleanup();
  }
}

const free = await measure((taskId) => `note-${taskId}.md`);
const heavy = await measure(() => 'notes.md');
const row = (name: string, m: Measured) => `${name.padEnd(16)} ${(m.makespanMs / 1000).toFixed(1).padStart(8)} s  ${String(m.done).padStart(4)}/${TASKS} done  ${String(m.attempts).padStart(8)} attempts  ${String(m.resolutions).padStart(11)} resolutions`;
console.log(`${TASKS} tasks, ${WORKERS} workers, ${LATENCY_MS} ms per model reply, review on\n`);
console.log(`${'plan'.padEnd(16)} ${'makespan'.padStart(10)}  ${'tasks'.padStart(10)}  ${'attempts'.padStart(8)}  ${'manager merges'.padStart(11)}`);
console.log(row('no conflicts', free));
console.log(row('one shared file', heavy));
console.log(`\nratio ${(heavy.makespanMs / free.makespanMs).toFixed(2)}× (goal ≤ 1.5×)`);
