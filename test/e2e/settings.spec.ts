import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';
import { makeRepository, openProject } from './helpers';

const SHOTS = 'test-results/screenshots';

test.describe('settings and usage', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await makeRepository('co-e2e-settings-');
    await page.setViewportSize({ width: 1400, height: 1300 });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('change max workers, save, reload: kept; an invalid value shows its error', async ({ page, serve }) => {
    await openProject(page, serve.url, folder);
    await page.getByRole('tab', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'Project settings' });
    const maxWorkers = form.getByLabel('Max workers');
    await expect(maxWorkers).toHaveValue('4');

    await maxWorkers.fill('6');
    await form.getByLabel('Permission mode').selectOption('plan');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByRole('status')).toContainText('apply to the next run');
    const written = JSON.parse(await readFile(join(folder, 'orchestrator_config.json'), 'utf8')) as { execution: { max_workers: number } };
    expect(written.execution.max_workers).toBe(6);

    await page.reload();
    await openProject(page, serve.url, folder);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByRole('form', { name: 'Project settings' }).getByLabel('Max workers')).toHaveValue('6');
    await expect(page.getByRole('form', { name: 'Project settings' }).getByLabel('Permission mode')).toHaveValue('plan');

    const reloaded = page.getByRole('form', { name: 'Project settings' });
    await reloaded.getByLabel('Max workers').fill('0');
    await reloaded.getByRole('button', { name: 'Save settings' }).click();
    await expect(reloaded.getByLabel('Max workers')).toHaveAttribute('aria-invalid', 'true');
    await expect(reloaded.locator('.settings-error')).toContainText(/>=\s*1|too small/i);
    expect((JSON.parse(await readFile(join(folder, 'orchestrator_config.json'), 'utf8')) as { execution: { max_workers: number } }).execution.max_workers).toBe(6);

    await expect(page.getByRole('list', { name: 'Setup checks' }).getByRole('listitem').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save Anthropic API key to keychain' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Keys' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });
  });

  test('the Usage tab shows its empty state', async ({ page, serve }) => {
    await openProject(page, serve.url, folder);
    await page.getByRole('tab', { name: 'Usage' }).click();
    await expect(page.getByText('No usage recorded yet.')).toBeVisible();
    await expect(page.getByLabel('Usage totals')).toContainText('$0.00');
    await page.screenshot({ path: `${SHOTS}/usage.png`, fullPage: true });
  });

  test('the Usage tab charts and tables cost per task, run and model', async ({ page, serve }) => {
    await openProject(page, serve.url, folder);
    for (const title of ['Design the schema', 'Write the API']) {
      await page.getByRole('button', { name: 'Add task' }).click();
      const form = page.getByRole('form', { name: 'New task' });
      await form.getByLabel('Title').fill(title);
      await form.getByRole('button', { name: 'Create task' }).click();
      await expect(form).toBeHidden();
    }
    seedUsage(join(folder, '.orchestrator', 'state.db'));

    await page.getByRole('tab', { name: 'Usage' }).click();
    await expect(page.getByLabel('Usage totals')).toContainText('$3.75');
    const chart = page.getByRole('img', { name: 'Cost per task' });
    await expect(chart).toBeVisible();
    await expect(page.getByRole('table', { name: 'Usage per task' }).getByRole('row', { name: /Design the schema/ })).toContainText('$1.25');
    await expect(page.getByText('Manager calls not tied to a task (planning, final review): $2.00.')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/usage-data.png`, fullPage: true });

    await page.getByRole('button', { name: 'By model' }).click();
    await expect(page.getByRole('table', { name: 'Usage per model' }).getByRole('row', { name: /claude-opus-4-6/ })).toContainText('$2.00');
    await page.getByRole('button', { name: 'By run' }).click();
    await expect(page.getByRole('table', { name: 'Usage per run' }).getByRole('row', { name: /run-e2e/ })).toContainText('succeeded');
  });
});

/** Records a run and its usage straight in the project's database, as workers and the manager would. */
function seedUsage(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(`INSERT INTO runs (id, goal, status, owner, max_workers, task_ids, started_at, finished_at) VALUES ('run-e2e', 'Demo', 'succeeded', 'e2e', 2, NULL, ?, ?)`).run(Date.now() - 60_000, Date.now());
    const insert = db.prepare(`INSERT INTO usage (source, run_id, task_id, attempt_id, model, input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens, cost_usd, at)
      VALUES (?, 'run-e2e', ?, NULL, ?, ?, ?, 0, ?, ?, ?)`);
    insert.run('worker', '1', 'claude-sonnet-4-6', 12_000, 3_400, 40_000, 1.25, Date.now());
    insert.run('worker', '2', 'claude-sonnet-4-6', 4_000, 900, 8_000, 0.5, Date.now());
    insert.run('manager', null, 'claude-opus-4-6', 20_000, 2_000, 0, 2, Date.now());
  } finally {
    db.close();
  }
}
