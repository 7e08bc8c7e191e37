import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';
import { activate, makeRepository, openByKeyboard, openProject, retype, switchTab, tabTo } from './helpers';

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

  test('checks: propose from the project, keep some, edit by keyboard, save; a bad entry shows its error at the list', async ({ page, serve }) => {
    const project = await makeRepository('co-e2e-checks-', {
      'package.json': JSON.stringify({ name: 'demo', scripts: { test: 'vitest run', lint: 'eslint .' }, devDependencies: { vitest: '3' } }),
      'package-lock.json': '{"lockfileVersion":3}',
      '.gitignore': '.env\n.orchestrator/\n',
    });
    await writeFile(join(project, '.env'), 'DATABASE_URL=postgres://localhost/dev\n', { mode: 0o600 });
    try {
      await openByKeyboard(page, serve.url, project);
      await switchTab(page, 'Settings');
      const form = page.getByRole('form', { name: 'Project settings' });
      const verify = form.getByRole('list', { name: 'Verify commands' });
      await expect(verify.getByRole('listitem')).toHaveCount(0);
      await expect(form.getByText(/Claude Code may run without asking .*: nothing beyond editing files/)).toBeVisible();

      // Propose, by keyboard: each proposal says where it came from; untick the lint script.
      await activate(page, form.getByRole('button', { name: 'Propose from project' }));
      const proposal = form.getByRole('region', { name: 'Proposed from the project' });
      await expect(proposal.getByRole('heading', { name: 'Proposed from the project' })).toBeFocused();
      await expect(proposal.getByRole('checkbox', { name: /npm ci\s*package-lock\.json \(npm\)/ })).toBeChecked();
      await expect(proposal.getByRole('checkbox', { name: /npm test\s*package\.json script "test" \(npm, package-lock\.json\)/ })).toBeChecked();
      await expect(proposal.getByRole('checkbox', { name: /\.env\s*\.env is present and git-ignored/ })).toBeChecked();
      const lint = proposal.getByRole('checkbox', { name: /npm run lint/ });
      await expect(lint).toBeChecked();
      await tabTo(page, lint);
      await page.keyboard.press('Space');
      await expect(lint).not.toBeChecked();
      await activate(page, proposal.getByRole('button', { name: 'Add selected to the lists' }));
      await expect(proposal).toBeHidden();
      await expect(form.getByRole('button', { name: 'Propose from project' })).toBeFocused();
      await expect(form.getByText('Added 3 entries to the lists. Save settings to keep them.')).toBeVisible();
      await expect(verify.getByRole('textbox')).toHaveCount(1);
      await expect(verify.getByRole('textbox', { name: 'Verify command 1' })).toHaveValue('npm test');
      await expect(form.getByRole('list', { name: 'Setup commands' }).getByRole('textbox', { name: 'Setup command 1' })).toHaveValue('npm ci');
      await expect(form.getByRole('list', { name: 'Files to copy' }).getByRole('textbox', { name: 'File to copy 1' })).toHaveValue('.env');
      await expect(form.getByText(/Claude Code may run without asking \(derived from the setup and verify commands\): Bash\(npm ci:\*\), Bash\(npm test:\*\)/)).toBeVisible();

      // Add a verify command by keyboard; the new field takes the focus.
      await activate(page, form.getByRole('button', { name: 'Add verify command' }));
      await expect(verify.getByRole('textbox', { name: 'Verify command 2' })).toBeFocused();
      await page.keyboard.type('npx tsc --noEmit');
      await form.getByLabel('Time limit per check command (seconds)').fill('300');
      await form.getByLabel('Verify the integration branch').selectOption('batch');
      await form.getByRole('button', { name: 'Save settings' }).click();
      await expect(form.getByText('Saved. A run in progress keeps its settings')).toBeVisible();
      const written = JSON.parse(await readFile(join(project, 'orchestrator_config.json'), 'utf8')) as { checks: Record<string, unknown> };
      expect(written.checks).toEqual({ setup: ['npm ci'], setup_inputs: [], copy: ['.env'], verify: ['npm test', 'npx tsc --noEmit'], timeout: 300, verify_on_merge: 'batch' });

      // Kept across a reload; a path outside the project is refused with the error at its entry.
      await page.reload();
      await openProject(page, serve.url, project);
      await page.getByRole('tab', { name: 'Settings' }).click();
      const reloaded = page.getByRole('form', { name: 'Project settings' });
      await expect(reloaded.getByRole('textbox', { name: 'Verify command 2' })).toHaveValue('npx tsc --noEmit');
      const copyEntry = reloaded.getByRole('textbox', { name: 'File to copy 1' });
      await copyEntry.focus();
      await retype(page, '../secrets/.env');
      await reloaded.getByRole('button', { name: 'Save settings' }).click();
      await expect(copyEntry).toHaveAttribute('aria-invalid', 'true');
      await expect(reloaded.getByRole('list', { name: 'Files to copy' })).toContainText('must be a path inside the project');
      expect((JSON.parse(await readFile(join(project, 'orchestrator_config.json'), 'utf8')) as { checks: { copy: string[] } }).checks.copy).toEqual(['.env']);

      // Remove by keyboard: focus moves to the Add button when the list is empty.
      await activate(page, reloaded.getByRole('button', { name: 'Remove file to copy 1' }));
      await expect(reloaded.getByRole('button', { name: 'Add file to copy' })).toBeFocused();
      await page.screenshot({ path: `${SHOTS}/settings-checks.png`, fullPage: true });
    } finally {
      await rm(project, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
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
