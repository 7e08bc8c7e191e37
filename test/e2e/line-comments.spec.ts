import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { matchers } from '../support/fake-anthropic';
import { requestText, writeFileTurn } from '../integration/runtime/pipeline-support';
import { agentServeFixture, type AgentServe } from './fixtures';

const SHOTS = 'test-results/screenshots';

/** `co serve` whose Claude Code workers talk to a fake Anthropic server, with an isolated HOME for the CLI. */
const test = base.extend<object, { agents: AgentServe }>({
  agents: agentServeFixture('co-e2e-comments-home-'),
});

test.describe('line comments on a diff reach the next attempt', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-comments-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    await writeFile(join(folder, 'README.md'), '# Greeter\n');
    // The person reviews here, not the manager.
    await writeFile(join(folder, 'orchestrator_config.json'), JSON.stringify({ models: { enable_opus_review: false } }));
    git('add', '.');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'initial');
    await page.setViewportSize({ width: 1400, height: 1000 });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('comment on two lines of the diff, request changes: the next attempt’s prompt has both, with file and line', async ({ page, agents }) => {
    test.setTimeout(240_000);
    const { fake, serve } = agents;
    // The second attempt writes a new file: Claude Code's Write refuses an existing file it has not read.
    const worker = fake.script({
      match: matchers.hasTools,
      respond: (request) =>
        requestText(request).includes('Line comments on the previous attempt') ? writeFileTurn(request, 'greet-ada.txt', 'Hello, Ada\nGoodbye\n') : writeFileTurn(request, 'greet.txt', 'Hello\nWorld\n'),
    });
    await mkdir(SHOTS, { recursive: true });

    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Write the greeting');
    await page.getByRole('form', { name: 'New task' }).getByRole('button', { name: 'Create task' }).click();

    /** Starts a run and waits until the worker has answered its attempt (two turns: write, then done) and the run is over. */
    const runOnce = async () => {
      const before = worker.answered.length;
      await page.getByRole('tab', { name: 'Run' }).click();
      await page.getByRole('button', { name: 'Start run' }).click();
      await expect.poll(() => worker.answered.length, { timeout: 120_000 }).toBeGreaterThanOrEqual(before + 2);
      await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle', { timeout: 120_000 });
      await page.getByRole('tab', { name: 'Tasks' }).click();
    };
    await runOnce();
    const table = page.getByRole('table', { name: 'Tasks' });
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('done');
    await table.getByRole('row', { name: /Write the greeting/ }).click();
    const review = page.getByRole('region', { name: 'Review' });
    const diff = review.getByRole('region', { name: 'Diff of attempt 1' });
    await expect(diff).toContainText('World');

    // Line 1 with the mouse; line 2 from the keyboard (its number is a button).
    await diff.getByRole('button', { name: 'Comment on greet.txt line 1' }).click();
    await diff.getByRole('textbox', { name: 'Your comment on greet.txt line 1' }).fill('Greet the user by name.');
    await diff.getByRole('button', { name: 'Add comment' }).click();
    await expect(diff).toContainText('line 1: Greet the user by name.');
    await diff.getByRole('button', { name: 'Comment on greet.txt line 2' }).focus();
    await page.keyboard.press('Enter');
    await expect(diff.getByRole('textbox', { name: 'Your comment on greet.txt line 2' })).toBeFocused();
    await page.keyboard.type('Say goodbye instead.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const comments = review.getByRole('list', { name: 'Line comments on attempt 1' });
    await expect(comments.getByRole('listitem')).toHaveCount(2);
    await expect(comments).toContainText('greet.txt, line 2');
    await expect(comments).toContainText('Say goodbye instead.');
    await page.screenshot({ path: `${SHOTS}/line-comments.png`, fullPage: true });

    // Request changes with the comments alone: the task goes back, and the next run's attempt is told.
    await expect(review.getByLabel('Feedback (sent with your 2 line comments)')).toBeVisible();
    await review.getByRole('button', { name: 'Request changes' }).click();
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('ready');
    const firstAttemptRequests = worker.answered.length;
    await runOnce();
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('done');

    const prompt = requestText(worker.answered[firstAttemptRequests] ?? fail('the second attempt sent no request'));
    expect(prompt).toContain('greet.txt, line 1');
    expect(prompt).toContain('Greet the user by name.');
    expect(prompt).toContain('greet.txt, line 2');
    expect(prompt).toContain('Say goodbye instead.');
    expect(prompt).toContain('World');

    // The comments stay on the attempt they were made on.
    await table.getByRole('row', { name: /Write the greeting/ }).click();
    await review.getByLabel('Attempt').selectOption({ label: '#1' });
    await expect(review.getByRole('list', { name: 'Line comments on attempt 1' }).getByRole('listitem')).toHaveCount(2);
  });
});

function fail(message: string): never {
  throw new Error(message);
}
