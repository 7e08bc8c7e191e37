import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { agentServeFixture, type AgentServe } from './fixtures';
import { matchers, textReply, toolUseReply, type RecordedRequest } from '../support/fake-anthropic';
import { afterToolResult, forcedTool, writeFileTurn } from '../integration/runtime/pipeline-support';

const SHOTS = 'test-results/screenshots';

const test = base.extend<object, { agents: AgentServe }>({
  agents: agentServeFixture('co-e2e-summary-home-'),
});

async function addTask(page: Page, title: string, criterion: string): Promise<void> {
  await page.getByRole('button', { name: 'Add task' }).click();
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Acceptance criteria (one per line)').fill(criterion);
  await form.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('table', { name: 'Tasks' })).toContainText(title);
}

test.describe('the run summary and insights in the browser app, with the real Claude Code CLI', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-summary-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    await writeFile(join(folder, 'README.md'), '# Greeter\n');
    // Final review on with the per-attempt review off: an attempt that changes nothing is sent back without asking the manager.
    await writeFile(join(folder, 'orchestrator_config.json'), JSON.stringify({ models: { final_review: true, enable_opus_review: false }, execution: { max_workers: 1 } }));
    git('add', '.');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'initial');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('the Run view shows the summary with its final review; follow-ups are added only when accepted; lessons can be edited and deleted', async ({ page, agents }) => {
    test.setTimeout(240_000);
    const { fake, serve } = agents;
    fake.script({
      respond: (request) => {
        if (forcedTool(request) === 'submit_final_review') {
          return toolUseReply('submit_final_review', {
            verdict: 'partially_met',
            summary: 'Both files exist; the goodbye is curt.',
            criteria: [
              { task_id: 1, criterion: 1, met: true },
              { task_id: 2, criterion: 1, met: false, note: 'it only says bye' },
            ],
          });
        }
        if (forcedTool(request) === 'analyze_and_plan') {
          return toolUseReply('analyze_and_plan', {
            additions: [{ id: 3, title: 'Polite farewell', description: 'Make the goodbye polite.', details: 'Rewrite bye.txt.', acceptance_criteria: ['bye.txt thanks the reader'], test_strategy: 'Read it.', priority: 'medium', dependencies: [2] }],
          });
        }
        return undefined;
      },
    });
    // Greeting's first two attempts change nothing (twice the same failure: a lesson); the third writes the file.
    let greetingAttempts = 0;
    fake.script({
      match: matchers.hasTools,
      respond: (request: RecordedRequest) => {
        const text = JSON.stringify(request.body?.messages ?? '');
        if (text.includes('Carry out task 2:')) return writeFileTurn(request, 'bye.txt', 'bye\n');
        if (!afterToolResult(request)) greetingAttempts += 1;
        return greetingAttempts >= 3 ? writeFileTurn(request, 'greet.txt', 'hello\n') : textReply('Nothing to change.');
      },
    });
    await mkdir(SHOTS, { recursive: true });

    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await addTask(page, 'Greeting', 'greet.txt says hello');
    await addTask(page, 'Farewell', 'bye.txt is polite');

    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText(/Running/, { timeout: 30_000 });
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle', { timeout: 180_000 });

    // The summary, at the top of the Run view, once the finish stage has stored it.
    const summary = page.getByRole('region', { name: 'Run summary' });
    await expect(summary).toContainText('Last run succeeded · 2 done, 0 failed', { timeout: 60_000 });
    await expect(summary.getByLabel('Final review')).toHaveText('Final review: partially met — 1 of 2 criteria met. Both files exist; the goodbye is curt.');
    await expect(summary.getByRole('list', { name: 'Criteria not met' })).toHaveText('Task 2: bye.txt is polite — it only says bye');
    const proposal = summary.getByRole('group', { name: 'Proposed follow-up tasks' });
    await expect(proposal).toContainText('nothing is added until you accept');
    await expect(proposal).toContainText('Polite farewell — Make the goodbye polite.');
    await page.screenshot({ path: `${SHOTS}/run-summary.png`, fullPage: true });

    // Proposed only: the task table does not have it until Accept.
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await expect(page.getByRole('table', { name: 'Tasks' })).not.toContainText('Polite farewell');
    await page.getByRole('tab', { name: 'Run' }).click();
    await proposal.getByRole('button', { name: 'Accept the task' }).click();
    await expect(proposal.getByRole('status')).toHaveText('Added as tasks 3.');
    await expect(summary.getByRole('heading')).toBeFocused();
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await expect(page.getByRole('table', { name: 'Tasks' })).toContainText('Polite farewell');

    // Insights: the failure that recurred, and the lesson it taught, which the user edits and then deletes.
    await page.getByRole('tab', { name: 'Insights' }).click();
    const causes = page.getByRole('table', { name: 'Recurring failure causes' });
    await expect(causes.getByRole('row', { name: /the attempt changed no file/ })).toContainText('2');
    await expect(page.getByRole('table', { name: 'Tasks that needed the most attempts' })).toContainText('Greeting');
    const lessons = page.getByRole('list', { name: 'Lesson list' });
    await expect(lessons).toContainText('2 earlier attempts ended with: the attempt changed no file. Make the file changes the task asks for before you finish.');
    await expect(lessons).toContainText('Source: 2 failed attempts · task 1');
    await page.screenshot({ path: `${SHOTS}/insights.png`, fullPage: true });
    await lessons.getByRole('button', { name: /^Edit lesson/ }).click();
    const editor = page.getByRole('form', { name: /^Edit lesson/ });
    await editor.getByLabel('Lesson text').fill('Always change greet.txt before finishing.');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(lessons).toContainText('Always change greet.txt before finishing.');
    await expect(lessons).toContainText('edited');
    await lessons.getByRole('button', { name: /^Delete lesson/ }).click();
    await expect(page.getByRole('region', { name: 'Lessons' })).toContainText('No lessons yet.');
    await expect(page.getByRole('heading', { name: 'Lessons for later workers' })).toBeFocused();
  });
});
