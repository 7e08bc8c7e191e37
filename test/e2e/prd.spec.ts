import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test as base, expect } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { startFakeAnthropic, toolUseReply, type FakeAnthropic } from '../support/fake-anthropic';
import { dropFile, makeRepository } from './helpers';

const SHOTS = 'test-results/screenshots';

/** A `co serve` whose manager talks to a fake Anthropic server started in this worker. */
const test = base.extend<object, { planning: { readonly fake: FakeAnthropic; readonly serve: ServeProcess } }>({
  planning: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const fake = await startFakeAnthropic({ validApiKeys: ['sk-ant-test'] });
      const serve = await startServeProcess({ ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-test' });
      await use({ fake, serve });
      await serve.stop();
      await fake.close();
    },
    { scope: 'worker' },
  ],
});

/** One task as the model writes it in a parse_prd call. */
function modelTask(id: number, title: string, dependencies: number[], priority: 'high' | 'medium' | 'low') {
  return { id, title, description: `${title} for the shop.`, details: `Implement ${title.toLowerCase()}.`, acceptance_criteria: [`${title} works`], test_strategy: 'Unit tests.', priority, dependencies };
}

const DROPPED_PRD = '# Shop\n\nA catalogue schema, an orders API and a web shop front.\n';

test.describe('Plan tab: PRD editor and plan preview', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await makeRepository('co-e2e-prd-', { 'README.md': '# Shop\n' });
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    // The host may still be writing .orchestrator/state.db for the open project; retry instead of racing it.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('type and drop a PRD, plan it, edit the preview and accept the tasks', async ({ page, planning }) => {
    const { fake, serve } = planning;
    await mkdir(SHOTS, { recursive: true });
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('tab', { name: 'Plan' }).click();

    // Type into the CodeMirror editor with the keyboard; the text survives a tab switch.
    const editor = page.getByRole('textbox', { name: 'PRD' });
    await editor.click();
    await page.keyboard.type('# Draft\n\nSomething typed by hand.');
    await expect(editor).toContainText('Something typed by hand.');
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await expect(page.getByRole('textbox', { name: 'PRD' })).toContainText('Something typed by hand.');

    // A file of another type is refused with a clear message; the text stays.
    await dropFile(page, 'header', 'logo.png', 'not text');
    await expect(page.getByRole('alert')).toContainText('"logo.png" is not a PRD file');
    await expect(editor).toContainText('Something typed by hand.');

    // Dropping a .md file asks before replacing edited text, then imports it.
    await dropFile(page, '.cm-content', 'shop.md', DROPPED_PRD);
    const confirm = page.getByRole('group', { name: 'Replace the PRD' });
    await expect(confirm).toContainText('shop.md');
    await expect(editor).toContainText('Something typed by hand.');
    await confirm.getByRole('button', { name: 'Replace' }).click();
    await expect(editor).toContainText('an orders API and a web shop front.');
    await expect(editor).not.toContainText('Something typed by hand.');
    await expect(page.getByRole('alert')).toHaveCount(0);

    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByRole('article', { name: 'PRD preview' }).getByRole('heading', { name: 'Shop' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/prd.png` });

    // Plan: the manager (the fake server) proposes three tasks.
    fake.enqueue(
      toolUseReply('parse_prd', {
        tasks: [modelTask(1, 'Catalogue schema', [], 'high'), modelTask(2, 'Orders API', [1], 'medium'), modelTask(3, 'Shop front', [2], 'low')],
      }),
    );
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const preview = page.getByRole('table', { name: 'Proposed tasks' });
    await expect(preview.getByRole('row')).toHaveCount(4);
    expect(JSON.stringify(fake.messageRequests().at(-1)?.body)).toContain('an orders API and a web shop front.');
    await expect(page.getByRole('region', { name: 'Proposed plan' })).toContainText('planning cost $');

    // Edit: a title, a priority and a dependency.
    await preview.getByRole('textbox', { name: 'Title of task 2' }).fill('Orders REST API');
    await preview.getByRole('combobox', { name: 'Priority of task 3' }).selectOption('high');
    await preview.getByRole('checkbox', { name: 'Task 3 depends on task 1' }).check();

    // A cycle made by hand is refused with the reason, and the edits stay.
    await preview.getByRole('checkbox', { name: 'Task 1 depends on task 3' }).check();
    await page.getByRole('button', { name: 'Accept 3 tasks' }).click();
    await expect(page.getByRole('alert')).toContainText(/cycle/i);
    await expect(preview.getByRole('textbox', { name: 'Title of task 2' })).toHaveValue('Orders REST API');
    await preview.getByRole('checkbox', { name: 'Task 1 depends on task 3' }).uncheck();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/plan-preview.png`, fullPage: true });

    await page.getByRole('button', { name: 'Accept 3 tasks' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added 3 tasks — see the Tasks tab.' })).toBeVisible();
    await expect(preview).toBeHidden();

    await page.getByRole('tab', { name: 'Tasks' }).click();
    const tasks = page.getByRole('table', { name: 'Tasks' });
    await expect(tasks.getByRole('row')).toHaveCount(4);
    await expect(tasks.getByRole('row', { name: /Orders REST API/ })).toContainText('1');
    await expect(tasks.getByRole('row', { name: /Shop front/ })).toContainText('1, 2');
    await expect(tasks.getByRole('row', { name: /Catalogue schema/ })).toContainText('ready');
  });

  test('cancel a slow plan, and see a manager failure without losing the PRD', async ({ page, planning }) => {
    const { fake, serve } = planning;
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await page.getByRole('textbox', { name: 'PRD' }).click();
    await page.keyboard.type('A todo app.');

    // A slow manager: Cancel ignores its answer and gives the controls back.
    fake.enqueue(toolUseReply('parse_prd', { tasks: [modelTask(1, 'Late task', [], 'medium')] }, { delayMs: 3_000 }));
    const before = fake.requests.length;
    const asked = fake.waitForRequest((request) => request.index >= before && request.method === 'POST' && request.path === '/v1/messages');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Planning…' })).toBeVisible();
    await page.getByRole('button', { name: 'Cancel planning' }).click();
    await expect(page.getByRole('button', { name: 'Plan', exact: true })).toBeEnabled();
    await asked;

    // No tool call from the manager (the fake's default text reply): a clear alert, the text kept.
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('The manager could not plan this PRD');
    await expect(page.getByRole('textbox', { name: 'PRD' })).toContainText('A todo app.');
    await expect(page.getByRole('table', { name: 'Proposed tasks' })).toHaveCount(0);
  });

  test('a 150-task plan: each row offers a search instead of 149 checkboxes; a dependency added by search is kept on accept; a binary drop is refused', async ({ page, planning }) => {
    const { fake, serve } = planning;
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('tab', { name: 'Plan' }).click();

    // A file with NUL bytes is refused before anything is sent, and says why.
    const requestsBefore = fake.messageRequests().length;
    await dropFile(page, '.cm-content', 'binary.md', 'ELF\u0000\u0001\u0002');
    await expect(page.getByRole('alert')).toContainText('"binary.md" is not text (it contains NUL bytes)');

    await page.getByRole('textbox', { name: 'PRD' }).click();
    await page.keyboard.type('# Big app\n\nOne hundred and fifty features.');
    const tasks = Array.from({ length: 150 }, (_, index) => modelTask(index + 1, `Feature ${index + 1}`, index === 0 ? [] : [1], 'medium'));
    fake.enqueue(toolUseReply('parse_prd', { tasks }));
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const preview = page.getByRole('table', { name: 'Proposed tasks' });
    await expect(preview.getByRole('row')).toHaveCount(151);
    expect(fake.messageRequests().length).toBe(requestsBefore + 1);
    // Only the chosen dependency is a checkbox in a row; the rest are found by search.
    const row = preview.getByRole('group', { name: 'Dependencies of task 140' });
    await expect(row.getByRole('checkbox')).toHaveCount(1);
    await expect(preview.getByRole('checkbox')).toHaveCount(149);
    await row.getByRole('searchbox', { name: 'Find a task for task 140 to depend on' }).fill('Feature 13');
    // Matches by title, at most eight: 13, 130–136 (the task itself is never offered).
    await expect(row.getByRole('checkbox')).toHaveCount(9);
    await row.getByRole('checkbox', { name: 'Task 140 depends on task 13', exact: true }).check();
    await row.getByRole('searchbox', { name: 'Find a task for task 140 to depend on' }).fill('');
    await expect(row.getByRole('checkbox')).toHaveCount(2);
    await expect(row.getByRole('checkbox', { name: 'Task 140 depends on task 13', exact: true })).toBeChecked();
    await row.getByRole('searchbox', { name: 'Find a task for task 140 to depend on' }).fill('no such feature');
    await expect(row).toContainText('No other task matches “no such feature”.');

    await page.getByRole('button', { name: 'Accept 150 tasks' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Added 150 tasks — see the Tasks tab.' })).toBeVisible();
    // The stored graph has the edge chosen by search (the Tasks table shows only the rows in view).
    const db = new Database(join(folder, '.orchestrator', 'state.db'), { readonly: true });
    try {
      const edges = db.prepare<[string], { depends_on: string }>('SELECT depends_on FROM task_deps WHERE task_id = ? ORDER BY depends_on').all('140');
      expect(edges.map((edge) => edge.depends_on)).toEqual(['1', '13']);
    } finally {
      db.close();
    }
  });
});

test.describe('Dropping a PRD anywhere on the window', () => {
  let folder: string;
  test.beforeEach(async () => {
    folder = await makeRepository('co-e2e-drop-', { 'README.md': '# Shop\n' });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('from any tab it opens the Plan tab with the file imported; on the projects screen it says to open a project first', async ({ page, planning }) => {
    await page.goto(planning.serve.url);

    // No project yet: the app stays in the window and says where PRDs go.
    await dropFile(page, 'main', 'shop.md', DROPPED_PRD);
    await expect(page.getByRole('status').filter({ hasText: 'open its project first' })).toContainText('shop.md');
    await expect(page.getByRole('heading', { name: 'Open a project' })).toBeVisible();

    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('tab', { name: 'Tasks' })).toHaveAttribute('aria-selected', 'true');

    // Dropped on the Tasks tab: the window switches to Plan and the editor holds the file.
    await dropFile(page, 'main', 'shop.md', DROPPED_PRD);
    await expect(page.getByRole('tab', { name: 'Plan' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('textbox', { name: 'PRD' })).toContainText('an orders API and a web shop front.');
    await expect(page.getByRole('status').filter({ hasText: 'Imported shop.md.' })).toBeVisible();

    // Leaving and coming back does not import the old drop again over new edits.
    await page.getByRole('textbox', { name: 'PRD' }).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nEdited after the drop.');
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.getByRole('tab', { name: 'Plan' }).click();
    await expect(page.getByRole('textbox', { name: 'PRD' })).toContainText('Edited after the drop.');
    await expect(page.getByRole('group', { name: 'Replace the PRD' })).toHaveCount(0);

    // A second drop over edited text, from the Graph tab, asks before replacing it.
    await page.getByRole('tab', { name: 'Graph' }).click();
    await dropFile(page, 'main', 'other.txt', 'Another PRD entirely.');
    await expect(page.getByRole('tab', { name: 'Plan' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('group', { name: 'Replace the PRD' })).toContainText('other.txt');
    await expect(page.getByRole('textbox', { name: 'PRD' })).toContainText('Edited after the drop.');
  });
});
