/**
 * Final-review size benchmark: the finish stage's review of runs of 10, 50 and 100 tasks whose
 * every task changed 30 files of 400 lines (real git repositories, real commits), against the fake
 * Messages API with the real SDK. Prints what the review and the follow-up planning sent (input
 * tokens as the fake server estimates them, ~4 characters a token) next to the size of the whole
 * diff it did not send. Budget (docs/BENCHMARKS.md): the review call stays under 32k input tokens
 * whatever the run's size. Run: npx tsx bench/final-review.bench.ts [task counts, e.g. 10,50,100]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manager, type UsageReport } from '../src-main/agents/manager';
import { finalReviewOfRun } from '../src-main/pipeline/stage-finish-review';
import { Store } from '../src-main/store/store';
import { TEST_API_KEY, startFakeAnthropic, toolUseReply, type RecordedRequest } from '../test/support/fake-anthropic';

const COUNTS = (process.argv[2] ?? '10,50,100').split(',').map(Number);
const FILES_PER_TASK = 30;
const LINES_PER_FILE = 400;
/** The documented budget of the review call (input tokens). */
const REVIEW_BUDGET_TOKENS = 32_000;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 }).trim();
}

/** A repository with one commit per task, each changing FILES_PER_TASK files, and a store that records the run. */
function seedRun(count: number): { readonly dir: string; readonly store: Store; readonly runId: string; readonly wholeDiffChars: number } {
  const dir = mkdtempSync(join(tmpdir(), 'co-bench-final-'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@localhost');
  writeFileSync(join(dir, 'README.md'), '# shop\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  const base = git(dir, 'rev-parse', 'HEAD');
  const store = Store.open(join(dir, '.orchestrator', 'state.db'));
  const runId = `bench-${count}`;
  const prd = Array.from({ length: 400 }, (_, index) => `## Requirement ${index + 1}\nThe shop must handle case ${index + 1} correctly, validate input and report errors as JSON.`).join('\n\n');
  store.write(() => {
    store.meta.set('goal', 'Build the tiny shop end to end');
    store.meta.set('masterPlan', prd);
    store.runs.insert({ id: runId, goal: 'Build the tiny shop end to end', owner: 'bench', maxWorkers: 4, taskIds: null, startedAt: 1 });
  });
  let previous = base;
  for (let index = 1; index <= count; index += 1) {
    const folder = join(dir, 'src', `feature-${index}`);
    mkdirSync(folder, { recursive: true });
    for (let file = 0; file < FILES_PER_TASK; file += 1) {
      writeFileSync(join(folder, `part-${file}.ts`), Array.from({ length: LINES_PER_FILE }, (_, line) => `export const value${line} = ${index * line}; // feature ${index}`).join('\n'));
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `[orchestrator] Task ${index}`);
    const work = git(dir, 'rev-parse', 'HEAD');
    const id = String(index);
    store.write(() => {
      store.db
        .prepare(`INSERT INTO tasks (id, id_key, title, description, acceptance, priority, priority_rank, status, result, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'medium', 2, 'done', ?, 1, 1)`)
        .run(
          id,
          id.padStart(8, '0'),
          `Feature ${index}: the shop handles its part ${index}`,
          `Implement feature ${index}.`,
          JSON.stringify([`GET /feature/${index} answers 200 with the list`, `invalid input to /feature/${index} answers 400 with a JSON error code`, `feature ${index} is covered by integration tests`, `the docs describe feature ${index}`]),
          JSON.stringify({ output: `Implemented feature ${index} in src/feature-${index} with tests. ${'All checks pass. '.repeat(40)}`, filesModified: [], filesCreated: [], error: null, discoveryIds: [], subtasksCreated: [] }),
        );
      store.attempts.insert({ id: `attempt-${index}`, taskId: id, runId, number: 1, backend: 'claude-cli', workerOwner: 'bench' }, 2);
      store.attempts.setWorkspace(`attempt-${index}`, { commitBefore: previous, workCommit: work });
      store.attempts.finish(`attempt-${index}`, { status: 'succeeded', output: 'ok', review: 'approve' }, 3);
    });
    previous = work;
  }
  store.write(() => {
    store.integrations.insert({ runId, branch: 'orchestrator/bench', baseCommit: base, owner: 'bench' }, 4);
    store.integrations.setTip(runId, previous, 5);
    store.runs.finish(runId, 'succeeded', 'done', 6);
  });
  const wholeDiffChars = git(dir, 'diff', base, previous).length;
  return { dir, store, runId, wholeDiffChars };
}

/** The fake manager: judges every criterion (every tenth task misses one) and proposes two follow-ups. */
function reply(request: RecordedRequest) {
  const tool = (request.body as { tool_choice?: { name?: string } } | undefined)?.tool_choice?.name;
  const text = JSON.stringify(request.body?.messages ?? []);
  if (tool === 'submit_final_review') {
    const ids = [...text.matchAll(/id: (\d+)\\n/g)].map((match) => Number(match[1]));
    const criteria = ids.flatMap((id) => [1, 2, 3, 4].map((criterion) => ({ task_id: id, criterion, met: !(id % 10 === 0 && criterion === 3), ...(id % 10 === 0 && criterion === 3 ? { note: 'no integration test covers it' } : {}) })));
    return toolUseReply('submit_final_review', { verdict: 'partially_met', summary: 'Most features are complete; some lack integration tests.', criteria, gaps: ['The PRD asks for an admin page that no task covers'] });
  }
  const task = (id: number) => ({ id, title: `Follow-up ${id}`, description: 'Close a gap.', details: 'Add the missing tests.', acceptance_criteria: ['the tests exist'], test_strategy: 'Run them.', priority: 'medium', dependencies: [] });
  return toolUseReply('analyze_and_plan', { additions: [task(1000), task(1001)] });
}

const fake = await startFakeAnthropic();
fake.script({ respond: reply });
const originalWarn = console.warn;
console.warn = () => undefined;
const inputTokens = (report: UsageReport): number => report.usage.inputTokens + report.usage.cacheCreationInputTokens + report.usage.cacheReadInputTokens;
console.log(`Each task changed ${FILES_PER_TASK} files of ${LINES_PER_FILE} lines; the PRD is cut to its first 24,000 characters. Tokens as the fake Messages API estimates them (~4 characters a token).\n`);
console.log('tasks  whole diff (tokens)  review input  review output  follow-up input  follow-up output  total input  cost_usd (claude-opus-4-6)  within budget');
try {
  for (const count of COUNTS) {
    const seeded = seedRun(count);
    const reports: UsageReport[] = [];
    const manager = new Manager({ apiKey: TEST_API_KEY, baseURL: fake.url, model: 'claude-opus-4-6', onUsage: (report) => reports.push(report) });
    try {
      const review = await finalReviewOfRun({ projectDir: seeded.dir, store: seeded.store, enabled: true, manager: () => manager }, seeded.runId);
      if (review.status !== 'reviewed') throw new Error(`the review did not run: ${review.note}`);
      const [reviewCall, followUpCall] = reports;
      if (reviewCall === undefined) throw new Error('no review call');
      const total = reports.reduce((sum, report) => sum + inputTokens(report), 0);
      const cost = reports.reduce((sum, report) => sum + report.costUsd, 0);
      console.log(
        [
          String(count).padStart(5),
          String(Math.round(seeded.wholeDiffChars / 4)).padStart(19),
          String(inputTokens(reviewCall)).padStart(12),
          String(reviewCall.usage.outputTokens).padStart(13),
          String(followUpCall === undefined ? 0 : inputTokens(followUpCall)).padStart(15),
          String(followUpCall?.usage.outputTokens ?? 0).padStart(16),
          String(total).padStart(11),
          cost.toFixed(4).padStart(26),
          inputTokens(reviewCall) <= REVIEW_BUDGET_TOKENS ? '  yes' : '  NO',
        ].join('  '),
      );
    } finally {
      seeded.store.close();
      rmSync(seeded.dir, { recursive: true, force: true });
    }
  }
} finally {
  console.warn = originalWarn;
  await fake.close();
}
