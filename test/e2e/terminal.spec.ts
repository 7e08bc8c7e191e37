import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, TEST_API_KEY, textReply, toolUseReply, type FakeAnthropic } from '../support/fake-anthropic';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { afterToolResult, forcedTool, requestText, writeFileTurn } from '../integration/runtime/pipeline-support';

const SHOTS = 'test-results/screenshots';
/** What the person types into the resumed session; the fake model answers it by writing a file. */
const TYPED = 'E2E-TYPED add a line by hand';

interface TerminalServe {
  readonly fake: FakeAnthropic;
  readonly serve: ServeProcess;
  /** The isolated HOME of Claude Code (its config folder is HOME/.claude). */
  readonly home: string;
}

/**
 * `co serve` with the real Claude Code CLI against the fake API, and a Claude Code config that has
 * been through first-run onboarding and approved the test key, as a user's interactive Claude Code
 * has (the terminal runs Claude Code interactively, which asks both on a fresh config).
 */
const test = base.extend<object, { terminalServe: TerminalServe }>({
  terminalServe: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const fake = await startFakeAnthropic({ validApiKeys: [TEST_API_KEY] });
      const home = makeTempDir('co-e2e-terminal-home-');
      const env = claudeTestEnv(fake, home.path);
      mkdirSync(join(home.path, '.claude'), { recursive: true });
      writeFileSync(join(home.path, '.claude', '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [TEST_API_KEY.slice(-20)], rejected: [] } }));
      const serve = await startServeProcess(env);
      await use({ fake, serve, home: home.path });
      await serve.stop();
      await fake.close();
      home.cleanup();
    },
    { scope: 'worker' },
  ],
});

test.describe('terminal takeover with the real Claude Code CLI', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-terminal-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    await writeFile(join(folder, 'README.md'), '# Greeter\n');
    await writeFile(join(folder, 'orchestrator_config.json'), JSON.stringify({ checks: { verify: ['test -f greet.txt'] } }));
    git('add', '.');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'initial');
    await page.setViewportSize({ width: 1400, height: 1000 });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('open a finished attempt in the terminal, steer its resumed session, send the changes to review and merge', async ({ page, terminalServe }) => {
    test.setTimeout(300_000);
    const { fake, serve, home } = terminalServe;
    // The folder the person works in is trusted, as a user's own project is.
    const config = JSON.parse(await readFile(join(home, '.claude', '.claude.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(home, '.claude', '.claude.json'), JSON.stringify({ ...config, projects: { ...(config['projects'] as object), [folder]: { hasTrustDialogAccepted: true } } }));
    fake.script({ respond: (request) => (forcedTool(request) === 'submit_review' ? toolUseReply('submit_review', { verdict: 'approve' }) : undefined) });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        if (requestText(request).includes('E2E-TYPED')) return afterToolResult(request) ? textReply('TERMINAL-REPLY-OK: by-hand.txt written.') : writeFileTurn(request, 'by-hand.txt', 'written in the terminal\n');
        return writeFileTurn(request, 'greet.txt', 'hello\n', 'WORKER-DONE: wrote greet.txt.');
      },
    });
    await mkdir(SHOTS, { recursive: true });

    // A task run to done by a worker (the real Claude Code CLI in print mode).
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Write the greeting');
    await page.getByRole('form', { name: 'New task' }).getByRole('button', { name: 'Create task' }).click();
    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle', { timeout: 120_000 });
    await expect.poll(() => readFile(join(folder, 'greet.txt'), 'utf8').catch(() => ''), { timeout: 30_000 }).toBe('hello\n');
    const workerRequests = fake.messageRequests().length;

    // The worker's slot is busy now (as if a later attempt had it), so the takeover gets another one:
    // the worker's session is resumed from a folder it never ran in.
    await writeFile(join(folder, '.orchestrator', 'pool', 'slot-1.lock'), JSON.stringify({ host: hostname(), pid: process.pid, startTime: null, bootId: null, attemptId: 'a later attempt', acquiredAt: Date.now() }));

    // Open its attempt in the terminal: Claude Code resumes the worker's session in a checkout of its work.
    await page.getByRole('tab', { name: 'Tasks' }).click();
    const tasks = page.getByRole('table', { name: 'Tasks' });
    await expect(tasks.getByRole('row', { name: /Write the greeting/ })).toContainText('done');
    await tasks.getByRole('row', { name: /Write the greeting/ }).click();
    await page.getByRole('button', { name: 'Open in terminal (attempt 1)' }).click();
    const dock = page.getByRole('region', { name: 'Claude Code session of task 1' });
    const screen = dock.getByTestId('terminal-screen');
    // The earlier conversation is on screen: the session was resumed, not started afresh.
    await expect(screen).toContainText('WORKER-DONE', { timeout: 60_000 });
    expect(existsSync(join(folder, '.orchestrator', 'pool', 'slot-2'))).toBe(true);

    // Typed input reaches Claude Code; its request carries the earlier conversation; its answer is shown.
    await screen.click();
    await page.keyboard.type(TYPED, { delay: 20 });
    await page.keyboard.press('Enter');
    const typedRequest = await fake.waitForRequest((request) => request.path.startsWith('/v1/messages') && requestText(request).includes('E2E-TYPED'), 60_000);
    expect(fake.messageRequests().indexOf(typedRequest)).toBeGreaterThanOrEqual(workerRequests);
    const typedText = requestText(typedRequest);
    expect(typedText).toContain('Carry out task 1:');
    expect(typedText).toContain('WORKER-DONE: wrote greet.txt.');
    await expect(screen).toContainText('TERMINAL-REPLY-OK', { timeout: 60_000 });
    await page.screenshot({ path: `${SHOTS}/terminal-takeover.png`, fullPage: true });

    // Closing sends the workspace's changes through verify, review and merge.
    await dock.getByRole('button', { name: 'Close terminal…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close the terminal' });
    await dialog.getByRole('button', { name: 'Send changes to review' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'The changes go through verify, review and merge in run' })).toBeVisible({ timeout: 60_000 });
    await expect.poll(() => readFile(join(folder, 'by-hand.txt'), 'utf8').catch(() => ''), { timeout: 120_000 }).toBe('written in the terminal\n');
    const attempts = page.getByRole('region', { name: 'Attempts' });
    await expect(attempts).toContainText('terminal');
    await expect(tasks.getByRole('row', { name: /Write the greeting/ })).toContainText('done', { timeout: 60_000 });
    // The reviewer saw the person's change.
    const review = fake.messageRequests().filter((request) => forcedTool(request) === 'submit_review').at(-1);
    expect(requestText(review ?? (undefined as never))).toContain('by-hand.txt');
  });

  test('a shell from the keyboard: it fits the resized window, pastes, survives a reload, and discarding leaves the task as it was', async ({ page, context, terminalServe }) => {
    test.setTimeout(240_000);
    const { fake, serve } = terminalServe;
    fake.script({ respond: (request) => (forcedTool(request) === 'submit_review' ? toolUseReply('submit_review', { verdict: 'approve' }) : undefined) });
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, 'greet.txt', 'hello\n') });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(serve.url).origin });

    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Write the greeting');
    await page.getByRole('form', { name: 'New task' }).getByRole('button', { name: 'Create task' }).click();
    await page.getByRole('tab', { name: 'Run' }).click();
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle', { timeout: 120_000 });

    // The finished lane offers the terminal too; open a shell from the keyboard.
    const lanes = page.getByRole('list', { name: 'Worker lanes' });
    await lanes.getByRole('button', { name: /Write the greeting/ }).click();
    const openShell = lanes.getByRole('button', { name: 'Open shell (attempt 1)' });
    await openShell.focus();
    await page.keyboard.press('Enter');
    const dock = page.getByRole('region', { name: 'Shell in the workspace of task 1' });
    const screen = dock.getByTestId('terminal-screen');
    await expect(screen.locator('textarea')).toBeFocused();

    // The shell sees the terminal's size, and a new one when the window shrinks (the fit addon resizes it).
    await page.keyboard.type('echo wide=$(stty size | cut -d" " -f2)\n', { delay: 5 });
    await expect(screen).toContainText(/wide=\d+/);
    const wide = Number((await screen.textContent())?.match(/wide=(\d+)/)?.[1]);
    expect(wide).toBeGreaterThan(80);
    await page.setViewportSize({ width: 700, height: 1000 });
    await expect(async () => {
      await page.keyboard.type('echo narrow=$(stty size | cut -d" " -f2)\n', { delay: 5 });
      const seen = [...((await screen.textContent()) ?? '').matchAll(/narrow=(\d+)/g)];
      expect(Number(seen.at(-1)?.[1])).toBeLessThan(wide);
    }).toPass({ timeout: 20_000 });

    // Pasting (Ctrl+Shift+V) sends the clipboard to the shell.
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((2 + 3))'));
    await page.keyboard.press('Control+Shift+V');
    await page.keyboard.press('Enter');
    await expect(screen).toContainText('pasted-5');

    // A reloaded page, once the project is open again, finds the terminal still open on the host and shows what it printed so far.
    await page.reload();
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    // Opening the project again (its runtime, recovery) and loading the terminal's code take a while on a loaded machine.
    await expect(screen).toContainText('pasted-5', { timeout: 30_000 });
    await expect(screen.locator('textarea')).toBeFocused();
    await page.keyboard.type('echo scratch > scratch.txt; echo after-reload-$((1 + 1))\n', { delay: 5 });
    await expect(screen).toContainText('after-reload-2');

    // The task list and the graph say that a person holds the task in a terminal.
    await page.getByRole('tab', { name: 'Tasks' }).click();
    const row = page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: /Write the greeting/ });
    await expect(row.getByText('In terminal')).toBeVisible();
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect(page.getByRole('button', { name: /^Task 1: Write the greeting \(.*, in terminal/ })).toBeVisible();
    await screen.click();
    await expect(screen.locator('textarea')).toBeFocused();

    // Ctrl+Shift+X leaves the terminal for its buttons; the close dialog works from the keyboard.
    await page.keyboard.press('Control+Shift+X');
    await expect(dock.getByRole('button', { name: 'Close terminal…' })).toBeFocused();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Close the terminal' });
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await dock.getByRole('button', { name: 'Close terminal…' }).press('Enter');
    await dialog.getByRole('button', { name: 'Discard changes' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'The changes made in the terminal were discarded' })).toBeVisible({ timeout: 30_000 });
    await expect(dock).toHaveCount(0);
    await page.getByRole('tab', { name: 'Tasks' }).click();
    await expect(row).toContainText('done');
    await expect(row.getByText('In terminal')).toHaveCount(0);
  });
});
