/**
 * Plan preview benchmark (issue 15): a 150-task plan from the manager (the fake Messages API) in
 * the Plan tab, in Chromium against the built `co serve`. Measures, per run, the time from the
 * manager's answer arriving to all 151 rows of the preview drawn (goal < 1 s), and the time to
 * find a task by search and check it as a dependency. Prints figures; asserts nothing.
 * Run: npm run bench:plan-preview   (builds first)   Env: CO_BENCH_RUNS (default 5).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium';
import { startFakeAnthropic, toolUseReply } from '../test/support/fake-anthropic';
import { startServeProcess } from '../test/support/serve-process';
import { spread } from './renderer-bench-support';

const RUNS = Number(process.env['CO_BENCH_RUNS'] ?? 5);
const TASKS = 150;

function modelTask(id: number): Record<string, unknown> {
  return { id, title: `Feature ${id}`, description: `Feature ${id} of the app.`, details: `Build feature ${id}.`, acceptance_criteria: [`feature ${id} works`], test_strategy: 'Tests.', priority: 'medium', dependencies: id === 1 ? [] : [Math.ceil(id / 2)] };
}

async function main(): Promise<void> {
  const fake = await startFakeAnthropic({ validApiKeys: ['sk-ant-bench'] });
  const serve = await startServeProcess({ ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-bench' });
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
  const shown: number[] = [];
  const edited: number[] = [];
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const folder = await mkdtemp(join(tmpdir(), 'co-bench-preview-'));
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: folder });
      await writeFile(join(folder, 'README.md'), '# Big app\n');
      execFileSync('git', ['add', '.'], { cwd: folder });
      execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'initial'], { cwd: folder });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(serve.url);
      await page.getByLabel('Project folder').fill(folder);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      await page.getByRole('tab', { name: 'Plan' }).click();
      await page.getByRole('textbox', { name: 'PRD' }).click();
      await page.keyboard.type('# Big app\n\nOne hundred and fifty features.');
      fake.enqueue(toolUseReply('parse_prd', { tasks: Array.from({ length: TASKS }, (_, index) => modelTask(index + 1)) }));
      // From the manager's answer leaving the fake server to the last row drawn.
      const before = fake.requests.length;
      const answered = fake.waitForRequest((request) => request.index >= before && request.method === 'POST' && request.path === '/v1/messages').then(() => performance.now());
      await page.getByRole('button', { name: 'Plan', exact: true }).click();
      const preview = page.getByRole('table', { name: 'Proposed tasks' });
      await preview.getByRole('row').nth(TASKS).waitFor();
      const drawn = performance.now();
      shown.push(drawn - (await answered));

      const row = preview.getByRole('group', { name: 'Dependencies of task 140' });
      const editStart = performance.now();
      await row.getByRole('searchbox', { name: 'Find a task for task 140 to depend on' }).fill('Feature 13');
      await row.getByRole('checkbox', { name: 'Task 140 depends on task 13', exact: true }).check();
      edited.push(performance.now() - editStart);
      await page.close();
      await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  } finally {
    await browser.close();
    await serve.stop();
    await fake.close();
  }
  const show = spread(shown);
  const edit = spread(edited);
  console.log(`plan preview, ${TASKS} tasks, ${RUNS} runs · ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}`);
  console.log(`  answer → ${TASKS + 1} rows drawn: min ${show.min.toFixed(0)} ms · median ${show.median.toFixed(0)} ms · max ${show.max.toFixed(0)} ms (goal < 1,000 ms)`);
  console.log(`  search and check one dependency: min ${edit.min.toFixed(0)} ms · median ${edit.median.toFixed(0)} ms · max ${edit.max.toFixed(0)} ms`);
}

await main();
