import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test.describe('opening projects in the browser app', () => {
  let folder: string;

  test.beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-project-'));
    await mkdir(join(folder, '.git'));
  });
  test.afterEach(async () => {
    // The host may still be writing .orchestrator/state.db for the open project; retry instead of racing it.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('the page reaches the host and shows its version', async ({ page, serve, browser }) => {
    console.log(`[e2e] browser: ${browser.browserType().name()} ${browser.version()}`);
    await page.goto(serve.url);
    await expect(page.getByRole('status', { name: 'Host status' })).toContainText('Connected');
    await expect(page.getByRole('status', { name: 'Host status' })).toContainText('websocket');
    await page.screenshot({ path: 'test-results/screenshots/projects-empty.png', fullPage: true });
  });

  test('opening a folder through the UI records it as a recent project', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    const current = page.getByRole('region', { name: 'Current project' });
    await expect(current).toContainText(folder.split('/').pop() ?? '');
    await page.getByRole('button', { name: 'Switch project' }).click();
    const recent = page.getByRole('list', { name: 'Recent projects' });
    await expect(recent).toContainText(folder);
    await expect(recent.getByText('git', { exact: true })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/projects-recent.png', fullPage: true });
  });

  test('a path that is not a folder gets a clear error and nothing is recorded', async ({ page, serve }) => {
    const file = join(folder, 'notes.txt');
    await writeFile(file, 'hello');
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(file);
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('alert')).toContainText('is a file, not a folder');
    await page.getByLabel('Project folder').fill(join(folder, 'missing'));
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('alert')).toContainText('No folder at');
    await expect(page.getByRole('list', { name: 'Recent projects' })).not.toContainText(file);
  });

  test('keyboard only: type a path and press Enter', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByLabel('Project folder').focus();
    await page.keyboard.type(folder);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('region', { name: 'Current project' })).toBeVisible();
    await expect(page.getByText('No tasks yet.')).toBeVisible();
  });

  test('without the token the page says how to connect', async ({ page, serve }) => {
    await page.goto(serve.origin + '/');
    await expect(page.getByRole('alert')).toContainText('needs the token');
  });

  test('a folder without git: the notice says what it costs, and git is initialised only after confirming', async ({ page, serve }) => {
    const plain = await mkdtemp(join(tmpdir(), 'co-e2e-plain-'));
    try {
      await writeFile(join(plain, 'app.js'), 'console.log("hi");\n');
      await writeFile(join(plain, '.env'), 'ANTHROPIC_API_KEY=sk-ant-never-committed\n');
      await page.goto(serve.url);
      await page.getByLabel('Project folder').fill(plain);
      await page.getByRole('button', { name: 'Open' }).click();
      const notice = page.getByRole('group', { name: 'No git repository' });
      await expect(notice).toContainText('tasks run one at a time');

      // Asking shows what will happen; Cancel does nothing.
      await notice.getByRole('button', { name: 'Initialise git…' }).click();
      await expect(notice.getByRole('group', { name: 'Initialise git' })).toContainText('commits every file in it as it is now');
      await notice.getByRole('button', { name: 'Cancel' }).click();
      await expect(notice.getByRole('group', { name: 'Initialise git' })).toHaveCount(0);
      expect(() => execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: plain, stdio: 'pipe' })).toThrow();

      await notice.getByRole('button', { name: 'Initialise git…' }).click();
      await notice.getByRole('button', { name: 'Initialise git and commit' }).click();
      await expect(notice).toHaveCount(0);
      const committed = execFileSync('git', ['ls-files'], { cwd: plain, encoding: 'utf8' }).trim().split('\n').sort();
      expect(committed).toEqual(['.gitignore', 'app.js']);
      expect(execFileSync('git', ['status', '--porcelain'], { cwd: plain, encoding: 'utf8' })).toBe('');

      // The project is now one with git everywhere: the recent list says so.
      await page.getByRole('button', { name: 'Switch project' }).click();
      const recent = page.getByRole('list', { name: 'Recent projects' });
      await expect(recent.getByRole('listitem').filter({ hasText: plain }).getByText('git', { exact: true })).toBeVisible();
    } finally {
      await rm(plain, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });
});
