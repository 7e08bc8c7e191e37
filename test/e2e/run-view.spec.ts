import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test.describe('project workspace: run view', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-run-'));
    execFileSync('git', ['init', '-q'], { cwd: folder });
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    // The host may still be writing .orchestrator/state.db for the open project; retry instead of racing it.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('idle state, and the host error when a run cannot start', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    // Keyboard: arrow keys move between the tabs.
    await page.getByRole('tab', { name: 'Tasks' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Run' })).toHaveAttribute('aria-selected', 'true');

    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle');
    await expect(page.getByRole('button', { name: 'Start run' })).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Stop run' })).toBeDisabled();
    await expect(page.getByLabel('Cost so far')).toContainText('$0.00');
    await expect(page.getByRole('log', { name: 'Live log of all workers' })).toContainText('No log lines yet');
    await expect(page.getByText('No tasks yet. Add tasks in the Tasks tab')).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/run-idle.png', fullPage: true });

    // The project folder disappears under the app: Start shows the host's reason.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.getByRole('alert')).toContainText('No folder at');
    await expect(page.getByRole('button', { name: 'Start run' })).toBeEnabled();
  });

  test('a broken config file is reported in each view', async ({ page, serve }) => {
    await writeFile(join(folder, 'orchestrator_config.json'), '{ not json');
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('alert')).toContainText('not valid JSON');
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect(page.getByRole('alert')).toContainText('not valid JSON');
    await page.getByRole('tab', { name: 'Run' }).click();
    await expect(page.getByRole('alert').first()).toContainText('not valid JSON');
  });
});
