import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { agentServeFixture, type AgentServe } from './fixtures';
import { makeRepository, openProject } from './helpers';
import { matchers, toolUseReply } from '../support/fake-anthropic';
import { forcedTool, writeFileTurn } from '../integration/runtime/pipeline-support';

const test = base.extend<object, { agents: AgentServe }>({
  agents: agentServeFixture('co-e2e-finishing-home-'),
});

/** What the user's branch holds at `file` (null: not there). */
function onBranch(folder: string, branch: string, file: string): string | null {
  try {
    return execFileSync('git', ['show', `${branch}:${file}`], { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

async function addTask(page: Page, title: string, criterion: string): Promise<void> {
  await page.getByRole('button', { name: 'Add task' }).click();
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Acceptance criteria (one per line)').fill(criterion);
  await form.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('table', { name: 'Tasks' })).toContainText(title);
}

test.describe('the Run view while a run finishes, with the real Claude Code CLI', () => {
  let folder: string;
  /** Lets the held final review answer (also after a failure, so the host can stop). */
  let releaseReview = (): void => undefined;
  test.beforeEach(async ({ page }) => {
    folder = await makeRepository('co-e2e-finishing-');
    execFileSync('git', ['branch', '-m', 'main', 'trunk'], { cwd: folder });
    // The final review on, the per-attempt review off: the manager is asked once, at the end.
    await writeFile(join(folder, 'orchestrator_config.json'), JSON.stringify({ models: { final_review: true, enable_opus_review: false }, execution: { max_workers: 1 } }));
    execFileSync('git', ['add', 'orchestrator_config.json'], { cwd: folder });
    execFileSync('git', ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-qm', 'config'], { cwd: folder, stdio: 'ignore' });
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    releaseReview();
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('says "merging into <branch>", then "final review", and shows the outcome only once the finish stage stored it; review off is said as such', async ({ page, agents }) => {
    test.setTimeout(240_000);
    const { fake, serve } = agents;
    const reviewHeld = new Promise<void>((resolve) => {
      releaseReview = resolve;
    });
    fake.script({
      respond: (request) =>
        forcedTool(request) === 'submit_final_review'
          ? toolUseReply('submit_final_review', { verdict: 'met', summary: 'greet.txt says hello.', criteria: [{ task_id: 1, criterion: 1, met: true }] }, { holdUntil: reviewHeld })
          : undefined,
    });
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, 'greet.txt', 'hello\n') });
    // Another orchestrator process "is merging into the branch": the final merge waits for this lock.
    const mergeLock = join(folder, '.git', 'orchestrator-merge.lock');
    await writeFile(mergeLock, JSON.stringify({ pid: process.pid, since: Date.now() }));

    await openProject(page, serve.url, folder);
    await addTask(page, 'Greeting', 'greet.txt says hello');
    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();

    // The scheduler is done, the merge waits: the app says so, and no outcome is shown.
    const finishing = page.getByRole('status', { name: 'Finishing the run' });
    await expect(finishing).toHaveText("Merging the run's work into trunk…", { timeout: 180_000 });
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Finishing');
    await expect(page.getByRole('region', { name: 'Run summary' })).toHaveCount(0);
    expect(onBranch(folder, 'trunk', 'greet.txt')).toBeNull();
    await page.screenshot({ path: 'test-results/screenshots/run-finishing-merge.png', fullPage: true });

    // The merge goes through; the final review's reply is held at the fake server.
    await rm(mergeLock);
    await expect(finishing).toHaveText(/^Final review: the manager checks the run's work/, { timeout: 60_000 });
    expect(onBranch(folder, 'trunk', 'greet.txt')).toBe('hello\n');
    await expect(page.getByRole('region', { name: "Where the run's work is" })).toContainText("Merged the run's approved work into your current branch");
    await expect(page.getByRole('region', { name: 'Run summary' })).toHaveCount(0);
    // A page opened mid-finish says the same (runs.status reports the step).
    await openProject(page, serve.url, folder);
    await page.getByRole('tab', { name: 'Run' }).click();
    await expect(page.getByRole('status', { name: 'Finishing the run' })).toHaveText(/^Final review: /);
    await expect(page.getByRole('region', { name: 'Run summary' })).toHaveCount(0);

    // The review answers: the stored outcome replaces the in-between state.
    releaseReview();
    const summary = page.getByRole('region', { name: 'Run summary' });
    await expect(summary).toContainText('Last run succeeded · 1 done, 0 failed', { timeout: 60_000 });
    await expect(summary.getByLabel('Final review')).toHaveText('Final review: met — 1 of 1 criteria met. greet.txt says hello.');
    await expect(page.getByRole('status', { name: 'Finishing the run' })).toHaveCount(0);
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle');

    // The per-attempt review was off: the task's Review section says so, not that the manager approved.
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: /Greeting/ }).click();
    const review = page.getByRole('complementary', { name: /Greeting/ }).getByRole('region', { name: 'Review' });
    await expect(review).toContainText('Review off: not reviewed by the manager');
    await expect(review).not.toContainText('approved');
  });
});
