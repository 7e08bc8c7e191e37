import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Page } from '@playwright/test';
import { matchers, textReply, toolUseReply } from '../support/fake-anthropic';
import { afterToolResult, forcedTool, workingDirectoryOf } from '../integration/runtime/pipeline-support';
import { expect, test as base, agentServeFixture, type AgentServe } from './fixtures';
import { makeRepository, openProject } from './helpers';

const SHOTS = 'test-results/screenshots';
const VIEWPORT = { width: 1400, height: 900 } as const;

/**
 * What one client changes, another sees: each test below proves one feature of eb72a09 in the
 * real renderer against `co serve` — deletions and rollbacks pushed to a second window, worker
 * lanes rebuilt after a reload mid-run, and the rollback notice about the branch's commits.
 */
const test = base.extend<{ secondPage: Page }, { live: AgentServe }>({
  /** A second window on the same host: its own browser context, so no storage is shared with `page`. */
  secondPage: async ({ browser }, use) => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    await use(await context.newPage());
    await context.close();
  },
  /** `co serve` whose Claude Code workers talk to a fake Anthropic server (only the reload test needs workers). */
  live: agentServeFixture('co-e2e-multi-home-'),
});

/** Runs git in the project folder and returns its trimmed output. */
function git(folder: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', ...args], { cwd: folder, encoding: 'utf8' }).trimEnd();
}

/** Adds a task through the Tasks tab's form and waits for its row. */
async function addTask(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: 'Add task' }).click();
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Title').fill(title);
  await form.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: new RegExp(title) })).toBeVisible();
}

/** The status cell of a task's row in the task table. */
function statusCell(page: Page, title: string) {
  return page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: new RegExp(title) }).getByRole('cell').nth(2);
}

/** Creates a checkpoint from the Checkpoints tab. */
async function createCheckpoint(page: Page, description: string): Promise<void> {
  await page.getByRole('tab', { name: 'Checkpoints' }).click();
  const form = page.getByRole('form', { name: 'Create a checkpoint' });
  await form.getByLabel('Description').fill(description);
  await form.getByRole('button', { name: 'Create checkpoint' }).click();
  await expect(form.getByRole('status')).toContainText(/Checkpoint \S+ created\./);
  await expect(page.getByRole('table', { name: 'Checkpoint list' })).toContainText(description);
}

/** Marks a page so a later check can tell it was never reloaded or navigated. */
async function markUnreloaded(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(window, { coE2eNotReloaded: true }));
}

async function wasNeverReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { coE2eNotReloaded?: boolean }).coE2eNotReloaded === true);
}

/** Both windows side by side in one image, for a person to look at. */
async function screenshotSideBySide(pages: ReadonlyArray<Page>, path: string): Promise<void> {
  const shots = await Promise.all(pages.map(async (page) => (await page.screenshot()).toString('base64')));
  const sheet = await pages[0]!.context().newPage();
  await sheet.setViewportSize({ width: VIEWPORT.width, height: Math.ceil(VIEWPORT.height / 2) + 40 });
  const images = shots.map((shot, index) => `<figure><figcaption>Window ${String.fromCharCode(65 + index)}</figcaption><img src="data:image/png;base64,${shot}"></figure>`).join('');
  await sheet.setContent(
    `<style>body{margin:0;display:flex;gap:8px;font:14px sans-serif;background:#444;color:#fff}figure{margin:0;flex:1}figcaption{padding:4px 8px}img{width:100%;display:block}</style>${images}`,
  );
  await sheet.evaluate(() => Promise.all([...document.images].map((image) => image.decode())));
  await mkdir(SHOTS, { recursive: true });
  await sheet.screenshot({ path, fullPage: true });
  await sheet.close();
}

/** Processes (other than this test's) working inside the project folder: the workers of its attempts. */
function processesWorkingIn(folder: string): ReadonlyArray<string> {
  const root = realpathSync(folder);
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd !== root && !cwd.startsWith(root + sep)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push(`${pid} ${command}`);
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

test.describe('clients kept in step with the host', () => {
  const folders: string[] = [];
  /** A fresh repository for this test, removed after it. */
  const repository = async (...args: Parameters<typeof makeRepository>) => {
    const folder = await makeRepository(...args);
    folders.push(folder);
    return folder;
  };
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize(VIEWPORT);
  });
  test.afterEach(async () => {
    // The host may still be writing .orchestrator/state.db for the open project; retry instead of racing it.
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('task.removed and tasks.reset: a task deleted, and a rollback made, in one window show in the other without a reload', async ({ page, secondPage, serve }) => {
    // Two windows and a dozen round trips: under a loaded machine this has taken 40 s.
    test.setTimeout(90_000);
    const folder = await repository('co-e2e-multi-tasks-');
    const windowA = page;
    const windowB = secondPage;
    await openProject(windowA, serve.url, folder);
    await addTask(windowA, 'Write the schema');
    await addTask(windowA, 'Seed the data');

    await openProject(windowB, serve.url, folder);
    const tableB = windowB.getByRole('table', { name: 'Tasks' });
    await expect(tableB.getByRole('row', { name: /Write the schema/ })).toBeVisible();
    await tableB.getByRole('row', { name: /Write the schema/ }).click();
    await expect(windowB.getByRole('complementary', { name: /Write the schema/ })).toBeVisible();
    await markUnreloaded(windowB);

    // A deletes task 1 through its detail panel.
    await windowA.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: /Write the schema/ }).click();
    const detailA = windowA.getByRole('complementary', { name: /Write the schema/ });
    await detailA.getByRole('button', { name: 'Delete task' }).click();
    await detailA.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: 'Confirm delete' }).click();
    await expect(windowA.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: /Write the schema/ })).toHaveCount(0);

    // B drops it from its table, and its open detail says so.
    await expect(tableB.getByRole('row', { name: /Write the schema/ })).toHaveCount(0);
    await expect(tableB.getByRole('row', { name: /Seed the data/ })).toBeVisible();
    await expect(windowB.getByRole('complementary', { name: 'Task 1' })).toContainText('Task 1 no longer exists.');
    await screenshotSideBySide([windowA, windowB], `${SHOTS}/multi-client-delete.png`);

    // A checkpoints the one task left, then adds a task and finishes the other; B follows.
    const statusAtCheckpoint = (await statusCell(windowB, 'Seed the data').innerText()).trim();
    expect(statusAtCheckpoint).not.toBe('done');
    await createCheckpoint(windowA, 'One task left');
    await windowA.getByRole('tab', { name: 'Tasks' }).click();
    await addTask(windowA, 'Add the API');
    await windowA.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: /Seed the data/ }).click();
    const seedDetail = windowA.getByRole('complementary', { name: /Seed the data/ });
    await seedDetail.getByLabel('New status').selectOption('done');
    await seedDetail.getByRole('button', { name: 'Set status' }).click();
    await expect(tableB.getByRole('row', { name: /Add the API/ })).toBeVisible();
    await expect(statusCell(windowB, 'Seed the data')).toHaveText('done');

    // A rolls back FULL; B's table is the checkpoint's again.
    await windowA.getByRole('tab', { name: 'Checkpoints' }).click();
    await windowA.getByRole('table', { name: 'Checkpoint list' }).getByRole('button', { name: 'Roll back… to One task left' }).click();
    const panel = windowA.getByRole('complementary', { name: /Roll back to/ });
    await expect(panel.getByRole('radio', { name: /Full/ })).toBeChecked();
    await panel.getByRole('button', { name: 'Roll back', exact: true }).click();
    await panel.getByRole('group', { name: 'Confirm rollback' }).getByRole('button', { name: 'Confirm roll back' }).click();
    await expect(panel.getByRole('status', { name: 'Rollback result' })).toContainText('Undo with checkpoint');

    await expect(tableB.getByRole('row', { name: /Add the API/ })).toHaveCount(0);
    await expect(statusCell(windowB, 'Seed the data')).toHaveText(statusAtCheckpoint);
    await expect(tableB.locator('tbody tr')).toHaveCount(1);
    expect(await wasNeverReloaded(windowB)).toBe(true);
  });

  test('rollback notice: the preview and the result say how many commits the branch had since the checkpoint, and HEAD stays put', async ({ page, serve }) => {
    const folder = await repository('co-e2e-multi-head-', { 'README.md': '# Demo\n', 'notes.txt': 'first notes\n' });
    const headAtStart = git(folder, 'rev-parse', 'HEAD');
    await openProject(page, serve.url, folder);
    await createCheckpoint(page, 'Before hand edits');
    expect(git(folder, 'rev-parse', 'HEAD')).toBe(headAtStart);

    // Two commits by hand after the checkpoint.
    await writeFile(join(folder, 'notes.txt'), 'second notes\n');
    git(folder, 'commit', '-q', '-m', 'edit notes', '--', 'notes.txt');
    await writeFile(join(folder, 'extra.txt'), 'extra\n');
    git(folder, 'add', 'extra.txt');
    git(folder, 'commit', '-q', '-m', 'add extra', '--', 'extra.txt');
    const headAfterCommits = git(folder, 'rev-parse', 'HEAD');

    await page.getByRole('table', { name: 'Checkpoint list' }).getByRole('button', { name: 'Roll back… to Before hand edits' }).click();
    const panel = page.getByRole('complementary', { name: /Roll back to/ });
    await panel.getByRole('button', { name: 'Preview' }).click();
    await expect(panel.getByRole('note', { name: 'Commits since the checkpoint' })).toHaveText(
      'Your branch main has 2 commits made after this checkpoint. Rolling back keeps them on main but puts the files back as they were at the checkpoint, so git will show their changes undone as uncommitted changes.',
    );
    const files = panel.getByRole('list', { name: 'Files that change' });
    await expect(files).toContainText('notes.txt');
    await expect(files).toContainText('extra.txt');

    await panel.getByRole('button', { name: 'Roll back', exact: true }).click();
    await panel.getByRole('group', { name: 'Confirm rollback' }).getByRole('button', { name: 'Confirm roll back' }).click();
    const result = panel.getByRole('status', { name: 'Rollback result' });
    await expect(result).toContainText('Undo with checkpoint');
    await expect(result.getByRole('note', { name: 'Branch after rollback' })).toHaveText(
      'Your branch main had 2 commits after this checkpoint. They are still on main (rollback never moves branches), but the files are back as they were at the checkpoint, so git shows their changes undone as uncommitted changes.',
    );

    // The branch did not move; the files are as at the checkpoint, the commits' changes undone in the working tree.
    expect(git(folder, 'rev-parse', 'HEAD')).toBe(headAfterCommits);
    expect(git(folder, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(await readFile(join(folder, 'notes.txt'), 'utf8')).toBe('first notes\n');
    expect(existsSync(join(folder, 'extra.txt'))).toBe(false);
    const changed = git(folder, 'status', '--porcelain', '--', 'notes.txt', 'extra.txt');
    expect(changed).toMatch(/^.M notes\.txt$|^M. notes\.txt$/m);
    expect(changed).toMatch(/^.D extra\.txt$|^D. extra\.txt$/m);
  });

  test('runs.status activeAttempts: a reloaded Run view shows the running worker’s lane and the log it wrote before the reload', async ({ page, live }) => {
    test.setTimeout(120_000);
    const { fake, serve } = live;
    const marker = 'Before the reload: writing slow.txt';
    fake.script({ respond: (request) => (forcedTool(request) === 'submit_review' ? toolUseReply('submit_review', { verdict: 'approve' }) : undefined) });
    // The worker writes a file, then waits on its second turn until the run is stopped.
    fake.script({
      match: matchers.hasTools,
      respond: (request) =>
        afterToolResult(request)
          ? textReply('Wrote slow.txt.', { delayMs: 110_000 })
          : toolUseReply('Write', { file_path: join(workingDirectoryOf(request), 'slow.txt'), content: 'slow\n' }, { text: marker }),
    });
    const folder = await repository('co-e2e-multi-reload-');
    await writeFile(join(folder, 'orchestrator_config.json'), JSON.stringify({ execution: { max_workers: 1 } }));
    git(folder, 'add', 'orchestrator_config.json');
    git(folder, 'commit', '-q', '-m', 'config');

    await openProject(page, serve.url, folder);
    await addTask(page, 'Build the slow thing');
    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    const lanes = page.getByRole('list', { name: 'Worker lanes' });
    const log = page.getByRole('log', { name: 'Live log of all workers' });
    await expect(lanes).toContainText('Build the slow thing', { timeout: 30_000 });
    await expect(log).toContainText(marker, { timeout: 60_000 });
    // The worker is on its second, slow turn: still running when the page comes back.
    await expect.poll(() => fake.messageRequests().filter((request) => afterToolResult(request)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    expect(processesWorkingIn(folder)).not.toHaveLength(0);

    await page.reload();
    const projectFolder = page.getByLabel('Project folder');
    await expect(projectFolder.or(page.getByRole('region', { name: 'Current project' }))).toBeVisible();
    if (await projectFolder.isVisible()) {
      await projectFolder.fill(folder);
      await page.getByRole('button', { name: 'Open' }).click();
    }
    await page.getByRole('tab', { name: 'Run' }).click();
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Running · 1 active worker');
    const lane = lanes.getByRole('button', { name: /Build the slow thing/ });
    await expect(lane).toContainText('running');
    await expect(lane).toContainText('attempt 1');
    await expect(log).toContainText(marker);
    expect(processesWorkingIn(folder)).not.toHaveLength(0);

    await page.getByRole('button', { name: 'Stop run' }).click();
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle', { timeout: 30_000 });
    await expect(lane).not.toContainText('running');
    await expect.poll(() => processesWorkingIn(folder), { timeout: 15_000 }).toEqual([]);
  });
});
