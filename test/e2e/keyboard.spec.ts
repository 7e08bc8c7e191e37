import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test as base, expect, type Page, type WebSocketRoute } from '@playwright/test';
import { agentServeFixture, type AgentServe } from './fixtures';
import { matchers, textReply, toolUseReply } from '../support/fake-anthropic';
import { afterToolResult, writeFileTurn } from '../integration/runtime/pipeline-support';
import { activate, activateRow, expectFocusWithin, makeRepository, openByKeyboard, retype, switchTab, tabTo, finishedAttempt } from './helpers';

const SHOTS = 'test-results/screenshots';

/**
 * Keyboard-only use of the main flows: every action is a key press (Tab, arrows, Enter, Space,
 * Escape, typing); roles and names are used only to check where focus is and what changed.
 * One `co serve` per file whose workers are the real Claude Code CLI against a fake Anthropic API.
 */
const test = base.extend<object, { app: AgentServe }>({
  app: agentServeFixture('co-e2e-keyboard-home-'),
});

/** Adds a task through the "New task" form with the keyboard; dependencies are checkbox names like "1 Design". */
async function addTaskByKeyboard(page: Page, title: string, options: { readonly priority?: string; readonly dependencies?: ReadonlyArray<string> } = {}): Promise<void> {
  await activate(page, page.getByRole('button', { name: 'Add task' }));
  const form = page.getByRole('form', { name: 'New task' });
  await expect(form.getByRole('textbox', { name: 'Title' })).toBeFocused();
  await page.keyboard.type(title);
  if (options.priority !== undefined) {
    await tabTo(page, form.getByRole('combobox', { name: 'Priority' }));
    await page.keyboard.type(options.priority);
    await expect(form.getByRole('combobox', { name: 'Priority' })).toHaveValue(options.priority);
  }
  for (const dependency of options.dependencies ?? []) {
    const box = form.getByRole('checkbox', { name: dependency });
    await tabTo(page, box);
    await page.keyboard.press('Space');
    await expect(box).toBeChecked();
  }
  await activate(page, form.getByRole('button', { name: 'Create task' }));
  await expect(form).toBeHidden();
  await expect(page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: new RegExp(title) })).toBeVisible();
  // Focus comes back to "Add task", ready for the next one.
  await expect(page.getByRole('button', { name: 'Add task' })).toBeFocused();
}

test.describe('keyboard-only use of the main flows', () => {
  const folders: string[] = [];
  const repository = async (prefix: string, files?: Readonly<Record<string, string>>): Promise<string> => {
    const folder = await makeRepository(prefix, files);
    folders.push(folder);
    return folder;
  };
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1400, height: 1000 });
    await mkdir(SHOTS, { recursive: true });
  });
  test.afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('projects: open by typing a path and Enter, then reopen from the recent list', async ({ page, app }) => {
    const first = await repository('co-e2e-kb-first-');
    const second = await repository('co-e2e-kb-second-');
    await openByKeyboard(page, app.serve.url, first);
    await activate(page, page.getByRole('button', { name: 'Switch project' }));
    await openByKeyboard(page, app.serve.url, second);
    await activate(page, page.getByRole('button', { name: 'Switch project' }));

    const recent = page.getByRole('list', { name: 'Recent projects' });
    await activate(page, recent.getByRole('button', { name: first.split('/').pop() ?? '', exact: true }));
    await expect(page.getByRole('region', { name: 'Current project' })).toContainText(first);
  });

  test('plan: type a PRD in the editor, plan, edit the proposal and accept it', async ({ page, app }) => {
    const folder = await repository('co-e2e-kb-plan-');
    await openByKeyboard(page, app.serve.url, folder);
    await switchTab(page, 'Plan');

    // Into the CodeMirror editor with Tab and type; Tab and Shift+Tab are not trapped there (no Tab binding).
    const editor = page.getByRole('textbox', { name: 'PRD' });
    await tabTo(page, editor);
    await page.keyboard.type('# Greeter\n\nSay hello, then say goodbye.');
    await expect(editor).toContainText('Say hello, then say goodbye.');
    // CodeMirror's escape hatch: Escape then Tab always leaves the editor.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    await expect(editor).not.toBeFocused();
    await tabTo(page, editor, { backwards: true });

    app.fake.enqueue(
      toolUseReply('parse_prd', {
        tasks: [
          { id: 1, title: 'Greeting', description: 'Say hello.', details: 'Write greet.txt.', acceptance_criteria: ['greet.txt exists'], test_strategy: 'Look.', priority: 'high', dependencies: [] },
          { id: 2, title: 'Farewell', description: 'Say goodbye.', details: 'Write bye.txt.', acceptance_criteria: ['bye.txt exists'], test_strategy: 'Look.', priority: 'medium', dependencies: [] },
          { id: 3, title: 'Small talk', description: 'Not wanted.', details: 'Chat.', acceptance_criteria: ['none'], test_strategy: 'Look.', priority: 'low', dependencies: [] },
        ],
      }),
    );
    await activate(page, page.getByRole('button', { name: 'Plan', exact: true }), { backwards: true });
    const preview = page.getByRole('table', { name: 'Proposed tasks' });
    await expect(preview.getByRole('row')).toHaveCount(4);

    // Remove task 3: focus moves to the title of the row now in its place.
    await activate(page, preview.getByRole('button', { name: 'Remove task 3' }));
    await expect(preview.getByRole('row')).toHaveCount(3);
    const title = preview.getByRole('textbox', { name: 'Title of task 2' });
    await expect(title).toBeFocused();
    await retype(page, 'Farewell message');
    await expect(title).toHaveValue('Farewell message');
    await page.keyboard.press('Tab');
    const priority = preview.getByRole('combobox', { name: 'Priority of task 2' });
    await expect(priority).toBeFocused();
    await page.keyboard.type('low');
    await expect(priority).toHaveValue('low');
    const dependency = preview.getByRole('checkbox', { name: 'Task 2 depends on task 1' });
    await tabTo(page, dependency);
    await page.keyboard.press('Space');
    await expect(dependency).toBeChecked();

    await activate(page, page.getByRole('button', { name: 'Accept 2 tasks' }));
    await expect(page.getByRole('status').filter({ hasText: 'Added 2 tasks' })).toBeVisible();

    await switchTab(page, 'Tasks');
    const tasks = page.getByRole('table', { name: 'Tasks' });
    await expect(tasks.getByRole('row', { name: /Farewell message/ })).toContainText('low');
    await expect(tasks.getByRole('row', { name: /Farewell message/ })).toContainText('1');
  });

  test('tasks: add, open, edit, delete with dependents, filter and search', async ({ page, app }) => {
    const folder = await repository('co-e2e-kb-tasks-');
    await openByKeyboard(page, app.serve.url, folder);
    await addTaskByKeyboard(page, 'Design the schema', { priority: 'high' });
    await addTaskByKeyboard(page, 'Set up the database', { dependencies: ['1 Design the schema'] });
    await addTaskByKeyboard(page, 'Write the API', { dependencies: ['2 Set up the database'] });
    const table = page.getByRole('table', { name: 'Tasks' });
    await expect(table.getByRole('row')).toHaveCount(4);

    // Open task 3 from its row; focus moves into the details.
    // The rows are one Tab stop: Tab leaves the table from any row; arrows move between rows.
    await activateRow(page, table, table.getByRole('row', { name: /Write the API/ }));
    const detail = page.getByRole('complementary', { name: /Write the API/ });
    await expectFocusWithin(detail);

    // Edit: title and priority, then save; focus returns to Edit.
    await activate(page, detail.getByRole('button', { name: 'Edit' }));
    const form = page.getByRole('form', { name: 'Edit task 3' });
    await expect(form.getByRole('textbox', { name: 'Title' })).toBeFocused();
    await retype(page, 'Write the REST API');
    await tabTo(page, form.getByRole('combobox', { name: 'Priority' }));
    await page.keyboard.type('low');
    await activate(page, form.getByRole('button', { name: 'Save changes' }));
    await expect(form).toBeHidden();
    const restDetail = page.getByRole('complementary', { name: /Write the REST API/ });
    await expect(restDetail.getByRole('button', { name: 'Edit' })).toBeFocused();
    await expect(table.getByRole('row', { name: /Write the REST API/ })).toContainText('low');

    // Escape leaves an edit without saving, and closes the details, back on the task's row.
    await page.keyboard.press('Enter');
    await expect(page.getByRole('form', { name: 'Edit task 3' })).toBeVisible();
    await page.keyboard.type(' (draft)');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('form', { name: 'Edit task 3' })).toBeHidden();
    await expect(restDetail.getByRole('button', { name: 'Edit' })).toBeFocused();
    await expect(table).not.toContainText('(draft)');
    await page.keyboard.press('Escape');
    await expect(restDetail).toBeHidden();
    await expect(table.getByRole('row', { name: /Write the REST API/ })).toBeFocused();
    // The rows are one Tab stop: arrows move between them, one Tab leaves the table from any row,
    // and Shift+Tab comes back to the row last visited.
    await page.keyboard.press('ArrowUp');
    await expect(table.getByRole('row', { name: /Set up the database/ })).toBeFocused();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('TR');
    await page.keyboard.press('Shift+Tab');
    await expect(table.getByRole('row', { name: /Set up the database/ })).toBeFocused();

    // Delete task 1, which task 2 needs: Escape dismisses the confirmation, then the refusal and "Delete anyway".
    await activateRow(page, table, table.getByRole('row', { name: /Design the schema/ }), { backwards: true });
    const design = page.getByRole('complementary', { name: /Design the schema/ });
    await activate(page, design.getByRole('button', { name: 'Delete task' }));
    const confirm = design.getByRole('group', { name: 'Confirm delete' });
    await expectFocusWithin(confirm);
    await page.screenshot({ path: `${SHOTS}/keyboard-delete-confirm.png` });
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(design.getByRole('button', { name: 'Delete task' })).toBeFocused();
    await page.keyboard.press('Enter');
    await activate(page, confirm.getByRole('button', { name: 'Confirm delete' }));
    const refused = design.getByRole('group', { name: 'Delete refused' });
    await expect(refused.getByRole('alert')).toContainText('task 1 is a dependency of 2');
    await expectFocusWithin(refused);
    await activate(page, refused.getByRole('button', { name: 'Delete anyway' }));
    await expect(table.getByRole('row')).toHaveCount(3);
    await expect(design).toBeHidden();
    await expect(page.getByRole('complementary')).toHaveCount(0);
    // Focus lands on the row that took the deleted task's place.
    await expect(table.getByRole('row', { name: /Set up the database/ })).toBeFocused();

    // Filter by status and search, from the toolbar.
    const status = page.getByRole('combobox', { name: 'Status', exact: true });
    await tabTo(page, status, { backwards: true });
    await page.keyboard.type('ready');
    await expect(status).toHaveValue('ready');
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table).toContainText('Set up the database');
    await page.keyboard.press('Home');
    await expect(status).toHaveValue('all');
    await expect(table.getByRole('row')).toHaveCount(3);
    await page.keyboard.press('Tab');
    const search = page.getByRole('searchbox', { name: 'Search tasks' });
    await expect(search).toBeFocused();
    await page.keyboard.type('rest');
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table).toContainText('Write the REST API');
    await page.keyboard.press('Escape');
    await expect(search).toHaveValue('');
    await expect(table.getByRole('row')).toHaveCount(3);
  });

  test('run: start a run, watch the live log, stop it', async ({ page, app }) => {
    test.setTimeout(120_000);
    const folder = await repository('co-e2e-kb-run-', { 'README.md': '# Demo\n', '.gitignore': '.orchestrator/\n' });
    // The worker writes a file, then its next turn hangs until the run is stopped.
    let turns = 0;
    app.fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        if (!JSON.stringify(request.body?.messages ?? '').includes('Write the greeting')) return undefined;
        turns += 1;
        return afterToolResult(request) ? textReply('Done.', { delayMs: 60_000 }) : writeFileTurn(request, 'greet.txt', 'hello\n');
      },
    });
    await openByKeyboard(page, app.serve.url, folder);
    await addTaskByKeyboard(page, 'Write the greeting');
    await switchTab(page, 'Run');

    await activate(page, page.getByRole('button', { name: 'Start run' }));
    const state = page.getByRole('status', { name: 'Run state' });
    await expect(state).toContainText('Running', { timeout: 30_000 });
    const log = page.getByRole('log', { name: 'Live log of all workers' });
    await expect(log).toContainText('greet.txt', { timeout: 60_000 });
    await expect.poll(() => turns, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

    await activate(page, page.getByRole('button', { name: 'Stop run' }));
    await expect(state).toHaveText('Idle', { timeout: 30_000 });
    // The log stays scrollable from the keyboard.
    await tabTo(page, log);
    await expect(log).toBeFocused();
  });

  test('review: read the diff, reject, approve and request changes', async ({ page, app }) => {
    const folder = await repository('co-e2e-kb-review-');
    await page.routeWebSocket(/\/rpc\?token=/, (route: WebSocketRoute) => {
      const server = route.connectToServer();
      route.onMessage((raw) => {
        const message = JSON.parse(String(raw)) as { id: number; method: string };
        const output = reviewAnswer(message.method, folder);
        if (output === undefined) server.send(raw);
        else route.send(JSON.stringify({ type: 'result', id: message.id, ok: true, output }));
      });
    });
    await openByKeyboard(page, app.serve.url, folder);
    await addTaskByKeyboard(page, 'Write the greeting');
    const table = page.getByRole('table', { name: 'Tasks' });
    await activateRow(page, table, table.getByRole('row', { name: /Write the greeting/ }), { backwards: true });
    const detail = page.getByRole('complementary', { name: /Write the greeting/ });

    // Mark it done, as a finished run would.
    const newStatus = detail.getByRole('combobox', { name: 'New status' });
    await tabTo(page, newStatus);
    await page.keyboard.type('done');
    await activate(page, detail.getByRole('button', { name: 'Set status' }));
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('done');

    // The diff: each file is a disclosure that Enter folds and unfolds.
    const review = detail.getByRole('region', { name: 'Review' });
    const diff = review.getByRole('region', { name: 'Diff of attempt 1' });
    await expect(diff).toContainText('Hello, world');
    const file = diff.locator('summary').filter({ hasText: 'hello.txt' });
    await tabTo(page, file);
    await page.keyboard.press('Enter');
    await expect(diff.getByText('Hello, world')).toBeHidden();
    await page.keyboard.press('Enter');
    await expect(diff.getByText('Hello, world')).toBeVisible();

    // Reject, then approve the failed task; each verdict changes the buttons, and focus goes to the Review heading.
    const verdict = review.getByRole('group', { name: 'Your verdict' });
    const reviewHeading = review.getByRole('heading', { name: 'Review' });
    await activate(page, verdict.getByRole('button', { name: 'Reject' }));
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('failed');
    await expect(reviewHeading).toBeFocused();
    await activate(page, verdict.getByRole('button', { name: 'Approve' }));
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('done');
    await expect(reviewHeading).toBeFocused();

    // Request changes with feedback.
    await tabTo(page, verdict.getByRole('textbox', { name: 'Feedback (required to request changes)' }));
    await page.keyboard.type('Greet the user by name.');
    await activate(page, verdict.getByRole('button', { name: 'Request changes' }));
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('ready');
    await expect(review).toContainText('Changes requested: Greet the user by name.');
    await expect(verdict).toBeHidden();
    await expect(reviewHeading).toBeFocused();
  });

  test('checkpoints: create, preview a rollback, choose a strategy, confirm', async ({ page, app }) => {
    const folder = await repository('co-e2e-kb-checkpoints-', { 'README.md': '# Demo\n', '.gitignore': '.orchestrator/\n' });
    await openByKeyboard(page, app.serve.url, folder);
    await switchTab(page, 'Checkpoints');

    const create = page.getByRole('form', { name: 'Create a checkpoint' });
    await tabTo(page, create.getByRole('textbox', { name: 'Description' }));
    await page.keyboard.type('Before my edits');
    await page.keyboard.press('Enter');
    const list = page.getByRole('table', { name: 'Checkpoint list' });
    await expect(list.getByRole('row', { name: /Before my edits/ })).toBeVisible();
    await expect(create.getByRole('textbox', { name: 'Description' })).toBeFocused();
    await rm(join(folder, 'README.md'));

    await activate(page, list.getByRole('button', { name: 'Roll back… to Before my edits' }));
    const panel = page.getByRole('complementary', { name: /Roll back to/ });
    await expectFocusWithin(panel);

    // The strategy radios: arrow keys choose; Selective needs tasks, so back to Full.
    const full = panel.getByRole('radio', { name: /Full/ });
    await tabTo(page, full);
    await page.keyboard.press('ArrowDown');
    await expect(panel.getByRole('radio', { name: /Partial/ })).toBeChecked();
    await page.keyboard.press('ArrowDown');
    await expect(panel.getByRole('radio', { name: /Selective/ })).toBeChecked();
    await expect(panel.getByRole('button', { name: 'Preview' })).toBeDisabled();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect(full).toBeChecked();

    await activate(page, panel.getByRole('button', { name: 'Preview' }));
    await expect(panel.getByRole('list', { name: 'Files that change' })).toContainText('README.md');
    await expect(panel.getByRole('button', { name: 'Preview' })).toBeFocused();

    const rollBack = panel.getByRole('button', { name: 'Roll back', exact: true });
    await activate(page, rollBack);
    const confirm = panel.getByRole('group', { name: 'Confirm rollback' });
    await expectFocusWithin(confirm);
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(rollBack).toBeFocused();
    await page.keyboard.press('Enter');
    await activate(page, confirm.getByRole('button', { name: 'Confirm roll back' }));
    await expect(panel.getByRole('status', { name: 'Rollback result' })).toContainText('Undo with checkpoint');
    await expectFocusWithin(panel);
    await expect(page.getByRole('table', { name: 'Checkpoint list' }).getByRole('row', { name: /Before FULL rollback/ })).toBeVisible();

    // Escape closes the rollback panel, back on the button that opened it.
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(list.getByRole('button', { name: 'Roll back… to Before my edits' })).toBeFocused();

    // Delete the safety checkpoint: Escape keeps it; confirming deletes it and focus goes to the list's heading.
    const deleteSafety = list.getByRole('button', { name: /^Delete checkpoint Before FULL rollback/ });
    await activate(page, deleteSafety, { backwards: true });
    const question = list.getByRole('group', { name: /^Confirm deleting checkpoint Before FULL rollback/ });
    await expectFocusWithin(question);
    await page.keyboard.press('Escape');
    await expect(question).toBeHidden();
    await expect(deleteSafety).toBeFocused();
    await page.keyboard.press('Enter');
    await activate(page, question.getByRole('button', { name: 'Confirm delete' }));
    await expect(list.getByRole('row', { name: /Before FULL rollback/ })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Checkpoints', exact: true })).toBeFocused();
  });

  test('settings: change a setting and save', async ({ page, app }) => {
    const folder = await repository('co-e2e-kb-settings-');
    await openByKeyboard(page, app.serve.url, folder);
    await switchTab(page, 'Settings');
    const form = page.getByRole('form', { name: 'Project settings' });
    const maxWorkers = form.getByRole('spinbutton', { name: 'Max workers' });
    await tabTo(page, maxWorkers);
    await expect(maxWorkers).toHaveValue('4');
    await page.keyboard.press('ArrowUp');
    await expect(maxWorkers).toHaveValue('5');
    const permission = form.getByRole('combobox', { name: 'Permission mode' });
    await tabTo(page, permission);
    await page.keyboard.type('plan');
    await expect(permission).toHaveValue('plan');
    await activate(page, form.getByRole('button', { name: 'Save settings' }));
    await expect(form.getByRole('status')).toContainText('apply to the next run');
    await expect(form.getByRole('button', { name: 'Save settings' })).toBeFocused();
  });

  test('graph: focus a node and open its task with Enter; focus is visible', async ({ page, app }) => {
    const folder = await repository('co-e2e-kb-graph-');
    await openByKeyboard(page, app.serve.url, folder);
    await addTaskByKeyboard(page, 'Design the schema');
    await addTaskByKeyboard(page, 'Set up the database', { dependencies: ['1 Design the schema'] });

    // Focus is visible: the focused button has the accent outline.
    const add = page.getByRole('button', { name: 'Add task' });
    await expect(add).toBeFocused();
    expect(await add.evaluate((element) => element.matches(':focus-visible') && getComputedStyle(element).outlineStyle === 'solid')).toBe(true);

    await switchTab(page, 'Graph');
    const graph = page.getByRole('region', { name: 'Dependency graph' });
    const node = graph.getByRole('button', { name: /^Task 2: Set up the database/ });
    await expect(node).toHaveAccessibleDescription('Press Enter to open the task.');
    // Edges describe, they are not Tab stops.
    await expect(graph.getByLabel('Task 2 depends on 1')).not.toHaveAttribute('tabindex');
    await tabTo(page, node);
    expect(await node.evaluate((element) => element.matches(':focus-visible') && getComputedStyle(element).outlineStyle !== 'none')).toBe(true);
    await page.screenshot({ path: `${SHOTS}/keyboard-graph-focus.png` });
    await page.keyboard.press('Enter');
    const detail = page.getByRole('complementary', { name: /Set up the database/ });
    await expect(detail).toBeVisible();
    await expectFocusWithin(detail);
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
    await expect(node).toBeFocused();
  });
});

const PATCH = [
  'diff --git a/hello.txt b/hello.txt',
  'new file mode 100644',
  'index 0000000..3b18e51',
  '--- /dev/null',
  '+++ b/hello.txt',
  '@@ -0,0 +1 @@',
  '+Hello, world',
  '',
].join('\n');

/** Answers for a finished attempt of task 1 (the run journey makes real ones); undefined sends the call to the host. */
function reviewAnswer(method: string, folder: string): unknown {
  if (method === 'attempts.list') {
    return [finishedAttempt(folder, 'approve')];
  }
  if (method === 'attempts.diff') return { baseCommit: 'a'.repeat(40), files: [{ path: 'hello.txt', status: 'added', additions: 1, deletions: 0 }], patch: PATCH, truncated: false };
  return undefined;
}
