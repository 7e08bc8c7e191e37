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
});
