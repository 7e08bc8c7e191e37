import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, TEST_API_KEY, textReply, type FakeAnthropic } from '../support/fake-anthropic';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { requestText, writeFileTurn } from '../integration/runtime/pipeline-support';

const TOKEN = 'ghp_e2eBrowserToken0123456789abcdefghijklmn';
const MANAGER_SUMMARY = 'Greeting and farewell are in place.';

interface GitHubServe {
  readonly fake: FakeAnthropic;
  readonly github: FakeGitHub;
  readonly serve: ServeProcess;
}

const test = base.extend<object, { agents: GitHubServe }>({
  agents: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const fake = await startFakeAnthropic({ validApiKeys: [TEST_API_KEY] });
      const github = await startFakeGitHub({
        token: TOKEN,
        owner: 'acme',
        repo: 'rocket',
        issues: [
          { number: 7, title: 'Say hello', body: '- [ ] greet.txt says hello', labels: ['feature'] },
          { number: 8, title: 'Say goodbye', body: 'Part politely.' },
          { number: 9, title: 'A pull request', pullRequest: true },
        ],
      });
      const home = makeTempDir('co-e2e-github-home-');
      const serve = await startServeProcess(claudeTestEnv(fake, home.path, { GITHUB_TOKEN: TOKEN, GH_TOKEN: '', GITHUB_API_URL: github.url }));
      await use({ fake, github, serve });
      await serve.stop();
      await github.close();
      await fake.close();
      home.cleanup();
    },
    { scope: 'worker' },
  ],
});

test.describe('GitHub in the browser app: issues become tasks, the run becomes a pull request', () => {
  let folder: string;
  let origin: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-github-'));
    origin = await mkdtemp(join(tmpdir(), 'co-e2e-github-origin-'));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main'], { cwd: origin });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    await writeFile(join(folder, 'README.md'), '# Greeter\n');
    await writeFile(join(folder, 'orchestrator_config.json'), JSON.stringify({ models: { enable_opus_review: false }, execution: { max_workers: 1 } }));
    git('add', '.');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'initial');
    git('remote', 'add', 'origin', origin);
    git('push', '-q', 'origin', 'main');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    await rm(origin, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('import picked issues, run them, create the pull request and see its URL', async ({ page, agents }) => {
    test.setTimeout(240_000);
    const { fake, github, serve } = agents;
    fake.script({ respond: (request) => (requestText(request).includes('Summarise this run') ? textReply(MANAGER_SUMMARY) : undefined) });
    fake.script({ match: matchers.hasTools, respond: (request) => (/Carry out task \d+: Say goodbye/.test(requestText(request)) ? writeFileTurn(request, 'bye.txt', 'bye\n') : writeFileTurn(request, 'greet.txt', 'hello\n')) });

    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();

    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByRole('status', { name: 'GitHub token status' })).toContainText('from GITHUB_TOKEN in the environment');
    await expect(page.getByRole('status', { name: 'GitHub token status' })).not.toContainText(TOKEN);

    await page.getByRole('tab', { name: 'Tasks' }).click();
    await page.getByRole('button', { name: 'Import from GitHub' }).click();
    const panel = page.getByRole('region', { name: 'Import issues from GitHub' });
    await panel.getByLabel('Repository').fill('acme/rocket');
    await panel.getByRole('button', { name: 'List issues' }).click();
    const list = panel.getByRole('list', { name: 'GitHub issues' });
    await expect(list.getByRole('listitem')).toHaveText(['#8 Say goodbye', '#7 Say hello · feature']);
    await expect(panel).toContainText('(1 pull requests skipped)');
    await list.getByRole('checkbox', { name: '#8 Say goodbye' }).check();
    await list.getByRole('checkbox', { name: /#7 Say hello/ }).check();
    await panel.getByRole('button', { name: 'Import 2 issues' }).click();
    await expect(panel.getByRole('status', { name: 'Import result' })).toContainText('Imported: 2 new tasks');
    const table = page.getByRole('table', { name: 'Tasks' });
    await expect(table).toContainText('Say hello');
    await expect(table).toContainText('Say goodbye');
    await panel.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('button', { name: 'Import from GitHub' })).toBeFocused();

    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText(/Running/, { timeout: 30_000 });
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle', { timeout: 180_000 });
    const summary = page.getByRole('region', { name: 'Run summary' });
    await expect(summary).toContainText('2 done, 0 failed', { timeout: 60_000 });
    await expect(summary).toContainText("Merged the run's approved work into your current branch", { timeout: 60_000 });

    await summary.getByRole('group', { name: 'Pull request' }).getByLabel('Repository').fill('acme/rocket');
    await summary.getByRole('button', { name: 'Create pull request' }).click();
    const opened = summary.getByRole('status', { name: 'Pull request opened' });
    await expect(opened).toContainText(`${github.url}/acme/rocket/pull/101`, { timeout: 60_000 });
    await expect(opened.getByRole('link')).toHaveAttribute('href', `${github.url}/acme/rocket/pull/101`);

    expect(github.pulls).toHaveLength(1);
    const pull = github.pulls[0] as { head: string; base: string; body: string };
    expect(pull.base).toBe('main');
    expect(pull.body).toContain(MANAGER_SUMMARY);
    expect(pull.body).toContain('Closes #7');
    expect(pull.body).toContain('Closes #8');
    expect(execFileSync('git', ['show', `${pull.head}:greet.txt`], { cwd: origin, encoding: 'utf8' })).toBe('hello\n');
  });
});
