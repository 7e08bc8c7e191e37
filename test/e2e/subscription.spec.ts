import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, toolUseReply, type FakeAnthropic, type RecordedRequest } from '../support/fake-anthropic';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { forcedTool, writeFileTurn } from '../integration/runtime/pipeline-support';

const LOGIN = 'sk-ant-oat01-e2e-subscription-login';

/** A `co serve` with no API key anywhere: the manager and the workers use Claude Code's login (CLAUDE_CODE_OAUTH_TOKEN). */
const test = base.extend<object, { subscription: { readonly fake: FakeAnthropic; readonly serve: ServeProcess } }>({
  subscription: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const fake = await startFakeAnthropic({ validApiKeys: [LOGIN] });
      const home = makeTempDir('co-e2e-subscription-home-');
      const env: Record<string, string> = { ...claudeTestEnv(fake, home.path), CLAUDE_CODE_OAUTH_TOKEN: LOGIN, ANTHROPIC_API_KEY: '' };
      const serve = await startServeProcess(env);
      await use({ fake, serve });
      await serve.stop();
      await fake.close();
      home.cleanup();
    },
    { scope: 'worker' },
  ],
});

function modelTask(id: number, title: string, file: string, dependencies: number[]) {
  return { id, title, description: `${title}.`, details: `Write ${file}.`, acceptance_criteria: [`${file} exists`], test_strategy: 'Read it.', priority: 'medium', dependencies };
}

test.describe('on a Claude subscription in the browser app', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-subscription-'));
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

  test('plans, runs and reviews through Claude Code with no API key; costs are labelled estimated', async ({ page, subscription }) => {
    test.setTimeout(240_000);
    const { fake, serve } = subscription;
    fake.script({
      respond: (request: RecordedRequest) => {
        switch (forcedTool(request)) {
          case 'parse_prd':
            return toolUseReply('parse_prd', { tasks: [modelTask(1, 'Greeting', 'greet.txt', []), modelTask(2, 'Farewell', 'bye.txt', [1])] });
          case 'submit_review':
            return toolUseReply('submit_review', { verdict: 'approve' });
          case 'submit_final_review':
            return toolUseReply('submit_final_review', { verdict: 'met', summary: 'Both files exist.', criteria: [] });
          default:
            return undefined;
        }
      },
    });
    fake.script({
      match: matchers.hasTools,
      respond: (request: RecordedRequest) =>
        JSON.stringify(request.body?.messages ?? '').includes('Carry out task 2:') ? writeFileTurn(request, 'bye.txt', 'bye\n') : writeFileTurn(request, 'greet.txt', 'hello\n'),
    });

    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await page.getByRole('textbox', { name: 'PRD' }).click();
    await page.keyboard.type('# Greeter\n\n1. Greeting in greet.txt.\n2. Farewell in bye.txt.');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const preview = page.getByRole('table', { name: 'Proposed tasks' });
    await expect(preview.getByRole('row')).toHaveCount(3, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Accept 2 tasks' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added 2 tasks' })).toBeVisible();

    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText(/Running/, { timeout: 30_000 });
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle', { timeout: 180_000 });
    const summary = page.getByRole('region', { name: 'Run summary' });
    await expect(summary).toContainText('Last run succeeded · 2 done, 0 failed', { timeout: 60_000 });
    await expect(summary.getByRole('heading')).toContainText('(estimated)');

    // Planning, both reviews and the final review went through Claude Code's structured output, on the login.
    const requests = fake.messageRequests();
    const structured = (tool: string) => requests.filter((request) => forcedTool(request) === tool && request.body?.tools?.some((offered) => offered.name === 'StructuredOutput')).length;
    expect(structured('parse_prd')).toBeGreaterThan(0);
    expect(structured('submit_review')).toBeGreaterThanOrEqual(2);
    for (const request of requests) {
      expect(request.headers['authorization']).toBe(`Bearer ${LOGIN}`);
      expect(request.headers['x-api-key']).toBeUndefined();
    }
    // The stored summary (after the finish stage's merge into the user's branch) replaces the one composed when the run ended.
    await expect(summary).toContainText("Merged the run's approved work into your current branch", { timeout: 60_000 });
    expect(execFileSync('git', ['show', 'main:bye.txt'], { cwd: folder, encoding: 'utf8' })).toBe('bye\n');

    await page.getByRole('tab', { name: 'Usage' }).click();
    await expect(page.getByLabel('Usage totals')).toContainText('(estimated)');
  });
});
