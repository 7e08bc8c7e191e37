import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { agentServeFixture, type AgentServe } from './fixtures';
import { dropFile } from './helpers';
import { matchers, toolUseReply } from '../support/fake-anthropic';
import { forcedTool, writeFileTurn } from '../integration/runtime/pipeline-support';

const SHOTS = 'test-results/screenshots';

/** `co serve` whose manager and Claude Code workers talk to a fake Anthropic server, with an isolated HOME for the CLI. */
const test = base.extend<object, { journey: AgentServe }>({
  journey: agentServeFixture('co-e2e-journey-home-'),
});

function planTask(id: number, title: string, file: string, dependencies: number[]) {
  return { id, title, description: `Create ${file}.`, details: `Write ${file}.`, acceptance_criteria: [`${file} exists`], test_strategy: 'Look at the file.', priority: 'high', dependencies };
}

test.describe('the whole journey in the browser app, with the real Claude Code CLI', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-journey-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    await writeFile(join(folder, 'README.md'), '# Greeter\n');
    await writeFile(join(folder, 'orchestrator_config.json'), JSON.stringify({ models: { enable_opus_review: true }, execution: { max_workers: 2 } }));
    git('add', '.');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'initial');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('open → drop a PRD → plan → edit → run with live logs → review the diff → roll back', async ({ page, journey }) => {
    test.setTimeout(180_000);
    const { fake, serve } = journey;
    fake.script({
      respond: (request) => {
        if (forcedTool(request) === 'parse_prd') return toolUseReply('parse_prd', { tasks: [planTask(1, 'Greeting', 'greet.txt', []), planTask(2, 'Farewell', 'bye.txt', [1])] });
        if (forcedTool(request) === 'submit_review') return toolUseReply('submit_review', { verdict: 'approve' });
        return undefined;
      },
    });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const text = JSON.stringify(request.body?.messages ?? '');
        if (text.includes('Carry out task 2:')) return writeFileTurn(request, 'bye.txt', 'bye\n');
        // The first worker reports a finding for later tasks, in the fenced block workers are asked for.
        return writeFileTurn(request, 'greet.txt', 'hello\n', `Wrote greet.txt.\n\n\`\`\`discoveries\n${JSON.stringify([{ summary: 'Greetings end with a newline', tags: ['style'], files: ['greet.txt'] }])}\n\`\`\`\n`);
      },
    });
    await mkdir(SHOTS, { recursive: true });

    // Open the project and drop a PRD on the window.
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await dropFile(page, '.cm-content', 'greeter.md', '# Greeter\n\nSay hello, then say goodbye.\n');
    await expect(page.getByRole('textbox', { name: 'PRD' })).toContainText('Say hello, then say goodbye.');

    // Plan, edit the proposal, accept.
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const preview = page.getByRole('table', { name: 'Proposed tasks' });
    await expect(preview.getByRole('row')).toHaveCount(3);
    await preview.getByRole('textbox', { name: 'Title of task 2' }).fill('Farewell message');
    await page.getByRole('button', { name: 'Accept 2 tasks' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added 2 tasks' })).toBeVisible();

    // The graph shows both tasks.
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect(page.getByText('Farewell message').first()).toBeVisible();

    // Run: logs stream live from the real workers, and the run ends with both tasks done.
    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    const log = page.getByRole('log', { name: 'Live log of all workers' });
    await expect(log).toContainText('greet.txt', { timeout: 60_000 });
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle', { timeout: 120_000 });
    await page.screenshot({ path: `${SHOTS}/journey-run.png`, fullPage: true });

    // The approved work is merged into the user's branch once the run has finished.
    await expect.poll(() => readFile(join(folder, 'bye.txt'), 'utf8').catch(() => ''), { timeout: 30_000 }).toBe('bye\n');
    expect(await readFile(join(folder, 'greet.txt'), 'utf8')).toBe('hello\n');

    // Review: the attempt's diff and the manager's verdict.
    await page.getByRole('tab', { name: 'Tasks' }).click();
    const tasks = page.getByRole('table', { name: 'Tasks' });
    await expect(tasks.getByRole('row', { name: /Greeting/ })).toContainText('done');
    await tasks.getByRole('row', { name: /Greeting/ }).click();
    const review = page.getByRole('region', { name: 'Review' });
    await expect(review).toContainText('greet.txt');
    await expect(review).toContainText(/approve/i);
    // What the worker found for later tasks is shown with the task.
    const discoveries = page.getByRole('list', { name: 'Discoveries' });
    await expect(discoveries).toContainText('Greetings end with a newline');
    await expect(discoveries).toContainText('greet.txt');
    await page.screenshot({ path: `${SHOTS}/journey-review.png`, fullPage: true });

    // Roll back to the checkpoint taken before the run: the files are gone again.
    await page.getByRole('tab', { name: 'Checkpoints' }).click();
    const list = page.getByRole('table', { name: 'Checkpoint list' });
    await list.getByRole('button', { name: 'Roll back… to Before run' }).click();
    const panel = page.getByRole('complementary', { name: /Roll back to/ });
    await panel.getByRole('button', { name: 'Preview' }).click();
    await expect(panel.getByRole('list', { name: 'Files that change' })).toContainText('greet.txt');
    await panel.getByRole('button', { name: 'Roll back', exact: true }).click();
    await panel.getByRole('group', { name: 'Confirm rollback' }).getByRole('button', { name: 'Confirm roll back' }).click();
    await expect(panel.getByRole('status', { name: 'Rollback result' })).toContainText('Undo with checkpoint');
    expect(existsSync(join(folder, 'greet.txt'))).toBe(false);
    expect(existsSync(join(folder, 'bye.txt'))).toBe(false);
  });
});
