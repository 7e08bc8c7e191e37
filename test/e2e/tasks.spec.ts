import { rm } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { makeRepository, openProject } from './helpers';

const SHOTS = 'test-results/screenshots';

async function addTask(page: Page, title: string, options: { description?: string; priority?: string; dependencies?: string[]; acceptance?: string[] } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Add task' }).click();
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Title').fill(title);
  if (options.description !== undefined) await form.getByLabel('Description').fill(options.description);
  if (options.priority !== undefined) await form.getByLabel('Priority').selectOption(options.priority);
  for (const dependency of options.dependencies ?? []) await form.getByRole('checkbox', { name: dependency }).check();
  if (options.acceptance !== undefined) await form.getByLabel('Acceptance criteria (one per line)').fill(options.acceptance.join('\n'));
  await form.getByRole('button', { name: 'Create task' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: new RegExp(title) })).toBeVisible();
}

test.describe('project workspace: tasks and graph', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await makeRepository('co-e2e-tasks-');
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    // The host may still be writing .orchestrator/state.db for the open project; retry instead of racing it.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('add, edit, filter, graph and delete tasks through the UI', async ({ page, serve }) => {
    await openProject(page, serve.url, folder);
    await expect(page.getByRole('tab', { name: 'Tasks' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByText('No tasks yet.')).toBeVisible();

    await addTask(page, 'Design the schema', { description: 'Tables for users and orders.', priority: 'high', acceptance: ['Migration runs', 'Schema documented'] });
    await addTask(page, 'Set up the database', { description: 'SQLite with WAL.', dependencies: ['1 Design the schema'] });
    await addTask(page, 'Write the API', { dependencies: ['1 Design the schema', '2 Set up the database'] });

    const table = page.getByRole('table', { name: 'Tasks' });
    await expect(table.getByRole('row')).toHaveCount(4);
    const apiRow = table.getByRole('row', { name: /Write the API/ });
    await expect(apiRow).toContainText('1, 2');
    await expect(table.getByRole('row', { name: /Design the schema/ })).toContainText('ready');

    // Keyboard: focus a row and press Enter to open its details.
    await table.getByRole('row', { name: /Design the schema/ }).focus();
    await page.keyboard.press('Enter');
    const detail = page.getByRole('complementary', { name: /Design the schema/ });
    await expect(detail).toContainText('Tables for users and orders.');
    await expect(detail).toContainText('Migration runs');
    await expect(detail.getByRole('list', { name: 'Needed by' })).toContainText('Set up the database');
    await expect(detail).toContainText('No attempts yet');

    // Edit task 3 from its row; a dependency link leads back to task 1.
    await apiRow.click();
    const apiDetail = page.getByRole('complementary', { name: /Write the API/ });
    await apiDetail.getByRole('button', { name: 'Edit' }).click();
    const editForm = page.getByRole('form', { name: 'Edit task 3' });
    await editForm.getByLabel('Title').fill('Write the REST API');
    await editForm.getByLabel('Priority').selectOption('low');
    await editForm.getByRole('checkbox', { name: '1 Design the schema' }).uncheck();
    await editForm.getByRole('button', { name: 'Save changes' }).click();
    await expect(editForm).toBeHidden();
    const restRow = table.getByRole('row', { name: /Write the REST API/ });
    await expect(restRow).toContainText('low');
    await expect(restRow.getByRole('cell').nth(4)).toHaveText('2');

    // A title the host refuses keeps what was typed and shows the host's reason.
    const restDetail = page.getByRole('complementary', { name: /Write the REST API/ });
    await restDetail.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('form', { name: 'Edit task 3' }).getByLabel('Description').fill('Keep me');
    await page.getByRole('form', { name: 'Edit task 3' }).getByLabel('Title').fill('x'.repeat(501));
    await page.getByRole('form', { name: 'Edit task 3' }).getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('form', { name: 'Edit task 3' }).getByRole('alert')).toContainText('title too long');
    await expect(page.getByRole('form', { name: 'Edit task 3' }).getByLabel('Description')).toHaveValue('Keep me');
    await page.getByRole('form', { name: 'Edit task 3' }).getByRole('button', { name: 'Cancel' }).click();

    // Status filter and search narrow the table.
    await page.getByLabel('Status', { exact: true }).selectOption('ready');
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table).toContainText('Design the schema');
    await page.getByLabel('Status', { exact: true }).selectOption('all');
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('wal');
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table).toContainText('Set up the database');
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('nothing like this');
    await expect(page.getByText('No task matches the filter.')).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('');
    await expect(table.getByRole('row')).toHaveCount(4);

    // Board layout groups by status.
    await page.getByRole('button', { name: 'Board' }).click();
    await expect(page.getByRole('region', { name: 'ready (1)' })).toContainText('Design the schema');
    await page.getByRole('button', { name: 'Table' }).click();
    await table.getByRole('row', { name: /Design the schema/ }).click();
    await page.screenshot({ path: `${SHOTS}/tasks.png`, fullPage: true });

    // Graph: nodes, an edge between dependent tasks, click a node to open it.
    await page.getByRole('tab', { name: 'Graph' }).click();
    const graph = page.getByRole('region', { name: 'Dependency graph' });
    await expect(graph.getByRole('button', { name: /^Task 1: Design the schema/ })).toBeVisible();
    await expect(graph.getByRole('button', { name: /^Task 3: Write the REST API/ })).toBeVisible();
    await expect(graph.getByLabel('Task 2 depends on 1')).toBeAttached();
    await expect(graph.getByLabel('Task 3 depends on 2')).toBeAttached();
    await expect(graph.getByLabel('Task 3 depends on 1')).toHaveCount(0);
    await expect(page.getByText('critical path: 1 → 2 → 3')).toBeVisible();
    // Keyboard: focus a node and press Enter to open it.
    await graph.getByRole('button', { name: /^Task 1: Design the schema/ }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('complementary', { name: /Design the schema/ })).toBeVisible();
    await graph.getByRole('button', { name: /^Task 2: Set up the database/ }).click();
    await expect(page.getByRole('complementary', { name: /Set up the database/ })).toContainText('SQLite with WAL.');
    await page.screenshot({ path: `${SHOTS}/graph.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/graph-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    // Delete a task others depend on: refused with the host's reason, then delete anyway.
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await table.getByRole('row', { name: /Design the schema/ }).click();
    const designDetail = page.getByRole('complementary', { name: /Design the schema/ });
    await designDetail.getByRole('button', { name: 'Delete task' }).click();
    await designDetail.getByRole('button', { name: 'Confirm delete' }).click();
    await expect(designDetail.getByRole('alert')).toContainText('task 1 is a dependency of 2');
    await expect(table.getByRole('row')).toHaveCount(4);
    await designDetail.getByRole('button', { name: 'Delete anyway' }).click();
    await expect(table.getByRole('row')).toHaveCount(3);
    await expect(table).not.toContainText('Design the schema');
    await expect(table.getByRole('row', { name: /Set up the database/ })).toContainText('ready');
  });

  test('set status with a reason shows it in the details', async ({ page, serve }) => {
    await openProject(page, serve.url, folder);
    await addTask(page, 'Optional polish');
    await page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: /Optional polish/ }).click();
    const detail = page.getByRole('complementary', { name: /Optional polish/ });
    await detail.getByLabel('New status').selectOption('deferred');
    await detail.getByRole('textbox', { name: 'Reason (optional)' }).fill('after the release');
    await detail.getByRole('button', { name: 'Set status' }).click();
    await expect(detail).toContainText('Reason: after the release');
    await expect(page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: /Optional polish/ })).toContainText('deferred');
  });
});
